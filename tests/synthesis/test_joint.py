"""The joint display (helpers.synthesis.joint)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import QualData, empty_tables
from helpers.synthesis import joint_display, qualitative_by_site, survey_by_site


def hand_made_qual() -> pd.DataFrame:
    """The interview side for ``joint_survey`` (tests/conftest.py): one site in each situation the rules distinguish."""
    qual = pd.DataFrame(
        {
            "site": list("ABCDE"),
            "country": ["England"] * 3 + ["Wales"] * 2,
            "n_interviews": 10,
            "collab_n": [8, 8, 8, 8, 8],
            "collaboration": [0.6, 0.5, 0.0, -0.5, 0.1],
            "collab_position": ["higher", "higher", "similar", "lower", "similar"],
            "collab_words": "mixed",
            "risk_n": 4,
            "risk_share": 0.25,
            "risk_words": "rarely",
            "plans_n": 2,
            "plans_risk_shared": 0,
            "record_share": 0.8,
            "unused_share": 0.7,
            "plan_use": "valued as records, seldom consulted",
        }
    )
    return qual


def test_joint_display_judgements_follow_the_rules(joint_survey):
    survey, qual = joint_survey, hand_made_qual()
    joint = joint_display(survey, qual)
    assert joint["STAR-P_judgement"].tolist() == [
        "agreement",  # A: survey higher, interviews higher
        "dissonance",  # B: survey lower, interviews higher
        "agreement",  # C: neither strand sets it apart
        "partial agreement",  # D: only the interviews set it apart
        "silence",  # E: no survey data
    ]
    assert joint["STAR-P_versus"].tolist() == [
        "above B",
        "below A",
        "no significant difference",
        "no significant difference",
        "no data",
    ]
    assert joint.loc[0, "STAR-P_ci_high"] == 42 and np.isnan(joint.loc[4, "STAR-P_mean"])
    assert list(joint.columns[: len(qual.columns)]) == list(qual.columns)


def test_synthesis_without_interviews_is_silent(country_example, book, cfg):
    scores, q = country_example("pb_resisted")
    empty = QualData(*empty_tables(book).values(), q.sites, book, False)
    survey = survey_by_site(
        scores,
        empty.site_list,
        alpha=cfg.alpha,
        confidence=cfg.confidence,
        measures=[("service_users", "STAR-P", "Total", "x")],
    )
    qual = qualitative_by_site(
        empty, margin=0.25, word_threshold=1 / 3, frequency_thresholds=(1 / 3, 2 / 3), plan_use_threshold=0.5
    )
    joint = joint_display(survey, qual)
    assert (joint["STAR-P_judgement"] == "silence").all()
    assert (joint["collab_words"] == "no accounts").all() and (joint["plan_use"] == "no accounts").all()
