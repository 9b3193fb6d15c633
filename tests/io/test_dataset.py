"""Loading a validated dataset with typed tables, and writing a dataset folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from helpers.io import SYNTHETIC_DIR, Dataset, load_dataset, validate_dataset, write_dataset


def test_valid_dataset_loads_with_typed_tables(folder):
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
    assert data.interviews is None and not data.has_qualitative
    with pytest.raises(KeyError, match="unknown group"):
        data.group("carers")


def test_values_survive_writing_and_loading(folder, tables):
    data = load_dataset(folder)
    written = tables["service_users"]
    expected = written["rsa_05"].where(written["rsa_05"] != 9)
    np.testing.assert_array_equal(data.service_users["rsa_05"].to_numpy(), expected.to_numpy())
    np.testing.assert_allclose(
        data.care_coordinators["years_in_mental_health"], tables["care_coordinators"]["years_in_mental_health"]
    )
    assert data.sites["setting"].tolist() == ["urban", "rural", "urban"]  # other columns kept as read


def test_synthetic_dataset(synthetic):
    assert synthetic.synthetic is True and synthetic.has_qualitative
    assert synthetic.sites["site"].tolist() == ["Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"]
    assert (len(synthetic.service_users), len(synthetic.care_coordinators)) == (448, 201)
    assert (len(synthetic.interviews), len(synthetic.framework), len(synthetic.care_plans)) == (117, 908, 33)
    assert synthetic.service_users.groupby("site").size().sum() == 448


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
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["synthetic"] is True  # the given manifest, with the checksums of the tables written
    assert set(manifest["files"]) == {"sites.csv", "service_users.csv", "care_coordinators.csv"}
    assert manifest["files"]["service_users.csv"]["rows"] == 8


def test_write_dataset_refuses_to_make_a_folder_ambiguous(folder, tables):
    (folder / "sites.xlsx").write_bytes(b"")
    before = (folder / "sites.csv").read_bytes()
    with pytest.raises(FileExistsError, match="sites.xlsx"):
        write_dataset(folder, **tables)
    assert (folder / "sites.csv").read_bytes() == before


def test_synthetic_tables_round_trip_byte_for_byte(tmp_path):
    """Writing the loaded synthetic tables back reproduces the committed files."""
    tables = {
        name: pd.read_csv(SYNTHETIC_DIR / f"{name}.csv") for name in ("sites", "service_users", "care_coordinators")
    }
    write_dataset(tmp_path, **tables)
    for name in tables:
        assert (tmp_path / f"{name}.csv").read_bytes() == (SYNTHETIC_DIR / f"{name}.csv").read_bytes()


def test_input_files_are_not_modified(folder):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}
    load_dataset(folder)
    validate_dataset(folder)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}
    assert after == before


def test_a_dataset_without_qualitative_tables(synthetic):
    bare = replace(synthetic, interviews=None, framework=None, care_plans=None)
    assert not bare.has_qualitative


# --------------------------------------------------------------------------- synthetic only when proven (issue 10)


@pytest.fixture
def synthetic_copy(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(SYNTHETIC_DIR, folder)
    return folder


def test_an_untouched_copy_of_the_synthetic_data_is_synthetic(synthetic_copy):
    assert load_dataset(synthetic_copy).synthetic is True


def test_one_edited_cell_makes_the_data_the_users_own(synthetic_copy):
    path = synthetic_copy / "framework.csv"
    framework = pd.read_csv(path, dtype=str, keep_default_na=False)
    framework.loc[0, "summary"] = "Told us about John Smith, NHS number 943 476 5919."
    framework.to_csv(path, index=False, lineterminator="\n")
    data = load_dataset(synthetic_copy)  # the manifest still says synthetic, but its checksum no longer matches
    assert json.loads((synthetic_copy / "manifest.json").read_text())["synthetic"] is True
    assert data.synthetic is False


def test_an_extra_table_makes_the_data_the_users_own(synthetic_copy):
    shutil.copy2(synthetic_copy / "sites.csv", synthetic_copy / "more_sites.csv")
    assert load_dataset(synthetic_copy).synthetic is False


def test_write_dataset_records_checksums_that_prove_the_folder(tmp_path, tables):
    write_dataset(tmp_path, **tables, manifest={"synthetic": True})
    assert load_dataset(tmp_path).synthetic is True
    (tmp_path / "sites.csv").write_text((tmp_path / "sites.csv").read_text() + "S4,Wales,rural\n")
    assert load_dataset(tmp_path).synthetic is False
