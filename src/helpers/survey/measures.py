"""What was measured and where: questionnaires per site, the instruments and their scales."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.io import GROUPS, Dataset, Instrument, Published

__all__ = ["site_counts", "with_total_row", "compact_items", "instrument_table", "scale_table"]


def site_counts(dataset: Dataset, published: Published | None = None) -> pd.DataFrame:
    """Questionnaires per site and group in the data, beside the article's Table 1.

    Parameters
    ----------
    dataset : Dataset
    published : Published, optional
        The article's tables (:func:`helpers.io.load_published`); without it the
        ``published_*`` columns are missing values.

    Returns
    -------
    DataFrame
        One row per site of the data (sorted), then one per site of the article absent
        from the data: ``site, country, service_users, care_coordinators,
        published_service_users, published_care_coordinators, in_data, in_article``.
        Published counts are NaN for sites the article does not name.
    """
    sites = dataset.sites[["site", "country"]].copy()
    for group in GROUPS:
        counts = dataset.group(group)["site"].value_counts()
        sites[group] = sites["site"].map(counts).fillna(0).astype(int)
    sites = sites.sort_values("site", kind="stable").reset_index(drop=True)
    sites["in_data"] = True
    if published is not None:
        pub = published.sites[["site", "country"]].copy()
        for group in GROUPS:
            pub[f"published_{group}"] = pub["site"].map(published.site_returns(group)).astype(float)
        out = sites.merge(pub.drop(columns="country"), on="site", how="left")
        extra = pub[~pub["site"].isin(sites["site"])].assign(in_data=False, **{g: 0 for g in GROUPS})
        if len(extra):
            out = pd.concat([out, extra[out.columns].astype(out.dtypes.to_dict())], ignore_index=True)
        out["in_article"] = out["site"].isin(pub["site"])
    else:
        out = sites.assign(**{f"published_{g}": np.nan for g in GROUPS}, in_article=False)
    out["in_data"] = out["in_data"].astype(bool)
    cols = ["site", "country", *GROUPS, *[f"published_{g}" for g in GROUPS], "in_data", "in_article"]
    return out[cols]


def with_total_row(
    frame: pd.DataFrame, label_column: str, label: str = "All sites", columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """``frame`` with a last row summing ``columns`` (default: every numeric column).

    A sum is missing when any of its values is (an unknown count makes the total unknown).

    Examples
    --------
    >>> f = pd.DataFrame({"site": ["A", "B"], "n": [3, 4], "m": [1.0, None]})
    >>> t = with_total_row(f, "site")
    >>> t["site"].tolist(), t["n"].tolist(), bool(np.isnan(t["m"].iloc[-1]))
    (['A', 'B', 'All sites'], [3, 4, 7], True)
    """
    columns = (
        list(columns)
        if columns is not None
        else [
            c
            for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        ]
    )
    total = {c: (float("nan") if frame[c].isna().any() else frame[c].sum().item()) for c in columns}
    row = pd.DataFrame([{label_column: label, **total}])
    out = pd.concat([frame, row], ignore_index=True)
    for c in columns:
        if pd.api.types.is_integer_dtype(frame[c]):
            out[c] = out[c].astype(int)
    return out


def compact_items(items: Sequence[str]) -> str:
    """Item names with runs of consecutive numbers written as ranges.

    Examples
    --------
    >>> compact_items(["rsa_01", "rsa_02", "rsa_03", "rsa_07"])
    'rsa_01–rsa_03, rsa_07'
    """
    parts: list[str] = []
    run: list[tuple[str, str | None, int | None]] = []

    def flush() -> None:
        if run:
            parts.append(run[0][0] if len(run) == 1 else f"{run[0][0]}–{run[-1][0]}")

    for item in items:
        m = re.match(r"^(.*?)(\d+)$", item)
        if m and run and run[-1][1] == m.group(1) and run[-1][2] + 1 == int(m.group(2)):
            run.append((item, m.group(1), int(m.group(2))))
            continue
        flush()
        run = [(item, m.group(1), int(m.group(2)))] if m else [(item, None, None)]
    flush()
    return ", ".join(parts)


def instrument_table(instruments: Mapping[str, Instrument]) -> pd.DataFrame:
    """One row per instrument: structure, scoring and the provenance of its item key.

    Returns
    -------
    DataFrame
        ``measure, name, completed_by, n_items, response, missing_codes, scoring,
        n_subscales, n_reversed, reference, key_verified, status, citation, file``.
    """
    rows = []
    for inst in instruments.values():
        ref = inst.reference_for(inst.total) or (inst.references[0] if inst.references else None)
        rows.append(
            {
                "measure": inst.id,
                "name": inst.name,
                "completed_by": ", ".join(GROUPS[g].label.lower() for g in inst.groups if g in GROUPS),
                "n_items": len(inst.items),
                "response": f"{inst.min}–{inst.max}",
                "missing_codes": ", ".join(f"{k} = {v}" for k, v in inst.missing_codes.items()) or "none",
                "scoring": "item mean" if inst.scoring == "mean" else "item sum",
                "n_subscales": len(inst.subscales),
                "n_reversed": len(inst.reversed),
                "reference": (
                    f"{ref.scale}: mean {ref.mean:g}, SD {ref.sd:g}, n = {ref.n} ({ref.source})" if ref else "none"
                ),
                "key_verified": bool(inst.key_verified),
                "status": inst.status,
                "citation": inst.citation,
                "file": inst.source.name if inst.source else "",
            }
        )
    return pd.DataFrame(rows)


def scale_table(instruments: Mapping[str, Instrument]) -> pd.DataFrame:
    """One row per scored scale: its items (compactly) and the range of its score.

    Returns
    -------
    DataFrame
        ``measure, scale, n_items, items, reversed_items, score_min, score_max, key_verified``.
    """
    rows = []
    for inst in instruments.values():
        for scale, members in inst.scales.items():
            lo, hi = inst.score_range[scale]
            rev = [i for i in members if i in inst.reversed]
            rows.append(
                {
                    "measure": inst.id,
                    "scale": scale,
                    "n_items": len(members),
                    "items": compact_items(members),
                    "reversed_items": compact_items(rev) or "none",
                    "score_min": lo,
                    "score_max": hi,
                    "key_verified": bool(inst.key_verified),
                }
            )
    return pd.DataFrame(rows)
