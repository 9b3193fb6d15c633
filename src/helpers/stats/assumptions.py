"""Checks of the assumptions of the one-way ANOVA and the ANCOVA.

Equal variances across groups (Levene's test, or its Brown-Forsythe variant centred on the
median), equal covariate slopes in every group (the group x covariate interaction), and the
shape and spread of the model's residuals (Shapiro-Wilk, Breusch-Pagan). Each function
returns a tidy table; what cannot be estimated on the data given is NaN with a ``reason``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.diagnostic import het_breuschpagan

from .anova import quoted
from .columns import as_list
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


def _terms(between: str, covariates: Sequence[str], categorical: Sequence[str]) -> dict[str, str]:
    terms = {between: f"C({quoted(between)})"}
    for c in covariates:
        terms[c] = f"C({quoted(c)})" if c in categorical else quoted(c)
    return terms


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
    without the interaction (:func:`statsmodels.stats.anova.anova_lm`), on complete cases.

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
    terms = _terms(between, covariates, categorical)
    base = f"{quoted(dv)} ~ " + " + ".join(terms.values())
    rows = []
    for c in [c for c in covariates if c not in categorical]:
        row = {"covariate": c, "n": int(len(clean)), "df": np.nan, "df_resid": np.nan, "F": np.nan, "p": np.nan}
        reason = ""
        if clean[between].nunique() < 2:
            reason = "fewer than two groups with complete cases"
        elif clean[dv].nunique() < 2:
            reason = f"no variation of {dv}"
        elif clean.groupby(between)[c].nunique().lt(2).any():
            reason = f"{c} does not vary within every group"
        else:
            with quiet():
                reduced = smf.ols(base, data=clean).fit()
                full = smf.ols(f"{base} + {terms[between]}:{quoted(c)}", data=clean).fit()
                table = anova_lm(reduced, full)
            df_diff = float(table.loc[1, "df_diff"])
            if full.df_resid < 1 or df_diff < 1 or not np.isfinite(table.loc[1, "F"]):
                reason = "too few complete cases to estimate a slope per group"
            else:
                row.update(
                    df=int(round(df_diff)),
                    df_resid=int(round(full.df_resid)),
                    F=float(table.loc[1, "F"]),
                    p=float(table.loc[1, "Pr(>F)"]),
                )
        rows.append({**row, "reason": reason})
    return pd.DataFrame(rows, columns=["covariate", "n", "df", "df_resid", "F", "p", "reason"])


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
    multiplier test regresses the squared residuals on the model's terms
    (:func:`statsmodels.stats.diagnostic.het_breuschpagan`, studentized form of Koenker,
    1981). With hundreds of respondents both tests detect departures too small to
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
    terms = _terms(between, covariates, categorical)
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
        with quiet():
            fit = smf.ols(f"{quoted(dv)} ~ " + " + ".join(terms.values()), data=clean).fit()
        resid = np.asarray(fit.resid, float)
        if fit.df_resid < 1 or np.ptp(resid) <= 1e-12 * max(1.0, np.abs(clean[dv]).max()):
            reason = "the model leaves no residual variation"
        else:
            row["skewness"] = float(stats.skew(resid, bias=False))
            row["excess_kurtosis"] = float(stats.kurtosis(resid, bias=False)) if len(resid) > 3 else np.nan
            if len(resid) <= SHAPIRO_MAX_N:
                w = stats.shapiro(resid)
                row["shapiro_W"], row["shapiro_p"] = float(w.statistic), float(w.pvalue)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                lm, lm_p, _, _ = het_breuschpagan(resid, fit.model.exog)
            row["breusch_pagan"], row["bp_df"], row["bp_p"] = float(lm), int(fit.model.exog.shape[1] - 1), float(lm_p)
    row["reason"] = reason
    return pd.DataFrame([row])
