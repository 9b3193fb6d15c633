"""Questionnaire definitions read from ``data/instruments/*.yaml``.

An instrument file names the item columns, the response range, the codes that
are not answers, the subscales, the reversed items, whether scores are means or
sums, and where the key comes from. The code never hard-codes any of these, so
a user holding the instrument manual corrects a key by editing one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .paths import INSTRUMENTS_DIR

__all__ = [
    "Instrument",
    "InstrumentDefinitionError",
    "Reference",
    "load_instrument",
    "load_instruments",
]


class InstrumentDefinitionError(ValueError):
    """An instrument file is inconsistent; the message lists every problem."""


@dataclass(frozen=True)
class Reference:
    """A published reference value for one scale of an instrument."""

    scale: str
    mean: float
    sd: float
    n: int
    population: str
    source: str


@dataclass(frozen=True)
class Instrument:
    """One questionnaire, as declared in its definition file.

    Attributes
    ----------
    id : str
        Short name used in tables, e.g. ``"RSA"``.
    name : str
        Full name.
    groups : tuple of str
        Participant groups that complete it (``service_users``, ``care_coordinators``).
    items : tuple of str
        Item column names, in questionnaire order.
    min, max : int
        Valid response range (inclusive).
    missing_codes : dict
        Codes that are not answers (e.g. ``9: "Not applicable"``); they become missing.
    scoring : {"mean", "sum"}
        Whether a scale score is the mean or the sum of its items.
    reversed : tuple of str
        Items scored ``min + max - response``.
    scales : dict of str to tuple of str
        Every scored scale (subscales, then the total) and its items.
    total : str
        Name of the total scale.
    """

    id: str
    name: str
    groups: tuple[str, ...]
    items: tuple[str, ...]
    min: int
    max: int
    labels: dict[int, str]
    missing_codes: dict[int, str]
    scoring: str
    reversed: tuple[str, ...]
    scales: dict[str, tuple[str, ...]]
    total: str
    references: tuple[Reference, ...] = ()
    citation: str = ""
    key_verified: bool = False
    status: str = ""
    source: Path | None = field(default=None, compare=False)

    @property
    def subscales(self) -> list[str]:
        """Names of the subscales, without the total."""
        return [s for s in self.scales if s != self.total]

    def reference_for(self, scale: str) -> Reference | None:
        """Return the published reference value for ``scale``, if the file declares one."""
        return next((r for r in self.references if r.scale == scale), None)

    @property
    def score_range(self) -> dict[str, tuple[float, float]]:
        """Possible minimum and maximum of each scale score."""
        if self.scoring == "mean":
            return {s: (float(self.min), float(self.max)) for s in self.scales}
        return {s: (float(self.min * len(i)), float(self.max * len(i))) for s, i in self.scales.items()}


def _as_list(value, what: str, problems: list[str]) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{what} must be a list, got {type(value).__name__}")
        return []
    return value


def _parse(raw: dict, source: Path) -> Instrument:
    problems: list[str] = []
    for key in ("id", "name", "groups", "items", "response", "scoring", "subscales", "total", "provenance"):
        if key not in raw:
            problems.append(f"missing key '{key}'")
    if problems:
        raise InstrumentDefinitionError(f"{source}: " + "; ".join(problems))

    items = [str(i) for i in _as_list(raw["items"], "items", problems)]
    duplicated = sorted({i for i in items if items.count(i) > 1})
    if duplicated:
        problems.append(f"items listed twice: {', '.join(duplicated)}")

    response = raw["response"] or {}
    lo, hi = response.get("min"), response.get("max")
    if not (isinstance(lo, int) and isinstance(hi, int) and lo < hi):
        problems.append(f"response needs integer min < max, got min={lo!r}, max={hi!r}")
        lo, hi = 0, 0
    labels = {int(k): str(v) for k, v in (response.get("labels") or {}).items()}
    bad_labels = sorted(k for k in labels if not lo <= k <= hi)
    if bad_labels:
        problems.append(f"labels for codes outside {lo}-{hi}: {bad_labels}")
    missing_codes = {int(k): str(v) for k, v in (raw.get("missing_codes") or {}).items()}
    clash = sorted(k for k in missing_codes if lo <= k <= hi)
    if clash:
        problems.append(f"missing codes inside the response range {lo}-{hi}: {clash}")

    scoring = raw["scoring"]
    if scoring not in ("mean", "sum"):
        problems.append(f"scoring must be 'mean' or 'sum', got {scoring!r}")

    known = set(items)
    reversed_items = [str(i) for i in _as_list(raw.get("reversed"), "reversed", problems)]
    outside = [i for i in reversed_items if i not in known]
    if outside:
        problems.append(f"reversed items not in the item list: {', '.join(outside)}")

    scales: dict[str, tuple[str, ...]] = {}
    for name, members in (raw["subscales"] or {}).items():
        members = [str(i) for i in _as_list(members, f"subscale '{name}'", problems)]
        unknown = [i for i in members if i not in known]
        if unknown:
            problems.append(f"subscale '{name}' lists unknown items: {', '.join(unknown)}")
        if not members:
            problems.append(f"subscale '{name}' has no items")
        scales[str(name)] = tuple(members)

    total = raw["total"] or {}
    total_name = str(total.get("name", "Total"))
    total_items = total.get("items", "all")
    if total_items == "all":
        total_items = items
    else:
        total_items = [str(i) for i in _as_list(total_items, "total items", problems)]
        unknown = [i for i in total_items if i not in known]
        if unknown:
            problems.append(f"total lists unknown items: {', '.join(unknown)}")
    if total_name in scales:
        problems.append(f"total name '{total_name}' is also a subscale name")
    scales[total_name] = tuple(total_items)

    scored = {i for members in scales.values() for i in members}
    unscored = [i for i in items if i not in scored]
    if unscored:
        problems.append(f"items in no scale: {', '.join(unscored)}")

    references = []
    for k, ref in enumerate(_as_list(raw.get("reference"), "reference", problems)):
        missing = [f for f in ("scale", "mean", "sd", "n", "source") if f not in ref]
        if missing:
            problems.append(f"reference {k + 1} lacks {', '.join(missing)} (every reference value needs its source)")
            continue
        if ref["scale"] not in scales:
            problems.append(f"reference {k + 1} names unknown scale '{ref['scale']}'")
        references.append(
            Reference(
                str(ref["scale"]),
                float(ref["mean"]),
                float(ref["sd"]),
                int(ref["n"]),
                str(ref.get("population", "")),
                str(ref["source"]),
            )
        )

    provenance = raw["provenance"] or {}
    if "key_verified" not in provenance or not isinstance(provenance["key_verified"], bool):
        problems.append("provenance.key_verified must be true or false")
    if not provenance.get("citation"):
        problems.append("provenance.citation is required")

    if problems:
        raise InstrumentDefinitionError(
            f"{source}: {len(problems)} problem(s) in the instrument definition:\n  - " + "\n  - ".join(problems)
        )
    return Instrument(
        id=str(raw["id"]),
        name=str(raw["name"]),
        groups=tuple(raw["groups"]),
        items=tuple(items),
        min=lo,
        max=hi,
        labels=labels,
        missing_codes=missing_codes,
        scoring=scoring,
        reversed=tuple(reversed_items),
        scales=scales,
        total=total_name,
        references=tuple(references),
        citation=str(provenance.get("citation", "")),
        key_verified=bool(provenance.get("key_verified")),
        status=" ".join(str(provenance.get("status", "")).split()),
        source=source,
    )


def load_instrument(path: str | Path) -> Instrument:
    """Read and check one instrument definition file.

    Parameters
    ----------
    path : str or Path
        A YAML file in the format of ``data/instruments/rsa.yaml``.

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentDefinitionError
        If the definition is inconsistent (an item in no scale, an unknown item in a
        subscale, a reversed item outside the item list, ...); every problem is listed.

    Examples
    --------
    >>> rsa = load_instrument(INSTRUMENTS_DIR / "rsa.yaml")
    >>> rsa.id, len(rsa.items), rsa.subscales[0]
    ('RSA', 36, 'Life Goals')
    """
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict):
        raise InstrumentDefinitionError(f"{path}: not a mapping of keys to values")
    return _parse(raw, path)


def load_instruments(directory: str | Path | None = None) -> dict[str, Instrument]:
    """Read every ``*.yaml`` instrument file in ``directory`` (default: ``data/instruments``).

    Returns
    -------
    dict of str to Instrument
        Keyed by instrument id, in file-name order.
    """
    directory = Path(directory) if directory is not None else INSTRUMENTS_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise InstrumentDefinitionError(f"{directory}: no instrument definition files (*.yaml)")
    instruments = [load_instrument(f) for f in files]
    order = {"RSA": 0, "STAR-P": 1, "ES": 2}
    instruments.sort(key=lambda i: (order.get(i.id, 99), i.id))
    return {i.id: i for i in instruments}
