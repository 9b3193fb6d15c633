"""Skewness and kurtosis: the adjusted Fisher-Pearson estimators and the limits passed in."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.stats import normality_table, shape_statistics


def test_skew_and_kurtosis_match_the_textbook_adjusted_estimators():
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    n = x.size
    d = x - x.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    big_g1 = np.sqrt(n * (n - 1)) / (n - 2) * g1
    big_g2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)
    frame = pd.DataFrame({"measure": "X", "subscale": "T", "score": x})
    out = normality_table(frame, limits=(1, 2)).iloc[0]
    assert out["skewness"] == pytest.approx(big_g1, abs=1e-12)
    assert out["kurtosis"] == pytest.approx(big_g2, abs=1e-12)
    assert out["n"] == 5 and out["beyond_1"] and out["beyond_2"]


def test_normality_table_per_outcome_matches_scipy_and_drops_missing():
    rng = np.random.default_rng(11)
    a = rng.normal(size=60)
    b = rng.exponential(size=50)
    scores = pd.DataFrame(
        {
            "measure": ["A"] * 61 + ["B"] * 50,
            "subscale": "Total",
            "score": np.concatenate([a, [np.nan], b]),
        }
    )
    table = normality_table(scores, limits=(1, 2)).set_index("measure")
    assert table.at["A", "n"] == 60
    for name, x in (("A", a), ("B", b)):
        assert table.at[name, "skewness"] == pytest.approx(stats.skew(x, bias=False), abs=1e-12)
        assert table.at[name, "kurtosis"] == pytest.approx(stats.kurtosis(x, fisher=True, bias=False), abs=1e-12)
        worst = max(abs(table.at[name, "skewness"]), abs(table.at[name, "kurtosis"]))
        assert table.at[name, "beyond_1"] == (worst > 1)
        assert table.at[name, "beyond_2"] == (worst > 2)


def test_the_flags_follow_the_limits_passed_in():
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])  # skewness 1.697, kurtosis 3.152
    frame = pd.DataFrame({"score": x})
    assert normality_table(frame, by=None, limits=(1, 2))[["beyond_1", "beyond_2"]].iloc[0].tolist() == [True, True]
    assert normality_table(frame, by=None, limits=(2, 3.5))[["beyond_1", "beyond_2"]].iloc[0].tolist() == [
        True,
        False,
    ]
    assert not normality_table(frame, by=None, limits=(4, 5))[["beyond_1", "beyond_2"]].iloc[0].any()
    with pytest.raises(ValueError, match="limits"):
        normality_table(frame, by=None, limits=(2, 1))


def test_normality_table_small_and_constant_groups_are_nan_without_warnings():
    scores = pd.DataFrame({"g": ["a", "a", "b", "b", "b", "b"], "v": [1.0, 2.0, 3.0, 3.0, 3.0, 3.0]})
    table = normality_table(scores, value="v", by="g", limits=(1, 2)).set_index("g")
    assert np.isnan(table.at["a", "skewness"]) and np.isnan(table.at["a", "kurtosis"])
    assert np.isnan(table.at["b", "skewness"])
    assert not table["beyond_1"].any()


def test_shape_statistics_of_a_symmetric_sample():
    out = shape_statistics([1.0, 2.0, 3.0, np.nan, 4.0, 5.0])
    assert out["n"] == 5 and out["skewness"] == pytest.approx(0.0, abs=1e-12)
    # Uniform 1..5: G2 = -1.2 exactly (Joanes & Gill's adjusted estimator).
    assert out["kurtosis"] == pytest.approx(-1.2, abs=1e-12)
