"""Descriptive statistics per group: mean, SD, standard error and confidence interval."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .quiet import quiet

__all__ = ["summary_by_group"]


def summary_by_group(data: pd.DataFrame, dv: str, by: str | Sequence[str], *, confidence: float) -> pd.DataFrame:
    """Mean, SD, standard error and t-based confidence interval of ``dv`` per group.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column; missing values are dropped.
    by : str or sequence of str
        Grouping column(s), e.g. ``"site"``.
    confidence : float
        Confidence level of the interval of each mean, e.g. 0.95.

    Returns
    -------
    DataFrame
        ``[by...], n, mean, sd, sem, ci_low, ci_high``, groups sorted (SD with n - 1;
        NaN spread for groups of one).

    Notes
    -----
    The interval is :math:`\\bar x \\pm t_{(1 + c)/2,\\, n - 1}\\, s / \\sqrt{n}` with
    :math:`c` the confidence level (Student, 1908).

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbb"), "y": [1, 2, 3, 2, 4, 6]})
    >>> print(summary_by_group(df, "y", "site", confidence=0.95).round(3).to_string(index=False))
    site  n  mean  sd   sem  ci_low  ci_high
       a  3   2.0 1.0 0.577  -0.484    4.484
       b  3   4.0 2.0 1.155  -0.968    8.968
    """
    by_cols = as_list(by)
    clean = data.loc[:, [*by_cols, dv]].dropna()
    agg = clean.groupby(by_cols, observed=True, sort=True)[dv].agg(n="count", mean="mean", sd="std").reset_index()
    agg["n"] = agg["n"].astype(int)
    agg["sem"] = agg["sd"] / np.sqrt(agg["n"])
    df = (agg["n"] - 1).where(agg["n"] > 1)
    with quiet():
        low, high = stats.t.interval(confidence, df, loc=agg["mean"], scale=agg["sem"])
    agg["ci_low"], agg["ci_high"] = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return agg
