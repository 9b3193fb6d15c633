"""Validation of the questionnaire tables of a dataset folder: one kind of problem at a time, then all at once."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from helpers.io import (
    NO_GROUPING_LABEL,
    SYNTHETIC_DIR,
    DataValidationError,
    load_dataset,
    validate_dataset,
    write_dataset,
)
from helpers.io.headers import column_letter

NOTE = "(spreadsheet numbering, header = row 1)"


def test_a_valid_folder_has_no_problem(folder):
    report = validate_dataset(folder)
    assert report.ok and report.problems == [], str(report)
    assert str(report) == f"No problems found in {folder}"
    assert set(report.files) == {"sites", "service_users", "care_coordinators"}


def test_the_synthetic_data_is_valid():
    report = validate_dataset(SYNTHETIC_DIR)
    assert report.ok, str(report)
    assert {name: path.name for name, path in report.files.items()} == {
        "sites": "sites.csv",
        "service_users": "service_users.csv",
        "care_coordinators": "care_coordinators.csv",
        "interviews": "interviews.csv",
        "framework": "framework.csv",
        "care_plans": "care_plans.csv",
    }


def test_missing_required_column(folder, edit):
    su = edit.raw(folder, "service_users").drop(columns=["rsa_05"])
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "missing column")
    assert problem.column == "rsa_05" and problem.file.name == "service_users.csv"
    assert problem.message == ("service_users.csv, column 'rsa_05': required column is missing from the header (row 1)")


def test_missing_column_hints_at_case(folder, edit):
    cc = edit.raw(folder, "care_coordinators").rename(columns={"age": "Age"})
    edit.save(cc, folder, "care_coordinators")
    problem = edit.only(validate_dataset(folder), "missing column")
    assert "care_coordinators.csv" in problem.message and "'age'" in problem.message and "'Age'" in problem.message
    assert "names are case-sensitive" in problem.message


def test_unknown_site_code(folder, edit):
    su = edit.raw(folder, "service_users")
    su.loc[4, "site"] = "S9"
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "unknown site")
    assert problem.rows == [6]
    assert (
        problem.message
        == f"service_users.csv, column 'site', row 6 {NOTE}: site code not listed in sites.csv; found 'S9'"
    )


def test_grouping_label_is_free_text(folder, edit):
    sites = edit.raw(folder, "sites")
    sites["country"] = ["Ontario", "Bavaria", ""]
    edit.save(sites, folder, "sites")
    assert validate_dataset(folder).ok
    assert load_dataset(folder).sites["country"].tolist() == ["Ontario", "Bavaria", NO_GROUPING_LABEL]


def test_grouping_label_is_optional(folder, edit):
    edit.save(edit.raw(folder, "sites").drop(columns="country"), folder, "sites")
    assert validate_dataset(folder).ok
    assert set(load_dataset(folder).sites["country"]) == {NO_GROUPING_LABEL}


def test_invited_counts_must_be_whole_numbers(folder, edit):
    sites = edit.raw(folder, "sites")
    sites["invited_service_users"] = ["40", "2.5", "-1"]
    edit.save(sites, folder, "sites")
    problem = edit.only(validate_dataset(folder), "out of range")
    assert problem.rows == [3, 4] and "'invited_service_users'" in problem.message
    sites["invited_service_users"] = ["40", "", "12"]
    edit.save(sites, folder, "sites")
    assert load_dataset(folder).sites["invited_service_users"].tolist() == [40, pd.NA, 12]


def test_care_coordinator_id_must_name_a_care_coordinator(folder, edit):
    su = edit.raw(folder, "service_users")
    staff = edit.raw(folder, "care_coordinators")["participant_id"].tolist()
    su["care_coordinator_id"] = staff[0]
    su.loc[3, "care_coordinator_id"] = "NOBODY"
    su["team"] = "North"
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "unknown care coordinator")
    assert problem.rows == [5] and "'care_coordinator_id'" in problem.message and "'NOBODY'" in problem.message
    su.loc[3, "care_coordinator_id"] = ""
    edit.save(su, folder, "service_users")
    users = load_dataset(folder).service_users
    assert users["team"].eq("North").all() and users["care_coordinator_id"].isna().sum() == 1


def test_infinite_covariate_is_rejected(folder, edit):
    su = edit.raw(folder, "service_users")
    su.loc[2, "years_in_services"] = "inf"
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "non-finite number")
    assert problem.rows == [4] and "'years_in_services'" in problem.message and "'inf'" in problem.message


def test_duplicate_participant_ids(folder, edit):
    cc = edit.raw(folder, "care_coordinators")
    cc.loc[5, "participant_id"] = cc.loc[1, "participant_id"]
    edit.save(cc, folder, "care_coordinators")
    problem = edit.only(validate_dataset(folder), "duplicate value")
    assert problem.rows == [3, 7]
    assert problem.message == (
        f"care_coordinators.csv, column 'participant_id', rows 3, 7 {NOTE}: participant id used more than once; "
        "found 'CC02'"
    )


def test_duplicate_site_codes(folder, edit):
    sites = edit.raw(folder, "sites")
    sites.loc[2, "site"] = "S1"
    edit.save(sites, folder, "sites")
    problem = edit.only(validate_dataset(folder), "duplicate value")
    assert problem.rows == [2, 4] and "sites.csv" in problem.message and "'site'" in problem.message


def test_blank_participant_id_and_site(folder, edit):
    su = edit.raw(folder, "service_users")
    su.loc[0, "participant_id"] = ""
    su.loc[6, "site"] = "  "
    edit.save(su, folder, "service_users")
    report = validate_dataset(folder)
    blanks = {p.column: p for p in report.problems if p.kind == "blank value"}
    assert set(blanks) == {"participant_id", "site"} and len(report.problems) == 2, str(report)
    assert blanks["participant_id"].rows == [2] and blanks["site"].rows == [8]
    assert (
        blanks["site"].message == f"service_users.csv, column 'site', row 8 {NOTE}: blank, but every row needs a value"
    )


def test_non_numeric_values(folder, edit):
    su = edit.raw(folder, "service_users")
    su.loc[2, "age"] = "forty"
    su.loc[6, "rsa_02"] = "agree"
    edit.save(su, folder, "service_users")
    report = validate_dataset(folder)
    problems = {p.column: p for p in report.problems}
    assert set(problems) == {"age", "rsa_02"} and {p.kind for p in report.problems} == {"non-numeric value"}
    assert problems["age"].rows == [4] and problems["rsa_02"].rows == [8]
    assert (
        problems["rsa_02"].message == f"service_users.csv, column 'rsa_02', row 8 {NOTE}: not a number; found 'agree'"
    )


@pytest.mark.parametrize("bad", ["6", "2.5", "0"])
def test_out_of_range_item(folder, edit, bad):
    su = edit.raw(folder, "service_users")
    su.loc[0, "rsa_07"] = bad
    su.loc[3, "rsa_07"] = bad
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "out of range")
    assert problem.column == "rsa_07" and problem.rows == [2, 5]
    assert problem.message == (
        f"service_users.csv, column 'rsa_07', rows 2, 5 {NOTE}: not a valid RSA response "
        f"(allowed: whole numbers 1-5 or missing code 9 = Not applicable (N/A)); found '{bad}'"
    )


def test_missing_code_only_where_declared(folder, edit):
    su = edit.raw(folder, "service_users")
    su.loc[1, "starp_03"] = "9"  # STAR-P declares no missing codes
    edit.save(su, folder, "service_users")
    problem = edit.only(validate_dataset(folder), "out of range")
    assert problem.column == "starp_03" and problem.rows == [3]


def test_covariate_ranges(folder, edit):
    cc = edit.raw(folder, "care_coordinators")
    cc.loc[0, "age"] = "12"
    cc.loc[7, "age"] = "130"
    cc.loc[3, "years_as_care_coordinator"] = "-2"
    edit.save(cc, folder, "care_coordinators")
    report = validate_dataset(folder)
    problems = {p.column: p for p in report.problems}
    assert set(problems) == {"age", "years_as_care_coordinator"}, str(report)
    assert problems["age"].rows == [2, 9] and "age outside 16-100 years" in problems["age"].message
    durations = problems["years_as_care_coordinator"]
    assert durations.rows == [5] and "negative number of years" in durations.message


@pytest.mark.parametrize("content", ["", "header"], ids=["zero-bytes", "header-only"])
def test_empty_file(folder, edit, content):
    path = folder / "care_coordinators.csv"
    if content == "header":
        header = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n", encoding="utf-8")
    else:
        path.write_bytes(b"")
    report = validate_dataset(folder)
    problem = edit.only(report, "empty file")
    assert len(report.problems) == 1 and problem.file == path
    assert "care_coordinators.csv" in problem.message
    assert ("no data rows" in problem.message) if content else ("empty" in problem.message)


def test_missing_and_ambiguous_files(folder):
    (folder / "sites.csv").unlink()
    (folder / "service_users.xlsx").write_bytes(b"")
    report = validate_dataset(folder)
    kinds = {p.kind: p for p in report.problems}
    assert set(kinds) == {"missing file", "ambiguous file"}, str(report)
    assert "sites.csv, sites.xlsx, sites.sav" in kinds["missing file"].message
    assert "service_users.csv, service_users.xlsx" in kinds["ambiguous file"].message


def test_missing_folder(tmp_path):
    report = validate_dataset(tmp_path / "nowhere")
    assert [p.kind for p in report.problems] == ["missing folder"]


def test_unreadable_file_is_reported_not_raised(folder, edit):
    (folder / "sites.csv").unlink()
    (folder / "sites.xlsx").write_bytes(b"this is not a workbook")
    problem = edit.only(validate_dataset(folder), "unreadable file")
    assert "sites.xlsx" in problem.message and "Traceback" not in problem.message


def test_semicolon_separated_csv_is_explained(folder, edit):
    text = (folder / "sites.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "sites.csv").write_text(text, encoding="utf-8")
    problem = edit.only(validate_dataset(folder), "unreadable file")
    assert "sites.csv" in problem.message and "commas" in problem.message


def test_bad_manifest(folder, edit):
    (folder / "manifest.json").write_text("{synthetic: yes", encoding="utf-8")
    problem = edit.only(validate_dataset(folder), "bad manifest")
    assert "manifest.json" in problem.message


def test_long_row_lists_are_shortened(tmp_path, make_tables, edit):
    tables = make_tables(n=30)
    tables["service_users"]["rsa_01"] = 7.0
    write_dataset(tmp_path, **tables)
    problem = edit.only(validate_dataset(tmp_path), "out of range")
    assert problem.rows == list(range(2, 32))
    assert "rows 2, 3, 4" in problem.message and f"21 and 10 more {NOTE}" in problem.message


def test_all_problems_in_two_files_are_reported_together(folder, edit):
    su = edit.raw(folder, "service_users").drop(columns=["es_12"])
    su.loc[1, "site"] = "XX"
    su.loc[6, "participant_id"] = su.loc[0, "participant_id"]
    edit.save(su, folder, "service_users")
    cc = edit.raw(folder, "care_coordinators")
    cc.loc[2, "years_in_mental_health"] = "ten"
    cc.loc[4, "rsa_20"] = "6"
    edit.save(cc, folder, "care_coordinators")

    report = validate_dataset(folder)
    found = [(p.file.name, p.column, p.kind, p.rows) for p in report.problems]
    assert found == [  # table order, then column order within a table
        ("service_users.csv", "participant_id", "duplicate value", [2, 8]),
        ("service_users.csv", "site", "unknown site", [3]),
        ("service_users.csv", "es_12", "missing column", []),
        ("care_coordinators.csv", "years_in_mental_health", "non-numeric value", [4]),
        ("care_coordinators.csv", "rsa_20", "out of range", [6]),
    ]
    text = str(report)
    assert text.splitlines()[0] == f"5 problems in 2 files of {folder}"
    assert len(text.splitlines()) == 6
    for expected in ("'es_12'", "'XX'", f"rows 2, 8 {NOTE}", "'years_in_mental_health'", f"row 6 {NOTE}"):
        assert expected in text
    assert report.to_frame().shape == (5, 5)

    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == text
    assert caught.value.report.problems == report.problems


def test_xlsx_problems_use_spreadsheet_rows(folder, edit):
    su = pd.read_csv(folder / "service_users.csv")
    su.loc[3, "rsa_01"] = 6
    su.to_excel(folder / "service_users.xlsx", index=False, engine="openpyxl")
    (folder / "service_users.csv").unlink()
    problem = edit.only(validate_dataset(folder), "out of range")
    assert problem.rows == [5] and "service_users.xlsx" in problem.message


def test_spss_out_of_range_item_is_reported(folder, edit):
    su = pd.read_csv(folder / "service_users.csv", keep_default_na=False, na_values=[""])
    su["ethnicity"] = su["ethnicity"].fillna("")
    su.loc[2, "es_05"] = 8.0
    pyreadstat.write_sav(su, str(folder / "service_users.sav"))
    (folder / "service_users.csv").unlink()
    problem = edit.only(validate_dataset(folder), "out of range")
    assert problem.rows == [4] and "service_users.sav" in problem.message and "'8'" in problem.message


def test_instruments_decide_the_item_columns(folder, instruments):
    """Without the ES definition its items are no longer required or checked."""
    (folder / "service_users.csv").write_text(
        (folder / "service_users.csv").read_text(encoding="utf-8").replace(",es_01,", ",es_one,"), encoding="utf-8"
    )
    assert [p.column for p in validate_dataset(folder, instruments).problems] == ["es_01"]
    without_es = {k: v for k, v in instruments.items() if k != "ES"}
    assert validate_dataset(folder, without_es).ok
    assert validate_dataset(folder, list(without_es.values())).ok


# --------------------------------------------------------------------------- input checks (issue 10)


def test_a_repeated_column_is_rejected_naming_both(folder, edit):
    su = edit.raw(folder, "service_users")
    su["rsa_05 "] = su["rsa_05"].map({"1": "5", "2": "4"}).fillna("3")  # a second rsa_05 with other answers
    edit.save(su, folder, "service_users")
    letters = [column_letter(k) for k, c in enumerate(su.columns) if c.strip() == "rsa_05"]
    problem = edit.only(validate_dataset(folder), "duplicate column")
    where = f"in columns {letters[0]} and {letters[1]}"
    assert problem.column == "rsa_05"
    assert problem.message.startswith(
        f"service_users.csv, column 'rsa_05': appears twice in the header (row 1), {where}"
    )
    with pytest.raises(DataValidationError):
        load_dataset(folder)


def test_a_name_overwriting_another_reports_both(folder, edit):
    su = edit.raw(folder, "service_users")
    columns = list(su.columns)
    position = columns.index("rsa_02")
    columns[position] = "rsa_01"
    edit.save(su.set_axis(columns, axis=1), folder, "service_users")
    report = validate_dataset(folder)
    assert [p.kind for p in report.problems] == ["duplicate column", "missing column"], str(report)
    duplicate, missing = report.problems
    assert duplicate.column == "rsa_01" and missing.column == "rsa_02"
    assert f"column {column_letter(position)} holds 'rsa_01'" in missing.message
    assert "where 'rsa_02' is expected" in missing.message


def test_title_row_and_second_sheet_replace_the_flood_of_missing_columns(folder, edit):
    su = edit.raw(folder, "service_users")
    (folder / "service_users.csv").unlink()
    with pd.ExcelWriter(folder / "service_users.xlsx") as book:
        pd.DataFrame({"Survey": ["COCAPP"], "Exported": ["2015"]}).to_excel(book, sheet_name="About", index=False)
        su.to_excel(book, sheet_name="Responses", index=False)
    text = (folder / "sites.csv").read_text(encoding="utf-8")
    (folder / "sites.csv").write_text("Sites of the study,,\n" + text, encoding="utf-8")
    report = validate_dataset(folder)
    assert [(p.file.name, p.kind) for p in report.problems] == [
        ("sites.csv", "misplaced header"),
        ("service_users.xlsx", "misplaced header"),
    ], str(report)
    assert "the header was found on row 2" in report.problems[0].message
    assert "on sheet 'Responses' (sheets: 'About', 'Responses')" in report.problems[1].message


def test_upper_case_extensions_load(folder):
    (folder / "service_users.csv").rename(folder / "service_users.CSV")
    su = pd.read_csv(folder / "sites.csv")
    (folder / "sites.csv").unlink()
    su.to_excel(folder / "sites.XLSX", index=False)
    data = load_dataset(folder)
    assert data.files["service_users"].name == "service_users.CSV" and data.files["sites"].name == "sites.XLSX"
    assert len(data.service_users) == 8


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "Infinity"])
def test_non_finite_numbers_are_rejected(folder, edit, text):
    su = edit.raw(folder, "service_users")
    su.loc[[1, 4], "years_in_services"] = text
    su.loc[2, "rsa_07"] = text
    edit.save(su, folder, "service_users")
    report = validate_dataset(folder)
    assert [(p.column, p.kind, p.rows) for p in report.problems] == [
        ("years_in_services", "non-finite number", [3, 6]),
        ("rsa_07", "non-finite number", [4]),
    ], str(report)
    assert report.problems[0].message.startswith("service_users.csv, column 'years_in_services', rows 3, 6")
    assert repr(text) in report.problems[0].message
