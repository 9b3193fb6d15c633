"""Fixtures of the statistics tests: instrument definitions and simulated questionnaire data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.io import load_instruments

SITES = ["Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"]


@pytest.fixture(scope="module")
def sites():
    """The six site names of the simulated data, sorted."""
    return list(SITES)


@pytest.fixture(scope="module")
def definitions():
    """The project's instrument definitions, by id."""
    return load_instruments()


def likert_responses(rng, instrument, n, missing_rate=0.05):
    """Correlated Likert responses (a latent trait plus noise) with NaN and missing codes.

    Reversed items are stored reversed, so scoring flips them back onto the trait.
    """
    trait = rng.normal(size=(n, 1))
    span = instrument.max - instrument.min
    raw = instrument.min + span / 2 + trait * span / 4 + rng.normal(scale=0.8, size=(n, len(instrument.items)))
    values = np.clip(np.rint(raw), instrument.min, instrument.max)
    frame = pd.DataFrame(values, columns=list(instrument.items))
    for item in instrument.reversed:
        frame[item] = instrument.min + instrument.max - frame[item]
    frame = frame.mask(rng.random(frame.shape) < missing_rate)
    for code in instrument.missing_codes:
        frame = frame.mask(rng.random(frame.shape) < missing_rate / 2, code)
    return frame


@pytest.fixture(scope="module")
def service_users(definitions):
    """180 simulated service users at six sites answering every instrument."""
    rng = np.random.default_rng(20240517)
    n = 180
    parts = [likert_responses(rng, inst, n) for inst in definitions.values()]
    site = pd.Series(np.array(SITES)[rng.integers(0, len(SITES), n)], name="site")
    return pd.concat([site, *parts], axis=1)


@pytest.fixture(scope="module")
def people():
    """Scores with a site effect, covariates (one with a space in its name) and missing values."""
    rng = np.random.default_rng(7)
    n = 240
    site = np.array(SITES)[rng.integers(0, len(SITES), n)]
    effect = pd.Series(dict(zip(SITES, [0.0, 0.3, -0.2, 0.5, 0.1, -0.4]))).loc[site].to_numpy()
    age = rng.normal(45, 12, n)
    gender = rng.choice(["female", "male", "other"], n, p=[0.5, 0.45, 0.05])
    score = 3 + effect + 0.02 * (age - 45) + 0.2 * (gender == "male") + rng.normal(0, 0.8, n)
    other = 0.5 * score + rng.normal(0, 0.7, n)
    df = pd.DataFrame(
        {
            "site": site,
            "score": score,
            "other": other,
            "age": age,
            "gender": gender,
            "years in services": rng.gamma(2, 4, n),
        }
    )
    df.loc[rng.random(n) < 0.08, "score"] = np.nan
    df.loc[rng.random(n) < 0.05, "age"] = np.nan
    df.loc[rng.random(n) < 0.05, "other"] = np.nan
    return df
