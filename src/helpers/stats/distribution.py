"""The shape of score distributions: skewness and excess kurtosis per outcome."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .quiet import quiet

__all__ = ["normality_table", "shape_statistics"]


def shape_statistics(values) -> dict:
    """Sample size, bias-corrected skewness ``G1`` and excess kurtosis ``G2`` of one sample.

    Parameters
    ----------
    values : array-like of float
        NaN values are dropped.

    Returns
    -------
    dict
        ``n, skewness, kurtosis``; skewness is NaN below 3 values, kurtosis below 4, and
        both are NaN for constant data.

    Notes
    -----
    The adjusted Fisher-Pearson estimators ``G1`` and ``G2`` of Joanes & Gill (1998),
    also reported by SPSS and SAS; see :func:`normality_table`.

    References
    ----------
    .. [1] Joanes, D. N. & Gill, C. A. (1998). Comparing measures of sample skewness and
       kurtosis. *Journal of the Royal Statistical Society D*, 47(1), 183-189.

    Examples
    --------
    >>> {k: round(v, 3) for k, v in shape_statistics([1.0, 2, 3, 4, 10]).items()}
    {'n': 5, 'skewness': 1.697, 'kurtosis': 3.152}
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    with quiet():
        # Constant data: scipy warns of catastrophic cancellation and returns NaN.
        skew = float(stats.skew(x, bias=False)) if n >= 3 else np.nan
        kurt = float(stats.kurtosis(x, fisher=True, bias=False)) if n >= 4 else np.nan
    return {"n": int(n), "skewness": skew, "kurtosis": kurt}


def normality_table(
    scores: pd.DataFrame,
    value: str = "score",
    by: str | Sequence[str] | None = ("measure", "subscale"),
    *,
    limits: Sequence[float],
) -> pd.DataFrame:
    """Skewness and excess kurtosis per outcome, with the bias-corrected estimators SPSS reports.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores, e.g. from :func:`helpers.stats.score_long`.
    value : str, default "score"
        Column holding the values; missing values are dropped.
    by : str or sequence of str, optional
        Columns that identify an outcome; ``None`` treats all rows as one outcome.
    limits : (float, float)
        Two increasing bounds for the absolute skewness or kurtosis, e.g. ``(1, 2)``.

    Returns
    -------
    DataFrame
        Columns ``[by...], n, skewness, kurtosis, beyond_1, beyond_2``; ``beyond_1`` flags
        ``|skewness|`` or ``|kurtosis|`` above the first limit, ``beyond_2`` above the second.

    Notes
    -----
    Skewness is ``G1 = g1 * sqrt(n (n - 1)) / (n - 2)`` and kurtosis the adjusted
    Fisher-Pearson ``G2 = (n - 1) / ((n - 2)(n - 3)) * ((n + 1) g2 + 6)`` (0 for a normal
    distribution), where ``g1`` and ``g2`` are the moment estimators (Joanes & Gill,
    1998); they equal ``scipy.stats.skew(bias=False)`` and
    ``scipy.stats.kurtosis(bias=False)``. Limits of 1 and 2 in absolute value are common
    rules of thumb for a marked departure from normality; Kim (2013) discusses them and
    their dependence on the sample size.

    References
    ----------
    .. [1] Joanes, D. N. & Gill, C. A. (1998). Comparing measures of sample skewness and
       kurtosis. *Journal of the Royal Statistical Society D*, 47(1), 183-189.
    .. [2] Kim, H.-Y. (2013). Statistical notes for clinical researchers: assessing normal
       distribution (2) using skewness and kurtosis. *Restorative Dentistry &
       Endodontics*, 38(1), 52-54.

    Examples
    --------
    >>> df = pd.DataFrame({"measure": "X", "subscale": "Total", "score": [1.0, 2, 3, 4, 10]})
    >>> print(normality_table(df, limits=(1, 2)).round(3).to_string(index=False))
    measure subscale  n  skewness  kurtosis  beyond_1  beyond_2
          X    Total  5     1.697     3.152      True      True
    """
    first, second = (float(v) for v in limits)
    if not 0 < first < second:
        raise ValueError(f"limits must be two increasing positive numbers, got {tuple(limits)!r}")
    by_cols = as_list(by)
    rows = []
    # Only the value column is split by outcome (not every column of a long table).
    groups = scores.groupby(by_cols, observed=True, sort=False)[value] if by_cols else [((), scores[value])]
    for key, column in groups:
        key = key if isinstance(key, tuple) else (key,)
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        rows.append({**dict(zip(by_cols, key)), **shape_statistics(values)})
    out = pd.DataFrame(rows, columns=[*by_cols, "n", "skewness", "kurtosis"])
    worst = pd.concat([out["skewness"].abs(), out["kurtosis"].abs()], axis=1).max(axis=1)
    out["beyond_1"] = (worst > first).astype(bool)
    out["beyond_2"] = (worst > second).astype(bool)
    return out
