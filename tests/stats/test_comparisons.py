"""Two means from summary statistics: Student's and Welch's tests against scipy, statsmodels and R."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from helpers.stats import compare_with_reference, two_group_comparison

#: Student's (1908) sleep data (Cushny & Peebles), R's ``sleep`` data set: extra hours of sleep.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def _summary(x):
    return x.mean(), x.std(ddof=1), x.size


def test_sleep_data_as_r_prints_it():
    # R: t.test(extra ~ group, data = sleep) and the same with var.equal = TRUE.
    welch = two_group_comparison(*_summary(SLEEP_1), *_summary(SLEEP_2), confidence=0.95, equal_var=False).iloc[0]
    assert round(welch["t"], 4) == -1.8608 and round(welch["df"], 3) == 17.776 and round(welch["p"], 5) == 0.07939
    assert (round(welch["ci_low"], 7), round(welch["ci_high"], 7)) == (-3.3654832, 0.2054832)
    student = two_group_comparison(*_summary(SLEEP_1), *_summary(SLEEP_2), confidence=0.95).iloc[0]
    assert round(student["t"], 4) == -1.8608 and student["df"] == 18 and round(student["p"], 5) == 0.07919
    assert (round(student["ci_low"], 6), round(student["ci_high"], 6)) == (-3.363874, 0.203874)


@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_two_group_comparison_matches_the_test_on_raw_data(equal_var, confidence):
    rng = np.random.default_rng(12)
    x, y = rng.normal(3, 1, 7), rng.normal(2, 2, 4)
    res = two_group_comparison(*_summary(x), *_summary(y), confidence=confidence, equal_var=equal_var).iloc[0]
    ref = stats.ttest_ind(x, y, equal_var=equal_var)
    assert res["diff"] == pytest.approx(x.mean() - y.mean(), abs=1e-14)
    assert res["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert res["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert res["df"] == pytest.approx(ref.df, rel=1e-10)
    cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
    usevar = "pooled" if equal_var else "unequal"
    low, high = cm.tconfint_diff(alpha=1 - confidence, usevar=usevar)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    se = cm.std_meandiff_pooledvar if equal_var else cm.std_meandiff_separatevar
    assert res["se"] == pytest.approx(se, rel=1e-10)


def test_two_group_comparison_of_site_means_by_hand():
    # Site means 4, 5, 6 against 1, 2, 3: pooled variance 1, se = sqrt(2/3), t = 3 / se on 4 df.
    res = two_group_comparison(5.0, 1.0, 3, 2.0, 1.0, 3, confidence=0.95).iloc[0]
    se = np.sqrt(2 / 3)
    assert (res["diff"], res["df"]) == (3.0, 4.0)
    assert res["se"] == pytest.approx(se, rel=1e-14)
    assert res["t"] == pytest.approx(3 / se, rel=1e-12)
    assert res["p"] == pytest.approx(2 * stats.t.sf(3 / se, 4), rel=1e-10)
    assert res["ci_high"] - 3.0 == pytest.approx(stats.t.ppf(0.975, 4) * se, rel=1e-12)


def test_no_spread_gives_no_test_and_a_point_interval():
    res = two_group_comparison(2.0, 0.0, 3, 1.0, 0.0, 2, confidence=0.95).iloc[0]
    assert np.isnan(res["t"]) and np.isnan(res["p"])
    assert res["ci_low"] == res["ci_high"] == res["diff"] == 1.0


def test_groups_of_one_are_rejected():
    with pytest.raises(ValueError, match="at least two"):
        two_group_comparison(2.0, 1.0, 1, 1.0, 1.0, 5, confidence=0.95)


def test_compare_with_reference_matches_welch_on_raw_data():
    rng = np.random.default_rng(5)
    x, y = rng.normal(33, 9, 120), rng.normal(37, 8.7, 167)
    res = compare_with_reference(*_summary(x), *_summary(y), confidence=0.95).iloc[0]
    assert list(res.index) == [
        "mean",
        "sd",
        "n",
        "ref_mean",
        "ref_sd",
        "ref_n",
        "diff",
        "se",
        "df",
        "t",
        "p",
        "ci_low",
        "ci_high",
        "hedges_g",
    ]
    ref = stats.ttest_ind(x, y, equal_var=False)
    assert res["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert res["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert res["df"] == pytest.approx(ref.df, rel=1e-10)
    assert res["diff"] == pytest.approx(x.mean() - y.mean())
    cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
    low, high = cm.tconfint_diff(alpha=0.05, usevar="unequal")
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    assert res["se"] == pytest.approx(cm.std_meandiff_separatevar, rel=1e-10)
    # Hedges' g: pooled-SD standardised difference times J = 1 - 3 / (4 (n1 + n2) - 9)
    n1, n2 = x.size, y.size
    pooled = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    g = (x.mean() - y.mean()) / pooled * (1 - 3 / (4 * (n1 + n2) - 9))
    assert res["hedges_g"] == pytest.approx(g, rel=1e-10)


def test_compare_with_reference_confidence_level():
    wide = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167, confidence=0.99).iloc[0]
    narrow = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167, confidence=0.95).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < wide["ci_high"]
    q = stats.t.ppf(0.995, wide["df"])
    assert wide["ci_high"] - wide["ci_low"] == pytest.approx(2 * q * wide["se"])
