"""Reliability, missing items and normality of every outcome, beside the article."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.io import article_text_values
from helpers.stats import item_matrix
from helpers.survey import (
    alpha_by_outcome,
    alpha_with_published,
    missing_by_outcome,
    missing_overview,
    missing_with_published,
    normality_by_outcome,
    normality_overview,
    select,
)


@pytest.fixture(scope="module")
def alphas(synthetic, instruments, cfg):
    return alpha_by_outcome(synthetic, instruments, confidence=cfg.confidence, acceptable=cfg.acceptable_reliability)


def test_alpha_by_outcome_matches_pingouin(alphas, synthetic, instruments, cfg):
    assert len(alphas) == 22
    row = select(alphas, group="care_coordinators", measure="RSA", subscale="Choice").iloc[0]
    rsa = instruments["RSA"]
    items = item_matrix(synthetic.care_coordinators, rsa)[list(rsa.scales["Choice"])].dropna()
    alpha, (low, high) = pg.cronbach_alpha(items, ci=cfg.confidence)
    assert row["n_complete"] == len(items) and row["alpha"] == pytest.approx(alpha)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=5e-3), pytest.approx(high, abs=5e-3))
    assert alphas["acceptable"].tolist() == (alphas["alpha"] >= cfg.acceptable_reliability).tolist()


def test_missing_and_alpha_beside_published(synthetic, instruments, published, alphas, cfg):
    missing = missing_with_published(missing_by_outcome(synthetic, instruments, max_missing=cfg.max_missing), published)
    assert missing["published_n_complete"].notna().all()
    np.testing.assert_allclose(missing["published_share_missing"], 1 - missing["published_n_complete"] / missing["n"])
    expected_n = published.anova["df_between"] + published.anova["df_within"] + 1
    assert sorted(missing["published_n_analysed"]) == sorted(expected_n.astype(float))
    overview = missing_overview(missing)
    assert overview["source"].tolist() == ["this data", "article"]
    assert overview.loc[0, "mean"] == pytest.approx(missing["share_missing"].mean())
    assert overview.loc[1, "mean"] == article_text_values()["missing_mean"]
    assert alpha_with_published(alphas, published)["published_alpha"].notna().sum() == 22
    assert alpha_with_published(alphas)["published_alpha"].isna().all()


def test_missing_by_outcome_counts(synthetic, instruments, cfg):
    strict = missing_by_outcome(synthetic, instruments, max_missing=0.0)
    loose = missing_by_outcome(synthetic, instruments, max_missing=cfg.max_missing)
    assert (strict["n_scored"] == strict["n_complete"]).all()
    assert (loose["n_scored"] >= loose["n_complete"]).all() and (loose["n_scored"] > loose["n_complete"]).any()
    np.testing.assert_allclose(loose["share_missing"], 1 - loose["n_complete"] / loose["n"])


def test_normality_by_outcome_matches_scipy(scores, cfg):
    normality = normality_by_outcome(scores, limits=cfg.normality_limits)
    row = select(normality, group="service_users", measure="ES", subscale="Total").iloc[0]
    values = select(scores, group="service_users", measure="ES", subscale="Total")["score"].dropna()
    assert row["skewness"] == pytest.approx(stats.skew(values, bias=False))
    assert row["kurtosis"] == pytest.approx(stats.kurtosis(values, bias=False))
    worst = np.maximum(normality["skewness"].abs(), normality["kurtosis"].abs())
    assert normality["beyond_1"].tolist() == (worst > cfg.normality_limits[0]).tolist()


def test_normality_overview_counts(scores, cfg):
    normality = normality_by_outcome(scores, limits=cfg.normality_limits)
    overview = normality_overview(normality, limits=cfg.normality_limits).set_index("criterion")
    assert list(overview.index) == ["beyond ±1", "beyond ±2"]
    assert overview.loc["beyond ±1", "this_data"] == normality["beyond_1"].sum()
    assert overview.loc["beyond ±2", "article"] == article_text_values()["beyond_2"]


def test_normality_overview_other_limits_have_no_article_count():
    normality = pd.DataFrame({"beyond_1": [True, True], "beyond_2": [True, False]})
    art = {"beyond_1": 3, "beyond_2": 0, "n_outcomes": 22}
    overview = normality_overview(normality, limits=(0.5, 1.0), article=art)
    assert overview["criterion"].tolist() == ["beyond ±0.5", "beyond ±1"]
    assert np.isnan(overview.loc[0, "article"]) and overview.loc[1, "article"] == 3
    assert overview["this_data"].tolist() == [2, 1]
