"""The header row of a table as the file holds it, and where the expected header really is.

pandas renames a second ``rsa_05`` column to ``rsa_05.1`` and reads row 1 of the first
sheet whatever it holds; these functions read the header raw instead, so that a repeated
column, a title row above the header or a table on another sheet of a workbook can be
reported by name, column letter and row.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pyreadstat

from .problems import DUPLICATE_COLUMN, MISPLACED_HEADER, Problem

__all__ = [
    "column_letter",
    "raw_header",
    "header_labels",
    "duplicate_column_problems",
    "HeaderPlace",
    "header_places",
    "misplaced_header_problem",
    "SCANNED_ROWS",
]

#: How many rows of each sheet are searched for the expected header.
SCANNED_ROWS = 20
#: How many cells of a row a message quotes.
QUOTED_CELLS = 6


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position.

    Examples
    --------
    >>> column_letter(0), column_letter(10), column_letter(26), column_letter(701)
    ('A', 'K', 'AA', 'ZZ')
    """
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _trim(row: Sequence) -> list[str]:
    cells = [_cell(v) for v in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _csv_rows(path: Path, n: int) -> list[list[str]]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            rows.append(_trim(row))
            if len(rows) >= n:
                break
    return rows


def _sheets(path: Path, n: int) -> list[tuple[str, list[list[str]]]]:
    """The first ``n`` rows of every sheet of a workbook, in the workbook's order."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for sheet in book.worksheets:
            rows = [_trim(row) for row in sheet.iter_rows(max_row=n, values_only=True)]
            out.append((sheet.title, rows))
        return out
    finally:
        book.close()


def raw_header(path: Path) -> list[str]:
    """The names of row 1 (the first sheet of a workbook, the variables of an SPSS file), stripped."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path, 1)
    elif suffix == ".xlsx":
        rows = _sheets(path, 1)[0][1]
    else:
        return [_cell(c) for c in pyreadstat.read_sav(str(path), metadataonly=True)[1].column_names]
    return rows[0] if rows else []


def _where(path: Path, positions: Sequence[int]) -> str:
    """``"columns E and K"`` (SPSS: ``"variables 5 and 11"``)."""
    if path.suffix.lower() == ".sav":
        names = [str(p + 1) for p in positions]
        noun = "variable" if len(names) == 1 else "variables"
    else:
        names = [column_letter(p) for p in positions]
        noun = "column" if len(names) == 1 else "columns"
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{noun} {shown}"


def _duplicates(header: Sequence[str]) -> dict[str, list[int]]:
    """Positions of every name used more than once (ignoring case), keyed by its first spelling."""
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        if name:
            seen.setdefault(name.casefold(), []).append(position)
    return {header[p[0]]: p for p in seen.values() if len(p) > 1}


def header_labels(header: Sequence[str]) -> list[str]:
    """Unique column labels: a repeated name keeps its first column, later ones get their letter.

    Examples
    --------
    >>> header_labels(["id", "rsa_05", "rsa_05", ""])
    ['id', 'rsa_05', 'rsa_05 (column C)', 'Unnamed: 3']
    """
    labels, used = [], set()
    for position, name in enumerate(header):
        label = name or f"Unnamed: {position}"
        if label in used:
            label = f"{label} (column {column_letter(position)})"
        used.add(label)
        labels.append(label)
    return labels


def duplicate_column_problems(path: Path, header: Sequence[str]) -> list[Problem]:
    """One problem per name that the header (row 1) holds more than once.

    Examples
    --------
    >>> print(duplicate_column_problems(Path("su.csv"), ["id", "rsa_05", "x", "RSA_05"])[0].message)
    su.csv, column 'rsa_05': appears twice in the header (row 1), in columns B and D (as 'rsa_05' and 'RSA_05'); \
only one column may carry a name: rename or delete the other
    """
    problems = []
    for name, positions in _duplicates(header).items():
        times = "twice" if len(positions) == 2 else f"{len(positions)} times"
        spellings = [header[p] for p in positions]
        spelled = f" (as {' and '.join(repr(s) for s in spellings)})" if len(set(spellings)) > 1 else ""
        message = (
            f"{path.name}, column {name!r}: appears {times} in the header (row 1), in {_where(path, positions)}"
            f"{spelled}; only one column may carry a name: rename or delete the other"
        )
        problems.append(Problem(path, name, DUPLICATE_COLUMN, [], message))
    return problems


@dataclass(frozen=True)
class HeaderPlace:
    """A row of a sheet and how many expected column names it holds.

    ``sheet`` is the sheet's name (``None`` for a CSV file), ``index`` its position
    (0 = the first sheet) and ``row`` the spreadsheet row (1 = first).
    """

    sheet: str | None
    index: int
    row: int
    found: int
    cells: tuple[str, ...]


def header_places(path: Path, expected: Sequence[str]) -> list[HeaderPlace]:
    """Every row among the first :data:`SCANNED_ROWS` of every sheet, with its count of expected names."""
    wanted = set(expected)
    csv_file = path.suffix.lower() == ".csv"
    sheets = [(None, _csv_rows(path, SCANNED_ROWS))] if csv_file else _sheets(path, SCANNED_ROWS)
    return [
        HeaderPlace(name, k, r + 1, len(wanted.intersection(cells)), tuple(cells))
        for k, (name, rows) in enumerate(sheets)
        for r, cells in enumerate(rows)
    ]


def _quote(cells: Sequence[str]) -> str:
    filled = [c for c in cells if c]
    if not filled:
        return "nothing (it is blank)"
    more = f" and {len(filled) - QUOTED_CELLS} more" if len(filled) > QUOTED_CELLS else ""
    return ", ".join(repr(c) for c in filled[:QUOTED_CELLS]) + more


def misplaced_header_problem(path: Path, expected: Sequence[str]) -> Problem | None:
    """A problem when the expected header is not row 1 of the (first) sheet read.

    Returns a problem when another row or sheet holds more of the ``expected`` names than
    row 1 does (a title row above the header, the table on a later sheet), or when no row
    holds any of them; ``None`` when row 1 is the best header to be found (missing columns
    are then reported one by one).
    """
    if path.suffix.lower() not in (".csv", ".xlsx") or not expected:
        return None
    places = header_places(path, expected)
    first = next((p for p in places if p.index == 0 and p.row == 1), HeaderPlace(None, 0, 1, 0, ()))
    best = max(places, key=lambda p: (p.found, -p.index, -p.row), default=first)
    sheets = list(dict.fromkeys(p.sheet for p in places if p.sheet is not None))
    listed = ", ".join(repr(s) for s in sheets)
    in_sheet = f" of sheet {sheets[0]!r}" if sheets else ""
    row1 = f"row 1{in_sheet} reads {_quote(first.cells)}"
    if best.found <= first.found or best.found < min(2, len(expected)):
        if first.found or len(expected) < 2:
            return None
        names = ", ".join(repr(c) for c in expected[:QUOTED_CELLS])
        text = f"none of the {len(expected)} required columns ({names}, ...) is in the header: {row1}"
        if len(sheets) > 1:
            text += f"; no other sheet ({listed}) holds them in its first {SCANNED_ROWS} rows either"
        return Problem(path, None, MISPLACED_HEADER, [1], f"{path.name}: {text}")
    if best.index == 0:
        above = "row 1 above the header looks" if best.row == 2 else f"rows 1-{best.row - 1} above the header look"
        text = (
            f"the header was found on row {best.row}{in_sheet}, not on row 1 ({row1}); "
            f"{above} like a title: delete {'it' if best.row == 2 else 'them'} "
            "so that the column names are on row 1"
        )
        rows = list(range(1, best.row + 1))
    else:
        on_row = "" if best.row == 1 else f" on row {best.row}"
        text = (
            f"only the first sheet of a workbook is read, and {row1}; the expected columns are on sheet "
            f"{best.sheet!r}{on_row} (sheets: {listed}): move that sheet to the front (with the header on "
            "row 1) or save it as its own file"
        )
        rows = [best.row]
    return Problem(path, None, MISPLACED_HEADER, rows, f"{path.name}: {text}")
