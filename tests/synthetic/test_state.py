"""The running statistics of the search equal the statistics recomputed from scratch."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.synthetic.state import OUTSIDE, ResponseState
from helpers.synthetic.targets import DECISION_MARGIN, ScaleTarget, Targets

SITES = ["North", "South", "West"]
WIDE = (-1e9, 1e9)


def _problem(seed: int = 5, n: int = 45, south_mean: tuple[float, float] = WIDE):
    """Two instruments: A (items 0-3, mean scoring, subscale on items 0-1) and B (items 4-6, sum scoring)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(n, 7)).astype(float)
    mask = rng.random((n, 7)) < 0.12
    mask[:5] = False  # a few complete cases at least
    sites = [k % len(SITES) for k in range(n)]
    defs = []
    for measure, subscale, items, mult in (
        ("A", "Total", [0, 1, 2, 3], 1),
        ("A", "Sub", [0, 1], 1),
        ("B", "Total", [4, 5, 6], 3),
    ):
        gaps = mask[:, items].sum(axis=1)
        scored = gaps <= len(items) // 2
        defs.append(
            {
                "measure": measure,
                "subscale": subscale,
                "items": items,
                "is_total": subscale == "Total",
                "mult": mult,
                "bounds": (1, 5),
                "scored_mask": scored,
                # who is scored at each stricter threshold of a sensitivity analysis
                "levels": [gaps <= allowed for allowed in range(len(items) // 2)],
            }
        )
    scales = [
        ScaleTarget(
            d["measure"],
            d["subscale"],
            {s: 0 for s in SITES},
            0,
            {s: WIDE for s in SITES},
            {s: WIDE for s in SITES},
            WIDE,
            WIDE,
            WIDE,
            WIDE,
        )
        for d in defs
    ]
    scales[0].mean["South"] = south_mean
    pair_n = int((defs[0]["scored_mask"] & defs[2]["scored_mask"]).sum())
    targets = Targets("service_users", scales, [("A", "B", pair_n, WIDE)])
    state = ResponseState(values, mask, sites, SITES, defs, targets, [(1, 5)] * 7, random.Random(seed), 0.05)
    return state, defs


def _scores(state, d):
    x = np.array([[np.nan if v is None else v for v in row] for row in state.x], dtype=float)
    block = x[:, d["items"]]
    score = np.nanmean(block, axis=1) * d["mult"]
    return np.where(d["scored_mask"], score, np.nan), block


def _check(state, defs):
    sites = np.array(state.sites)
    for s, d in enumerate(defs):
        score, block = _scores(state, d)
        groups = [score[(sites == g) & ~np.isnan(score)] for g in range(len(SITES))]
        for g, values in enumerate(groups):
            assert state.site_mean(s, g) == pytest.approx(values.mean())
            assert state.site_sem(s, g) == pytest.approx(stats.sem(values))
        assert state.f_value(s) == pytest.approx(stats.f_oneway(*groups).statistic)
        assert len(state.lv[s]) == len(d["levels"]) > 0
        for li, member in enumerate(d["levels"]):
            kept = [score[(sites == g) & member & ~np.isnan(score)] for g in range(len(SITES))]
            assert state.level_f(s, li) == pytest.approx(stats.f_oneway(*kept).statistic)
        complete = block[~np.isnan(block).any(axis=1)]
        assert state.alpha(s) == pytest.approx(pg.cronbach_alpha(data=pd.DataFrame(complete))[0])
        pooled = score[~np.isnan(score)]
        skew, kurt = state.moments(s)
        assert skew == pytest.approx(stats.skew(pooled, bias=False))
        assert kurt == pytest.approx(stats.kurtosis(pooled, bias=False))
    a, _ = _scores(state, defs[0])
    b, _ = _scores(state, defs[2])
    both = ~np.isnan(a) & ~np.isnan(b)
    assert state.r_value(state.corr[0]) == pytest.approx(stats.pearsonr(a[both], b[both]).statistic)


def test_statistics_match_scipy_and_pingouin_at_the_start():
    state, defs = _problem()
    _check(state, defs)
    assert [u for u in state.unmet() if "sensitivity" not in u] == []
    # a stricter threshold's decision term is unmet exactly when its F is significant at
    # alpha x DECISION_MARGIN, since no target here is significant
    for s, levels in enumerate(state.lv):
        for li, lv in enumerate(levels):
            critical = stats.f.isf(0.05 * DECISION_MARGIN, len(SITES) - 1, sum(lv["n"]) - len(SITES))
            assert (state.terms[("level", s, li)] >= OUTSIDE) == (state.level_f(s, li) > critical)
    assert state.loss == pytest.approx(sum(state.terms.values()))


def test_statistics_stay_exact_after_many_moves():
    state, defs = _problem()
    rng = random.Random(1)
    accepted = 0
    for _ in range(3000):
        p, q = rng.randrange(state.N), rng.randrange(state.N)
        j, k = rng.randrange(7), rng.randrange(7)
        accepted += state.try_moves([(p, j, rng.choice((-1, 1))), (q, k, rng.choice((-1, 1)))], temperature=1e9)
    assert accepted > 1000
    _check(state, defs)
    assert state.loss == pytest.approx(sum(state.terms.values()))
    x = np.array([[np.nan if v is None else v for v in row] for row in state.x], dtype=float)
    assert np.nanmin(x) >= 1 and np.nanmax(x) <= 5  # moves outside the response scale are refused


def test_an_unmet_target_is_named_and_costs_at_least_one():
    state, _ = _problem()
    mean = state.site_mean(0, 1)
    state, _ = _problem(south_mean=(mean + 0.5, mean + 0.6))
    assert state.terms[("mean", 0, 1)] >= OUTSIDE
    assert sum(v >= OUTSIDE for k, v in state.terms.items() if k[0] != "level") == 1
    assert [u for u in state.unmet() if "sensitivity" not in u] == ["A Total: mean at South"]
