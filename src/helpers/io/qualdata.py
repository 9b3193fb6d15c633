"""The qualitative tables, typed, and the :class:`QualData` bundle the analyses take.

Validated raw tables become typed tables (:func:`typed_tables`); a dataset without
qualitative files gets empty tables of the same columns (:func:`empty_tables`), so
that every analysis can report its skeleton instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .codebook import CodeBook, load_codebook
from .qual_contract import (
    CARE_PLAN_KEYS,
    FRAMEWORK_COLUMNS,
    INTERVIEW_COLUMNS,
    QUAL_TABLES,
    YES_NO,
    cell_text,
    join_codes,
    split_codes,
    split_triads,
)

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = ["typed_tables", "empty_tables", "QualData", "from_dataset"]


def _typed_interviews(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for column in ("participant_id", "site", "role"):
        out[column] = cell_text(out[column]).astype(str)
    triads = out["triad_id"] if "triad_id" in out.columns else pd.Series(np.nan, index=out.index)
    out["triad_id"] = [join_codes(split_triads(t)) or None for t in triads]
    return out


def _typed_framework(frame: pd.DataFrame, codebook: CodeBook) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    lookup = codebook.theme_lookup()
    out["participant_id"] = cell_text(out["participant_id"]).astype(str)
    out["theme"] = [lookup[str(t).strip().casefold()] for t in out["theme"]]
    out["summary"] = cell_text(out["summary"]).fillna("").astype(str) if "summary" in out else ""
    out["codes"] = [join_codes(split_codes(c)) for c in (out["codes"] if "codes" in out else [None] * len(out))]
    return out


def _typed_care_plans(frame: pd.DataFrame, codebook: CodeBook) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for column in ("participant_id", "site"):
        out[column] = cell_text(out[column]).astype(str)
    if "triad_id" in out.columns:
        out["triad_id"] = [t if isinstance(t, str) else None for t in cell_text(out["triad_id"])]
    for name in codebook.plan_field_ids:
        values = cell_text(out[name]).str.lower().map(YES_NO)
        out[name] = pd.array(values.tolist(), dtype="boolean")
    return out


def typed_tables(frames: Mapping[str, pd.DataFrame], codebook: CodeBook | None = None) -> dict[str, pd.DataFrame]:
    """Typed copies of validated raw tables (see :func:`inspect_qualitative`).

    ``participant_id``, ``site``, ``role`` as ``str``; ``triad_id`` as text or None
    (several triads joined by ``"; "``); framework ``theme`` as the theme id, ``summary``
    as text (``""`` when blank) and ``codes`` normalised to ``"a; b"``; care-plan
    fields as pandas ``boolean`` (``<NA>`` for blank).
    """
    codebook = codebook or load_codebook()
    out = {}
    if "interviews" in frames:
        out["interviews"] = _typed_interviews(frames["interviews"])
    if "framework" in frames:
        out["framework"] = _typed_framework(frames["framework"], codebook)
    if "care_plans" in frames:
        out["care_plans"] = _typed_care_plans(frames["care_plans"], codebook)
    return out


def empty_tables(codebook: CodeBook | None = None) -> dict[str, pd.DataFrame]:
    """Typed, empty interviews, framework and care-plan tables (a dataset without qualitative files)."""
    codebook = codebook or load_codebook()
    plans = pd.DataFrame({c: pd.Series(dtype=object) for c in CARE_PLAN_KEYS})
    for name in codebook.plan_field_ids:
        plans[name] = pd.array([], dtype="boolean")
    return {
        "interviews": pd.DataFrame({c: pd.Series(dtype=object) for c in INTERVIEW_COLUMNS}),
        "framework": pd.DataFrame({c: pd.Series(dtype=object) for c in FRAMEWORK_COLUMNS}),
        "care_plans": plans,
    }


@dataclass
class QualData:
    """The qualitative tables of a dataset, empty (not None) when the dataset has none.

    Attributes
    ----------
    interviews, framework, care_plans : DataFrame
    sites : DataFrame
        ``site`` and ``country`` of every site of the dataset (all sites are reported,
        even those without interviews).
    codebook : CodeBook
    available : bool
        Whether the dataset holds interviews.
    synthetic : bool
    """

    interviews: pd.DataFrame
    framework: pd.DataFrame
    care_plans: pd.DataFrame
    sites: pd.DataFrame
    codebook: CodeBook
    available: bool
    synthetic: bool = False

    @property
    def site_list(self) -> list[str]:
        return list(self.sites["site"])


def from_dataset(dataset: Dataset, codebook: CodeBook | None = None) -> QualData:
    """The qualitative tables of a loaded :class:`~helpers.io.dataset.Dataset` (empty when absent)."""
    codebook = codebook or load_codebook()
    empty = empty_tables(codebook)
    tables = {name: getattr(dataset, name, None) for name in QUAL_TABLES}
    available = tables["interviews"] is not None and len(tables["interviews"]) > 0
    sites = dataset.sites[["site", "country"]].astype({"site": str}).copy()
    sites["country"] = sites["country"].astype(str)
    return QualData(
        interviews=tables["interviews"] if tables["interviews"] is not None else empty["interviews"],
        framework=tables["framework"] if tables["framework"] is not None else empty["framework"],
        care_plans=tables["care_plans"] if tables["care_plans"] is not None else empty["care_plans"],
        sites=sites.reset_index(drop=True),
        codebook=codebook,
        available=available,
        synthetic=bool(getattr(dataset, "synthetic", False)),
    )
