"""Fixtures of the input-layer tests: small valid dataset folders to break one way at a time."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.io import (
    GROUPS,
    SYNTHETIC_DIR,
    Problem,
    ValidationReport,
    validate_dataset,
    write_dataset,
)

#: The note every row list of a message ends with.
NOTE = "(spreadsheet numbering, header = row 1)"
CATEGORIES = {
    "gender": ["Female", "Male"],
    "ethnicity": ["White", "Black", "Asian", "Mixed"],
    "relationship_status": ["Single", "Married", "Divorced"],
}


# --------------------------------------------------------------------------- questionnaire tables


def _group_frame(name: str, n: int, rng: np.random.Generator, instruments) -> pd.DataFrame:
    """A valid table for one group: covariates, then every item column of its instruments."""
    contract = GROUPS[name]
    prefix = "SU" if name == "service_users" else "CC"
    columns: dict[str, object] = {
        "participant_id": [f"{prefix}{k:02d}" for k in range(1, n + 1)],
        "site": np.resize(["S1", "S2", "S3"], n),
    }
    for column in contract.covariates:
        if column == "age":
            columns[column] = rng.integers(18, 80, n).astype(float)
        elif column in contract.numeric_covariates:
            columns[column] = rng.uniform(0, 15, n).round(1)
        else:
            columns[column] = rng.choice(CATEGORIES[column], n)
    for inst in instruments.values():
        if name in inst.groups:
            for item in inst.items:
                columns[item] = rng.integers(inst.min, inst.max + 1, n).astype(float)
    return pd.DataFrame(columns)


@pytest.fixture(scope="session")
def make_tables(instruments) -> Callable[..., dict[str, pd.DataFrame]]:
    """Factory of three small valid tables with a few blanks and RSA N/A codes (9)."""

    def make(n: int = 8, seed: int = 7) -> dict[str, pd.DataFrame]:
        rng = np.random.default_rng(seed)
        sites = pd.DataFrame(
            {
                "site": ["S1", "S2", "S3"],
                "country": ["England", "England", "Wales"],
                "setting": ["urban", "rural", "urban"],
            }
        )
        su = _group_frame("service_users", n, rng, instruments)
        cc = _group_frame("care_coordinators", n, rng, instruments)
        su.loc[1, "rsa_03"] = np.nan
        su.loc[2, "rsa_04"] = 9
        su.loc[4, "es_02"] = np.nan
        su.loc[3, "ethnicity"] = None
        su.loc[5, "years_in_services"] = np.nan
        cc.loc[0, "rsa_10"] = 9
        cc.loc[6, "rsa_11"] = np.nan
        return {"sites": sites, "service_users": su, "care_coordinators": cc}

    return make


@pytest.fixture
def tables(make_tables) -> dict[str, pd.DataFrame]:
    return make_tables()


@pytest.fixture
def folder(tmp_path: Path, tables) -> Path:
    """A valid dataset folder (CSV tables and a manifest marking it synthetic)."""
    out = tmp_path / "dataset"
    write_dataset(out, **tables, manifest={"synthetic": True})
    return out


def raw_table(folder: Path, table: str) -> pd.DataFrame:
    """A written CSV table as text, exactly as a user would edit it."""
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def save_table(frame: pd.DataFrame, folder: Path, table: str) -> None:
    frame.to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")


def only(report: ValidationReport, kind: str) -> Problem:
    found = [p for p in report.problems if p.kind == kind]
    assert len(found) == 1, str(report)
    return found[0]


@pytest.fixture(scope="session")
def edit():
    """Helpers to read, save and check a table of a dataset folder."""

    class Edit:
        raw = staticmethod(raw_table)
        save = staticmethod(save_table)
        only = staticmethod(only)

    return Edit


# --------------------------------------------------------------------------- qualitative tables
# (the hand-made tables themselves are ``qual_tables`` and ``small_qual_factory`` of tests/conftest.py)


def write_folder(folder: Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """The synthetic survey files plus the given qualitative tables (CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sites", "service_users", "care_coordinators"):
        shutil.copy2(SYNTHETIC_DIR / f"{name}.csv", folder / f"{name}.csv")
    for name, frame in (tables or {}).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def problems_of(folder: Path, file: str | None = None) -> list[Problem]:
    report = validate_dataset(folder)
    return [p for p in report.problems if file is None or p.file.name == file]


def one_problem(folder: Path, file: str, kind: str) -> Problem:
    found = [p for p in problems_of(folder, file) if p.kind == kind]
    assert len(found) == 1, [p.message for p in problems_of(folder)]
    return found[0]


@pytest.fixture(scope="session")
def qual():
    """Helpers to write a dataset folder with qualitative tables and pick its problems."""

    class Qual:
        write = staticmethod(write_folder)
        problems = staticmethod(problems_of)
        one = staticmethod(one_problem)

    return Qual
