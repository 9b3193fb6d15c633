"""The synthesis in words (helpers.report.synthesis_text)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import QualData, empty_tables, from_dataset, load_codebook
from helpers.report import synthesis_text as st
from helpers.synthesis import DOMAINS, country_contrasts, country_meta_inference, joint_display

BOOK = load_codebook()


def hand_made_joint(survey: pd.DataFrame) -> pd.DataFrame:
    """The joint display of ``joint_survey`` (tests/conftest.py) and interviews at four of its five sites."""
    qual = pd.DataFrame(
        {
            "site": list("ABCDE"),
            "country": ["England"] * 3 + ["Wales"] * 2,
            "n_interviews": 10,
            "collab_n": [8, 8, 8, 8, 0],
            "collaboration": [0.6, 0.5, 0.0, -0.5, np.nan],
            "collab_position": ["higher", "higher", "similar", "lower", "no data"],
            "collab_words": "mixed",
            "risk_n": [4, 4, 4, 4, 0],
            "risk_share": 0.25,
            "risk_words": "rarely",
            "plans_n": 2,
            "plans_risk_shared": 1,
            "record_share": 0.8,
            "unused_share": 0.7,
            "plan_use": "valued as records, seldom consulted",
        }
    )
    return joint_display(survey, qual)


def test_fraction_text_and_signed():
    assert [st.fraction_text(x) for x in (1 / 3, 2 / 3, 0.5, 0.25, 0.4)] == ["1/3", "2/3", "one half", "1/4", "0.40"]
    assert st.signed(0.125) == "+0.12" and st.signed(-2.0, 1) == "-2.0"


def test_joint_display_table(joint_survey):
    shown = st.joint_display_table(hand_made_joint(joint_survey), measures=("STAR-P",))
    assert shown.loc[0, "STAR-P"] == "40.00 [38.00, 42.00]; above B"
    assert shown.loc[2, "STAR-P"] == "35.00 [33.00, 37.00]"
    assert shown.loc[4, "STAR-P"] == "no data"
    assert shown.loc[0, "care planning described as"] == "mixed (+0.60, n = 8); higher"
    assert shown.loc[4, "care planning described as"] == "no accounts"
    assert shown.loc[0, "risk discussed with service users"] == "rarely: 25 % of 4 accounts; plans 1/2 shared"
    assert shown["judgement (STAR-P)"].tolist() == [
        "agreement",
        "dissonance",
        "agreement",
        "partial agreement",
        "silence",
    ]


def _scores(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [("service_users", "STAR-P", "Total", f"{s}{k}", s, v) for s, vs in values.items() for k, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])


def test_meta_inference_table_on_the_synthetic_data(synthetic, scores, cfg):
    """The words of the table the synthesis chapter saves, on the committed synthetic data."""
    q = from_dataset(synthetic)
    meta = country_meta_inference(
        scores, q, alpha=cfg.alpha, confidence=cfg.confidence, margin=cfg.collaboration_margin
    )
    table = st.meta_inference_table(meta, country_contrasts(q, margin=cfg.collaboration_margin))
    assert list(table.columns) == [
        "domain",
        "label",
        "survey_measure",
        "survey_diff",
        "survey_p",
        "survey_testable",
        "survey_says",
        "interviews_say",
        "any_contrast",
        "jointly",
    ]
    row = table.set_index("domain").loc["collaboration"]
    assert row["survey_says"] == "no significant difference (Wales − England = +2.18, p = 0.292)"
    assert row["interviews_say"] == (
        "care planning described as collaborative: no country contrast (England +0.04; Wales +0.07)"
    )
    pers = table.set_index("domain").loc["personalisation", "interviews_say"]
    assert pers.startswith("senior-staff accounts promoting personal budgets: higher in every site of England (")
    assert table.set_index("domain").loc["risk", "survey_says"] == "no survey measure"


def test_survey_says_significant_and_not_testable():
    sites = pd.DataFrame({"site": ["E1", "E2", "W1"], "country": ["England", "England", "Wales"]})
    q = QualData(*empty_tables(BOOK).values(), sites, BOOK, False)
    lone = country_meta_inference(
        _scores({"E1": [1, 2], "E2": [2, 3], "W1": [5, 6]}),
        q,
        domains=DOMAINS[:1],
        alpha=0.05,
        confidence=0.95,
        margin=0.25,
    )
    assert st.survey_says(lone.iloc[0]) == (
        "not testable (there is only one site in Wales, so the country cannot be told apart from that site)"
    )
    sites = pd.DataFrame({"site": ["E1", "E2", "W1", "W2"], "country": ["England", "England", "Wales", "Wales"]})
    q = QualData(*empty_tables(BOOK).values(), sites, BOOK, False)
    scores = _scores({"E1": [30, 31, 32], "E2": [30.5, 31.5, 32.5], "W1": [38, 39, 40], "W2": [38.5, 39.5, 40.5]})
    meta = country_meta_inference(scores, q, domains=DOMAINS[:1], alpha=0.05, confidence=0.95, margin=0.25)
    assert meta["survey_p"].iloc[0] < 0.01
    assert st.survey_says(meta.iloc[0]) == (
        f"Wales higher by 8.00 on average of site means (p = {meta['survey_p'].iloc[0]:.3f})"
    )
    empty = st.meta_inference_table(meta, country_contrasts(q, margin=0.25, domains=DOMAINS[:1]))
    assert empty["interviews_say"].item() == "care planning described as collaborative: no accounts"
