"""Reading the tables of a dataset folder without coercing anything that could hide a problem.

Input files are only ever opened for reading. A file that cannot be read, or is empty,
becomes a :class:`~helpers.io.problems.Problem` rather than an exception.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from .contract import FORMATS, GROUPS, MANIFEST
from .headers import duplicate_column_problems, header_labels, misplaced_header_problem, raw_header
from .instruments import Instrument, load_instruments
from .problems import (
    AMBIGUOUS_FILE,
    BAD_MANIFEST,
    EMPTY_FILE,
    MISSING_FILE,
    UNREADABLE_FILE,
    Problem,
    as_text,
)

__all__ = [
    "read_table",
    "read_manifest",
    "numeric_columns",
    "locate",
    "read_checked",
    "HEADER_ATTR",
    "manifest_doubts",
    "proven_synthetic",
    "numbers",
    "recode_items",
]

#: Key of ``DataFrame.attrs`` holding the header as the file spells it (stripped names, in file order).
HEADER_ATTR = "header"


def numeric_columns(instruments: Iterable[Instrument]) -> set[str]:
    """Item columns of ``instruments`` and every numeric covariate (they keep SPSS codes)."""
    items = {item for inst in instruments for item in inst.items}
    return items | {c for contract in GROUPS.values() for c in contract.numeric_covariates}


def _object_column(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Strip text, turn empty strings into NaN: the ``object`` values (no ``pd.NA``) and where they are NaN.

    Each distinct text is cleaned once (a column of a million answers holds a handful).
    """
    if pd.api.types.infer_dtype(values, skipna=True) != "string":  # numbers: 1 and 1.0 would merge
        codes, distinct = np.arange(len(values)), values.to_numpy(dtype=object)
    else:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(distinct, dtype=object).astype("string").str.strip()
    cleaned = text.to_numpy(dtype=object, na_value=np.nan)
    blank = text.isna().to_numpy(dtype=bool) | text.eq("").fillna(False).to_numpy(dtype=bool)
    cleaned[blank] = np.nan
    position = np.where(codes < 0, len(cleaned), codes)
    return np.append(cleaned, np.nan)[position], np.append(blank, True)[position]


