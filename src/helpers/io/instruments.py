"""Questionnaire definitions read from ``data/instruments/*.yaml``.

An instrument file names the item columns, the response range, the codes that
are not answers, the subscales, the reversed items, whether scores are means or
sums, and where the key comes from. The code never hard-codes any of these, so
a user holding the instrument manual corrects a key by editing one file.

An instrument completed by several groups on different forms (the RSA's
person-in-recovery and provider versions) declares each form under ``forms``:
a form shares the item columns and may change the subscales, the reversed items,
the stored direction of the answers, add codes that are not answers, and carry its
own key status. The response direction in which a data file stores the answers is
declared as ``response.stored``; answers stored the other way round are recoded
when the data are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .paths import INSTRUMENTS_DIR

__all__ = [
    "STORED_DIRECTIONS",
    "Instrument",
    "InstrumentDefinitionError",
    "Reference",
    "load_instrument",
    "load_instruments",
]


class InstrumentDefinitionError(ValueError):
    """An instrument file is inconsistent; the message lists every problem."""


#: How a data file may store the answers: in the order of ``response.labels`` (``min`` is the
#: first label), or reversed (``min`` stands for the last label, e.g. 1 = strongly agree on a
#: scale labelled 1 = strongly disagree ... 4 = strongly agree).
STORED_DIRECTIONS = ("as_labelled", "reversed")

#: Keys a form may set; everything else comes from the instrument's shared definition.
FORM_KEYS = frozenset({"name", "status", "key_verified", "subscales", "total", "reversed", "missing_codes", "stored"})


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
    stored : {"as_labelled", "reversed"}
        How data files store the answers; ``reversed`` answers are recoded to
        ``min + max - answer`` when a dataset is read (:data:`STORED_DIRECTIONS`).
    form : str
        Name of the form this definition describes (empty for a single-form instrument).
    forms : dict of str to Instrument
        The form completed by each participant group that has its own (see :meth:`for_group`).
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
    stored: str = "as_labelled"
    form: str = ""
    forms: dict[str, Instrument] = field(default_factory=dict)

    def for_group(self, group: str) -> Instrument:
        """The definition of the form that ``group`` completed (this one when it has no form of its own).

        Raises
        ------
        KeyError
            If ``group`` does not complete this instrument.

        Examples
        --------
        >>> rsa = load_instrument(INSTRUMENTS_DIR / "rsa.yaml")
        >>> rsa.for_group("care_coordinators").form, rsa.for_group("care_coordinators").groups
        ('provider version', ('care_coordinators',))
        """
        if group not in self.groups:
            raise KeyError(f"{self.id} is not completed by {group!r}; it is completed by {', '.join(self.groups)}")
        return self.forms.get(group, self)

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


def _codes(value) -> dict[int, str]:
    return {int(k): str(v) for k, v in (value or {}).items()}


def _form(raw: dict, source: Path, group: str, spec) -> tuple[Instrument | None, list[str]]:
    """The definition of one form: the shared definition with the form's own keys on top."""
    if not isinstance(spec, dict):
        return None, ["must be a mapping of keys to values"]
    problems = []
    if group not in (raw.get("groups") or []):
        problems.append(f"'{group}' is not one of the instrument's groups")
    unknown = sorted(str(k) for k in set(spec) - FORM_KEYS)
    if unknown:
        allowed = ", ".join(sorted(FORM_KEYS))
        problems.append(f"unknown keys {', '.join(unknown)} (a form shares the item columns and may set {allowed})")
    if not spec.get("name"):
        problems.append("name is required")
    shared_codes = _codes(raw.get("missing_codes"))
    extra = _codes(spec.get("missing_codes"))
    twice = sorted(k for k in extra if k in shared_codes)
    if twice:
        problems.append(f"missing codes already declared for every form: {twice}")
    if problems:
        return None, problems
    merged = {k: v for k, v in raw.items() if k != "forms"}
    merged["groups"] = [group]
    merged.update({k: spec[k] for k in ("subscales", "total", "reversed") if k in spec})
    merged["missing_codes"] = {**shared_codes, **extra}
    if "stored" in spec:
        merged["response"] = {**(raw.get("response") or {}), "stored": spec["stored"]}
    provenance = dict(raw.get("provenance") or {})
    provenance.update({k: spec[k] for k in ("status", "key_verified") if k in spec})
    merged["provenance"] = provenance
    form, problems = _build(merged, source)
    return (replace(form, form=str(spec["name"])) if form is not None else None), problems


def _forms(raw: dict, source: Path) -> tuple[dict[str, Instrument], list[str]]:
    specs = raw.get("forms") or {}
    if not isinstance(specs, dict):
        return {}, ["forms must map a participant group to the definition of its form"]
    forms, problems = {}, []
    for group, spec in specs.items():
        form, form_problems = _form(raw, source, str(group), spec)
        problems.extend(f"form of {group}: {p}" for p in form_problems)
        if form is not None:
            forms[str(group)] = form
    return forms, problems


def _parse(raw: dict, source: Path) -> Instrument:
    instrument, problems = _build(raw, source)
    forms, form_problems = _forms(raw, source)
    problems += [p for p in form_problems if p.split(": ", 1)[1] not in problems]  # a shared problem once
    if problems:
        raise InstrumentDefinitionError(
            f"{source}: {len(problems)} problem(s) in the instrument definition:\n  - " + "\n  - ".join(problems)
        )
    return replace(instrument, forms=forms)


def _build(raw: dict, source: Path) -> tuple[Instrument | None, list[str]]:
    problems: list[str] = []
    for key in ("id", "name", "groups", "items", "response", "scoring", "subscales", "total", "provenance"):
        if key not in raw:
            problems.append(f"missing key '{key}'")
    if problems:
        return None, problems

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
    missing_codes = _codes(raw.get("missing_codes"))
    clash = sorted(k for k in missing_codes if lo <= k <= hi)
    if clash:
        problems.append(f"missing codes inside the response range {lo}-{hi}: {clash}")
    stored = response.get("stored", STORED_DIRECTIONS[0])
    if stored not in STORED_DIRECTIONS:
        problems.append(f"response.stored must be one of {', '.join(STORED_DIRECTIONS)}, got {stored!r}")

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
        return None, problems
    instrument = Instrument(
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
        stored=stored,
    )
    return instrument, []


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
