"""Welch's ANOVA and Games-Howell against pingouin, scipy and a hand computation."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.stats import games_howell, welch_anova


def _welch_by_hand(samples):
    n = np.array([len(s) for s in samples], float)
    m = np.array([np.mean(s) for s in samples])
    v = np.array([np.var(s, ddof=1) for s in samples])
    w = n / v
    k = len(samples)
    mw = (w * m).sum() / w.sum()
    a = (w * (m - mw) ** 2).sum() / (k - 1)
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    b = 1 + 2 * (k - 2) / (k**2 - 1) * lam
    return a / b, (k**2 - 1) / (3 * lam)


def test_welch_anova_matches_pingouin_and_the_formula(people):
    row = welch_anova(people, "score", "site").iloc[0]
    clean = people.dropna(subset=["score"])
    ref = pg.welch_anova(data=clean, dv="score", between="site")
    assert row["F"] == pytest.approx(float(ref["F"].iloc[0]), rel=1e-12)
    samples = [g["score"].to_numpy() for _, g in clean.groupby("site")]
    f_value, df2 = _welch_by_hand(samples)
    assert row["F"] == pytest.approx(f_value, rel=1e-10)
    assert row["df_within"] == pytest.approx(df2, rel=1e-10)
    assert row["p"] == pytest.approx(stats.f.sf(f_value, 5, df2), rel=1e-8)


def test_welch_anova_with_a_constant_group_says_why():
    df = pd.DataFrame({"g": list("aaabbb"), "y": [1.0, 2, 3, 4, 4, 4]})
    row = welch_anova(df, "y", "g").iloc[0]
    assert np.isnan(row["F"]) and row["reason"] == "a group's scores do not vary"


def test_games_howell_matches_pingouin_and_its_intervals_the_studentized_range(people):
    res = games_howell(people, "score", "site", confidence=0.95)
    ref = pg.pairwise_gameshowell(data=people.dropna(subset=["score"]), dv="score", between="site")
    assert len(res) == 15
    np.testing.assert_allclose(res["p_gameshowell"], ref["pval"], rtol=1e-10)
    np.testing.assert_allclose(res["diff"], ref["diff"], rtol=1e-12)
    exact = stats.studentized_range.ppf(0.95, 6, res["df"].iloc[:3]) * res["se"].iloc[:3] / np.sqrt(2)
    np.testing.assert_allclose((res["ci_high"] - res["diff"]).iloc[:3], exact, rtol=2e-3)
    # An interval excludes zero exactly when the comparison is significant at 5 % (up to the quantile's rounding).
    clear = (res["p_gameshowell"] - 0.05).abs() > 0.005
    excludes = (res["ci_low"] > 0) | (res["ci_high"] < 0)
    assert (excludes[clear] == (res["p_gameshowell"] < 0.05)[clear]).all()


def test_games_howell_on_a_single_group_is_empty():
    df = pd.DataFrame({"g": list("aaab"), "y": [1.0, 2, 3, 4]})
    res = games_howell(df, "y", "g", confidence=0.95)
    assert res.empty and "ci_low" in res.columns
