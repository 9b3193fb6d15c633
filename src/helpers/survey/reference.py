"""Comparison of the sample's scores with a published reference value of a scale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.io import Instrument, Reference
from helpers.stats import compare_with_reference, is_significant

__all__ = ["resolve_reference", "reference_comparison", "REFERENCE_COLUMNS"]

#: Columns of :func:`reference_comparison`.
REFERENCE_COLUMNS = [
    "site",
    "mean",
    "sd",
    "n",
    "ref_mean",
    "ref_sd",
    "ref_n",
    "diff",
    "se",
    "df",
    "t",
    "p",
    "ci_low",
    "ci_high",
    "hedges_g",
    "significant",
]


def resolve_reference(
    instrument: Instrument, override: Mapping[str, Any] | None = None, scale: str | None = None
) -> Reference | None:
    """The published reference value to compare ``scale`` with: ``override`` or the instrument file's.

    Parameters
    ----------
    instrument : Instrument
    override : dict, optional
        ``{"mean": ..., "sd": ..., "n": ..., "source": ...}`` and optionally ``"scale"``
        (default the total) and ``"population"`` (``AnalysisConfig.starp_reference``,
        ``es_reference``). Replaces the file's value.
    scale : str, optional
        Defaults to ``override["scale"]`` or the instrument's total.

    Returns
    -------
    Reference or None
        None when neither the override nor the instrument file gives a value.

    Raises
    ------
    ValueError
        If the override lacks a key, has a non-positive SD or n, or names an unknown scale.

    Examples
    --------
    >>> from helpers.io import load_instruments
    >>> es = load_instruments()["ES"]
    >>> resolve_reference(es) is None
    True
    >>> resolve_reference(es, {"mean": 2.9, "sd": 0.3, "n": 100, "source": "my survey"}).n
    100
    """
    if override:
        missing = [k for k in ("mean", "sd", "n", "source") if k not in override]
        if missing:
            raise ValueError(
                f"the reference value for {instrument.id} lacks {', '.join(missing)}; "
                "give mean, sd, n and source (where the value is published)"
            )
        name = str(override.get("scale", scale or instrument.total))
        if name not in instrument.scales:
            raise ValueError(f"the reference value names scale {name!r}, which {instrument.id} does not have")
        sd, n = float(override["sd"]), int(override["n"])
        if sd <= 0 or n < 2:
            raise ValueError(f"the reference value for {instrument.id} needs sd > 0 and n >= 2")
        return Reference(
            name, float(override["mean"]), sd, n, str(override.get("population", "")), str(override["source"])
        )
    return instrument.reference_for(scale or instrument.total)


def reference_comparison(
    scores: pd.DataFrame,
    reference: Reference | None,
    group: str,
    measure: str,
    *,
    alpha: float,
    confidence: float,
) -> pd.DataFrame:
    """Welch's t test of the whole sample's and each site's mean against a published reference.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    reference : Reference or None
        From :func:`resolve_reference`; its ``scale`` selects the outcome. None gives an
        empty table.
    group, measure : str
    alpha : float
        Significance level (``significant``).
    confidence : float
        Confidence level of the interval of the difference.

    Returns
    -------
    DataFrame
        First the row ``site = "All sites"``, then one per site (sorted) with at least two
        scores: ``site`` plus the columns of :func:`helpers.stats.compare_with_reference`
        and ``significant``.
    """
    if reference is None:
        return pd.DataFrame(columns=REFERENCE_COLUMNS)
    sel = scores[
        (scores["group"] == group) & (scores["measure"] == measure) & (scores["subscale"] == reference.scale)
    ].dropna(subset=["score"])
    parts = [("All sites", sel["score"])] + [(s, f["score"]) for s, f in sel.groupby("site", sort=True)]
    rows = []
    for site, values in parts:
        if len(values) < 2:
            continue
        res = compare_with_reference(
            float(values.mean()),
            float(values.std(ddof=1)),
            int(len(values)),
            reference.mean,
            reference.sd,
            reference.n,
            confidence=confidence,
        )
        rows.append(res.assign(site=site))
    if not rows:
        return pd.DataFrame(columns=REFERENCE_COLUMNS)
    out = pd.concat(rows, ignore_index=True)
    out["significant"] = [is_significant(p, alpha) for p in out["p"]]
    return out[["site", *[c for c in out.columns if c != "site"]]]
