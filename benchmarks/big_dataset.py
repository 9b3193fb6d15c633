"""Write a dataset folder with a large service users' table, to time ``cocapp validate`` and ``cocapp run`` at scale.

Usage: ``.venv/bin/python benchmarks/big_dataset.py DIR [--rows 1000000] [--seed 13]``, then for example
``cocapp validate DIR`` and ``cocapp run --data DIR --out OUT``.

The folder holds the synthetic dataset's tables (``data/synthetic``), except that the service users'
table has ``--rows`` rows: rows of the synthetic service users drawn at random with replacement, each
with a new participant id. There is no ``manifest.json``, so the book treats the data as real (not
proven synthetic): disclosure control applies. Not a test; nothing of it is committed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "synthetic"
#: The table that grows; every other table file is copied as it is.
GROWN = "service_users.csv"


def write_big_dataset(target: Path, rows: int, seed: int = 13) -> Path:
    """Write the folder ``target`` (created; it must not exist) and return the grown table's path."""
    target.mkdir(parents=True)
    for path in sorted(SOURCE.glob("*.csv")):
        if path.name != GROWN:
            shutil.copy2(path, target / path.name)
    users = pd.read_csv(SOURCE / GROWN, dtype=str, keep_default_na=False)
    drawn = np.random.default_rng(seed).integers(0, len(users), rows)
    big = users.iloc[drawn].reset_index(drop=True)
    big["participant_id"] = [f"SU{k:07d}" for k in range(rows)]
    big.to_csv(target / GROWN, index=False, lineterminator="\n")
    return target / GROWN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="new folder to write")
    parser.add_argument("--rows", type=int, default=1_000_000, help="service users (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if args.target.exists():
        sys.exit(f"{args.target} exists; choose a new folder")
    start = time.perf_counter()
    path = write_big_dataset(args.target, args.rows, args.seed)
    size = path.stat().st_size / 2**20
    print(f"Wrote {args.target}: {args.rows:,} service users ({size:.0f} MiB) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
