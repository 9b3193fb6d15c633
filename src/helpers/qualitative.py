"""The qualitative strand: interviews, the framework matrix and the care-plan review.

The study interviewed senior managers (SM), senior practitioners (SP), care
coordinators (CC), service users (SU) and carers (CA) at each site, charted the
transcripts into a framework matrix (one row per interview, one column per theme,
a researcher's summary in each cell) and reviewed each interviewed service user's
written care plan with a template. This module holds

- the **data contract** of the three optional tables of a dataset folder
  (``interviews``, ``framework``, ``care_plans``) and its validation, reporting
  every problem at once in the format of :mod:`helpers.dataio` (file, column and
  spreadsheet rows);
- the import of a framework matrix **as NVivo exports it** (cases as rows, themes
  as columns, summaries in cells) and its conversion to the long form;
- the **code book** (``data/qualitative/*.yaml``): themes, codes, the indicators
  computed from codes, the staff/user comparisons and the triad questions. The
  theme list and the code book are data, not code;
- the **analyses**, one tidy table each: the matrix by site and role, code
  frequencies, indicators per site, staff versus service-user divergence, triad
  agreement, the care-plan review by site and tests of site patterns;
- the **wording** of their results for the book, chosen from the numbers.

Every analysis accepts empty tables (a dataset without qualitative files) and then
returns its skeleton: every site, role, code or field with zero counts and NaN
shares, never an invented value.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .paths import DATA_DIR

__all__ = [
    "QUALITATIVE_DIR", "ROLES", "ROLE_ORDER", "STAFF_ROLES", "USER_ROLES", "QUAL_TABLES", "NVIVO_TABLE",
    "INTERVIEW_COLUMNS", "FRAMEWORK_COLUMNS", "CODE_SEPARATOR", "TRIAD_SEPARATOR", "KINDS",
    "Theme", "Code", "Indicator", "Divergence", "TriadItem", "PlanField", "CodeBook", "CodeBookError",
    "load_codebook", "site_initial", "participant_label", "split_codes", "join_codes",
    "QualitativeInspection", "inspect_qualitative", "QualData", "from_dataset", "empty_tables",
    "read_nvivo_matrix", "nvivo_to_long", "long_to_nvivo", "parse_bracketed_codes",
    "account_codes", "interview_counts", "interview_counts_with_published", "framework_matrix",
    "framework_by_site_role", "code_frequencies", "indicator_values", "site_indicators", "divergence_table",
    "triad_members", "triad_positions", "triad_agreement", "triad_agreement_summary", "care_plan_review",
    "care_plan_review_wide", "exact_site_test", "site_pattern_tests",
]

QUALITATIVE_DIR = DATA_DIR / "qualitative"

#: Interview roles: the label's middle part and the role column's values.
ROLES = {"SM": "senior manager", "SP": "senior practitioner", "CC": "care coordinator", "SU": "service user",
         "CA": "carer"}
ROLE_ORDER = tuple(ROLES)
ROLE_PLURALS = {"SM": "senior managers", "SP": "senior practitioners", "CC": "care coordinators",
                "SU": "service users", "CA": "carers"}
STAFF_ROLES = ("SM", "SP", "CC")
SENIOR_ROLES = ("SM", "SP")
USER_ROLES = ("SU", "CA")

#: Optional tables of a dataset folder, in report order.
QUAL_TABLES = ("interviews", "framework", "care_plans")
#: The framework matrix as NVivo exports it (an alternative to ``framework``).
NVIVO_TABLE = "framework_matrix"

INTERVIEW_COLUMNS = ("participant_id", "site", "role", "triad_id")
FRAMEWORK_COLUMNS = ("participant_id", "theme", "summary", "codes")
CARE_PLAN_KEYS = ("participant_id", "triad_id", "site")
#: Separates several codes in one ``codes`` cell, and several triads in one ``triad_id`` cell.
CODE_SEPARATOR = ";"
TRIAD_SEPARATOR = ";"
YES, NO = "yes", "no"

# Problem kinds of the qualitative tables (besides those of helpers.dataio).
UNKNOWN_ROLE = "unknown role"
MALFORMED_LABEL = "malformed label"
LABEL_MISMATCH = "label mismatch"
MISSING_INTERVIEW = "missing interview"
TRIAD_PROBLEM = "inconsistent triad"
UNKNOWN_THEME = "unknown theme"
UNKNOWN_CODE = "unknown code"
NOT_YES_NO = "not yes/no"
NOT_SERVICE_USER = "not a service user"
SITE_MISMATCH = "site mismatch"
KINDS = (UNKNOWN_ROLE, MALFORMED_LABEL, LABEL_MISMATCH, MISSING_INTERVIEW, TRIAD_PROBLEM, UNKNOWN_THEME,
         UNKNOWN_CODE, NOT_YES_NO, NOT_SERVICE_USER, SITE_MISMATCH)

_LABEL = re.compile(r"^([A-Za-z])-([A-Za-z]{2})-(\d+)$")
_BRACKET_CODES = re.compile(r"\s*\[\s*codes?\s*:\s*([^\]]*)\]\s*$", re.IGNORECASE)
_NVIVO_ROW_PREFIX = re.compile(r"^\s*\d+\s*:\s*")
_NVIVO_COLUMN_PREFIX = re.compile(r"^\s*[A-Z]{1,3}\s*:\s*")


# =========================================================================== the code book


class CodeBookError(ValueError):
    """The files in ``data/qualitative`` are inconsistent (the message says where)."""


@dataclass(frozen=True)
class Theme:
    """One column of the framework matrix."""

    id: str
    label: str
    description: str = ""


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
class PlanField:
    """A yes/no field of the care-plan review template."""

    id: str
    label: str
    description: str = ""


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

    themes = tuple(Theme(str(t["id"]), str(t["label"]), str(t.get("description", "")))
                   for t in read("themes.yaml").get("themes", []))
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
        ind = Indicator(str(iid), str(spec["label"]), str(spec.get("kind", "share")), _tuple(spec.get("roles")),
                        _tuple(spec.get("positive")), _tuple(spec.get("negative")))
        indicators[ind.id] = ind
        if ind.kind not in ("share", "balance"):
            problems.append(f"indicator {iid!r}: kind must be 'share' or 'balance'")
        for c in ind.positive + ind.negative:
            if c not in codes:
                problems.append(f"indicator {iid!r} names unknown code {c!r}")
        for r in ind.roles:
            if r not in ROLES:
                problems.append(f"indicator {iid!r} names unknown role {r!r}")
    divergences = tuple(Divergence(str(d["id"]), str(d["question"]), str(d["staff"]), str(d["users"]))
                        for d in book.get("divergences") or [])
    for d in divergences:
        for ind in (d.staff, d.users):
            if ind not in indicators:
                problems.append(f"comparison {d.id!r} names unknown indicator {ind!r}")
    fields = tuple(PlanField(str(f["id"]), str(f["label"]), str(f.get("description", "")))
                   for f in template.get("fields", []))
    field_ids = {f.id for f in fields}
    items = tuple(TriadItem(str(t["id"]), str(t["question"]), _tuple(t.get("yes_codes")), _tuple(t.get("no_codes")),
                            t.get("plan_field")) for t in book.get("triad_items") or [])
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


# =========================================================================== small helpers


def site_initial(site: str) -> str:
    """The initial a participant label uses for a site: its first letter, upper case.

    Examples
    --------
    >>> site_initial("Burgundy"), site_initial(" kestrel vale")
    ('B', 'K')
    """
    text = str(site).strip()
    letters = [ch for ch in text if ch.isalnum()]
    return letters[0].upper() if letters else ""


def participant_label(site: str, role: str, number: int) -> str:
    """The article's label form: site initial, role, three-digit number.

    Examples
    --------
    >>> participant_label("Burgundy", "SU", 1)
    'B-SU-001'
    """
    return f"{site_initial(site)}-{role}-{int(number):03d}"


def split_codes(text) -> list[str]:
    """The codes of one ``codes`` cell, in order, without blanks or repeats.

    Examples
    --------
    >>> split_codes("risk_central; cp_valued_record;;risk_central"), split_codes(float("nan"))
    (['risk_central', 'cp_valued_record'], [])
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return []
    parts = [p.strip() for p in str(text).split(CODE_SEPARATOR)]
    return list(dict.fromkeys(p for p in parts if p))


def join_codes(codes: Iterable[str]) -> str:
    """Codes as one cell: ``"a; b"``.

    Examples
    --------
    >>> join_codes(["a", "b"])
    'a; b'
    """
    return f"{CODE_SEPARATOR} ".join(codes)


def _split_triads(text) -> list[str]:
    return split_codes(text)


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype("string").str.strip().eq("").fillna(True)


