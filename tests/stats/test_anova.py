"""One-way ANOVA and Type II ANCOVA against scipy, statsmodels and pingouin."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm

from helpers.stats import ancova, oneway_anova


def _groups(df, dv, between):
    clean = df[[dv, between]].dropna()
    return [g[dv].to_numpy() for _, g in clean.groupby(between)]


def test_oneway_anova_matches_scipy_f_oneway(people):
    res = oneway_anova(people, "score", "site")
    assert list(res.columns) == ["n", "k", "df_between", "df_within", "F", "p", "eta_squared"]
    row = res.iloc[0]
    groups = _groups(people, "score", "site")
    ref = stats.f_oneway(*groups)
    n = sum(len(g) for g in groups)
    assert (row["n"], row["k"], row["df_between"], row["df_within"]) == (n, 6, 5, n - 6)
    assert row["F"] == pytest.approx(ref.statistic, rel=1e-10)
    assert row["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    values = np.concatenate(groups)
    ss_between = sum(len(g) * (g.mean() - values.mean()) ** 2 for g in groups)
    assert row["eta_squared"] == pytest.approx(ss_between / ((values - values.mean()) ** 2).sum(), rel=1e-10)


def test_oneway_anova_textbook_example():
    # Three groups of three: means 2, 3, 6; SS_between = 26, SS_within = 6, F = 13 on (2, 6).
    df = pd.DataFrame({"g": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    row = oneway_anova(df, "y", "g").iloc[0]
    assert row["F"] == pytest.approx(13.0, rel=1e-12)
    assert row["p"] == pytest.approx(stats.f.sf(13.0, 2, 6), rel=1e-10)
    assert row["eta_squared"] == pytest.approx(26 / 32, rel=1e-12)


def test_oneway_anova_returns_plain_numeric_columns(people):
    res = oneway_anova(people, "score", "site")
    assert all(res.dtypes[c].kind == "i" for c in ("n", "k", "df_between", "df_within"))
    assert all(res.dtypes[c].kind == "f" for c in ("F", "p", "eta_squared"))


def test_ancova_site_effect_equals_nested_model_comparison(people):
    covs = ["age", "gender", "years in services"]
    res = ancova(people, "score", "site", covariates=covs, categorical=["gender"]).set_index("source")
    assert list(res.index) == ["site", *covs]
    clean = people[["score", "site", *covs]].dropna()
    data = clean.rename(columns={"years in services": "years"})
    full = smf.ols("score ~ C(site) + age + C(gender) + years", data=data).fit()
    checks = {
        "site": "score ~ age + C(gender) + years",
        "age": "score ~ C(site) + C(gender) + years",
        "gender": "score ~ C(site) + age + years",
        "years in services": "score ~ C(site) + age + C(gender)",
    }
    for source, formula in checks.items():
        restricted = smf.ols(formula, data=data).fit()
        f, p, df_diff = full.compare_f_test(restricted)
        assert res.at[source, "F"] == pytest.approx(f, rel=1e-8)
        assert res.at[source, "p"] == pytest.approx(p, rel=1e-6)
        assert res.at[source, "df"] == df_diff
        ss = restricted.ssr - full.ssr
        assert res.at[source, "SS"] == pytest.approx(ss, rel=1e-8)
        assert res.at[source, "partial_eta_squared"] == pytest.approx(ss / (ss + full.ssr), rel=1e-8)
    assert (res["n"] == len(clean)).all() and (res["df_resid"] == full.df_resid).all()
    assert res.at["gender", "df"] == 2 and res.at["site", "df"] == 5


def test_ancova_matches_statsmodels_type_ii_table(people):
    covs = ["age", "gender"]
    res = ancova(people, "score", "site", covariates=covs, categorical=["gender"]).set_index("source")
    clean = people[["score", "site", *covs]].dropna()
    table = anova_lm(smf.ols("score ~ C(site) + age + C(gender)", data=clean).fit(), typ=2)
    for source, term in {"site": "C(site)", "age": "age", "gender": "C(gender)"}.items():
        assert res.at[source, "SS"] == pytest.approx(table.at[term, "sum_sq"], rel=1e-10)
        assert res.at[source, "F"] == pytest.approx(table.at[term, "F"], rel=1e-10)
        assert res.at[source, "p"] == pytest.approx(table.at[term, "PR(>F)"], rel=1e-10)


def test_ancova_matches_pingouin_with_numeric_covariates(people):
    data = people.rename(columns={"years in services": "years"})
    res = ancova(data, "score", "site", covariates=["age", "years"], categorical=[]).set_index("source")
    ref = pg.ancova(
        data=data[["score", "site", "age", "years"]].dropna(), dv="score", between="site", covar=["age", "years"]
    ).set_index("Source")
    for source in ("site", "age", "years"):
        assert res.at[source, "F"] == pytest.approx(ref.at[source, "F"], rel=1e-10)
        assert res.at[source, "p"] == pytest.approx(ref.at[source, "p-unc"], rel=1e-8)
        assert res.at[source, "partial_eta_squared"] == pytest.approx(ref.at[source, "np2"], rel=1e-8)


def test_a_numeric_covariate_typed_categorical_enters_as_a_factor(people):
    data = people.assign(band=(people["age"] // 15).astype("float"))
    as_number = ancova(data, "score", "site", covariates=["band"], categorical=[]).set_index("source")
    as_factor = ancova(data, "score", "site", covariates=["band"], categorical=["band"]).set_index("source")
    levels = data[["score", "site", "band"]].dropna()["band"].nunique()
    assert as_number.at["band", "df"] == 1
    assert as_factor.at["band", "df"] == levels - 1 > 1


def test_ancova_without_covariates_is_the_oneway_anova(people):
    res = ancova(people, "score", "site", covariates=[], categorical=[]).iloc[0]
    one = oneway_anova(people, "score", "site").iloc[0]
    assert res["F"] == pytest.approx(one["F"], rel=1e-10)
    assert res["p"] == pytest.approx(one["p"], rel=1e-8)
    assert res["partial_eta_squared"] == pytest.approx(one["eta_squared"], rel=1e-10)
    assert (res["n"], res["df"], res["df_resid"]) == (one["n"], one["df_between"], one["df_within"])


def test_ancova_rejects_categorical_names_that_are_not_covariates(people):
    with pytest.raises(ValueError, match="gender"):
        ancova(people, "score", "site", covariates=["age"], categorical=["gender"])
