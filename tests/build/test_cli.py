"""The ``cocapp`` command reports problems as messages with an exit status, never tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from helpers.build import cli, runner
from helpers.build import execute as execute_module
from helpers.io import SYNTHETIC_DIR, load_config, setting_names, validate_dataset


def test_validate_clean_dataset(capsys):
    assert cli.main(["validate", str(SYNTHETIC_DIR)]) == 0
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
    assert cli.main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "care_coordinators.csv" in out and "rsa_05" in out and "4" in out
    assert "Traceback" not in out
    assert path.read_bytes() == before


def test_validate_prints_identifiers_as_warnings_and_keeps_the_exit_status(tmp_path, capsys):
    folder = tmp_path / "leaky"
    shutil.copytree(SYNTHETIC_DIR, folder)
    framework = folder / "framework.csv"
    lines = framework.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("summary")] = "Spoke with Pargeter about NHS 943 476 5919"
    lines[1] = ",".join(row)
    framework.write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text("Pargeter\n", encoding="utf-8")
    assert cli.main(["validate", str(folder), "--names", str(names)]) == 0
    out = capsys.readouterr().out
    assert "warning: 2 possible identifiers found:" in out
    assert "warning: framework.csv, column summary, row 2: NHS number (9** *** ****)" in out
    assert "warning: framework.csv, column summary, row 2: name (P*******)" in out
    assert "943" not in out and "Pargeter" not in out


def test_validate_prints_no_warning_on_clean_data_and_warns_on_a_missing_names_file(tmp_path, capsys):
    assert cli.main(["validate", str(SYNTHETIC_DIR)]) == 0
    assert "warning" not in capsys.readouterr().out
    assert cli.main(["validate", str(SYNTHETIC_DIR), "--names", str(tmp_path / "none.txt")]) == 0
    assert "warning: identifier scan not run" in capsys.readouterr().out


def test_command_exit_status_and_no_traceback(tmp_path):
    missing = tmp_path / "nowhere"
    res = subprocess.run(
        [sys.executable, "-m", "helpers.build.cli", "validate", str(missing)], capture_output=True, text=True
    )
    assert res.returncode == 1
    assert "nowhere" in res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr


def test_reproduce_prints_a_summary(capsys, tmp_path):
    csv = tmp_path / "table.csv"
    assert cli.main(["reproduce", "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "published numbers" in out and "reproduced" in out
    assert f"Full table written to {csv}" in out
    assert csv.exists() and csv.read_text().count("\n") > 400


def test_reproduce_takes_the_run_settings(monkeypatch, capsys):
    seen = []

    def fake(data, *, settings):
        seen.append(settings)
        raise SystemExit(0)

    monkeypatch.setattr(cli, "reproduction_table", fake)
    with pytest.raises(SystemExit):
        cli.main(["reproduce", "--param", "alpha=0.01", "--param", "max_missing=0.2"])
    assert (seen[0].alpha, seen[0].max_missing) == (0.01, 0.2)
    assert cli.main(["reproduce", "--param", "alhpa=0.01"]) == 2
    assert "unknown parameter 'alhpa' (did you mean 'alpha'?)" in capsys.readouterr().err
    assert cli.main(["reproduce", "--param", "alpha=0.1", "--param", "alpha=0.2"]) == 2
    assert "more than once: alpha" in capsys.readouterr().err
    assert len(seen) == 1


def test_synth_prints_the_manifest(monkeypatch, tmp_path, capsys):
    calls = []

    def fake(folder, seed, *, settings):
        calls.append((folder, seed, settings))
        return {"seed": seed, "generator_version": "9", "files": {"sites.csv": {"rows": 6, "sha256": "ab" * 32}}}

    monkeypatch.setattr(cli, "write_synthetic", fake)
    assert cli.main(["synth", "--seed", "7", "--out", str(tmp_path)]) == 0
    assert calls == [(tmp_path, 7, load_config())]
    assert capsys.readouterr().out.splitlines() == [
        f"Wrote SYNTHETIC dataset (seed 7, generator 9) to {tmp_path}:",
        "  sites.csv: 6 rows, sha256 abababababab...",
    ]


def test_rejects_malformed_param(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--data", "x", "--out", "y", "--param", "alpha"])
    assert exit_info.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_rejects_bad_jobs(jobs, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["book", "--jobs", jobs])
    assert exit_info.value.code == 2
    assert "--jobs must be a whole number of at least 1" in capsys.readouterr().err


def test_rejects_repeated_param(tmp_path, capsys):
    code = cli.main(
        ["run", "--data", str(SYNTHETIC_DIR), "--out", str(tmp_path / "out"), "--param", "alpha=0.1", "--param",
         "alpha=0.2"]
    )  # fmt: skip
    assert code == 2
    assert "more than once: alpha" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_parameters_exit_2_listing_every_problem(make_book, fine, invalid_dataset, tmp_path, monkeypatch, capsys):
    executed = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda *args, **kwargs: executed.append(args))
    monkeypatch.setattr(runner, "PROJECT_ROOT", make_book({"01-fine": fine}))
    argv = ["run", "--data", str(invalid_dataset), "--out", str(tmp_path / "out")]
    for param in ("sead=1", "alpha=small", "posthoc_when=never", "output_dir=/x"):
        argv += ["--param", param]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown parameter 'sead'" in err
    assert "parameter 'alpha' is 'small'; it must be a number between 0 and 1" in err
    assert "parameter 'posthoc_when' is 'never'" in err
    assert "parameter 'output_dir' cannot be set" in err
    assert "known parameters: " + ", ".join(setting_names()) in err
    assert "nothing was executed" in err
    assert "Traceback" not in err
    assert executed == []
    assert not (tmp_path / "out").exists()


def test_invalid_dataset_prints_report(invalid_dataset, previous_result, capsys):
    code = cli.main(["run", "--data", str(invalid_dataset), "--out", str(previous_result.path)])
    err = capsys.readouterr().err
    assert code == 1
    assert str(validate_dataset(invalid_dataset)) in err
    assert "nothing was executed" in err
    assert "Traceback" not in err
    previous_result.assert_untouched()


def test_failing_notebook(make_book, broken, previous_result, monkeypatch, capsys):
    monkeypatch.setattr(runner, "PROJECT_ROOT", make_book({"02-broken": broken}))
    code = cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(previous_result.path), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert "notebook 02-broken, cell 3: ValueError: boom 2017" in captured.err
    assert "  at " in captured.err and 'raise ValueError(f"boom {value}")' in captured.err
    assert "[1/1] 02-broken  FAILED" in captured.out
    assert "Traceback" not in captured.err
    assert f"{previous_result.path} was left as it was" in captured.err
    previous_result.assert_untouched()