def _s(values: pd.Series) -> pd.Series:
    """Text for messages: blanks as ``""``."""
    return values.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (object dtype, NaN for blanks)."""
    out = values.astype("string").str.strip()
    out = out.mask(out.eq("").fillna(False))
    return pd.Series(out.to_numpy(dtype=object, na_value=np.nan), index=values.index, name=values.name, dtype=object)


# =========================================================================== validation


@dataclass
class QualitativeInspection:
    """What :func:`inspect_qualitative` found in a dataset folder.

    Attributes
    ----------
    problems : list of helpers.dataio.Problem
    files : dict of str to Path
        The file read for each qualitative table (``framework`` may be an NVivo export).
    frames : dict of str to DataFrame
        Raw tables (the framework in long form); only tables that could be read.
    nvivo : bool
        Whether the framework came from an NVivo matrix export.
    """

    problems: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    frames: dict = field(default_factory=dict)
    nvivo: bool = False


class _Reporter:
    """Collects problems of one file in the format of :mod:`helpers.dataio`."""

    def __init__(self, path: Path, case_column: str | None = None):
        self.path = path
        self.problems: list = []
        self.case_column = case_column  # NVivo matrix: the header of the case column

    def whole_file(self, kind: str, text: str) -> None:
        from .dataio import Problem

        self.problems.append(Problem(self.path, None, kind, [], f"{self.path.name}: {text}"))

    def add(self, frame: pd.DataFrame, column: str, kind: str, mask, text: str, values=None,
            quote: bool = True) -> None:
        """One problem per displayed column for the rows of ``frame`` where ``mask`` holds."""
        from .dataio import Problem, _format_rows, _quote_values

        mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
        if not mask.any():
            return
        sel = frame.loc[mask]
        shown = values.loc[mask] if isinstance(values, pd.Series) else sel[column] if column in sel else None
        if "_row" in frame.columns:  # converted from an NVivo matrix: point at the matrix's cells
            if column in ("theme", "summary", "codes"):
                parts = [(str(c), g) for c, g in sel.groupby("_column", sort=False)]
            else:
                parts = [(self.case_column or column, sel)]
            for display, part in parts:
                rows = sorted({int(r) for r in part["_row"]})
                vals = shown.loc[part.index] if shown is not None else None
                self._append(Problem, _format_rows, _quote_values, display, kind, rows, text, vals, quote)
            return
        from .dataio import FIRST_DATA_ROW

        rows = sorted({int(i) + FIRST_DATA_ROW for i in sel.index})
        self._append(Problem, _format_rows, _quote_values, column, kind, rows, text, shown, quote)

    def _append(self, Problem, format_rows, quote_values, column, kind, rows, text, values, quote):
        found = quote_values(pd.Series(list(values), dtype=object)) if (quote and values is not None) else ""
        where = f"{self.path.name}, column {column!r}" + (f", {format_rows(rows)}" if rows else "")
        self.problems.append(Problem(self.path, column, kind, rows, f"{where}: {text}{found}"))

    def missing_columns(self, frame: pd.DataFrame, required: Sequence[str]) -> list[str]:
        from .dataio import MISSING_COLUMN, Problem, _missing_column_text

        missing = [c for c in required if c not in frame.columns]
        for column in missing:
            self.problems.append(Problem(self.path, column, MISSING_COLUMN, [],
                                         f"{self.path.name}, column {column!r}: "
                                         f"{_missing_column_text(column, frame.columns)}"))
        return missing

    def blanks(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        from .dataio import BLANK_VALUE

        for column in columns:
            if column in frame.columns:
                self.add(frame, column, BLANK_VALUE, _blank(frame[column]), "blank, but every row needs a value",
                         quote=False)


def _locate_optional(folder: Path, table: str) -> tuple[Path | None, list]:
    from .dataio import AMBIGUOUS_FILE, FORMATS, Problem

    found = [folder / f"{table}{ext}" for ext in FORMATS if (folder / f"{table}{ext}").is_file()]
    if len(found) <= 1:
        return (found[0] if found else None), []
    expected = ", ".join(f"{table}{ext}" for ext in FORMATS)
    names = ", ".join(p.name for p in found)
    return None, [Problem(found[0], None, AMBIGUOUS_FILE, [],
                          f"{table}: {len(found)} files found ({names}); keep exactly one of {expected}")]


def _check_interviews(path: Path, frame: pd.DataFrame, known_sites: set[str] | None, sites_file: str) -> list:
    from .dataio import DUPLICATE_VALUE, UNKNOWN_SITE

    rep = _Reporter(path)
    missing = rep.missing_columns(frame, INTERVIEW_COLUMNS[:3])
    rep.blanks(frame, INTERVIEW_COLUMNS[:3])
    ids = _text(frame["participant_id"]) if "participant_id" in frame else None
    sites = _text(frame["site"]) if "site" in frame else None
    roles = _text(frame["role"]) if "role" in frame else None
    if ids is not None:
        rep.add(frame, "participant_id", DUPLICATE_VALUE, ids.notna() & ids.duplicated(keep=False),
                "participant id used more than once", ids)
    if sites is not None and known_sites is not None:
        rep.add(frame, "site", UNKNOWN_SITE, sites.notna() & ~sites.isin(sorted(known_sites)),
                f"site code not listed in {sites_file}", sites)
    if roles is not None:
        rep.add(frame, "role", UNKNOWN_ROLE, roles.notna() & ~roles.isin(ROLE_ORDER),
                "role is not one of " + ", ".join(f"{k} ({v})" for k, v in ROLES.items()), roles)
    if ids is not None:
        parts = ids.str.extract(_LABEL.pattern)
        well_formed = parts[0].notna()
        rep.add(frame, "participant_id", MALFORMED_LABEL, ids.notna() & ~well_formed,
                "not in the label form site initial-role-number, e.g. 'B-SU-001'", ids)
        if sites is not None:
            initial = sites.map(lambda s: site_initial(s) if isinstance(s, str) else np.nan)
            bad_site = well_formed & sites.notna() & (parts[0].str.upper() != initial)
            rep.add(frame, "participant_id", LABEL_MISMATCH, bad_site,
                    "label's initial does not match the site in column 'site' (the label starts with the site's "
                    "first letter)", _s(ids) + " (site " + _s(sites) + ")")
        if roles is not None:
            bad_role = well_formed & roles.isin(ROLE_ORDER) & (parts[1].str.upper() != roles)
            rep.add(frame, "participant_id", LABEL_MISMATCH, bad_role,
                    "label's role part does not match column 'role'", _s(ids) + " (role " + _s(roles) + ")")
    if "triad_id" in frame.columns and not missing:
        _check_triads(rep, frame, sites, roles)
    return rep.problems


def _check_triads(rep: _Reporter, frame: pd.DataFrame, sites: pd.Series, roles: pd.Series) -> None:
    triads = frame["triad_id"].map(_split_triads)
    has = triads.map(len) > 0
    rep.add(frame, "triad_id", TRIAD_PROBLEM, has & roles.isin(SENIOR_ROLES),
            "senior managers and senior practitioners are not members of triads; leave the cell blank",
            frame["triad_id"])
    rep.add(frame, "triad_id", TRIAD_PROBLEM, (triads.map(len) > 1) & roles.eq("SU"),
            f"a service user belongs to one triad only (several ids separated by {TRIAD_SEPARATOR!r})",
            frame["triad_id"])
    long = pd.DataFrame([(i, t) for i, ts in triads.items() for t in ts], columns=["row", "triad"])
    if long.empty:
        return
    long["role"] = long["row"].map(roles)
    long["site"] = long["row"].map(sites)
    no_su, many_su, many_cc, spread = [], [], [], []
    for triad, g in long.groupby("triad", sort=False):
        n_su = int((g["role"] == "SU").sum())
        if n_su == 0:
            no_su.append(triad)
        elif n_su > 1:
            many_su.append(triad)
        if int((g["role"] == "CC").sum()) > 1:
            many_cc.append(triad)
        if g["site"].dropna().nunique() > 1:
            spread.append(triad)
    checks = (
        (no_su, MISSING_INTERVIEW, ("triad points at a service-user interview that is not in the file (every "
                                    "triad needs the interview of its service user)")),
        (many_su, TRIAD_PROBLEM, "triad holds more than one service user"),
        (many_cc, TRIAD_PROBLEM, "triad holds more than one care coordinator"),
        (spread, TRIAD_PROBLEM, "triad members are at different sites"),
    )
    for triads_hit, kind, text in checks:
        if triads_hit:
            rows = long.loc[long["triad"].isin(triads_hit), "row"].unique()
            mask = frame.index.isin(rows)
            shown = pd.Series([", ".join(t for t in ts if t in triads_hit) for ts in triads], index=frame.index)
            rep.add(frame, "triad_id", kind, mask, text, shown)


def _interview_lookup(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Typed id -> site, role, triads of a readable interviews table (None if unusable)."""
    if frame is None or not {"participant_id", "site", "role"} <= set(frame.columns):
        return None
    out = pd.DataFrame({"participant_id": _text(frame["participant_id"]), "site": _text(frame["site"]),
                        "role": _text(frame["role"])})
    triads = frame["triad_id"] if "triad_id" in frame.columns else pd.Series(np.nan, index=frame.index)
    out["triads"] = triads.map(_split_triads)
    out = out.dropna(subset=["participant_id"]).drop_duplicates("participant_id")
    return out.set_index("participant_id")


def _check_framework(path: Path, frame: pd.DataFrame, interviews: pd.DataFrame | None, interviews_name: str,
                     codebook: CodeBook, case_column: str | None = None) -> list:
    from .dataio import DUPLICATE_VALUE

    rep = _Reporter(path, case_column)
    required = FRAMEWORK_COLUMNS if case_column is None else ("participant_id", "theme")
    rep.missing_columns(frame, required)
    rep.blanks(frame, ("participant_id", "theme"))
    ids = _text(frame["participant_id"]) if "participant_id" in frame else None
    themes = _text(frame["theme"]) if "theme" in frame else None
    if ids is not None and interviews is not None:
        rep.add(frame, "participant_id", MISSING_INTERVIEW, ids.notna() & ~ids.isin(interviews.index),
                f"no interview with this participant id in {interviews_name}", ids)
    if themes is not None:
        lookup = codebook.theme_lookup()
        known = themes.map(lambda t: lookup.get(str(t).casefold()) if isinstance(t, str) else None)
        allowed = ", ".join(codebook.theme_ids)
        rep.add(frame, "theme", UNKNOWN_THEME, themes.notna() & known.isna(),
                f"theme not in the theme list (data/qualitative/themes.yaml: {allowed})", themes)
        if ids is not None:
            key = _s(ids) + "|" + _s(known)
            dup = ids.notna() & known.notna() & key.duplicated(keep=False)
            rep.add(frame, "theme", DUPLICATE_VALUE, dup,
                    "the same participant and theme appear in more than one row", _s(ids) + " / " + _s(themes))
    if "codes" in frame.columns:
        cells = frame["codes"].map(split_codes)
        unknown = cells.map(lambda cs: [c for c in cs if c not in codebook.codes])
        rep.add(frame, "codes", UNKNOWN_CODE, unknown.map(len) > 0,
                "code not in the code book (data/qualitative/codebook.yaml; separate codes with ';')",
                unknown.map(lambda cs: ", ".join(cs)))
    return rep.problems


