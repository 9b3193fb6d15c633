"""Tukey-Kramer comparisons against statsmodels' pairwise_tukeyhsd and scipy's tukey_hsd."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multicomp import pairwise_tukeyhsd

from helpers.stats import tukey_hsd

COLUMNS = ["group_a", "group_b", "mean_a", "mean_b", "diff", "se", "ci_low", "ci_high", "p_tukey", "significant"]


@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_tukey_hsd_matches_statsmodels_with_unequal_group_sizes(people, alpha):
    res = tukey_hsd(people, "score", "site", alpha=alpha, confidence=1 - alpha)
    assert list(res.columns) == COLUMNS
    clean = people[["score", "site"]].dropna()
    counts = clean["site"].value_counts()
    assert counts.nunique() > 1  # unequal sizes: the Tukey-Kramer case
    sm = pairwise_tukeyhsd(clean["score"], clean["site"], alpha=alpha)
    table = pd.DataFrame(sm.summary().data[1:], columns=sm.summary().data[0])
    assert len(res) == len(table) == 15
    means = clean.groupby("site")["score"].mean()
    for i, ours in enumerate(res.itertuples()):
        assert (ours.group_a, ours.group_b) == (table.at[i, "group1"], table.at[i, "group2"])
        # statsmodels reports group2 - group1; ours is group_a - group_b.
        assert ours.diff == pytest.approx(-float(sm.meandiffs[i]), abs=1e-10)
        assert (ours.mean_a, ours.mean_b) == pytest.approx((means[ours.group_a], means[ours.group_b]))
        assert ours.ci_low == pytest.approx(-float(sm.confint[i][1]), abs=1e-6)
        assert ours.ci_high == pytest.approx(-float(sm.confint[i][0]), abs=1e-6)
    assert res["p_tukey"].to_numpy() == pytest.approx(sm.pvalues, abs=1e-8)
    assert (res["significant"].to_numpy() == sm.reject).all()
    # se of the difference: sqrt(MSE (1/n_a + 1/n_b))
    aov = smf.ols("score ~ C(site)", data=clean).fit()
    se = np.sqrt(aov.mse_resid * (1 / counts[res["group_a"]].to_numpy() + 1 / counts[res["group_b"]].to_numpy()))
    assert res["se"].to_numpy() == pytest.approx(se, rel=1e-10)


def test_p_values_match_scipy_tukey_hsd(people, sites):
    res = tukey_hsd(people, "score", "site", alpha=0.05, confidence=0.95)
    clean = people[["score", "site"]].dropna()
    ref = stats.tukey_hsd(*(clean.loc[clean.site == s, "score"].to_numpy() for s in sites))
    pos = {s: i for i, s in enumerate(sites)}
    for row in res.itertuples():
        assert row.p_tukey == pytest.approx(ref.pvalue[pos[row.group_a], pos[row.group_b]], abs=1e-6)


def test_alpha_sets_the_decision_and_confidence_the_interval(people):
    base = tukey_hsd(people, "score", "site", alpha=0.05, confidence=0.95)
    strict = tukey_hsd(people, "score", "site", alpha=0.001, confidence=0.95)
    wide = tukey_hsd(people, "score", "site", alpha=0.05, confidence=0.99)
    assert (strict[["ci_low", "ci_high"]].to_numpy() == base[["ci_low", "ci_high"]].to_numpy()).all()
    assert strict["significant"].tolist() == (base["p_tukey"] < 0.001).tolist()
    assert base["significant"].sum() > strict["significant"].sum()
    assert (wide["significant"] == base["significant"]).all()
    assert ((wide["ci_high"] - wide["ci_low"]) > (base["ci_high"] - base["ci_low"])).all()


def test_tukey_textbook_example_with_equal_groups():
    # Means 2, 3, 6 (n = 3 each), MS_within = 1: q(a, c) = 4 / sqrt(1 / 3) = 6.928 on k = 3, df = 6.
    df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    res = tukey_hsd(df, "y", "site", alpha=0.05, confidence=0.95).set_index(["group_a", "group_b"])
    q = 4 / np.sqrt(1 / 3)
    assert res.at[("a", "c"), "p_tukey"] == pytest.approx(stats.studentized_range.sf(q, 3, 6), abs=1e-6)
    half = stats.studentized_range.ppf(0.95, 3, 6) * np.sqrt(1 / 3)
    assert res.at[("a", "c"), "ci_high"] - res.at[("a", "c"), "diff"] == pytest.approx(half, rel=1e-6)


def test_tukey_hsd_against_a_reference_site(people, sites):
    full = tukey_hsd(people, "score", "site", alpha=0.05, confidence=0.95)
    ref = tukey_hsd(people, "score", "site", reference="Champagne", alpha=0.05, confidence=0.95)
    assert len(ref) == 5 and (ref["group_b"] == "Champagne").all()
    assert set(ref["group_a"]) == set(sites) - {"Champagne"}
    for row in ref.itertuples():
        assert row.diff == pytest.approx(row.mean_a - row.mean_b)
        assert row.ci_low < row.diff < row.ci_high
        pair = {row.group_a, "Champagne"}
        match = full[[{a, b} == pair for a, b in zip(full.group_a, full.group_b)]].iloc[0]
        assert row.p_tukey == pytest.approx(match.p_tukey)
        assert abs(row.diff) == pytest.approx(abs(match["diff"]))
        assert row.ci_high - row.ci_low == pytest.approx(match.ci_high - match.ci_low)
    with pytest.raises(KeyError):
        tukey_hsd(people, "score", "site", reference="Normandy", alpha=0.05, confidence=0.95)
