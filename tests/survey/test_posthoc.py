"""Post hoc rule and Tukey comparisons per outcome."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from helpers.io import OUTCOME
from helpers.survey import (
    anova_by_outcome,
    outcome_tests,
    posthoc_outcomes,
    posthoc_table,
    posthoc_wanted,
    resolve_reference_site,
    tukey_by_outcome,
    tukey_where_significant,
)


@pytest.fixture
def tests_small(small_scores, cfg):
    return outcome_tests(anova_by_outcome(small_scores), None, alpha=cfg.alpha)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("either", [True, True, True, False]),
        ("anova", [True, True, False, False]),
        ("both", [True, False, False, False]),
    ],
)
def test_posthoc_rule(when, expected):
    cases = [(True, True), (True, False), (False, True), (False, False)]
    assert [posthoc_wanted(a, b, when=when) for a, b in cases] == expected


def test_posthoc_rule_rejects_an_unknown_rule():
    with pytest.raises(ValueError, match="either"):
        posthoc_wanted(True, True, when="any")


def test_posthoc_outcomes_keep_the_order_of_the_tests():
    tests = pd.DataFrame(
        {
            "group": "g",
            "measure": "m",
            "subscale": list("abcd"),
            "significant": [True, True, False, False],
            "significant_adj": [False, True, True, False],
        }
    )
    assert posthoc_outcomes(tests, when="either")["subscale"].tolist() == ["a", "b", "c"]
    assert posthoc_outcomes(tests, when="anova")["subscale"].tolist() == ["a", "b"]
    assert posthoc_outcomes(tests, when="both")["subscale"].tolist() == ["b"]
    assert list(posthoc_outcomes(tests, when="both").columns) == OUTCOME


def test_tukey_by_outcome_matches_scipy(small_scores, cfg):
    tukey = tukey_by_outcome(small_scores, alpha=cfg.alpha, confidence=cfg.confidence)
    assert len(tukey) == 6 and list(tukey.columns[:3]) == OUTCOME
    total = small_scores[small_scores["subscale"] == "Total"]
    groups = [f["score"].to_numpy() for _, f in total.groupby("site")]
    ref = stats.tukey_hsd(*groups)
    row = tukey[(tukey["subscale"] == "Total") & (tukey["group_a"] == "North") & (tukey["group_b"] == "West")].iloc[0]
    assert row["p_tukey"] == pytest.approx(ref.pvalue[0, 2], abs=1e-6)
    ci = ref.confidence_interval(confidence_level=cfg.confidence)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low[0, 2]), pytest.approx(ci.high[0, 2]))


def test_tukey_where_significant(small_scores, tests_small, cfg):
    kw = {"alpha": cfg.alpha, "confidence": cfg.confidence, "when": "either"}
    tukey = tukey_where_significant(small_scores, tests_small, **kw)
    assert set(tukey["subscale"]) == {"Total"}
    post = posthoc_table(tukey, tests_small)
    assert post.groupby("subscale")["posthoc_run"].first().to_dict() == {"Flat": False, "Total": True}
    ref = tukey_where_significant(small_scores, tests_small, reference="West", **kw)
    assert set(ref["group_b"]) == {"West"} and len(ref) == 2
    # an absent reference falls back to every pair rather than failing
    assert len(tukey_where_significant(small_scores, tests_small, reference="Nowhere", **kw)) == 3
    none = tukey_where_significant(small_scores, tests_small.assign(significant=False), **kw)
    assert none.empty and list(none.columns)[:3] == OUTCOME
    assert not posthoc_table(none, tests_small).empty


def test_tukey_where_significant_follows_the_rule(small_scores, tests_small, cfg):
    only_adjusted = tests_small.assign(significant=False, significant_adj=tests_small["significant"])
    kw = {"alpha": cfg.alpha, "confidence": cfg.confidence}
    assert set(tukey_where_significant(small_scores, only_adjusted, when="either", **kw)["subscale"]) == {"Total"}
    assert tukey_where_significant(small_scores, only_adjusted, when="anova", **kw).empty
    assert tukey_where_significant(small_scores, only_adjusted, when="both", **kw).empty


def test_resolve_reference_site():
    s = pd.DataFrame({"site": ["A", "B"], "score": [1.0, None]})
    assert resolve_reference_site(s, "A") == "A"
    assert resolve_reference_site(s, "B") is None and resolve_reference_site(s, None) is None
