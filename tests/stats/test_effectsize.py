"""Eta and omega squared with noncentral-F intervals against published values and statsmodels."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.oneway import confint_noncentrality

from helpers.stats import anova_effect_sizes, noncentrality_interval, oneway_anova


@pytest.mark.parametrize(
    ("f_value", "df1", "df2", "low", "high"),
    [
        # Smithson (2001, p. 619) and Fidler & Thompson (2001, Table 6): 90 % intervals of
        # partial eta squared, lambda / (lambda + df1 + df2 + 1), as reproduced by apaTables.
        (6.00, 1, 42, 0.0117, 0.2801),
        (2.65, 6, 42, 0.0174, 0.3577),
        (4.00, 3, 16, 0.0357, 0.5671),
        (1.50, 1, 16, 0.0, 0.3167),
    ],
)
def test_noncentrality_interval_reproduces_published_eta_squared_limits(f_value, df1, df2, low, high):
    lam_low, lam_high = noncentrality_interval(f_value, df1, df2, confidence=0.90)
    n = df1 + df2 + 1
    assert round(lam_low / (lam_low + n), 4) == pytest.approx(low, abs=1e-4)
    assert round(lam_high / (lam_high + n), 4) == pytest.approx(high, abs=1e-4)


def test_noncentrality_interval_matches_statsmodels_and_stays_finite_for_large_f():
    ours = noncentrality_interval(13.0, 2, 6, confidence=0.95)
    # statsmodels stops its root search earlier (cdf within 3e-6 of the target); ours within 1e-8.
    np.testing.assert_allclose(ours, confint_noncentrality(13.0, (2, 6), alpha=0.05), rtol=5e-4)
    np.testing.assert_allclose(stats.ncf.cdf(13.0, 2, 6, np.array(ours)), [0.975, 0.025], atol=1e-8)
    low, high = noncentrality_interval(5000.0, 5, 400, confidence=0.95)
    assert 20000 < low < 25000 < high < 30000
    assert noncentrality_interval(0.01, 3, 16, confidence=0.95) == (0.0, 0.0)


def test_noncentrality_interval_with_a_large_sample_where_scipy_underflows_to_nan():
    # F = 838.4 on 5 and 96,429 degrees of freedom (six sites, 96,435 people): scipy's ncf.cdf
    # is NaN at twice the observed F's noncentrality, where the bracket search first looks.
    f_value, df1, df2 = 838.3628235816359, 5, 96429
    assert np.isnan(stats.ncf.cdf(f_value, df1, df2, 2 * f_value * df1))
    ours = noncentrality_interval(f_value, df1, df2, confidence=0.95)
    np.testing.assert_allclose(stats.ncf.cdf(f_value, df1, df2, np.array(ours)), [0.975, 0.025], atol=1e-8)
    # With df2 this large, F' * df1 is nearly a noncentral chi-square on df1 degrees of freedom.
    chi2 = [
        optimize.brentq(lambda lam, p=p: stats.ncx2.cdf(f_value * df1, df1, lam) - p, 0, 1e4) for p in (0.975, 0.025)
    ]
    np.testing.assert_allclose(ours, chi2, rtol=2e-3)


def test_effect_sizes_textbook_example():
    # Means 2, 3, 6 of three groups of three: SS_b = 26, SS_w = 6, SS_t = 32, MS_w = 1.
    df = pd.DataFrame({"g": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    row = anova_effect_sizes(df, "y", "g", confidence=0.95).iloc[0]
    assert row["eta_squared"] == pytest.approx(26 / 32, rel=1e-12)
    assert row["omega_squared"] == pytest.approx((26 - 2 * 1) / (32 + 1), rel=1e-12)
    assert row["F"] == pytest.approx(13.0, rel=1e-12)
    lam_low, lam_high = confint_noncentrality(13.0, (2, 6), alpha=0.05)
    assert row["ci_low"] == pytest.approx(lam_low / (lam_low + 9), rel=5e-4)
    assert row["ci_high"] == pytest.approx(lam_high / (lam_high + 9), rel=5e-4)


def test_effect_sizes_agree_with_the_anova(people):
    row = anova_effect_sizes(people, "score", "site", confidence=0.95).iloc[0]
    aov = oneway_anova(people, "score", "site").iloc[0]
    assert row["eta_squared"] == pytest.approx(aov["eta_squared"], rel=1e-10)
    assert row["F"] == pytest.approx(aov["F"], rel=1e-10)
    assert row["ci_low"] <= row["omega_squared"] <= row["eta_squared"] <= row["ci_high"]


def test_effect_sizes_of_degenerate_data_are_nan_with_a_reason():
    row = anova_effect_sizes(pd.DataFrame({"g": ["a", "b"], "y": [1.0, 2.0]}), "y", "g", confidence=0.95).iloc[0]
    assert np.isnan(row["eta_squared"]) and "fewer than two groups" in row["reason"]
