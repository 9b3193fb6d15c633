"""Data quality helpers: Cronbach's alpha, missing items and distribution shape.

Every expected value is computed independently (numpy by hand, scipy, the published
reference tables), so a wrong formula in ``helpers.quality`` fails a test.
"""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.instruments import load_instruments
from helpers.paths import REFERENCE_DIR
from helpers.quality import (
    cronbach_alpha,
    cronbach_alpha_table,
    missing_share_summary,
    missing_summary,
    missing_table,
    normality_table,
)
from helpers.scoring import item_matrix, score_scales

SITES = ["Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"]


@pytest.fixture(scope="module")
def instruments():
    return load_instruments()


def _responses(rng, instrument, n, missing_rate=0.05):
    """Correlated Likert responses (a latent trait plus noise) with NaN and missing codes."""
    trait = rng.normal(size=(n, 1))
    span = instrument.max - instrument.min
    raw = instrument.min + span / 2 + trait * span / 4 + rng.normal(scale=0.8, size=(n, len(instrument.items)))
    values = np.clip(np.rint(raw), instrument.min, instrument.max)
    frame = pd.DataFrame(values, columns=list(instrument.items))
    # Reversed items are stored reversed, so scoring flips them back onto the trait.
    for item in instrument.reversed:
        frame[item] = instrument.min + instrument.max - frame[item]
    frame = frame.mask(rng.random(frame.shape) < missing_rate)
    for code in instrument.missing_codes:
        frame = frame.mask(rng.random(frame.shape) < missing_rate / 2, code)
    return frame


@pytest.fixture(scope="module")
def service_users(instruments):
    rng = np.random.default_rng(20240517)
    n = 180
    parts = [_responses(rng, inst, n) for inst in instruments.values()]
    site = pd.Series(np.array(SITES)[rng.integers(0, len(SITES), n)], name="site")
    return pd.concat([site, *parts], axis=1)


def _hand_alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


# --- Cronbach's alpha ------------------------------------------------------------------

def test_alpha_matches_the_textbook_formula_on_a_fixed_array():
    x = np.array([[3, 4, 3], [2, 2, 3], [5, 4, 4], [1, 2, 1], [4, 5, 5]], dtype=float)
    res = cronbach_alpha(pd.DataFrame(x, columns=["i1", "i2", "i3"]))
    # By hand: item variances 2.5, 1.8, 2.2 (sum 6.5); totals 10, 7, 13, 4, 14 have variance 17.3.
    assert res["alpha"] == pytest.approx(1.5 * (1 - 6.5 / 17.3), abs=1e-12)
    assert res["alpha"] == pytest.approx(_hand_alpha(x), abs=1e-12)
    assert (res["n_items"], res["n_complete"]) == (3, 5)
    assert res["ci_low"] < res["alpha"] < res["ci_high"]


def test_alpha_matches_pingouin_documented_example():
    # pingouin docs (checked against R psych::alpha(use="complete.obs")): 0.8016949152542373
    data = pg.read_dataset("cronbach_wide_missing")
    res = cronbach_alpha(data)
    assert res["alpha"] == pytest.approx(0.8016949152542373, abs=1e-12)
    assert res["n_complete"] == len(data.dropna())


def test_alpha_interval_uses_the_complete_case_count():
    # Feldt's interval with n = complete cases, computed here with scipy.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 1)) + rng.normal(size=(40, 4))
    frame = pd.DataFrame(x).mask(rng.random((40, 4)) < 0.1)
    complete = frame.dropna().to_numpy()
    n, k = complete.shape
    a = _hand_alpha(complete)
    low = 1 - (1 - a) * stats.f.isf(0.025, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - a) * stats.f.isf(0.975, n - 1, (n - 1) * (k - 1))
    res = cronbach_alpha(frame)
    assert res["n_complete"] == n < 40
    assert res["alpha"] == pytest.approx(a, abs=1e-12)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((low, high), abs=5e-4)


def test_alpha_undefined_for_too_few_cases_or_items():
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, 1.0]}))["alpha"])
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))["alpha"])


def test_alpha_table_scores_complete_cases_with_reversed_items_flipped(instruments, service_users):
    starp = instruments["STAR-P"]
    table = cronbach_alpha_table(service_users, starp)
    assert list(table.columns) == ["measure", "subscale", "n_items", "n_complete", "alpha", "ci_low", "ci_high",
                                   "acceptable"]
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


