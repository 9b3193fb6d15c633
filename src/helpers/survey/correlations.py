"""Correlations between the instrument totals of one participant group, overall and per site."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.io import Published
from helpers.stats import pearson_table

__all__ = ["wide_totals", "total_correlations", "correlations_with_published", "correlation_strength_counts"]

#: Cohen's labels of the size of a correlation, largest first.
STRENGTH_LABELS = ["large", "medium", "small", "negligible"]


def wide_totals(scores: pd.DataFrame, group: str = "service_users") -> pd.DataFrame:
    """One row per participant of ``group``, one column per instrument total."""
    totals = scores[(scores["group"] == group) & (scores["subscale"] == "Total")]
    return totals.pivot(index=["participant_id", "site"], columns="measure", values="score").reset_index()


def total_correlations(
    scores: pd.DataFrame,
    *,
    confidence: float,
    sizes: Mapping[str, float],
    group: str = "service_users",
    by_site: bool = False,
) -> pd.DataFrame:
    """Pearson correlations between instrument totals, pairwise complete, with Cohen's labels.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    confidence : float
        Confidence level of the interval of each ``r`` (Fisher's z).
    sizes : mapping
        Smallest ``|r|`` of a small, medium and large correlation
        (``AnalysisConfig.correlation_sizes``).
    group : str
        The participant group whose totals are correlated.
    by_site : bool
        One set of correlations per site instead of one overall.

    Returns
    -------
    DataFrame
        ``[site], x, y, n, r, ci_low, ci_high, p, strength``.
    """
    wide = wide_totals(scores, group)
    measures = list(dict.fromkeys(scores.loc[scores["group"] == group, "measure"]))
    pairs = [(a, b) for k, a in enumerate(measures) for b in measures[k + 1 :]]
    if not by_site:
        return pearson_table(wide, pairs, confidence=confidence, sizes=sizes)
    frames = [
        pearson_table(f, pairs, confidence=confidence, sizes=sizes).assign(site=site)
        for site, f in wide.groupby("site", sort=True)
    ]
    out = pd.concat(frames, ignore_index=True)
    return out[["site", *[c for c in out.columns if c != "site"]]]


def correlations_with_published(correlations: pd.DataFrame, published: Published | None = None) -> pd.DataFrame:
    """:func:`total_correlations` (all sites) beside the article's Table 4.

    Returns
    -------
    DataFrame
        The input plus ``published_r, published_n, published_p`` (matched on the pair in
        either order).
    """
    out = correlations.copy()
    out[["published_r", "published_n", "published_p"]] = np.nan
    if published is None:
        return out
    for rec in published.correlations.itertuples(index=False):
        pair = {rec.measure_a, rec.measure_b}
        hit = [({x, y} == pair) for x, y in zip(out["x"], out["y"])]
        out.loc[hit, ["published_r", "published_n", "published_p"]] = [rec.r, float(rec.n), rec.p_as_printed]
    return out


def correlation_strength_counts(by_site: pd.DataFrame) -> pd.DataFrame:
    """Per pair of totals, the number of sites with each Cohen label and the range of r.

    Returns
    -------
    DataFrame
        ``x, y, n_sites, r_min, r_max, large, medium, small, negligible`` (sites per label).
    """
    rows = []
    for (x, y), f in by_site.groupby(["x", "y"], sort=False):
        counts = f["strength"].value_counts()
        rows.append(
            {
                "x": x,
                "y": y,
                "n_sites": int(len(f)),
                "r_min": float(f["r"].min()),
                "r_max": float(f["r"].max()),
                **{label: int(counts.get(label, 0)) for label in STRENGTH_LABELS},
            }
        )
    return pd.DataFrame(rows)
