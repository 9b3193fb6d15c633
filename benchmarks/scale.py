"""Time the survey statistics on large surveys beside pingouin/scipy (and R, where installed); not a test.

Usage: ``.venv/bin/python benchmarks/scale.py [--sizes 10000 100000 1000000] [--no-baseline]``.

For each size it makes a survey of that many service users answering the 76 items of the three
questionnaires (RSA 36, STAR-P 12, ES 28, six sites, 4 % of the answers missing, a few RSA
answers "not applicable"), then times, on the same data:

- scoring: :func:`helpers.stats.score_scales` of the three questionnaires (16 scales);
- alpha: :func:`helpers.stats.cronbach_alpha_table` of the three (16 scales);
- ANOVA: :func:`helpers.stats.oneway_anova` of the 16 scale scores by site;
- Tukey: :func:`helpers.stats.tukey_hsd` of the 3 totals and 3 subscales by site;
- correlations: :func:`helpers.stats.pearson_table` of the 3 pairs of totals;

and the same steps with pingouin and scipy as a baseline (pandas row means for the scoring,
``pingouin.cronbach_alpha``, ``pingouin.anova``, ``pingouin.pairwise_tukey`` with
``scipy.stats.tukey_hsd``, ``pingouin.corr``); with ``Rscript`` and the psych package installed,
also ``psych::alpha``, ``aov`` and ``TukeyHSD`` in R. Peak memory is the size of the survey table
plus the largest memory traced while the step runs (``tracemalloc``, a second run), printed beside
the size of the item matrix (rows x 76 float64). The largest differences between the helpers and
the baseline are printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from helpers.io import load_instruments
from helpers.stats import cronbach_alpha_table, oneway_anova, pearson_table, score_scales, tukey_hsd

SITES = ("Artois", "Brabant", "Cambrai", "Dinant", "Esquelbecq", "Flandres")
MISSING_SHARE = 0.04
MAX_MISSING = 0.3
CONFIDENCE = 0.95
SIZES = {"small": 0.1, "medium": 0.3, "large": 0.5}

R_SCRIPT = """
suppressMessages(library(psych))
d <- read.csv(commandArgs(TRUE)[1])
items <- d[, grepl("^(rsa|starp|es)_", names(d))]
t0 <- Sys.time()
for (p in c("^rsa_", "^starp_", "^es_")) invisible(psych::alpha(items[, grepl(p, names(items))], check.keys = FALSE))
t1 <- Sys.time()
d$score <- rowMeans(items[, grepl("^rsa_", names(items))], na.rm = TRUE)
fit <- aov(score ~ site, data = d)
invisible(summary(fit)); invisible(TukeyHSD(fit))
t2 <- Sys.time()
cat(sprintf("alpha %.2f anova+tukey %.2f\\n", as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs")))
"""


def survey(n: int, instruments: dict, seed: int = 13) -> pd.DataFrame:
    """``n`` service users with correlated answers to every item, 4 % missing, sites of unequal size."""
    rng = np.random.default_rng(seed)
    site = rng.choice(len(SITES), size=n, p=[0.22, 0.2, 0.18, 0.16, 0.13, 0.11])
    columns: dict[str, np.ndarray] = {
        "participant_id": np.char.add("P", np.arange(n).astype(str)).astype(object),
        "site": np.array(SITES, dtype=object)[site],
    }
    for inst in instruments.values():
        trait = rng.standard_normal(n) + 0.1 * site
        span = inst.max - inst.min
        for item in inst.items:
            latent = trait + rng.standard_normal(n) * 1.2
            answer = np.clip(np.round(inst.min + span / 2 + latent * span / 4), inst.min, inst.max)
            if item in inst.reversed:
                answer = inst.min + inst.max - answer
            answer[rng.random(n) < MISSING_SHARE] = np.nan
            for code in inst.missing_codes:
                answer[rng.random(n) < 0.005] = code
            columns[item] = answer
    return pd.DataFrame(columns)


def helper_steps(data: pd.DataFrame, instruments: dict) -> tuple:
    """The five steps with the project's helpers."""
    scores = pd.concat(
        [score_scales(data, i, max_missing=MAX_MISSING).add_prefix(f"{k} ") for k, i in instruments.items()], axis=1
    )
    scores["site"] = data["site"]
    totals = [f"{k} Total" for k in instruments]
    tukeyed = totals + [f"{k} {next(iter(i.scales))}" for k, i in instruments.items()]
    outcomes = [c for c in scores.columns if c != "site"]
    return (
        {
            "scoring": lambda: [score_scales(data, i, max_missing=MAX_MISSING) for i in instruments.values()],
            "alpha": lambda: [
                cronbach_alpha_table(data, i, confidence=CONFIDENCE, acceptable=0.7) for i in instruments.values()
            ],
            "ANOVA": lambda: [oneway_anova(scores, c, "site") for c in outcomes],
            "Tukey": lambda: [tukey_hsd(scores, c, "site", alpha=0.05, confidence=CONFIDENCE) for c in tukeyed],
            "correlations": lambda: pearson_table(
                scores,
                [(totals[0], totals[1]), (totals[0], totals[2]), (totals[1], totals[2])],
                confidence=CONFIDENCE,
                sizes=SIZES,
            ),
        },
        scores,
        outcomes,
        tukeyed,
    )


def baseline_steps(data: pd.DataFrame, instruments: dict, scores: pd.DataFrame, outcomes, tukeyed) -> dict:
    """The same steps with pandas, pingouin and scipy."""

    def scoring():
        out = []
        for inst in instruments.values():
            items = data[list(inst.items)].mask(data[list(inst.items)].isin(list(inst.missing_codes)))
            for members in inst.scales.values():
                sub = items[list(members)]
                out.append(sub.mean(axis=1).where(sub.isna().sum(axis=1) <= int(len(members) * MAX_MISSING)))
        return out

    def alpha():
        out = []
        for inst in instruments.values():
            items = data[list(inst.items)].mask(data[list(inst.items)].isin(list(inst.missing_codes)))
            for members in inst.scales.values():
                out.append(pg.cronbach_alpha(data=items[list(members)].dropna(), ci=CONFIDENCE))
        return out

    def anova():
        return [pg.anova(data=scores[[c, "site"]].dropna(), dv=c, between="site", detailed=True) for c in outcomes]

    def tukey():
        out = []
        for c in tukeyed:
            clean = scores[[c, "site"]].dropna()
            groups = clean.groupby("site")[c]
            out.append(pg.pairwise_tukey(data=clean, dv=c, between="site"))
            out.append(stats.tukey_hsd(*(g.to_numpy() for _, g in groups)).confidence_interval(CONFIDENCE))
        return out

    def correlations():
        totals = [f"{k} Total" for k in instruments]
        pairs = [(totals[0], totals[1]), (totals[0], totals[2]), (totals[1], totals[2])]
        return [pg.corr(*(scores[[x, y]].dropna()[c] for c in (x, y))) for x, y in pairs]

    return {"scoring": scoring, "alpha": alpha, "ANOVA": anova, "Tukey": tukey, "correlations": correlations}


def timed(step: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time is what other work on the machine cannot inflate)."""
    start, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - start, time.process_time() - cpu


def peak_bytes(step: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def differences(data, instruments, scores, outcomes, tukeyed) -> dict[str, float]:
    """Largest relative differences between the helpers and pingouin/scipy on this survey."""
    worst = {}
    alpha = pd.concat(
        [cronbach_alpha_table(data, i, confidence=CONFIDENCE, acceptable=0.7) for i in instruments.values()]
    )
    ref = []
    for inst in instruments.values():
        items = data[list(inst.items)].mask(data[list(inst.items)].isin(list(inst.missing_codes)))
        items[list(inst.reversed)] = inst.min + inst.max - items[list(inst.reversed)]
        ref += [pg.cronbach_alpha(data=items[list(m)].dropna(), ci=CONFIDENCE)[0] for m in inst.scales.values()]
    worst["alpha"] = float(np.max(np.abs(alpha["alpha"].to_numpy() - ref) / np.abs(ref)))
    rel = []
    for c in outcomes:
        ours = oneway_anova(scores, c, "site").iloc[0]
        theirs = pg.anova(data=scores[[c, "site"]].dropna(), dv=c, between="site", detailed=True)
        rel.append(abs(ours["F"] - theirs.at[0, "F"]) / theirs.at[0, "F"])
    worst["ANOVA F"] = float(max(rel))
    rel = []
    for c in tukeyed:
        ours = tukey_hsd(scores, c, "site", alpha=0.05, confidence=CONFIDENCE)
        theirs = pg.pairwise_tukey(data=scores[[c, "site"]].dropna(), dv=c, between="site")
        rel.append(np.max(np.abs(ours["se"].to_numpy() - theirs["se"].to_numpy()) / theirs["se"].to_numpy()))
    worst["Tukey se"] = float(max(rel))
    return worst


def r_times(data: pd.DataFrame) -> str:
    """psych::alpha, aov and TukeyHSD in R, or why not."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "R: skipped (Rscript is not installed)"
    check = subprocess.run([rscript, "-e", "library(psych)"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        return "R: skipped (the psych package is not installed)"
    with tempfile.TemporaryDirectory() as tmp:
        csv, script = Path(tmp) / "survey.csv", Path(tmp) / "bench.R"
        data.to_csv(csv, index=False)
        script.write_text(R_SCRIPT, encoding="utf-8")
        result = subprocess.run([rscript, str(script), str(csv)], capture_output=True, text=True, check=False)
    return f"R: {result.stdout.strip() or result.stderr.strip()[:200]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-baseline", action="store_true", help="time the helpers only")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    instruments = load_instruments()
    load = os.getloadavg()[0]
    print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.2f}")
    per_row = {}
    for n in args.sizes:
        data = survey(n, instruments)
        matrix = n * sum(len(i.items) for i in instruments.values()) * 8
        table = int(data.memory_usage(deep=True).sum())
        ours, scores, outcomes, tukeyed = helper_steps(data, instruments)
        print(f"\n{n:,} respondents: item matrix {matrix / 2**20:.0f} MiB, survey table {table / 2**20:.0f} MiB")
        print(
            f"  {'step':<13} {'helpers':>9} {'(cpu)':>8} {'peak':>10} {'x matrix':>9}   "
            f"{'baseline':>9} {'(cpu)':>8} {'peak':>10}"
        )
        base = baseline_steps(data, instruments, scores, outcomes, tukeyed) if not args.no_baseline else {}
        total = total_base = 0.0
        for name, step in ours.items():
            seconds, cpu = timed(step)
            peak = table + peak_bytes(step)
            total += seconds
            line = f"  {name:<13} {seconds:8.2f}s {cpu:7.2f}s {peak / 2**20:7.0f}MiB {peak / matrix:8.2f}x"
            if name in base:
                b_seconds, b_cpu = timed(base[name])
                b_peak = table + peak_bytes(base[name])
                total_base += b_seconds
                line += f"   {b_seconds:8.2f}s {b_cpu:7.2f}s {b_peak / 2**20:7.0f}MiB"
            print(line, flush=True)
        print(f"  {'all five':<13} {total:8.2f}s" + (f"{'':>40}{total_base:8.2f}s" if base else ""))
        print(f"  load average now {os.getloadavg()[0]:.2f}")
        per_row[n] = total / n
        if base:
            print(
                "  largest relative difference to pingouin: "
                + ", ".join(
                    f"{k} {v:.1e}" for k, v in differences(data, instruments, scores, outcomes, tukeyed).items()
                )
            )
            print("  " + r_times(data))
    sizes = sorted(per_row)
    if len(sizes) > 1:
        print(
            "\ngrowth (seconds per respondent relative to the smallest size): "
            + ", ".join(f"{n:,}: {per_row[n] / per_row[sizes[0]]:.2f}" for n in sizes)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
