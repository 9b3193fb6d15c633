"""Adjusted (estimated marginal) group means of an ANCOVA and their pairwise comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .linear import LinearFit, coefficients, estimable, extra_sum_of_squares, fit_linear
from .quiet import quiet

__all__ = ["adjusted_means", "adjusted_pairwise"]

EMM_PAIR_COLUMNS = ["group_a", "group_b", "emm_a", "emm_b", "diff", "se", "df", "t", "p_adjusted", "ci_low", "ci_high"]


NOT_ESTIMABLE = "not estimable: a covariate is confounded with the groups in the complete cases"


@dataclass(frozen=True)
class Adjusted:
    """What the adjusted means and their contrasts need from one ANCOVA fit."""

    levels: list
    weights: np.ndarray
    params: np.ndarray
    cov: np.ndarray
    df: float
    fit: LinearFit
    kept: list


def _fit(data, dv, between, covariates, categorical) -> tuple[pd.DataFrame, Adjusted | None, str]:
    """Complete cases, the fitted ANCOVA (None when it cannot be estimated) and why not ("" when it can)."""
    covariates, categorical = as_list(covariates), as_list(categorical)
    clean = data.loc[:, [dv, between, *covariates]].dropna()
    if clean[between].nunique() < 2:
        return clean, None, "fewer than two groups with complete cases"
    fit = fit_linear(clean, dv, between, covariates=covariates, categorical=categorical)
    params, unscaled, kept = coefficients(fit)
    rss = extra_sum_of_squares(fit, kept, [])[2]
    df = fit.n - len(kept)
    tiny = 1e-20 * max(1.0, float((clean[dv] ** 2).sum()))
    if df < 1 or not np.isfinite(rss) or rss <= tiny:
        return clean, None, "too few complete cases, or no residual variation, for the model's terms"
    levels, weights = _weights(clean, fit, between)
    return clean, Adjusted(levels, weights, params, unscaled * (rss / df), float(df), fit, kept), ""


def _weights(clean: pd.DataFrame, fit: LinearFit, between: str) -> tuple[list, np.ndarray]:
    """Each group's row of contrast weights: the mean design row with the group set to it."""
    levels = sorted(clean[between].unique(), key=str)
    order = {level: i for i, level in enumerate(fit.factors[between])}
    columns = fit.terms[between]
    rows = np.tile(fit.means, (len(levels), 1))
    for row, level in zip(rows, levels):
        row[columns] = 0.0
        if order[level] > 0:
            row[columns[order[level] - 1]] = 1.0
    return levels, rows


def adjusted_means(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
    confidence: float,
) -> pd.DataFrame:
    """Each group's mean adjusted for the covariates of an ANCOVA (estimated marginal means).

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping factor.
    covariates : sequence of str
        Covariate columns.
    categorical : sequence of str
        Those entered as factors.
    confidence : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        One row per group: ``group, n, mean, emm, se, df, ci_low, ci_high, reason``; ``mean``
        is the unadjusted mean of the same complete cases. ``emm`` and its interval are NaN,
        with a ``reason``, when fewer than two groups have complete cases or the model
        leaves no residual degrees of freedom.

    Notes
    -----
    The model is the ANCOVA of :func:`helpers.stats.ancova` fitted by OLS. A group's
    adjusted mean is the model's prediction for that group with every numeric covariate at
    its mean over the complete cases and every factor covariate at its observed proportions
    (the mean of its indicator columns), i.e. :math:`L\\hat\\beta` with :math:`L` the mean
    design row; its standard error is :math:`\\sqrt{L V L^T}` with :math:`V` the OLS
    covariance of the coefficients, on the residual degrees of freedom (Searle, Speed and
    Milliken, 1980). With one numeric covariate this is the textbook
    :math:`\\bar y_j - b_w(\\bar x_j - \\bar x)`. The coefficients and
    :math:`(X^TX)^{-1} = R^{-1}R^{-T}` come from one Householder QR
    (:func:`helpers.stats.linear.fit_linear`). When a column is aliased (a factor
    covariate's level found only at some sites, so that it is confounded with them), a
    group's adjusted mean is reported only if :math:`L` is estimable, i.e. orthogonal to
    the null space of X (Searle, 1971); otherwise it is NaN with a ``reason``.

    References
    ----------
    .. [1] Searle, S. R., Speed, F. M., & Milliken, G. A. (1980). Population marginal means
       in the linear model: an alternative to least squares means. *The American
       Statistician*, 34(4), 216-221.
    .. [2] Searle, S. R. (1971). *Linear Models*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaabbb"), "x": [1, 2, 3, 3, 4, 5], "y": [1.0, 2.5, 3, 5, 6, 7.5]})
    >>> em = adjusted_means(df, "y", "g", covariates=["x"], categorical=[], confidence=0.95)
    >>> print(em[["group", "mean", "emm"]].round(3).to_string(index=False))
    group  mean   emm
        a 2.167 3.292
        b 6.167 5.042
    """
    clean, fit, reason = _fit(data, dv, between, covariates, categorical)
    if fit is None:
        groups = sorted(data[between].dropna().unique(), key=str)
        means = clean.groupby(between)[dv].agg(["size", "mean"]).reindex(groups)
        out = pd.DataFrame({"group": [str(v) for v in groups], "n": means["size"].fillna(0).astype(int).to_numpy()})
        out["mean"] = means["mean"].to_numpy()
        return out.assign(emm=np.nan, se=np.nan, df=np.nan, ci_low=np.nan, ci_high=np.nan, reason=reason)
    levels, weights = fit.levels, fit.weights
    ok = estimable(fit.fit, weights, fit.kept)
    emm = np.where(ok, weights @ fit.params, np.nan)
    se = np.where(ok, np.sqrt(np.einsum("ij,jk,ik->i", weights, fit.cov, weights)), np.nan)
    t = stats.t.ppf(0.5 + confidence / 2, fit.df)
    means = clean.groupby(between)[dv].agg(["size", "mean"])
    return pd.DataFrame(
        {
            "group": [str(v) for v in levels],
            "n": [int(means.loc[v, "size"]) for v in levels],
            "mean": [float(means.loc[v, "mean"]) for v in levels],
            "emm": emm,
            "se": se,
            "df": fit.df,
            "ci_low": emm - t * se,
            "ci_high": emm + t * se,
            "reason": np.where(ok, "", NOT_ESTIMABLE),
        }
    )