_YES_NO = {"yes": True, "no": False}


def _check_care_plans(path: Path, frame: pd.DataFrame, interviews: pd.DataFrame | None, interviews_name: str,
                      known_sites: set[str] | None, sites_file: str, codebook: CodeBook) -> list:
    from .dataio import DUPLICATE_VALUE, UNKNOWN_SITE

    rep = _Reporter(path)
    rep.missing_columns(frame, ("participant_id", "site", *codebook.plan_field_ids))
    rep.blanks(frame, ("participant_id", "site"))
    ids = _text(frame["participant_id"]) if "participant_id" in frame else None
    sites = _text(frame["site"]) if "site" in frame else None
    if ids is not None:
        rep.add(frame, "participant_id", DUPLICATE_VALUE, ids.notna() & ids.duplicated(keep=False),
                "more than one plan for the same service user", ids)
    if sites is not None and known_sites is not None:
        rep.add(frame, "site", UNKNOWN_SITE, sites.notna() & ~sites.isin(sorted(known_sites)),
                f"site code not listed in {sites_file}", sites)
    if ids is not None and interviews is not None:
        found = ids.isin(interviews.index)
        rep.add(frame, "participant_id", MISSING_INTERVIEW, ids.notna() & ~found,
                f"no interview with this participant id in {interviews_name} (a plan belongs to an interviewed "
                "service user)", ids)
        role = ids.map(lambda i: interviews.at[i, "role"] if i in interviews.index else np.nan)
        rep.add(frame, "participant_id", NOT_SERVICE_USER, found & role.ne("SU"),
                f"the interview with this id in {interviews_name} is not a service user's",
                _s(ids) + " (role " + _s(role) + ")")
        if sites is not None:
            their_site = ids.map(lambda i: interviews.at[i, "site"] if i in interviews.index else np.nan)
            rep.add(frame, "site", SITE_MISMATCH, found & sites.notna() & their_site.notna() & (sites != their_site),
                    f"differs from the site of this service user's interview in {interviews_name}",
                    _s(sites) + " (interview: " + _s(their_site) + ")")
        if "triad_id" in frame.columns:
            triad = _text(frame["triad_id"])
            all_triads = {t for ts in interviews["triads"] for t in ts}
            rep.add(frame, "triad_id", MISSING_INTERVIEW, triad.notna() & ~triad.isin(sorted(all_triads)),
                    f"triad not found in {interviews_name}", triad)
            own = ids.map(lambda i: interviews.at[i, "triads"] if i in interviews.index else [])
            wrong = triad.notna() & triad.isin(sorted(all_triads)) & found & pd.Series(
                [t not in o for t, o in zip(triad, own)], index=frame.index)
            rep.add(frame, "triad_id", TRIAD_PROBLEM, wrong,
                    f"not the triad of this service user in {interviews_name}", triad)
    for name in codebook.plan_field_ids:
        if name in frame.columns:
            values = _text(frame[name])
            rep.add(frame, name, NOT_YES_NO, values.notna() & ~values.str.lower().isin(list(_YES_NO)),
                    "must be yes or no (or blank when the plan does not tell)", values)
    return rep.problems


def inspect_qualitative(folder: str | Path, known_sites: set[str] | None = None, sites_file: str = "sites",
                        codebook: CodeBook | None = None) -> QualitativeInspection:
    """Find, read and check the optional qualitative tables of a dataset folder.

    Parameters
    ----------
    folder : str or Path
        The dataset folder.
    known_sites : set of str, optional
        Site codes of the ``sites`` table (not checked when None).
    sites_file : str
        Name of the sites file, for messages.
    codebook : CodeBook, optional
        Default :func:`load_codebook`.

    Returns
    -------
    QualitativeInspection
        Nothing is reported for a folder without qualitative files. Problems name the
        file, the column and the rows (spreadsheet numbering) like
        :func:`helpers.dataio.validate_dataset`: unknown role, malformed label, label not
        matching its site or role, duplicate ids, triads without their service user's
        interview (or with two), framework or care-plan rows pointing at a missing
        interview, unknown themes and codes, yes/no fields holding anything else.
    """
    from .dataio import MISSING_FILE, Problem, _read_checked

    folder = Path(folder)
    codebook = codebook or load_codebook()
    out = QualitativeInspection()
    located = {}
    for table in (*QUAL_TABLES, NVIVO_TABLE):
        path, problems = _locate_optional(folder, table)
        out.problems.extend(problems)
        if path is not None:
            located[table] = path
    if "framework" in located and NVIVO_TABLE in located:
        out.problems.append(Problem(located[NVIVO_TABLE], None, "ambiguous file", [],
                                    f"{located['framework'].name} and {located[NVIVO_TABLE].name} both found; keep "
                                    "the framework either in long form or as an NVivo matrix, not both"))
        located.pop(NVIVO_TABLE)
    raw = {}
    for table, path in located.items():
        frame, problems = _read_checked(path, set())
        out.problems.extend(problems)
        if frame is not None:
            raw[table] = frame
    if not located:
        return out
    for table, path in located.items():
        key = "framework" if table == NVIVO_TABLE else table
        out.files[key] = path
    interviews_path = located.get("interviews")
    interviews_name = interviews_path.name if interviews_path else "interviews.csv"
    if interviews_path is None:
        for table in ("framework", NVIVO_TABLE, "care_plans"):
            if table in located:
                out.problems.append(Problem(folder / "interviews", None, MISSING_FILE, [],
                                            f"interviews: no file found, but {located[table].name} needs it; "
                                            f"expected interviews.csv, interviews.xlsx or interviews.sav in {folder}"))
                break
    if "interviews" in raw:
        out.problems.extend(_check_interviews(interviews_path, raw["interviews"], known_sites, sites_file))
        out.frames["interviews"] = raw["interviews"]
    lookup = _interview_lookup(raw.get("interviews"))
    if "framework" in raw:
        out.problems.extend(_check_framework(located["framework"], raw["framework"], lookup, interviews_name,
                                             codebook))
        out.frames["framework"] = raw["framework"]
    elif NVIVO_TABLE in raw:
        path = located[NVIVO_TABLE]
        long, case_column, problems = nvivo_to_long(raw[NVIVO_TABLE], path=path, codebook=codebook,
                                                    keep_positions=True)
        out.problems.extend(problems)
        if long is not None:
            out.problems.extend(_check_framework(path, long, lookup, interviews_name, codebook, case_column))
            out.frames["framework"] = long.drop(columns=["_row", "_column"])
            out.nvivo = True
    if "care_plans" in raw:
        out.problems.extend(_check_care_plans(located["care_plans"], raw["care_plans"], lookup, interviews_name,
                                              known_sites, sites_file, codebook))
        out.frames["care_plans"] = raw["care_plans"]
    return out


# =========================================================================== typed tables


def _typed_interviews(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for column in ("participant_id", "site", "role"):
        out[column] = _text(out[column]).astype(str)
    triads = out["triad_id"] if "triad_id" in out.columns else pd.Series(np.nan, index=out.index)
    out["triad_id"] = [join_codes(_split_triads(t)) or None for t in triads]
    return out


def _typed_framework(frame: pd.DataFrame, codebook: CodeBook) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    lookup = codebook.theme_lookup()
    out["participant_id"] = _text(out["participant_id"]).astype(str)
    out["theme"] = [lookup[str(t).strip().casefold()] for t in out["theme"]]
    out["summary"] = _text(out["summary"]).fillna("").astype(str) if "summary" in out else ""
    out["codes"] = [join_codes(split_codes(c)) for c in (out["codes"] if "codes" in out else [None] * len(out))]
    return out


def _typed_care_plans(frame: pd.DataFrame, codebook: CodeBook) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for column in ("participant_id", "site"):
        out[column] = _text(out[column]).astype(str)
    if "triad_id" in out.columns:
        out["triad_id"] = [t if isinstance(t, str) else None for t in _text(out["triad_id"])]
    for name in codebook.plan_field_ids:
        values = _text(out[name]).str.lower().map(_YES_NO)
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


__all__ += ["typed_tables"]


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


def from_dataset(dataset, codebook: CodeBook | None = None) -> QualData:
    """The qualitative tables of a loaded :class:`helpers.dataio.Dataset` (empty when absent)."""
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
        sites=sites.reset_index(drop=True), codebook=codebook, available=available,
        synthetic=bool(getattr(dataset, "synthetic", False)))


# =========================================================================== NVivo framework matrix


