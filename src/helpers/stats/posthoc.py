"""Post hoc comparisons of every pair of groups: the Tukey-Kramer test."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from .grouped import group_codes, grouped_moments
from .quiet import quiet

__all__ = ["tukey_hsd"]


def tukey_hsd(
    data: pd.DataFrame, dv: str, between: str, reference=None, *, alpha: float, confidence: float
) -> pd.DataFrame:
    """Tukey-Kramer honestly significant difference tests between all pairs of groups.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping column. Rows with a missing ``dv`` or group are dropped.
    reference : optional
        A group label: keep only comparisons with it, oriented as *other - reference*.
    alpha : float
        Familywise significance level of ``significant``.
    confidence : float
        Simultaneous confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``group_a, group_b, mean_a, mean_b, diff, se, ci_low, ci_high, p_tukey, significant``
        with ``diff = mean_a - mean_b``; without ``reference``, one row per pair in the
        sorted order of the groups.

    Raises
    ------
    KeyError
        If ``reference`` is not a group of the data.

    Notes
    -----
    For groups :math:`i, j` the statistic is
    :math:`q = |\\bar y_i - \\bar y_j| / \\sqrt{MS_{within}(1/n_i + 1/n_j)/2}`, referred to
    the studentized range distribution with :math:`k` groups and :math:`n - k` degrees of
    freedom (Tukey, 1949); with unequal group sizes this is Kramer's (1956) extension.
    Means, differences, standard errors ``sqrt(MS_within (1/n_i + 1/n_j))`` and p values
    are those of :func:`pingouin.pairwise_tukey`, the simultaneous intervals
    :math:`\\bar y_i - \\bar y_j \\pm q_{c; k, n-k} \\sqrt{MS_{within}(1/n_i + 1/n_j)/2}` those of
    :func:`scipy.stats.tukey_hsd`, computed from the grouped sums of squares of one sweep over
    the data (:func:`helpers.stats.grouped.grouped_moments`) and the studentized range
    distribution evaluated once per pair (p) and once per test (the critical value).

    References
    ----------
    .. [1] Tukey, J. W. (1949). Comparing individual means in the analysis of variance.
       *Biometrics*, 5(2), 99-114.
    .. [2] Kramer, C. Y. (1956). Extension of multiple range tests to group means with
       unequal numbers of replications. *Biometrics*, 12(3), 307-310.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> res = tukey_hsd(df, "y", "site", reference="a", alpha=0.05, confidence=0.95)
    >>> print(res.round(3).to_string(index=False))
    group_a group_b  mean_a  mean_b  diff    se  ci_low  ci_high  p_tukey  significant
          b       a     3.0     2.0   1.0 0.816  -1.505    3.505    0.483        False
          c       a     6.0     2.0   4.0 0.816   1.495    6.505    0.006         True
    """
    clean = data.loc[:, [dv, between]].dropna()
    codes, groups = group_codes(clean[between])
    y = clean[dv].to_numpy(dtype=float)
    count, means, ss = grouped_moments(y, codes, len(groups))
    k, df = len(groups), len(y) - len(groups)
    pairs = list(combinations(range(k), 2))
    if reference is not None and reference in groups:  # only the comparisons with the reference
        pairs = [(i, j) for i, j in pairs if reference in (groups[i], groups[j])]
    a, b = (np.array([pair[side] for pair in pairs], dtype=np.intp) for side in (0, 1))
    with quiet():
        mse = np.sum(ss) / df
        diff = means[a] - means[b]
        se = np.sqrt(mse / count[a] + mse / count[b])
        p_tukey = np.clip(stats.studentized_range.sf(np.sqrt(2) * np.abs(diff / se), k, df), 0, 1)
        radius = stats.studentized_range.ppf(confidence, k, df) * np.sqrt((1 / count[a] + 1 / count[b]) * mse / 2)
    labels = np.array(groups, dtype=object)
    out = pd.DataFrame(
        {
            "group_a": labels[a],
            "group_b": labels[b],
            "mean_a": means[a],
            "mean_b": means[b],
            "diff": diff,
            "se": se,
            "ci_low": diff - radius,
            "ci_high": diff + radius,
            "p_tukey": np.asarray(p_tukey, dtype=float),
        }
    )
    if reference is not None:
        out = _orient_against(out, reference)
    out["significant"] = (out["p_tukey"] < alpha).astype(bool)
    return out


def _orient_against(pairs: pd.DataFrame, reference) -> pd.DataFrame:
    """Keep comparisons involving ``reference``, written as other minus reference."""
    if reference not in set(pairs["group_a"]) | set(pairs["group_b"]):
        raise KeyError(f"reference group {reference!r} not found")
    keep = pairs[(pairs["group_a"] == reference) | (pairs["group_b"] == reference)].copy()
    flip = (keep["group_a"] == reference).to_numpy()
    swapped = keep.copy()
    swapped["group_a"], swapped["group_b"] = keep["group_b"], keep["group_a"]
    swapped["mean_a"], swapped["mean_b"] = keep["mean_b"], keep["mean_a"]
    swapped["diff"] = -keep["diff"]
    swapped["ci_low"], swapped["ci_high"] = -keep["ci_high"], -keep["ci_low"]
    keep.loc[flip] = swapped.loc[flip]
    return keep.reset_index(drop=True)
