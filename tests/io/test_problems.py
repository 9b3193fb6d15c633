"""The report of problems: row lists, quoted values, summary and table form."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import DATA_PROBLEM_KINDS, QUAL_PROBLEM_KINDS, DataValidationError, Problem, ValidationReport
from helpers.io.problems import as_text, format_rows, missing_column_text, quote_values

NOTE = "(spreadsheet numbering, header = row 1)"


def test_format_rows():
    assert format_rows([7]) == f"row 7 {NOTE}"
    assert format_rows([2, 5]) == f"rows 2, 5 {NOTE}"
    listed = format_rows(list(range(2, 32)))
    assert listed == "rows " + ", ".join(str(r) for r in range(2, 22)) + f" and 10 more {NOTE}"


def test_quote_values_are_distinct_and_shortened():
    assert quote_values(pd.Series([6.0, 6.0, 2.5, np.nan])) == "; found '6', '2.5'"
    assert quote_values(pd.Series(["a", "b", "c", "d", "e", "f", "g"])) == (
        "; found 'a', 'b', 'c', 'd', 'e' and 2 more"
    )
    assert quote_values(pd.Series([np.nan])) == ""


def test_as_text_drops_the_decimal_of_whole_numbers():
    assert as_text(pd.Series([1.0, 2.5, np.nan, 10.0])).tolist() == ["1", "2.5", pd.NA, "10"]
    assert as_text(pd.Series([True, False])).tolist() == ["True", "False"]


def test_missing_column_text():
    assert missing_column_text("age", ["id"]) == "required column is missing from the header (row 1)"
    assert "found 'AGE' instead" in missing_column_text("age", ["AGE"])


def test_report_summary_and_frame():
    folder = Path("/data")
    report = ValidationReport(folder)
    assert report.ok and report.summary() == "No problems found in /data"
    report.problems += [
        Problem(folder / "a.csv", "x", "out of range", [2], "a.csv, column 'x': bad"),
        Problem(folder / "a.csv", None, "empty file", [], "a.csv: empty"),
        Problem(folder / "b.csv", "y", "blank value", [3, 4], "b.csv, column 'y': blank"),
    ]
    assert not report.ok
    assert str(report).splitlines() == [
        "3 problems in 2 files of /data",
        "  - a.csv, column 'x': bad",
        "  - a.csv: empty",
        "  - b.csv, column 'y': blank",
    ]
    frame = report.to_frame()
    assert frame["file"].tolist() == ["a.csv", "a.csv", "b.csv"] and frame["rows"].tolist() == [[2], [], [3, 4]]
    error = DataValidationError(report)
    assert isinstance(error, ValueError) and error.report is report and str(error) == str(report)


def test_one_problem_in_one_file_is_singular():
    report = ValidationReport(Path("/d"), [Problem(Path("/d/a.csv"), None, "empty file", [], "m")])
    assert report.summary() == "1 problem in 1 file of /d"


def test_the_two_lists_of_kinds_are_distinct():
    assert len(DATA_PROBLEM_KINDS) == 16 and len(QUAL_PROBLEM_KINDS) == 10
    assert not set(DATA_PROBLEM_KINDS) & set(QUAL_PROBLEM_KINDS)
