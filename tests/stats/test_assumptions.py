"""Levene / Brown-Forsythe, homogeneity of slopes and residual checks against scipy, pingouin and statsmodels."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan

from helpers.stats import levene_test, residual_checks, slopes_homogeneity


def _samples(df, dv, between):
    clean = df[[dv, between]].dropna()
    return [g[dv].to_numpy() for _, g in clean.groupby(between)]


@pytest.mark.parametrize("center", ["median", "mean"])
def test_levene_matches_scipy_and_pingouin(people, center):
    row = levene_test(people, "score", "site", center=center).iloc[0]
    ref = stats.levene(*_samples(people, "score", "site"), center=center)
    assert row["W"] == pytest.approx(ref.statistic, rel=1e-12)
    assert row["p"] == pytest.approx(ref.pvalue, rel=1e-10)
    pgr = pg.homoscedasticity(people.dropna(subset=["score"]), dv="score", group="site", center=center)
    assert row["W"] == pytest.approx(float(pgr["W"].iloc[0]), rel=1e-10)
    assert (row["k"], row["df_between"], row["reason"]) == (6, 5, "")


def test_brown_forsythe_textbook_value():
    # Absolute deviations from the medians: a (2.5) -> 1.5, .5, .5, 1.5; b (5) -> 3, 1, 1, 3; c (5.5) -> .5 x 4.
    # Their one-way ANOVA: group means 1, 2, .5, grand mean 7/6; SS_b = 4.6667, SS_w = 6; F = (4.6667/2)/(6/9) = 3.5.
    df = pd.DataFrame({"g": list("aaaabbbbcccc"), "y": [1, 2, 3, 4, 2, 4, 6, 8, 5, 5, 6, 6]})
    row = levene_test(df, "y", "g", center="median").iloc[0]
    deviations = [np.abs(s - np.median(s)) for s in _samples(df, "y", "g")]
    assert row["W"] == pytest.approx(stats.f_oneway(*deviations).statistic, rel=1e-12)


def test_levene_on_degenerate_groups_returns_nan_with_a_reason():
    one_each = pd.DataFrame({"g": list("abc"), "y": [1.0, 2.0, 3.0]})
    row = levene_test(one_each, "y", "g", center="median").iloc[0]
    assert np.isnan(row["W"]) and "fewer than two groups" in row["reason"]
    constant = pd.DataFrame({"g": list("aabb"), "y": [2.0] * 4})
    assert "no variation" in levene_test(constant, "y", "g", center="median").iloc[0]["reason"]
    # A singleton group is left out, the others are tested.
    mixed = pd.DataFrame({"g": list("aaabbbc"), "y": [1.0, 2, 4, 2, 3, 7, 9]})
    row = levene_test(mixed, "y", "g", center="median").iloc[0]
    assert row["k"] == 2 and row["W"] == pytest.approx(stats.levene([1, 2, 4], [2, 3, 7], center="median").statistic)


def test_slopes_homogeneity_matches_the_nested_model_comparison(people):
    res = slopes_homogeneity(people, "score", "site", covariates=["age", "gender"], categorical=["gender"])
    assert res["covariate"].tolist() == ["age"]  # a factor has no slope
    clean = people[["score", "site", "age", "gender"]].dropna()
    reduced = smf.ols("score ~ C(site) + C(gender) + age", clean).fit()
    full = smf.ols("score ~ C(site) + C(gender) + age + C(site):age", clean).fit()
    f_value = ((reduced.ssr - full.ssr) / 5) / (full.ssr / full.df_resid)
    row = res.iloc[0]
    assert (row["df"], row["df_resid"], row["n"]) == (5, int(full.df_resid), len(clean))
    assert row["F"] == pytest.approx(f_value, rel=1e-10)
    assert row["p"] == pytest.approx(stats.f.sf(f_value, 5, full.df_resid), rel=1e-8)


def test_slopes_that_differ_are_detected_and_equal_slopes_are_not():
    rng = np.random.default_rng(11)
    x = rng.normal(size=200)
    g = np.repeat(["a", "b"], 100)
    differ = pd.DataFrame({"g": g, "x": x, "y": np.where(g == "a", 1.0, -1.0) * x + rng.normal(0, 0.5, 200)})
    same = differ.assign(y=x + rng.normal(0, 0.5, 200))
    assert slopes_homogeneity(differ, "y", "g", covariates=["x"], categorical=[]).iloc[0]["p"] < 1e-10
    assert slopes_homogeneity(same, "y", "g", covariates=["x"], categorical=[]).iloc[0]["p"] > 0.01


def test_slopes_with_a_covariate_constant_within_a_group_are_not_estimable():
    df = pd.DataFrame({"g": list("aaabbb"), "x": [1, 1, 1, 1, 2, 3], "y": [1.0, 2, 3, 4, 5, 6]})
    row = slopes_homogeneity(df, "y", "g", covariates=["x"], categorical=[]).iloc[0]
    assert np.isnan(row["F"]) and "does not vary within every group" in row["reason"]


def test_residual_checks_match_scipy_and_statsmodels(people):
    row = residual_checks(people, "score", "site", covariates=["age"], categorical=[]).iloc[0]
    clean = people[["score", "site", "age"]].dropna()
    fit = smf.ols("score ~ C(site) + age", clean).fit()
    w = stats.shapiro(fit.resid)
    lm, lm_p, _, _ = het_breuschpagan(fit.resid, fit.model.exog)
    assert row["shapiro_W"] == pytest.approx(w.statistic, rel=1e-10)
    assert row["shapiro_p"] == pytest.approx(w.pvalue, rel=1e-8)
    assert row["breusch_pagan"] == pytest.approx(lm, rel=1e-10)
    assert row["bp_p"] == pytest.approx(lm_p, rel=1e-8)
    assert row["bp_df"] == 6
    assert row["skewness"] == pytest.approx(stats.skew(fit.resid, bias=False), rel=1e-10)


def test_residual_checks_detect_unequal_spread():
    rng = np.random.default_rng(2)
    g = np.repeat(["a", "b", "c"], 100)
    y = rng.normal(0, 1, 300) * np.repeat([0.2, 1.0, 3.0], 100)
    row = residual_checks(pd.DataFrame({"g": g, "y": y}), "y", "g", covariates=[], categorical=[]).iloc[0]
    assert row["bp_p"] < 1e-6 and row["reason"] == ""


def test_residual_checks_of_a_perfect_fit_say_why():
    df = pd.DataFrame({"g": list("aabb"), "y": [1.0, 1.0, 2.0, 2.0]})
    row = residual_checks(df, "y", "g", covariates=[], categorical=[]).iloc[0]
    assert np.isnan(row["shapiro_W"]) and row["reason"] == "the model leaves no residual variation"
