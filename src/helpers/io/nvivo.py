"""The framework matrix as NVivo exports it: cases as rows, themes as columns.

NVivo's framework-matrix export holds one row per case (interview), one column per
theme and the researcher's summary in each cell. A summary may end with the
project's code suffix ``[codes: code_a; code_b]``. These functions convert such a
matrix to the long form (``participant_id, theme, summary, codes``) and back.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import CodeBook, load_codebook
from .problems import EMPTY_FILE, FIRST_DATA_ROW, Problem
from .qual_contract import FRAMEWORK_COLUMNS, NVIVO_TABLE, join_codes, split_codes
from .readers import read_table

__all__ = ["parse_bracketed_codes", "nvivo_to_long", "read_nvivo_matrix", "long_to_nvivo"]

_BRACKET_CODES = re.compile(r"\s*\[\s*codes?\s*:\s*([^\]]*)\]\s*$", re.IGNORECASE)
_NVIVO_ROW_PREFIX = re.compile(r"^\s*\d+\s*:\s*")
_NVIVO_COLUMN_PREFIX = re.compile(r"^\s*[A-Z]{1,3}\s*:\s*")


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


def nvivo_to_long(
    matrix: pd.DataFrame,
    path: str | Path | None = None,
    codebook: CodeBook | None = None,
    case_column: str | None = None,
    keep_positions: bool = False,
):
    """Convert a framework matrix as NVivo exports it to the long form.

    Parameters
    ----------
    matrix : DataFrame
        As read by :func:`~helpers.io.readers.read_table` (index = row position in the file):
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
    codebook = codebook or load_codebook()
    path = Path(path) if path is not None else Path(f"{NVIVO_TABLE}.csv")
    case_column = case_column or str(matrix.columns[0])
    lookup = codebook.theme_lookup()
    theme_columns = [c for c in matrix.columns if c != case_column]
    problems = []
    if not theme_columns:
        problems.append(
            Problem(
                path,
                None,
                EMPTY_FILE,
                [],
                f"{path.name}: no theme columns beside the case column "
                f"{case_column!r}; an NVivo framework matrix has one "
                "column per theme",
            )
        )
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
            records.append(
                {
                    "participant_id": cases.loc[idx],
                    "theme": theme,
                    "summary": summary,
                    "codes": join_codes(codes),
                    "_row": int(idx) + FIRST_DATA_ROW,
                    "_column": str(column),
                }
            )
    long = pd.DataFrame(records, columns=[*FRAMEWORK_COLUMNS, "_row", "_column"])
    if not keep_positions:
        long = long.drop(columns=["_row", "_column"])
    return long, case_column, problems


def read_nvivo_matrix(
    path: str | Path, codebook: CodeBook | None = None, case_column: str | None = None
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
    codebook = codebook or load_codebook()
    matrix = read_table(path)
    long, _, problems = nvivo_to_long(matrix, path, codebook, case_column)
    if problems:
        raise ValueError("; ".join(p.message for p in problems))
    unknown = sorted(set(long["theme"]) - set(codebook.theme_ids))
    if unknown:
        raise ValueError(
            f"{Path(path).name}: column(s) {', '.join(map(repr, unknown))} are not themes of the "
            f"theme list ({', '.join(codebook.theme_ids)})"
        )
    return long


def long_to_nvivo(
    framework: pd.DataFrame,
    codebook: CodeBook | None = None,
    case_column: str = "Case",
    with_codes: bool = True,
    use_labels: bool = True,
) -> pd.DataFrame:
    """The long framework as an NVivo-style matrix: one row per case, one column per theme.

    Codes are appended to each summary as ``[codes: a; b]`` when ``with_codes`` (so that
    :func:`nvivo_to_long` gives the long form back). Columns follow the theme list;
    themes without any cell are left out.
    """
    codebook = codebook or load_codebook()
    cells = framework.assign(
        cell=[
            (f"{s} [codes: {c}]".strip() if (with_codes and c) else s)
            for s, c in zip(framework["summary"], framework["codes"])
        ]
    )
    wide = cells.pivot(index="participant_id", columns="theme", values="cell")
    order = [t for t in codebook.theme_ids if t in wide.columns]
    wide = wide[order].reindex(list(dict.fromkeys(framework["participant_id"])))
    if use_labels:
        wide = wide.rename(columns=codebook.theme_label)
    wide.columns.name = None
    return wide.rename_axis(case_column).reset_index()
