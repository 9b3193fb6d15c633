"""Read, check and write a dataset folder.

A dataset folder holds three tables -- ``sites``, ``service_users`` and
``care_coordinators`` -- each as ``.csv``, ``.xlsx`` or SPSS ``.sav``, and
optionally a ``manifest.json``. :func:`validate_dataset` checks the folder
against the data contract (:mod:`helpers.contract`) and the instrument
definitions and reports every problem at once, naming the file, the column and
the rows as a spreadsheet shows them (header = row 1, first data row = row 2).
:func:`load_dataset` returns typed tables only when that report is clean.
Input files are only ever opened for reading.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .contract import COUNTRIES, GROUPS, ID_COLUMN, SITE_COLUMN, SITE_COLUMNS, GroupContract
from .instruments import Instrument, load_instruments

__all__ = [
    "TABLES",
    "FORMATS",
    "MANIFEST",
    "Problem",
    "ValidationReport",
    "DataValidationError",
    "Dataset",
    "read_table",
    "validate_dataset",
    "load_dataset",
    "write_dataset",
]

#: Table names, also the file stems of a dataset folder.
TABLES = ("sites", *GROUPS)
#: Accepted file formats, in the order they are looked for.
FORMATS = (".csv", ".xlsx", ".sav")
#: Optional file marking a dataset folder, e.g. ``{"synthetic": true}``.
MANIFEST = "manifest.json"
#: Plausible participant ages in years (inclusive).
AGE_RANGE = (16, 100)
#: Spreadsheet row of the first data row (the header is row 1).
FIRST_DATA_ROW = 2
#: How many row numbers a message lists before "and N more".
MAX_LISTED_ROWS = 20
#: How many distinct offending values a message quotes.
MAX_LISTED_VALUES = 5
ROW_NOTE = "(spreadsheet numbering, header = row 1)"

# Kinds of problem, in the order they are reported within a column.
MISSING_FOLDER = "missing folder"
MISSING_FILE = "missing file"
AMBIGUOUS_FILE = "ambiguous file"
UNREADABLE_FILE = "unreadable file"
EMPTY_FILE = "empty file"
MISSING_COLUMN = "missing column"
BLANK_VALUE = "blank value"
DUPLICATE_VALUE = "duplicate value"
NON_NUMERIC = "non-numeric value"
OUT_OF_RANGE = "out of range"
UNKNOWN_SITE = "unknown site"
UNKNOWN_COUNTRY = "unknown country"
BAD_MANIFEST = "bad manifest"
KINDS = (
    MISSING_FOLDER, MISSING_FILE, AMBIGUOUS_FILE, UNREADABLE_FILE, EMPTY_FILE, MISSING_COLUMN,
    BLANK_VALUE, DUPLICATE_VALUE, NON_NUMERIC, OUT_OF_RANGE, UNKNOWN_SITE, UNKNOWN_COUNTRY, BAD_MANIFEST,
)
# pandera's built-in check names and the problem kinds they stand for.
_PANDERA_KINDS = {"column_in_dataframe": MISSING_COLUMN, "not_nullable": BLANK_VALUE}
# Kinds whose message quotes the offending values.
_QUOTE_VALUES = {DUPLICATE_VALUE, NON_NUMERIC, OUT_OF_RANGE, UNKNOWN_SITE, UNKNOWN_COUNTRY}


# --------------------------------------------------------------------------- report


@dataclass
class Problem:
    """One problem found in a dataset folder.

    Attributes
    ----------
    file : Path
        The file concerned (for a missing table: the folder joined with the table name).
    column : str or None
        The column concerned, ``None`` for problems of a whole file.
    kind : str
        One of :data:`KINDS`, e.g. ``"out of range"``.
    rows : list of int
        Spreadsheet row numbers (header = row 1, first data row = row 2); empty
        when the problem is not tied to data rows.
    message : str
        Self-contained, one-line description naming file, column and rows.
    """

    file: Path
    column: str | None
    kind: str
    rows: list[int]
    message: str


@dataclass
class ValidationReport:
    """Every problem found in one dataset folder.

    Attributes
    ----------
    folder : Path
        The dataset folder checked.
    problems : list of Problem
        In table order (sites, service users, care coordinators), then column order.
    files : dict of str to Path
        The file found for each table (tables without a unique file are absent).
    """

    folder: Path
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """``True`` when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """One-line summary, e.g. ``"3 problems in 2 files of /data"``."""
        if self.ok:
            return f"No problems found in {self.folder}"
        n_files = len({p.file for p in self.problems})
        problems = "problem" if len(self.problems) == 1 else "problems"
        files = "file" if n_files == 1 else "files"
        return f"{len(self.problems)} {problems} in {n_files} {files} of {self.folder}"

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table (file name, column, kind, rows, message)."""
        return pd.DataFrame(
            {
                "file": [p.file.name for p in self.problems],
                "column": [p.column for p in self.problems],
                "kind": [p.kind for p in self.problems],
                "rows": [p.rows for p in self.problems],
                "message": [p.message for p in self.problems],
            }
        )

    def __str__(self) -> str:
        return "\n".join([self.summary(), *(f"  - {p.message}" for p in self.problems)])


class DataValidationError(ValueError):
    """A dataset folder failed validation; ``str()`` is the full report.

    Attributes
    ----------
    report : ValidationReport
    """

    def __init__(self, report: ValidationReport):
        super().__init__(str(report))
        self.report = report


# --------------------------------------------------------------------------- dataset


@dataclass
class Dataset:
    """A validated dataset with typed tables.

    Attributes
    ----------
    folder : Path
        Where the data came from.
    files : dict of str to Path
        The file read for each table.
    sites, service_users, care_coordinators : DataFrame
        ``participant_id`` and ``site`` as ``str``; item columns and numeric
        covariates as ``float`` with missing codes turned into NaN; categorical
        covariates as pandas ``string``. Other columns are kept as read.
    synthetic : bool
        ``True`` when the folder's ``manifest.json`` says ``"synthetic": true``.
    interviews, framework, care_plans : DataFrame or None
        The optional qualitative tables (see :mod:`helpers.qualitative`), typed; None
        when the folder does not hold them. A framework exported from NVivo as a matrix
        (``framework_matrix``) is converted to the long form.
    """

    folder: Path
    files: dict[str, Path]
    sites: pd.DataFrame
    service_users: pd.DataFrame
    care_coordinators: pd.DataFrame
    synthetic: bool = False
    # --- qualitative strand (optional; helpers.qualitative) ---
    interviews: pd.DataFrame | None = None
    framework: pd.DataFrame | None = None
    care_plans: pd.DataFrame | None = None

    @property
    def has_qualitative(self) -> bool:
        """Whether the dataset holds interviews (and so a qualitative strand)."""
        return self.interviews is not None and len(self.interviews) > 0

    def group(self, name: str) -> pd.DataFrame:
        """Return one participant group's table (``"service_users"`` or ``"care_coordinators"``)."""
        if name not in GROUPS:
            raise KeyError(f"unknown group {name!r}; expected one of {', '.join(GROUPS)}")
        return getattr(self, name)


