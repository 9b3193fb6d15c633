"""Sensitivity of the site comparison to the missing-item threshold."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.stats import SENSITIVITY_COLUMNS, item_matrix, oneway_anova, score_scales, sensitivity_analysis


@pytest.fixture(scope="module")
def rsa_data(definitions, sites):
    rsa = definitions["RSA"]
    rng = np.random.default_rng(99)
    n = 150
    trait = rng.normal(size=(n, 1))
    items = np.clip(np.rint(3 + trait + rng.normal(scale=0.8, size=(n, len(rsa.items)))), 1, 5)
    frame = pd.DataFrame(items, columns=list(rsa.items))
    frame = frame.mask(rng.random(frame.shape) < 0.04).mask(rng.random(frame.shape) < 0.03, 9)
    frame.insert(0, "site", np.array(sites)[rng.integers(0, len(sites), n)])
    return rsa, frame


def test_sensitivity_analysis_counts_and_anova(rsa_data, sites):
    rsa, frame = rsa_data
    thresholds = (0.0, 0.2, 0.3, 0.4, 0.5)
    res = sensitivity_analysis(frame, rsa, thresholds=thresholds)
    assert list(res.columns) == [
        "measure",
        "subscale",
        "threshold",
        "n",
        "df_between",
        "df_within",
        "F",
        "p",
        "eta_squared",
    ]
    assert len(res) == len(rsa.scales) * len(thresholds)
    items = item_matrix(frame, rsa)
    for scale, rows in res.groupby("subscale"):
        rows = rows.sort_values("threshold")
        assert rows["n"].is_monotonic_increasing
        complete = int(items[list(rsa.scales[scale])].notna().all(axis=1).sum())
        assert rows.iloc[0]["n"] == complete
    # Threshold 0 is the one-way ANOVA of complete-case scale means, computed here directly.
    members = list(rsa.scales["Choice"])
    complete = items[members].dropna()
    means = complete.mean(axis=1)
    groups = [means[frame.loc[complete.index, "site"] == s] for s in sites]
    ref = stats.f_oneway(*groups)
    row = res[(res.subscale == "Choice") & (res.threshold == 0.0)].iloc[0]
    assert row["F"] == pytest.approx(ref.statistic, rel=1e-10)
    assert row["p"] == pytest.approx(ref.pvalue, rel=1e-8)
    assert res["n"].iloc[-1] > res["n"].iloc[len(rsa.scales) - 1]  # Total gains cases at 0.5


def test_each_row_is_the_anova_of_the_scores_at_that_threshold(rsa_data):
    rsa, frame = rsa_data
    res = sensitivity_analysis(frame, rsa, thresholds=(0.3,)).set_index("subscale")
    scores = score_scales(frame, rsa, max_missing=0.3)
    for scale in rsa.scales:
        one = oneway_anova(pd.DataFrame({"site": frame["site"], "y": scores[scale]}), "y", "site").iloc[0]
        assert res.at[scale, "F"] == pytest.approx(one["F"], rel=1e-12)
        assert res.at[scale, "n"] == one["n"]


def test_estimable_selects_the_rows_and_skips_empty_scales(rsa_data):
    rsa, frame = rsa_data
    first = frame["site"].iloc[0]

    def without_first_site(codes, groups, scores):
        assert len(codes) == len(scores) and set(codes) <= set(range(len(groups)))
        return [g for g in groups if g != first]

    res = sensitivity_analysis(frame, rsa, thresholds=(0.3,), estimable=without_first_site).set_index("subscale")
    scores = score_scales(frame, rsa, max_missing=0.3)
    for scale in rsa.scales:
        kept = frame["site"] != first
        one = oneway_anova(pd.DataFrame({"site": frame["site"][kept], "y": scores[scale][kept]}), "y", "site").iloc[0]
        assert res.at[scale, "F"] == pytest.approx(one["F"], rel=1e-12)
        assert res.at[scale, "df_between"] == one["df_between"]
    skipped = sensitivity_analysis(frame, rsa, thresholds=(0.3,), estimable=lambda codes, groups, scores: [])
    assert skipped.empty and list(skipped.columns) == SENSITIVITY_COLUMNS


def test_estimable_sees_each_row_with_its_group(rsa_data):
    rsa, frame = rsa_data
    seen = []

    def record(codes, groups, scores):
        seen.append(pd.DataFrame({"site": np.asarray(groups, dtype=object)[codes], "score": scores}))
        return groups

    sensitivity_analysis(frame, rsa, thresholds=(0.3,), estimable=record)
    scores = score_scales(frame, rsa, max_missing=0.3)
    for scale, got in zip(rsa.scales, seen):
        expected = pd.DataFrame({"site": frame["site"], "score": scores[scale]}).dropna().reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)
