"""The report of problems found in a dataset folder.

Every problem names the file, the column and the rows as a spreadsheet shows them
(header = row 1, first data row = row 2), so that a user can find and fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "Problem",
    "ValidationReport",
    "DataValidationError",
    "DATA_PROBLEM_KINDS",
    "FIRST_DATA_ROW",
    "format_rows",
    "quote_values",
    "missing_column_text",
    "as_text",
]

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
MISPLACED_HEADER = "misplaced header"
DUPLICATE_COLUMN = "duplicate column"
MISSING_COLUMN = "missing column"
BLANK_VALUE = "blank value"
DUPLICATE_VALUE = "duplicate value"
NON_NUMERIC = "non-numeric value"
NON_FINITE = "non-finite number"
OUT_OF_RANGE = "out of range"
UNKNOWN_SITE = "unknown site"
UNKNOWN_COUNTRY = "unknown country"
BAD_MANIFEST = "bad manifest"
#: Kinds of problem of the questionnaire tables, in the order they are reported within a column.
DATA_PROBLEM_KINDS = (
    MISSING_FOLDER,
    MISSING_FILE,
    AMBIGUOUS_FILE,
    UNREADABLE_FILE,
    EMPTY_FILE,
    MISPLACED_HEADER,
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    BLANK_VALUE,
    DUPLICATE_VALUE,
    NON_NUMERIC,
    NON_FINITE,
    OUT_OF_RANGE,
    UNKNOWN_SITE,
    UNKNOWN_COUNTRY,
    BAD_MANIFEST,
)


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
        One of :data:`DATA_PROBLEM_KINDS` or of the qualitative tables' kinds, e.g. ``"out of range"``.
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


def as_text(values: pd.Series) -> pd.Series:
    """Values as pandas ``string``; whole numbers lose their ``.0`` (SPSS codes).

    Examples
    --------
    >>> as_text(pd.Series([1.0, 2.5, np.nan])).tolist()
    ['1', '2.5', <NA>]
    >>> as_text(pd.Series(["007", None], dtype=object)).tolist()
    ['007', <NA>]
    """
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype("string")
    numbers = values.astype(float)
    whole = numbers.notna() & np.isfinite(numbers) & (numbers % 1 == 0)
    text = numbers.astype("string")
    return text.mask(whole, numbers.where(whole).astype("Int64").astype("string"))


def format_rows(rows: list[int]) -> str:
    """List spreadsheet rows compactly.

    Examples
    --------
    >>> format_rows([5])
    'row 5 (spreadsheet numbering, header = row 1)'
    >>> format_rows(list(range(2, 30)))[-61:]
    '19, 20, 21 and 8 more (spreadsheet numbering, header = row 1)'
    """
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED_ROWS])
    more = f" and {len(rows) - MAX_LISTED_ROWS} more" if len(rows) > MAX_LISTED_ROWS else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more} {ROW_NOTE}"


def quote_values(values: pd.Series) -> str:
    """The distinct offending values for a message: ``"; found 'a', 'b'"`` (empty when none).

    Examples
    --------
    >>> quote_values(pd.Series([7.0, 7.0, 9.5]))
    "; found '7', '9.5'"
    """
    values = values.dropna()
    if pd.api.types.infer_dtype(values, skipna=True) in ("floating", "integer", "mixed-integer-float"):
        values = values.astype(float)
    distinct = pd.unique(as_text(values).dropna())
    quoted = ", ".join(repr(str(v)) for v in distinct[:MAX_LISTED_VALUES])
    more = f" and {len(distinct) - MAX_LISTED_VALUES} more" if len(distinct) > MAX_LISTED_VALUES else ""
    return f"; found {quoted}{more}" if quoted else ""


def missing_column_text(column: str, present: Iterable[str]) -> str:
    """Message of a required column missing from the header, pointing at a near miss in case only.

    Examples
    --------
    >>> missing_column_text("site", ["Site", "country"])
    "required column is missing from the header (row 1); found 'Site' instead (names are case-sensitive)"
    """
    text = "required column is missing from the header (row 1)"
    near = [c for c in present if c.casefold() == column.casefold()]
    return text + (f"; found {near[0]!r} instead (names are case-sensitive)" if near else "")
