"""One run at a time per output folder: the second stops at once, naming the first run's process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from helpers.build import cli, run_book
from helpers.build import execute as execute_module
from helpers.build.lock import OutputBusyError, lock_path, output_lock
from helpers.io import SYNTHETIC_DIR

#: A process that holds the lock of an output folder until its standard input closes.
HOLDER = """
import sys
from pathlib import Path
from helpers.build.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_second_lock_is_refused_and_names_the_holder(tmp_path):
    out = tmp_path / "out"
    assert lock_path(out) == tmp_path / ".out.lock"
    with output_lock(out) as path:
        assert path.read_text(encoding="utf-8") == f"{os.getpid()}\n"
        with pytest.raises(OutputBusyError) as err, output_lock(out):
            pass
        assert err.value.pid == os.getpid()
        assert str(err.value) == (
            f"another cocapp run (process {os.getpid()}) is writing {out} (lock file {path}); "
            f"wait for it to end or stop it (kill {os.getpid()}), or choose another --out"
        )
        with output_lock(tmp_path / "other"):  # another folder: no conflict
            pass
    assert not path.exists()
    with output_lock(out):  # free again
        pass


def test_a_stale_lock_file_does_not_block(tmp_path):
    """A run killed with SIGKILL leaves its lock file, but the system released the lock."""
    out = tmp_path / "out"
    lock_path(out).write_text("999999\n", encoding="utf-8")
    with output_lock(out) as path:
        assert path.read_text(encoding="utf-8") == f"{os.getpid()}\n"


def test_lock_held_by_another_process(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(OutputBusyError) as err, output_lock(out):
            pass
        assert err.value.pid == holder.pid
    finally:
        holder.communicate("")
    assert holder.returncode == 0 and not lock_path(out).exists()
    with output_lock(out):
        pass


def test_a_run_into_a_locked_folder_stops_at_once(make_book, fine, previous_result, monkeypatch, capsys):
    calls: list = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda *args, **kwargs: calls.append(args))
    out = previous_result.path
    root = make_book({"01-fine": fine})
    with output_lock(out):
        start = time.perf_counter()
        with pytest.raises(OutputBusyError, match=f"another cocapp run \\(process {os.getpid()}\\) is writing"):
            run_book(SYNTHETIC_DIR, out, root=root, progress=False)
        code = cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(out), "--root", str(root)])
        assert time.perf_counter() - start < 5
    assert code == 1
    err = capsys.readouterr().err
    assert f"cocapp: another cocapp run (process {os.getpid()}) is writing {out}" in err
    assert f"cocapp: {out} was left as it was." in err
    assert calls == []
    previous_result.assert_untouched()
    assert sorted(p.name for p in out.parent.iterdir()) == ["book", "out"]  # no lock file, no staging
