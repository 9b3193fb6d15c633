"""Labels and small phrases."""

from __future__ import annotations

import pandas as pd

from helpers.report.labels import (
    capital,
    covariate_phrase,
    data_label,
    group_label,
    join_words,
    n_range_phrase,
    outcome_label,
    outcome_labels,
    plural,
    published_label,
    share_word,
    significance_word,
    threshold_label,
    thresholds_text,
)


def test_labels_for_synthetic_and_own_data():
    assert published_label(False) == "article (published)" and published_label(True) == "published"
    assert data_label(True).endswith("(synthetic)") and data_label(False) == "this data"
    assert outcome_label("care_coordinators", "RSA", "Choice") == "care coordinators' RSA Choice"
    assert outcome_label(None, "ES", "Total") == "ES total"
    frame = pd.DataFrame({"group": ["service_users"], "measure": ["RSA"], "subscale": ["Choice"]})
    assert outcome_labels(frame) == ["Service users' RSA Choice"]
    assert outcome_labels(frame, with_group=False) == ["RSA Choice"]
    assert group_label("service_users") == "service users" and group_label("other_people") == "other people"


def test_words_and_counts():
    assert join_words([]) == "" and join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(iter(["x", "y"]), "or") == "x or y"
    assert plural(1, "site") == "1 site" and plural(0, "site") == "0 sites"
    assert plural(2, "country", "countries") == "2 countries"
    assert [share_word(k, n) for k, n in ((1, 1), (2, 2), (5, 5), (0, 4), (3, 4))] == [
        "the one",
        "both",
        "all 5",
        "none of the 4",
        "3 of the 4",
    ]
    assert capital("abc") == "Abc" and capital("") == ""
    assert n_range_phrase([5, 3], "people") == "between 3 and 5 people"
    assert covariate_phrase(["years_in_services"]) == "years in services" and covariate_phrase([]) == "no covariates"
    assert threshold_label(0) == "0 % (complete cases)" and threshold_label(0.5) == "50 %"
    assert thresholds_text([0.2, 0.3]) == "20 % and 30 %"


def test_significance_word_uses_the_level():
    assert significance_word(0.03, 0.05) == "differed significantly"
    assert significance_word(0.03, 0.01) == "did not differ significantly"
    assert significance_word(0.05, 0.05) == "did not differ significantly"
    assert significance_word(None, 0.05, yes="y", no="n") == "n"
