"""Correlations, Cohen's labels and the exact permutation test of Spearman's rho."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.stats import cohen_label, pearson_table, spearman_permutation
from helpers.stats.correlation import MONTE_CARLO_ORDERINGS

SIZES = {"small": 0.1, "medium": 0.3, "large": 0.5}


# --- Pearson table -------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_pearson_table_matches_scipy_on_pairwise_complete_cases(people, confidence):
    res = pearson_table(people, [("score", "other"), ("score", "age")], confidence=confidence, sizes=SIZES)
    assert list(res.columns) == ["x", "y", "n", "r", "ci_low", "ci_high", "p", "strength"]
    for row in res.itertuples():
        clean = people[[row.x, row.y]].dropna()
        ref = stats.pearsonr(clean[row.x], clean[row.y])
        ci = ref.confidence_interval(confidence)
        assert row.n == len(clean)
        assert row.r == pytest.approx(ref.statistic, abs=1e-12)
        assert row.p == pytest.approx(ref.pvalue, rel=1e-6)
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-9)
        assert row.strength == cohen_label(row.r, sizes=SIZES)
    assert res.iloc[0]["strength"] in {"medium", "large"}


def test_fisher_z_interval_by_hand():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5, None], "b": [2, 1, 4, 3, 5, 6]})
    row = pearson_table(df, [("a", "b")], confidence=0.95, sizes=SIZES).iloc[0]
    half = stats.norm.ppf(0.975) / math.sqrt(5 - 3)
    assert row["r"] == pytest.approx(0.8, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (math.tanh(math.atanh(0.8) - half), math.tanh(math.atanh(0.8) + half)), abs=1e-10
    )


def test_spearman_option_matches_scipy(people):
    row = pearson_table(people, [("score", "other")], confidence=0.95, sizes=SIZES, method="spearman").iloc[0]
    clean = people[["score", "other"]].dropna()
    assert row["r"] == pytest.approx(stats.spearmanr(clean["score"], clean["other"]).statistic, abs=1e-12)


def test_too_few_pairs_give_nan_and_an_undefined_label():
    df = pd.DataFrame({"a": [1.0, 2.0, None], "b": [2.0, 1.0, 3.0]})
    row = pearson_table(df, ("a", "b"), confidence=0.95, sizes=SIZES).iloc[0]
    assert row["n"] == 2 and np.isnan(row["r"]) and row["strength"] == "undefined"


# --- Cohen's labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "r, label",
    [
        (0.0, "negligible"),
        (0.0999, "negligible"),
        (-0.0999, "negligible"),
        (0.10, "small"),
        (-0.10, "small"),
        (0.2999, "small"),
        (0.30, "medium"),
        (0.4999, "medium"),
        (0.50, "large"),
        (-0.6, "large"),
        (1.0, "large"),
    ],
)
def test_cohen_label_boundaries(r, label):
    assert cohen_label(r, sizes=SIZES) == label


def test_cohen_label_follows_the_sizes_passed_in():
    sizes = {"small": 0.2, "medium": 0.4, "large": 0.7}
    assert [cohen_label(r, sizes=sizes) for r in (0.15, 0.2, 0.5, 0.69, 0.7)] == [
        "negligible",
        "small",
        "medium",
        "medium",
        "large",
    ]
    with pytest.raises(ValueError, match="increasing"):
        cohen_label(0.3, sizes={"small": 0.5, "medium": 0.3, "large": 0.6})


def test_cohen_label_of_nan_and_none():
    assert cohen_label(float("nan"), sizes=SIZES) == "undefined"
    assert cohen_label(None, sizes=SIZES) == "undefined"


# --- Exact permutation test of Spearman's rho ---------------------------------------------


def _enumerated(x, y, alpha):
    """Every ordering of the mid-ranks of y against the ranks of x, with itertools (float rho)."""
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    xc = rx - rx.mean()
    perms = np.array(list(itertools.permutations(ry)))
    yc = perms - perms.mean(axis=1, keepdims=True)
    rhos = (yc @ xc) / (np.sqrt((yc**2).sum(axis=1)) * np.sqrt((xc**2).sum()))
    rho = float(np.corrcoef(rx, ry)[0, 1])
    eps = 1e-9
    values = np.unique(np.round(rhos, 9))[::-1]
    critical = float("nan")
    for v in values:
        if np.mean(rhos >= v - eps) < alpha:
            critical = float(v)
        else:
            break
    return {
        "rho": rho,
        "p_greater": float(np.mean(rhos >= rho - eps)),
        "p_less": float(np.mean(rhos <= rho + eps)),
        "p_two_sided": float(np.mean(np.abs(rhos) >= abs(rho) - eps)),
        "n_orderings": len(perms),
        "critical_rho": critical,
        "min_p": float(np.mean(rhos >= values[0] - eps)),
    }


def _random_pair(rng, trial):
    n = int(rng.integers(3, 8))
    if trial % 3 == 0:  # heavy ties in both
        return rng.integers(0, 3, n).astype(float), rng.integers(0, 4, n).astype(float)
    if trial % 3 == 1:  # ties in one
        return rng.normal(size=n), np.round(rng.normal(size=n))
    x = rng.normal(size=n)
    return x, x + rng.normal(size=n)


def test_permutation_test_equals_full_enumeration_with_and_without_ties():
    rng = np.random.default_rng(2016)
    checked = 0
    for trial in range(150):
        x, y = _random_pair(rng, trial)
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            continue
        alpha = (0.05, 0.01, 0.1)[trial % 3]
        got = spearman_permutation(x, y, alpha=alpha, max_exact=9).iloc[0]
        want = _enumerated(x, y, alpha)
        for key in ("rho", "p_greater", "p_less", "p_two_sided", "min_p"):
            assert got[key] == pytest.approx(want[key], abs=1e-12), key
        assert got["n_orderings"] == want["n_orderings"] == math.factorial(len(x))
        # The enumeration rounds rho to 9 decimals before taking the critical value.
        assert got["critical_rho"] == pytest.approx(want["critical_rho"], abs=1e-9, nan_ok=True)
        checked += 1
    assert checked > 120


def test_spearman_permutation_textbook_cases():
    r = spearman_permutation([1, 2, 3, 4], [5, 6, 7, 8], alpha=0.05, max_exact=9).iloc[0]
    assert r["rho"] == 1.0 and r["n_orderings"] == 24
    assert r["p_greater"] == pytest.approx(1 / 24) and r["p_two_sided"] == pytest.approx(2 / 24)
    assert r["min_p"] == pytest.approx(1 / 24) and r["p_less"] == 1.0
    # One adjacent swap of four: rho = 1 - 6 * 2 / (4 * 15) = 0.8; 4 of 24 orderings reach it.
    r = spearman_permutation([1, 2, 3, 4], [1, 2, 4, 3], alpha=0.05, max_exact=9).iloc[0]
    assert r["rho"] == pytest.approx(0.8) and r["p_greater"] == pytest.approx(4 / 24)
    r = spearman_permutation([1, 2, 3, 4], [8, 7, 6, 5], alpha=0.05, max_exact=9).iloc[0]
    assert r["rho"] == -1.0 and r["p_less"] == pytest.approx(1 / 24) and r["p_greater"] == 1.0


@pytest.mark.parametrize(
    "n, alpha, zar",
    [(5, 0.05, 0.900), (6, 0.05, 0.829), (7, 0.05, 0.714), (8, 0.05, 0.643), (6, 0.025, 0.886), (8, 0.01, 0.833)],
)
def test_critical_rho_matches_zars_table(n, alpha, zar):
    # Zar (1972, JASA 67:578), one-tailed critical values of Spearman's rho without ties.
    r = spearman_permutation(range(n), range(n), alpha=alpha, max_exact=9).iloc[0]
    assert round(r["critical_rho"], 3) == zar


@pytest.mark.slow
def test_nine_pairs_are_enumerated_against_zars_table():
    r = spearman_permutation(range(9), [0, 2, 1, 3, 5, 4, 6, 8, 7], alpha=0.05, max_exact=9).iloc[0]
    assert r["n_orderings"] == 362_880
    assert round(r["critical_rho"], 3) == 0.600
    # rho = 1 - 6 * 6 / (9 * 80) = 0.95
    assert r["rho"] == pytest.approx(0.95)


def test_undefined_cases_and_the_size_limit():
    r = spearman_permutation([1, 1, 1], [1, 2, 3], alpha=0.05, max_exact=9)
    assert list(r.columns) == [
        "n",
        "n_orderings",
        "rho",
        "p_greater",
        "p_less",
        "p_two_sided",
        "critical_rho",
        "min_p",
    ]
    assert r.at[0, "n"] == 3 and r.at[0, "n_orderings"] == 6 and np.isnan(r.at[0, "rho"])
    r = spearman_permutation([1, np.nan], [1, 2], alpha=0.05, max_exact=9)
    assert r.at[0, "n"] == 1 and np.isnan(r.at[0, "p_greater"])
    pairs = spearman_permutation([1, 2, np.nan, 4, 5], [2, 1, 3, np.nan, 5], alpha=0.05, max_exact=9)
    assert pairs.at[0, "n"] == 3 and pairs.at[0, "n_orderings"] == 6


def test_beyond_max_exact_the_orderings_are_sampled_repeatably():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=12), rng.normal(size=12)
    first = spearman_permutation(x, y, alpha=0.05, max_exact=9)
    assert first.at[0, "n_orderings"] == MONTE_CARLO_ORDERINGS
    pd.testing.assert_frame_equal(first, spearman_permutation(x, y, alpha=0.05, max_exact=9))
    # a Monte Carlo estimate of the exact p value: scipy's large-sample test agrees closely
    exact_enough = stats.spearmanr(x, y).pvalue
    assert first.at[0, "p_two_sided"] == pytest.approx(exact_enough, abs=0.02)
    # with 8 pairs the sample and the full enumeration agree to sampling error
    sampled = spearman_permutation(x[:8], y[:8], alpha=0.05, max_exact=7).iloc[0]
    exact = spearman_permutation(x[:8], y[:8], alpha=0.05, max_exact=8).iloc[0]
    assert exact["n_orderings"] == 40_320 and sampled["n_orderings"] == MONTE_CARLO_ORDERINGS
    assert sampled["p_two_sided"] == pytest.approx(exact["p_two_sided"], abs=0.005)


def test_rho_equals_scipy_spearmanr_with_ties():
    x, y = [1, 2, 2, 3, 5, 5], [2, 1, 1, 4, 4, 6]
    r = spearman_permutation(x, y, alpha=0.05, max_exact=9).iloc[0]
    assert r["rho"] == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-14)
