"""Adjusted (estimated marginal) means and their pairwise comparisons against hand computations and pingouin."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multitest import multipletests

from helpers.stats import adjusted_means, adjusted_pairwise


def test_adjusted_means_with_one_covariate_match_the_textbook_formula(people):
    clean = people[["score", "site", "age"]].dropna()
    res = adjusted_means(people, "score", "site", covariates=["age"], categorical=[], confidence=0.95)
    # Pooled within-group slope b_w, and mean_j - b_w (xbar_j - xbar).
    centred = clean.assign(
        x=clean["age"] - clean.groupby("site")["age"].transform("mean"),
        y=clean["score"] - clean.groupby("site")["score"].transform("mean"),
    )
    b_w = (centred["x"] * centred["y"]).sum() / (centred["x"] ** 2).sum()
    by_site = clean.groupby("site").mean()
    expected = by_site["score"] - b_w * (by_site["age"] - clean["age"].mean())
    np.testing.assert_allclose(res["emm"], expected.loc[res["group"]].to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res["mean"], by_site["score"].loc[res["group"]].to_numpy(), rtol=1e-12)


def test_adjusted_means_equal_predictions_at_the_covariate_means(people):
    # With a factor covariate, the EMM is the prediction with the covariate's indicators at their proportions.
    res = adjusted_means(people, "score", "site", covariates=["age", "gender"], categorical=["gender"], confidence=0.9)
    clean = people[["score", "site", "age", "gender"]].dropna()
    fit = smf.ols("score ~ C(site) + age + C(gender)", clean).fit()
    shares = clean["gender"].value_counts(normalize=True)
    site = res["group"].iloc[2]
    by_hand = sum(
        share * fit.predict(pd.DataFrame({"site": [site], "age": [clean["age"].mean()], "gender": [g]})).iloc[0]
        for g, share in shares.items()
    )
    assert res["emm"].iloc[2] == pytest.approx(by_hand, rel=1e-10)
    t = stats.t.ppf(0.95, fit.df_resid)
    assert res["ci_high"].iloc[2] - res["emm"].iloc[2] == pytest.approx(t * res["se"].iloc[2], rel=1e-10)


def test_without_covariates_tukey_on_adjusted_means_is_tukey_kramer(people):
    res = adjusted_pairwise(people, "score", "site", covariates=[], categorical=[], adjustment="tukey", confidence=0.95)
    ref = pg.pairwise_tukey(data=people.dropna(subset=["score"]), dv="score", between="site")
    np.testing.assert_allclose(res["diff"], ref["diff"], rtol=1e-10)
    np.testing.assert_allclose(res["se"], ref["se"], rtol=1e-10)
    np.testing.assert_allclose(res["p_adjusted"], ref["p-tukey"], rtol=1e-6, atol=1e-12)


def test_sidak_adjustment_matches_statsmodels_multipletests(people):
    res = adjusted_pairwise(
        people, "score", "site", covariates=["age"], categorical=[], adjustment="sidak", confidence=0.95
    )
    p_unc = 2 * stats.t.sf(res["t"].abs(), res["df"])
    np.testing.assert_allclose(res["p_adjusted"], multipletests(p_unc, method="sidak")[1], rtol=1e-10)
    half = stats.t.ppf(0.5 + 0.95 ** (1 / 15) / 2, res["df"].iloc[0]) * res["se"]
    np.testing.assert_allclose(res["ci_high"] - res["diff"], half, rtol=1e-10)


def test_an_adjusted_difference_is_found_where_raw_means_hide_it():
    # Site b's people are older, and age lowers the score: raw means are equal, adjusted ones differ.
    rng = np.random.default_rng(4)
    age = np.r_[rng.normal(40, 5, 60), rng.normal(50, 5, 60)]
    g = np.repeat(["a", "b"], 60)
    y = 10 - 0.2 * (age - 45) + np.where(g == "b", 2.0, 0.0) + rng.normal(0, 0.5, 120)
    df = pd.DataFrame({"g": g, "age": age, "y": y})
    assert abs(df.groupby("g")["y"].mean().diff().iloc[-1]) < 0.5
    row = adjusted_pairwise(df, "y", "g", covariates=["age"], categorical=[], adjustment="tukey", confidence=0.95)
    assert row["diff"].iloc[0] == pytest.approx(-2.0, abs=0.4) and row["p_adjusted"].iloc[0] < 1e-6


def test_an_unknown_adjustment_is_refused(people):
    with pytest.raises(ValueError, match="unknown adjustment 'bonf'"):
        adjusted_pairwise(people, "score", "site", covariates=[], categorical=[], adjustment="bonf", confidence=0.95)


def test_adjusted_means_of_degenerate_data_are_nan_with_a_reason():
    one_site = pd.DataFrame({"g": ["a"] * 4, "x": [1.0, 2, 3, 4], "y": [1.0, 2, 2, 3]})
    res = adjusted_means(one_site, "y", "g", covariates=["x"], categorical=[], confidence=0.95)
    assert res["emm"].isna().all() and res["reason"].iloc[0] == "fewer than two groups with complete cases"
    flat = pd.DataFrame({"g": list("aabb"), "x": [1.0, 2, 3, 4], "y": [2.0] * 4})
    res = adjusted_means(flat, "y", "g", covariates=["x"], categorical=[], confidence=0.95)
    assert res["emm"].isna().all() and "no residual variation" in res["reason"].iloc[0]
    blank = flat.assign(x=np.nan, y=[1.0, 2, 3, 5])
    res = adjusted_means(blank, "y", "g", covariates=["x"], categorical=[], confidence=0.95)
    assert res["n"].tolist() == [0, 0] and res["group"].tolist() == ["a", "b"]
    pairs = adjusted_pairwise(blank, "y", "g", covariates=["x"], categorical=[], adjustment="tukey", confidence=0.95)
    assert pairs.empty
