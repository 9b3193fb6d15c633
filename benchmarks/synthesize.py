"""Time the synthetic-data generator (``cocapp synth``); not a test.

Usage: ``.venv/bin/python benchmarks/synthesize.py [repeats]``. Prints each run's
wall time and the median, and checks that every run wrote identical files.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from helpers.io import load_config
from helpers.synthetic import write_synthetic


def main(repeats: int = 3) -> None:
    times, checksums = [], set()
    for k in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            manifest = write_synthetic(Path(tmp) / "synthetic", seed=2016, settings=load_config())
            times.append(time.perf_counter() - start)
        checksums.add(tuple(sorted((n, f["sha256"]) for n, f in manifest["files"].items())))
        print(f"run {k + 1}: {times[-1]:.1f} s, unmet targets: {len(manifest['unmet_targets'])}")
    print(f"median {statistics.median(times):.1f} s over {repeats} runs; identical output: {len(checksums) == 1}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
