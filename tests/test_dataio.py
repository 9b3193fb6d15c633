"""Reading, validating and writing dataset folders (helpers.dataio)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.contract import GROUPS
from helpers.dataio import (
    DataValidationError,
    Dataset,
    ValidationReport,
    load_dataset,
    read_table,
    validate_dataset,
    write_dataset,
)
from helpers.instruments import load_instruments

INSTRUMENTS = load_instruments()
NOTE = "(spreadsheet numbering, header = row 1)"
CATEGORIES = {
    "gender": ["Female", "Male"],
    "ethnicity": ["White", "Black", "Asian", "Mixed"],
    "relationship_status": ["Single", "Married", "Divorced"],
}


def _group_frame(name: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """A valid table for one group: covariates, then every item column of its instruments."""
    contract = GROUPS[name]
    prefix = "SU" if name == "service_users" else "CC"
    columns: dict[str, object] = {
        "participant_id": [f"{prefix}{k:02d}" for k in range(1, n + 1)],
        "site": np.resize(["S1", "S2", "S3"], n),
    }
    for column in contract.covariates:
        if column == "age":
            columns[column] = rng.integers(18, 80, n).astype(float)
        elif column in contract.numeric_covariates:
            columns[column] = rng.uniform(0, 15, n).round(1)
        else:
            columns[column] = rng.choice(CATEGORIES[column], n)
    for inst in INSTRUMENTS.values():
        if name in inst.groups:
            for item in inst.items:
                columns[item] = rng.integers(inst.min, inst.max + 1, n).astype(float)
    return pd.DataFrame(columns)


def make_tables(n: int = 8, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Three small valid tables with a few blanks and RSA N/A codes (9)."""
    rng = np.random.default_rng(seed)
    sites = pd.DataFrame(
        {"site": ["S1", "S2", "S3"], "country": ["England", "England", "Wales"], "setting": ["urban", "rural", "urban"]}
    )
    su = _group_frame("service_users", n, rng)
    cc = _group_frame("care_coordinators", n, rng)
    su.loc[1, "rsa_03"] = np.nan
    su.loc[2, "rsa_04"] = 9
    su.loc[4, "es_02"] = np.nan
    su.loc[3, "ethnicity"] = None
    su.loc[5, "years_in_services"] = np.nan
    cc.loc[0, "rsa_10"] = 9
    cc.loc[6, "rsa_11"] = np.nan
    return {"sites": sites, "service_users": su, "care_coordinators": cc}


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return make_tables()


@pytest.fixture
def folder(tmp_path: Path, tables) -> Path:
    out = tmp_path / "dataset"
    write_dataset(out, **tables, manifest={"synthetic": True})
    return out


def _raw(folder: Path, table: str) -> pd.DataFrame:
    """A written CSV table as text, exactly as a user would edit it."""
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def _save(frame: pd.DataFrame, folder: Path, table: str) -> None:
    frame.to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")


def _only(report: ValidationReport, kind: str):
    found = [p for p in report.problems if p.kind == kind]
    assert len(found) == 1, str(report)
    return found[0]


# --------------------------------------------------------------------------- valid data


def test_valid_dataset_validates_and_loads(folder):
    report = validate_dataset(folder)
    assert report.ok, str(report)
    assert str(report).startswith("No problems found")

    data = load_dataset(folder)
    assert isinstance(data, Dataset)
    assert data.synthetic is True
    assert set(data.files) == {"sites", "service_users", "care_coordinators"}
    su = data.group("service_users")
    assert su is data.service_users
    assert len(su) == 8 and len(data.care_coordinators) == 8 and len(data.sites) == 3
    assert su["participant_id"].tolist()[:2] == ["SU01", "SU02"]
    assert su["participant_id"].map(type).eq(str).all()
    assert su["site"].map(type).eq(str).all()
    assert su["age"].dtype == float and su["rsa_01"].dtype == float and su["starp_01"].dtype == float
    assert su["gender"].dtype == "string"
    assert pd.isna(su.loc[3, "ethnicity"])
    # N/A code 9 on RSA becomes missing; blank cells stay missing
    assert np.isnan(su.loc[2, "rsa_04"]) and np.isnan(data.care_coordinators.loc[0, "rsa_10"])
    assert np.isnan(su.loc[1, "rsa_03"]) and np.isnan(su.loc[5, "years_in_services"])
    assert su[[f"rsa_{k:02d}" for k in range(1, 37)]].max().max() <= 5
    with pytest.raises(KeyError, match="unknown group"):
        data.group("carers")


