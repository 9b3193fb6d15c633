"""Descriptive statistics per group against statsmodels' t interval."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from helpers.stats import summary_by_group


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_summary_by_group_matches_statsmodels_t_interval(people, sites, confidence):
    res = summary_by_group(people, "score", "site", confidence=confidence)
    assert list(res.columns) == ["site", "n", "mean", "sd", "sem", "ci_low", "ci_high"]
    assert res["site"].tolist() == sites
    for row in res.itertuples():
        x = people.loc[people.site == row.site, "score"].dropna().to_numpy()
        d = DescrStatsW(x)
        assert (row.n, row.mean, row.sd) == (x.size, pytest.approx(x.mean()), pytest.approx(x.std(ddof=1)))
        assert row.sem == pytest.approx(stats.sem(x))
        assert (row.ci_low, row.ci_high) == pytest.approx(d.tconfint_mean(alpha=1 - confidence), rel=1e-10)


def test_summary_by_two_columns_is_sorted():
    df = pd.DataFrame({"g": ["b", "a", "a", "b"], "h": ["y", "x", "x", "x"], "v": [1.0, 2.0, 4.0, 3.0]})
    res = summary_by_group(df, "v", ["g", "h"], confidence=0.95)
    assert res[["g", "h"]].to_numpy().tolist() == [["a", "x"], ["b", "x"], ["b", "y"]]
    assert res["mean"].tolist() == [3.0, 3.0, 1.0]


def test_summary_by_group_single_member_has_nan_spread():
    df = pd.DataFrame({"g": ["a", "b", "b"], "y": [1.0, 2.0, 4.0]})
    res = summary_by_group(df, "y", "g", confidence=0.95).set_index("g")
    assert res.at["a", "n"] == 1 and np.isnan(res.at["a", "sd"]) and np.isnan(res.at["a", "ci_low"])
    assert res.at["b", "mean"] == 3.0
    # Two values 2 and 4: mean 3, sd sqrt(2), sem 1; t(0.975, 1 df) = tan(0.475 pi) = 12.7062
    assert res.at["b", "ci_high"] - 3.0 == pytest.approx(np.tan(0.475 * np.pi), rel=1e-9)
