"""Time the linear-model calls of the chapters (ANCOVA, its checks, adjusted means) on a dataset folder; not a test.

Usage: ``.venv/bin/python benchmarks/linear_models.py DIR`` with ``DIR`` a dataset folder, for example
one written by ``benchmarks/big_dataset.py``. It loads and scores the dataset as the chapters do, then
times, with the settings of ``config/analysis.yaml``:

- ``survey.feasibility`` and ``survey.assumption_checks`` of every outcome (chapters 1 to 5);
- ``survey.ancova_by_outcome`` of every outcome (chapters 2 to 5);
- ``survey.slopes_by_outcome`` and ``survey.ancova_residuals_by_outcome`` of the RSA (chapter 2);
- ``survey.adjusted_means_by_outcome`` of the first outcome whose ANCOVA is significant, and
  ``survey.adjusted_pairs_where_significant`` of every such outcome (chapter 5, before any
  multiplicity correction).

``benchmarks/scale.py`` times the sweeps (scoring, alpha, one-way ANOVA, Tukey) on simulated items;
this script times the model fits that need the covariates of a real dataset folder.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from helpers import survey
from helpers.io import load_config, load_dataset, load_instruments
from helpers.report.glue import resolve_data_dir


def timed(name: str, call: Callable):
    """Run ``call``, print its wall-clock time and return its result."""
    start = time.perf_counter()
    result = call()
    print(f"{name:40s} {time.perf_counter() - start:7.2f} s", flush=True)
    return result


def main(folder: str) -> None:
    cfg = load_config()
    instruments = load_instruments()
    ds = timed("load", lambda: load_dataset(resolve_data_dir(folder), instruments))
    scores = timed("scores", lambda: survey.outcome_scores(ds, instruments, max_missing=cfg.max_missing))
    models = {"covariates": cfg.covariate_sets, "categorical": cfg.categorical_covariates}
    rsa = survey.select(scores, measure="RSA")
    timed("feasibility (every outcome)", lambda: survey.feasibility(scores, ds, **models))
    timed(
        "assumption_checks (every outcome)",
        lambda: survey.assumption_checks(scores, center=cfg.levene_center, confidence=cfg.confidence),
    )
    ancova = timed("ancova_by_outcome (every outcome)", lambda: survey.ancova_by_outcome(scores, ds, **models))
    timed("slopes_by_outcome (RSA)", lambda: survey.slopes_by_outcome(rsa, ds, **models))
    timed("ancova_residuals_by_outcome (RSA)", lambda: survey.ancova_residuals_by_outcome(rsa, ds, **models))
    tests = survey.outcome_tests(survey.anova_by_outcome(scores), ancova, alpha=cfg.alpha)
    chosen = tests[tests["significant_adj"]]
    if chosen.empty:
        print("no ANCOVA is significant: no adjusted means to compare")
        return
    first = chosen.iloc[0]
    one = survey.select(scores, first["group"], first["measure"], first["subscale"])
    timed(
        "adjusted_means_by_outcome (one)",
        lambda: survey.adjusted_means_by_outcome(one, ds, confidence=cfg.confidence, **models),
    )
    timed(
        "adjusted_pairs_where_significant",
        lambda: survey.adjusted_pairs_where_significant(
            scores, ds, tests, adjustment=cfg.emm_adjustment, alpha=cfg.alpha, confidence=cfg.confidence, **models
        ),
    )


if __name__ == "__main__":
    main(sys.argv[1])
