"""Sentences about the data and their quality."""

from __future__ import annotations

import pandas as pd

from helpers.report.narrative_quality import (
    alpha_agreement_sentence,
    alpha_sentence,
    country_composition,
    key_consequence_sentence,
    key_status_sentence,
    missing_sentence,
    normality_sentence,
    sensitivity_sentence,
    sensitivity_verdict,
    site_count_sentence,
    total_items_phrase,
)
from helpers.survey import instrument_table, site_counts


def test_key_status_sentences(instruments):
    table = instrument_table(instruments)
    unverified = key_status_sentence(table.assign(key_verified=False))
    assert unverified.startswith("None of the 3 instrument files")
    assert "verified" in key_status_sentence(table.assign(key_verified=True))
    assert "STAR-P" in key_consequence_sentence(table.assign(key_verified=False))
    assert key_consequence_sentence(table.assign(key_verified=True)).startswith("Subscale and total scores follow")
    assert total_items_phrase(instruments["STAR-P"]) == "the total uses all 12 items"


def test_site_counts_follow_the_data(synthetic, published):
    counts = site_counts(synthetic, published)
    assert site_count_sentence(counts) == "The counts match the article's Table 1 at every site."
    assert country_composition(pd.Series(["B", "A", "B"])) == "1 in A and 2 in B"


def test_alpha_sentences_use_the_threshold():
    a = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "ES",
            "subscale": ["Total", "Anger"],
            "alpha": [0.84, 0.65],
            "published_alpha": [0.85, 0.70],
        }
    )
    assert alpha_sentence(a, 0.6) == "All 2 scales reached Cronbach's alpha of 0.60 or more."
    assert alpha_sentence(a, 0.7).endswith("below it: service users' ES Anger (0.65).")
    assert alpha_agreement_sentence(a) == (
        "1 of the 2 alphas lies within 0.02 of the article's value; the largest difference is 0.05."
    )
    assert alpha_agreement_sentence(a, 0.05).startswith("Both alphas lie within 0.05")


def test_missing_sentence_names_the_extremes():
    m = pd.DataFrame(
        {"group": "care_coordinators", "measure": "RSA", "subscale": ["A", "B", "C"], "share_missing": [0.1, 0.3, 0.2]}
    )
    assert missing_sentence(m) == (
        "On average 20.0 % of participants had at least one item missing on an outcome, from 10.0 % (care "
        "coordinators' RSA A) to 30.0 % (care coordinators' RSA B)."
    )


def test_normality_sentence_names_the_limits():
    n = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "ES",
            "subscale": ["Total", "Anger"],
            "beyond_1": [True, True],
            "beyond_2": [False, True],
        }
    )
    text = normality_sentence(n, limits=(1.5, 3.0))
    assert text == (
        "Both outcomes had skewness or kurtosis beyond ±1.5 (service users' ES total and service "
        "users' ES Anger) and 1 outcome beyond ±3 (service users' ES Anger), where the robustness of "
        "parametric tests should not be taken for granted."
    )
    assert "±1 " in normality_sentence(n.assign(beyond_2=False), 0, 0, limits=(1, 2))


def test_sensitivity_sentences():
    d = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "RSA",
            "subscale": ["A", "B", "C"],
            "changes": [False, False, False],
            "significant_at": [(0.0, 0.5), (), ()],
            "not_significant_at": [(), (0.0, 0.5), (0.0, 0.5)],
            "decision": ["significant throughout", "not significant throughout", "not significant throughout"],
        }
    )
    assert sensitivity_verdict(d) == "did not change any inference"
    assert sensitivity_sentence(d, 0.01) == (
        "At α = 0.01 every one of the 3 outcomes led to the same decision at every threshold: 1 outcome was "
        "significant at every threshold and 2 outcomes were not significant at any threshold."
    )