def parse_bracketed_codes(cell) -> tuple[str, list[str]]:
    """Split an NVivo cell into its summary and the codes of a bracketed suffix.

    The convention (this project's, documented in the data dictionary): a summary may
    end with ``[codes: code_a; code_b]``; the bracket is removed from the summary and
    its codes are kept. A cell without the suffix has no codes.

    Examples
    --------
    >>> parse_bracketed_codes("Risk comes first. [codes: risk_central; cp_valued_record]")
    ('Risk comes first.', ['risk_central', 'cp_valued_record'])
    >>> parse_bracketed_codes("No codes here.")
    ('No codes here.', [])
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return "", []
    text = str(cell).strip()
    match = _BRACKET_CODES.search(text)
    if not match:
        return text, []
    return text[: match.start()].strip(), split_codes(match.group(1))


def _clean_case(name) -> str | float:
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return np.nan
    text = _NVIVO_ROW_PREFIX.sub("", str(name).strip())
    text = re.split(r"[\\/]", text)[-1].strip()
    return text or np.nan


def _clean_header(name) -> str:
    text = _NVIVO_COLUMN_PREFIX.sub("", str(name).strip())
    return re.split(r"[\\/]", text)[-1].strip()


def nvivo_to_long(matrix: pd.DataFrame, path: str | Path | None = None, codebook: CodeBook | None = None,
                  case_column: str | None = None, keep_positions: bool = False):
    """Convert a framework matrix as NVivo exports it to the long form.

    Parameters
    ----------
    matrix : DataFrame
        As read by :func:`helpers.dataio.read_table` (index = row position in the file):
        one row per case, the case name in ``case_column`` (default the first column),
        one column per theme whose header is the theme's id or label (NVivo's prefixes
        such as ``"A : "`` and folder paths such as ``"Nodes\\\\Risk and safety"`` are
        ignored), the summary in each cell, optionally ending in ``[codes: a; b]``.
        Case names may carry NVivo's row prefix (``"1 : "``) or a path; the last part
        is the participant id.
    path : str or Path, optional
        The file, for the problem messages (default ``framework_matrix.csv``).
    codebook : CodeBook, optional
    case_column : str, optional
    keep_positions : bool
        Keep ``_row`` (spreadsheet row) and ``_column`` (original header) columns.

    Returns
    -------
    long : DataFrame or None
        ``participant_id, theme, summary, codes``; one row per non-blank cell, themes as
        ids where the header matched (the header as it is otherwise, reported as unknown
        by the framework checks). None when the matrix has no theme column.
    case_column : str
        The header of the case column.
    problems : list of Problem
        Problems of the matrix's layout (no theme column; blank header).

    Examples
    --------
    >>> m = pd.DataFrame({"Case": ["1 : B-SU-001"],
    ...                   "A : Risk and safety": ["Not discussed. [codes: risk_not_discussed]"]})
    >>> long, _, _ = nvivo_to_long(m)
    >>> long.to_dict("records")
    [{'participant_id': 'B-SU-001', 'theme': 'risk_safety', 'summary': 'Not discussed.', 'codes': 'risk_not_discussed'}]
    """
    from .dataio import EMPTY_FILE, FIRST_DATA_ROW, Problem

    codebook = codebook or load_codebook()
    path = Path(path) if path is not None else Path(f"{NVIVO_TABLE}.csv")
    case_column = case_column or str(matrix.columns[0])
    lookup = codebook.theme_lookup()
    theme_columns = [c for c in matrix.columns if c != case_column]
    problems = []
    if not theme_columns:
        problems.append(Problem(path, None, EMPTY_FILE, [], f"{path.name}: no theme columns beside the case column "
                                                            f"{case_column!r}; an NVivo framework matrix has one "
                                                            "column per theme"))
        return None, case_column, problems
    records = []
    cases = matrix[case_column].map(_clean_case)
    for column in theme_columns:
        header = _clean_header(column)
        theme = lookup.get(header.casefold(), header)
        for idx, cell in matrix[column].items():
            if cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip():
                continue
            summary, codes = parse_bracketed_codes(cell)
            records.append({"participant_id": cases.loc[idx], "theme": theme, "summary": summary,
                            "codes": join_codes(codes), "_row": int(idx) + FIRST_DATA_ROW, "_column": str(column)})
    long = pd.DataFrame(records, columns=[*FRAMEWORK_COLUMNS, "_row", "_column"])
    # Cases without any charted cell still need a name: report blank case names on rows that hold cells.
    if not keep_positions:
        long = long.drop(columns=["_row", "_column"])
    return long, case_column, problems


def read_nvivo_matrix(path: str | Path, codebook: CodeBook | None = None, case_column: str | None = None
                      ) -> pd.DataFrame:
    """Read an NVivo framework-matrix export (``.xlsx`` or ``.csv``) into the long form.

    Returns
    -------
    DataFrame
        ``participant_id, theme, summary, codes`` (see :func:`nvivo_to_long`).

    Raises
    ------
    ValueError
        If the file has no theme column, or a header that is no theme of the theme list.
    """
    from .dataio import read_table

    codebook = codebook or load_codebook()
    matrix = read_table(path)
    long, _, problems = nvivo_to_long(matrix, path, codebook, case_column)
    if problems:
        raise ValueError("; ".join(p.message for p in problems))
    unknown = sorted(set(long["theme"]) - set(codebook.theme_ids))
    if unknown:
        raise ValueError(f"{Path(path).name}: column(s) {', '.join(map(repr, unknown))} are not themes of the "
                         f"theme list ({', '.join(codebook.theme_ids)})")
    return long


def long_to_nvivo(framework: pd.DataFrame, codebook: CodeBook | None = None, case_column: str = "Case",
                  with_codes: bool = True, use_labels: bool = True) -> pd.DataFrame:
    """The long framework as an NVivo-style matrix: one row per case, one column per theme.

    Codes are appended to each summary as ``[codes: a; b]`` when ``with_codes`` (so that
    :func:`nvivo_to_long` gives the long form back). Columns follow the theme list;
    themes without any cell are left out.
    """
    codebook = codebook or load_codebook()
    cells = framework.assign(cell=[
        (f"{s} [codes: {c}]".strip() if (with_codes and c) else s) for s, c in zip(framework["summary"],
                                                                                    framework["codes"])])
    wide = cells.pivot(index="participant_id", columns="theme", values="cell")
    order = [t for t in codebook.theme_ids if t in wide.columns]
    wide = wide[order].reindex(list(dict.fromkeys(framework["participant_id"])))
    if use_labels:
        wide = wide.rename(columns=codebook.theme_label)
    wide.columns.name = None
    return wide.rename_axis(case_column).reset_index()


# =========================================================================== analyses


def _role_label(role: str, n: int | None = None) -> str:
    if n is None:
        return ROLES.get(role, role)
    return ROLES.get(role, role) if n == 1 else ROLE_PLURALS.get(role, role)


def account_codes(interviews: pd.DataFrame, framework: pd.DataFrame) -> pd.DataFrame:
    """One row per interview and code applied anywhere in its matrix row.

    Returns
    -------
    DataFrame
        ``participant_id, site, role, code`` (each code once per interview).
    """
    rows = [(pid, code) for pid, cell in zip(framework["participant_id"], framework["codes"])
            for code in split_codes(cell)]
    codes = pd.DataFrame(rows, columns=["participant_id", "code"]).drop_duplicates()
    people = interviews[["participant_id", "site", "role"]]
    return people.merge(codes, on="participant_id", how="inner")[["participant_id", "site", "role", "code"]]


def interview_counts(interviews: pd.DataFrame, sites: Sequence[str]) -> pd.DataFrame:
    """Interviews per site and role, every site and role listed.

    Returns
    -------
    DataFrame
        ``site`` then one column per role (``SM, SP, CC, SU, CA``) and ``total``.
    """
    counts = pd.crosstab(interviews["site"], interviews["role"]) if len(interviews) else pd.DataFrame()
    counts = counts.reindex(index=list(sites), columns=list(ROLE_ORDER), fill_value=0).fillna(0).astype(int)
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "site"
    counts.columns.name = None
    return counts.reset_index()


#: Table 1 columns of interviews per role.
TABLE1_COLUMNS = {"SM": "interviews_senior_managers", "SP": "interviews_senior_practitioners",
                  "CC": "interviews_care_coordinators", "SU": "interviews_service_users", "CA": "interviews_carers"}


def interview_counts_with_published(interviews: pd.DataFrame, sites: Sequence[str], published=None
                                    ) -> pd.DataFrame:
    """Interviews per site and role beside the article's Table 1 (long form).

    Returns
    -------
    DataFrame
        ``site, role, role_label, n, published, match`` (published NaN for a site the
        article does not list).
    """
    from .published import load_published

    published = published or load_published()
    counts = interview_counts(interviews, sites)
    table1 = published.sites.set_index("site")
    rows = []
    for rec in counts.itertuples(index=False):
        for role in ROLE_ORDER:
            pub = float(table1.at[rec.site, TABLE1_COLUMNS[role]]) if rec.site in table1.index else float("nan")
            n = int(getattr(rec, role))
            rows.append({"site": rec.site, "role": role, "role_label": ROLE_PLURALS[role], "n": n,
                         "published": pub, "match": bool(np.isfinite(pub) and n == pub)})
    return pd.DataFrame(rows)


def framework_matrix(q: QualData, site: str | None = None, with_codes: bool = False) -> pd.DataFrame:
    """The first-level framework matrix: one row per interview, one column per theme label.

    Parameters
    ----------
    q : QualData
    site : str, optional
        Only this site's interviews.
    with_codes : bool
        Append the code labels to each summary, in brackets.

    Returns
    -------
    DataFrame
        ``site, role, participant_id`` then one column per theme (labels) holding the
        summaries (``""`` for uncharted cells); rows in site, role and id order.
    """
    book = q.codebook
    people = q.interviews[["participant_id", "site", "role"]]
    if site is not None:
        people = people[people["site"] == site]
    fw = q.framework[q.framework["participant_id"].isin(people["participant_id"])]
    if with_codes:
        text = [s + (f" [{'; '.join(book.code_label(c) for c in split_codes(k))}]" if split_codes(k) else "")
                for s, k in zip(fw["summary"], fw["codes"])]
    else:
        text = list(fw["summary"])
    fw = fw.assign(cell=text)
    wide = fw.pivot(index="participant_id", columns="theme", values="cell") if len(fw) else pd.DataFrame()
    wide = wide.reindex(columns=list(book.theme_ids)).rename(columns=book.theme_label)
    out = people.merge(wide, left_on="participant_id", right_index=True, how="left")
    order = {r: k for k, r in enumerate(ROLE_ORDER)}
    site_order = {s: k for k, s in enumerate(q.site_list)}
    out = out.assign(_s=out["site"].map(site_order), _r=out["role"].map(order)).sort_values(
        ["_s", "_r", "participant_id"]).drop(columns=["_s", "_r"])
    out = out.fillna("")
    out["role"] = out["role"].map(lambda r: ROLES.get(r, r))
    return out.reset_index(drop=True)


def framework_by_site_role(q: QualData, top: int = 2) -> pd.DataFrame:
    """The second-level matrix: per site and role, the most frequent codes of each theme.

    Each cell lists up to ``top`` codes of the theme with the number of accounts that
    carry them, ``"risk central 2/2"``, most frequent first (ties in code-book order);
    ``"—"`` when no account of the group has a code of that theme.

    Returns
    -------
    DataFrame
        ``site, role, n_accounts`` then one column per theme label; a row for every site
        and role (``"no interview"`` in every cell when the role was not interviewed there).
    """
    book = q.codebook
    codes = account_codes(q.interviews, q.framework)
    code_order = {c: k for k, c in enumerate(book.codes)}
    counts = interview_counts(q.interviews, q.site_list)
    rows = []
    for rec in counts.itertuples(index=False):
        for role in ROLE_ORDER:
            n = int(getattr(rec, role))
            row = {"site": rec.site, "role": ROLE_PLURALS[role], "n_accounts": n}
            if n == 0:
                rows.append({**row, **{t.label: "no interview" for t in book.themes}})
                continue
            sel = codes[(codes["site"] == rec.site) & (codes["role"] == role)]
            for theme in book.themes:
                in_theme = sel[sel["code"].map(lambda c: book.codes[c].theme if c in book.codes else "") == theme.id]
                freq = in_theme["code"].value_counts()
                ranked = sorted(freq.items(), key=lambda kv: (-kv[1], code_order.get(kv[0], 999)))[:top]
                row[theme.label] = "; ".join(f"{book.code_label(c)} {k}/{n}" for c, k in ranked) or "—"
            rows.append(row)
    columns = ["site", "role", "n_accounts", *[t.label for t in book.themes]]
    return pd.DataFrame(rows, columns=columns)


def site_matrix(by_site_role: pd.DataFrame, site: str) -> pd.DataFrame:
    """One site's second-level matrix for reading: one row per theme, one column per role.

    Parameters
    ----------
    by_site_role : DataFrame
        :func:`framework_by_site_role`.
    site : str

    Returns
    -------
    DataFrame
        ``theme`` then one column per role headed ``"service users (4)"`` (its accounts).
    """
    sel = by_site_role[by_site_role["site"] == site]
    themes = [c for c in by_site_role.columns if c not in ("site", "role", "n_accounts")]
    out = pd.DataFrame({"theme": themes})
    for _, r in sel.iterrows():
        out[f"{r['role']} ({int(r['n_accounts'])})"] = [r[t] for t in themes]
    return out


def framework_cells(q: QualData, site: str | None = None) -> pd.DataFrame:
    """The first-level matrix in long form for reading: one row per charted cell.

    Returns
    -------
    DataFrame
        ``participant_id, role, theme, summary, codes`` (theme and code labels), in site,
        role, participant and theme order.
    """
    book = q.codebook
    fw = q.framework.merge(q.interviews[["participant_id", "site", "role"]], on="participant_id", how="inner")
    if site is not None:
        fw = fw[fw["site"] == site]
    order = {r: k for k, r in enumerate(ROLE_ORDER)}
    themes = {t: k for k, t in enumerate(book.theme_ids)}
    sites = {s: k for k, s in enumerate(q.site_list)}
    fw = fw.assign(_s=fw["site"].map(sites), _r=fw["role"].map(order), _t=fw["theme"].map(themes)).sort_values(
        ["_s", "_r", "participant_id", "_t"])
    return pd.DataFrame({
        "participant_id": fw["participant_id"].to_numpy(),
        "role": fw["role"].map(lambda r: ROLES.get(r, r)).to_numpy(),
        "theme": fw["theme"].map(book.theme_label).to_numpy(),
        "summary": fw["summary"].to_numpy(),
        "codes": [", ".join(book.code_label(c) for c in split_codes(k)) for k in fw["codes"]],
    })


__all__ += ["site_matrix", "framework_cells"]


def code_frequencies(q: QualData, by: str | Sequence[str] = "role") -> pd.DataFrame:
    """How many accounts carry each code, per role, site, or site and role.

    Parameters
    ----------
    q : QualData
    by : str or sequence of str
        ``"role"``, ``"site"`` or ``["site", "role"]``.

    Returns
    -------
    DataFrame
        ``[by...], theme, code, label, n_accounts, n_coded, share``: every code of the code
        book for every group (``share`` NaN for a group without accounts). Roles appear as
        their codes (``SM`` ...).
    """
    by = [by] if isinstance(by, str) else list(by)
    book = q.codebook
    levels = {"site": q.site_list, "role": list(ROLE_ORDER)}
    groups = list(itertools.product(*(levels[b] for b in by)))
    n_acc = q.interviews.groupby(by).size() if len(q.interviews) else pd.Series(dtype=int)
    codes = account_codes(q.interviews, q.framework)
    coded = codes.groupby([*by, "code"]).size() if len(codes) else pd.Series(dtype=int)
    rows = []
    for key in groups:
        k = key if len(key) > 1 else key[0]
        n = int(n_acc.get(k, 0))
        for code in book.codes.values():
            c = int(coded.get((*key, code.id), 0))
            rows.append({**dict(zip(by, key)), "theme": code.theme, "code": code.id, "label": code.label,
                         "n_accounts": n, "n_coded": c, "share": c / n if n else float("nan")})
    return pd.DataFrame(rows)


def indicator_values(q: QualData, indicator: Indicator | str, by: str | Sequence[str] | None = "site"
                     ) -> pd.DataFrame:
    """One indicator (see :class:`Indicator`) per group of accounts.

    Parameters
    ----------
    q : QualData
    indicator : Indicator or its id
    by : str, sequence of str or None
        ``"site"`` (every site listed), ``"country"`` or None (all accounts).

    Returns
    -------
    DataFrame
        ``[by...], indicator, label, kind, n_accounts, n_positive, n_negative, value``;
        ``value`` NaN when the group has no account of the indicator's roles.

    Examples
    --------
    >>> from helpers.qualitative import QualData, load_codebook
    >>> book = load_codebook()
    >>> iv = pd.DataFrame({"participant_id": ["A-SU-001", "A-SU-002", "A-CC-001"], "site": "Artois",
    ...                    "role": ["SU", "SU", "CC"], "triad_id": None})
    >>> fw = pd.DataFrame({"participant_id": ["A-SU-001", "A-SU-002", "A-CC-001"], "theme": "care_planning",
    ...                    "summary": "", "codes": ["cp_collaborative", "cp_professional_led", "cp_collaborative"]})
    >>> q = QualData(iv, fw, pd.DataFrame(), pd.DataFrame({"site": ["Artois"], "country": ["England"]}), book, True)
    >>> r = indicator_values(q, "collaboration").iloc[0]
    >>> int(r["n_accounts"]), int(r["n_positive"]), int(r["n_negative"]), round(float(r["value"]), 3)
    (3, 2, 1, 0.333)
    """
    ind = q.codebook.indicators[indicator] if isinstance(indicator, str) else indicator
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    people = q.interviews[q.interviews["role"].isin(ind.roles)][["participant_id", "site", "role"]].copy()
    people["country"] = people["site"].map(q.sites.set_index("site")["country"]).astype(object)
    codes = account_codes(q.interviews, q.framework)
    pos = set(codes.loc[codes["code"].isin(ind.positive), "participant_id"])
    neg = set(codes.loc[codes["code"].isin(ind.negative), "participant_id"]) - pos
    people["pos"] = people["participant_id"].isin(pos)
    people["neg"] = people["participant_id"].isin(neg)
    levels = {"site": q.site_list, "country": sorted(q.sites["country"].unique())}
    keys = list(itertools.product(*(levels[b] for b in by))) if by else [()]
    rows = []
    for key in keys:
        sel = people
        for b, v in zip(by, key):
            sel = sel[sel[b] == v]
        n, n_pos, n_neg = len(sel), int(sel["pos"].sum()), int(sel["neg"].sum())
        if n == 0:
            value = float("nan")
        elif ind.kind == "balance":
            value = (n_pos - n_neg) / n
        else:
            value = n_pos / n
        rows.append({**dict(zip(by, key)), "indicator": ind.id, "label": ind.label, "kind": ind.kind,
                     "n_accounts": n, "n_positive": n_pos, "n_negative": n_neg, "value": value})
    return pd.DataFrame(rows)


def site_indicators(q: QualData, indicators: Sequence[str] | None = None, by: str | None = "site") -> pd.DataFrame:
    """Several indicators (default: all in the code book) stacked, per site (or country, or overall)."""
    ids = list(indicators) if indicators is not None else list(q.codebook.indicators)
    return pd.concat([indicator_values(q, i, by) for i in ids], ignore_index=True)


def divergence_table(q: QualData) -> pd.DataFrame:
    """Where staff and service-user (or carer) accounts diverge, per comparison and site.

    Each comparison of the code book (``divergences``) sets a staff indicator beside a
    service-user indicator; ``gap`` is the staff share minus the users' share.

    Returns
    -------
    DataFrame
        ``comparison, question, site, staff_label, staff_n, staff_share, users_label,
        users_n, users_share, gap``; the sites first, then ``"All sites"``.
    """
    rows = []
    for d in q.codebook.divergences:
        staff = pd.concat([indicator_values(q, d.staff, "site"),
                           indicator_values(q, d.staff, None).assign(site="All sites")], ignore_index=True)
        users = pd.concat([indicator_values(q, d.users, "site"),
                           indicator_values(q, d.users, None).assign(site="All sites")], ignore_index=True)
        for s, u in zip(staff.itertuples(index=False), users.itertuples(index=False)):
            rows.append({"comparison": d.id, "question": d.question, "site": s.site, "staff_label": s.label,
                         "staff_n": s.n_accounts, "staff_share": s.value, "users_label": u.label,
                         "users_n": u.n_accounts, "users_share": u.value, "gap": s.value - u.value})
    return pd.DataFrame(rows, columns=["comparison", "question", "site", "staff_label", "staff_n", "staff_share",
                                       "users_label", "users_n", "users_share", "gap"])


# --------------------------------------------------------------------------- triads


def triad_members(interviews: pd.DataFrame) -> pd.DataFrame:
    """One row per triad and member interview: ``triad_id, site, participant_id, role``."""
    rows = [(t, s, p, r) for p, s, r, ts in zip(interviews["participant_id"], interviews["site"],
                                               interviews["role"], interviews["triad_id"])
            for t in _split_triads(ts)]
    return pd.DataFrame(rows, columns=["triad_id", "site", "participant_id", "role"])


SOURCES = {"SU": "service user", "CA": "carer", "CC": "care coordinator", "plan": "written plan"}


def _position(codes: set[str], item: TriadItem) -> str:
    yes, no = bool(codes & set(item.yes)), bool(codes & set(item.no))
    if yes and not no:
        return YES
    if no and not yes:
        return NO
    return "both" if (yes and no) else "not mentioned"


def triad_positions(q: QualData) -> pd.DataFrame:
    """Each triad member's (and the written plan's) answer to each triad question.

    An interview answers ``yes`` when it carries a ``yes`` code of the question and no
    ``no`` code, ``no`` in the opposite case, ``both`` or ``not mentioned`` otherwise;
    a member who was not interviewed is ``no interview``. The plan answers with its
    template field (``yes``/``no``; ``not recorded`` when blank, ``no plan`` when the
    service user has no reviewed plan, ``not in template`` when the question has no field).

    Returns
    -------
    DataFrame
        ``triad_id, site, item, question, source, participant_id, position``.
    """
    book = q.codebook
    members = triad_members(q.interviews)
    codes = account_codes(q.interviews, q.framework).groupby("participant_id")["code"].agg(set)
    plans = q.care_plans.set_index("participant_id") if len(q.care_plans) else pd.DataFrame()
    rows = []
    for triad, g in members.groupby("triad_id", sort=True):
        site = g["site"].iloc[0]
        su = g.loc[g["role"] == "SU", "participant_id"]
        su_id = su.iloc[0] if len(su) else None
        for item in book.triad_items:
            for role in ("SU", "CA", "CC"):
                who = g.loc[g["role"] == role, "participant_id"]
                if who.empty:
                    rows.append((triad, site, item.id, item.question, SOURCES[role], None, "no interview"))
                for pid in who:
                    rows.append((triad, site, item.id, item.question, SOURCES[role], pid,
                                 _position(codes.get(pid, set()), item)))
            if item.plan_field is None:
                pos = "not in template"
            elif su_id is None or su_id not in plans.index:
                pos = "no plan"
            else:
                value = plans.at[su_id, item.plan_field]
                pos = "not recorded" if pd.isna(value) else (YES if bool(value) else NO)
            rows.append((triad, site, item.id, item.question, SOURCES["plan"], su_id, pos))
    return pd.DataFrame(rows, columns=["triad_id", "site", "item", "question", "source", "participant_id",
                                       "position"])


def triad_agreement(positions: pd.DataFrame) -> pd.DataFrame:
    """Agreement within each triad on each question.

    Rule: among the sources that answer yes or no, ``agree`` when at least two answer
    and all alike, ``disagree`` when both answers occur, ``one source`` when only one
    answers, ``no answer`` when none does.

    Returns
    -------
    DataFrame
        ``triad_id, site, item, question, n_answering, yes, no, verdict, su_position,
        others_yes`` (``others_yes``: sources other than the service user answering yes).
    """
    rows = []
    for (triad, item), g in positions.groupby(["triad_id", "item"], sort=False):
        answered = g[g["position"].isin([YES, NO])]
        yes, no = int((answered["position"] == YES).sum()), int((answered["position"] == NO).sum())
        n = yes + no
        verdict = ("no answer" if n == 0 else "one source" if n == 1 else "disagree" if yes and no else "agree")
        su = g.loc[g["source"] == SOURCES["SU"], "position"]
        others_yes = int(((answered["source"] != SOURCES["SU"]) & (answered["position"] == YES)).sum())
        rows.append({"triad_id": triad, "site": g["site"].iloc[0], "item": item, "question": g["question"].iloc[0],
                     "n_answering": n, "yes": yes, "no": no, "verdict": verdict,
                     "su_position": su.iloc[0] if len(su) else "no interview", "others_yes": others_yes})
    return pd.DataFrame(rows, columns=["triad_id", "site", "item", "question", "n_answering", "yes", "no", "verdict",
                                       "su_position", "others_yes"])


VERDICTS = ("agree", "disagree", "one source", "no answer")


def triad_agreement_summary(agreement: pd.DataFrame, codebook: CodeBook | None = None) -> pd.DataFrame:
    """Per triad question: how many triads agree, disagree, or cannot be compared.

    ``su_no_others_yes`` counts the disagreements in which the service user said no
    while another source (carer, care coordinator or plan) said yes.

    Returns
    -------
    DataFrame
        ``item, question, n_triads, agree, disagree, one source, no answer,
        su_no_others_yes`` (every question of the code book, zeros without triads).
    """
    codebook = codebook or load_codebook()
    rows = []
    for item in codebook.triad_items:
        g = agreement[agreement["item"] == item.id]
        counts = g["verdict"].value_counts()
        row = {"item": item.id, "question": item.question, "n_triads": int(len(g))}
        row.update({v: int(counts.get(v, 0)) for v in VERDICTS})
        row["su_no_others_yes"] = int(((g["verdict"] == "disagree") & (g["su_position"] == NO)
                                       & (g["others_yes"] > 0)).sum())
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- care plans


def care_plan_review(q: QualData) -> pd.DataFrame:
    """The care-plan review by site: for each template field, how many plans say yes.

    Returns
    -------
    DataFrame
        ``site, field, label, n_plans, n_recorded, n_yes, share`` with ``share = n_yes /
        n_recorded`` (blank cells excluded; NaN without recorded plans); every site of
        the dataset, then ``"All sites"``.
    """
    book = q.codebook
    plans = q.care_plans
    rows = []
    for site in [*q.site_list, "All sites"]:
        sel = plans if site == "All sites" else plans[plans["site"] == site]
        for f in book.plan_fields:
            values = sel[f.id] if f.id in sel.columns else pd.Series(dtype="boolean")
            recorded = values.dropna()
            n_yes = int(recorded.astype(bool).sum())
            rows.append({"site": site, "field": f.id, "label": f.label, "n_plans": int(len(sel)),
                         "n_recorded": int(len(recorded)), "n_yes": n_yes,
                         "share": n_yes / len(recorded) if len(recorded) else float("nan")})
    return pd.DataFrame(rows)


def care_plan_review_wide(review: pd.DataFrame) -> pd.DataFrame:
    """:func:`care_plan_review` for display: one row per field, one column per site, ``"k/n"`` cells."""
    cells = review.assign(cell=[f"{y}/{r}" if r else "—" for y, r in zip(review["n_yes"], review["n_recorded"])])
    wide = cells.pivot(index="label", columns="site", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(review["label"])), columns=list(dict.fromkeys(review["site"])))
    wide.columns.name = None
    return wide.rename_axis("field").reset_index()


# --------------------------------------------------------------------------- site patterns


def exact_site_test(coded: Sequence[int], totals: Sequence[int], max_tables: int = 5_000_000) -> float:
    """Exact test that a code is equally likely at every site (Freeman-Halton for a 2 x k table).

    Conditional on the margins, the tables with the same total of coded accounts are
    enumerated; the p value is the total probability (multivariate hypergeometric) of
    the tables no more probable than the observed one.

    Parameters
    ----------
    coded, totals : sequence of int
        Accounts carrying the code and all accounts, per site (sites without accounts
        are dropped).
    max_tables : int
        Beyond this many tables the p value is NaN (not computed).

    Returns
    -------
    float
        The p value (1.0 when fewer than two sites have accounts or nobody/everybody is coded).

    Examples
    --------
    >>> round(exact_site_test([3, 0], [3, 3]), 4)   # Fisher's exact test, two-sided: 2/20
    0.1
    >>> exact_site_test([1, 1, 1], [2, 2, 2])
    1.0
    """
    pairs = [(int(c), int(n)) for c, n in zip(coded, totals) if int(n) > 0]
    if len(pairs) < 2:
        return 1.0
    k = sum(c for c, _ in pairs)
    N = sum(n for _, n in pairs)
    if k in (0, N):
        return 1.0
    sizes = [n for _, n in pairs]
    if math.prod(n + 1 for n in sizes) > max_tables:
        return float("nan")
    logc = [np.array([math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) for x in range(n + 1)])
            for n in sizes]
    log_total = math.lgamma(N + 1) - math.lgamma(k + 1) - math.lgamma(N - k + 1)
    observed = sum(logc[i][c] for i, (c, _) in enumerate(pairs))
    # Distribution over partial sums, carrying the log-probability of each partial table.
    grids = np.meshgrid(*[np.arange(n + 1) for n in sizes], indexing="ij", sparse=True)
    total = sum(grids)
    logp = sum(lc[g] for lc, g in zip(logc, grids))
    valid = total == k
    logp = np.broadcast_to(logp, valid.shape)[valid]
    keep = logp <= observed + 1e-7
    return float(min(1.0, round(float(np.exp(logp[keep] - log_total).sum()), 12)))


def site_pattern_tests(q: QualData, role: str = "SU", codes: Sequence[str] | None = None,
                       alpha: float = 0.05) -> pd.DataFrame:
    """Does a code's share among one role's accounts differ between sites?

    Parameters
    ----------
    q : QualData
    role : str
        The role whose accounts are compared (default service users).
    codes : sequence of str, optional
        Default: every code that role's accounts carry at least once (every code of the
        code book, with NaN p values, when the role has no accounts).
    alpha : float

    Returns
    -------
    DataFrame
        ``role, code, label, n_accounts, n_coded, share, min_share, max_share, n_sites, p,
        site_pattern`` (exact test of :func:`exact_site_test`; ``site_pattern`` True when
        p < alpha).
    """
    freq = code_frequencies(q, ["site", "role"])
    freq = freq[(freq["role"] == role) & (freq["n_accounts"] > 0)]
    if codes is None:
        codes = [c for c in q.codebook.codes if freq.loc[freq["code"] == c, "n_coded"].sum() > 0]
        codes = codes or list(q.codebook.codes)  # no accounts at all: every code, untestable
    rows = []
    for code in codes:
        f = freq[freq["code"] == code]
        n, k = int(f["n_accounts"].sum()), int(f["n_coded"].sum())
        p = exact_site_test(f["n_coded"], f["n_accounts"]) if len(f) else float("nan")
        rows.append({"role": role, "code": code, "label": q.codebook.code_label(code), "n_accounts": n,
                     "n_coded": k, "share": k / n if n else float("nan"),
                     "min_share": float(f["share"].min()) if len(f) else float("nan"),
                     "max_share": float(f["share"].max()) if len(f) else float("nan"),
                     "n_sites": int(len(f)), "p": p, "site_pattern": bool(np.isfinite(p) and p < alpha)})
    return pd.DataFrame(rows, columns=["role", "code", "label", "n_accounts", "n_coded", "share", "min_share",
                                       "max_share", "n_sites", "p", "site_pattern"])


# =========================================================================== wording (chosen from the numbers)

__all__ += [
    "NO_DATA_TEXT", "absent_notice", "synthetic_notice", "pct", "counts_sentence", "table1_sentence",
    "care_plans_sentence", "triads_sentence", "divergence_sentence", "plan_use_sentence", "carer_variation_sentence",
    "country_indicator_sentence", "site_pattern_sentence", "relationship_sentence", "triad_sentence",
    "care_plan_sentence",
]

#: What a result phrase says when the dataset holds no qualitative files.
NO_DATA_TEXT = "Not available: this dataset holds no interviews."


def pct(share: float, decimals: int = 0) -> str:
    """A share as a percentage for prose; an em dash for NaN.

    Examples
    --------
    >>> pct(0.5), pct(float("nan")), pct(0.123, 1)
    ('50 %', '—', '12.3 %')
    """
    if share is None or not np.isfinite(share):
        return "—"
    return f"{100 * float(share):.{decimals}f} %"


def _join(items: Iterable[str], conj: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{int(n)} {singular if int(n) == 1 else (plural or singular + 's')}"


def _range_pct(values: pd.Series) -> str:
    v = values.dropna()
    if v.empty:
        return "—"
    lo, hi = pct(v.min()), pct(v.max())
    return lo if lo == hi else f"between {lo} and {hi}"


def _indicator_phrase(row, capital: bool = True) -> str:
    """``Label: 78 % (n = 67)`` for a row of :func:`indicator_values`."""
    label = str(row["label"])
    label = label[0].upper() + label[1:] if capital else label
    return f"{label}: {pct(row['value'])} (n = {int(row['n_accounts'])})"


def absent_notice():
    """An admonition saying that the dataset holds no qualitative files (HTML in a notebook)."""
    from .report import _HTML

    body = ("This dataset holds no qualitative files (<code>interviews</code>, <code>framework</code> or "
            "<code>framework_matrix</code>, <code>care_plans</code>). The tables below list the sites, roles, "
            "codes and fields with zero counts; no qualitative result is shown because there is none. "
            "See the data dictionary for the files to add.")
    text = body.replace("<code>", "").replace("</code>", "")
    return _HTML(f'<div class="admonition important"><p class="admonition-title">No qualitative data</p>'
                 f"<p>{body}</p></div>", text)


def synthetic_notice(q: QualData):
    """A second banner for synthetic interview material: the summaries are generated text."""
    from .report import _HTML

    if not (q.synthetic and q.available):
        return _HTML("", "")
    body = ("The interviews, framework summaries and care-plan reviews on this page are SYNTHETIC: generated by "
            "this project from coded patterns that follow the article's reported findings, with sentences written "
            "for the project. No summary is anything a real participant said, and no quotation from the study "
            "is reproduced.")
    return _HTML(f'<div class="admonition warning"><p class="admonition-title">Synthetic interview material</p>'
                 f"<p>{body}</p></div>", body)


def notices(q: QualData) -> list:
    """The notices a qualitative page shows under the data banner: synthetic material, or no data."""
    if not q.available:
        return [absent_notice()]
    return [synthetic_notice(q)] if q.synthetic else []


__all__ += ["notices"]


def counts_sentence(counts: pd.DataFrame) -> str:
    """``117 interviews at 6 sites: 12 senior managers, ...`` from :func:`interview_counts`."""
    total = int(counts["total"].sum())
    if total == 0:
        return "This dataset holds no interviews."
    with_data = int((counts["total"] > 0).sum())
    roles = _join(_plural(int(counts[r].sum()), ROLES[r], ROLE_PLURALS[r]) for r in ROLE_ORDER)
    return f"{_plural(total, 'interview')} at {_plural(with_data, 'site')}: {roles}."


def table1_sentence(comparison: pd.DataFrame) -> str:
    """Whether the interviews per site and role match the article's Table 1."""
    if comparison["n"].sum() == 0:
        return "With no interviews, there is nothing to compare with the article's Table 1."
    listed = comparison[np.isfinite(comparison["published"])]
    if listed.empty:
        return "None of these sites appears in the article's Table 1, so the counts cannot be compared with it."
    k, n = int(listed["match"].sum()), len(listed)
    if k == n:
        return f"The counts match the article's Table 1 in all {n} cells (sites by roles)."
    return f"The counts match the article's Table 1 in {k} of {n} cells (sites by roles)."