# --------------------------------------------------------------------------- reading


def _as_text(values: pd.Series) -> pd.Series:
    """Values as pandas ``string``; whole numbers lose their ``.0`` (SPSS codes).

    Examples
    --------
    >>> _as_text(pd.Series([1.0, 2.5, np.nan])).tolist()
    ['1', '2.5', <NA>]
    >>> _as_text(pd.Series(["007", None], dtype=object)).tolist()
    ['007', <NA>]
    """
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype("string")
    numbers = values.astype(float)
    whole = numbers.notna() & np.isfinite(numbers) & (numbers % 1 == 0)
    text = numbers.astype("string")
    return text.mask(whole, numbers.where(whole).astype("Int64").astype("string"))


def _object_column(values: pd.Series) -> pd.Series:
    """Strip text, turn empty strings into NaN; an ``object`` column without ``pd.NA``."""
    text = values.astype("string").str.strip()
    cleaned = text.to_numpy(dtype=object, na_value=np.nan)
    cleaned[text.eq("").fillna(False).to_numpy(dtype=bool)] = np.nan
    return pd.Series(cleaned, index=values.index, name=values.name, dtype=object)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Clean header names and text cells; drop wholly blank rows but keep row positions."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    types = pd.api.types
    textual = [types.is_object_dtype(t) or types.is_string_dtype(t) for t in frame.dtypes]
    for column in frame.columns[textual]:
        frame[column] = _object_column(frame[column])
    return frame.loc[frame.notna().any(axis=1).to_numpy()].copy()


