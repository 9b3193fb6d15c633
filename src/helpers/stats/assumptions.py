"""Checks of the assumptions of the one-way ANOVA and the ANCOVA.

Equal variances across groups (Levene's test, or its Brown-Forsythe variant centred on the
median), equal covariate slopes in every group (the group x covariate interaction), and the
shape and spread of the model's residuals (Shapiro-Wilk, Breusch-Pagan). Each function
returns a tidy table; what cannot be estimated on the data given is NaN with a ``reason``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .linear import coefficients, extra_sum_of_squares, fit_linear, is_factor, residuals, rss_of_vector
from .quiet import quiet

__all__ = ["levene_test", "residual_checks", "slopes_homogeneity", "usable_groups"]

#: Shapiro-Wilk's p value is exact up to this many observations (scipy's documented limit).
SHAPIRO_MAX_N = 5000


def usable_groups(data: pd.DataFrame, dv: str, between: str, *, min_size: int = 2) -> tuple[pd.DataFrame, str]:
    """Rows of the groups with at least ``min_size`` observations, and why a test cannot run ("" if it can).

    A test between groups needs at least two such groups and some variation of ``dv``
    within them.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aabbc"), "y": [1.0, 2, 3, 4, 5]})
    >>> rows, reason = usable_groups(df, "y", "g")
    >>> len(rows), reason
    (4, '')
    >>> usable_groups(df.assign(y=1.0), "y", "g")[1]
    'no variation of y within groups'
    """
    clean = data.loc[:, [dv, between]].dropna()
    sizes = clean.groupby(between, observed=True)[dv].transform("size")
    kept = clean[sizes >= min_size]
    if kept[between].nunique() < 2:
        enough = "data" if min_size == 1 else f"at least {min_size} observations"
        return kept, f"fewer than two groups with {enough}"
    within = kept.groupby(between, observed=True)[dv].var(ddof=1)
    if not (within > 0).any():
        return kept, f"no variation of {dv} within groups"
    return kept, ""


def levene_test(data: pd.DataFrame, dv: str, between: str, *, center: str) -> pd.DataFrame:
    """Levene's test of equal variances across groups (Brown-Forsythe with ``center="median"``).

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per participant.
    dv : str
        Outcome column.
    between : str
        Grouping column.
    center : {"median", "mean"}
        Centre of the absolute deviations (``AnalysisConfig.levene_center``).

    Returns
    -------
    DataFrame
        One row: ``n, k, center, W, df_between, df_within, p, reason``. Groups with a single
        observation are left out; ``W`` and ``p`` are NaN, with ``reason``, when fewer than
        two groups remain or nothing varies.

    Notes
    -----
    The statistic is the one-way ANOVA F of the absolute deviations
    :math:`|y_{ij} - c_j|` from each group's centre :math:`c_j`, on :math:`(k - 1, n - k)`
    degrees of freedom (Levene, 1960). Centring on the median (Brown and Forsythe, 1974)
    keeps the test's size close to nominal for skewed data such as bounded scale scores.
    Computed by :func:`scipy.stats.levene`.

    References
    ----------
    .. [1] Levene, H. (1960). Robust tests for equality of variances. In I. Olkin (Ed.),
       *Contributions to Probability and Statistics* (pp. 278-292). Stanford University Press.
    .. [2] Brown, M. B., & Forsythe, A. B. (1974). Robust tests for the equality of
       variances. *Journal of the American Statistical Association*, 69(346), 364-367.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaabbbbcccc"),
    ...                    "y": [1, 2, 3, 4, 2, 4, 6, 8, 5, 5, 6, 6]})
    >>> res = levene_test(df, "y", "g", center="median")
    >>> print(res.round(3).to_string(index=False))  # doctest: +NORMALIZE_WHITESPACE
     n  k center   W  df_between  df_within     p reason
    12  3 median 4.2           2          9 0.051
    """
    kept, reason = usable_groups(data, dv, between)
    k = int(kept[between].nunique())
    row = {"n": int(len(kept)), "k": k, "center": center, "W": np.nan, "df_between": k - 1, "df_within": len(kept) - k}
    row["p"] = np.nan
    if not reason:
        samples = [g[dv].to_numpy(float) for _, g in kept.groupby(between, observed=True)]
        with quiet():
            res = stats.levene(*samples, center=center)
        if np.isfinite(res.statistic):
            row["W"], row["p"] = float(res.statistic), float(res.pvalue)
        else:
            reason = "the absolute deviations do not vary"
    row["reason"] = reason
    return pd.DataFrame([row])


def slopes_homogeneity(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
) -> pd.DataFrame:
    """Test of equal regression slopes across groups for each numeric covariate of an ANCOVA.

    For each covariate entered as a number, the ANCOVA model is extended by the
    group x covariate interaction and the two models are compared with an F test.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping factor.
    covariates : sequence of str
        The ANCOVA's covariates.
    categorical : sequence of str
        Those entered as factors; they have no slope and are not tested.

    Returns
    -------
    DataFrame
        One row per numeric covariate: ``covariate, n, df, df_resid, F, p, reason``. NaN with
        a ``reason`` when the interaction cannot be estimated (no numeric covariate gives an
        empty table).

    Notes
    -----
    The ANCOVA assumes one common slope for each covariate in every group; the adjusted
    group differences are otherwise not constant along the covariate (Huitema, 2011,
    chapter 8). The test compares the residual sums of squares of the models with and
    without the interaction, on complete cases, as
    :func:`statsmodels.stats.anova.anova_lm` does for two nested fits: both models are
    sub-models of one fit with every tested interaction
    (:func:`helpers.stats.linear.fit_linear`, one Householder QR of ``[X y]``), and the
    drop in the residual sum of squares is read off its small :math:`R` factor. Its degrees
    of freedom are the difference of the ranks (an aliased column is left out).

    References
    ----------
    .. [1] Huitema, B. E. (2011). *The Analysis of Covariance and Alternatives* (2nd ed.).
       Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaabbbb"), "x": [1, 2, 3, 4, 1, 2, 3, 4],
    ...                    "y": [1.0, 2.1, 2.9, 4.2, 2.0, 2.1, 1.9, 2.4]})
    >>> print(slopes_homogeneity(df, "y", "g", covariates=["x"], categorical=[]).round(3).to_string(index=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    covariate  n  df  df_resid      F     p reason
            x  8   1         4 66.939 0.001
    """
    covariates, categorical = as_list(covariates), as_list(categorical)
    clean = data.loc[:, [dv, between, *covariates]].dropna()
    numeric = [c for c in covariates if c not in categorical]
    rows, reasons = [], {}
    for c in numeric:
        if clean[between].nunique() < 2:
            reasons[c] = "fewer than two groups with complete cases"
        elif clean[dv].nunique() < 2:
            reasons[c] = f"no variation of {dv}"
        elif is_factor(clean[c], False):
            reasons[c] = f"{c} is not numeric, so it enters as a factor and has no slope"
        elif clean.groupby(between)[c].nunique().lt(2).any():
            reasons[c] = f"{c} does not vary within every group"
    tested = [c for c in numeric if c not in reasons]
    if tested:
        fit = fit_linear(clean, dv, between, covariates=covariates, categorical=categorical, slopes=tested)
        interactions = slope_terms(between, tested)
        base = [j for term, columns in fit.terms.items() if term not in interactions for j in columns]
    for c in numeric:
        row = {"covariate": c, "n": int(len(clean)), "df": np.nan, "df_resid": np.nan, "F": np.nan, "p": np.nan}
        reason = reasons.get(c, "")
        if not reason:
            ss, df_diff, rss, rank = extra_sum_of_squares(fit, base, fit.terms[f"{between}:{c}"])
            df_resid = fit.n - rank
            with quiet():
                f_value = (np.float64(ss) / df_diff) / (np.float64(rss) / df_resid)
            if df_resid < 1 or df_diff < 1 or not np.isfinite(f_value):
                reason = "too few complete cases to estimate a slope per group"
            else:
                row.update(df=int(df_diff), df_resid=int(df_resid), F=float(f_value))
                row["p"] = float(stats.f.sf(f_value, df_diff, df_resid))
        rows.append({**row, "reason": reason})
    return pd.DataFrame(rows, columns=["covariate", "n", "df", "df_resid", "F", "p", "reason"])


def slope_terms(between: str, covariates: Sequence[str]) -> set[str]:
    """Names of the group x covariate terms of :func:`helpers.stats.linear.fit_linear`.

    Examples
    --------
    >>> sorted(slope_terms("site", ["age", "years"]))
    ['site:age', 'site:years']
    """
    return {f"{between}:{c}" for c in covariates}


def residual_checks(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
) -> pd.DataFrame:
    """Normality and constant spread of the residuals of an ANOVA or ANCOVA model.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping factor.
    covariates : sequence of str
        Covariates (empty for the one-way ANOVA).
    categorical : sequence of str
        Those entered as factors.

    Returns
    -------
    DataFrame
        One row: ``n, skewness, excess_kurtosis, shapiro_W, shapiro_p, breusch_pagan,
        bp_df, bp_p, reason``; NaN with a ``reason`` when fewer than two groups have
        complete cases or the model leaves no residual variation. Shapiro-Wilk is left out (NaN) above 5,000 residuals.

    Notes
    -----
    The F tests assume normal residuals of equal variance. Shapiro and Wilk's (1965) W
    tests normality (:func:`scipy.stats.shapiro`); Breusch and Pagan's (1979) Lagrange
    multiplier test regresses the squared residuals on the model's terms, in the
    studentized form of Koenker (1981): :math:`LM = n R^2` of that regression, referred to
    :math:`\\chi^2` on the model's rank minus one degrees of freedom (the values of
    :func:`statsmodels.stats.diagnostic.het_breuschpagan` for a design of full rank). The
    model is fitted once (:func:`helpers.stats.linear.fit_linear`); the residuals and the
    regression of their squares come from its Householder QR, without a second fit.
    With hundreds of respondents both tests detect departures too small to
    matter, so skewness and kurtosis are shown beside them.

    References
    ----------
    .. [1] Shapiro, S. S., & Wilk, M. B. (1965). An analysis of variance test for normality
       (complete samples). *Biometrika*, 52(3/4), 591-611.
    .. [2] Breusch, T. S., & Pagan, A. R. (1979). A simple test for heteroscedasticity and
       random coefficient variation. *Econometrica*, 47(5), 1287-1294.
    .. [3] Koenker, R. (1981). A note on studentizing a test for heteroscedasticity.
       *Journal of Econometrics*, 17(1), 107-112.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaabbbb"), "y": [1.0, 2, 3, 5, 2, 3, 4, 9]})
    >>> r = residual_checks(df, "y", "g", covariates=[], categorical=[]).iloc[0]
    >>> round(float(r["shapiro_W"]), 3), round(float(r["bp_p"]), 3)
    (0.898, 0.251)
    """
    covariates, categorical = as_list(covariates), as_list(categorical)
    clean = data.loc[:, [dv, between, *covariates]].dropna()
    row = dict.fromkeys(
        ["skewness", "excess_kurtosis", "shapiro_W", "shapiro_p", "breusch_pagan", "bp_df", "bp_p"], np.nan
    )
    row = {"n": int(len(clean)), **row}
    reason = ""
    if len(clean) < 3:
        reason = "fewer than three complete cases"
    elif clean[between].nunique() < 2:
        reason = "fewer than two groups with complete cases"
    else:
        fit = fit_linear(clean, dv, between, covariates=covariates, categorical=categorical)
        b, _, kept = coefficients(fit)
        resid = residuals(fit, b)
        df_resid = fit.n - len(kept)
        if df_resid < 1 or np.ptp(resid) <= 1e-12 * max(1.0, np.abs(clean[dv]).max()):
            reason = "the model leaves no residual variation"
        else:
            row["skewness"] = float(stats.skew(resid, bias=False))
            row["excess_kurtosis"] = float(stats.kurtosis(resid, bias=False)) if len(resid) > 3 else np.nan
            if len(resid) <= SHAPIRO_MAX_N:
                w = stats.shapiro(resid)
                row["shapiro_W"], row["shapiro_p"] = float(w.statistic), float(w.pvalue)
            squared = resid**2
            with quiet():
                rsquared = 1.0 - rss_of_vector(fit, squared, kept) / np.sum((squared - squared.mean()) ** 2)
                lm = fit.n * rsquared
            row["breusch_pagan"], row["bp_df"] = float(lm), len(kept) - 1
            row["bp_p"] = float(stats.chi2.sf(lm, len(kept) - 1))
    row["reason"] = reason
    return pd.DataFrame([row])