def test_without_manifest_data_is_not_synthetic(tmp_path, tables):
    write_dataset(tmp_path, **tables)
    assert not (tmp_path / "manifest.json").exists()
    assert load_dataset(tmp_path).synthetic is False


def test_write_dataset_writes_whole_numbers_without_decimals(folder):
    text = (folder / "service_users.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert "\r" not in text
    values = dict(zip(header.split(","), first.split(","), strict=True))
    assert values["rsa_01"].isdigit() and values["age"].isdigit()
    assert json.loads((folder / "manifest.json").read_text()) == {"synthetic": True}


def test_write_dataset_refuses_to_make_a_folder_ambiguous(folder, tables):
    (folder / "sites.xlsx").write_bytes(b"")
    before = (folder / "sites.csv").read_bytes()
    with pytest.raises(FileExistsError, match="sites.xlsx"):
        write_dataset(folder, **tables)
    assert (folder / "sites.csv").read_bytes() == before


# --------------------------------------------------------------------------- one kind of problem each


def test_missing_required_column(folder):
    su = _raw(folder, "service_users").drop(columns=["rsa_05"])
    _save(su, folder, "service_users")
    problem = _only(validate_dataset(folder), "missing column")
    assert problem.column == "rsa_05" and problem.file.name == "service_users.csv"
    assert "service_users.csv" in problem.message and "'rsa_05'" in problem.message
    assert "header (row 1)" in problem.message


def test_missing_column_hints_at_case(folder):
    cc = _raw(folder, "care_coordinators").rename(columns={"age": "Age"})
    _save(cc, folder, "care_coordinators")
    problem = _only(validate_dataset(folder), "missing column")
    assert "care_coordinators.csv" in problem.message and "'age'" in problem.message and "'Age'" in problem.message


def test_unknown_site_code(folder):
    su = _raw(folder, "service_users")
    su.loc[4, "site"] = "S9"
    _save(su, folder, "service_users")
    problem = _only(validate_dataset(folder), "unknown site")
    assert problem.rows == [6]
    assert "service_users.csv" in problem.message and "'site'" in problem.message
    assert f"row 6 {NOTE}" in problem.message and "'S9'" in problem.message and "sites.csv" in problem.message


def test_country_must_be_known(folder):
    sites = _raw(folder, "sites")
    sites.loc[2, "country"] = "Scotland"
    _save(sites, folder, "sites")
    problem = _only(validate_dataset(folder), "unknown country")
    assert problem.rows == [4] and "sites.csv" in problem.message and "'country'" in problem.message
    assert "England, Wales" in problem.message


def test_duplicate_participant_ids(folder):
    cc = _raw(folder, "care_coordinators")
    cc.loc[5, "participant_id"] = cc.loc[1, "participant_id"]
    _save(cc, folder, "care_coordinators")
    problem = _only(validate_dataset(folder), "duplicate value")
    assert problem.rows == [3, 7]
    assert "care_coordinators.csv" in problem.message and "'participant_id'" in problem.message
    assert f"rows 3, 7 {NOTE}" in problem.message and "'CC02'" in problem.message


def test_duplicate_site_codes(folder):
    sites = _raw(folder, "sites")
    sites.loc[2, "site"] = "S1"
    _save(sites, folder, "sites")
    problem = _only(validate_dataset(folder), "duplicate value")
    assert problem.rows == [2, 4] and "sites.csv" in problem.message and "'site'" in problem.message


def test_blank_participant_id_and_site(folder):
    su = _raw(folder, "service_users")
    su.loc[0, "participant_id"] = ""
    su.loc[6, "site"] = "  "
    _save(su, folder, "service_users")
    report = validate_dataset(folder)
    blanks = {p.column: p for p in report.problems if p.kind == "blank value"}
    assert set(blanks) == {"participant_id", "site"} and len(report.problems) == 2, str(report)
    assert blanks["participant_id"].rows == [2] and blanks["site"].rows == [8]
    assert "service_users.csv" in blanks["site"].message and f"row 8 {NOTE}" in blanks["site"].message


def test_non_numeric_values(folder):
    su = _raw(folder, "service_users")
    su.loc[2, "age"] = "forty"
    su.loc[6, "rsa_02"] = "agree"
    _save(su, folder, "service_users")
    report = validate_dataset(folder)
    problems = {p.column: p for p in report.problems}
    assert set(problems) == {"age", "rsa_02"} and {p.kind for p in report.problems} == {"non-numeric value"}
    assert problems["age"].rows == [4] and problems["rsa_02"].rows == [8]
    message = problems["rsa_02"].message
    assert "service_users.csv" in message and "'rsa_02'" in message and f"row 8 {NOTE}" in message
    assert "'agree'" in message


@pytest.mark.parametrize("bad", ["6", "2.5", "0"])
def test_out_of_range_item(folder, bad):
    su = _raw(folder, "service_users")
    su.loc[0, "rsa_07"] = bad
    su.loc[3, "rsa_07"] = bad
    _save(su, folder, "service_users")
    problem = _only(validate_dataset(folder), "out of range")
    assert problem.column == "rsa_07" and problem.rows == [2, 5]
    assert "service_users.csv" in problem.message and "'rsa_07'" in problem.message
    assert f"rows 2, 5 {NOTE}" in problem.message and f"'{bad}'" in problem.message
    assert "1-5" in problem.message and "9" in problem.message


def test_missing_code_only_where_declared(folder):
    su = _raw(folder, "service_users")
    su.loc[1, "starp_03"] = "9"  # STAR-P declares no missing codes
    _save(su, folder, "service_users")
    problem = _only(validate_dataset(folder), "out of range")
    assert problem.column == "starp_03" and problem.rows == [3]


def test_covariate_ranges(folder):
    cc = _raw(folder, "care_coordinators")
    cc.loc[0, "age"] = "12"
    cc.loc[7, "age"] = "130"
    cc.loc[3, "years_as_care_coordinator"] = "-2"
    _save(cc, folder, "care_coordinators")
    report = validate_dataset(folder)
    problems = {p.column: p for p in report.problems}
    assert set(problems) == {"age", "years_as_care_coordinator"}, str(report)
    assert problems["age"].rows == [2, 9] and "16-100" in problems["age"].message
    durations = problems["years_as_care_coordinator"]
    assert durations.rows == [5] and "negative" in durations.message


@pytest.mark.parametrize("content", ["", "header"], ids=["zero-bytes", "header-only"])
def test_empty_file(folder, content):
    path = folder / "care_coordinators.csv"
    if content == "header":
        header = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n", encoding="utf-8")
    else:
        path.write_bytes(b"")
    report = validate_dataset(folder)
    problem = _only(report, "empty file")
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


def test_unreadable_file_is_reported_not_raised(folder):
    (folder / "sites.csv").unlink()
    (folder / "sites.xlsx").write_bytes(b"this is not a workbook")
    problem = _only(validate_dataset(folder), "unreadable file")
    assert "sites.xlsx" in problem.message and "Traceback" not in problem.message


def test_semicolon_separated_csv_is_explained(folder):
    text = (folder / "sites.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "sites.csv").write_text(text, encoding="utf-8")
    problem = _only(validate_dataset(folder), "unreadable file")
    assert "sites.csv" in problem.message and "commas" in problem.message


def test_bad_manifest(folder):
    (folder / "manifest.json").write_text("{synthetic: yes", encoding="utf-8")
    problem = _only(validate_dataset(folder), "bad manifest")
    assert "manifest.json" in problem.message


def test_long_row_lists_are_shortened(tmp_path):
    tables = make_tables(n=30)
    tables["service_users"]["rsa_01"] = 7.0
    write_dataset(tmp_path, **tables)
    problem = _only(validate_dataset(tmp_path), "out of range")
    assert problem.rows == list(range(2, 32))
    assert "rows 2, 3, 4" in problem.message and f"21 and 10 more {NOTE}" in problem.message


# --------------------------------------------------------------------------- everything at once


def test_all_problems_in_two_files_are_reported_together(folder):
    su = _raw(folder, "service_users").drop(columns=["es_12"])
    su.loc[1, "site"] = "XX"
    su.loc[6, "participant_id"] = su.loc[0, "participant_id"]
    _save(su, folder, "service_users")
    cc = _raw(folder, "care_coordinators")
    cc.loc[2, "years_in_mental_health"] = "ten"
    cc.loc[4, "rsa_20"] = "6"
    _save(cc, folder, "care_coordinators")

    report = validate_dataset(folder)
    found = {(p.file.name, p.column, p.kind): p.rows for p in report.problems}
    assert found == {
        ("service_users.csv", "participant_id", "duplicate value"): [2, 8],
        ("service_users.csv", "site", "unknown site"): [3],
        ("service_users.csv", "es_12", "missing column"): [],
        ("care_coordinators.csv", "years_in_mental_health", "non-numeric value"): [4],
        ("care_coordinators.csv", "rsa_20", "out of range"): [6],
    }
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


# --------------------------------------------------------------------------- formats


def test_xlsx_loads_like_csv(folder, tmp_path):
    xlsx = tmp_path / "as_xlsx"
    xlsx.mkdir()
    for table in ("sites", "service_users", "care_coordinators"):
        pd.read_csv(folder / f"{table}.csv").to_excel(xlsx / f"{table}.xlsx", index=False, engine="openpyxl")
    (xlsx / "manifest.json").write_bytes((folder / "manifest.json").read_bytes())
    from_csv, from_xlsx = load_dataset(folder), load_dataset(xlsx)
    assert from_xlsx.files["service_users"].suffix == ".xlsx"
    for table in ("sites", "service_users", "care_coordinators"):
        pd.testing.assert_frame_equal(getattr(from_xlsx, table), getattr(from_csv, table))


def test_xlsx_problems_use_spreadsheet_rows(folder, tmp_path):
    su = pd.read_csv(folder / "service_users.csv")
    su.loc[3, "rsa_01"] = 6
    su.to_excel(folder / "service_users.xlsx", index=False, engine="openpyxl")
    (folder / "service_users.csv").unlink()
    problem = _only(validate_dataset(folder), "out of range")
    assert problem.rows == [5] and "service_users.xlsx" in problem.message


def test_spss_labels_apply_to_covariates_not_items(folder):
    import pyreadstat

    su = pd.read_csv(folder / "service_users.csv", keep_default_na=False, na_values=[""])
    su["gender"] = su["gender"].map({"Female": 1.0, "Male": 2.0})
    su["ethnicity"] = su["ethnicity"].fillna("")
    labels = {
        "gender": {1: "Female", 2: "Male"},
        "rsa_01": {1: "Strongly disagree", 5: "Strongly agree"},
    }
    pyreadstat.write_sav(su, str(folder / "service_users.sav"), variable_value_labels=labels)
    (folder / "service_users.csv").unlink()

    raw = read_table(folder / "service_users.sav")
    assert set(raw["gender"].dropna()) <= {"Female", "Male"}
    data = load_dataset(folder)
    assert data.files["service_users"].name == "service_users.sav"
    loaded = data.service_users
    expected = load_dataset_from_tables(make_tables()).service_users
    assert loaded["gender"].tolist() == expected["gender"].tolist()
    assert loaded["rsa_01"].dtype == float
    pd.testing.assert_series_equal(loaded["rsa_01"], expected["rsa_01"])
    assert np.isnan(loaded.loc[2, "rsa_04"])  # code 9 still becomes missing
    assert pd.isna(loaded.loc[3, "ethnicity"])


def load_dataset_from_tables(tables: dict[str, pd.DataFrame]) -> Dataset:
    """Load freshly written copies of ``tables`` (a reference to compare other formats with)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(tmp, **tables)
        return load_dataset(tmp)


def test_spss_out_of_range_item_is_reported(folder):
    import pyreadstat

    su = pd.read_csv(folder / "service_users.csv", keep_default_na=False, na_values=[""])
    su["ethnicity"] = su["ethnicity"].fillna("")
    su.loc[2, "es_05"] = 8.0
    pyreadstat.write_sav(su, str(folder / "service_users.sav"))
    (folder / "service_users.csv").unlink()
    problem = _only(validate_dataset(folder), "out of range")
    assert problem.rows == [4] and "service_users.sav" in problem.message and "'8'" in problem.message


# --------------------------------------------------------------------------- inputs stay untouched


def test_input_files_are_not_modified(folder):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}
    load_dataset(folder)
    validate_dataset(folder)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}
    assert after == before