def test_alpha_table_treats_missing_codes_as_missing(instruments, service_users):
    rsa = instruments["RSA"]
    table = cronbach_alpha_table(service_users, rsa).set_index("subscale")
    members = list(rsa.scales["Life Goals"])
    raw = service_users[members]
    expected = int((raw.notna() & ~raw.isin([9])).all(axis=1).sum())
    assert table.at["Life Goals", "n_complete"] == expected < int(raw.notna().all(axis=1).sum())


def test_alpha_table_by_site(instruments, service_users):
    es = instruments["ES"]
    table = cronbach_alpha_table(service_users, es, groupby="site")
    assert list(table.columns[:3]) == ["measure", "subscale", "site"]
    assert len(table) == len(SITES) * len(es.scales)
    one = table[(table.site == "Dauphine") & (table.subscale == "Total")].iloc[0]
    items = item_matrix(service_users[service_users.site == "Dauphine"], es).dropna().to_numpy()
    assert one.n_complete == len(items)
    assert one.alpha == pytest.approx(_hand_alpha(items), abs=1e-12)


# --- Missing items ---------------------------------------------------------------------

def test_missing_share_of_the_published_complete_cases():
    ref = pd.read_csv(REFERENCE_DIR / "reliability.csv")
    n_group = ref["group"].map({"service_users": 448, "care_coordinators": 201})
    per_outcome = missing_summary(ref["n_complete_cases"], n_group)
    assert per_outcome["share_missing"].to_numpy() == pytest.approx(1 - ref["n_complete_cases"] / n_group)
    summary = missing_share_summary(per_outcome["share_missing"]).iloc[0]
    assert summary["n_outcomes"] == len(ref) == 22
    assert round(100 * summary["mean"], 1) == 19.9
    assert round(100 * summary["min"], 1) == 6.5
    assert round(100 * summary["max"], 1) == 69.0


def test_missing_summary_rejects_impossible_counts():
    with pytest.raises(ValueError):
        missing_summary([450], 448)


def test_missing_table_counts_from_item_data(instruments, service_users):
    es = instruments["ES"]
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


# --- Distribution shape ------------------------------------------------------------------

def test_skew_and_kurtosis_match_the_textbook_adjusted_estimators():
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    n = x.size
    d = x - x.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    big_g1 = np.sqrt(n * (n - 1)) / (n - 2) * g1
    big_g2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)
    out = normality_table(pd.DataFrame({"measure": "X", "subscale": "T", "score": x})).iloc[0]
    assert out["skewness"] == pytest.approx(big_g1, abs=1e-12)
    assert out["kurtosis"] == pytest.approx(big_g2, abs=1e-12)
    assert out["n"] == 5 and out["beyond_1"] and out["beyond_2"]


def test_normality_table_per_outcome_matches_scipy_and_drops_missing():
    rng = np.random.default_rng(11)
    a = rng.normal(size=60)
    b = rng.exponential(size=50)
    scores = pd.DataFrame({
        "measure": ["A"] * 61 + ["B"] * 50,
        "subscale": "Total",
        "score": np.concatenate([a, [np.nan], b]),
    })
    table = normality_table(scores).set_index("measure")
    assert table.at["A", "n"] == 60
    for name, x in (("A", a), ("B", b)):
        assert table.at[name, "skewness"] == pytest.approx(stats.skew(x, bias=False), abs=1e-12)
        assert table.at[name, "kurtosis"] == pytest.approx(stats.kurtosis(x, fisher=True, bias=False), abs=1e-12)
        worst = max(abs(table.at[name, "skewness"]), abs(table.at[name, "kurtosis"]))
        assert table.at[name, "beyond_1"] == (worst > 1)
        assert table.at[name, "beyond_2"] == (worst > 2)


def test_normality_table_small_and_constant_groups_are_nan_without_warnings():
    scores = pd.DataFrame({"g": ["a", "a", "b", "b", "b", "b"], "v": [1.0, 2.0, 3.0, 3.0, 3.0, 3.0]})
    table = normality_table(scores, value="v", by="g").set_index("g")
    assert np.isnan(table.at["a", "skewness"]) and np.isnan(table.at["a", "kurtosis"])
    assert np.isnan(table.at["b", "skewness"])
    assert not table["beyond_1"].any()
