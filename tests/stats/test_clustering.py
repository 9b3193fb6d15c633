"""Intraclass correlations and random-intercept models against pingouin, statsmodels and known structures."""

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLMParams

from helpers.stats import clustered_site_test, icc_oneway, site_variance_test


def test_icc_of_equal_clusters_is_pingouins_icc1():
    rng = np.random.default_rng(8)
    clusters = np.repeat([f"c{i}" for i in range(10)], 5)
    y = np.repeat(rng.normal(0, 1, 10), 5) + rng.normal(0, 1, 50)
    df = pd.DataFrame({"cluster": clusters, "member": np.tile(range(5), 10), "y": y})
    row = icc_oneway(df, "y", "cluster", confidence=0.95).iloc[0]
    ref = pg.intraclass_corr(data=df, targets="cluster", raters="member", ratings="y").set_index("Type")
    assert row["icc"] == pytest.approx(ref.loc["ICC1", "ICC"], rel=1e-10)
    assert [round(row["ci_low"], 2), round(row["ci_high"], 2)] == list(ref.loc["ICC1", "CI95%"])
    assert row["n0"] == pytest.approx(5.0)


def test_icc_with_unequal_clusters_uses_the_effective_size():
    # Sizes 2, 3, 5 (N = 10): n0 = (10 - 38/10) / 2 = 3.1.
    df = pd.DataFrame({"c": list("aabbbccccc"), "y": [1.0, 2, 2, 3, 4, 5, 6, 6, 7, 8]})
    row = icc_oneway(df, "y", "c", confidence=0.95).iloc[0]
    y, means = df["y"], df.groupby("c")["y"].transform("mean")
    ms_w = ((y - means) ** 2).sum() / 7
    ms_b = ((means - y.mean()) ** 2).sum() / 2
    assert row["n0"] == pytest.approx(3.1)
    assert row["icc"] == pytest.approx((ms_b - ms_w) / (ms_b + 2.1 * ms_w), rel=1e-12)
    assert row["p"] == pytest.approx(stats.f.sf(ms_b / ms_w, 2, 7), rel=1e-10)


def test_icc_of_singleton_clusters_says_why():
    row = icc_oneway(pd.DataFrame({"c": list("abc"), "y": [1.0, 2, 3]}), "y", "c", confidence=0.95).iloc[0]
    assert np.isnan(row["icc"]) and row["reason"]


def _sites(seed, site_sd):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"site": np.repeat(list("abcdefgh"), 40)})
    df["y"] = df["site"].map(dict(zip("abcdefgh", rng.normal(0, site_sd, 8)))) + rng.normal(0, 1, 320)
    return df


def test_site_variance_test_is_the_likelihood_ratio_against_ols():
    df = _sites(1, 0.7)
    row = site_variance_test(df, "y", "site").iloc[0]
    fit = smf.mixedlm("y ~ 1", df, groups=df["site"]).fit(reml=False, method=["powell", "lbfgs"])
    lr = 2 * (fit.llf - smf.ols("y ~ 1", df).fit().llf)
    assert row["lr"] == pytest.approx(lr, rel=1e-4)
    assert row["p"] == pytest.approx(0.5 * stats.chi2.sf(lr, 1), rel=1e-3)
    assert row["status"] == "" and row["var_site"] > 0.1


def test_site_variance_at_zero_is_reported_as_singular_without_a_warning():
    # filterwarnings = error: any warning leaking from statsmodels would fail this test.
    df = _sites(2, 0.0)
    df["y"] = df["y"] - df.groupby("site")["y"].transform("mean") + df["y"].mean()  # identical site means
    row = site_variance_test(df, "y", "site").iloc[0]
    assert row["status"].startswith("singular fit")
    assert row["p"] == pytest.approx(0.5, abs=1e-3)


