"""The warnings degenerate data provoke are handled in code, not left on stderr."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from helpers.stats import pearson_table

SIZES = {"small": 0.1, "medium": 0.3, "large": 0.5}


@pytest.mark.parametrize("n", [3, 4])
def test_a_correlation_of_three_or_four_pairs_raises_no_warning(n):
    # pytest turns every warning into an error (pyproject filterwarnings), so a warning fails here
    data = pd.DataFrame({"a": [1.0, 2.0, 4.0, 3.0][:n], "b": [2.0, 1.0, 5.0, 4.0][:n]})
    row = pearson_table(data, [("a", "b")], confidence=0.95, sizes=SIZES).iloc[0]
    expected = stats.pearsonr(data["a"], data["b"])
    assert row["n"] == n
    assert row["r"] == pytest.approx(expected.statistic) and row["p"] == pytest.approx(expected.pvalue)


def test_three_pairs_give_the_uninformative_interval():
    data = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [2.0, 1.0, 5.0]})
    row = pearson_table(data, [("a", "b")], confidence=0.95, sizes=SIZES).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == (-1.0, 1.0)
