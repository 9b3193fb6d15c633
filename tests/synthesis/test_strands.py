"""The two strands per site (helpers.synthesis.strands)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.io import from_dataset
from helpers.survey import site_summaries
from helpers.synthesis import qualitative_by_site, survey_by_site

MEASURE = [("service_users", "STAR-P", "Total", "x")]


def test_survey_position_rule(scores_of):
    high = scores_of({"A": [10, 11, 12, 10, 11, 12], "B": [1, 2, 3, 1, 2, 3], "C": [1.5, 2, 2.5, 1.5, 2, 2.5]})
    survey = survey_by_site(high, ["A", "B", "C", "D"], alpha=0.05, confidence=0.95, measures=MEASURE)
    got = survey.set_index("site")
    assert got["position"].to_dict() == {"A": "higher", "B": "lower", "C": "lower", "D": "no data"}
    assert got.loc["A", "higher_than"] == "B, C" and got.loc["B", "lower_than"] == "A"
    assert got.loc["D", "n"] == 0 and np.isnan(got.loc["D", "mean"])
    flat = scores_of({"A": [1, 2, 3, 4], "B": [1, 2, 3, 4.5], "C": [1, 2, 3.5, 4]})
    survey = survey_by_site(flat, ["A", "B", "C"], alpha=0.05, confidence=0.95, measures=MEASURE)
    assert (survey["position"] == "not different").all() and survey["anova_p"].iloc[0] > 0.05


def test_site_means_and_intervals_are_the_survey_chapters(scores_of):
    scores = scores_of({"A": [10, 11, 12, 13], "B": [1, 2, 3, 5]})
    survey = survey_by_site(scores, ["A", "B"], alpha=0.05, confidence=0.9, measures=MEASURE).set_index("site")
    expected = site_summaries(scores, confidence=0.9).set_index("site")
    assert survey.loc["A", "mean"] == 11.5
    assert survey.loc["B", ["ci_low", "ci_high"]].tolist() == pytest.approx(
        expected.loc["B", ["ci_low", "ci_high"]].tolist()
    )


def test_alpha_gates_tukey(scores_of):
    scores = scores_of({"A": [5, 6, 7, 5.5, 6.5], "B": [4, 5, 6, 4.5, 5.5], "C": [4.2, 5.2, 6.2, 4.7, 5.7]})
    loose = survey_by_site(scores, ["A", "B", "C"], alpha=0.5, confidence=0.95, measures=MEASURE)
    strict = survey_by_site(scores, ["A", "B", "C"], alpha=0.001, confidence=0.95, measures=MEASURE)
    p = loose["anova_p"].iloc[0]
    assert 0.001 < p < 0.5
    assert (strict["position"] == "not different").all()
    assert (loose["position"] != "not different").any()


def test_qualitative_by_site_on_the_synthetic_data(synthetic, cfg):
    q = from_dataset(synthetic)
    qual = qualitative_by_site(
        q,
        margin=cfg.collaboration_margin,
        word_threshold=cfg.collaboration_word_threshold,
        frequency_thresholds=cfg.frequency_thresholds,
        plan_use_threshold=cfg.plan_use_threshold,
    ).set_index("site")
    assert qual.loc["Artois", ["collab_n", "collaboration", "collab_position", "collab_words"]].tolist() == [
        6,
        pytest.approx(-1 / 6),
        "lower",
        "mixed",
    ]
    assert qual.loc["Burgundy", ["n_interviews", "risk_n", "plans_n", "plans_risk_shared"]].tolist() == [17, 9, 5, 2]
    assert qual.loc["Artois", "plan_use"] == "valued as records, seldom consulted"
    assert (qual["risk_words"] == "rarely").all()
    # A wider margin leaves every site similar.
    wide = qualitative_by_site(
        q, margin=2.0, word_threshold=1 / 3, frequency_thresholds=(0.05, 0.1), plan_use_threshold=0.99
    )
    assert (wide["collab_position"] == "similar").all()
    assert (wide["risk_words"] != "rarely").all() and (wide["plan_use"] == "no dominant view").all()
