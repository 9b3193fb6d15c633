"""The missing-answer plan meets the published complete-case and analysed counts exactly."""

import numpy as np
import pytest

from helpers.stats import max_missing_items
from helpers.synthetic import build_targets, targets_for
from helpers.synthetic.missing import plan_missing, total_scored_plan


@pytest.fixture(scope="module")
def plan(published, instruments):
    targets = build_targets(published, instruments, alpha=0.05)["service_users"]
    returns = published.site_returns("service_users")
    sites = np.array([s for s in returns.index for _ in range(int(returns[s]))])
    insts = [i for i in instruments.values() if "service_users" in i.groups]
    rng = np.random.default_rng(4)
    scored = total_scored_plan(sites, insts, targets, rng)
    masks = {i.id: plan_missing(sites, i, targets, scored[i.id], rng, 0.5) for i in insts}
    return targets, sites, insts, scored, masks


def test_totals_are_scored_at_the_planned_site_counts_and_pairwise_ns(plan):
    targets, sites, insts, scored, _ = plan
    for inst in insts:
        site_n = targets_for(targets, inst.id, inst.total).site_n
        got = {s: int(scored[inst.id][sites == s].sum()) for s in site_n}
        assert got == site_n
    for a, b, n, _ in targets.correlations:
        assert int((scored[a] & scored[b]).sum()) == n


def test_every_scale_has_the_published_complete_and_scored_counts(plan):
    targets, sites, insts, scored, masks = plan
    for inst in insts:
        mask = masks[inst.id]
        assert mask.shape == (len(sites), len(inst.items))
        for scale, members in inst.scales.items():
            t = targets_for(targets, inst.id, scale)
            missing = mask[:, [inst.items.index(m) for m in members]].sum(axis=1)
            assert int((missing == 0).sum()) == t.n_complete, (inst.id, scale)
            ok = missing <= max_missing_items(len(members), 0.5)
            assert {s: int(ok[sites == s].sum()) for s in t.site_n} == t.site_n, (inst.id, scale)
            if scale == inst.total:
                assert np.array_equal(ok, scored[inst.id])
