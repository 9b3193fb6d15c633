"""Countries compared with sites as units; standardised site means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.io import OUTCOME
from helpers.survey import (
    countries_with_data,
    country_comparison,
    country_summaries,
    outcome_scores,
    select,
    site_countries,
    site_spread,
    standardised_site_means,
)


def test_country_comparison_uses_sites_as_units(scores, synthetic, cfg):
    countries = site_countries(synthetic)
    cmp = country_comparison(scores, countries, confidence=cfg.confidence)
    assert len(cmp) == 22 and cmp["testable"].all()
    total = select(scores, group="service_users", measure="STAR-P", subscale="Total").dropna(subset=["score"])
    site_means = total.groupby("site")["score"].mean()
    england = site_means[countries[site_means.index] == "England"]
    wales = site_means[countries[site_means.index] == "Wales"]
    res = stats.ttest_ind(wales, england)
    row = select(cmp, group="service_users", measure="STAR-P", subscale="Total").iloc[0]
    assert row["t"] == pytest.approx(res.statistic) and row["p"] == pytest.approx(res.pvalue)
    assert row["df"] == len(site_means) - 2
    assert row["diff"] == pytest.approx(wales.mean() - england.mean())
    ci = res.confidence_interval(cfg.confidence)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))


def test_country_comparison_needs_two_sites_per_country(other_dataset, instruments, cfg):
    other_scores = outcome_scores(other_dataset, instruments, max_missing=cfg.max_missing)
    lone = country_comparison(other_scores, site_countries(other_dataset), confidence=cfg.confidence)
    assert not lone["testable"].any() and "only one site in Wales" in lone["note"].iloc[0]
    one_country = pd.Series({"a": "E", "b": "E"})
    s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "site": ["a", "b"], "score": [1.0, 2.0]})
    row = country_comparison(s, one_country, confidence=cfg.confidence).iloc[0]
    assert not row["testable"] and row["note"] == "the data hold 1 country, not two"


def test_country_summaries(scores, synthetic):
    countries = site_countries(synthetic)
    summaries = country_summaries(scores, countries)
    assert set(summaries["country"]) == {"England", "Wales"}
    assert summaries.groupby(OUTCOME)["n_sites"].sum().eq(6).all()
    assert (
        summaries.groupby(OUTCOME, sort=False)["n"].sum().tolist()
        == scores.dropna(subset=["score"]).groupby(OUTCOME, sort=False)["score"].size().tolist()
    )


def test_countries_with_data():
    s = pd.DataFrame({"site": ["b", "a", "c"], "score": [1.0, 2.0, None]})
    assert countries_with_data(s, pd.Series({"a": "E", "b": "W", "c": "W"})).to_dict() == {"a": "E", "b": "W"}


def test_standardised_means_and_spread(scores):
    z = standardised_site_means(scores)
    one = select(z, group="care_coordinators", measure="RSA", subscale="Choice").set_index("site")
    site = select(scores, group="care_coordinators", measure="RSA", subscale="Choice")
    data = site["score"].dropna()
    expected = (site.groupby("site")["score"].mean() - data.mean()) / data.std(ddof=1)
    np.testing.assert_allclose(one["z"], expected.loc[one.index])
    spread = site_spread(z)
    assert spread["z_range"].is_monotonic_decreasing and len(spread) == 22
    first = select(z, *spread.loc[0, OUTCOME])
    assert spread.loc[0, "z_range"] == pytest.approx(first["z"].max() - first["z"].min())
    assert spread.loc[0, "site_max"] == first.loc[first["z"].idxmax(), "site"]
