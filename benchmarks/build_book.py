"""Time the default end-to-end build (``cocapp book``) and print the median.

Not a test: run it by hand (``make benchmark`` or ``.venv/bin/python
benchmarks/build_book.py --repeat 3``) after a change that may affect the build
time, and update the figure in README.md ("Building and running").

Each repetition is a complete ``cocapp book`` in a fresh process: dataset
validation, notebook conversion, parallel execution with papermill, the
jupyter-book HTML build and the replacement of ``_build/book``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_once(jobs: int) -> float:
    """Seconds of one ``cocapp book --jobs JOBS`` (wall clock); exits on failure."""
    command = [sys.executable, "-m", "helpers.build.cli", "book", "--jobs", str(jobs)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"cocapp book failed (exit status {result.returncode})")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="number of builds (default 3)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at the same time (default 2)")
    args = parser.parse_args(argv)

    print(
        f"cocapp book --jobs {args.jobs}, {args.repeat} runs on {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    times = []
    for run in range(1, args.repeat + 1):
        times.append(time_once(args.jobs))
        print(f"  run {run}: {times[-1]:.1f} s", flush=True)
    record = json.loads((ROOT / "_build" / "book" / "run.json").read_text(encoding="utf-8"))
    print("notebook execution times of the last run:")
    for name, seconds in record["notebook_seconds"].items():
        print(f"  {name:<32} {seconds:6.1f} s")
    print(f"median {statistics.median(times):.1f} s (min {min(times):.1f} s, max {max(times):.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
