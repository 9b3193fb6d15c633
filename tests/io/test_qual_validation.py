"""Validation of the qualitative tables (interviews, framework, care plans) in a dataset folder."""

from __future__ import annotations

import pytest

from helpers.io import DataValidationError, inspect_qualitative, load_dataset, validate_dataset
from helpers.io.qual_contract import (
    LABEL_MISMATCH,
    MALFORMED_LABEL,
    MISSING_INTERVIEW,
    NOT_SERVICE_USER,
    NOT_YES_NO,
    SITE_MISMATCH,
    TRIAD_PROBLEM,
    UNKNOWN_CODE,
    UNKNOWN_ROLE,
    UNKNOWN_THEME,
)

NOTE = "(spreadsheet numbering, header = row 1)"


def test_small_dataset_is_valid(tmp_path, qual_tables, qual):
    folder = qual.write(tmp_path / "d", qual_tables)
    report = validate_dataset(folder)
    assert report.ok, str(report)
    assert {"interviews", "framework", "care_plans"} <= set(report.files)


def test_folder_without_qualitative_files(tmp_path, qual):
    inspection = inspect_qualitative(qual.write(tmp_path / "d"))
    assert inspection.problems == [] and inspection.files == {} and inspection.frames == {}
    assert not inspection.nvivo


#: One bad cell each: (table, row, column, value) -> (kind, problem column or None, rows, message fragments).
BAD_CELLS = {
    "malformed_label": (
        ("interviews", 0, "participant_id", "Artois manager"),
        (MALFORMED_LABEL, None, [2], ["'Artois manager'"]),
    ),
    "label_not_matching_role": (  # B-... at a senior practitioner's row
        ("interviews", 5, "participant_id", "B-SM-001"),
        (LABEL_MISMATCH, "participant_id", [7], ["role part does not match", "B-SM-001 (role SP)"]),
    ),
    "unknown_site_of_an_interview": (
        ("interviews", 6, "site", "Bordeaux"),
        ("unknown site", None, [8], ["site code not listed in sites.csv; found 'Bordeaux'"]),
    ),
    "unknown_theme": (
        ("framework", 1, "theme", "care plans"),
        (UNKNOWN_THEME, "theme", [3], ["'care plans'", "themes.yaml"]),
    ),
    "unknown_code": (
        ("framework", 2, "codes", "risk_discussed; risky"),
        (UNKNOWN_CODE, "codes", [4], ["'risky'"]),
    ),
    "framework_row_pointing_at_a_missing_interview": (
        ("framework", 4, "participant_id", "A-SU-009"),
        (MISSING_INTERVIEW, "participant_id", [6], ["'A-SU-009'", "interviews.csv"]),
    ),
    "duplicate_framework_cell": (  # A-SM-001 charted twice under risk
        ("framework", 1, "theme", "risk_safety"),
        ("duplicate value", "theme", [2, 3], []),
    ),
    "care_plan_pointing_at_a_missing_interview": (
        ("care_plans", 2, "participant_id", "B-SU-002"),
        (MISSING_INTERVIEW, "participant_id", [4], ["'B-SU-002'"]),
    ),
    "yes_no_field": (
        ("care_plans", 1, "crisis_plan", "partly"),
        (NOT_YES_NO, "crisis_plan", [3], ["'partly'"]),
    ),
}


@pytest.mark.parametrize(("cell", "expected"), BAD_CELLS.values(), ids=BAD_CELLS.keys())
def test_one_bad_cell(tmp_path, qual_tables, qual, cell, expected):
    table, row, column, value = cell
    kind, problem_column, rows, fragments = expected
    qual_tables[table].loc[row, column] = value
    p = qual.one(qual.write(tmp_path / "d", qual_tables), f"{table}.csv", kind)
    assert p.rows == rows and (problem_column is None or p.column == problem_column)
    assert all(fragment in p.message for fragment in fragments), p.message


# --------------------------------------------------------------------------- interviews


def test_unknown_role(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[3, "role"] = "XX"
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "interviews.csv", UNKNOWN_ROLE)
    assert p.column == "role" and p.rows == [5]
    assert p.message == (
        f"interviews.csv, column 'role', row 5 {NOTE}: role is not one of SM (senior manager), "
        "SP (senior practitioner), CC (care coordinator), SU (service user), CA (carer); found 'XX'"
    )


def test_label_not_matching_site(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[0, "participant_id"] = "B-SM-001"  # at Artois
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "interviews.csv", LABEL_MISMATCH)
    assert p.column == "participant_id" and p.rows == [2]
    assert "initial does not match the site" in p.message and "B-SM-001 (site Artois)" in p.message
    assert p.message.startswith("interviews.csv, column 'participant_id', row 2")


def test_duplicate_interview_ids(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[3, "participant_id"] = "A-SU-001"
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "interviews.csv", "duplicate value")
    assert p.column == "participant_id" and p.rows == [4, 5]
    assert p.message.startswith(f"interviews.csv, column 'participant_id', rows 4, 5 {NOTE}")