def test_clustered_site_test_with_team_and_coordinator_levels():
    rng = np.random.default_rng(5)
    n = 600
    df = pd.DataFrame({"site": np.repeat(list("abcdef"), 100)})
    df["team"] = df["site"] + "-" + pd.Series(rng.integers(0, 4, n)).astype(str)
    df["cc"] = df["team"] + "-" + pd.Series(rng.integers(0, 5, n)).astype(str)
    team = {t: rng.normal(0, 0.5) for t in df["team"].unique()}
    coordinator = {c: rng.normal(0, 0.5) for c in df["cc"].unique()}
    df["y"] = df["team"].map(team) + df["cc"].map(coordinator) + rng.normal(size=n)
    row = clustered_site_test(df, "y", "site", clusters=["team", "cc"]).iloc[0]
    assert row["status"] == "" and row["df"] == 5 and row["levels"] == "team, cc"
    assert 0.05 < row["var_team"] < 0.6 and 0.05 < row["var_cc"] < 0.6
    # Ignoring the clusters, the ANOVA is far more confident of a site effect than the mixed model.
    assert row["p"] > pg.anova(data=df, dv="y", between="site")["p-unc"].iloc[0]
    fit = smf.mixedlm("y ~ C(site)", df, groups=df["team"], re_formula="1", vc_formula={"cc": "0 + C(cc)"}).fit(
        reml=True, method=["powell", "lbfgs"]
    )
    names = [p for p in fit.fe_params.index if p.startswith("C(site)")]
    wald = fit.fe_params[names] @ np.linalg.solve(fit.cov_params().loc[names, names], fit.fe_params[names])
    assert row["chi2"] == pytest.approx(wald, rel=1e-4)


def test_clustered_site_test_without_levels_or_with_too_few_clusters_says_why():
    df = _sites(3, 0.5).assign(team=lambda d: d["site"])
    assert clustered_site_test(df, "y", "site", clusters=[]).iloc[0]["status"] == "no cluster level below the site"
    few = df[df["site"].isin(["a", "b"])]
    assert (
        "fewer than three team clusters" in clustered_site_test(few, "y", "site", clusters=["team"]).iloc[0]["status"]
    )


def _unbalanced_sites(seed, site_sd, n):
    rng = np.random.default_rng(seed)
    site = rng.choice(list("abcdefg"), size=n, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.06, 0.04])
    effects = dict(zip("abcdefg", rng.normal(0, site_sd, 7)))
    return pd.DataFrame({"site": site, "y": pd.Series(site).map(effects).to_numpy() + rng.gamma(2.0, 1.5, n)})


@pytest.mark.parametrize(("seed", "site_sd"), [(11, 0.3), (12, 0.1), (13, 1.5)])
def test_site_variance_test_is_the_maximum_of_statsmodels_likelihood(seed, site_sd):
    # The likelihood is maximised from per-site sums: MixedLM's own log-likelihood at those
    # estimates is the one reported, and no higher than MixedLM's fit finds.
    df = _unbalanced_sites(seed, site_sd, 3000)
    row = site_variance_test(df, "y", "site").iloc[0]
    model = smf.mixedlm("y ~ 1", df, groups=df["site"])
    with warnings.catch_warnings():  # MixedLM's optimisers warn on their way; the fit is checked below
        warnings.simplefilter("ignore")
        fit = model.fit(reml=False, method=["powell", "lbfgs"])
    assert fit.converged
    ols = smf.ols("y ~ 1", df).fit()
    gamma = row["var_site"] / row["var_residual"]
    at_ours = model.loglike(MixedLMParams.from_components(fe_params=np.zeros(1), cov_re=np.array([[gamma]])))
    assert row["lr"] == pytest.approx(2 * (at_ours - ols.llf), rel=1e-9)
    assert at_ours >= fit.llf - 1e-9 * abs(fit.llf)
    # Seven sites pin the site variance loosely (a flat likelihood): MixedLM's optimiser stops within 1 %.
    assert row["var_site"] == pytest.approx(float(fit.cov_re.iloc[0, 0]), rel=1e-2)
    assert row["var_residual"] == pytest.approx(fit.scale, rel=1e-5)
    assert row["lr"] == pytest.approx(2 * (fit.llf - ols.llf), rel=1e-6)
    assert row["status"] == "" and row["p"] == pytest.approx(0.5 * stats.chi2.sf(row["lr"], 1), rel=1e-12)


def test_unbalanced_site_variance_at_zero_is_singular():
    df = _unbalanced_sites(14, 0.0, 3000)
    df["y"] = df["y"] - df.groupby("site")["y"].transform("mean") + 3.0  # identical site means
    row = site_variance_test(df, "y", "site").iloc[0]
    assert row["var_site"] == 0 and row["lr"] == 0 and row["p"] == 0.5
    assert row["status"].startswith("singular fit")
