"""The framework matrix as NVivo exports it: conversion to the long form and back."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.io import (
    FRAMEWORK_COLUMNS,
    from_dataset,
    load_dataset,
    long_to_nvivo,
    nvivo_to_long,
    parse_bracketed_codes,
    read_nvivo_matrix,
    validate_dataset,
)
from helpers.io.qual_contract import UNKNOWN_CODE, UNKNOWN_THEME

NOTE = "(spreadsheet numbering, header = row 1)"


def test_bracketed_codes():
    assert parse_bracketed_codes("Talks it through. [Codes: risk_discussed ; rel_valued]") == (
        "Talks it through.",
        ["risk_discussed", "rel_valued"],
    )
    assert parse_bracketed_codes("A [bracket] inside. [codes: ]") == ("A [bracket] inside.", [])
    assert parse_bracketed_codes(None) == ("", [])
    assert parse_bracketed_codes(float("nan")) == ("", [])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_nvivo_round_trip(tmp_path, synthetic, book, suffix):
    """Long form -> NVivo-style matrix (xlsx or csv) -> long form gives the same cells."""
    framework = from_dataset(synthetic, book).framework
    wide = long_to_nvivo(framework, book)
    assert wide.columns[0] == "Case" and "Risk and safety" in wide.columns
    assert len(wide) == framework["participant_id"].nunique()
    path = tmp_path / f"framework_matrix{suffix}"
    if suffix == ".csv":
        wide.to_csv(path, index=False)
    else:
        wide.to_excel(path, index=False)
    back = read_nvivo_matrix(path, book)
    key = ["participant_id", "theme"]
    expected = framework[list(FRAMEWORK_COLUMNS)].sort_values(key).reset_index(drop=True)
    got = back.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_matrix_without_codes_or_labels(book):
    framework = pd.DataFrame(
        [("A-SU-001", "risk_safety", "Not asked.", "risk_not_discussed"), ("A-CC-001", "recovery", "Hope.", "")],
        columns=list(FRAMEWORK_COLUMNS),
    )
    wide = long_to_nvivo(framework, book, case_column="Name", with_codes=False, use_labels=False)
    assert list(wide.columns) == ["Name", "risk_safety", "recovery"]  # theme-list order
    assert wide.fillna("").to_dict("records") == [
        {"Name": "A-SU-001", "risk_safety": "Not asked.", "recovery": ""},
        {"Name": "A-CC-001", "risk_safety": "", "recovery": "Hope."},
    ]


def test_nvivo_prefixes_and_paths(book):
    matrix = pd.DataFrame(
        {
            "Cases": ["1 : Cases\\Participants\\A-SU-001", "2 : A-CC-001"],
            "A : Nodes\\Risk and safety": ["Not asked. [codes: risk_not_discussed]", None],
            "B : care_planning": ["", "Plans written together."],
        }
    )
    long, case_column, problems = nvivo_to_long(matrix, codebook=book)
    assert case_column == "Cases" and not problems
    assert long.to_dict("records") == [
        {"participant_id": "A-SU-001", "theme": "risk_safety", "summary": "Not asked.", "codes": "risk_not_discussed"},
        {"participant_id": "A-CC-001", "theme": "care_planning", "summary": "Plans written together.", "codes": ""},
    ]


def test_matrix_without_theme_columns(book):
    long, case_column, problems = nvivo_to_long(pd.DataFrame({"Case": ["A-SU-001"]}), codebook=book)
    assert long is None and case_column == "Case"
    assert [p.kind for p in problems] == ["empty file"] and "no theme columns" in problems[0].message


def test_reading_a_matrix_with_an_unknown_theme_fails(tmp_path, book):
    path = tmp_path / "m.csv"
    pd.DataFrame({"Case": ["A-SU-001"], "Hope": ["Yes."]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="'Hope' are not themes of the theme list"):
        read_nvivo_matrix(path, book)


def test_dataset_folder_with_an_nvivo_export(tmp_path, qual_tables, qual, book, small_qual_factory):
    wide = long_to_nvivo(qual_tables.pop("framework"), book)
    folder = qual.write(tmp_path / "d", qual_tables)
    wide.to_excel(folder / "framework_matrix.xlsx", index=False)
    assert validate_dataset(folder).ok, str(validate_dataset(folder))
    data = load_dataset(folder)
    assert data.files["framework"].name == "framework_matrix.xlsx"
    expected = small_qual_factory()["framework"].sort_values(["participant_id", "theme"]).reset_index(drop=True)
    got = data.framework.sort_values(["participant_id", "theme"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[list(FRAMEWORK_COLUMNS)], expected, check_dtype=False)


def test_nvivo_problems_point_at_the_matrix(tmp_path, qual_tables, qual, book):
    wide = long_to_nvivo(qual_tables.pop("framework"), book).rename(columns={"Recovery": "Hope"})
    wide["Hope"] = "Something. [codes: hope]"
    wide.loc[2, "Risk and safety"] = "Text. [codes: risk_centrall]"
    folder = qual.write(tmp_path / "d", qual_tables)
    wide.to_csv(folder / "framework_matrix.csv", index=False)
    problems = qual.problems(folder, "framework_matrix.csv")
    theme = next(p for p in problems if p.kind == UNKNOWN_THEME)
    assert theme.column == "Hope" and "'Hope'" in theme.message
    code = next(p for p in problems if p.kind == UNKNOWN_CODE and p.column == "Risk and safety")
    assert code.rows == [4] and "'risk_centrall'" in code.message
    assert code.message.startswith(f"framework_matrix.csv, column 'Risk and safety', row 4 {NOTE}")


def test_long_and_nvivo_framework_together_are_ambiguous(tmp_path, qual_tables, qual, book):
    folder = qual.write(tmp_path / "d", qual_tables)
    long_to_nvivo(qual_tables["framework"], book).to_csv(folder / "framework_matrix.csv", index=False)
    ambiguous = [p for p in qual.problems(folder) if p.kind == "ambiguous file"]
    assert len(ambiguous) == 1 and ambiguous[0].file.name == "framework_matrix.csv"
    assert "not both" in ambiguous[0].message
