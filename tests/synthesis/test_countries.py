"""England and Wales (helpers.synthesis.countries)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.io import QualData, empty_tables, from_dataset
from helpers.survey import outcome_scores
from helpers.synthesis import DOMAINS, country_contrasts, country_meta_inference

SETTINGS = {"alpha": 0.05, "confidence": 0.95, "margin": 0.25}


def test_country_meta_inference_rules(country_example):
    scores, q = country_example("pb_resisted")
    meta = country_meta_inference(scores, q, domains=DOMAINS[:1] + DOMAINS[2:3], **SETTINGS).set_index("domain")
    # Wales higher on the survey (significantly) and on collaboration at every site: agreement.
    collab = meta.loc["collaboration"]
    assert collab["survey_testable"] and collab["survey_p"] < 0.05 and collab["survey_significant"]
    assert collab["survey_higher"] == "Wales" and collab["survey_diff"] == pytest.approx(8.0)
    assert (collab["country_1"], collab["country_2"]) == ("England", "Wales")
    assert collab["jointly"] == "the strands agree on a country difference"
    # No ES scores in this example: the survey cannot speak, the interviews contrast the countries.
    pers = meta.loc["personalisation"]
    assert pers["survey_status"] == "not testable" and not pers["survey_testable"]
    assert pers["jointly"] == "only the interviews separate the countries"


def test_country_contrasts(country_example):
    _, q = country_example("pb_resisted")
    contrasts = country_contrasts(q, margin=0.25, domains=DOMAINS[:1] + DOMAINS[2:3])
    collab = contrasts[contrasts["indicator"] == "collaboration"].set_index("country")
    # England: CC made together, SU made for the person -> 0; Wales: both made together -> 1.
    assert collab["site_mean"].tolist() == [0.0, 1.0]
    assert collab["contrast"].all() and (collab["higher"] == "Wales").all() and (collab["diff"] == 1.0).all()
    promoted = contrasts[contrasts["indicator"] == "pb_promoted"].set_index("country")
    assert promoted.loc["England", "site_mean"] == 1.0 and (promoted["higher"] == "England").all()
    # The margin: a difference of 1 is no contrast when at least 1.5 is required.
    strict = country_contrasts(q, margin=1.5, domains=DOMAINS[:1])
    assert not strict["contrast"].any() and (strict["higher"] == "").all()


def test_country_meta_inference_opposite_directions(country_example):
    scores, q = country_example("pb_promoted")
    scores = scores.assign(score=-scores["score"])  # England now higher on the survey
    meta = country_meta_inference(scores, q, domains=DOMAINS[:1], **SETTINGS).set_index("domain")
    assert meta.loc["collaboration", "jointly"] == "the strands point in opposite directions"


def test_alpha_decides_the_survey_side(country_example):
    scores, q = country_example("pb_resisted")
    meta = country_meta_inference(scores, q, domains=DOMAINS[:1], **{**SETTINGS, "alpha": 1e-9}).iloc[0]
    assert not meta["survey_significant"] and meta["jointly"] == "only the interviews separate the countries"


def test_without_interviews(country_example, book):
    scores, q = country_example("pb_resisted")
    empty = QualData(*empty_tables(book).values(), q.sites, book, False)
    meta = country_meta_inference(scores, empty, domains=DOMAINS, **SETTINGS).set_index("domain")
    assert meta.loc["collaboration", "jointly"] == "no interviews: only the survey strand has data"
    assert meta.loc["risk", "jointly"] == "no data in either strand"
    assert meta.loc["risk", "survey_status"] == "no survey measure"


def test_on_the_synthetic_data(synthetic, instruments, cfg):
    q = from_dataset(synthetic)
    scores = outcome_scores(synthetic, instruments, max_missing=cfg.max_missing)
    meta = country_meta_inference(
        scores, q, alpha=cfg.alpha, confidence=cfg.confidence, margin=cfg.collaboration_margin
    ).set_index("domain")
    assert meta.loc["personalisation", "jointly"] == "only the interviews separate the countries"
    assert meta.loc["collaboration", "survey_p"] == pytest.approx(0.2922403216, rel=1e-9)
    assert np.isnan(meta.loc["risk", "survey_p"])
