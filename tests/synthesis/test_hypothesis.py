"""The hypothesis across sites (helpers.synthesis.hypothesis)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.synthesis import hypothesis_tests


def joint_of(collaboration, **means) -> pd.DataFrame:
    return pd.DataFrame({"collaboration": collaboration, **{f"{m}_mean": v for m, v in means.items()}})


def test_perfect_concordance_of_six_sites():
    joint = joint_of(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], **{"STAR-P": [30, 31, 32, 33, 34, 35.0], "RSA": [3.3, 3.1, 3.2, 3.0, 3.4, 3.1]}
    )
    tests = hypothesis_tests(joint, ("STAR-P", "RSA", "ES"), alpha=0.05, max_exact=9).set_index("measure")
    assert list(tests.index) == ["STAR-P", "RSA"]  # no ES column
    star = tests.loc["STAR-P"]
    assert star["supported"] and star["rho"] == 1.0 and star["n_orderings"] == 720
    assert star["p_one_sided"] == pytest.approx(1 / 720) and star["min_p"] == pytest.approx(1 / 720)
    assert star["p_two_sided"] == pytest.approx(2 / 720)
    assert not tests.loc["RSA", "supported"]


def test_exact_critical_rho_for_six_sites():
    """Without ties, the exact one-sided 5 % critical value of Spearman's rho for n = 6 is 0.829."""
    joint = joint_of(list(range(6)), M=[3, 1, 4, 0, 5, 2])
    row = hypothesis_tests(joint, ("M",), alpha=0.05, max_exact=9).iloc[0]
    assert round(row["critical_rho"], 3) == 0.829
    # At alpha = 0.01: rho = 1 (one ordering) and 0.943 (five) make up 6/720 = 0.008 of the orderings.
    assert round(hypothesis_tests(joint, ("M",), alpha=0.01, max_exact=9).iloc[0]["critical_rho"], 3) == 0.943


def test_ties_match_brute_force():
    x = [0.2, 0.2, -0.1, 0.5, 0.0, 0.5]
    y = [33.5, 36.1, 32.3, 38.5, 34.1, 34.5]
    row = hypothesis_tests(joint_of(x, M=y), ("M",), alpha=0.05, max_exact=9).iloc[0]
    rho_obs = stats.spearmanr(x, y).statistic
    rhos = np.array([stats.spearmanr(x, perm).statistic for perm in itertools.permutations(y)])
    assert row["rho"] == pytest.approx(rho_obs)
    assert row["p_one_sided"] == pytest.approx(np.mean(rhos >= rho_obs - 1e-9))
    assert row["p_two_sided"] == pytest.approx(np.mean(np.abs(rhos) >= abs(rho_obs) - 1e-9))
    assert row["supported"] == (rho_obs > 0 and row["p_one_sided"] < 0.05)


def test_untestable_and_many_sites():
    row = hypothesis_tests(joint_of([0.1, np.nan, 0.3], M=[1.0, 2.0, np.nan]), ("M",), alpha=0.05, max_exact=9).iloc[0]
    assert row["n_sites"] == 1 and np.isnan(row["rho"]) and not row["supported"]
    constant = hypothesis_tests(joint_of([0.2] * 4, M=[1, 2, 3, 4]), ("M",), alpha=0.05, max_exact=9).iloc[0]
    assert np.isnan(constant["rho"]) and constant["n_sites"] == 4
    many = hypothesis_tests(joint_of(list(range(5)), M=list(range(5))), ("M",), alpha=0.05, max_exact=4).iloc[0]
    assert many["n_orderings"] == 100_000 and many["rho"] == pytest.approx(1.0)
    assert many["p_one_sided"] == pytest.approx(1 / 120, abs=0.002)  # sampled, near the exact 1/5!
