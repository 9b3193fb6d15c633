"""Comparisons of two means from summary statistics: two independent groups, and a sample
against a published reference value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

__all__ = ["compare_with_reference", "two_group_comparison"]


def two_group_comparison(
    mean_1: float,
    sd_1: float,
    n_1: int,
    mean_2: float,
    sd_2: float,
    n_2: int,
    *,
    confidence: float,
    equal_var: bool = True,
) -> pd.DataFrame:
    """t test of the difference between two independent means, from summary statistics.

    Parameters
    ----------
    mean_1, sd_1, n_1 : float, float, int
        First group: mean, standard deviation (with n - 1) and size (at least 2).
    mean_2, sd_2, n_2 : float, float, int
        Second group.
    confidence : float
        Confidence level of the interval of the difference, e.g. 0.95.
    equal_var : bool, default True
        True for Student's test with the pooled variance, False for Welch's test.

    Returns
    -------
    DataFrame
        One row: ``mean_1, sd_1, n_1, mean_2, sd_2, n_2, diff, se, df, t, p, ci_low,
        ci_high`` with ``diff = mean_1 - mean_2`` and a two-sided ``p``. When both SDs
        are zero the difference has no spread: ``t`` and ``p`` are NaN and the interval
        is the difference itself.

    Notes
    -----
    Student's test uses the pooled variance
    :math:`s_p^2 = ((n_1 - 1)s_1^2 + (n_2 - 1)s_2^2)/(n_1 + n_2 - 2)`, the standard error
    :math:`s_p\\sqrt{1/n_1 + 1/n_2}` and :math:`n_1 + n_2 - 2` degrees of freedom
    (Student, 1908). Welch's test uses :math:`\\sqrt{s_1^2/n_1 + s_2^2/n_2}` and the
    Welch-Satterthwaite degrees of freedom (Welch, 1947). ``t`` and ``p`` come from
    :func:`scipy.stats.ttest_ind_from_stats`; the interval is
    ``diff +/- t_{(1 + confidence)/2, df} * se``.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.
    .. [2] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika*, 34(1-2), 28-35.

    Examples
    --------
    Three site means in each of two countries, with sites as the unit of analysis:

    >>> res = two_group_comparison(5.0, 1.0, 3, 2.0, 1.0, 3, confidence=0.95)
    >>> print(res[["diff", "se", "df", "t", "p", "ci_low", "ci_high"]].round(3).to_string(index=False))
     diff    se  df     t     p  ci_low  ci_high
      3.0 0.816 4.0 3.674 0.021   0.733    5.267
    """
    if min(n_1, n_2) < 2:
        raise ValueError(f"each group needs at least two members, got n_1={n_1}, n_2={n_2}")
    v1, v2 = sd_1**2 / n_1, sd_2**2 / n_2
    if equal_var:
        df = float(n_1 + n_2 - 2)
        pooled = ((n_1 - 1) * sd_1**2 + (n_2 - 1) * sd_2**2) / df
        se = float(math.sqrt(pooled * (1 / n_1 + 1 / n_2)))
    else:
        se = float(math.sqrt(v1 + v2))
        df = float((v1 + v2) ** 2 / (v1**2 / (n_1 - 1) + v2**2 / (n_2 - 1))) if se > 0 else float(n_1 + n_2 - 2)
    diff = float(mean_1 - mean_2)
    if se > 0:
        t, p = stats.ttest_ind_from_stats(mean_1, sd_1, n_1, mean_2, sd_2, n_2, equal_var=equal_var)
        low, high = stats.t.interval(confidence, df, loc=diff, scale=se)
        t, p, low, high = float(t), float(p), float(low), float(high)
    else:
        t = p = float("nan")
        low = high = diff
    return pd.DataFrame(
        {
            "mean_1": [float(mean_1)],
            "sd_1": [float(sd_1)],
            "n_1": [int(n_1)],
            "mean_2": [float(mean_2)],
            "sd_2": [float(sd_2)],
            "n_2": [int(n_2)],
            "diff": [diff],
            "se": [se],
            "df": [df],
            "t": [t],
            "p": [p],
            "ci_low": [low],
            "ci_high": [high],
        }
    )


def compare_with_reference(
    mean: float, sd: float, n: int, ref_mean: float, ref_sd: float, ref_n: int, *, confidence: float
) -> pd.DataFrame:
    """Welch's t test of a sample mean against a published reference mean, from summary statistics.

    Parameters
    ----------
    mean, sd, n : float, float, int
        The study sample.
    ref_mean, ref_sd, ref_n : float, float, int
        The reference sample (published mean, SD and size).
    confidence : float
        Confidence level of the interval of the difference, e.g. 0.95.

    Returns
    -------
    DataFrame
        One row: ``mean, sd, n, ref_mean, ref_sd, ref_n, diff, se, df, t, p, ci_low, ci_high,
        hedges_g``; ``diff = mean - ref_mean``, ``df`` Welch-Satterthwaite, ``hedges_g`` the
        standardised difference with the pooled SD and small-sample correction.

    Notes
    -----
    The test is :func:`two_group_comparison` with ``equal_var=False`` (Welch, 1947), since
    a published sample need not share the study's variance. Hedges' g is
    :math:`J \\cdot (\\bar x - \\bar x_{ref}) / s_p` with
    :math:`J = 1 - 3 / (4(n + n_{ref}) - 9)` (Hedges, 1981), computed by
    :func:`pingouin.convert_effsize`.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika*, 34(1-2), 28-35.
    .. [2] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size
       and related estimators. *Journal of Educational Statistics*, 6(2), 107-128.

    Examples
    --------
    >>> res = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167, confidence=0.95)
    >>> print(res[["diff", "df", "t", "p", "hedges_g"]].round(3).to_string(index=False))
     diff      df     t   p  hedges_g
     -4.0 320.826 -4.94 0.0    -0.448
    """
    test = two_group_comparison(mean, sd, n, ref_mean, ref_sd, ref_n, confidence=confidence, equal_var=False)
    out = test.rename(
        columns={
            "mean_1": "mean",
            "sd_1": "sd",
            "n_1": "n",
            "mean_2": "ref_mean",
            "sd_2": "ref_sd",
            "n_2": "ref_n",
        }
    )
    pooled = np.sqrt(((n - 1) * sd**2 + (ref_n - 1) * ref_sd**2) / (n + ref_n - 2))
    out["hedges_g"] = float(pg.convert_effsize(out.at[0, "diff"] / pooled, "cohen", "hedges", nx=n, ny=ref_n))
    return out
