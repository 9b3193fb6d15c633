"""The annealed search meets targets that the starting data miss."""

from __future__ import annotations

import random

import numpy as np

from helpers.synthetic.search import AnnealedSearch
from helpers.synthetic.targets import ScaleTarget, Targets

SITES = ["North", "South"]
WIDE = (-1e9, 1e9)


def test_the_search_moves_a_site_mean_and_its_sem_into_their_targets():
    rng = np.random.default_rng(11)
    n = 60
    values = rng.integers(2, 5, size=(n, 4)).astype(float)
    mask = np.zeros((n, 4), dtype=bool)
    sites = [k % 2 for k in range(n)]
    defs = [
        {
            "measure": "A",
            "subscale": "Total",
            "items": [0, 1, 2, 3],
            "is_total": True,
            "mult": 1,
            "bounds": (1, 5),
            "scored_mask": np.ones(n, dtype=bool),
        }
    ]
    north = values[::2].mean()
    target = ScaleTarget(
        "A",
        "Total",
        {"North": 30, "South": 30},
        n,
        {"North": (north + 0.20, north + 0.22), "South": WIDE},
        {"North": WIDE, "South": WIDE},
        None,
        WIDE,
        WIDE,
        WIDE,
    )
    search = AnnealedSearch(
        values, mask, sites, SITES, defs, Targets("g", [target], []), [(1, 5)] * 4, random.Random(3), 0.05
    )
    assert search.unmet() == ["A Total: mean at North"]
    left = search.run(max_steps=200_000)
    assert left == 0 and search.unmet() == []
    x = np.array(search.x, dtype=float)
    assert north + 0.20 <= x[::2].mean() <= north + 0.22