def care_plans_sentence(q: QualData) -> str:
    """How many plans were reviewed, against the interviewed service users."""
    n_su = int((q.interviews["role"] == "SU").sum())
    n_plans = len(q.care_plans)
    if n_su == 0 and n_plans == 0:
        return "No care plans were reviewed in this dataset."
    with_plan = int(q.interviews.loc[q.interviews["role"] == "SU", "participant_id"].isin(
        q.care_plans["participant_id"]).sum())
    if with_plan == n_su:
        who = f"all {n_su} interviewed service users have" if n_su > 1 else "the one interviewed service user has"
    else:
        who = f"{with_plan} of the {_plural(n_su, 'interviewed service user')} {'has' if with_plan == 1 else 'have'}"
    return f"{_plural(n_plans, 'care plan')} reviewed; {who} a reviewed plan."


def triads_sentence(q: QualData) -> str:
    """How many triads there are and who is in them."""
    members = triad_members(q.interviews)
    if members.empty:
        return "No triads are recorded in this dataset."
    n = members["triad_id"].nunique()
    with_ca = members.loc[members["role"] == "CA", "triad_id"].nunique()
    with_cc = members.loc[members["role"] == "CC", "triad_id"].nunique()
    with_plan = int(members.loc[members["role"] == "SU", "participant_id"].isin(q.care_plans["participant_id"]).sum())
    return (f"{_plural(n, 'triad')}: {with_cc} with the care coordinator's interview, {with_ca} with a carer's "
            f"and {with_plan} with a reviewed plan.")