def _tidy(frame: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    """Clean header names and text cells; drop wholly blank rows but keep row positions.

    ``header`` is the raw header; when it matches the frame's width, its names replace
    pandas' (which renames a repeated ``rsa_05`` to ``rsa_05.1``), a repeated name keeping
    its first column and later ones labelled with their column letter.
    """
    names = [str(c).strip() for c in frame.columns]
    if len(header) != len(names):
        header = names
    frame = frame.set_axis(header_labels(header), axis=1)
    types = pd.api.types
    filled = np.zeros(len(frame), dtype=bool)
    for k in range(frame.shape[1]):
        values = frame.iloc[:, k]
        if types.is_object_dtype(values.dtype) or types.is_string_dtype(values.dtype):
            cleaned, blank = _object_column(values)
            frame.isetitem(k, cleaned)
            filled |= ~blank
        else:
            filled |= values.notna().to_numpy(dtype=bool)
    if not filled.all():
        frame = frame.loc[filled].copy()
    frame.attrs[HEADER_ATTR] = list(header)
    return frame


def _read_csv(path: Path, numeric: Iterable[str] | None) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _read_xlsx(path: Path, numeric: Iterable[str] | None) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")


def _apply_labels(values: pd.Series, labels: Mapping) -> pd.Series:
    """Replace SPSS codes by their value labels; unlabelled codes become text."""
    labelled = values.map(dict(labels)).astype("string")
    text = labelled.fillna(as_text(values))
    return pd.Series(text.to_numpy(dtype=object, na_value=np.nan), index=values.index, name=values.name)


def _read_sav(path: Path, numeric: Iterable[str] | None) -> pd.DataFrame:
    data, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    keep_codes = set(numeric) if numeric is not None else numeric_columns(load_instruments().values())
    for column, labels in meta.variable_value_labels.items():
        if column in data.columns and column not in keep_codes and labels:
            data[column] = _apply_labels(data[column], labels)
    return data


def numbers(values: pd.Series) -> np.ndarray:
    """:func:`pandas.to_numeric` of a validated column as floats, each distinct text converted once.

    A questionnaire column of a million answers holds a handful of distinct texts; a column of
    numbers is converted as it is.

    Examples
    --------
    >>> numbers(pd.Series(["2", "10", None, "2"])).tolist()
    [2.0, 10.0, nan, 2.0]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, distinct = values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object)
    elif pd.api.types.infer_dtype(values, skipna=True) == "string":
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    else:
        return pd.to_numeric(values).to_numpy(dtype=float)
    converted = np.append(pd.to_numeric(pd.Series(distinct, dtype=object)).to_numpy(dtype=float), np.nan)
    return converted[np.where(codes < 0, len(distinct), codes)]


def recode_items(frame: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An instrument's item answers as numbers on its labelled metric, and its not-an-answer codes apart.

    Parameters
    ----------
    frame : DataFrame
        A validated participant table holding the instrument's item columns (text or numbers).
    instrument : Instrument
        The definition of the form the participants completed
        (:meth:`~helpers.io.instruments.Instrument.for_group`).

    Returns
    -------
    items : DataFrame
        Float item columns, same index: codes declared under ``missing_codes`` (not
        applicable, don't know, ...) and blanks are NaN; answers of an instrument whose
        ``stored`` direction is ``reversed`` are recoded to ``min + max - answer``, so that
        every answer reads as ``response.labels`` describe it.
    codes : DataFrame
        Same shape: the not-an-answer code of each cell that held one, NaN elsewhere, so that
        blanks and each code can be counted apart.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> es = SimpleNamespace(items=("e1", "e2"), min=1, max=4, missing_codes={9: "Don't know"}, stored="reversed")
    >>> items, codes = recode_items(pd.DataFrame({"e1": ["1", "9"], "e2": ["4", None]}), es)
    >>> items.to_numpy().tolist(), codes["e1"].tolist()
    ([[4.0, 1.0], [nan, nan]], [nan, 9.0])
    """
    columns = list(instrument.items)
    values = pd.DataFrame({c: numbers(frame[c]) for c in columns}, index=frame.index, columns=columns)
    non_answer = values.isin(list(instrument.missing_codes))
    codes = values.where(non_answer)
    items = values.mask(non_answer)
    if instrument.stored == "reversed":
        items = instrument.min + instrument.max - items
    return items, codes


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
        number is ``index + 2``. A name repeated in the header keeps its first column;
        later ones are labelled with their column letter (``"rsa_05 (column K)"``) and
        ``frame.attrs["header"]`` holds the header as the file spells it. An empty file
        (0 bytes) gives an empty frame; a header-only file gives a frame with columns and
        no rows.

    Raises
    ------
    ValueError
        If the extension is not one of :data:`~helpers.io.contract.FORMATS`.

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
    frame = reader(path, numeric_columns)
    header = raw_header(path) if path.suffix.lower() != ".sav" else [str(c).strip() for c in frame.columns]
    return _tidy(frame, header)


def locate(folder: Path, table: str, required: bool = True) -> tuple[Path | None, list[Problem]]:
    """The one file holding ``table`` in ``folder``, or a problem saying why there is none.

    Parameters
    ----------
    folder : Path
    table : str
        The file stem, e.g. ``"sites"``.
    required : bool
        Whether a missing file is a problem (an optional table is simply absent).

    Returns
    -------
    path : Path or None
    problems : list of Problem
        A missing (when required) or ambiguous file (several formats of one table).
    """
    found = sorted(
        (p for p in folder.glob(f"{table}.*") if p.stem == table and p.suffix.lower() in FORMATS and p.is_file()),
        key=lambda p: (FORMATS.index(p.suffix.lower()), p.name),
    )
    if len(found) == 1:
        return found[0], []
    expected = ", ".join(f"{table}{ext}" for ext in FORMATS)
    if not found:
        others = sorted(p.name for p in folder.glob("*.*") if p.stem.casefold() == table and p.is_file())
        if others:
            expected += f" (found {', '.join(others)}: names are case-sensitive, the extension is not)"
        if not required:
            return None, []
        message = f"{table}: no file found; expected exactly one of {expected} in {folder}"
        return None, [Problem(folder / table, None, MISSING_FILE, [], message)]
    names = ", ".join(p.name for p in found)
    message = f"{table}: {len(found)} files found ({names}); keep exactly one of {expected}"
    return None, [Problem(found[0], None, AMBIGUOUS_FILE, [], message)]


def _misplaced(path: Path, expected: Sequence[str]) -> list[Problem]:
    """The misplaced-header problem of ``path``, if any (never raises)."""
    try:
        problem = misplaced_header_problem(path, expected)
    except Exception:  # the file is reported as unreadable instead
        return []
    return [problem] if problem is not None else []


def _single_column(path: Path, frame: pd.DataFrame) -> list[Problem]:
    if frame.shape[1] == 1 and any(sep in str(frame.columns[0]) for sep in ";\t"):
        message = (
            f"{path.name}: the header is one single column {frame.columns[0]!r}; "
            "save the file with commas as separators"
        )
        return [Problem(path, None, UNREADABLE_FILE, [], message)]
    return []


def read_checked(
    path: Path, numeric: Iterable[str], expected: Sequence[str] = ()
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table; an unreadable or empty file, or a misplaced header, becomes a problem.

    Parameters
    ----------
    path : Path
    numeric : iterable of str
        See :func:`read_table`.
    expected : sequence of str
        The columns the table needs. When row 1 (of the first sheet) lacks some of them and
        another row or sheet holds more, or when it holds none, the one problem explaining
        where the header is (a title row above it, another sheet) replaces the table.

    Returns
    -------
    frame : DataFrame or None
        None when the table cannot be checked further.
    problems : list of Problem
        Besides the above, one problem per name repeated in the header (the frame is
        still returned, so that its other problems are reported too).
    """
    try:
        frame = read_table(path, numeric)
    except UnicodeDecodeError:
        message = f"{path.name}: not UTF-8 text; save it as 'CSV UTF-8 (comma delimited)'"
        return None, [Problem(path, None, UNREADABLE_FILE, [], message)]
    except Exception as exc:  # any reader failure is reported, never raised
        misplaced = _misplaced(path, expected) if expected else []
        if misplaced:
            return None, misplaced
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        message = f"{path.name}: could not be read as a {path.suffix} file ({reason})"
        return None, [Problem(path, None, UNREADABLE_FILE, [], message)]
    if frame.shape[1] == 0:
        return None, [Problem(path, None, EMPTY_FILE, [], f"{path.name}: the file is empty (no header, no data rows)")]
    single = _single_column(path, frame)
    if single:
        return None, single
    header = frame.attrs.get(HEADER_ATTR, list(frame.columns))
    if expected and not set(expected) <= set(header):
        misplaced = _misplaced(path, expected)
        if misplaced:
            return None, misplaced
    if frame.shape[0] == 0:
        return None, [Problem(path, None, EMPTY_FILE, [], f"{path.name}: the file has a header row but no data rows")]
    return frame, duplicate_column_problems(path, header)


def read_manifest(folder: Path) -> tuple[dict, list[Problem]]:
    """The folder's ``manifest.json`` (``{}`` when absent) and any problem with it."""
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


#: Files an operating system leaves in folders; they are never read as data.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_doubts(folder: str | Path, manifest: Mapping | None = None) -> list[str]:
    """Why the files of ``folder`` are not exactly those its manifest lists (empty when they are).

    Every file the manifest's ``files`` lists (``{name: {"sha256": ...}}``) must be present
    and match its SHA-256, and every other file of the folder (besides ``manifest.json``,
    hidden files and operating-system files such as ``.DS_Store``) must be listed.

    Parameters
    ----------
    folder : str or Path
    manifest : mapping, optional
        Default: the folder's ``manifest.json`` (:func:`read_manifest`).
    """
    folder = Path(folder)
    if manifest is None:
        manifest = read_manifest(folder)[0]
    listed = manifest.get("files")
    if not isinstance(listed, Mapping) or not listed:
        return [f"{MANIFEST} lists no files with their checksums"]
    doubts = []
    for name, entry in listed.items():
        path = folder / str(name)
        expected = entry.get("sha256") if isinstance(entry, Mapping) else None
        if Path(str(name)).name != name or not isinstance(expected, str):
            doubts.append(f"{MANIFEST}: entry {name!r} is not a file name with a 'sha256' checksum")
        elif not path.is_file():
            doubts.append(f"{name}: listed in {MANIFEST} but absent")
        elif _sha256(path) != expected.lower():
            doubts.append(f"{name}: its SHA-256 does not match {MANIFEST} (the file was changed)")
    for path in sorted(folder.iterdir()):
        name = path.name
        ignored = name == MANIFEST or name.startswith(".") or name.casefold() in SYSTEM_FILES
        if path.is_file() and name not in listed and not ignored:
            doubts.append(f"{name}: not listed in {MANIFEST}")
    return doubts


def proven_synthetic(folder: str | Path) -> bool:
    """Whether ``folder`` holds exactly the synthetic dataset its manifest describes.

    ``True`` only when ``manifest.json`` says ``"synthetic": true`` and
    :func:`manifest_doubts` finds nothing: every listed file matches its SHA-256 and no
    other data file is present. Anything else is treated as the user's own data.
    """
    folder = Path(folder)
    manifest, problems = read_manifest(folder)
    if problems or manifest.get("synthetic") is not True:
        return False
    return not manifest_doubts(folder, manifest)
