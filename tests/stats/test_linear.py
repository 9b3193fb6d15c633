"""Linear models from one QR decomposition against statsmodels' OLS, anova_lm and het_breuschpagan.

Random designs with factor and numeric covariates and unbalanced groups, to 1e-10; designs of
deficient rank (a factor level confounded with a site, a covariate constant in the complete
cases) against the statsmodels fit of the same model without the aliased column.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from patsy import build_design_matrices
from scipy import stats
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.diagnostic import het_breuschpagan

from helpers.stats import adjusted_means, adjusted_pairwise, ancova, residual_checks, slopes_homogeneity
from helpers.stats.linear import coefficients, extra_sum_of_squares, fit_linear, residuals

RTOL = 1e-10
TERMS = {"site": "C(site)", "age": "age", "sex": "C(sex)", "band": "C(band)", "years": "years"}


def random_design(seed: int, n: int = 300) -> pd.DataFrame:
    """Six unbalanced sites, two numeric covariates with slopes that differ by site, two factors."""
    rng = np.random.default_rng(seed)
    site = rng.choice(list("ABCDEF"), size=n, p=[0.35, 0.25, 0.15, 0.1, 0.1, 0.05])
    age = rng.normal(45, 12, n) + 3 * (site == "B")
    years = rng.gamma(2.0, 3.0, n)
    sex = pd.array(rng.choice(["female", "male", "other"], size=n, p=[0.5, 0.45, 0.05]), dtype="string")
    band = rng.integers(1, 5, n).astype(float)  # a number entered as a factor
    slope = np.select([site == "A", site == "C"], [0.05, -0.03], 0.01)
    y = 3 + slope * age - 0.1 * years + 0.3 * (sex == "male") + 0.2 * band + rng.normal(0, 1, n) * (1 + (site == "F"))
    return pd.DataFrame({"y": y, "site": site, "age": age, "years": years, "sex": sex, "band": band})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_type_ii_table_equals_anova_lm(seed):
    df = random_design(seed)
    covs = ["age", "sex", "band", "years"]
    res = ancova(df, "y", "site", covariates=covs, categorical=["sex", "band"]).set_index("source")
    fit = smf.ols("y ~ C(site) + age + C(sex) + C(band) + years", df).fit()
    table = anova_lm(fit, typ=2)
    for source in ["site", *covs]:
        term = TERMS[source]
        assert res.at[source, "SS"] == pytest.approx(table.at[term, "sum_sq"], rel=RTOL)
        assert res.at[source, "F"] == pytest.approx(table.at[term, "F"], rel=RTOL)
        assert res.at[source, "p"] == pytest.approx(table.at[term, "PR(>F)"], rel=RTOL)
        assert res.at[source, "df"] == table.at[term, "df"]
    assert (res["df_resid"] == fit.df_resid).all() and (res["n"] == fit.nobs).all()


@pytest.mark.parametrize("seed", [1, 2])
def test_fit_equals_statsmodels_coefficients_covariance_and_residuals(seed):
    df = random_design(seed)
    fit = fit_linear(df, "y", "site", covariates=["age", "sex", "band", "years"], categorical=["sex", "band"])
    ref = smf.ols("y ~ C(site) + C(sex) + C(band) + age + years", df).fit()
    b, cov, kept = coefficients(fit)
    names = [n.replace("site[", "C(site)[").replace("sex[", "C(sex)[").replace("band[", "C(band)[") for n in fit.names]
    assert kept == list(range(fit.p)) and sorted(names) == sorted(ref.params.index)
    np.testing.assert_allclose(b, ref.params[names].to_numpy(), rtol=RTOL)
    scale = ref.ssr / ref.df_resid
    np.testing.assert_allclose(cov * scale, ref.cov_params().loc[names, names].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(residuals(fit, b), ref.resid.to_numpy(), rtol=1e-9, atol=1e-12)
    assert extra_sum_of_squares(fit, range(fit.p), [])[2] == pytest.approx(ref.ssr, rel=RTOL)


@pytest.mark.parametrize("seed", [4, 5])
def test_slopes_test_equals_the_nested_statsmodels_comparison(seed):
    df = random_design(seed)
    res = slopes_homogeneity(df, "y", "site", covariates=["age", "sex", "years"], categorical=["sex"])
    assert res["covariate"].tolist() == ["age", "years"]
    reduced = smf.ols("y ~ C(site) + age + C(sex) + years", df).fit()
    for _, row in res.iterrows():
        full = smf.ols(f"y ~ C(site) + age + C(sex) + years + C(site):{row['covariate']}", df).fit()
        table = anova_lm(reduced, full)
        assert row["F"] == pytest.approx(table.loc[1, "F"], rel=1e-9)
        assert row["p"] == pytest.approx(table.loc[1, "Pr(>F)"], rel=1e-9)
        assert (row["df"], row["df_resid"]) == (table.loc[1, "df_diff"], full.df_resid)
    assert res.set_index("covariate").at["age", "p"] < 0.01  # the slopes of age differ by site


@pytest.mark.parametrize("seed", [6, 7])
def test_residual_checks_equal_het_breuschpagan_on_a_design_with_factors(seed):
    df = random_design(seed)
    row = residual_checks(df, "y", "site", covariates=["age", "sex", "band"], categorical=["sex", "band"]).iloc[0]
    fit = smf.ols("y ~ C(site) + age + C(sex) + C(band)", df).fit()
    lm, lm_p, _, _ = het_breuschpagan(fit.resid, fit.model.exog)
    assert row["breusch_pagan"] == pytest.approx(lm, rel=RTOL)
    assert row["bp_p"] == pytest.approx(lm_p, rel=1e-9)
    assert row["bp_df"] == fit.model.exog.shape[1] - 1
    assert row["excess_kurtosis"] == pytest.approx(stats.kurtosis(fit.resid, bias=False), rel=RTOL)
    assert row["shapiro_W"] == pytest.approx(stats.shapiro(fit.resid).statistic, rel=RTOL)


@pytest.mark.parametrize("seed", [8, 9])
def test_adjusted_means_equal_the_statsmodels_contrasts(seed):
    df = random_design(seed)
    res = adjusted_means(df, "y", "site", covariates=["age", "sex"], categorical=["sex"], confidence=0.95)
    fit = smf.ols("y ~ C(site) + age + C(sex)", df).fit()
    design = fit.model.data.design_info
    weights = np.vstack(
        [np.asarray(build_design_matrices([design], df.assign(site=s))[0]).mean(axis=0) for s in res["group"]]
    )
    np.testing.assert_allclose(res["emm"], weights @ fit.params.to_numpy(), rtol=RTOL)
    se = np.sqrt(np.einsum("ij,jk,ik->i", weights, fit.cov_params().to_numpy(), weights))
    np.testing.assert_allclose(res["se"], se, rtol=1e-9)
    pairs = adjusted_pairwise(
        df, "y", "site", covariates=["age", "sex"], categorical=["sex"], adjustment="sidak", confidence=0.95
    )
    contrast = weights[0] - weights[3]
    first = pairs[(pairs["group_a"] == "A") & (pairs["group_b"] == "D")].iloc[0]
    assert first["diff"] == pytest.approx(contrast @ fit.params.to_numpy(), rel=RTOL)
    assert first["se"] == pytest.approx(np.sqrt(contrast @ fit.cov_params().to_numpy() @ contrast), rel=1e-9)


def confounded(seed: int) -> pd.DataFrame:
    """Everyone at site F, and no one else, gives the sex 'other': the level is aliased with the site."""
    df = random_design(seed)
    sex = np.where(df["site"] == "F", "other", np.where(df["sex"] == "other", "female", df["sex"]))
    return df.assign(sex=pd.array(sex, dtype="string"))


def test_a_factor_level_confounded_with_a_site_loses_a_degree_of_freedom():
    df = confounded(10)
    res = ancova(df, "y", "site", covariates=["age", "sex"], categorical=["sex"]).set_index("source")
    full = smf.ols("y ~ C(site) + age + C(sex)", df).fit()
    assert full.df_model == 7  # 5 sites + age + 2 sexes, one of them aliased: rank 8 with the intercept
    for source, formula in {"site": "y ~ age + C(sex)", "sex": "y ~ C(site) + age", "age": None}.items():
        reduced = smf.ols(formula or "y ~ C(site) + C(sex)", df).fit()
        assert res.at[source, "SS"] == pytest.approx(reduced.ssr - full.ssr, rel=1e-8)
        assert res.at[source, "df"] == full.df_model - reduced.df_model
        assert res.at[source, "df_resid"] == full.df_resid == len(df) - 8
    assert (res.at["site", "df"], res.at["sex", "df"]) == (4, 1)


def test_adjusted_means_confounded_with_a_covariate_are_not_estimable():
    df = confounded(11)
    res = adjusted_means(df, "y", "site", covariates=["age", "sex"], categorical=["sex"], confidence=0.95)
    assert res["emm"].isna().all() and res["reason"].str.startswith("not estimable").all()
    pairs = adjusted_pairwise(
        df, "y", "site", covariates=["age", "sex"], categorical=["sex"], adjustment="tukey", confidence=0.95
    )
    with_f = pairs["group_b"].eq("F")
    assert pairs.loc[with_f, "diff"].isna().all() and pairs.loc[~with_f, "diff"].notna().all()
    # An estimable contrast is the same for every solution of the normal equations (statsmodels: pinv's).
    ref = smf.ols("y ~ C(site) + age + C(sex)", df.assign(sex=df["sex"].astype(str))).fit()
    row = pairs[(pairs["group_a"] == "B") & (pairs["group_b"] == "D")].iloc[0]
    expected = ref.params["C(site)[T.B]"] - ref.params["C(site)[T.D]"]
    assert row["diff"] == pytest.approx(expected, rel=1e-9)


def test_a_covariate_constant_in_the_complete_cases_is_left_out():
    df = random_design(12).assign(years=4.0)
    res = ancova(df, "y", "site", covariates=["age", "years"], categorical=[]).set_index("source")
    ref = anova_lm(smf.ols("y ~ C(site) + age", df).fit(), typ=2)
    assert res.at["site", "F"] == pytest.approx(ref.at["C(site)", "F"], rel=RTOL)
    assert res.at["years", "df"] == 0 and np.isnan(res.at["years", "F"])
    row = residual_checks(df, "y", "site", covariates=["age", "years"], categorical=[]).iloc[0]
    fit = smf.ols("y ~ C(site) + age", df).fit()
    lm, lm_p, _, _ = het_breuschpagan(fit.resid, fit.model.exog)
    assert (row["breusch_pagan"], row["bp_df"]) == (pytest.approx(lm, rel=RTOL), 6)
    slopes = slopes_homogeneity(df, "y", "site", covariates=["age", "years"], categorical=[]).set_index("covariate")
    assert "does not vary within every group" in slopes.at["years", "reason"]


def test_too_few_rows_for_the_model_give_nan_not_an_error():
    df = random_design(13).groupby("site").head(1)  # six rows, six site coefficients and age
    res = ancova(df, "y", "site", covariates=["age"], categorical=[])
    assert res["F"].isna().all() and (res["df_resid"] == 0).all()
    row = residual_checks(df, "y", "site", covariates=["age"], categorical=[]).iloc[0]
    assert row["reason"] == "the model leaves no residual variation"
    em = adjusted_means(df, "y", "site", covariates=["age"], categorical=[], confidence=0.95)
    assert em["emm"].isna().all() and "too few complete cases" in em["reason"].iloc[0]
