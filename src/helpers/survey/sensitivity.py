"""Sensitivity of the site comparisons to the mean-replacement threshold.

Every outcome's one-way ANOVA across sites is repeated with scale scores recomputed at
several thresholds of missing items (0 = complete cases only), and the decision at the
significance level is compared across them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.io import OUTCOME, Dataset, Instrument
from helpers.stats import SENSITIVITY_COLUMNS, is_significant, sensitivity_analysis

from .feasibility import compare_units
from .outcomes import instruments_by_group

__all__ = [
    "sensitivity_thresholds",
    "estimable_sites",
    "sensitivity_by_outcome",
    "sensitivity_decisions",
    "sensitivity_wide",
    "sensitivity_compact",
]


def sensitivity_thresholds(max_missing: float, *, thresholds: Sequence[float]) -> list[float]:
    """The sensitivity ``thresholds`` with the primary analysis's ``max_missing`` added if absent, sorted.

    Examples
    --------
    >>> sensitivity_thresholds(0.5, thresholds=[0.0, 0.2, 0.5])
    [0.0, 0.2, 0.5]
    >>> sensitivity_thresholds(0.25, thresholds=[0.0, 0.2, 0.3, 0.4, 0.5])
    [0.0, 0.2, 0.25, 0.3, 0.4, 0.5]
    """
    return sorted({round(float(t), 6) for t in (*thresholds, max_missing)})


def _first_rows(codes: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Of the positions ``rows``, the first of each code present there, in the rows' order."""
    return rows[pd.Series(codes[rows]).drop_duplicates().index.to_numpy()]


def estimable_sites(codes: np.ndarray, sites: list, scores: np.ndarray) -> list:
    """The sites at which one scale's site comparison is estimable (none when it is not).

    :func:`compare_units` reads, of each site, whether it has fewer than two scores (and then
    how many), whether its scores vary, and their values. At most two rows per site keep all
    of it: its first row, then its first row with another score or, when every score of the
    site is the same, its second row. The decision is taken on those rows, so that it does not
    group every scored row again.
    """
    first = _first_rows(codes, np.arange(len(codes)))
    start = np.zeros(len(sites))
    start[codes[first]] = scores[first]
    later = np.ones(len(codes), dtype=bool)
    later[first] = False
    second = np.full(len(sites), -1)
    for rows in (np.flatnonzero(later), np.flatnonzero(scores != start[codes])):  # another score wins
        found = _first_rows(codes, rows)
        second[codes[found]] = found
    rows = np.sort(np.concatenate([first, second[second >= 0]]))
    frame = pd.DataFrame({"site": np.asarray(sites, dtype=object)[codes[rows]], "score": scores[rows]})
    decision = compare_units(frame)
    return [] if decision.reason else decision.kept


