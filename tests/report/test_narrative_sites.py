"""Sentences about site comparisons: the wording follows the numbers, the level and the data's sites."""

from __future__ import annotations

import pandas as pd

from helpers.report.narrative_sites import (
    adjustment_sentence,
    decision_agreement_sentence,
    mark_legend,
    rank_agreement_phrase,
    rater_difference_sentence,
    reference_site_sentence,
    significance_mark,
    significant_outcomes_sentence,
    site_marks,
    stat_phrase,
    tukey_sentence,
)
from helpers.survey import anova_by_outcome, outcome_tests, tukey_where_significant


def small_tests(small_scores, alpha):
    return outcome_tests(anova_by_outcome(small_scores), None, alpha=alpha)


def test_significance_wording_flips_with_the_data(small_scores):
    tests = small_tests(small_scores, 0.05)
    text = significant_outcomes_sentence(tests, 0.05)
    assert text.startswith("1 of the 2 scales differed significantly") and "X total" in text
    assert stat_phrase(tests.set_index("subscale").loc["Total"]) in text
    calm = significant_outcomes_sentence(tests[tests["subscale"] == "Flat"], 0.05)
    assert calm.startswith("The scale did not differ significantly")
    same = tests.assign(p_adj=tests["p"], significant_adj=tests["significant"])
    assert "no decision" in adjustment_sentence(same, 0.05)
    lost = same.assign(significant_adj=False)
    assert adjustment_sentence(lost, 0.05) == (
        "Adjusting for the covariates changed the decision at α = 0.05: X total was no longer significant after "
        "adjustment."
    )


def test_significance_follows_the_level():
    tests = pd.DataFrame(
        {
            "group": "g",
            "measure": "M",
            "subscale": ["A", "B"],
            "df_between": 2,
            "df_within": 50,
            "F": [4.0, 3.4],
            "p": [0.02, 0.04],
            "eta_squared": [0.1, 0.08],
        }
    )
    assert significant_outcomes_sentence(tests, 0.05).startswith("Every scale differed significantly")
    assert significant_outcomes_sentence(tests, 0.03).startswith("1 of the 2 scales")
    assert significant_outcomes_sentence(tests, 0.01) == (
        "None of the 2 scales differed significantly between sites (smallest p = 0.020)."
    )
    assert significant_outcomes_sentence(tests.assign(p=float("nan")), 0.05) == "No site comparison could be computed."


def test_tukey_sentence_names_the_data_sites(small_scores, cfg):
    tests = small_tests(small_scores, cfg.alpha)
    tukey = tukey_where_significant(
        small_scores, tests, alpha=cfg.alpha, confidence=cfg.confidence, when=cfg.posthoc_when, reference="North"
    )
    text = tukey_sentence(tukey, tests, cfg.alpha, reference="North")
    assert text.startswith("Against North") and "West higher" in text and "South" not in text.split(":")[1]
    assert site_marks(tukey, cfg.alpha) == {"West": "**"}
    everyone = tukey_where_significant(
        small_scores, tests, alpha=cfg.alpha, confidence=cfg.confidence, when=cfg.posthoc_when
    )
    assert tukey_sentence(everyone, tests, cfg.alpha).startswith("For X total, 2 pairs of 3 differed")


def test_marks_and_their_legend():
    assert [significance_mark(p, 0.05) for p in (0.004, 0.03, 0.2, float("nan"), None)] == ["**", "*", "", "", ""]
    assert significance_mark(0.004, 0.01) == "*"
    assert mark_legend(0.05, "R") == "# reference site (R); * Tukey p < 0.05 against it; ** p < 0.01."
    assert mark_legend(0.01, "R") == "# reference site (R); * Tukey p < 0.01 against it."
    assert reference_site_sentence(None, None, ["A"]).startswith("No reference site was chosen")


def test_decision_agreement():
    t = pd.DataFrame(
        {
            "subscale": ["A", "B"],
            "measure": "RSA",
            "significant": [True, False],
            "published_significant": [True, False],
            "published_p": [0.01, 0.2],
        }
    )
    assert decision_agreement_sentence(t, 0.05) == "The decision at α = 0.05 agrees with the article for every scale."


def test_rank_agreement_phrase_is_cautious():
    assert "could easily arise by chance" in rank_agreement_phrase(0.6, 0.3, 6, 0.05)
    assert "say little" in rank_agreement_phrase(0.0, 1.0, 5, 0.05)
    assert "opposite" in rank_agreement_phrase(-0.8, 0.05, 6, 0.05)
    assert "unlikely to be chance" in rank_agreement_phrase(0.95, 0.003, 6, 0.05)
    assert "unlikely to be chance" not in rank_agreement_phrase(0.95, 0.003, 6, 0.001)


def test_rater_difference_sentence():
    row = {"n_sites": 4, "n_second_higher": 0, "mean_diff": -0.3}
    assert rater_difference_sentence(row, "a", "b", "X total") == (
        "B' mean X total was lower than a' at every site (average difference across sites: -0.30 points)."
    )
