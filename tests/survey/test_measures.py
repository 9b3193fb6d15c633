"""Questionnaires per site, instruments and scales."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.survey import compact_items, instrument_table, scale_table, site_counts, with_total_row


def test_site_counts_follow_the_data(synthetic, other_dataset, published):
    counts = site_counts(synthetic, published)
    assert counts["service_users"].sum() == len(synthetic.service_users)
    assert (counts["service_users"] == counts["published_service_users"]).all()
    assert counts["in_data"].all() and counts["in_article"].all()
    other = site_counts(other_dataset, published)
    gascony = other.set_index("site").loc["Gascony"]
    assert gascony["in_data"] and not gascony["in_article"] and np.isnan(gascony["published_service_users"])
    assert sorted(other[~other["in_data"]]["site"]) == ["Artois", "Champagne"]
    assert site_counts(synthetic)["published_care_coordinators"].isna().all()


def test_instrument_and_scale_tables_show_key_status(instruments):
    table = instrument_table(instruments)
    assert table["measure"].tolist() == list(instruments)
    assert table["key_verified"].tolist() == [i.key_verified for i in instruments.values()]
    assert table["n_items"].tolist() == [len(i.items) for i in instruments.values()]
    assert table["status"].str.len().gt(0).all()
    scales = scale_table(instruments)
    assert len(scales) == sum(len(i.scales) for i in instruments.values())
    starp_total = scales[(scales["measure"] == "STAR-P") & (scales["scale"] == "Total")].iloc[0]
    assert (starp_total["score_min"], starp_total["score_max"]) == (0.0, 48.0)


def test_compact_items():
    assert compact_items(["a_01", "a_02", "a_03", "a_05", "b"]) == "a_01–a_03, a_05, b"
    assert compact_items([]) == ""


def test_with_total_row():
    frame = pd.DataFrame({"site": ["A", "B"], "n": [1, 2], "m": [1.5, None], "group": "g"})
    total = with_total_row(frame, "site", columns=["n"])
    assert total["n"].tolist() == [1, 2, 3] and total["n"].dtype == int
    every = with_total_row(frame, "site", label="Total")
    assert every["site"].iloc[-1] == "Total" and np.isnan(every["m"].iloc[-1])