def _read_csv(path: Path, numeric_columns: Iterable[str] | None) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _read_xlsx(path: Path, numeric_columns: Iterable[str] | None) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")


def _apply_labels(values: pd.Series, labels: Mapping) -> pd.Series:
    """Replace SPSS codes by their value labels; unlabelled codes become text."""
    labelled = values.map(dict(labels)).astype("string")
    text = labelled.fillna(_as_text(values))
    return pd.Series(text.to_numpy(dtype=object, na_value=np.nan), index=values.index, name=values.name)


def _default_numeric_columns() -> set[str]:
    """Item columns of the default instruments and every numeric covariate."""
    return _numeric_columns(load_instruments().values())


def _read_sav(path: Path, numeric_columns: Iterable[str] | None) -> pd.DataFrame:
    import pyreadstat

    data, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    keep_codes = set(numeric_columns) if numeric_columns is not None else _default_numeric_columns()
    for column, labels in meta.variable_value_labels.items():
        if column in data.columns and column not in keep_codes and labels:
            data[column] = _apply_labels(data[column], labels)
    return data


_READERS: dict[str, Callable[[Path, Iterable[str] | None], pd.DataFrame]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".sav": _read_sav,
}


def read_table(path: str | Path, numeric_columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Read one table without coercing anything that could hide a data problem.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8, comma separated), ``.xlsx`` (first sheet) or SPSS ``.sav`` file.
    numeric_columns : iterable of str, optional
        Columns of a ``.sav`` file that keep their numeric codes even when the SPSS
        variable carries value labels. Every other labelled column (site, gender,
        ethnicity, ...) gets its labels. Default: the item columns of
        ``data/instruments`` and the numeric covariates.

    Returns
    -------
    DataFrame
        CSV and Excel cells as text (``object``), SPSS columns as stored. Surrounding
        spaces are stripped and empty cells are NaN. Wholly blank rows are dropped,
        but the index keeps each row's position in the file, so the spreadsheet row
        number is ``index + 2``. An empty file (0 bytes) gives an empty frame; a
        header-only file gives a frame with columns and no rows.

    Raises
    ------
    ValueError
        If the extension is not one of :data:`FORMATS`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "sites.csv"
    ...     _ = path.write_text("site,country\\nS1, England\\n,\\nS2,\\n", encoding="utf-8")
    ...     table = read_table(path)
    >>> table
      site  country
    0   S1  England
    2   S2      NaN
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"{path.name}: unsupported file type {path.suffix!r}; use one of {', '.join(FORMATS)}")
    if path.stat().st_size == 0:
        return pd.DataFrame()
    return _tidy(reader(path, numeric_columns))


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rule:
    """What one required column must satisfy.

    ``checks`` holds ``(kind, description, function)``; a function takes the
    column (blanks already removed) and returns a boolean Series, True = fine.
    """

    column: str
    blank_allowed: bool = True
    checks: tuple[tuple[str, str, Callable[[pd.Series], pd.Series]], ...] = ()


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _is_number(values: pd.Series) -> pd.Series:
    return _numbers(values).notna()


