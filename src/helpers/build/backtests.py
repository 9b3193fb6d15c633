"""The frozen result tables of the default run, which every run of the whole-book tests is compared against.

``python -m helpers.build --freeze-backtests [--from RUN_DIR]`` refreshes them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR

from .errors import BookError
from .record import RUN_RECORD
from .runner import run_book
from .signals import RunInterrupted

__all__ = ["BACKTEST_DIR", "freeze_backtests", "main"]

#: Frozen result tables of the default run, compared by the backtests.
BACKTEST_DIR = PROJECT_ROOT / "tests" / "backtest" / "tables"


def freeze_backtests(
    run_dir: str | Path | None = None, dest: str | Path = BACKTEST_DIR, progress: bool | TextIO = True
) -> dict[str, list[str]]:
    """Replace the frozen backtest tables by those of a default run.

    Parameters
    ----------
    run_dir : str or Path, optional
        A finished default run (``_build/book``) to take the tables from. Default:
        execute the default book now (without HTML) in a temporary folder.
    dest : str or Path
        The frozen tables (``tests/backtest/tables``).
    progress : bool or text stream
        Progress lines of the run (when the book is executed).

    Returns
    -------
    dict
        ``added``, ``removed``, ``changed`` and ``unchanged`` file names.

    Raises
    ------
    BookError
        If ``run_dir`` is not a default run (synthetic data, no parameters).

    Use it in the same commit as a deliberate change of results, and say why in
    the commit message.
    """
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="cocapp-freeze-") as tmp:
        if run_dir is None:
            run_book(out_dir=Path(tmp) / "run", progress=progress, html=False)
            run_dir = Path(tmp) / "run"
        run_dir = Path(run_dir)
        record = json.loads((run_dir / RUN_RECORD).read_text(encoding="utf-8"))
        if record.get("parameters") or Path(record["data_dir"]) != SYNTHETIC_DIR.resolve():
            raise BookError(f"{run_dir} is not a default run (synthetic data, no parameters)")
        new = {p.name: p for p in sorted((run_dir / "tables").glob("*.csv"))}
        old = {p.name: p for p in sorted(dest.glob("*.csv"))} if dest.is_dir() else {}
        changes: dict[str, list[str]] = {"added": [], "removed": [], "changed": [], "unchanged": []}
        dest.mkdir(parents=True, exist_ok=True)
        for name in sorted(old.keys() - new.keys()):
            old[name].unlink()
            changes["removed"].append(name)
        for name, path in new.items():
            if name not in old:
                changes["added"].append(name)
            elif path.read_bytes() != old[name].read_bytes():
                changes["changed"].append(name)
            else:
                changes["unchanged"].append(name)
            shutil.copyfile(path, dest / name)
    return changes


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.build --freeze-backtests [--from RUN_DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build", description="Refresh the frozen result tables of the default run."
    )
    parser.add_argument(
        "--freeze-backtests",
        action="store_true",
        required=True,
        help="refresh tests/backtest/tables from a default run",
    )
    parser.add_argument(
        "--from",
        dest="run_dir",
        default=None,
        help="take the tables from this finished default run instead of running the book",
    )
    args = parser.parse_args(argv)
    try:
        changes = freeze_backtests(args.run_dir)
    except RunInterrupted as err:
        print(f"cocapp: stopped by {err.name}; the frozen tables were left as they were.", file=sys.stderr)
        return err.exit_status
    except (BookError, OSError) as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 1
    for kind in ("added", "removed", "changed"):
        for name in changes[kind]:
            print(f"{kind:>9}: {name}")
    print(f"{len(changes['unchanged'])} tables unchanged; frozen tables in {BACKTEST_DIR}")
    return 0
