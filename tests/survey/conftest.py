"""Fixtures of the survey tests: another dataset made from the synthetic data (small scores: tests/conftest.py)."""

from __future__ import annotations

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
