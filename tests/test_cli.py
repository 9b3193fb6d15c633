"""The ``cocapp`` command reports problems as messages with an exit status, never tracebacks."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.paths import SYNTHETIC_DIR


def test_validate_clean_dataset(capsys):
    assert main(["validate", str(SYNTHETIC_DIR)]) == 0
    assert "No problems" in capsys.readouterr().out


def test_validate_bad_dataset_names_file_column_rows_and_fails(tmp_path, capsys):
    folder = tmp_path / "bad"
    shutil.copytree(SYNTHETIC_DIR, folder)
    path = folder / "care_coordinators.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    col = header.index("rsa_05")
    row = lines[3].split(",")
    row[col] = "6"
    lines[3] = ",".join(row)
    path.write_text("\n".join(lines) + "\n")
    before = path.read_bytes()
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "care_coordinators.csv" in out and "rsa_05" in out and "4" in out
    assert "Traceback" not in out
    assert path.read_bytes() == before


def test_console_script_exit_status_and_no_traceback(tmp_path):
    missing = tmp_path / "nowhere"
    script = Path(sys.executable).with_name("cocapp")
    res = subprocess.run([str(script), "validate", str(missing)], capture_output=True, text=True)
    assert res.returncode == 1
    assert "nowhere" in res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr


@pytest.mark.parametrize("args", [["reproduce"]])
def test_reproduce_prints_a_summary(args, capsys, tmp_path):
    csv = tmp_path / "table.csv"
    assert main([*args, "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "published numbers" in out and "reproduced" in out
    assert csv.exists() and csv.read_text().count("\n") > 400