def _passes(test: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """A numeric test that lets non-numbers through (they are reported as non-numeric)."""

    def check(values: pd.Series) -> pd.Series:
        numbers = _numbers(values)
        return numbers.isna() | test(numbers)

    return check


def _unique(values: pd.Series) -> pd.Series:
    text = _as_text(values)
    return text.isna() | ~text.duplicated(keep=False)


def _member_of(allowed: Iterable[str]) -> Callable[[pd.Series], pd.Series]:
    allowed = list(allowed)

    def check(values: pd.Series) -> pd.Series:
        return _as_text(values).isin(allowed)

    return check


def _numeric_columns(instruments: Iterable[Instrument]) -> set[str]:
    items = {item for inst in instruments for item in inst.items}
    return items | {c for contract in GROUPS.values() for c in contract.numeric_covariates}


def _item_rules(inst: Instrument) -> list[_Rule]:
    codes = list(range(inst.min, inst.max + 1)) + list(inst.missing_codes)
    allowed = f"whole numbers {inst.min}-{inst.max}"
    if inst.missing_codes:
        allowed += " or missing code " + ", ".join(f"{k} = {v}" for k, v in inst.missing_codes.items())
    describe = f"not a valid {inst.id} response (allowed: {allowed})"
    out_of_range = (OUT_OF_RANGE, describe, _passes(lambda n: n.isin(codes)))
    number = (NON_NUMERIC, "not a number", _is_number)
    return [_Rule(item, True, (number, out_of_range)) for item in inst.items]


def _covariate_rule(column: str) -> _Rule:
    number = (NON_NUMERIC, "not a number", _is_number)
    if column == "age":
        lo, hi = AGE_RANGE
        in_range = (OUT_OF_RANGE, f"age outside {lo}-{hi} years", _passes(lambda n: n.between(lo, hi)))
    else:
        in_range = (OUT_OF_RANGE, "negative number of years", _passes(lambda n: n >= 0))
    return _Rule(column, True, (number, in_range))


def _site_rules() -> list[_Rule]:
    duplicated = (DUPLICATE_VALUE, "site code listed more than once", _unique)
    country = (UNKNOWN_COUNTRY, f"country is not one of {', '.join(COUNTRIES)}", _member_of(COUNTRIES))
    rules = {SITE_COLUMN: _Rule(SITE_COLUMN, False, (duplicated,)), "country": _Rule("country", False, (country,))}
    return [rules.get(column, _Rule(column)) for column in SITE_COLUMNS]


def _group_rules(
    contract: GroupContract, instruments: Iterable[Instrument], known_sites: set[str] | None, sites_file: str
) -> list[_Rule]:
    duplicated = (DUPLICATE_VALUE, "participant id used more than once", _unique)
    site_checks = ()
    if known_sites is not None:
        site_checks = ((UNKNOWN_SITE, f"site code not listed in {sites_file}", _member_of(sorted(known_sites))),)
    rules = [_Rule(ID_COLUMN, False, (duplicated,)), _Rule(SITE_COLUMN, False, site_checks)]
    for column in contract.covariates:
        numeric = column in contract.numeric_covariates
        rules.append(_covariate_rule(column) if numeric else _Rule(column))
    for inst in instruments:
        if contract.name in inst.groups:
            rules.extend(_item_rules(inst))
    return rules


# --------------------------------------------------------------------------- checking


def _format_rows(rows: list[int]) -> str:
    """List spreadsheet rows compactly.

    Examples
    --------
    >>> _format_rows([5])
    'row 5 (spreadsheet numbering, header = row 1)'
    >>> _format_rows(list(range(2, 30)))[-61:]
    '19, 20, 21 and 8 more (spreadsheet numbering, header = row 1)'
    """
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED_ROWS])
    more = f" and {len(rows) - MAX_LISTED_ROWS} more" if len(rows) > MAX_LISTED_ROWS else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more} {ROW_NOTE}"


def _quote_values(values: pd.Series) -> str:
    values = values.dropna()
    if pd.api.types.infer_dtype(values, skipna=True) in ("floating", "integer", "mixed-integer-float"):
        values = values.astype(float)
    distinct = pd.unique(_as_text(values).dropna())
    quoted = ", ".join(repr(str(v)) for v in distinct[:MAX_LISTED_VALUES])
    more = f" and {len(distinct) - MAX_LISTED_VALUES} more" if len(distinct) > MAX_LISTED_VALUES else ""
    return f"; found {quoted}{more}" if quoted else ""


def _missing_column_text(column: str, present: Iterable[str]) -> str:
    text = "required column is missing from the header (row 1)"
    near = [c for c in present if c.casefold() == column.casefold()]
    return text + (f"; found {near[0]!r} instead (names are case-sensitive)" if near else "")


