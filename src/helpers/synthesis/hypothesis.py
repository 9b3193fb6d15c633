"""The study's hypothesis across sites: higher survey means where care planning was more collaborative."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.stats import is_significant, spearman_permutation

from .strands import MEASURE_NAMES

__all__ = ["hypothesis_tests"]


def hypothesis_tests(
    joint: pd.DataFrame, measures: Sequence[str] = MEASURE_NAMES, *, alpha: float, max_exact: int
) -> pd.DataFrame:
    """The study's hypothesis per survey measure: do sites whose care planning was described
    as more collaborative have higher survey means?

    Spearman's rho between the sites' collaboration scores and their survey means, with
    the exact one-sided permutation p over all orderings of the sites (alternative:
    positive association; :func:`helpers.stats.spearman_permutation`).

    Parameters
    ----------
    joint : DataFrame
        :func:`helpers.synthesis.joint_display` (``collaboration`` and ``M_mean`` columns).
    measures : sequence of str
        Measures without a ``M_mean`` column are skipped.
    alpha : float
        Significance level.
    max_exact : int
        Most sites enumerated (the setting ``max_exact_sites``).

    Returns
    -------
    DataFrame
        ``measure, n_sites, rho, p_one_sided, p_two_sided, n_orderings, critical_rho, min_p,
        supported`` (``supported``: rho > 0 and one-sided p < alpha).
    """
    rows = []
    for m in measures:
        if f"{m}_mean" not in joint:
            continue
        r = spearman_permutation(joint["collaboration"], joint[f"{m}_mean"], alpha=alpha, max_exact=max_exact)
        r = r.iloc[0]
        rows.append(
            {
                "measure": m,
                "n_sites": int(r["n"]),
                "rho": float(r["rho"]),
                "p_one_sided": float(r["p_greater"]),
                "p_two_sided": float(r["p_two_sided"]),
                "n_orderings": int(r["n_orderings"]),
                "critical_rho": float(r["critical_rho"]),
                "min_p": float(r["min_p"]),
                "supported": bool(np.isfinite(r["rho"]) and r["rho"] > 0 and is_significant(r["p_greater"], alpha)),
            }
        )
    columns = ["measure", "n_sites", "rho", "p_one_sided", "p_two_sided", "n_orderings", "critical_rho", "min_p"]
    return pd.DataFrame(rows, columns=[*columns, "supported"])
