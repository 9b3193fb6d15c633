"""The statcheck-style audit of the article's own statistics."""

import itertools

import numpy as np
import pytest
from scipy import stats

from helpers.audit import (
    audit_f_from_means,
    audit_sems,
    classify_p,
    f_from_summary,
    f_interval,
    max_possible_sd,
    p_interval_from_f,
    p_interval_from_r,
    statcheck,
)


def _groups(seed=3, sizes=(20, 25, 30), shifts=(0.0, 0.4, 0.9)):
    rng = np.random.default_rng(seed)
    return [rng.normal(3 + s, 1.0, n) for n, s in zip(sizes, shifts)]


def test_f_from_summary_equals_scipy_on_raw_data():
    groups = _groups()
    means = [g.mean() for g in groups]
    sems = [g.std(ddof=1) / np.sqrt(len(g)) for g in groups]
    assert f_from_summary(means, sems, [len(g) for g in groups]) == pytest.approx(stats.f_oneway(*groups).statistic)


def test_f_interval_brackets_every_f_from_rounded_summaries():
    groups = _groups()
    ns = [len(g) for g in groups]
    means = np.round([g.mean() for g in groups], 2)
    sems = np.round([g.std(ddof=1) / np.sqrt(len(g)) for g in groups], 2)
    lo, hi = f_interval(means, sems, ns)
    assert lo <= stats.f_oneway(*groups).statistic <= hi
    # Random points of the rounding box never leave the interval, and the ends are attained.
    rng = np.random.default_rng(0)
    for _ in range(500):
        f = f_from_summary(means + rng.uniform(-0.005, 0.005, 3), sems + rng.uniform(-0.005, 0.005, 3), ns)
        assert lo - 1e-9 <= f <= hi + 1e-9
    assert f_from_summary(means, sems, ns) < hi
    # The largest F lies at a corner of the box of means, with every SEM at its smallest.
    corners = [f_from_summary(v, sems - 0.005, ns) for v in itertools.product(*[(m - 0.005, m + 0.005) for m in means])]
    assert hi == pytest.approx(max(corners))


def test_max_possible_sd_is_attained_by_values_at_both_bounds():
    x = np.array([1.0] * 5 + [5.0] * 5)
    assert max_possible_sd(1, 5, 10) == pytest.approx(x.std(ddof=1))


def test_p_intervals_follow_the_distribution_functions():
    lo, hi = p_interval_from_f(3.445, 3.455, 5, 429)
    assert lo == pytest.approx(stats.f.sf(3.455, 5, 429)) and hi == pytest.approx(stats.f.sf(3.445, 5, 429))
    r, n = 0.138, 431
    p_lo, p_hi = p_interval_from_r(r - 0.0005, r + 0.0005, n)
    t = r * np.sqrt((n - 2) / (1 - r**2))
    assert p_lo <= 2 * stats.t.sf(t, n - 2) <= p_hi
    # The p of a Pearson r equals scipy's on data with that r.
    x = np.random.default_rng(1).normal(size=n)
    y = 0.14 * x + np.random.default_rng(2).normal(size=n)
    res = stats.pearsonr(x, y)
    p_lo, p_hi = p_interval_from_r(res.statistic, res.statistic, n)
    assert p_lo == pytest.approx(res.pvalue) and p_hi == pytest.approx(res.pvalue)


@pytest.mark.parametrize(
    "printed, decimals, computed, expected",
    [
        (0.005, 3, (0.0045, 0.0046), "consistent"),
        (0.000, 3, (1e-40, 1e-39), "consistent"),  # "0.000" means p < 0.0005
        (0.04, 2, (0.061, 0.065), "decision inconsistency"),  # printed significant, is not
        (0.20, 2, (0.031, 0.035), "decision inconsistency"),  # printed not significant, is
        (0.30, 2, (0.21, 0.22), "inconsistent"),
    ],
)
def test_classify_p(printed, decimals, computed, expected):
    assert classify_p(printed, decimals, computed, alpha=0.05) == expected


def test_classify_p_decides_at_the_given_alpha():
    # Printed 0.04 where the statistic gives 0.061-0.065: a decision inconsistency at 0.05,
    # a plain one at 0.10 (both sides significant) and at 0.01 (neither side significant).
    assert classify_p(0.04, 2, (0.061, 0.065), alpha=0.05) == "decision inconsistency"
    assert classify_p(0.04, 2, (0.061, 0.065), alpha=0.10) == "inconsistent"
    assert classify_p(0.04, 2, (0.061, 0.065), alpha=0.01) == "inconsistent"


def test_every_printed_p_of_the_article_is_consistent(published):
    checks = statcheck(published, alpha=0.05)
    assert len(checks) == len(published.anova) + len(published.correlations)
    assert (checks["status"] == "consistent").all()
    first = published.anova.iloc[0]
    row = checks.iloc[0]
    assert row["p_max"] == pytest.approx(stats.f.sf(first["F"] - 0.005, first["df_between"], first["df_within"]))


def test_impossible_sems_are_found_by_rule(published, instruments):
    sems = audit_sems(published, instruments)
    flagged = sems[~sems["possible"]]
    assert flagged[["subscale", "site"]].values.tolist() == [
        ["Life Goals", "Champagne"],
        ["Individually Tailored Services", "Artois"],
    ]
    assert flagged["sem_target"].round(3).tolist() == [0.097, 0.1]
    assert (flagged["implied_sd"] > flagged["max_sd"]).all()
    assert (flagged["implied_sd"] == flagged["sem_printed"] * np.sqrt(flagged["n"])).all()


def test_only_the_its_row_has_an_f_that_cannot_follow_from_its_means(published, instruments):
    audit = audit_f_from_means(published, instruments)
    bad = audit[~audit["consistent"]]
    assert bad[["group", "subscale"]].values.tolist() == [["service_users", "Individually Tailored Services"]]
    assert bad["F_min"].iloc[0] > 1.725  # the printed 1.72 lies below the attainable range
    assert ((audit["F_min"] <= audit["F_recomputed"]) & (audit["F_recomputed"] <= audit["F_max"])).all()