def _problem_from_cases(path: Path, column: str, kind: str, cases: pd.DataFrame, describe: str) -> Problem:
    index = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.assign(_row=index).sort_values("_row", kind="stable")
    rows = (np.unique(index.dropna().astype(int).to_numpy()) + FIRST_DATA_ROW).tolist()
    found = _quote_values(cases["failure_case"]) if kind in _QUOTE_VALUES else ""
    where = f"{path.name}, column {column!r}" + (f", {_format_rows(rows)}" if rows else "")
    return Problem(path, column, kind, rows, f"{where}: {describe}{found}")


def _failure_problems(path: Path, frame: pd.DataFrame, rules: list[_Rule], failures: pd.DataFrame) -> list[Problem]:
    """Turn pandera's failure cases into one problem per (column, kind)."""
    failures = failures.copy()
    missing = failures["check"].eq("column_in_dataframe")
    failures.loc[missing, "column"] = failures.loc[missing, "failure_case"]
    failures["kind"] = failures["check"].astype(str).replace(_PANDERA_KINDS)
    describe = {(r.column, kind): text for r in rules for kind, text, _ in r.checks}
    problems = []
    for (column, kind), cases in failures.groupby(["column", "kind"], sort=False):
        if kind == MISSING_COLUMN:
            text = _missing_column_text(column, frame.columns)
        elif kind == BLANK_VALUE:
            text = "blank, but every row needs a value"
        else:
            text = describe.get((column, kind), f"failed the check {kind!r}")
        problems.append(_problem_from_cases(path, str(column), kind, cases, text))
    order = {r.column: k for k, r in enumerate(rules)}
    kind_order = {kind: k for k, kind in enumerate(KINDS)}
    return sorted(problems, key=lambda p: (order.get(p.column, len(order)), kind_order.get(p.kind, len(KINDS))))


def _check_table(table: str, path: Path, frame: pd.DataFrame, rules: list[_Rule]) -> list[Problem]:
    """Validate one table with a pandera schema built from ``rules``."""
    if frame.shape[1] == 1 and any(sep in str(frame.columns[0]) for sep in ";\t"):
        return [Problem(path, None, UNREADABLE_FILE, [],
                        f"{path.name}: the header is one single column {frame.columns[0]!r}; "
                        "save the file with commas as separators")]
    columns = {
        r.column: pa.Column(
            None,
            nullable=r.blank_allowed,
            required=True,
            checks=[pa.Check(fn, name=kind, ignore_na=True) for kind, _, fn in r.checks],
        )
        for r in rules
    }
    try:
        pa.DataFrameSchema(columns, name=table, strict=False).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return _failure_problems(path, frame, rules, err.failure_cases)
    return []


def _locate(folder: Path, table: str) -> tuple[Path | None, list[Problem]]:
    """The one file holding ``table``, or a problem saying why there is none."""
    found = [folder / f"{table}{ext}" for ext in FORMATS if (folder / f"{table}{ext}").is_file()]
    if len(found) == 1:
        return found[0], []
    expected = ", ".join(f"{table}{ext}" for ext in FORMATS)
    if not found:
        message = f"{table}: no file found; expected exactly one of {expected} in {folder}"
        return None, [Problem(folder / table, None, MISSING_FILE, [], message)]
    names = ", ".join(p.name for p in found)
    message = f"{table}: {len(found)} files found ({names}); keep exactly one of {expected}"
    return None, [Problem(found[0], None, AMBIGUOUS_FILE, [], message)]