def sensitivity_by_outcome(
    dataset: Dataset, instruments: Mapping[str, Instrument], *, thresholds: Sequence[float]
) -> pd.DataFrame:
    """ANOVA across sites at each mean-replacement threshold, for every outcome.

    :func:`helpers.stats.sensitivity_analysis` for every instrument of every group, where
    the comparison is estimable at that threshold (:func:`helpers.survey.feasibility.compare_units`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, threshold, n, df_between, df_within, F, p, eta_squared``.
    """
    parts = [
        sensitivity_analysis(
            dataset.group(group), inst, "site", thresholds=thresholds, estimable=estimable_sites
        ).assign(group=group)
        for group, completed in instruments_by_group(instruments)
        for inst in completed
    ]
    parts = [part for part in parts if not part.empty]
    columns = ["group", *SENSITIVITY_COLUMNS]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def sensitivity_decisions(sensitivity: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Whether the site comparison's decision at ``alpha`` changes across mean-replacement thresholds.

    Parameters
    ----------
    sensitivity : DataFrame
        From :func:`sensitivity_by_outcome`.
    alpha : float
        Significance level.

    Returns
    -------
    DataFrame
        One row per outcome: ``n_min, n_max, p_min, p_max, eta_min, eta_max,
        significant_at`` (tuple of thresholds with p < alpha), ``not_significant_at``,
        ``changes`` (bool) and ``decision`` (``"significant throughout"``, ``"not significant
        throughout"`` or ``"changes"``).

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "threshold": [0.0, 0.5],
    ...                   "n": [10, 12], "p": [0.04, 0.2], "eta_squared": [0.3, 0.1]})
    >>> sensitivity_decisions(s, alpha=0.05)[["significant_at", "decision"]].iloc[0].tolist()
    [(0.0,), 'changes']
    """
    rows = []
    for key, f in sensitivity.groupby(OUTCOME, sort=False):
        f = f.sort_values("threshold")
        sig = tuple(float(t) for t, p in zip(f["threshold"], f["p"]) if is_significant(p, alpha))
        notsig = tuple(float(t) for t in f["threshold"] if float(t) not in sig)
        changes = bool(sig) and bool(notsig)
        decision = "changes" if changes else ("significant throughout" if sig else "not significant throughout")
        rows.append(
            {
                **dict(zip(OUTCOME, key)),
                "n_min": int(f["n"].min()),
                "n_max": int(f["n"].max()),
                "p_min": float(f["p"].min()),
                "p_max": float(f["p"].max()),
                "eta_min": float(f["eta_squared"].min()),
                "eta_max": float(f["eta_squared"].max()),
                "significant_at": sig,
                "not_significant_at": notsig,
                "changes": changes,
                "decision": decision,
            }
        )
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


#: Columns of :func:`sensitivity_decisions`.
DECISION_COLUMNS = [
    *OUTCOME,
    "n_min",
    "n_max",
    "p_min",
    "p_max",
    "eta_min",
    "eta_max",
    "significant_at",
    "not_significant_at",
    "changes",
    "decision",
]


def sensitivity_wide(sensitivity: pd.DataFrame, value: str = "p") -> pd.DataFrame:
    """One row per outcome, one column per threshold holding ``value`` (``"p"``, ``"n"``, ``"F"``...).

    Columns are named by the threshold as a float; rows keep the outcomes' order.
    """
    wide = sensitivity.pivot_table(index=OUTCOME, columns="threshold", values=value, sort=False)
    order = sensitivity[OUTCOME].drop_duplicates()
    wide = order.merge(wide.reset_index(), on=OUTCOME, how="left")
    wide.columns = [c if isinstance(c, str) else float(c) for c in wide.columns]
    return wide


def sensitivity_compact(sensitivity: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """One row per outcome: p at each threshold, the ranges of N, F and eta squared, and the decision.

    Returns
    -------
    DataFrame
        ``group, measure, subscale``, one float column per threshold holding p, then
        ``n_range, f_range, eta_range, decision, changes`` (ranges across thresholds as text).
    """
    decisions = sensitivity_decisions(sensitivity, alpha=alpha)
    if sensitivity.empty:
        return pd.DataFrame(columns=[*OUTCOME, "n_range", "f_range", "eta_range", "decision", "changes"])
    out = sensitivity_wide(sensitivity, "p").merge(decisions, on=OUTCOME, how="left")
    out["n_range"] = [f"{lo}–{hi}" if lo != hi else f"{lo}" for lo, hi in zip(out["n_min"], out["n_max"])]
    out["eta_range"] = [f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(out["eta_min"], out["eta_max"])]
    f_stats = sensitivity.groupby(OUTCOME, sort=False)["F"].agg(["min", "max"]).reset_index()
    out = out.merge(f_stats, on=OUTCOME, how="left")
    out["f_range"] = [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(out["min"], out["max"])]
    thresholds = [c for c in out.columns if isinstance(c, float)]
    return out[[*OUTCOME, *thresholds, "n_range", "f_range", "eta_range", "decision", "changes"]]
