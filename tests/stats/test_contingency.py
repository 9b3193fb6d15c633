"""The exact r x c test against scipy and an independent 2 x k enumeration."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from helpers.stats import fisher_exact_rxc


def _freeman_halton_2xk(coded, totals):
    """Exact p of a 2 x k table: every split of the coded total over the sites, by meshgrid."""
    pairs = [(int(c), int(n)) for c, n in zip(coded, totals) if int(n) > 0]
    if len(pairs) < 2:
        return 1.0
    k, big_n = sum(c for c, _ in pairs), sum(n for _, n in pairs)
    if k in (0, big_n):
        return 1.0
    sizes = [n for _, n in pairs]
    logc = [
        np.array([math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) for x in range(n + 1)])
        for n in sizes
    ]
    log_total = math.lgamma(big_n + 1) - math.lgamma(k + 1) - math.lgamma(big_n - k + 1)
    observed = sum(logc[i][c] for i, (c, _) in enumerate(pairs))
    grids = np.meshgrid(*[np.arange(n + 1) for n in sizes], indexing="ij", sparse=True)
    total = sum(grids)
    logp = sum(lc[g] for lc, g in zip(logc, grids))
    valid = total == k
    logp = np.broadcast_to(logp, valid.shape)[valid]
    return float(min(1.0, np.exp(logp[logp <= observed + 1e-7] - log_total).sum()))


def _p(table, **kwargs):
    return float(fisher_exact_rxc(table, **kwargs).at[0, "p"])


def test_fishers_tea_tasting():
    # Fisher (1935): 3 of 4 cups right each way; two-sided p = 34 / 70 (R's fisher.test: 0.4857).
    res = fisher_exact_rxc([[3, 1], [1, 3]]).iloc[0]
    assert res["p"] == pytest.approx(34 / 70, abs=1e-12)
    assert res["n_tables"] == 5 and res["p_table"] == pytest.approx(16 / 70, abs=1e-14)


def test_two_by_two_tables_equal_scipy_fisher_exact():
    rng = np.random.default_rng(1)
    for _ in range(300):
        table = rng.integers(0, 15, size=(2, 2))
        assert _p(table) == pytest.approx(stats.fisher_exact(table).pvalue, abs=1e-10)


def test_two_by_k_tables_equal_an_independent_enumeration():
    rng = np.random.default_rng(7)
    for trial in range(400):
        k = int(rng.integers(2, 7))
        totals = rng.integers(0, 10, k)
        if trial % 5 == 0:
            totals[0] = 0  # a site without accounts is dropped
        coded = rng.binomial(totals, rng.random())
        assert _p([coded, totals - coded]) == pytest.approx(_freeman_halton_2xk(coded, totals), abs=1e-11)


def test_small_r_by_c_tables_equal_scipy_exact_permutation_of_observations():
    # With n observations, scipy's PermutationMethod is exact when n! <= n_resamples.
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 30:
        shape = (int(rng.integers(2, 4)), int(rng.integers(2, 5)))
        table = rng.multinomial(6, np.full(shape[0] * shape[1], 1 / (shape[0] * shape[1]))).reshape(shape)
        if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
            continue
        ref = stats.fisher_exact(table, method=stats.PermutationMethod(n_resamples=math.factorial(6)))
        res = fisher_exact_rxc(table).iloc[0]
        assert res["p"] == pytest.approx(ref.pvalue, abs=1e-10)
        assert res["p_table"] == pytest.approx(ref.statistic, rel=1e-10)
        checked += 1


def test_larger_tables_agree_with_scipy_monte_carlo():
    table = np.array([[8, 2, 3, 5], [1, 5, 4, 6], [3, 3, 1, 7]])
    res = fisher_exact_rxc(table).iloc[0]
    mc = stats.fisher_exact(table, method=stats.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(3)))
    assert abs(res["p"] - mc.pvalue) < 4 * math.sqrt(res["p"] * (1 - res["p"]) / 20_000) + 1e-3
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    assert res["p_table"] == pytest.approx(stats.random_table(rows, cols).pmf(table), rel=1e-10)


def test_number_of_tables_by_brute_force():
    table = np.array([[2, 1, 0], [1, 1, 2], [0, 2, 1]])
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    count = 0
    for first in itertools.product(*(range(c + 1) for c in cols)):
        for second in itertools.product(*(range(c + 1) for c in cols)):
            third = cols - np.array(first) - np.array(second)
            if (third >= 0).all() and sum(first) == rows[0] and sum(second) == rows[1]:
                count += 1
    assert fisher_exact_rxc(table).at[0, "n_tables"] == count


def test_the_p_value_ignores_order_orientation_and_empty_margins():
    table = np.array([[5, 0, 2, 1], [1, 4, 2, 3], [0, 1, 3, 2]])
    p = _p(table)
    assert _p(table.T) == pytest.approx(p, abs=1e-12)
    assert _p(table[::-1, [2, 0, 3, 1]]) == pytest.approx(p, abs=1e-12)
    padded = np.insert(np.insert(table, 1, 0, axis=1), 0, 0, axis=0)
    res = fisher_exact_rxc(padded).iloc[0]
    assert (res["n_rows"], res["n_cols"]) == (3, 4) and res["p"] == pytest.approx(p, abs=1e-12)


def test_single_table_cases_give_one():
    assert _p([[3, 0, 2], [0, 0, 0]]) == 1.0  # nobody in the second row
    assert _p([[1, 1, 1], [2, 2, 2]]) == 1.0
    res = fisher_exact_rxc([[4, 0], [2, 0]]).iloc[0]  # a single column with data
    assert (res["n_cols"], res["n_tables"], res["p"]) == (1, 1, 1.0)


def test_too_many_tables_give_nan_and_bad_input_is_rejected():
    res = fisher_exact_rxc([[10, 12, 30, 25], [30, 28, 5, 20]], max_tables=1_000).iloc[0]
    assert np.isnan(res["p"]) and np.isnan(res["n_tables"])
    with pytest.raises(ValueError, match="two-dimensional"):
        fisher_exact_rxc([1, 2, 3])
    with pytest.raises(ValueError, match="non-negative whole"):
        fisher_exact_rxc([[1, -1], [2, 2]])
    with pytest.raises(ValueError, match="non-negative whole"):
        fisher_exact_rxc([[1.5, 1], [2, 2]])
