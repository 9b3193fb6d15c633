"""Indicators, staff against service users, countries and carers (helpers.interviews.indicators)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.interviews import (
    carer_variation,
    country_site_means,
    divergence_table,
    indicator_values,
    site_indicators,
)


def test_indicator_rule(small_q):
    collab = indicator_values(small_q, "collaboration", "site").set_index("site")
    # Artois: CC and A-SU-002 made together, A-SU-001 made for them, the carer silent: (2 - 1) / 4.
    assert collab.loc["Artois", ["n_accounts", "n_positive", "n_negative"]].tolist() == [4, 2, 1]
    assert collab.loc["Artois", "value"] == pytest.approx(0.25)
    assert collab.loc["Burgundy", "value"] == 0.0  # one service user, silent on it
    assert np.isnan(collab.loc["Champagne", "value"]) and collab.loc["Champagne", "n_accounts"] == 0


def test_indicator_by_country_and_overall(small_q):
    by_country = indicator_values(small_q, "risk_central_staff", "country").set_index("country")
    # England (Artois): SM and CC both risk central; Wales (Burgundy): the SP is not.
    assert by_country.loc["England", "value"] == 1.0 and by_country.loc["Wales", "value"] == 0.0
    overall = indicator_values(small_q, "risk_central_staff", None).iloc[0]
    assert (overall["n_accounts"], overall["n_positive"], overall["value"]) == (3, 2, pytest.approx(2 / 3))
    stacked = site_indicators(small_q)
    assert len(stacked) == 6 * len(small_q.codebook.indicators)


def test_divergence_on_risk(small_q):
    div = divergence_table(small_q)
    risk = div[(div["comparison"] == "risk_centrality")].set_index("site")
    assert risk.loc["Artois", "staff_share"] == 1.0  # the senior manager and the care coordinator
    assert risk.loc["Artois", "users_share"] == 0.0  # neither service user nor the carer
    assert risk.loc["Artois", "gap"] == 1.0
    assert risk.loc["All sites", "staff_n"] == 3
    assert list(risk.index)[-1] == "All sites" and len(risk) == 7


def test_country_site_means_and_separation(q):
    promoted = country_site_means(q, "pb_promoted").set_index("country")
    assert list(promoted.index) == ["England", "Wales"]
    assert promoted.loc["England", "above_others"] and not promoted.loc["Wales", "above_others"]
    values = indicator_values(q, "pb_promoted", "site")
    england = values[values["site"].isin(q.sites.loc[q.sites["country"] == "England", "site"])]["value"]
    assert promoted.loc["England", "site_mean"] == pytest.approx(england.mean())
    assert promoted.loc["England", "n_sites"] == 4


def test_country_site_means_without_interviews(empty_q):
    means = country_site_means(empty_q, "collaboration")
    assert (means["n_sites"] == 0).all() and means["site_mean"].isna().all() and not means["above_others"].any()


def test_carer_variation(small_q, q):
    variation = carer_variation(small_q)
    assert variation.to_dict("records") == [{"site": "Artois", "n_carers": 1, "n_involved": 1, "n_not_involved": 0}]
    synthetic = carer_variation(q)
    several = synthetic[synthetic["n_carers"] >= 2]
    assert len(several) == 5 and ((several["n_involved"] > 0) & (several["n_not_involved"] > 0)).all()
    assert synthetic["n_carers"].sum() == 17
