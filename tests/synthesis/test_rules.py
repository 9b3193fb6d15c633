"""The rules of the synthesis (helpers.synthesis.rules)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.synthesis import (
    POSITIONS,
    QUAL_POSITIONS,
    collaboration_position,
    collaboration_words,
    frequency_word,
    judgement_rules,
    plan_use_words,
)


def test_judgement_rules_table():
    expected = {
        ("higher", "higher"): "agreement",
        ("lower", "lower"): "agreement",
        ("higher", "lower"): "dissonance",
        ("lower", "higher"): "dissonance",
        ("higher", "similar"): "partial agreement",
        ("lower", "similar"): "partial agreement",
        ("not different", "higher"): "partial agreement",
        ("mixed", "lower"): "partial agreement",
        ("not different", "similar"): "agreement",
        ("mixed", "similar"): "agreement",
    }
    rules = judgement_rules().set_index(["survey position", "interview position"])["judgement"]
    assert len(rules) == len(POSITIONS) * len(QUAL_POSITIONS)
    for key, judgement in expected.items():
        assert rules[key] == judgement, key
    silent = rules[[s == "no data" or q == "no data" for s, q in rules.index]]
    assert (silent == "silence").all() and len(silent) == len(POSITIONS) + len(QUAL_POSITIONS) - 1


def test_collaboration_position_and_words(cfg):
    scores = pd.Series({"a": 0.5, "b": 0.0, "c": 0.1, "d": -0.4, "e": float("nan")})
    # Mean of the others: a 1/30 -> +0.47 higher; b 0.0667 -> -0.07 similar; c 0.0333 -> similar;
    # d 0.2 -> -0.6 lower; e no data.
    assert collaboration_position(scores, margin=0.25).to_dict() == {
        "a": "higher",
        "b": "similar",
        "c": "similar",
        "d": "lower",
        "e": "no data",
    }
    one = pd.Series({"a": 0.9, "b": float("nan")})
    assert collaboration_position(one, margin=0.25).tolist() == ["no data", "no data"]
    third = cfg.collaboration_word_threshold
    assert [collaboration_words(s, threshold=third) for s in (1 / 3, 0.33, -1 / 3)] == [
        "mostly collaborative",
        "mixed",
        "mostly professional-led",
    ]


def test_margin_and_thresholds_are_the_callers():
    scores = pd.Series({"a": 0.5, "b": 0.0, "c": 0.1})
    # a lies 0.45 above the others' mean: higher with a margin of 0.25, similar with 0.5.
    assert collaboration_position(scores, margin=0.5)["a"] == "similar"
    assert collaboration_position(scores, margin=0.45)["a"] == "higher"  # on the margin counts
    assert collaboration_words(0.2, threshold=0.2) == "mostly collaborative"
    assert collaboration_words(0.2, threshold=0.25) == "mixed"
    assert frequency_word(0.3, thresholds=(0.25, 0.5)) == "sometimes"
    assert frequency_word(0.3, thresholds=(1 / 3, 2 / 3)) == "rarely"
    assert frequency_word(2 / 3, thresholds=(1 / 3, 2 / 3)) == "usually"
    assert plan_use_words(0.45, 0.1, threshold=0.4) == "valued as records and in use"
    assert plan_use_words(0.45, 0.1, threshold=0.5) == "no dominant view"


@pytest.mark.parametrize(
    ("record", "unused", "words"),
    [
        (float("nan"), float("nan"), "no accounts"),
        (float("nan"), 0.9, "seldom consulted"),
        (0.5, 0.5, "valued as records, seldom consulted"),
    ],
)
def test_plan_use_with_missing_shares(record, unused, words):
    assert plan_use_words(record, unused, threshold=0.5) == words
