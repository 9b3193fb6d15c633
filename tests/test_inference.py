"""Inference helpers checked against independent scipy / statsmodels computations."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.multicomp import pairwise_tukeyhsd
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from helpers.inference import (
    ancova,
    cohen_label,
    compare_with_reference,
    oneway_anova,
    pearson_table,
    sensitivity_analysis,
    summary_by_group,
    tukey_hsd,
)
from helpers.instruments import load_instruments
from helpers.scoring import item_matrix

SITES = ["Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"]


@pytest.fixture(scope="module")
def people():
    """Scores with a site effect, covariates (one with a space in its name) and missing values."""
    rng = np.random.default_rng(7)
    n = 240
    site = np.array(SITES)[rng.integers(0, len(SITES), n)]
    effect = pd.Series(dict(zip(SITES, [0.0, 0.3, -0.2, 0.5, 0.1, -0.4]))).loc[site].to_numpy()
    age = rng.normal(45, 12, n)
    gender = rng.choice(["female", "male", "other"], n, p=[0.5, 0.45, 0.05])
    score = 3 + effect + 0.02 * (age - 45) + 0.2 * (gender == "male") + rng.normal(0, 0.8, n)
    other = 0.5 * score + rng.normal(0, 0.7, n)
    df = pd.DataFrame({"site": site, "score": score, "other": other, "age": age, "gender": gender,
                       "years in services": rng.gamma(2, 4, n)})
    df.loc[rng.random(n) < 0.08, "score"] = np.nan
    df.loc[rng.random(n) < 0.05, "age"] = np.nan
    df.loc[rng.random(n) < 0.05, "other"] = np.nan
    return df


def _groups(df, dv, between):
    clean = df[[dv, between]].dropna()
    return [g[dv].to_numpy() for _, g in clean.groupby(between)]


# --- One-way ANOVA -----------------------------------------------------------------------

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


def test_oneway_anova_returns_plain_numeric_columns(people):
    res = oneway_anova(people, "score", "site")
    assert all(res.dtypes[c].kind == "i" for c in ("n", "k", "df_between", "df_within"))
    assert all(res.dtypes[c].kind == "f" for c in ("F", "p", "eta_squared"))


# --- ANCOVA ------------------------------------------------------------------------------

def test_ancova_site_effect_equals_nested_model_comparison(people):
    covs = ["age", "gender", "years in services"]
    res = ancova(people, "score", "site", covs, categorical=["gender"]).set_index("source")
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


def test_ancova_without_covariates_is_the_oneway_anova(people):
    res = ancova(people, "score", "site").iloc[0]
    one = oneway_anova(people, "score", "site").iloc[0]
    assert res["F"] == pytest.approx(one["F"], rel=1e-10)
    assert res["p"] == pytest.approx(one["p"], rel=1e-8)
    assert res["partial_eta_squared"] == pytest.approx(one["eta_squared"], rel=1e-10)
    assert (res["n"], res["df"], res["df_resid"]) == (one["n"], one["df_between"], one["df_within"])


def test_ancova_rejects_categorical_names_that_are_not_covariates(people):
    with pytest.raises(ValueError):
        ancova(people, "score", "site", ["age"], categorical=["gender"])


# --- Tukey HSD ---------------------------------------------------------------------------

def test_tukey_hsd_matches_statsmodels(people):
    res = tukey_hsd(people, "score", "site")
    assert list(res.columns) == ["group_a", "group_b", "mean_a", "mean_b", "diff", "se", "ci_low", "ci_high",
                                 "p_tukey", "significant"]
    clean = people[["score", "site"]].dropna()
    sm = pairwise_tukeyhsd(clean["score"], clean["site"], alpha=0.05)
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
    counts = clean["site"].value_counts()
    se = np.sqrt(aov.mse_resid * (1 / counts[res["group_a"]].to_numpy() + 1 / counts[res["group_b"]].to_numpy()))
    assert res["se"].to_numpy() == pytest.approx(se, rel=1e-10)


def test_tukey_hsd_against_a_reference_site(people):
    full = tukey_hsd(people, "score", "site")
    ref = tukey_hsd(people, "score", "site", reference="Champagne")
    assert len(ref) == 5 and (ref["group_b"] == "Champagne").all()
    assert set(ref["group_a"]) == set(SITES) - {"Champagne"}
    for row in ref.itertuples():
        assert row.diff == pytest.approx(row.mean_a - row.mean_b)
        assert row.ci_low < row.diff < row.ci_high
        pair = {row.group_a, "Champagne"}
        match = full[[{a, b} == pair for a, b in zip(full.group_a, full.group_b)]].iloc[0]
        assert row.p_tukey == pytest.approx(match.p_tukey)
        assert abs(row.diff) == pytest.approx(abs(match["diff"]))
        assert row.ci_high - row.ci_low == pytest.approx(match.ci_high - match.ci_low)
    with pytest.raises(KeyError):
        tukey_hsd(people, "score", "site", reference="Normandy")


# --- Correlations ------------------------------------------------------------------------

def test_pearson_table_matches_scipy_on_pairwise_complete_cases(people):
    res = pearson_table(people, [("score", "other"), ("score", "age")])
    assert list(res.columns) == ["x", "y", "n", "r", "ci_low", "ci_high", "p", "strength"]
    for row in res.itertuples():
        clean = people[[row.x, row.y]].dropna()
        ref = stats.pearsonr(clean[row.x], clean[row.y])
        ci = ref.confidence_interval(0.95)
        assert row.n == len(clean)
        assert row.r == pytest.approx(ref.statistic, abs=1e-12)
        assert row.p == pytest.approx(ref.pvalue, rel=1e-6)
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-9)
        assert row.strength == cohen_label(row.r)
    assert res.iloc[0]["strength"] in {"medium", "large"}


def test_spearman_option_matches_scipy(people):
    row = pearson_table(people, [("score", "other")], method="spearman").iloc[0]
    clean = people[["score", "other"]].dropna()
    assert row["r"] == pytest.approx(stats.spearmanr(clean["score"], clean["other"]).statistic, abs=1e-12)


@pytest.mark.parametrize(
    "r, label",
    [(0.0, "negligible"), (0.0999, "negligible"), (-0.0999, "negligible"), (0.10, "small"), (-0.10, "small"),
     (0.2999, "small"), (0.30, "medium"), (0.4999, "medium"), (0.50, "large"), (-0.6, "large"), (1.0, "large")],
)
def test_cohen_label_boundaries(r, label):
    assert cohen_label(r) == label


def test_cohen_label_of_nan():
    assert cohen_label(float("nan")) == "undefined"


# --- Comparison with a published reference -----------------------------------------------

def test_compare_with_reference_matches_welch_on_raw_data():
    rng = np.random.default_rng(5)
    x, y = rng.normal(33, 9, 120), rng.normal(37, 8.7, 167)
    res = compare_with_reference(x.mean(), x.std(ddof=1), x.size, y.mean(), y.std(ddof=1), y.size).iloc[0]
    ref = stats.ttest_ind(x, y, equal_var=False)
    assert res["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert res["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert res["df"] == pytest.approx(ref.df, rel=1e-10)
    assert res["diff"] == pytest.approx(x.mean() - y.mean())
    cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
    low, high = cm.tconfint_diff(alpha=0.05, usevar="unequal")
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    assert res["se"] == pytest.approx(cm.std_meandiff_separatevar, rel=1e-10)
    # Hedges' g: pooled-SD standardised difference times J = 1 - 3 / (4 (n1 + n2) - 9)
    n1, n2 = x.size, y.size
    pooled = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    g = (x.mean() - y.mean()) / pooled * (1 - 3 / (4 * (n1 + n2) - 9))
    assert res["hedges_g"] == pytest.approx(g, rel=1e-10)


def test_compare_with_reference_confidence_level():
    wide = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167, confidence=0.99).iloc[0]
    narrow = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < wide["ci_high"]
    q = stats.t.ppf(0.995, wide["df"])
    assert wide["ci_high"] - wide["ci_low"] == pytest.approx(2 * q * wide["se"])


def test_summary_by_group_matches_statsmodels_t_interval(people):
    res = summary_by_group(people, "score", "site")
    assert list(res.columns) == ["site", "n", "mean", "sd", "sem", "ci_low", "ci_high"]
    assert res["site"].tolist() == SITES
    for row in res.itertuples():
        x = people.loc[people.site == row.site, "score"].dropna().to_numpy()
        d = DescrStatsW(x)
        assert (row.n, row.mean, row.sd) == (x.size, pytest.approx(x.mean()), pytest.approx(x.std(ddof=1)))
        assert row.sem == pytest.approx(stats.sem(x))
        assert (row.ci_low, row.ci_high) == pytest.approx(d.tconfint_mean(alpha=0.05), rel=1e-10)


def test_summary_by_group_single_member_has_nan_spread():
    res = summary_by_group(pd.DataFrame({"g": ["a", "b", "b"], "y": [1.0, 2.0, 4.0]}), "y", "g").set_index("g")
    assert res.at["a", "n"] == 1 and np.isnan(res.at["a", "sd"]) and np.isnan(res.at["a", "ci_low"])
    assert res.at["b", "mean"] == 3.0


# --- Sensitivity to the missing-item threshold ----------------------------------------------

@pytest.fixture(scope="module")
def rsa_data():
    instruments = load_instruments()
    rsa = instruments["RSA"]
    rng = np.random.default_rng(99)
    n = 150
    trait = rng.normal(size=(n, 1))
    items = np.clip(np.rint(3 + trait + rng.normal(scale=0.8, size=(n, len(rsa.items)))), 1, 5)
    frame = pd.DataFrame(items, columns=list(rsa.items))
    frame = frame.mask(rng.random(frame.shape) < 0.04).mask(rng.random(frame.shape) < 0.03, 9)
    frame.insert(0, "site", np.array(SITES)[rng.integers(0, len(SITES), n)])
    return rsa, frame


def test_sensitivity_analysis_counts_and_anova(rsa_data):
    rsa, frame = rsa_data
    thresholds = (0.0, 0.2, 0.3, 0.4, 0.5)
    res = sensitivity_analysis(frame, rsa, thresholds=thresholds)
    assert {"measure", "subscale", "threshold", "n", "F", "p", "eta_squared"} <= set(res.columns)
    assert len(res) == len(rsa.scales) * len(thresholds)
    items = item_matrix(frame, rsa)
    for scale, rows in res.groupby("subscale"):
        rows = rows.sort_values("threshold")
        assert rows["n"].is_monotonic_increasing
        complete = int(items[list(rsa.scales[scale])].notna().all(axis=1).sum())
        assert rows.iloc[0]["n"] == complete
    # Threshold 0 is the one-way ANOVA of complete-case scale means, computed here directly.
    members = list(rsa.scales["Choice"])
    complete = items[members].dropna()
    means = complete.mean(axis=1)
    groups = [means[frame.loc[complete.index, "site"] == s] for s in SITES]
    ref = stats.f_oneway(*groups)
    row = res[(res.subscale == "Choice") & (res.threshold == 0.0)].iloc[0]
    assert row["F"] == pytest.approx(ref.statistic, rel=1e-10)
    assert row["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert res["n"].iloc[-1] > res["n"].iloc[len(rsa.scales) - 1]  # Total gains cases at 0.5
