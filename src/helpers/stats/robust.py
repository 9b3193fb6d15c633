"""Alternatives to the one-way ANOVA and Tukey's test that do not assume equal variances.

Welch's ANOVA and the Games-Howell pairwise comparisons, both from pingouin. Groups with
fewer than two observations are left out; what cannot be estimated is NaN with a ``reason``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
from statsmodels.stats.libqsturng import qsturng

from .assumptions import usable_groups
from .quiet import quiet

__all__ = ["games_howell", "welch_anova"]

GAMES_HOWELL_COLUMNS = ["group_a", "group_b", "mean_a", "mean_b", "diff", "se", "df", "T", "p_gameshowell"]


def welch_anova(data: pd.DataFrame, dv: str, between: str) -> pd.DataFrame:
    """Welch's one-way ANOVA, which allows each group its own variance.

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per participant.
    dv : str
        Outcome column.
    between : str
        Grouping column.

    Returns
    -------
    DataFrame
        One row: ``n, k, df_between, df_within, F, p, reason``; ``df_within`` is Welch's
        fractional denominator degrees of freedom. NaN with a ``reason`` when fewer than two
        groups have two observations or a group does not vary (its weight would be infinite).

    Notes
    -----
    Each group mean is weighted by :math:`n_j / s_j^2`; the statistic is referred to an F
    distribution on :math:`k - 1` and an approximate denominator df (Welch, 1951). It keeps
    its size when variances and group sizes differ, where the classic F test does not.
    Computed by :func:`pingouin.welch_anova`.

    References
    ----------
    .. [1] Welch, B. L. (1951). On the comparison of several mean values: an alternative
       approach. *Biometrika*, 38(3/4), 330-336.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaabbbbcccc"),
    ...                    "y": [1, 2, 3, 4, 2, 4, 6, 8, 5, 5, 6, 6]})
    >>> print(welch_anova(df, "y", "g").drop(columns="reason").round(3).to_string(index=False))
     n  k  df_between  df_within     F    p
    12  3           2      4.798 7.902 0.03
    """
    kept, reason = usable_groups(data, dv, between)
    k = int(kept[between].nunique())
    row = {"n": int(len(kept)), "k": k, "df_between": k - 1, "df_within": np.nan, "F": np.nan, "p": np.nan}
    if not reason and kept.groupby(between, observed=True)[dv].var(ddof=1).le(0).any():
        reason = "a group's scores do not vary"
    if not reason:
        with quiet():
            aov = pg.welch_anova(data=kept, dv=dv, between=between)
        row.update(df_within=float(aov.at[0, "ddof2"]), F=float(aov.at[0, "F"]), p=float(aov.at[0, "p-unc"]))
    return pd.DataFrame([{**row, "reason": reason}])


def games_howell(data: pd.DataFrame, dv: str, between: str, *, confidence: float) -> pd.DataFrame:
    """Games-Howell comparisons of every pair of groups, with simultaneous confidence intervals.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping column.
    confidence : float
        Simultaneous confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per pair: ``group_a, group_b, mean_a, mean_b, diff, se, df, T,
        p_gameshowell, ci_low, ci_high`` with ``diff = mean_a - mean_b``; empty (these
        columns) when fewer than two groups have two observations.

    Notes
    -----
    Each pair's difference is divided by its own standard error
    :math:`\\sqrt{s_a^2/n_a + s_b^2/n_b}` with Welch-Satterthwaite degrees of freedom, and
    :math:`|T|\\sqrt{2}` is referred to the studentized range distribution for k groups
    (Games and Howell, 1976). p values by :func:`pingouin.pairwise_gameshowell`; the
    intervals are :math:`diff \\pm q_{1-\\alpha, k, df}\\, se / \\sqrt{2}`, the quantile from
    statsmodels' ``qsturng`` (Gleason's 1999 approximation, within 0.2 % of the exact
    :func:`scipy.stats.studentized_range` quantile and hundreds of times faster for the
    fractional df of each pair).

    References
    ----------
    .. [1] Games, P. A., & Howell, J. F. (1976). Pairwise multiple comparison procedures
       with unequal n's and/or variances: a Monte Carlo study. *Journal of Educational
       Statistics*, 1(2), 113-125.
    .. [2] Gleason, J. R. (1999). An accurate, non-iterative approximation for studentized
       range quantiles. *Computational Statistics & Data Analysis*, 31(2), 147-158.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aaaabbbbcccc"),
    ...                    "y": [1, 2, 3, 4, 2, 4, 6, 8, 5, 5, 6, 6]})
    >>> gh = games_howell(df, "y", "g", confidence=0.95)
    >>> cols = ["group_a", "group_b", "diff", "p_gameshowell", "ci_low", "ci_high"]
    >>> print(gh[cols].round(3).to_string(index=False))
    group_a group_b  diff  p_gameshowell  ci_low  ci_high
          a       b  -2.5          0.292  -7.421    2.421
          a       c  -3.0          0.027  -5.474   -0.526
          b       c  -0.5          0.926  -5.707    4.707
    """
    kept, reason = usable_groups(data, dv, between)
    columns = [*GAMES_HOWELL_COLUMNS, "ci_low", "ci_high"]
    if reason:
        return pd.DataFrame(columns=columns)
    with quiet():
        gh = pg.pairwise_gameshowell(data=kept, dv=dv, between=between)
    out = gh.rename(
        columns={"A": "group_a", "B": "group_b", "mean(A)": "mean_a", "mean(B)": "mean_b", "pval": "p_gameshowell"}
    )
    out = out[GAMES_HOWELL_COLUMNS].astype({"group_a": str, "group_b": str})
    k = int(kept[between].nunique())
    with quiet():
        q = np.asarray(qsturng(confidence, k, out["df"].to_numpy(float)), float)
    half = q * out["se"].to_numpy(float) / np.sqrt(2)
    return out.assign(ci_low=out["diff"] - half, ci_high=out["diff"] + half).reset_index(drop=True)
