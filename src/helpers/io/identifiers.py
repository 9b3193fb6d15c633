"""A scan of a dataset's files for personal identifiers, before any free text is published.

The scan looks in every cell of every table file for NHS numbers (ten digits whose
modulus-11 check digit is right), UK postcodes, UK telephone numbers, e-mail addresses,
dates written as dates (a date of birth looks like any other date) and, optionally,
names from a list the user keeps (the setting ``identifier_names``: a text file, one
name per line). It returns one row per hit with the file, the column, the spreadsheet
row and the kind of identifier, and a **masked** excerpt: the first character of what
was found, every other letter and digit replaced by ``*``. The full identifier is never
returned, so a hit list can be printed or published safely.

Run it on a folder without building anything::

    python -m helpers.io.identifiers DATASET_DIR [--names FILE]

It prints every hit and exits with status 1 when there is one, 0 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import FORMATS
from .problems import FIRST_DATA_ROW
from .readers import read_table

__all__ = [
    "HIT_COLUMNS",
    "KINDS",
    "IdentifierNamesError",
    "nhs_number_valid",
    "find_identifiers",
    "mask",
    "load_names",
    "scan_frame",
    "scan_files",
    "scan_folder",
    "hits_report",
]

#: The kinds of identifier the scan reports, in the order it looks for them.
KINDS = ("NHS number", "postcode", "phone number", "e-mail address", "date", "name")
#: Columns of the scan's result, one row per hit.
HIT_COLUMNS = ["file", "column", "row", "kind", "excerpt"]
#: Replaces every letter and digit of an identifier but its first character.
MASK = "*"

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_NHS = re.compile(r"(?<![\w-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w-])")
_POSTCODE = re.compile(r"(?<![\w])(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][A-Z]{2}(?![\w])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?![\w])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DATES = (
    re.compile(r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\w/.-])"),
    re.compile(r"(?<![\w/.-])\d{4}-\d{1,2}-\d{1,2}(?![\w/.-])"),
    re.compile(rf"(?<!\w)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}(?!\w)", re.IGNORECASE),
    re.compile(rf"(?<!\w)(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\w)", re.IGNORECASE),
)

#: Matches wherever any of the patterns above does (a superset test: most cells hold none of them).
_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in (_NHS, _POSTCODE, _PHONE, _EMAIL, *_DATES)), re.IGNORECASE)


class IdentifierNamesError(ValueError):
    """The file of names for the identifier scan cannot be read; the message says which and why."""


def nhs_number_valid(digits: str) -> bool:
    """Whether ten digits form a valid NHS number (modulus-11 check digit).

    The first nine digits are weighted 10 down to 2; 11 minus the remainder of their sum
    divided by 11 is the check digit (11 counts as 0, and 10 makes the number invalid).

    Examples
    --------
    >>> nhs_number_valid("9434765919"), nhs_number_valid("9434765918"), nhs_number_valid("123")
    (True, False, False)
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phone_valid(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    national = digits[2:].removeprefix("0") if text.startswith("+") else digits[1:]
    return len(national) in (9, 10) and national[0] in "123578"


def find_identifiers(text: str, names: Iterable[str] | re.Pattern = ()) -> list[tuple[str, str]]:
    """Every identifier in one piece of text, as ``(kind, what was found)`` pairs.

    ``what was found`` is the full identifier: mask it (:func:`mask`) before showing it.

    Examples
    --------
    >>> find_identifiers("Seen by Dr Jones at LS1 4AB, NHS 943 476 5919.", names=["Jones"])
    [('NHS number', '943 476 5919'), ('postcode', 'LS1 4AB'), ('name', 'Jones')]
    >>> find_identifiers("Born 12/03/1961; call 0113 496 0000 or a.b@example.org")
    [('phone number', '0113 496 0000'), ('e-mail address', 'a.b@example.org'), ('date', '12/03/1961')]
    >>> find_identifiers("Risk came first; 3 of 4 plans were shared in 2014.")
    []
    """
    found = []
    if _ANY.search(text):
        found += [("NHS number", m.group(0)) for m in _NHS.finditer(text) if nhs_number_valid("".join(m.groups()))]
        found += [("postcode", m.group(0)) for m in _POSTCODE.finditer(text)]
        found += [("phone number", m.group(0)) for m in _PHONE.finditer(text) if _phone_valid(m.group(0))]
        found += [("e-mail address", m.group(0)) for m in _EMAIL.finditer(text)]
        found += [("date", m.group(0)) for pattern in _DATES for m in pattern.finditer(text)]
    pattern = names if isinstance(names, re.Pattern) else _names_pattern(names)
    if pattern is not None:
        found += [("name", m.group(0)) for m in pattern.finditer(text)]
    return found


def _names_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One pattern matching any of the names as a whole word, any case (longest first)."""
    names = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.IGNORECASE)


def mask(identifier: str) -> str:
    """The identifier with every letter and digit but the first character replaced by ``*``.

    Examples
    --------
    >>> mask("943 476 5919"), mask("Jones"), mask("a.b@example.org")
    ('9** *** ****', 'J****', 'a.*@*******.***')
    """
    return identifier[:1] + "".join(MASK if c.isalnum() else c for c in identifier[1:])


def load_names(path: str | Path | None, base: str | Path | None = None) -> list[str]:
    """The names of the file ``path`` (one per line; blank lines and ``#`` comments skipped).

    Parameters
    ----------
    path : str or Path or None
        None (the setting's default) gives no names.
    base : str or Path, optional
        Folder a relative ``path`` is read from (the dataset folder in the book); default
        the working directory.

    Raises
    ------
    IdentifierNamesError
        If the file does not exist or is not UTF-8 text.
    """
    if path is None:
        return []
    file = Path(path) if base is None or Path(path).is_absolute() else Path(base) / path
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise IdentifierNamesError(f"identifier_names: no file {file} (the list of names to scan for)") from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise IdentifierNamesError(f"identifier_names: {file} is not a UTF-8 text file ({exc})") from None
    names = (line.strip() for line in lines)
    return list(dict.fromkeys(n for n in names if n and not n.startswith("#")))


def _cell_text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Kinds of value that :func:`pandas.factorize` keeps apart exactly as :func:`_cell_text` writes them.
_FACTORIZABLE = ("string", "empty", "integer", "floating", "mixed-integer-float")


def _column_hits(values: pd.Series, pattern: re.Pattern | None) -> list[tuple[int, str, str]]:
    """``(row position, kind, what was found)`` of every identifier in a column, in row order.

    Each distinct value is scanned once (a column of a million answers holds a handful).
    """
    if pd.api.types.infer_dtype(values, skipna=True) in _FACTORIZABLE:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    else:
        codes, distinct = np.arange(len(values)), values.to_numpy(dtype=object)
    hits = []
    for code, value in enumerate(distinct):
        text = _cell_text(value)
        found = find_identifiers(text, pattern or ()) if text is not None else []
        if found:
            rows = np.flatnonzero(codes == code)
            hits.extend((int(position), kind, what) for position in rows for kind, what in found)
    return sorted(hits, key=lambda hit: hit[0])  # stable: a cell's hits keep their order


def _empty_hits() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object) for c in HIT_COLUMNS})


def scan_frame(frame: pd.DataFrame, file: str, names: Iterable[str] = ()) -> pd.DataFrame:
    """The identifiers in every cell of one table read by :func:`~helpers.io.readers.read_table`.

    The spreadsheet row is the frame's index plus :data:`~helpers.io.problems.FIRST_DATA_ROW`
    (the header is row 1). Returns the columns :data:`HIT_COLUMNS`, excerpts masked.
    """
    pattern = _names_pattern(names)
    rows = []
    for column in frame.columns:
        for position, kind, found in _column_hits(frame[column], pattern):
            rows.append((file, str(column), int(frame.index[position]) + FIRST_DATA_ROW, kind, mask(found)))
    if not rows:
        return _empty_hits()
    return pd.DataFrame(rows, columns=HIT_COLUMNS).astype({"row": "int64"})


def scan_files(
    paths: Iterable[str | Path], names: Iterable[str] = (), tables: Mapping[Path, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """:func:`scan_frame` over several table files, named by file name, in file, column and row order.

    ``tables`` maps resolved paths to tables already read from them by
    :func:`~helpers.io.readers.read_table` (validation reads them first), scanned instead of
    reading those files again.
    """
    names = list(names)
    read = {Path(p).resolve(): frame for p, frame in (tables or {}).items()}
    frames = [
        scan_frame(read[p.resolve()] if p.resolve() in read else read_table(p), p.name, names)
        for p in sorted(set(map(Path, paths)))
    ]
    hits = pd.concat([_empty_hits(), *frames], ignore_index=True).astype({"row": "int64"})
    order = {k: i for i, k in enumerate(KINDS)}
    hits = hits.assign(_kind=hits["kind"].map(order)).sort_values(["file", "column", "row", "_kind"], kind="stable")
    return hits.drop(columns="_kind").reset_index(drop=True)


def scan_folder(
    folder: str | Path, names: Iterable[str] = (), tables: Mapping[Path, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """:func:`scan_files` over every table file (``.csv``, ``.xlsx``, ``.sav``, any case) of a folder
    (``tables``: as :func:`scan_files`).

    Examples
    --------
    >>> from helpers.io.paths import SYNTHETIC_DIR
    >>> len(scan_folder(SYNTHETIC_DIR))
    0
    """
    files = [p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in FORMATS]
    return scan_files(files, names, tables)


def hits_report(hits: pd.DataFrame) -> str:
    """One line per hit, ``file, column, row N: kind (excerpt)``, under a count.

    Examples
    --------
    >>> hits = pd.DataFrame([["framework.csv", "summary", 7, "name", "J****"]], columns=HIT_COLUMNS)
    >>> print(hits_report(hits))
    1 possible identifier found:
      framework.csv, column summary, row 7: name (J****)
    """
    if hits.empty:
        return "No identifier found."
    plural = "s" if len(hits) != 1 else ""
    lines = [f"  {r.file}, column {r.column}, row {r.row}: {r.kind} ({r.excerpt})" for r in hits.itertuples()]
    return "\n".join([f"{len(hits)} possible identifier{plural} found:", *lines])


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.io.identifiers DATASET_DIR [--names FILE]``: print the hits; 1 when any."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.io.identifiers", description="Scan a dataset folder for personal identifiers."
    )
    parser.add_argument("folder", type=Path, help="the dataset folder")
    parser.add_argument("--names", help="a text file of names to look for, one per line")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder} is not a folder", file=sys.stderr)
        return 2
    try:
        names = load_names(args.names)
    except IdentifierNamesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    hits = scan_folder(args.folder, names)
    print(hits_report(hits))
    return 1 if len(hits) else 0


if __name__ == "__main__":
    sys.exit(main())
