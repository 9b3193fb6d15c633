"""Validation of a dataset folder against the data contract and the instrument definitions.

:func:`validate_dataset` checks the questionnaire tables with pandera schemas built from
the column rules, then the optional qualitative tables and the manifest, and reports
every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .contract import GROUPS, ID_COLUMN, SITE_COLUMN, TABLES
from .headers import column_letter
from .instruments import Instrument, load_instruments
from .problems import (
    BLANK_VALUE,
    DATA_PROBLEM_KINDS,
    DUPLICATE_VALUE,
    FIRST_DATA_ROW,
    MISSING_COLUMN,
    MISSING_FOLDER,
    NON_FINITE,
    NON_NUMERIC,
    OUT_OF_RANGE,
    UNKNOWN_COUNTRY,
    UNKNOWN_SITE,
    Problem,
    ValidationReport,
    as_text,
    format_rows,
    missing_column_text,
    quote_values,
)
from .qual_validation import inspect_qualitative
from .readers import HEADER_ATTR, locate, numeric_columns, read_checked, read_manifest
from .rules import UNKNOWN_COORDINATOR, Rule, group_rules, optional_rules, site_rules

__all__ = ["validate_dataset", "inspect_dataset", "tables_as_read", "instrument_list"]

# pandera's built-in check names and the problem kinds they stand for.
_PANDERA_KINDS = {"column_in_dataframe": MISSING_COLUMN, "not_nullable": BLANK_VALUE}
# Kinds whose message quotes the offending values.
_QUOTE_VALUES = {
    DUPLICATE_VALUE,
    NON_NUMERIC,
    NON_FINITE,
    OUT_OF_RANGE,
    UNKNOWN_SITE,
    UNKNOWN_COUNTRY,
    UNKNOWN_COORDINATOR,
}
#: Prefix of the keys of the qualitative tables among the raw tables of :func:`inspect_dataset`.
QUALITATIVE_PREFIX = "qualitative:"


def _problem_from_cases(path: Path, column: str, kind: str, cases: pd.DataFrame, describe: str) -> Problem:
    index = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.assign(_row=index).sort_values("_row", kind="stable")
    rows = (np.unique(index.dropna().astype(int).to_numpy()) + FIRST_DATA_ROW).tolist()
    found = quote_values(cases["failure_case"]) if kind in _QUOTE_VALUES else ""
    where = f"{path.name}, column {column!r}" + (f", {format_rows(rows)}" if rows else "")
    return Problem(path, column, kind, rows, f"{where}: {describe}{found}")


def _stand_in(column: str, header: list[str], rules: list[Rule]) -> str:
    """A hint when a repeated name stands where the missing ``column`` belongs (empty otherwise).

    The column between the missing one's neighbours in the expected order (or next to one
    of them) holding a name that the header repeats is probably the missing column,
    overwritten by a copy of another name.
    """
    names = [r.column for r in rules]
    k = names.index(column) if column in names else -1
    counts = pd.Series([h.casefold() for h in header]).value_counts()
    repeated = [i for i, h in enumerate(header) if h and counts[h.casefold()] > 1]
    if k < 0 or not repeated:
        return ""
    places = []
    if k > 0 and names[k - 1] in header:
        places.append(header.index(names[k - 1]) + 1)
    if k + 1 < len(names) and names[k + 1] in header:
        places.append(header.index(names[k + 1]) - 1)
    for place in places:
        if place in repeated:
            others = [i for i in repeated if i != place and header[i].casefold() == header[place].casefold()]
            return (
                f"; column {column_letter(place)} holds {header[place]!r}, a name also used in column "
                f"{column_letter(others[0])}, where {column!r} is expected: rename it if it is {column!r}"
            )
    return ""


def _failure_problems(path: Path, frame: pd.DataFrame, rules: list[Rule], failures: pd.DataFrame) -> list[Problem]:
    """Turn pandera's failure cases into one problem per (column, kind)."""
    failures = failures.copy()
    missing = failures["check"].eq("column_in_dataframe")
    failures.loc[missing, "column"] = failures.loc[missing, "failure_case"]
    failures["kind"] = failures["check"].astype(str).replace(_PANDERA_KINDS)
    describe = {(r.column, kind): text for r in rules for kind, text, _ in r.checks}
    problems = []
    for (column, kind), cases in failures.groupby(["column", "kind"], sort=False):
        if kind == MISSING_COLUMN:
            header = list(frame.attrs.get(HEADER_ATTR, frame.columns))
            text = missing_column_text(column, frame.columns) + _stand_in(str(column), header, rules)
        elif kind == BLANK_VALUE:
            text = "blank, but every row needs a value"
        else:
            text = describe.get((column, kind), f"failed the check {kind!r}")
        problems.append(_problem_from_cases(path, str(column), kind, cases, text))
    order = {r.column: k for k, r in enumerate(rules)}
    kind_order = {kind: k for k, kind in enumerate(DATA_PROBLEM_KINDS)}
    n_kinds = len(DATA_PROBLEM_KINDS)
    return sorted(problems, key=lambda p: (order.get(p.column, len(order)), kind_order.get(p.kind, n_kinds)))