def adjusted_pairwise(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
    adjustment: str,
    confidence: float,
) -> pd.DataFrame:
    """Pairwise differences of adjusted means with a Tukey or Sidak adjustment.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping factor.
    covariates, categorical : sequence of str
        As for :func:`adjusted_means`.
    adjustment : {"tukey", "sidak"}
        Familywise adjustment over the :math:`m = k(k-1)/2` pairs
        (``AnalysisConfig.emm_adjustment``).
    confidence : float
        Simultaneous level of the intervals.

    Returns
    -------
    DataFrame
        One row per pair: ``group_a, group_b, emm_a, emm_b, diff, se, df, t, p_adjusted,
        ci_low, ci_high`` (``diff = emm_a - emm_b``); empty with these columns when the
        model cannot be estimated (see :func:`adjusted_means`, whose ``reason`` says why).

    Notes
    -----
    Each difference is the contrast :math:`(L_a - L_b)\\hat\\beta` of the ANCOVA with its
    own standard error from the coefficient covariance, so it compares the groups at the
    same covariate values; a contrast that is not estimable (see :func:`adjusted_means`)
    is NaN. Tukey: :math:`|t|\\sqrt 2` is referred to the studentized range
    for k groups on the residual df, the Tukey-Kramer rule that the R package emmeans
    applies to adjusted means (Lenth, 2016; conservative when the contrasts are
    correlated). Sidak: :math:`p = 1 - (1 - p_{unc})^m` and intervals at level
    :math:`c^{1/m}` (Sidak, 1967).

    References
    ----------
    .. [1] Lenth, R. V. (2016). Least-squares means: the R package lsmeans. *Journal of
       Statistical Software*, 69(1), 1-33.
    .. [2] Sidak, Z. (1967). Rectangular confidence regions for the means of multivariate
       normal distributions. *Journal of the American Statistical Association*, 62(318),
       626-633.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "x": [1, 2, 3, 3, 4, 5, 2, 3, 4],
    ...                    "y": [1.0, 2, 3.5, 5, 6, 7.5, 2, 3.5, 4]})
    >>> pw = adjusted_pairwise(df, "y", "g", covariates=["x"], categorical=[],
    ...                        adjustment="sidak", confidence=0.95)
    >>> print(pw[["group_a", "group_b", "diff", "p_adjusted"]].round(3).to_string(index=False))
    group_a group_b   diff  p_adjusted
          a       b -1.667       0.008
          a       c  0.167       0.883
          b       c  1.833       0.002
    """
    clean, fit, reason = _fit(data, dv, between, covariates, categorical)
    if fit is None:
        return pd.DataFrame(columns=EMM_PAIR_COLUMNS)
    levels, weights, params, cov, df = fit.levels, fit.weights, fit.params, fit.cov, fit.df
    k = len(levels)
    m = k * (k - 1) // 2
    emm = np.where(estimable(fit.fit, weights, fit.kept), weights @ params, np.nan)
    rows = []
    for i, j in combinations(range(k), 2):
        contrast = weights[i] - weights[j]
        diff, se = np.nan, np.nan
        if estimable(fit.fit, contrast, fit.kept)[0]:
            diff, se = float(contrast @ params), float(np.sqrt(contrast @ cov @ contrast))
        rows.append({"group_a": str(levels[i]), "group_b": str(levels[j]), "emm_a": float(emm[i])})
        rows[-1].update(emm_b=float(emm[j]), diff=diff, se=se, df=df, t=diff / se)
    out = pd.DataFrame(rows)
    t_abs = out["t"].abs().to_numpy()
    with quiet():
        if adjustment == "tukey":
            out["p_adjusted"] = stats.studentized_range.sf(t_abs * np.sqrt(2), k, df)
            half = stats.studentized_range.ppf(confidence, k, df) / np.sqrt(2)
        elif adjustment == "sidak":
            p_unc = 2 * stats.t.sf(t_abs, df)
            out["p_adjusted"] = 1 - (1 - p_unc) ** m
            half = stats.t.ppf(0.5 + confidence ** (1 / m) / 2, df)
        else:
            raise ValueError(f"unknown adjustment {adjustment!r}; expected 'tukey' or 'sidak'")
    out["p_adjusted"] = out["p_adjusted"].clip(upper=1.0)
    return out.assign(ci_low=out["diff"] - half * out["se"], ci_high=out["diff"] + half * out["se"])[EMM_PAIR_COLUMNS]
