"""Effect sizes of a one-way ANOVA with confidence intervals: eta squared and omega squared.

The interval of the population share of variance between groups comes from inverting the
noncentral F distribution (Steiger, 2004).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .assumptions import usable_groups
from .quiet import quiet

__all__ = ["anova_effect_sizes", "noncentrality_interval"]


def _noncentrality_at(f_value: float, df1: float, df2: float, prob: float) -> float:
    """The noncentrality at which ``f_value`` is the ``prob`` quantile (0 when none is positive)."""

    def gap(lam: float) -> float:
        cdf = float(stats.ncf.cdf(f_value, df1, df2, lam))
        if math.isnan(cdf) and lam > f_value * df1:
            # Far above the observed F (tens of standard deviations with large samples) the
            # series of scipy's ncf underflows to NaN where the probability is 0.
            cdf = 0.0
        return cdf - prob

    if gap(0.0) <= 0:
        return 0.0
    upper = max(10.0, 2.0 * f_value * df1)
    while gap(upper) > 0:
        upper *= 2.0
    return float(optimize.brentq(gap, 0.0, upper, xtol=1e-10, rtol=1e-12))


def noncentrality_interval(f_value: float, df1: float, df2: float, *, confidence: float) -> tuple[float, float]:
    """Two-sided ``confidence`` interval of the noncentrality of an observed F statistic.

    Parameters
    ----------
    f_value : float
        Observed F.
    df1, df2 : float
        Numerator and denominator degrees of freedom.
    confidence : float
        Confidence level, e.g. 0.95.

    Returns
    -------
    (float, float)
        The limits :math:`(\\lambda_L, \\lambda_U)`, each at least 0.

    Notes
    -----
    :math:`\\lambda_L` solves :math:`P(F' \\le F_{obs} \\mid \\lambda_L) = 1 - a/2` and
    :math:`\\lambda_U` solves :math:`P(F' \\le F_{obs} \\mid \\lambda_U) = a/2` with
    :math:`a = 1 -` ``confidence``; a limit is 0 when no positive noncentrality solves its
    equation (Steiger, 2004; the MBESS function ``conf.limits.ncf``). Root finding by
    :func:`scipy.optimize.brentq` on :func:`scipy.stats.ncf`.

    References
    ----------
    .. [1] Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and
       tests of close fit in the analysis of variance and contrast analysis.
       *Psychological Methods*, 9(2), 164-182.

    Examples
    --------
    >>> [round(x, 3) for x in noncentrality_interval(6.0, 1, 42, confidence=0.90)]
    [0.521, 17.121]
    """
    a = 1.0 - confidence
    with quiet():
        low = _noncentrality_at(f_value, df1, df2, 1.0 - a / 2)
        high = _noncentrality_at(f_value, df1, df2, a / 2)
    return low, high


def anova_effect_sizes(data: pd.DataFrame, dv: str, between: str, *, confidence: float) -> pd.DataFrame:
    """Eta squared and omega squared of a one-way ANOVA, with a confidence interval.

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per participant.
    dv : str
        Outcome column.
    between : str
        Grouping column.
    confidence : float
        Level of the interval.

    Returns
    -------
    DataFrame
        One row: ``n, k, F, eta_squared, omega_squared, ci_low, ci_high, reason``. The
        interval is that of the population share of variance between groups, which both
        estimates target. NaN with a ``reason`` when fewer than two groups have two
        observations or nothing varies within groups.

    Notes
    -----
    :math:`\\eta^2 = SS_b / SS_t` overestimates the population share; Hays' (1963)
    :math:`\\omega^2 = (SS_b - (k - 1) MS_w) / (SS_t + MS_w)` corrects most of the bias and
    may fall below 0, which is reported as it is. The interval converts the noncentrality
    limits of :func:`noncentrality_interval` with :math:`\\lambda / (\\lambda + N)` (Steiger,
    2004), the same conversion as the R packages MBESS and apaTables.

    References
    ----------
    .. [1] Hays, W. L. (1963). *Statistics for Psychologists*. Holt, Rinehart and Winston.
    .. [2] Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and
       tests of close fit in the analysis of variance and contrast analysis.
       *Psychological Methods*, 9(2), 164-182.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> es = anova_effect_sizes(df, "y", "g", confidence=0.95).iloc[0]
    >>> [round(float(es[c]), 3) for c in ("eta_squared", "omega_squared", "ci_low", "ci_high")]
    [0.812, 0.727, 0.167, 0.887]
    """
    kept, reason = usable_groups(data, dv, between)
    n, k = int(len(kept)), int(kept[between].nunique())
    row = {"n": n, "k": k, "F": np.nan, "eta_squared": np.nan, "omega_squared": np.nan}
    row.update(ci_low=np.nan, ci_high=np.nan)
    if not reason:
        y = kept[dv].to_numpy(float)
        group_means = kept.groupby(between, observed=True)[dv].transform("mean").to_numpy(float)
        ss_total = float(((y - y.mean()) ** 2).sum())
        ss_within = float(((y - group_means) ** 2).sum())
        ss_between = ss_total - ss_within
        df1, df2 = k - 1, n - k
        ms_within = ss_within / df2 if df2 > 0 else math.nan
        if not ms_within > 0:
            reason = f"no variation of {dv} within groups"
        else:
            f_value = (ss_between / df1) / ms_within
            low, high = noncentrality_interval(f_value, df1, df2, confidence=confidence)
            row.update(
                F=f_value,
                eta_squared=ss_between / ss_total,
                omega_squared=(ss_between - df1 * ms_within) / (ss_total + ms_within),
                ci_low=low / (low + n),
                ci_high=high / (high + n),
            )
    return pd.DataFrame([{**row, "reason": reason}])
