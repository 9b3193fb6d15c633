"""Correlations between instrument totals."""

from __future__ import annotations

import pytest
from scipy import stats

from helpers.survey import (
    correlation_strength_counts,
    correlations_with_published,
    total_correlations,
    wide_totals,
)


def test_total_correlations_match_scipy(scores, cfg):
    corr = total_correlations(scores, confidence=cfg.confidence, sizes=cfg.correlation_sizes)
    assert list(zip(corr["x"], corr["y"])) == [("RSA", "STAR-P"), ("RSA", "ES"), ("STAR-P", "ES")]
    wide = wide_totals(scores)[["RSA", "ES"]].dropna()
    res = stats.pearsonr(wide["RSA"], wide["ES"])
    row = corr[(corr["x"] == "RSA") & (corr["y"] == "ES")].iloc[0]
    assert row["r"] == pytest.approx(res.statistic) and row["p"] == pytest.approx(res.pvalue)
    ci = res.confidence_interval(cfg.confidence)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert row["n"] == len(wide)


def test_total_correlations_use_the_sizes(scores, cfg):
    strict = total_correlations(scores, confidence=cfg.confidence, sizes={"small": 0.97, "medium": 0.98, "large": 0.99})
    assert set(strict["strength"]) == {"negligible"}


def test_correlations_with_published_and_by_site(scores, published, cfg):
    kw = {"confidence": cfg.confidence, "sizes": cfg.correlation_sizes}
    corr = correlations_with_published(total_correlations(scores, **kw), published)
    assert corr["published_r"].notna().all()
    assert correlations_with_published(total_correlations(scores, **kw))["published_r"].isna().all()
    by_site = total_correlations(scores, by_site=True, **kw)
    assert len(by_site) == 3 * 6 and by_site.columns[0] == "site"
    counts = correlation_strength_counts(by_site)
    assert (counts[["large", "medium", "small", "negligible"]].sum(axis=1) == counts["n_sites"]).all()
    first = by_site[(by_site["x"] == "RSA") & (by_site["y"] == "STAR-P")]
    assert counts.loc[0, "r_min"] == first["r"].min() and counts.loc[0, "r_max"] == first["r"].max()
