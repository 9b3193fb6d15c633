"""Two participant groups rating the same instrument: their site means side by side and their agreement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.stats import spearman_permutation

__all__ = ["rater_comparison", "rank_agreement", "MIN_RANKED_SITES"]

#: Sites a rank correlation needs: with two, every ordering gives rho = +1 or -1.
MIN_RANKED_SITES = 3


def rater_comparison(
    summaries: pd.DataFrame,
    measure: str = "RSA",
    groups: tuple[str, str] = ("service_users", "care_coordinators"),
) -> pd.DataFrame:
    """Per scale and site, the two groups' mean ratings of the same instrument side by side.

    Parameters
    ----------
    summaries : DataFrame
        From :func:`helpers.survey.site_summaries`.
    measure : str
        An instrument both groups completed.
    groups : (str, str)
        The first group's mean is subtracted from the second's: ``diff = second - first``.

    Returns
    -------
    DataFrame
        ``measure, subscale, site, n_1, mean_1, ci_low_1, ci_high_1, n_2, mean_2, ci_low_2,
        ci_high_2, diff`` (sites where either group has no score are dropped).
    """
    first, second = groups
    cols = ["subscale", "site", "n", "mean", "ci_low", "ci_high"]
    a = summaries[(summaries["group"] == first) & (summaries["measure"] == measure)][cols]
    b = summaries[(summaries["group"] == second) & (summaries["measure"] == measure)][cols]
    out = a.merge(b, on=["subscale", "site"], suffixes=("_1", "_2"), how="inner")
    out.insert(0, "measure", measure)
    out["diff"] = out["mean_2"] - out["mean_1"]
    return out.reset_index(drop=True)


def rank_agreement(comparison: pd.DataFrame, *, alpha: float, max_exact: int) -> pd.DataFrame:
    """How far two groups rank the sites alike, per scale, from :func:`rater_comparison`.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`rater_comparison`.
    alpha : float
        Significance level (passed to :func:`helpers.stats.spearman_permutation`).
    max_exact : int
        Largest number of sites whose orderings are all enumerated
        (``AnalysisConfig.max_exact_sites``).

    Returns
    -------
    DataFrame
        ``measure, subscale, n_sites, rho, p, n_second_higher, mean_diff`` where ``rho`` is
        Spearman's rank correlation of the site means with its exact two-sided permutation
        p value, ``n_second_higher`` the sites where the second group's mean is higher and
        ``mean_diff`` the average of the per-site differences. ``rho`` and ``p`` are NaN
        with fewer than :data:`MIN_RANKED_SITES` sites or when either group's means do not vary.
    """
    rows = []
    for (measure, subscale), f in comparison.groupby(["measure", "subscale"], sort=False):
        ranked = len(f) >= MIN_RANKED_SITES and f["mean_1"].nunique() > 1 and f["mean_2"].nunique() > 1
        test = (
            spearman_permutation(f["mean_1"], f["mean_2"], alpha=alpha, max_exact=max_exact).iloc[0] if ranked else {}
        )
        rows.append(
            {
                "measure": measure,
                "subscale": subscale,
                "n_sites": int(len(f)),
                "rho": float(test.get("rho", np.nan)),
                "p": float(test.get("p_two_sided", np.nan)),
                "n_second_higher": int((f["diff"] > 0).sum()),
                "mean_diff": float(f["diff"].mean()),
            }
        )
    return pd.DataFrame(rows)