def _read_checked(path: Path, numeric_columns: set[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table; an unreadable or empty file becomes a problem instead of an exception."""
    try:
        frame = read_table(path, numeric_columns)
    except UnicodeDecodeError:
        message = f"{path.name}: not UTF-8 text; save it as 'CSV UTF-8 (comma delimited)'"
        return None, [Problem(path, None, UNREADABLE_FILE, [], message)]
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported, never raised
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        message = f"{path.name}: could not be read as a {path.suffix} file ({reason})"
        return None, [Problem(path, None, UNREADABLE_FILE, [], message)]
    if frame.shape[1] == 0:
        return None, [Problem(path, None, EMPTY_FILE, [], f"{path.name}: the file is empty (no header, no data rows)")]
    if frame.shape[0] == 0:
        return None, [Problem(path, None, EMPTY_FILE, [], f"{path.name}: the file has a header row but no data rows")]
    return frame, []


def _read_manifest(folder: Path) -> tuple[dict, list[Problem]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}, []
    try:
        with path.open(encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (ValueError, OSError) as exc:
        return {}, [Problem(path, None, BAD_MANIFEST, [], f"{MANIFEST}: not valid JSON ({exc})")]
    if not isinstance(manifest, dict):
        return {}, [Problem(path, None, BAD_MANIFEST, [], f"{MANIFEST}: must hold a JSON object")]
    if not isinstance(manifest.get("synthetic", False), bool):
        return {}, [Problem(path, None, BAD_MANIFEST, [], f"{MANIFEST}: 'synthetic' must be true or false")]
    return manifest, []


def _instrument_list(instruments: Mapping[str, Instrument] | Iterable[Instrument] | None) -> list[Instrument]:
    if instruments is None:
        instruments = load_instruments()
    if isinstance(instruments, Mapping):
        instruments = instruments.values()
    return list(instruments)


def _known_sites(sites: pd.DataFrame | None) -> set[str] | None:
    if sites is None or SITE_COLUMN not in sites.columns:
        return None
    return set(_as_text(sites[SITE_COLUMN]).dropna())


def _inspect(folder: Path, instruments: list[Instrument]) -> tuple[ValidationReport, dict[str, pd.DataFrame | None]]:
    """Read and check every table; return the report and the raw tables."""
    report = ValidationReport(folder)
    if not folder.is_dir():
        report.problems.append(Problem(folder, None, MISSING_FOLDER, [], f"{folder}: no such folder"))
        return report, {}
    numeric = _numeric_columns(instruments)
    frames: dict[str, pd.DataFrame | None] = {}
    for table in TABLES:
        path, problems = _locate(folder, table)
        frames[table] = None
        if path is not None:
            report.files[table] = path
            frames[table], problems = _read_checked(path, numeric)
        report.problems.extend(problems)
    sites_file = report.files.get("sites", Path("sites")).name
    known = _known_sites(frames["sites"])
    for table in TABLES:
        if frames[table] is None:
            continue
        rules = _site_rules() if table == "sites" else _group_rules(GROUPS[table], instruments, known, sites_file)
        report.problems.extend(_check_table(table, report.files[table], frames[table], rules))
    report.problems.sort(key=_table_order)
    # --- qualitative strand: optional interviews, framework and care_plans (helpers.qualitative) ---
    from .qualitative import inspect_qualitative

    qual = inspect_qualitative(folder, known, sites_file)
    report.problems.extend(qual.problems)
    report.files.update(qual.files)
    frames.update({f"qualitative:{name}": frame for name, frame in qual.frames.items()})
    # --- end qualitative strand ---
    report.problems.extend(_read_manifest(folder)[1])
    return report, frames


def _table_order(problem: Problem) -> int:
    stem = problem.file.name.split(".")[0]
    return TABLES.index(stem) if stem in TABLES else len(TABLES)


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
        :func:`helpers.instruments.load_instruments`.

    Returns
    -------
    ValidationReport
        Every problem across the three files: missing or ambiguous files, empty or
        unreadable files, missing columns, blank ids or sites, duplicate ids or site
        codes, unknown site codes or countries, non-numeric values and values out of
        range. Row numbers follow spreadsheet numbering (header = row 1). When the
        folder also holds the optional qualitative tables (``interviews``,
        ``framework`` or ``framework_matrix``, ``care_plans``), their problems follow in
        the same format (:func:`helpers.qualitative.inspect_qualitative`).

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
    return _inspect(Path(folder), _instrument_list(instruments))[0]


# --------------------------------------------------------------------------- typing


def _typed_sites(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True)
    out[SITE_COLUMN] = _as_text(out[SITE_COLUMN]).astype(str)
    out["country"] = _as_text(out["country"])
    return out


def _typed_group(frame: pd.DataFrame, contract: GroupContract, instruments: list[Instrument]) -> pd.DataFrame:
    out = frame.reset_index(drop=True)
    for column in (ID_COLUMN, SITE_COLUMN):
        out[column] = _as_text(out[column]).astype(str)
    for column in contract.categorical_covariates:
        out[column] = _as_text(out[column])
    numeric = list(contract.numeric_covariates)
    out[numeric] = out[numeric].apply(pd.to_numeric).astype(float)
    for inst in instruments:
        if contract.name not in inst.groups:
            continue
        items = out[list(inst.items)].apply(pd.to_numeric).astype(float)
        out[list(inst.items)] = items.mask(items.isin(list(inst.missing_codes)))
    return out


def load_dataset(
    folder: str | Path, instruments: Mapping[str, Instrument] | Iterable[Instrument] | None = None
) -> Dataset:
    """Validate a dataset folder and return its typed tables.

    Parameters
    ----------
    folder : str or Path
        Folder holding ``sites``, ``service_users`` and ``care_coordinators`` tables
        (``.csv``, ``.xlsx`` or ``.sav``) and optionally ``manifest.json``.
    instruments : dict or list of Instrument, optional
        Default :func:`helpers.instruments.load_instruments`.

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        If :func:`validate_dataset` finds any problem; the message is the full report.
    """
    folder = Path(folder)
    instruments = _instrument_list(instruments)
    report, frames = _inspect(folder, instruments)
    if not report.ok:
        raise DataValidationError(report)
    manifest, _ = _read_manifest(folder)
    return Dataset(
        folder=folder,
        files=dict(report.files),
        sites=_typed_sites(frames["sites"]),
        service_users=_typed_group(frames["service_users"], GROUPS["service_users"], instruments),
        care_coordinators=_typed_group(frames["care_coordinators"], GROUPS["care_coordinators"], instruments),
        synthetic=manifest.get("synthetic") is True,
        **_typed_qualitative(frames),
    )


def _typed_qualitative(frames: Mapping[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    """The qualitative strand's typed tables (helpers.qualitative), keyed by Dataset attribute."""
    raw = {k.split(":", 1)[1]: v for k, v in frames.items() if k.startswith("qualitative:") and v is not None}
    if not raw:
        return {}
    from .qualitative import typed_tables

    return typed_tables(raw)


# --------------------------------------------------------------------------- writing


def _whole_numbers_as_int(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers become nullable ``Int64`` (no ``.0`` in CSV)."""
    out = frame.copy()
    for column in out.columns[[pd.api.types.is_float_dtype(t) for t in out.dtypes]]:
        values = out[column]
        if bool(((values % 1 == 0) | values.isna()).all()):
            out[column] = values.astype("Int64")
    return out


def write_dataset(
    folder: str | Path,
    sites: pd.DataFrame,
    service_users: pd.DataFrame,
    care_coordinators: pd.DataFrame,
    manifest: Mapping | None = None,
) -> dict[str, Path]:
    """Write a dataset folder as CSV with stable formatting.

    Parameters
    ----------
    folder : str or Path
        Created if needed; existing CSV tables are overwritten.
    sites, service_users, care_coordinators : DataFrame
        The three tables; the index is not written.
    manifest : mapping, optional
        Written as ``manifest.json`` (e.g. ``{"synthetic": True}``) when given.

    Returns
    -------
    dict of str to Path
        The file written for each table.

    Raises
    ------
    FileExistsError
        If the folder already holds an ``.xlsx`` or ``.sav`` version of a table, which
        would make the folder ambiguous. Nothing is written in that case.

    Notes
    -----
    Files are UTF-8 with ``\\n`` line ends; float columns that hold only whole
    numbers (item responses, codes) are written without ``.0``.
    """
    folder = Path(folder)
    tables = {"sites": sites, "service_users": service_users, "care_coordinators": care_coordinators}
    clashes = [folder / f"{t}{ext}" for t in tables for ext in FORMATS[1:] if (folder / f"{t}{ext}").exists()]
    if clashes:
        names = ", ".join(p.name for p in clashes)
        raise FileExistsError(f"{folder} already holds {names}; remove it before writing CSV tables")
    folder.mkdir(parents=True, exist_ok=True)
    paths = {table: folder / f"{table}.csv" for table in tables}
    for table, frame in tables.items():
        _whole_numbers_as_int(frame).to_csv(paths[table], index=False, lineterminator="\n", encoding="utf-8")
    if manifest is not None:
        text = json.dumps(dict(manifest), indent=2, sort_keys=True) + "\n"
        (folder / MANIFEST).write_text(text, encoding="utf-8")
    return paths
