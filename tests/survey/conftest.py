"""Fixtures of the survey tests: the settings, scores of the synthetic data and small made-up data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.io import load_dataset, write_dataset
from helpers.io.paths import SYNTHETIC_DIR


@pytest.fixture(scope="session")
def other_dataset(tmp_path_factory, instruments):
    """The synthetic data with Artois renamed Gascony and Champagne dropped, not marked synthetic."""
    folder = tmp_path_factory.mktemp("other") / "data"
    tables = {
        n: pd.read_csv(SYNTHETIC_DIR / f"{n}.csv", dtype={"participant_id": str})
        for n in ("sites", "service_users", "care_coordinators")
    }
    for name, frame in tables.items():
        frame = frame[frame["site"] != "Champagne"].copy()
        frame["site"] = frame["site"].replace({"Artois": "Gascony"})
        tables[name] = frame.reset_index(drop=True)
    write_dataset(folder, tables["sites"], tables["service_users"], tables["care_coordinators"])
    return load_dataset(folder, instruments)


@pytest.fixture
def small_scores():
    """Three sites with a clear difference on one outcome (``Total``) and none on another (``Flat``)."""
    rng = np.random.default_rng(11)
    rows = []
    for site, shift in (("North", 0.0), ("South", 0.0), ("West", 1.5)):
        for k in range(30):
            rows.append(("service_users", "X", "Total", f"{site}-{k}", site, 3 + shift + rng.normal(0, 0.5)))
            rows.append(("service_users", "X", "Flat", f"{site}-{k}", site, 3 + rng.normal(0, 0.5)))
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])
