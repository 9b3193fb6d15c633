"""The code book of the qualitative strand (``data/qualitative/*.yaml``).

Themes (the columns of the framework matrix), codes, the indicators computed from
codes, the staff/user comparisons, the triad questions and the fields of the
care-plan review template. The theme list and the code book are data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .paths import QUALITATIVE_DIR
from .qual_contract import ROLES

__all__ = [
    "Theme",
    "Code",
    "Indicator",
    "Divergence",
    "TriadItem",
    "PlanField",
    "CodeBook",
    "CodeBookError",
    "load_codebook",
]


class CodeBookError(ValueError):
    """The files in ``data/qualitative`` are inconsistent (the message says where)."""


@dataclass(frozen=True)
class _Labelled:
    """An identifier with its label and an optional description."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Theme(_Labelled):
    """One column of the framework matrix."""


@dataclass(frozen=True)
class Code:
    """One code of the code book, with its home theme."""

    id: str
    theme: str
    label: str
    definition: str = ""


@dataclass(frozen=True)
class Indicator:
    """A site-level measure computed from codes.

    ``share``: accounts of ``roles`` with at least one ``positive`` code / accounts of
    ``roles``. ``balance``: that share minus the share with a ``negative`` code and no
    positive one (from -1 to 1).
    """

    id: str
    label: str
    kind: str
    roles: tuple[str, ...]
    positive: tuple[str, ...]
    negative: tuple[str, ...] = ()


@dataclass(frozen=True)
class Divergence:
    """A comparison of a staff indicator with a service-user (or carer) indicator."""

    id: str
    question: str
    staff: str
    users: str


@dataclass(frozen=True)
class TriadItem:
    """A question on which the members of a triad and the written plan are compared."""

    id: str
    question: str
    yes: tuple[str, ...]
    no: tuple[str, ...]
    plan_field: str | None = None


@dataclass(frozen=True)
class PlanField(_Labelled):
    """A yes/no field of the care-plan review template."""


@dataclass(frozen=True)
class CodeBook:
    """Themes, codes, indicators, comparisons, triad questions and care-plan fields."""

    themes: tuple[Theme, ...]
    codes: dict[str, Code]
    indicators: dict[str, Indicator]
    divergences: tuple[Divergence, ...]
    triad_items: tuple[TriadItem, ...]
    plan_fields: tuple[PlanField, ...]
    folder: Path = field(default=QUALITATIVE_DIR)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def plan_field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.plan_fields)

    def theme_label(self, theme: str) -> str:
        return next((t.label for t in self.themes if t.id == theme), theme)

    def code_label(self, code: str) -> str:
        return self.codes[code].label if code in self.codes else code

    def field_label(self, name: str) -> str:
        return next((f.label for f in self.plan_fields if f.id == name), name)

    def theme_lookup(self) -> dict[str, str]:
        """Theme id for every accepted spelling (id or label, case-insensitive)."""
        out = {}
        for t in self.themes:
            out[t.id.casefold()] = t.id
            out[t.label.casefold()] = t.id
        return out


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def load_codebook(folder: str | Path | None = None) -> CodeBook:
    """Read ``themes.yaml``, ``codebook.yaml`` and ``care_plan_template.yaml``.

    Parameters
    ----------
    folder : str or Path, optional
        Default ``data/qualitative``.

    Returns
    -------
    CodeBook

    Raises
    ------
    CodeBookError
        If a code names an unknown theme, an indicator an unknown code or role, a
        comparison an unknown indicator, or a triad question an unknown plan field.

    Examples
    --------
    >>> book = load_codebook()
    >>> book.theme_ids[:3]
    ('organisational_context', 'care_planning', 'risk_safety')
    >>> book.indicators["collaboration"].kind
    'balance'
    """
    folder = Path(folder) if folder is not None else QUALITATIVE_DIR

    def read(name):
        path = folder / name
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CodeBookError(f"{path}: cannot be read ({exc})") from None

    themes = tuple(
        Theme(str(t["id"]), str(t["label"]), str(t.get("description", "")))
        for t in read("themes.yaml").get("themes", [])
    )
    book = read("codebook.yaml")
    template = read("care_plan_template.yaml")
    theme_ids = {t.id for t in themes}
    problems = []
    codes = {}
    for cid, spec in (book.get("codes") or {}).items():
        codes[str(cid)] = Code(str(cid), str(spec["theme"]), str(spec["label"]), str(spec.get("definition", "")))
        if spec["theme"] not in theme_ids:
            problems.append(f"code {cid!r} names unknown theme {spec['theme']!r}")
    indicators = {}
    for iid, spec in (book.get("indicators") or {}).items():
        ind = Indicator(
            str(iid),
            str(spec["label"]),
            str(spec.get("kind", "share")),
            _tuple(spec.get("roles")),
            _tuple(spec.get("positive")),
            _tuple(spec.get("negative")),
        )
        indicators[ind.id] = ind
        if ind.kind not in ("share", "balance"):
            problems.append(f"indicator {iid!r}: kind must be 'share' or 'balance'")
        for c in ind.positive + ind.negative:
            if c not in codes:
                problems.append(f"indicator {iid!r} names unknown code {c!r}")
        for r in ind.roles:
            if r not in ROLES:
                problems.append(f"indicator {iid!r} names unknown role {r!r}")
    divergences = tuple(
        Divergence(str(d["id"]), str(d["question"]), str(d["staff"]), str(d["users"]))
        for d in book.get("divergences") or []
    )
    for d in divergences:
        for ind in (d.staff, d.users):
            if ind not in indicators:
                problems.append(f"comparison {d.id!r} names unknown indicator {ind!r}")
    fields = tuple(
        PlanField(str(f["id"]), str(f["label"]), str(f.get("description", ""))) for f in template.get("fields", [])
    )
    field_ids = {f.id for f in fields}
    items = tuple(
        TriadItem(
            str(t["id"]), str(t["question"]), _tuple(t.get("yes_codes")), _tuple(t.get("no_codes")), t.get("plan_field")
        )
        for t in book.get("triad_items") or []
    )
    for item in items:
        if not item.yes or not item.no:
            problems.append(f"triad question {item.id!r} needs both yes_codes and no_codes")
    for item in items:
        for c in item.yes + item.no:
            if c not in codes:
                problems.append(f"triad question {item.id!r} names unknown code {c!r}")
        if item.plan_field is not None and item.plan_field not in field_ids:
            problems.append(f"triad question {item.id!r} names unknown care-plan field {item.plan_field!r}")
    if problems:
        raise CodeBookError(f"{folder}: " + "; ".join(problems))
    return CodeBook(themes, codes, indicators, divergences, items, fields, folder)
