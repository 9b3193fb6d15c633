"""Cronbach's alpha and Feldt's interval against the textbook formula, pingouin and scipy."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.stats import cronbach_alpha, cronbach_alpha_table, item_matrix


def _hand_alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def _feldt(a: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return 1 - (1 - a) * stats.f.isf(tail, df1, df2), 1 - (1 - a) * stats.f.isf(1 - tail, df1, df2)


def test_alpha_matches_the_textbook_formula_on_a_fixed_array():
    x = np.array([[3, 4, 3], [2, 2, 3], [5, 4, 4], [1, 2, 1], [4, 5, 5]], dtype=float)
    res = cronbach_alpha(pd.DataFrame(x, columns=["i1", "i2", "i3"]), confidence=0.95)
    # By hand: item variances 2.5, 1.8, 2.2 (sum 6.5); totals 10, 7, 13, 4, 14 have variance 17.3.
    assert res["alpha"] == pytest.approx(1.5 * (1 - 6.5 / 17.3), abs=1e-12)
    assert res["alpha"] == pytest.approx(_hand_alpha(x), abs=1e-12)
    assert (res["n_items"], res["n_complete"]) == (3, 5)
    assert res["ci_low"] < res["alpha"] < res["ci_high"]


def test_alpha_matches_pingouin_documented_example():
    # pingouin docs (checked against R psych::alpha(use="complete.obs")): 0.8016949152542373
    data = pg.read_dataset("cronbach_wide_missing")
    res = cronbach_alpha(data, confidence=0.95)
    assert res["alpha"] == pytest.approx(0.8016949152542373, abs=1e-12)
    assert res["n_complete"] == len(data.dropna())


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_alpha_interval_is_feldts_on_the_complete_case_count(confidence):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 1)) + rng.normal(size=(40, 4))
    frame = pd.DataFrame(x).mask(rng.random((40, 4)) < 0.1)
    complete = frame.dropna().to_numpy()
    n, k = complete.shape
    a = _hand_alpha(complete)
    res = cronbach_alpha(frame, confidence=confidence)
    assert res["n_complete"] == n < 40
    assert res["alpha"] == pytest.approx(a, abs=1e-12)
    # pingouin rounds the bounds to 3 decimals.
    assert (res["ci_low"], res["ci_high"]) == pytest.approx(_feldt(a, n, k, confidence), abs=5e-4)


def test_a_higher_confidence_gives_a_wider_interval():
    rng = np.random.default_rng(8)
    frame = pd.DataFrame(rng.normal(size=(30, 1)) + rng.normal(size=(30, 5)))
    narrow, wide = cronbach_alpha(frame, confidence=0.8), cronbach_alpha(frame, confidence=0.99)
    assert wide["ci_low"] < narrow["ci_low"] < narrow["alpha"] < narrow["ci_high"] < wide["ci_high"]


def test_alpha_undefined_for_too_few_cases_or_items():
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, 1.0]}), confidence=0.95)["alpha"])
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), confidence=0.95)["alpha"])


def test_alpha_table_scores_complete_cases_with_reversed_items_flipped(definitions, service_users):
    starp = definitions["STAR-P"]
    table = cronbach_alpha_table(service_users, starp, confidence=0.95, acceptable=0.7)
    assert list(table.columns) == [
        "measure",
        "subscale",
        "n_items",
        "n_complete",
        "alpha",
        "ci_low",
        "ci_high",
        "acceptable",
    ]
    assert table["subscale"].tolist() == list(starp.scales)
    items = item_matrix(service_users, starp)
    for row in table.itertuples():
        complete = items[list(starp.scales[row.subscale])].dropna().to_numpy()
        assert row.n_complete == len(complete)
        assert row.n_items == len(starp.scales[row.subscale])
        assert row.alpha == pytest.approx(_hand_alpha(complete), abs=1e-12)
        assert row.acceptable == (row.alpha >= 0.7)
    # Raw (unflipped) reversed items would correlate negatively with the rest: alpha far lower.
    raw_total = service_users[list(starp.items)].dropna().to_numpy(dtype=float)
    assert table.set_index("subscale").at["Total", "alpha"] > _hand_alpha(raw_total) + 0.1


def test_acceptable_follows_the_threshold_passed_in(definitions, service_users):
    es = definitions["ES"]
    table = cronbach_alpha_table(service_users, es, confidence=0.95, acceptable=0.7)
    threshold = float(table["alpha"].median())
    strict = cronbach_alpha_table(service_users, es, confidence=0.95, acceptable=threshold)
    assert strict["acceptable"].tolist() == (table["alpha"] >= threshold).tolist()
    assert 0 < strict["acceptable"].sum() < len(strict)


def test_alpha_table_treats_missing_codes_as_missing(definitions, service_users):
    rsa = definitions["RSA"]
    table = cronbach_alpha_table(service_users, rsa, confidence=0.95, acceptable=0.7).set_index("subscale")
    members = list(rsa.scales["Life Goals"])
    raw = service_users[members]
    expected = int((raw.notna() & ~raw.isin([9])).all(axis=1).sum())
    assert table.at["Life Goals", "n_complete"] == expected < int(raw.notna().all(axis=1).sum())


def test_alpha_table_by_site(definitions, service_users, sites):
    es = definitions["ES"]
    table = cronbach_alpha_table(service_users, es, groupby="site", confidence=0.95, acceptable=0.7)
    assert list(table.columns[:3]) == ["measure", "subscale", "site"]
    assert len(table) == len(sites) * len(es.scales)
    one = table[(table.site == "Dauphine") & (table.subscale == "Total")].iloc[0]
    items = item_matrix(service_users[service_users.site == "Dauphine"], es).dropna().to_numpy()
    assert one.n_complete == len(items)
    assert one.alpha == pytest.approx(_hand_alpha(items), abs=1e-12)