def divergence_sentence(div: pd.DataFrame, comparison: str) -> str:
    """Staff versus service-user shares for one comparison of :func:`divergence_table`.

    Examples
    --------
    >>> d = pd.DataFrame({"comparison": "c", "question": "q", "site": ["A", "B", "All sites"],
    ...     "staff_label": "staff accounts in which risk is central", "staff_n": [4, 4, 8],
    ...     "staff_share": [1.0, 0.75, 0.875], "users_label": "user accounts describing involvement",
    ...     "users_n": [3, 3, 6], "users_share": [0.0, 1 / 3, 1 / 6], "gap": [1.0, 0.42, 0.71]})
    >>> print(divergence_sentence(d, "c"))
    Across all sites, staff accounts in which risk is central: 88 % (n = 8); user accounts describing involvement: 17 % (n = 6). The staff share was the higher at both sites with both kinds of account (staff between 75 % and 100 %, users between 0 % and 33 % per site).
    """
    sel = div[div["comparison"] == comparison]
    total = sel[sel["site"] == "All sites"]
    sites = sel[(sel["site"] != "All sites") & (sel["staff_n"] > 0) & (sel["users_n"] > 0)]
    if total.empty or total["staff_n"].iloc[0] == 0 or total["users_n"].iloc[0] == 0:
        return "Not available: this dataset holds no accounts of both kinds for this comparison."
    t = total.iloc[0]
    higher = int((sites["gap"] > 0).sum())
    lower = int((sites["gap"] < 0).sum())
    n = len(sites)
    if higher == n:
        where = f"at {'both sites' if n == 2 else 'the one site' if n == 1 else f'all {n} sites'}"
        pattern = f"the staff share was the higher {where} with both kinds of account"
    elif lower == n:
        pattern = f"the users' share was the higher at all {n} sites with both kinds of account"
    else:
        pattern = (f"the staff share was the higher at {higher} of the {n} sites with both kinds of account and the "
                   f"lower at {lower}")
    return (f"Across all sites, {t['staff_label']}: {pct(t['staff_share'])} (n = {int(t['staff_n'])}); "
            f"{t['users_label']}: {pct(t['users_share'])} (n = {int(t['users_n'])}). "
            f"{pattern[0].upper() + pattern[1:]} (staff {_range_pct(sites['staff_share'])}, users "
            f"{_range_pct(sites['users_share'])} per site).")


