"""The validated snapshot of a dataset: written once, read back identical, used only for its own folder."""

import shutil

import pandas as pd
import pytest

from helpers.io import (
    SNAPSHOT_ENV,
    SYNTHETIC_DIR,
    DataValidationError,
    load_dataset,
    load_instruments,
    snapshot_dataset,
)
from helpers.io import dataset as dataset_module
from helpers.io.dataset import DATASET_TABLES
from helpers.io.snapshot import read_snapshot, snapshot_digest, write_snapshot


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    return folder


def test_snapshot_reads_back_every_table_with_its_types_and_missing_values(tmp_path, monkeypatch):
    digest = snapshot_dataset(SYNTHETIC_DIR, tmp_path / "snap")
    assert digest == snapshot_digest(tmp_path / "snap")
    assert snapshot_dataset(SYNTHETIC_DIR, tmp_path / "again") == digest  # the same data, the same hash
    original = load_dataset(SYNTHETIC_DIR)
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "snap"))
    loaded = load_dataset(SYNTHETIC_DIR)
    assert loaded.folder == SYNTHETIC_DIR and loaded.files == original.files and loaded.synthetic is True
    for name in DATASET_TABLES:
        before, after = getattr(original, name), getattr(loaded, name)
        pd.testing.assert_frame_equal(after, before, check_exact=True)
        for column in before.select_dtypes(include="object"):
            assert [type(v) for v in after[column]] == [type(v) for v in before[column]], (name, column)
    assert set(loaded.non_answers) == {"service_users", "care_coordinators"}
    for group, codes in original.non_answers.items():  # N/A and other codes, counted apart from blanks
        assert codes.notna().to_numpy().sum() > 0
        pd.testing.assert_frame_equal(loaded.non_answers[group], codes.reset_index(drop=True), check_exact=True)


def test_text_columns_keep_none_or_nan_as_written(tmp_path):
    frame = pd.DataFrame({"none": ["a", None], "nan": ["b", float("nan")], "x": [1.0, 2.0]})
    write_snapshot(tmp_path, {"t": frame}, {})
    tables, _ = read_snapshot(tmp_path)
    assert tables["t"]["none"].tolist() == ["a", None]
    assert tables["t"]["nan"].iloc[1] != tables["t"]["nan"].iloc[1]  # NaN, not None


def test_a_changed_file_is_not_seen_while_the_snapshot_is_active(data_copy, tmp_path, monkeypatch):
    snapshot_dataset(data_copy, tmp_path / "snap")
    path = data_copy / "service_users.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";", 3), encoding="utf-8")  # now invalid
    with pytest.raises(DataValidationError):
        load_dataset(data_copy)  # no snapshot: the files are validated
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "snap"))
    assert len(load_dataset(data_copy).service_users) == 448  # validated once, before the change


def test_the_snapshot_is_ignored_for_another_folder_or_other_instruments(data_copy, tmp_path, monkeypatch):
    snapshot_dataset(SYNTHETIC_DIR, tmp_path / "snap")
    validated = []
    inspect = dataset_module.inspect_dataset
    monkeypatch.setattr(dataset_module, "inspect_dataset", lambda *a: validated.append(a[0]) or inspect(*a))
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "snap"))
    load_dataset(SYNTHETIC_DIR)
    assert validated == []  # the snapshot's own folder and instruments: read from the snapshot
    load_dataset(data_copy)
    assert validated == [data_copy]  # another folder: its own files are validated
    load_dataset(SYNTHETIC_DIR, list(load_instruments().values())[:1])
    assert validated == [data_copy, SYNTHETIC_DIR]  # other instruments: validated and typed again


def test_an_invalid_dataset_writes_no_snapshot(data_copy, tmp_path):
    path = data_copy / "service_users.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";", 3), encoding="utf-8")
    with pytest.raises(DataValidationError):
        snapshot_dataset(data_copy, tmp_path / "snap")
    assert not (tmp_path / "snap").exists()
