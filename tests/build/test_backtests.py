"""Freezing the result tables of the default run, and ``python -m helpers.build --freeze-backtests``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers.build import BACKTEST_DIR, BookError, freeze_backtests
from helpers.build import backtests as backtests_module
from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR


@pytest.fixture
def default_tables(tmp_path):
    """A finished default run holding two tables, and frozen tables: one equal, one changed, one dropped."""
    run = tmp_path / "run"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (run / "tables" / "b.csv").write_text("x\n2\n", encoding="utf-8")
    (run / "tables" / "c.csv").write_text("x\n4\n", encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"parameters": {}, "data_dir": str(SYNTHETIC_DIR)}), encoding="utf-8")
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    (frozen / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (frozen / "b.csv").write_text("x\n3\n", encoding="utf-8")
    (frozen / "old.csv").write_text("x\n0\n", encoding="utf-8")
    return run, frozen


def test_freeze_backtests_from_a_run(default_tables):
    run, frozen = default_tables
    changes = freeze_backtests(run, frozen, progress=False)
    assert changes == {"added": ["c.csv"], "removed": ["old.csv"], "changed": ["b.csv"], "unchanged": ["a.csv"]}
    assert sorted(p.name for p in frozen.iterdir()) == ["a.csv", "b.csv", "c.csv"]
    assert (frozen / "b.csv").read_text(encoding="utf-8") == "x\n2\n"


@pytest.mark.parametrize(
    "record",
    [{"parameters": {"alpha": 0.1}, "data_dir": str(SYNTHETIC_DIR)}, {"parameters": {}, "data_dir": "/other/data"}],
)
def test_only_a_default_run_is_frozen(default_tables, record):
    run, frozen = default_tables
    (run / "run.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(BookError, match="not a default run"):
        freeze_backtests(run, frozen, progress=False)
    assert sorted(p.name for p in frozen.iterdir()) == ["a.csv", "b.csv", "old.csv"]


def test_main_prints_the_changes(default_tables, monkeypatch, capsys):
    run, frozen = default_tables
    monkeypatch.setattr(backtests_module, "BACKTEST_DIR", frozen)
    monkeypatch.setattr(backtests_module, "freeze_backtests", lambda run_dir: freeze_backtests(run_dir, frozen))
    assert backtests_module.main(["--freeze-backtests", "--from", str(run)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "    added: c.csv",
        "  removed: old.csv",
        "  changed: b.csv",
        f"1 tables unchanged; frozen tables in {frozen}",
    ]


def test_main_reports_errors_without_traceback(tmp_path, capsys):
    assert backtests_module.main(["--freeze-backtests", "--from", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cocapp: ") and "nowhere" in err and "Traceback" not in err


def test_python_m_helpers_build():
    assert BACKTEST_DIR == PROJECT_ROOT / "tests" / "backtest" / "tables"
    res = subprocess.run([sys.executable, "-m", "helpers.build", "--help"], capture_output=True, text=True)
    assert res.returncode == 0
    assert "usage: python -m helpers.build" in res.stdout and "--freeze-backtests" in res.stdout
    res = subprocess.run([sys.executable, "-m", "helpers.build"], capture_output=True, text=True)
    assert res.returncode == 2 and "--freeze-backtests" in res.stderr
