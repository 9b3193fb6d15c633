"""Time the heaviest calls of chapters 1, 7 and 8 on a dataset folder; not a test.

Usage: ``.venv/bin/python benchmarks/chapter_calls.py DATA [CALL ...]`` with ``DATA`` a dataset
folder (e.g. one written by ``benchmarks/big_dataset.py``) and CALL among ``sensitivity,
sample, normality, missing, reproduction`` (all by default). Loading the dataset and scoring
the outcomes are done once, untimed; each call is then timed once, as the chapter runs it.
"""

from __future__ import annotations

import sys
import time

from helpers import survey
from helpers.audit import reproduction_table
from helpers.io import load_config, load_dataset, load_instruments, load_published


def main(argv: list[str]) -> None:
    data, names = argv[0], argv[1:]
    cfg, instruments, published = load_config(), load_instruments(), load_published()
    ds = load_dataset(data, instruments)
    scores = survey.outcome_scores(ds, instruments, max_missing=cfg.max_missing)
    thresholds = survey.sensitivity_thresholds(cfg.max_missing, thresholds=cfg.sensitivity_thresholds)
    calls = {
        "sensitivity": lambda: survey.sensitivity_by_outcome(ds, instruments, thresholds=thresholds),
        "sample": lambda: survey.sample_characteristics(ds),
        "normality": lambda: survey.normality_by_outcome(scores, limits=cfg.normality_limits),
        "missing": lambda: survey.missing_by_outcome(ds, instruments, max_missing=cfg.max_missing),
        "reproduction": lambda: reproduction_table(ds, published, instruments, settings=cfg),
    }
    for name in names or list(calls):
        start = time.perf_counter()
        calls[name]()
        print(f"{name:<14}{time.perf_counter() - start:8.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