def plan_use_sentence(q: QualData) -> str:
    """Plans valued as records by staff against plans seldom consulted or unknown."""
    record = indicator_values(q, "plan_record_staff", None).iloc[0]
    unused = indicator_values(q, "plan_unused", None).iloc[0]
    if record["n_accounts"] == 0 and unused["n_accounts"] == 0:
        return NO_DATA_TEXT
    return (f"{_indicator_phrase(record)}; {_indicator_phrase(unused, capital=False)}, counting care "
            "coordinators, service users and carers.")


def carer_variation_sentence(q: QualData) -> str:
    """Whether carers' involvement varied within sites (sites with at least two carers)."""
    ind = q.codebook.indicators["carer_involved"]
    codes = account_codes(q.interviews, q.framework)
    carers = q.interviews[q.interviews["role"].isin(ind.roles)]
    if carers.empty:
        return "Not available: this dataset holds no carer interviews."
    involved = set(codes.loc[codes["code"].isin(ind.positive), "participant_id"])
    negative = q.codebook.triad_items
    not_codes = next((t.no for t in negative if t.plan_field == "carer_involved"), ())
    not_involved = set(codes.loc[codes["code"].isin(not_codes), "participant_id"])
    rows = []
    for site, g in carers.groupby("site"):
        if len(g) >= 2:
            ids = set(g["participant_id"])
            rows.append((site, bool(ids & involved), bool(ids & not_involved)))
    if not rows:
        return "No site has two or more interviewed carers, so variation within sites cannot be seen."
    both = [s for s, a, b in rows if a and b]
    n = len(rows)
    share = indicator_values(q, "carer_involved", None).iloc[0]
    lead = (f"{pct(share['value'])} of carers' accounts (n = {int(share['n_accounts'])}) described being involved. ")
    if len(both) == n:
        return lead + (f"At {'both' if n == 2 else f'all {n}'} sites with two or more interviewed carers, some "
                       "carers described being involved and others not.")
    if not both:
        return lead + (f"At none of the {n} sites with two or more interviewed carers did involved and uninvolved "
                       "carers occur together.")
    return lead + (f"At {len(both)} of the {n} sites with two or more interviewed carers ({_join(both)}), some "
                   "carers described being involved and others not.")


