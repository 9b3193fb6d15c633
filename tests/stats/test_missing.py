"""Missing items: shares of the published complete cases and counts from item data."""

import pandas as pd
import pytest

from helpers.io.paths import REFERENCE_DIR
from helpers.stats import missing_share_summary, missing_summary, missing_table, score_scales


def test_missing_share_of_the_published_complete_cases():
    ref = pd.read_csv(REFERENCE_DIR / "reliability.csv")
    n_group = ref["group"].map({"service_users": 448, "care_coordinators": 201})
    per_outcome = missing_summary(ref["n_complete_cases"], n_group)
    assert per_outcome["share_missing"].to_numpy() == pytest.approx(1 - ref["n_complete_cases"] / n_group)
    summary = missing_share_summary(per_outcome["share_missing"]).iloc[0]
    # The article's Methods: 19.9 % on average, from 6.5 % to 69.0 %.
    assert summary["n_outcomes"] == len(ref) == 22
    assert round(100 * summary["mean"], 1) == 19.9
    assert round(100 * summary["min"], 1) == 6.5
    assert round(100 * summary["max"], 1) == 69.0


def test_missing_summary_keeps_a_series_index_and_rejects_impossible_counts():
    out = missing_summary(pd.Series([10, 5], index=["a", "b"]), 20)
    assert out.index.tolist() == ["a", "b"] and out["share_missing"].tolist() == [0.5, 0.75]
    with pytest.raises(ValueError):
        missing_summary([450], 448)
    with pytest.raises(ValueError):
        missing_summary([0], 0)


def test_missing_share_summary_ignores_nan():
    out = missing_share_summary([0.1, float("nan"), 0.3]).iloc[0]
    assert out["n_outcomes"] == 2 and out["mean"] == pytest.approx(0.2)


def test_missing_table_counts_from_item_data(definitions, service_users):
    es = definitions["ES"]
    table = missing_table(service_users, es, max_missing=0.3)
    assert list(table.columns) == ["measure", "subscale", "n_items", "n", "n_complete", "share_missing", "n_scored"]
    scores = score_scales(service_users, es, max_missing=0.3)
    for row in table.itertuples():
        members = list(es.scales[row.subscale])
        n_complete = int(service_users[members].notna().all(axis=1).sum())
        assert (row.n, row.n_complete) == (len(service_users), n_complete)
        assert row.share_missing == pytest.approx(1 - n_complete / len(service_users))
        assert row.n_scored == int(scores[row.subscale].notna().sum())
        assert row.n_complete <= row.n_scored <= row.n


def test_a_larger_threshold_scores_more_participants(definitions, service_users):
    rsa = definitions["RSA"]
    low = missing_table(service_users, rsa, max_missing=0.0).set_index("subscale")
    high = missing_table(service_users, rsa, max_missing=0.5).set_index("subscale")
    assert (low["n_scored"] == low["n_complete"]).all()
    assert (high["n_scored"] >= low["n_scored"]).all() and (high["n_scored"] > low["n_scored"]).any()