def _check_table(table: str, path: Path, frame: pd.DataFrame, rules: list[Rule]) -> list[Problem]:
    """Validate one table with a pandera schema built from ``rules``."""
    columns = {
        r.column: pa.Column(
            None,
            nullable=r.blank_allowed,
            required=True,
            # Every check lets blanks pass itself (nullable decides on them): no copy without them.
            checks=[pa.Check(fn, name=kind, ignore_na=False) for kind, _, fn in r.checks],
        )
        for r in rules
    }
    # Text columns with checks as categories: each check reads the distinct values once (by_value).
    checked = {r.column for r in rules if r.checks and r.column in frame.columns}
    textual = [c for c in frame.columns if c in checked and pd.api.types.infer_dtype(frame[c], skipna=True) == "string"]
    typed = frame.astype(dict.fromkeys(textual, "category")) if textual else frame
    try:
        pa.DataFrameSchema(columns, name=table, strict=False).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        return _failure_problems(path, frame, rules, err.failure_cases)
    return []


def instrument_list(instruments: Mapping[str, Instrument] | Iterable[Instrument] | None) -> list[Instrument]:
    """Instruments as a list; the project's definitions when None."""
    if instruments is None:
        instruments = load_instruments()
    if isinstance(instruments, Mapping):
        instruments = instruments.values()
    return list(instruments)


def _known_sites(sites: pd.DataFrame | None) -> set[str] | None:
    if sites is None or SITE_COLUMN not in sites.columns:
        return None
    return set(as_text(sites[SITE_COLUMN]).dropna())


def _known_ids(frame: pd.DataFrame | None) -> set[str] | None:
    if frame is None or ID_COLUMN not in frame.columns:
        return None
    return set(as_text(frame[ID_COLUMN]).dropna())


def _expected(table: str, instruments: list[Instrument]) -> list[str]:
    """The columns ``table`` needs, in order."""
    rules = site_rules() if table == "sites" else group_rules(GROUPS[table], instruments, None, "")
    return [r.column for r in rules]


def _table_order(problem: Problem) -> int:
    stem = problem.file.name.split(".")[0]
    return TABLES.index(stem) if stem in TABLES else len(TABLES)


def tables_as_read(report: ValidationReport, frames: Mapping[str, pd.DataFrame | None]) -> dict[Path, pd.DataFrame]:
    """The survey tables :func:`inspect_dataset` read, by file, for the identifier scan to take
    instead of reading the files again: text as written, so not a ``.sav`` file, whose value
    labels depend on the instrument definitions given."""
    read = {report.files[t]: frames[t] for t in TABLES if frames.get(t) is not None and t in report.files}
    return {path: frame for path, frame in read.items() if path.suffix.lower() != ".sav"}


def inspect_dataset(
    folder: Path, instruments: list[Instrument]
) -> tuple[ValidationReport, dict[str, pd.DataFrame | None]]:
    """Read and check every table of ``folder``.

    Returns
    -------
    report : ValidationReport
    frames : dict of str to DataFrame or None
        The raw tables by name (None when unreadable); the qualitative tables under
        ``"qualitative:<name>"``.
    """
    report = ValidationReport(folder)
    if not folder.is_dir():
        report.problems.append(Problem(folder, None, MISSING_FOLDER, [], f"{folder}: no such folder"))
        return report, {}
    numeric = numeric_columns(instruments)
    frames: dict[str, pd.DataFrame | None] = {}
    for table in TABLES:
        path, problems = locate(folder, table)
        frames[table] = None
        if path is not None:
            report.files[table] = path
            frames[table], problems = read_checked(path, numeric, _expected(table, instruments))
        report.problems.extend(problems)
    sites_file = report.files.get("sites", Path("sites")).name
    known = _known_sites(frames["sites"])
    coordinators = _known_ids(frames["care_coordinators"])
    for table in TABLES:
        if frames[table] is None:
            continue
        rules = site_rules() if table == "sites" else group_rules(GROUPS[table], instruments, known, sites_file)
        rules += optional_rules(table, frames[table].columns, coordinators)
        report.problems.extend(_check_table(table, report.files[table], frames[table], rules))
    report.problems.sort(key=_table_order)
    qual = inspect_qualitative(folder, known, sites_file)
    report.problems.extend(qual.problems)
    report.files.update(qual.files)
    frames.update({f"{QUALITATIVE_PREFIX}{name}": frame for name, frame in qual.frames.items()})
    report.problems.extend(read_manifest(folder)[1])
    return report, frames


def validate_dataset(
    folder: str | Path, instruments: Mapping[str, Instrument] | Iterable[Instrument] | None = None
) -> ValidationReport:
    """Check a dataset folder against the data contract and report every problem.

    Parameters
    ----------
    folder : str or Path
        Folder holding ``sites``, ``service_users`` and ``care_coordinators`` tables.
    instruments : dict or list of Instrument, optional
        Instrument definitions giving the item columns; default
        :func:`~helpers.io.instruments.load_instruments`.

    Returns
    -------
    ValidationReport
        Every problem across the three files: missing or ambiguous files, empty or
        unreadable files, missing columns, blank ids or sites, duplicate ids or site
        codes, unknown site codes or countries, non-numeric values and values out of
        range. Row numbers follow spreadsheet numbering (header = row 1). When the
        folder also holds the optional qualitative tables (``interviews``,
        ``framework`` or ``framework_matrix``, ``care_plans``), their problems follow in
        the same format (:func:`~helpers.io.qual_validation.inspect_qualitative`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report = validate_dataset(tmp)
    >>> report.ok, [p.kind for p in report.problems]
    (False, ['missing file', 'missing file', 'missing file'])
    >>> print(str(report).splitlines()[0].split(" of ")[0])
    3 problems in 3 files
    """
    return inspect_dataset(Path(folder), instrument_list(instruments))[0]
