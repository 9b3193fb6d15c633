"""Grouped moments against pandas' groupby, and the group order of pandas."""

import numpy as np
import pandas as pd

from helpers.stats.grouped import BLOCK_ROWS, group_codes, grouped_moments


def test_moments_match_pandas_across_several_blocks():
    rng = np.random.default_rng(3)
    n = 2 * BLOCK_ROWS + 123
    values = rng.normal(1e4, 1.0, size=(n, 3))  # a large mean: a one-pass variance would lose digits
    codes = rng.integers(-1, 4, size=n)  # -1: left out
    values[codes < 0] = np.nan
    count, mean, ss = grouped_moments(values, codes, 5, columns=np.array([2, 0]), total=True)
    frame = pd.DataFrame(values[:, [2, 0]], columns=["a", "b"]).assign(t=lambda f: f.a + f.b, g=codes)
    expected = frame[frame.g >= 0].groupby("g")
    assert count.tolist() == expected.size().tolist() + [0]
    np.testing.assert_allclose(mean[:4], expected.mean().to_numpy(), rtol=1e-13)
    np.testing.assert_allclose(ss[:4], (expected.var(ddof=0) * expected.count()).to_numpy(), rtol=1e-9)
    assert np.isnan(ss[4]).all()


def test_group_codes_follow_groupby_order_and_categories():
    codes, groups = group_codes(pd.Series(["b", "a", None, "b", "c"]))
    assert (codes.tolist(), groups) == ([1, 0, -1, 1, 2], ["a", "b", "c"])
    labels = pd.Series(pd.Categorical(["x", "z", "x"], categories=["z", "y", "x"]))
    codes, groups = group_codes(labels)
    assert (codes.tolist(), groups) == ([1, 0, 1], ["z", "x"])  # category order, unobserved y left out
    assert groups == list(labels.to_frame("g").groupby("g", observed=True).size().index)
