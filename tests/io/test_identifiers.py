"""The identifier scan: what it finds, what it leaves alone, and that it never returns an identifier whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import SYNTHETIC_DIR
from helpers.io.identifiers import (
    HIT_COLUMNS,
    IdentifierNamesError,
    find_identifiers,
    hits_report,
    load_names,
    main,
    mask,
    nhs_number_valid,
    scan_files,
    scan_folder,
    scan_frame,
)

VALID_NHS = "943 476 5919"


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "6541237891"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert nhs_number_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "1234567890", "943476591", "abcdefghij"])
def test_other_ten_digit_strings_fail_it(number):
    assert not nhs_number_valid(number)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("NHS no 943 476 5919 on file", "NHS number", VALID_NHS),
        ("NHS no 943-476-5919 on file", "NHS number", "943-476-5919"),
        ("NHS no 9434765919 on file", "NHS number", "9434765919"),
        ("lives at SW1A 1AA now", "postcode", "SW1A 1AA"),
        ("lives at m1 1ae now", "postcode", "m1 1ae"),
        ("lives at LS14AB now", "postcode", "LS14AB"),
        ("ring 07700 900123 today", "phone number", "07700 900123"),
        ("ring +44 (0)113 496 0000 today", "phone number", "+44 (0)113 496 0000"),
        ("ring 020-7946-0018 today", "phone number", "020-7946-0018"),
        ("write to jo.bloggs+cc@nhs.example.net please", "e-mail address", "jo.bloggs+cc@nhs.example.net"),
        ("born 12/03/1961, she said", "date", "12/03/1961"),
        ("born 1961-03-12, she said", "date", "1961-03-12"),
        ("born 12th March 1961, she said", "date", "12th March 1961"),
        ("born March 12, 1961, she said", "date", "March 12, 1961"),
    ],
)
def test_each_kind_is_found(text, kind, found):
    assert (kind, found) in find_identifiers(text)


def test_an_invalid_nhs_number_is_not_reported_as_one():
    assert [k for k, _ in find_identifiers("ref 943 476 5918")] == []


@pytest.mark.parametrize(
    "text",
    [
        "Risk came first; 3 of 4 plans were shared in 2014.",
        "B-SU-001 said the plan was made together (2/4 accounts).",
        "A score of 3.5 on the RSA, 12 items, 70 questionnaires, 448 in all.",
        "She had been in services for 12 years and saw her worker every 2 weeks.",
    ],
)
def test_ordinary_text_has_no_hit(text):
    assert find_identifiers(text) == []


def test_names_are_whole_words_in_any_case():
    names = ["Jones", "Mary Ann"]
    assert find_identifiers("mary ann met JONES", names) == [("name", "mary ann"), ("name", "JONES")]
    assert find_identifiers("Jonesborough and Maryanne", names) == []


def test_mask_keeps_only_the_first_character_of_letters_and_digits():
    assert mask("943 476 5919") == "9** *** ****"
    assert mask("SW1A 1AA") == "S*** ***"
    assert mask("Smith") == "S****"


def test_load_names_skips_blanks_and_comments_and_reads_relative_to_base(tmp_path):
    (tmp_path / "names.txt").write_text("# staff\nJones\n\n  Mary Ann  \nJones\n", encoding="utf-8")
    assert load_names("names.txt", base=tmp_path) == ["Jones", "Mary Ann"]
    assert load_names(None) == []


def test_load_names_names_the_missing_file(tmp_path):
    with pytest.raises(IdentifierNamesError, match=r"identifier_names: no file .*absent\.txt"):
        load_names("absent.txt", base=tmp_path)


@pytest.fixture
def leaky(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    frame = pd.read_csv(folder / "framework.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "summary"] = f"Mrs Smith (NHS {VALID_NHS}) said it was fine."
    frame.loc[9, "summary"] = "Call 07700 900123."
    frame.to_csv(folder / "framework.csv", index=False, lineterminator="\n")
    return folder


def test_scan_names_file_column_spreadsheet_row_and_kind_and_masks_the_excerpt(leaky):
    hits = scan_folder(leaky, names=["Smith"])
    assert list(hits.columns) == HIT_COLUMNS
    assert hits[["file", "column", "row", "kind"]].values.tolist() == [
        ["framework.csv", "summary", 6, "NHS number"],
        ["framework.csv", "summary", 6, "name"],
        ["framework.csv", "summary", 11, "phone number"],
    ]
    assert hits["excerpt"].tolist() == ["9** *** ****", "S****", "0**** ******"]
    shown = hits.to_csv() + hits_report(hits)
    for secret in ("Smith", VALID_NHS, "5919", "900123"):
        assert secret not in shown


def test_scan_of_the_synthetic_data_finds_nothing():
    assert scan_folder(SYNTHETIC_DIR).empty
    assert hits_report(scan_folder(SYNTHETIC_DIR)) == "No identifier found."


def test_scan_reads_excel_and_upper_case_extensions(tmp_path):
    pd.DataFrame({"note": ["ok", "mail a@b.org"]}).to_excel(tmp_path / "notes.xlsx", index=False)
    pd.DataFrame({"note": ["SW1A 1AA"]}).to_csv(tmp_path / "OTHER.CSV", index=False)
    hits = scan_folder(tmp_path)
    assert hits[["file", "row", "kind"]].values.tolist() == [
        ["OTHER.CSV", 2, "postcode"],
        ["notes.xlsx", 3, "e-mail address"],
    ]


def test_numbers_stored_as_numbers_are_scanned_as_whole_numbers():
    frame = pd.DataFrame({"nhs": [9434765919.0, None, 12.0]})
    hits = scan_frame(frame, "service_users.sav")
    assert hits[["file", "column", "row", "kind", "excerpt"]].values.tolist() == [
        ["service_users.sav", "nhs", 2, "NHS number", "9*********"]
    ]


def test_scan_files_of_no_file_is_an_empty_table_of_hits():
    hits = scan_files([])
    assert hits.empty and list(hits.columns) == HIT_COLUMNS


def test_command_prints_hits_and_exits_1(leaky, capsys):
    (leaky / "names.txt").write_text("Smith\n", encoding="utf-8")
    assert main([str(leaky), "--names", str(leaky / "names.txt")]) == 1
    out = capsys.readouterr().out
    assert "3 possible identifiers found:" in out
    assert "framework.csv, column summary, row 6: name (S****)" in out
    assert "Smith" not in out


def test_command_exits_0_on_clean_data_and_2_on_a_bad_names_file(tmp_path, capsys):
    assert main([str(SYNTHETIC_DIR)]) == 0
    assert main([str(SYNTHETIC_DIR), "--names", str(tmp_path / "none.txt")]) == 2
    assert "identifier_names: no file" in capsys.readouterr().err
