"""Site patterns: does a code's share among one role's accounts differ between sites?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.io import QualData
from helpers.stats import fisher_exact_rxc, is_significant

from .framework import code_frequencies

__all__ = ["site_pattern_tests"]


def site_pattern_tests(
    q: QualData, role: str = "SU", codes: Sequence[str] | None = None, *, alpha: float
) -> pd.DataFrame:
    """Does a code's share among one role's accounts differ between sites?

    Each code is tested with Fisher's exact test of the (coded, not coded) by sites
    table, conditional on its margins (Freeman-Halton; :func:`helpers.stats.fisher_exact_rxc`);
    sites without accounts of the role are left out.

    Parameters
    ----------
    q : QualData
    role : str
        The role whose accounts are compared (service users by default).
    codes : sequence of str, optional
        Default: every code that role's accounts carry at least once (every code of the
        code book, with NaN p values, when the role has no accounts).
    alpha : float
        Significance level.

    Returns
    -------
    DataFrame
        ``role, code, label, n_accounts, n_coded, share, min_share, max_share, n_sites, p,
        site_pattern`` (``site_pattern`` True when p < alpha).
    """
    freq = code_frequencies(q, ["site", "role"])
    freq = freq[(freq["role"] == role) & (freq["n_accounts"] > 0)]
    if codes is None:
        codes = [c for c in q.codebook.codes if freq.loc[freq["code"] == c, "n_coded"].sum() > 0]
        codes = codes or list(q.codebook.codes)  # no accounts at all: every code, untestable
    nan = float("nan")
    rows = []
    for code in codes:
        f = freq[freq["code"] == code]
        n, k = int(f["n_accounts"].sum()), int(f["n_coded"].sum())
        p = nan
        if len(f):
            table = [f["n_coded"].to_numpy(), (f["n_accounts"] - f["n_coded"]).to_numpy()]
            p = float(fisher_exact_rxc(table).at[0, "p"])
        rows.append(
            {
                "role": role,
                "code": code,
                "label": q.codebook.code_label(code),
                "n_accounts": n,
                "n_coded": k,
                "share": k / n if n else nan,
                "min_share": float(f["share"].min()) if len(f) else nan,
                "max_share": float(f["share"].max()) if len(f) else nan,
                "n_sites": int(len(f)),
                "p": p,
                "site_pattern": bool(np.isfinite(p) and is_significant(p, alpha)),
            }
        )
    columns = ["role", "code", "label", "n_accounts", "n_coded", "share", "min_share", "max_share", "n_sites", "p"]
    return pd.DataFrame(rows, columns=[*columns, "site_pattern"])