def country_indicator_sentence(q: QualData, indicator: str) -> str:
    """An indicator by country, and whether every site of one country lies above every site of the other."""
    by_country = indicator_values(q, indicator, "country")
    by_site = indicator_values(q, indicator, "site")
    if by_country["n_accounts"].sum() == 0:
        label = q.codebook.indicators[indicator].label.capitalize()
        return f"{label}: not available (no such interviews in this dataset)."
    country = q.sites.set_index("site")["country"]
    parts = [f"{pct(r.value)} in {r.country} (n = {int(r.n_accounts)})" for r in by_country.itertuples()
             if r.n_accounts > 0]
    text = f"{by_country['label'].iloc[0].capitalize()}: {_join(parts)}"
    site_values = by_site.dropna(subset=["value"]).assign(country=lambda d: d["site"].map(country))
    names = sorted(site_values["country"].unique())
    if len(names) == 2:
        a = site_values[site_values["country"] == names[0]]["value"]
        b = site_values[site_values["country"] == names[1]]["value"]
        if a.min() > b.max():
            text += f"; every site in {names[0]} lies above every site in {names[1]}"
        elif b.min() > a.max():
            text += f"; every site in {names[1]} lies above every site in {names[0]}"
        else:
            text += "; the sites of the two countries overlap"
    return text + "."


def site_pattern_sentence(tests: pd.DataFrame, role_label: str = "service users", alpha: float = 0.05) -> str:
    """Whether any code's share differs between sites beyond chance (:func:`site_pattern_tests`)."""
    tests = tests[np.isfinite(tests["p"])]
    if tests.empty:
        return f"Not available: this dataset holds no interviews with {role_label}."
    hits = tests[tests["site_pattern"]]
    n = len(tests)
    if hits.empty:
        return (f"None of the {n} codes found in {role_label}' accounts differed between sites beyond what chance "
                f"allows (exact tests, smallest p = {tests['p'].min():.3f}); with a handful of accounts per site "
                "these tests can detect only large differences.")
    listed = _join(f"{r.label} ({pct(r.min_share)} to {pct(r.max_share)}, p = {r.p:.3f})" for r in hits.itertuples())
    return (f"{len(hits)} of the {n} codes found in {role_label}' accounts differed between sites (p < {alpha:g}): "
            f"{listed}. With {n} tests, about {n * alpha:.1f} such results are expected by chance alone.")


def relationship_sentence(q: QualData) -> str:
    """Relationships valued, and put before documents, in service users' and carers' accounts."""
    valued = indicator_values(q, "relationship_valued", None).iloc[0]
    first = indicator_values(q, "relationship_first", None).iloc[0]
    if valued["n_accounts"] == 0:
        return "Not available: this dataset holds no service-user or carer interviews."
    return f"{_indicator_phrase(valued)}; {_indicator_phrase(first, capital=False)}."


def triad_sentence(summary: pd.DataFrame, item: str) -> str:
    """Agreement within triads on one question (:func:`triad_agreement_summary`)."""
    r = summary[summary["item"] == item]
    if r.empty or r["n_triads"].iloc[0] == 0:
        return "Not available: this dataset records no triads."
    r = r.iloc[0]
    compared = int(r["agree"] + r["disagree"])
    if compared == 0:
        return f"{r['question']} No triad had two sources answering, so agreement cannot be judged."
    text = (f"{r['question']} Of the {_plural(compared, 'triad')} in which at least two sources answered, "
            f"{int(r['agree'])} agreed and {int(r['disagree'])} disagreed")
    if r["disagree"]:
        text += (f"; in {int(r['su_no_others_yes'])} of the disagreements the service user said no while the carer, "
                 "the care coordinator or the plan said yes")
    return text + "."


def care_plan_sentence(review: pd.DataFrame) -> str:
    """The most and least often met template fields across all plans."""
    total = review[(review["site"] == "All sites") & (review["n_recorded"] > 0)]
    if total.empty:
        return "Not available: this dataset holds no reviewed care plans."
    ranked = total.sort_values(["share", "field"], ascending=[False, True], kind="stable")

    def phrase(r):
        return f"{r.label} ({r.n_yes} of {r.n_recorded})"

    top = _join(phrase(r) for r in ranked.head(2).itertuples())
    bottom = _join(phrase(r) for r in ranked.tail(2).iloc[::-1].itertuples())
    return f"Across all plans the most common features were {top}; the least common were {bottom}."


# =========================================================================== figures

__all__ += ["placeholder_figure", "code_share_heatmap", "divergence_plot", "care_plan_heatmap"]


def placeholder_figure(message: str, size: tuple[float, float] = (6.0, 1.2)):
    """A figure holding only a message (shown where a result cannot be drawn)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, wrap=True)
    return fig


def code_share_heatmap(freq: pd.DataFrame, codebook: CodeBook, title: str = ""):
    """Share of accounts carrying each code (rows, grouped by theme) per role (columns).

    Parameters
    ----------
    freq : DataFrame
        :func:`code_frequencies` with ``by="role"``.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    wide = freq.pivot(index="code", columns="role", values="share").reindex(
        index=list(codebook.codes), columns=list(ROLE_ORDER))
    wide.index = [f"{codebook.code_label(c)}" for c in wide.index]
    wide.columns = [ROLE_PLURALS[r] for r in wide.columns]
    fig, ax = plt.subplots(figsize=(7.5, 0.26 * len(wide) + 1.5))
    sns.heatmap(wide * 100, ax=ax, cmap="Blues", vmin=0, vmax=100, annot=True, fmt=".0f", linewidths=0.4,
                cbar_kws={"label": "% of accounts"}, annot_kws={"fontsize": 7})
    # Theme boundaries.
    themes = [codebook.codes[c].theme for c in codebook.codes]
    for k in range(1, len(themes)):
        if themes[k] != themes[k - 1]:
            ax.axhline(k, color="black", linewidth=0.8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=8, rotation=20)
    if title:
        ax.set_title(title)
    return fig


def divergence_plot(div: pd.DataFrame, title: str = ""):
    """For each comparison, per site: the staff share and the users' share joined by a line."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    comparisons = list(dict.fromkeys(div["comparison"]))
    colours = sns.color_palette("colorblind", 2)
    fig, axes = plt.subplots(1, len(comparisons), figsize=(4.2 * len(comparisons), 3.6), sharey=True, squeeze=False)
    for ax, comp in zip(axes[0], comparisons):
        sel = div[div["comparison"] == comp].reset_index(drop=True)
        y = np.arange(len(sel))[::-1]
        for k, r in sel.iterrows():
            ax.plot([r["users_share"] * 100, r["staff_share"] * 100], [y[k], y[k]], color="0.7", zorder=1)
        ax.scatter(sel["staff_share"] * 100, y, color=colours[0], label="staff", zorder=2)
        ax.scatter(sel["users_share"] * 100, y, color=colours[1], marker="s", label="service users / carers",
                   zorder=2)
        ax.set_yticks(y, sel["site"])
        ax.set_xlim(-5, 105)
        ax.set_xlabel("% of accounts")
        ax.set_title(sel["question"].iloc[0], fontsize=10)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def care_plan_heatmap(review: pd.DataFrame, title: str = ""):
    """Share of reviewed plans with each template field, per site (columns)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    wide = review.pivot(index="label", columns="site", values="share").reindex(
        index=list(dict.fromkeys(review["label"])), columns=list(dict.fromkeys(review["site"])))
    fig, ax = plt.subplots(figsize=(1.0 * wide.shape[1] + 4, 0.35 * len(wide) + 1.4))
    sns.heatmap(wide * 100, ax=ax, cmap="Greens", vmin=0, vmax=100, annot=True, fmt=".0f", linewidths=0.4,
                cbar_kws={"label": "% of plans (recorded)"}, annot_kws={"fontsize": 8})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=20, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    if title:
        ax.set_title(title)
    return fig


# =========================================================================== display

__all__ += ["text_table"]


def text_table(frame: pd.DataFrame, uuid: str, caption: str | None = None, columns: dict | None = None,
               formats: dict | None = None, min_width: str = "9em", text_columns: Sequence[str] | None = None):
    """:func:`helpers.report.table` for tables of words: text cells left-aligned and wrapped.

    Parameters
    ----------
    text_columns : sequence of str, optional
        Columns (original names) holding words; only these are left-aligned and wrapped,
        numbers stay right-aligned. Default: every column.
    """
    from .report import table

    out = table(frame, uuid, caption, columns=columns, formats=formats)
    if text_columns is None:
        out.styler = out.styler.set_table_styles([
            {"selector": "td", "props": f"text-align: left; vertical-align: top; padding: 0.2em 0.6em; "
                                        f"min-width: {min_width}; white-space: normal;"},
            {"selector": "th", "props": "text-align: left; vertical-align: bottom; border-bottom: 1px solid;"},
        ], overwrite=False)
        return out
    names = dict(columns or {})
    shown = [names.get(c, c) for c in text_columns if (c in names or columns is None)]
    out.styler = out.styler.set_properties(subset=shown, **{"text-align": "left", "vertical-align": "top",
                                                            "min-width": min_width, "white-space": "normal"})
    return out
