"""Reading tables (CSV, Excel, SPSS) without coercion, and the folder's manifest."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from helpers.io import SYNTHETIC_DIR, Dataset, load_dataset, read_manifest, read_table, write_dataset
from helpers.io.readers import locate, manifest_doubts, numbers, proven_synthetic, read_checked


def test_read_table_keeps_text_and_row_positions(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\ufeff id , score\n 007 ,3\n,\n008, \n", encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["id", "score"]  # BOM and spaces gone from the header
    assert table.index.tolist() == [0, 2]  # the blank row is dropped, positions kept
    assert table["id"].tolist() == ["007", "008"]  # leading zeros kept: nothing is coerced
    assert table.loc[0, "score"] == "3" and pd.isna(table.loc[2, "score"])


def test_read_table_refuses_other_formats(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported file type '.json'"):
        read_table(path)


def test_empty_and_header_only_files(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"")
    (tmp_path / "b.csv").write_text("x,y\n", encoding="utf-8")
    assert read_table(tmp_path / "a.csv").shape == (0, 0)
    assert read_table(tmp_path / "b.csv").shape == (0, 2)
    assert read_checked(tmp_path / "a.csv", set())[1][0].kind == "empty file"
    assert "header row but no data rows" in read_checked(tmp_path / "b.csv", set())[1][0].message


def test_non_utf8_csv_is_a_problem(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes("site,country\nBr\xfbl,England\n".encode("latin-1"))
    frame, problems = read_checked(path, set())
    assert frame is None and problems[0].kind == "unreadable file" and "UTF-8" in problems[0].message


def test_locate(tmp_path):
    assert locate(tmp_path, "sites")[1][0].kind == "missing file"
    assert locate(tmp_path, "sites", required=False) == (None, [])
    (tmp_path / "sites.csv").write_text("x\n1\n", encoding="utf-8")
    assert locate(tmp_path, "sites") == (tmp_path / "sites.csv", [])
    (tmp_path / "sites.sav").write_bytes(b"")
    path, problems = locate(tmp_path, "sites", required=False)
    assert path is None and problems[0].kind == "ambiguous file"


@pytest.mark.parametrize(
    "text, kind",
    [(None, None), ('{"synthetic": true}', None), ("[1]", "bad manifest"), ('{"synthetic": "yes"}', "bad manifest")],
)
def test_read_manifest(tmp_path, text, kind):
    if text is not None:
        (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    manifest, problems = read_manifest(tmp_path)
    assert [p.kind for p in problems] == ([kind] if kind else [])
    assert manifest == ({"synthetic": True} if text == '{"synthetic": true}' else {})


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


def _load_written(tables: dict[str, pd.DataFrame]) -> Dataset:
    """Load freshly written copies of ``tables`` (a reference to compare other formats with)."""
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(tmp, **tables)
        return load_dataset(tmp)


def test_spss_labels_apply_to_covariates_not_items(folder, make_tables):
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
    assert raw["rsa_01"].dtype == float  # item codes stay numbers despite their labels
    data = load_dataset(folder)
    assert data.files["service_users"].name == "service_users.sav"
    loaded = data.service_users
    expected = _load_written(make_tables()).service_users
    assert loaded["gender"].tolist() == expected["gender"].tolist()
    assert loaded["rsa_01"].dtype == float
    pd.testing.assert_series_equal(loaded["rsa_01"], expected["rsa_01"])
    assert np.isnan(loaded.loc[2, "rsa_04"])  # code 9 still becomes missing
    assert pd.isna(loaded.loc[3, "ethnicity"])


def test_spss_numeric_columns_can_be_named(tmp_path):
    frame = pd.DataFrame({"code": [1.0, 2.0], "other": [1.0, 2.0]})
    path = Path(tmp_path) / "t.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"code": {1: "one"}, "other": {1: "one"}})
    table = read_table(path, numeric_columns=["code"])
    assert table["code"].tolist() == [1.0, 2.0] and table["other"].tolist() == ["one", "2"]


# --------------------------------------------------------------------------- raw headers (issue 10)


def test_repeated_header_names_are_kept_apart_and_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,rsa_05,x,rsa_05 \n1,2,3,4\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["id", "rsa_05", "x", "rsa_05 (column D)"]  # not pandas' 'rsa_05.1'
    assert table.attrs["header"] == ["id", "rsa_05", "x", "rsa_05"]
    assert table.loc[0, "rsa_05"] == "2" and table.loc[0, "rsa_05 (column D)"] == "4"
    frame, problems = read_checked(path, set())
    assert frame is not None and [p.kind for p in problems] == ["duplicate column"]
    assert problems[0].message.startswith(
        "t.csv, column 'rsa_05': appears twice in the header (row 1), in columns B and D"
    )


def test_repeated_names_in_a_workbook_and_an_spss_file(tmp_path):
    xlsx = tmp_path / "t.xlsx"
    pd.DataFrame([[1, 2, 3]], columns=["a", "b", "c"]).set_axis(["a", "b", "a"], axis=1).to_excel(xlsx, index=False)
    problems = read_checked(xlsx, set())[1]
    assert [p.message.split(";")[0] for p in problems] == [
        "t.xlsx, column 'a': appears twice in the header (row 1), in columns A and C"
    ]
    sav = tmp_path / "t.sav"  # SPSS names ignore case, so a second name can only differ in case
    pyreadstat.write_sav(pd.DataFrame({"rsa_05": [1.0], "x": [2.0], "RSA_05": [3.0]}), str(sav))
    (problem,) = read_checked(sav, set())[1]
    assert "variables 1 and 3 (as 'rsa_05' and 'RSA_05')" in problem.message


def test_upper_case_extensions_are_found(tmp_path):
    (tmp_path / "service_users.CSV").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "sites.Xlsx").write_bytes(b"")
    assert locate(tmp_path, "service_users") == (tmp_path / "service_users.CSV", [])
    assert locate(tmp_path, "sites") == (tmp_path / "sites.Xlsx", [])
    (tmp_path / "Care_Coordinators.csv").write_text("x\n1\n", encoding="utf-8")
    (problem,) = locate(tmp_path, "care_coordinators")[1]
    assert "found Care_Coordinators.csv: names are case-sensitive" in problem.message


def test_title_row_above_the_header_is_explained(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("COCAPP sites,,\nexported 2015,,\nsite,country,setting\nS1,England,urban\n", encoding="utf-8")
    frame, (problem,) = read_checked(path, set(), ["site", "country"])
    assert frame is None and problem.kind == "misplaced header" and problem.rows == [1, 2, 3]
    assert problem.message.startswith("sites.csv: the header was found on row 3, not on row 1")
    assert "'COCAPP sites'" in problem.message and "delete them" in problem.message


def test_workbook_sheets_are_named_when_the_first_lacks_the_columns(tmp_path):
    path = tmp_path / "sites.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"about": ["read me"]}).to_excel(book, sheet_name="Cover", index=False)
        pd.DataFrame({"site": ["S1"], "country": ["England"]}).to_excel(book, sheet_name="Data", index=False)
    frame, (problem,) = read_checked(path, set(), ["site", "country"])
    assert frame is None and problem.kind == "misplaced header"
    assert "row 1 of sheet 'Cover' reads 'about'" in problem.message
    assert "on sheet 'Data' (sheets: 'Cover', 'Data')" in problem.message
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"about": ["read me"]}).to_excel(book, sheet_name="Cover", index=False)
        pd.DataFrame({"where": ["S1"], "nation": ["England"]}).to_excel(book, sheet_name="Other", index=False)
    (problem,) = read_checked(path, set(), ["site", "country"])[1]
    assert "none of the 2 required columns" in problem.message and "'Cover', 'Other'" in problem.message


def test_a_good_header_is_not_second_guessed(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site,setting\nS1,urban\n", encoding="utf-8")  # 'country' missing: reported column by column
    frame, problems = read_checked(path, set(), ["site", "country"])
    assert frame is not None and problems == []


def test_manifest_proof(tmp_path):
    shutil.copytree(SYNTHETIC_DIR, tmp_path / "d")
    folder = tmp_path / "d"
    assert manifest_doubts(folder) == [] and proven_synthetic(folder)
    (folder / ".DS_Store").write_bytes(b"junk")  # never read as data
    assert proven_synthetic(folder)
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    assert manifest_doubts(folder) == ["notes.txt: not listed in manifest.json"]
    (folder / "notes.txt").unlink()
    (folder / "sites.csv").unlink()
    assert manifest_doubts(folder) == ["sites.csv: listed in manifest.json but absent"]
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "manifest.json").write_text('{"synthetic": true}', encoding="utf-8")
    assert not proven_synthetic(tmp_path / "e")  # a bare claim proves nothing


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["2", "10", None, "2", "1e1", "-0", "3.50"], index=[5, 3, 1, 0, 2, 4, 6]),
        pd.Series(["4", "1", None, "4"], dtype="category"),
        pd.Series([1, 2.5, np.nan]),
        pd.Series([None, None], dtype=object),
    ],
)
def test_numbers_converts_each_distinct_text_as_to_numeric_does(values):
    expected = pd.to_numeric(values.astype(object)).to_numpy(dtype=float)
    np.testing.assert_array_equal(numbers(values), expected)
