"""Multiplicity corrections within families against statsmodels' multipletests."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from helpers.stats import adjust_pvalues

TESTS = pd.DataFrame(
    {
        "group": ["su"] * 5 + ["cc"] * 3,
        "measure": ["RSA", "RSA", "RSA", "ES", "ES", "RSA", "RSA", "RSA"],
        "p": [0.001, 0.02, 0.04, 0.03, np.nan, 0.01, 0.02, 0.5],
    }
)


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_each_family_is_corrected_on_its_own(method):
    out = adjust_pvalues(TESTS, "p", method=method, family=["group", "measure"], alpha=0.05)
    for (_, _), idx in TESTS.groupby(["group", "measure"]).groups.items():
        present = TESTS.loc[idx, "p"].dropna()
        expected = multipletests(present, method=method)[1]
        np.testing.assert_allclose(out.loc[present.index, "p_corrected"], expected, rtol=1e-12)
    assert out["family_size"].tolist() == [3, 3, 3, 1, 1, 3, 3, 3]
    assert np.isnan(out.loc[4, "p_corrected"]) and not out.loc[4, "significant_corrected"]


def test_holm_textbook_values():
    # Holm: sorted p (0.001, 0.02, 0.04) times (3, 2, 1), made monotone: 0.003, 0.04, 0.04.
    out = adjust_pvalues(TESTS, "p", method="holm", family=["group", "measure"], alpha=0.05)
    assert out.loc[:2, "p_corrected"].tolist() == pytest.approx([0.003, 0.04, 0.04])
    assert out.loc[:2, "significant_corrected"].tolist() == [True, True, True]


def test_none_keeps_the_p_values():
    out = adjust_pvalues(TESTS, "p", method="none", family=["group", "measure"], alpha=0.05)
    np.testing.assert_array_equal(out["p_corrected"], TESTS["p"])
    assert set(out["correction"]) == {"none"}
