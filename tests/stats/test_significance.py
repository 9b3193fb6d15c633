"""is_significant: the one significance decision."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers.stats import is_significant


@pytest.mark.parametrize(
    "p, alpha, expected",
    [
        (0.049, 0.05, True),
        (0.05, 0.05, False),  # strict: p equal to alpha is not significant
        (0.051, 0.05, False),
        (0.0, 0.05, True),
        (0.009, 0.01, True),
        (0.02, 0.01, False),
        (np.float64(1e-40), 0.05, True),
    ],
)
def test_is_significant_compares_strictly(p, alpha, expected):
    assert is_significant(p, alpha) is expected


@pytest.mark.parametrize("p", [None, float("nan"), np.nan, math.inf, -math.inf, pd.NA])
def test_undefined_p_values_are_never_significant(p):
    assert is_significant(p, 0.05) is False


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5])
def test_alpha_outside_zero_one_is_rejected(alpha):
    with pytest.raises(ValueError, match="alpha"):
        is_significant(0.01, alpha)
