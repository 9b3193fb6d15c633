"""Sentences across sites: reference values, correlations, chance and countries."""

from __future__ import annotations

import pandas as pd

from helpers.io import Reference
from helpers.report.narrative_cross_site import (
    chance_sentence,
    correlation_sentence,
    country_caveat,
    country_sentence,
    reference_sentence,
    reference_source_sentence,
    site_correlation_sentence,
    spread_phrase,
)


def test_chance_and_country_sentences():
    assert "no more than chance" in chance_sentence(22, 1, 0.05)
    assert "no more than chance" not in chance_sentence(22, 5, 0.05)
    assert chance_sentence(100, 1, 0.01).startswith("With 100 tests at α = 0.01, about 1.0 would")
    caveat = country_caveat(pd.Series({"England": 3, "Wales": 2}))
    assert "3 sites in England and 2 in Wales" in caveat and "3 degrees of freedom" in caveat
    assert country_caveat(pd.Series({"A": 2})).startswith("The data hold 1 country")


def comparison():
    return pd.DataFrame(
        {
            "site": ["All sites", "A", "B"],
            "mean": [35.0, 33.0, 37.5],
            "sd": [9.0, 9.0, 9.0],
            "n": [400, 200, 200],
            "diff": [-2.0, -4.0, 0.5],
            "ci_low": [-3.6, -5.7, -1.2],
            "ci_high": [-0.4, -2.3, 2.2],
            "df": [300.0, 350.0, 350.0],
            "t": [-2.5, -4.7, 0.6],
            "p": [0.013, 0.0001, 0.55],
            "hedges_g": [-0.22, -0.45, 0.06],
            "significant": [True, True, False],
        }
    )


def test_reference_sentence_takes_level_and_confidence():
    ref = Reference("Total", 37.0, 8.7, 167, "", "S")
    text = reference_sentence(comparison(), ref, "X total", 0.05, confidence=0.9)
    assert "was significantly lower than the reference value of 37.0" in text and "90 % CI [-3.6, -0.4]" in text
    strict = reference_sentence(comparison(), ref, "X total", 0.01, confidence=0.99)
    assert "did not differ significantly from the reference value" in strict and "99 % CI" in strict
    assert reference_sentence(comparison(), None, "X total", 0.05, confidence=0.95) == (
        "The X total is not compared with a reference value."
    )
    assert "was passed in the parameter p" in reference_source_sentence(ref, True, "X total", "p")


def test_correlation_sentences_use_the_level():
    c = pd.DataFrame(
        {
            "x": ["RSA", "RSA"],
            "y": ["STAR-P", "ES"],
            "r": [0.61, -0.20],
            "n": [409, 406],
            "p": [1e-40, 0.03],
            "strength": ["large", "small"],
        }
    )
    assert correlation_sentence(c, 0.05).endswith("RSA and ES, negative, small (r = -0.20, n = 406, p = 0.030).")
    assert correlation_sentence(c, 0.01).endswith("(r = -0.20, n = 406, p = 0.030; not significant).")
    s = pd.DataFrame(
        {
            "site": list("ABC"),
            "x": "RSA",
            "y": "ES",
            "r": [0.5, 0.4, 0.3],
            "p": [0.001, 0.02, 0.04],
            "strength": ["large", "medium", "medium"],
        }
    )
    assert site_correlation_sentence(s, 0.05).endswith("significant at all 3).")
    assert site_correlation_sentence(s, 0.01).endswith("significant at 1 of the 3).")


def test_country_sentence_and_spread():
    c = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "RSA",
            "subscale": ["Total"],
            "country_1": "North",
            "country_2": "South",
            "diff": [0.3],
            "p": [0.03],
            "testable": True,
            "t": [2.9],
            "df": [4.0],
            "note": "",
        }
    )
    assert country_sentence(c, 0.05) == (
        "Counting each site once, 1 of the 1 outcomes differed significantly between North and South: service "
        "users' RSA total (South higher by 0.30, t(4) = 2.90, p = 0.030)."
    )
    assert "none of the 1 outcomes" in country_sentence(c, 0.01)
    assert country_sentence(c.assign(testable=False, note="one site"), 0.05) == (
        "The two countries could not be compared: one site."
    )
    row = {
        "group": None,
        "measure": "ES",
        "subscale": "Total",
        "z_min": -0.5,
        "site_min": "A",
        "z_max": 0.25,
        "site_max": "B",
        "z_range": 0.75,
    }
    assert spread_phrase(row) == "ES total, from -0.50 SD at A to +0.25 SD at B (0.75 SD apart)"
