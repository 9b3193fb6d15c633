"""Correction of p values for multiple testing within families of tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from .columns import as_list

__all__ = ["adjust_pvalues"]


def adjust_pvalues(data: pd.DataFrame, p: str, *, method: str, family: Sequence[str], alpha: float) -> pd.DataFrame:
    """``data`` with the p values in column ``p`` corrected within each family of tests.

    Parameters
    ----------
    data : DataFrame
        One row per test.
    p : str
        Column of uncorrected p values (NaN where a test could not be run).
    method : {"none", "holm", "fdr_bh"}
        ``"none"`` keeps the p values (``AnalysisConfig.multiplicity``); ``"holm"`` controls
        the familywise error rate, ``"fdr_bh"`` the false discovery rate.
    family : sequence of str
        Columns whose values identify a family (e.g. ``["group", "measure"]``).
    alpha : float
        Level of the decision in ``significant_corrected``.

    Returns
    -------
    DataFrame
        A copy of ``data`` plus ``family_size`` (tests with a p value in the family),
        ``p_corrected``, ``significant_corrected`` and ``correction`` (the method). NaN p
        values stay NaN and do not count in the family.

    Notes
    -----
    Holm's (1979) step-down procedure and Benjamini and Hochberg's (1995) step-up
    procedure, by :func:`statsmodels.stats.multitest.multipletests`. A family is the set of
    tests whose conclusions are read together; correcting across unrelated questions would
    lose power without protecting any conclusion.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.
    .. [2] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a
       practical and powerful approach to multiple testing. *Journal of the Royal
       Statistical Society B*, 57(1), 289-300.

    Examples
    --------
    >>> t = pd.DataFrame({"fam": ["a", "a", "a", "b"], "p": [0.01, 0.04, 0.03, 0.04]})
    >>> adjust_pvalues(t, "p", method="holm", family=["fam"], alpha=0.05)["p_corrected"].round(3).tolist()
    [0.03, 0.06, 0.06, 0.04]
    """
    family = as_list(family)
    out = data.copy()
    out["family_size"] = 0
    out["p_corrected"] = np.nan
    if out.empty:
        out["significant_corrected"] = pd.Series(dtype=bool)
        return out.assign(correction=method)
    keys = out[family].astype(str).agg("\x1f".join, axis=1) if family else pd.Series("", index=out.index)
    for _, idx in out.groupby(keys, sort=False).groups.items():
        values = out.loc[idx, p].astype(float)
        present = values.dropna()
        out.loc[idx, "family_size"] = len(present)
        if present.empty:
            continue
        if method == "none":
            corrected = present.to_numpy()
        else:
            corrected = multipletests(present.to_numpy(), alpha=alpha, method=method)[1]
        out.loc[present.index, "p_corrected"] = corrected
    out["significant_corrected"] = out["p_corrected"].lt(alpha)
    return out.assign(correction=method)
