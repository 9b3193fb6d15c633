"""Sensitivity of the site comparisons to the mean-replacement threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.survey import (
    anova_by_outcome,
    outcome_scores,
    sensitivity_by_outcome,
    sensitivity_compact,
    sensitivity_decisions,
    sensitivity_thresholds,
    sensitivity_wide,
)
from helpers.survey.feasibility import compare_units
from helpers.survey.sensitivity import estimable_sites


@pytest.fixture
def sens():
    return pd.DataFrame({"group": "g", "measure": "m", "subscale": ["a"] * 3 + ["b"] * 3,
                         "threshold": [0.0, 0.2, 0.5] * 2, "n": [10, 11, 12] * 2,
                         "p": [0.01, 0.03, 0.2, 0.5, 0.6, 0.7], "eta_squared": [0.3, 0.2, 0.1] * 2,
                         "df_between": 2, "df_within": 9, "F": [4.0, 3.0, 2.0, 1.0, 0.5, 0.25]})  # fmt: skip


def test_sensitivity_thresholds(cfg):
    assert sensitivity_thresholds(0.35, thresholds=cfg.sensitivity_thresholds) == [0.0, 0.2, 0.3, 0.35, 0.4, 0.5]
    assert sensitivity_thresholds(0.5, thresholds=[0.5, 0.0]) == [0.0, 0.5]


def test_sensitivity_decisions_detect_a_change(sens, cfg):
    dec = sensitivity_decisions(sens, alpha=cfg.alpha).set_index("subscale")
    assert dec.loc["a", "changes"] and dec.loc["a", "significant_at"] == (0.0, 0.2)
    assert dec.loc["a", "not_significant_at"] == (0.5,)
    assert dec.loc["b", "decision"] == "not significant throughout"
    assert sensitivity_decisions(sens, alpha=0.001).set_index("subscale").loc["a", "decision"] == (
        "not significant throughout"
    )
    assert sensitivity_decisions(sens, alpha=0.3).set_index("subscale").loc["a", "decision"] == (
        "significant throughout"
    )


def test_sensitivity_wide_and_compact(sens, cfg):
    wide = sensitivity_wide(sens, "p")
    assert wide.loc[0, [0.0, 0.2, 0.5]].tolist() == [0.01, 0.03, 0.2]
    compact = sensitivity_compact(sens, alpha=cfg.alpha)
    assert [c for c in compact.columns if isinstance(c, float)] == [0.0, 0.2, 0.5]
    assert compact.loc[0, "n_range"] == "10–12" and compact.loc[0, "f_range"] == "2.00–4.00"
    assert compact.loc[1, "eta_range"] == "0.100–0.300" and compact.loc[0, "decision"] == "changes"


def test_sensitivity_by_outcome_repeats_the_primary_anova(synthetic, instruments, cfg):
    sens = sensitivity_by_outcome(synthetic, instruments, thresholds=[0.0, cfg.max_missing])
    assert len(sens) == 44
    primary = sens[sens["threshold"] == cfg.max_missing].reset_index(drop=True)
    anova = anova_by_outcome(outcome_scores(synthetic, instruments, max_missing=cfg.max_missing))
    pd.testing.assert_series_equal(primary["F"], anova["F"], check_names=False)
    complete = sens[sens["threshold"] == 0.0].reset_index(drop=True)
    assert (complete["n"] <= primary["n"]).all()


@pytest.mark.parametrize(
    "site, score",
    [
        (list("aabbc"), [1.0, 2, 3, 4, 5]),  # c has one score: left out
        (list("aabbcc"), [1.0, 1, 2, 2, 3, 3]),  # no site varies
        (list("aabbcc"), [1.0, 1, 1, 1, 1, 1]),  # everyone the same
        (list("abab"), [2.0, 2, 2, 5]),  # b varies only at its last row
        (list("aab"), [1.0, 2, 3]),  # one site left
        (list("abcabcabc"), [1.0, 1, 1, 1, 1, 1, 1, 1, 2]),  # c varies late
    ],
)
def test_estimable_decides_as_compare_units_on_every_row(site, score):
    codes, sites = pd.factorize(pd.Series(site), sort=True)
    decision = compare_units(pd.DataFrame({"site": site, "score": score}))
    expected = [] if decision.reason else decision.kept
    assert estimable_sites(codes, list(sites), np.array(score)) == expected
