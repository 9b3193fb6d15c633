"""The run record: checksums, versions, timings, the parameters and the settings in force."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from helpers.build import Chapter, check_parameters
from helpers.build.record import (
    OUTPUT_MARKER,
    OUTPUT_MARKER_KEY,
    RUN_RECORD,
    TOOL,
    file_records,
    package_versions,
    previous_timings,
    run_record,
    sha256,
    write_record,
)
from helpers.io import INSTRUMENTS_DIR, SYNTHETIC_DIR, load_config


def test_sha256_and_file_records(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "sub" / "b.yaml").write_bytes(b"")
    (tmp_path / ".hidden").write_bytes(b"secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.yaml").write_bytes(b"")
    assert sha256(tmp_path / "a.csv") == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert file_records(tmp_path) == {
        "a.csv": {"sha256": hashlib.sha256(b"x,y\n1,2\n").hexdigest(), "bytes": 8},
        "sub/b.yaml": {"sha256": hashlib.sha256(b"").hexdigest(), "bytes": 0},
    }
    assert list(file_records(tmp_path, "*.yaml")) == ["sub/b.yaml"]


def test_package_versions():
    versions = package_versions()
    assert next(iter(versions)) == "cocapp-book"
    assert versions["papermill"] and versions["jupyter-book"] and versions["pandas"]


def test_previous_timings(tmp_path):
    assert previous_timings(tmp_path) == {}
    (tmp_path / RUN_RECORD).write_text('{"notebook_seconds": {"01-a": 2.5, "02-b": "3"}}', encoding="utf-8")
    assert previous_timings(tmp_path) == {"01-a": 2.5, "02-b": 3.0}
    (tmp_path / RUN_RECORD).write_text("not json", encoding="utf-8")
    assert previous_timings(tmp_path) == {}
    (tmp_path / RUN_RECORD).write_text('{"notebook_seconds": [1, 2]}', encoding="utf-8")
    assert previous_timings(tmp_path) == {}


def test_run_record(tmp_path):
    declares = {name: {} for name in ("data_dir", "output_dir", "settings")}
    chapters = [
        Chapter("01-a", "notebooks/01-a", Path("01-a.md"), Path("01-a.ipynb"), declares),
        Chapter("02-b", "notebooks/02-b", Path("02-b.md"), Path("02-b.ipynb"), {"data_dir": {}}),
    ]
    params = {"alpha": 0.01, "normality_limits": (1.5, 3.0)}
    record = run_record(
        data_dir=SYNTHETIC_DIR,
        synthetic=True,
        params=params,
        config=check_parameters(params),
        chapters=chapters,
        timings={"01-a": 1.234, "02-b": 5.0},
        jobs=2,
        html=False,
    )
    # The marks by which a later run knows that cocapp wrote the folder (the list of files comes at the end).
    assert (record["tool"], record[OUTPUT_MARKER_KEY]) == (TOOL, OUTPUT_MARKER) == ("cocapp", OUTPUT_MARKER)
    assert record["version"] == (package_versions()["cocapp-book"] or "unknown") and "files" not in record
    assert record["parameters"] == {"alpha": 0.01, "normality_limits": [1.5, 3.0]}
    settings = load_config().as_dict()
    settings.update(alpha=0.01, normality_limits=[1.5, 3.0])
    assert record["settings"] == json.loads(json.dumps(settings))
    assert list(record["settings"]) == list(settings)
    assert record["notebook_parameters"] == {"01-a": {"alpha": 0.01, "normality_limits": [1.5, 3.0]}, "02-b": {}}
    assert record["chapters"] == ["notebooks/01-a", "notebooks/02-b"]
    assert record["notebook_seconds"] == {"01-a": 1.23, "02-b": 5.0}
    assert (record["jobs"], record["html"], record["synthetic"]) == (2, False, True)
    assert record["data_dir"] == str(SYNTHETIC_DIR)
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        assert record["data_files"][name]["sha256"] == info["sha256"]
    assert sorted(record["instrument_files"]) == sorted(p.name for p in INSTRUMENTS_DIR.glob("*.yaml"))
    assert record["python"] == ".".join(map(str, sys.version_info[:3]))

    path = write_record(record, tmp_path)
    assert path == tmp_path / "run.json"
    assert json.loads(path.read_text(encoding="utf-8")) == record
