"""Clustering of respondents: intraclass correlations and random-intercept (multilevel) models.

Respondents of one site, team or care coordinator resemble each other more than
respondents of different ones. The intraclass correlation measures how much; the mixed
models of statsmodels test the site effect with that resemblance allowed for. A model
that does not converge or whose variance estimate lies on the boundary (zero) is
reported in a ``status`` column in plain words; the warnings statsmodels raises while fitting
are caught here and never reach the output.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import optimize, stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from .anova import quoted
from .assumptions import usable_groups
from .columns import as_list

__all__ = ["clustered_site_test", "icc_oneway", "site_variance_test"]

#: Optimisers tried in turn: Powell's derivative-free method copes with a variance at the
#: boundary (zero), where the gradient methods of statsmodels' default often stop early.
FIT_METHODS = ["powell", "lbfgs"]
#: Points of the grid that brackets the maximum of the grouped profile likelihood.
_GRID = 400
#: A variance component below this share of the residual variance counts as zero (singular fit).
SINGULAR_SHARE = 1e-6


def icc_oneway(data: pd.DataFrame, dv: str, cluster: str, *, confidence: float) -> pd.DataFrame:
    """Intraclass correlation ICC(1) of ``dv`` within clusters, from the one-way random-effects ANOVA.

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per respondent.
    dv : str
        Outcome column.
    cluster : str
        Cluster column (site, team, care coordinator).
    confidence : float
        Level of the interval.

    Returns
    -------
    DataFrame
        One row: ``level, n, clusters, n0, F, p, icc, ci_low, ci_high, reason``. NaN with a
        ``reason`` when fewer than two clusters or no within-cluster variation. A negative
        estimate (less resemblance within clusters than between) is kept as computed.

    Notes
    -----
    With mean squares :math:`MS_b, MS_w` of the one-way ANOVA over k clusters and N
    respondents, :math:`ICC(1) = (MS_b - MS_w) / (MS_b + (n_0 - 1) MS_w)` where
    :math:`n_0 = (N - \\sum n_i^2 / N) / (k - 1)` is the effective cluster size for
    unequal sizes (Donner, 1986). The interval is the F-based one of Shrout and Fleiss
    (1979) with :math:`n_0` in place of the common size; for equal sizes both reduce to
    the ICC1 of :func:`pingouin.intraclass_corr`. The design effect of a cluster sample is
    :math:`1 + (n_0 - 1) ICC`.

    References
    ----------
    .. [1] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
       rater reliability. *Psychological Bulletin*, 86(2), 420-428.
    .. [2] Donner, A. (1986). A review of inference procedures for the intraclass
       correlation coefficient in the one-way random effects model. *International
       Statistical Review*, 54(1), 67-82.

    Examples
    --------
    >>> df = pd.DataFrame({"c": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> r = icc_oneway(df, "y", "c", confidence=0.95).iloc[0]
    >>> round(float(r["icc"]), 3), round(float(r["n0"]), 1)
    (0.8, 3.0)
    """
    kept, reason = usable_groups(data, dv, cluster, min_size=1)
    n, k = int(len(kept)), int(kept[cluster].nunique())
    row = {"level": cluster, "n": n, "clusters": k, "n0": np.nan, "F": np.nan, "p": np.nan}
    row.update(icc=np.nan, ci_low=np.nan, ci_high=np.nan)
    if not reason and n - k < 1:
        reason = "no cluster has two respondents"
    if not reason:
        sizes = kept.groupby(cluster, observed=True)[dv].size().to_numpy(float)
        y = kept[dv].to_numpy(float)
        means = kept.groupby(cluster, observed=True)[dv].transform("mean").to_numpy(float)
        ms_w = float(((y - means) ** 2).sum()) / (n - k)
        ms_b = float(((means - y.mean()) ** 2).sum()) / (k - 1)
        n0 = (n - (sizes**2).sum() / n) / (k - 1)
        f_value = ms_b / ms_w
        f_low = f_value / stats.f.ppf(0.5 + confidence / 2, k - 1, n - k)
        f_high = f_value * stats.f.ppf(0.5 + confidence / 2, n - k, k - 1)
        row.update(
            n0=n0,
            F=f_value,
            p=float(stats.f.sf(f_value, k - 1, n - k)),
            icc=(ms_b - ms_w) / (ms_b + (n0 - 1) * ms_w),
            ci_low=(f_low - 1) / (f_low + n0 - 1),
            ci_high=(f_high - 1) / (f_high + n0 - 1),
        )
    return pd.DataFrame([{**row, "reason": reason}])


def _fit_quietly(model, **kwargs):
    """Fit ``model`` with every warning caught; return the fit (or None) and a plain statement of failure.

    statsmodels warns (``ConvergenceWarning``, ``UserWarning``) while it tries optimisers and
    whenever a variance lies near zero; the fit's own ``converged`` flag and a finite
    log-likelihood decide here, and a zero variance is judged by the callers.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fit = model.fit(**kwargs)
        except (np.linalg.LinAlgError, ValueError) as error:
            return None, f"the model cannot be fitted ({error})"
    if not getattr(fit, "converged", False) or not np.isfinite(fit.llf) or not np.all(np.isfinite(fit.fe_params)):
        return None, "the model did not converge"
    return fit, ""


def _variances(fit) -> dict[str, float]:
    """Every random-intercept variance of a MixedLM fit, by level, and the residual variance."""
    out = {"group": float(np.asarray(fit.cov_re)[0, 0]) if np.size(fit.cov_re) else 0.0}
    names = getattr(fit.model, "exog_vc", None)
    if names is not None and len(fit.vcomp):
        out.update({str(name): float(v) for name, v in zip(fit.model.exog_vc.names, fit.vcomp)})
    out["residual"] = float(fit.scale)
    return out


def _profile_deviance(gamma: float, n: np.ndarray, means: np.ndarray, within: float) -> tuple[float, float]:
    """Minus twice the profile log-likelihood (without its constants) of ``dv ~ 1 + (1 | site)`` at the
    variance ratio ``gamma`` (site over residual), and the residual variance that maximises it there."""
    weights = n / (1.0 + n * gamma)
    mu = float((weights * means).sum() / weights.sum())
    residual = (within + float((weights * (means - mu) ** 2).sum())) / n.sum()
    return float(n.sum() * np.log(residual) + np.log1p(n * gamma).sum()), residual


def _profile_deviance_only(gamma: float, n: np.ndarray, means: np.ndarray, within: float) -> float:
    return _profile_deviance(gamma, n, means, within)[0]


def _grouped_site_fit(y: np.ndarray, codes: np.ndarray) -> tuple[float, float, float]:
    """ML fit of ``y ~ 1 + (1 | site)`` from per-site sums: site variance, residual variance, log-likelihood.

    The residual variance and the mean are profiled out in closed form; the variance ratio is found
    on a grid from 0 to a bound beyond any plausible value, then refined by bounded Brent search.
    """
    n = np.bincount(codes).astype(float)
    means = np.bincount(codes, weights=y) / n
    within = float(((y - means[codes]) ** 2).sum())
    total = float(n.sum())
    spread = float(np.var(means)) if len(means) > 1 else 0.0
    upper = max(10.0 * spread * total / within, 1e-8)
    grid = np.concatenate([[0.0], np.geomspace(upper * 1e-12, upper, _GRID)])
    deviance = [_profile_deviance(g, n, means, within)[0] for g in grid]
    best = int(np.argmin(deviance))
    gamma = 0.0
    if best > 0:
        low, high = grid[best - 1], grid[min(best + 1, len(grid) - 1)]
        found = optimize.minimize_scalar(
            _profile_deviance_only,
            bounds=(low, high),
            args=(n, means, within),
            method="bounded",
            options={"xatol": high * 1e-13},
        )
        gamma = float(found.x) if found.fun < deviance[best] else float(grid[best])
    value, residual = _profile_deviance(gamma, n, means, within)
    llf = -0.5 * (value + total * (np.log(2 * np.pi) + 1.0))
    return gamma * residual, residual, llf


def site_variance_test(data: pd.DataFrame, dv: str, site: str) -> pd.DataFrame:
    """Random-intercept model of ``dv`` with sites as a random sample: variance between sites and its test.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    site : str
        Site column.

    Returns
    -------
    DataFrame
        One row: ``n, sites, var_site, var_residual, icc, lr, p, status``; ``status`` is
        empty for a regular fit and otherwise says in words why the estimates are not to be
        read (not converged, singular, not estimable).

    Notes
    -----
    ``dv ~ 1 + (1 | site)`` fitted by maximum likelihood, from the sites' sizes :math:`n_i`, means
    :math:`\\bar y_i` and the within-site sum of squares :math:`W` alone (one pass over the rows): with
    :math:`\\gamma = \\sigma^2_{site} / \\sigma^2`, weights :math:`w_i = n_i / (1 + n_i \\gamma)` and
    the weighted mean :math:`\\hat\\mu`, the residual variance is
    :math:`\\hat\\sigma^2 = (W + \\sum w_i (\\bar y_i - \\hat\\mu)^2) / N` and
    :math:`-2 \\log L = N \\log(2 \\pi \\hat\\sigma^2) + \\sum \\log(1 + n_i \\gamma) + N`, minimised
    over :math:`\\gamma \\ge 0` (a grid, then Brent's bounded search) (Searle, Casella and McCulloch,
    1992, chapter 3). This is the likelihood :class:`statsmodels.regression.mixed_linear_model.MixedLM`
    maximises, at its exact maximum; MixedLM's general optimiser stops within about 1e-4 of it
    (relative, on the variances), and passes over every row at each step.
    The likelihood-ratio statistic against the model without
    the site intercept is referred to the 50:50 mixture of :math:`\\chi^2_0` and
    :math:`\\chi^2_1`, because the variance is tested at the boundary of its range (Self
    and Liang, 1987). This treats the sites as drawn from a population of sites, the
    multilevel reading of the one-way ANOVA; with few sites its variance is imprecise.

    References
    ----------
    .. [1] Searle, S. R., Casella, G., & McCulloch, C. E. (1992). *Variance Components*. Wiley.
    .. [2] Self, S. G., & Liang, K.-Y. (1987). Asymptotic properties of maximum likelihood
       estimators and likelihood ratio tests under nonstandard conditions. *Journal of the
       American Statistical Association*, 82(398), 605-610.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"s": np.repeat(list("abcdef"), 30)})
    >>> df["y"] = df["s"].map(dict(zip("abcdef", [0, 1, 2, 0, 1, 2]))) + rng.normal(size=180)
    >>> r = site_variance_test(df, "y", "s").iloc[0]
    >>> r["status"], bool(r["p"] < 0.001), bool(0.3 < r["icc"] < 0.6)
    ('', True, True)
    """
    kept, reason = usable_groups(data, dv, site)
    row = {"n": int(len(kept)), "sites": int(kept[site].nunique()), "var_site": np.nan, "var_residual": np.nan}
    row.update(icc=np.nan, lr=np.nan, p=np.nan)
    if not reason:
        codes = pd.factorize(kept[site])[0]
        y_values = kept[dv].to_numpy(float)
        var_site, var_residual, llf = _grouped_site_fit(y_values, codes)  # W > 0 (usable_groups)
        ols_llf = -0.5 * len(y_values) * (np.log(2 * np.pi * np.var(y_values)) + 1.0)
        lr = max(0.0, 2 * (llf - ols_llf)) if var_site > 0 else 0.0  # at 0 the two models are one
        row.update(var_site=var_site, var_residual=var_residual, lr=lr, p=0.5 * stats.chi2.sf(lr, 1))
        row["icc"] = var_site / (var_site + var_residual)
        if var_site < SINGULAR_SHARE * var_residual:
            reason = "singular fit: the variance between sites is estimated at zero"
    return pd.DataFrame([{**row, "status": reason}])


def clustered_site_test(data: pd.DataFrame, dv: str, between: str, *, clusters: Sequence[str]) -> pd.DataFrame:
    """Site effect tested in a mixed model with random intercepts for the clusters within sites.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Site column (a fixed effect).
    clusters : sequence of str
        Cluster columns present in ``data``, outer first (e.g. ``["team",
        "care_coordinator_id"]``); each gets a random intercept, the first as the grouping
        of the model and the others as variance components nested in it.

    Returns
    -------
    DataFrame
        One row: ``n, levels, chi2, df, p, var_<level> ..., var_residual, status``; the Wald
        test of the site coefficients. ``status`` is empty for a regular fit and otherwise
        says why its numbers are not to be read.

    Notes
    -----
    ``dv ~ C(site) + (1 | cluster_1) + (1 | cluster_2) ...`` fitted by REML with statsmodels'
    MixedLM (variance components for the inner levels). The site effect is the Wald
    :math:`\\chi^2 = \\hat b^T V^{-1} \\hat b` on the k - 1 site coefficients. Respondents who
    share a team or coordinator are not independent, so the ANOVA's F test overstates the
    evidence when the clusters' variance is not zero (Snijders and Bosker, 2012, ch. 2).

    References
    ----------
    .. [1] Snijders, T. A. B., & Bosker, R. J. (2012). *Multilevel Analysis* (2nd ed.). Sage.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"s": np.repeat(list("ab"), 60), "t": np.repeat([f"t{i}" for i in range(12)], 10)})
    >>> df["y"] = (df["s"] == "b") * 1.0 + df["t"].map({f"t{i}": rng.normal() for i in range(12)})
    >>> df["y"] += rng.normal(size=120)
    >>> r = clustered_site_test(df, "y", "s", clusters=["t"]).iloc[0]
    >>> r["status"], int(r["df"]), bool(r["var_t"] > 0)
    ('', 1, True)
    """
    clusters = as_list(clusters)
    clean = data.loc[:, [dv, between, *clusters]].dropna()
    row = {"n": int(len(clean)), "levels": ", ".join(clusters), "chi2": np.nan, "df": np.nan, "p": np.nan}
    row.update({f"var_{c}": np.nan for c in clusters})
    row["var_residual"] = np.nan
    _, reason = usable_groups(clean, dv, between)
    if not clusters:
        reason = "no cluster level below the site"
    elif not reason and clean[clusters[0]].nunique() < 3:
        reason = f"fewer than three {clusters[0]} clusters"
    if not reason:
        vc = {c: f"0 + C({quoted(c)})" for c in clusters[1:]}
        model = smf.mixedlm(
            f"{quoted(dv)} ~ C({quoted(between)})",
            clean,
            groups=clean[clusters[0]],
            re_formula="1",
            vc_formula=vc or None,
        )
        fit, reason = _fit_quietly(model, reml=True, method=FIT_METHODS)
        if fit is not None:
            names = [n for n in fit.fe_params.index if n.startswith(f"C({quoted(between)})")]
            b = fit.fe_params[names].to_numpy()
            v = fit.cov_params().loc[names, names].to_numpy()
            try:
                chi2 = float(b @ np.linalg.solve(v, b))
            except np.linalg.LinAlgError:
                chi2, reason = np.nan, "the covariance of the site coefficients is singular"
            row.update(chi2=chi2, df=len(names), p=float(stats.chi2.sf(chi2, len(names))))
            var = _variances(fit)
            row[f"var_{clusters[0]}"] = var["group"]
            for c in clusters[1:]:
                row[f"var_{c}"] = var.get(c, np.nan)
            row["var_residual"] = var["residual"]
            small = [c for c in clusters if row[f"var_{c}"] < SINGULAR_SHARE * var["residual"]]
            if not reason and small:
                reason = f"singular fit: the variance between {', '.join(small)} is estimated at zero"
    return pd.DataFrame([{**row, "status": reason}])