def test_blank_role_and_missing_column(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[2, "role"] = " "
    folder = qual.write(tmp_path / "d", qual_tables)
    assert qual.one(folder, "interviews.csv", "blank value").rows == [4]
    qual_tables["interviews"] = qual_tables["interviews"].drop(columns="site")
    folder = qual.write(tmp_path / "e", qual_tables)
    assert qual.one(folder, "interviews.csv", "missing column").column == "site"


def test_triad_pointing_at_a_missing_interview(tmp_path, qual_tables, qual):
    interviews = qual_tables["interviews"]
    qual_tables["interviews"] = interviews[interviews["participant_id"] != "A-SU-002"].reset_index(drop=True)
    qual_tables["framework"] = qual_tables["framework"][qual_tables["framework"]["participant_id"] != "A-SU-002"]
    qual_tables["care_plans"] = qual_tables["care_plans"][qual_tables["care_plans"]["participant_id"] != "A-SU-002"]
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "interviews.csv", MISSING_INTERVIEW)
    assert p.column == "triad_id" and p.rows == [3]  # the care coordinator's row names A-T02
    assert "'A-T02'" in p.message and "service-user interview that is not in the file" in p.message


def test_inconsistent_triads(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[0, "triad_id"] = "A-T01"  # a senior manager in a triad
    qual_tables["interviews"].loc[6, "triad_id"] = "A-T02"  # Burgundy's service user in an Artois triad
    problems = [p for p in qual.problems(qual.write(tmp_path / "d", qual_tables), "interviews.csv")]
    assert all(p.kind == TRIAD_PROBLEM for p in problems)
    assert [(p.rows, p.message.split(": ", 1)[1]) for p in problems] == [
        (
            [2],
            "senior managers and senior practitioners are not members of triads; leave the cell blank; found 'A-T01'",
        ),
        ([3, 5, 8], "triad holds more than one service user; found 'A-T02'"),
        ([3, 5, 8], "triad members are at different sites; found 'A-T02'"),
    ]


def test_every_problem_is_reported_at_once(tmp_path, qual_tables, qual):
    qual_tables["interviews"].loc[0, "role"] = "XX"
    qual_tables["framework"].loc[0, "theme"] = "risk"
    qual_tables["care_plans"].loc[0, "su_involved"] = "maybe"
    report = validate_dataset(qual.write(tmp_path / "d", qual_tables))
    assert [p.file.name for p in report.problems] == ["interviews.csv", "framework.csv", "care_plans.csv"]
    with pytest.raises(DataValidationError) as err:
        load_dataset(qual.write(tmp_path / "d", qual_tables))
    assert "3 problems in 3 files" in str(err.value)


# --------------------------------------------------------------------------- framework


def test_theme_label_is_accepted(tmp_path, qual_tables, qual):
    qual_tables["framework"].loc[1, "theme"] = "Care planning and coordination"
    folder = qual.write(tmp_path / "d", qual_tables)
    assert validate_dataset(folder).ok


def test_framework_without_interviews(tmp_path, qual_tables, qual):
    del qual_tables["interviews"]
    problems = qual.problems(qual.write(tmp_path / "d", qual_tables))
    missing = [p for p in problems if p.kind == "missing file"]
    assert len(missing) == 1 and "framework.csv needs it" in missing[0].message


# --------------------------------------------------------------------------- care plans


def test_care_plan_of_someone_not_a_service_user(tmp_path, qual_tables, qual):
    qual_tables["care_plans"].loc[2, "participant_id"] = "B-SP-001"
    qual_tables["care_plans"].loc[2, "triad_id"] = ""
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "care_plans.csv", NOT_SERVICE_USER)
    assert p.rows == [4] and "B-SP-001 (role SP)" in p.message


def test_duplicate_care_plan(tmp_path, qual_tables, qual):
    qual_tables["care_plans"].loc[1, ["participant_id", "triad_id"]] = ["A-SU-001", "A-T01"]
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "care_plans.csv", "duplicate value")
    assert p.column == "participant_id" and p.rows == [2, 3]


def test_care_plan_triad_and_site_must_match_the_interview(tmp_path, qual_tables, qual):
    qual_tables["care_plans"].loc[0, "triad_id"] = "A-T09"
    qual_tables["care_plans"].loc[1, "triad_id"] = "A-T01"
    qual_tables["care_plans"].loc[2, "site"] = "Artois"
    folder = qual.write(tmp_path / "d", qual_tables)
    missing = qual.one(folder, "care_plans.csv", MISSING_INTERVIEW)
    assert missing.column == "triad_id" and missing.rows == [2] and "'A-T09'" in missing.message
    wrong = qual.one(folder, "care_plans.csv", TRIAD_PROBLEM)
    assert wrong.rows == [3]
    site = qual.one(folder, "care_plans.csv", SITE_MISMATCH)
    assert site.column == "site" and site.rows == [4] and "Artois (interview: Burgundy)" in site.message


def test_missing_template_column(tmp_path, qual_tables, qual):
    qual_tables["care_plans"] = qual_tables["care_plans"].drop(columns="first_person")
    p = qual.one(qual.write(tmp_path / "d", qual_tables), "care_plans.csv", "missing column")
    assert p.column == "first_person"
