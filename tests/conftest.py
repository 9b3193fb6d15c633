"""Shared fixtures: the project's instruments, settings, published values, code book and synthetic
data, the scores every survey test starts from, small hand-made examples (qualitative tables,
scores of three sites, the survey side of a joint display) and a second, non-synthetic dataset.

Fixtures of the runner's tests (tiny throwaway books, the default book run) live in
``tests/build/conftest.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.build.record import OUTPUT_MARKER, OUTPUT_MARKER_KEY, TOOL
from helpers.io import (
    SYNTHETIC_DIR,
    CodeBook,
    QualData,
    from_dataset,
    load_codebook,
    load_config,
    load_dataset,
    load_instruments,
    load_published,
    typed_tables,
    write_dataset,
)
from helpers.survey import outcome_scores

#: New names of the synthetic sites in the second dataset (one site is dropped).
RENAMED_SITES = {
    "Artois": "Kestrel Vale",
    "Burgundy": "Afon Cymru",
    "Champagne": "Bryn Glas",
    "Dauphine": "Harbour City",
    "Provence": "Northmoor",
}
DROPPED_SITE = "Languedoc"


@pytest.fixture(scope="session")
def instruments():
    """The project's instrument definitions."""
    return load_instruments()


@pytest.fixture(scope="session")
def published():
    """The article's published tables."""
    return load_published()


@pytest.fixture(scope="session")
def cfg():
    """The analysis settings of config/analysis.yaml."""
    return load_config()


@pytest.fixture(scope="session")
def synthetic(instruments):
    """The committed synthetic dataset, loaded and validated."""
    return load_dataset(SYNTHETIC_DIR, instruments)


@pytest.fixture(scope="session")
def scores(synthetic, instruments, cfg):
    """Scores of every outcome of the synthetic dataset at the configured threshold."""
    return outcome_scores(synthetic, instruments, max_missing=cfg.max_missing)


@pytest.fixture(scope="session")
def book() -> CodeBook:
    """The project's code book."""
    return load_codebook()


@pytest.fixture(scope="session")
def q(synthetic) -> QualData:
    """The synthetic dataset's qualitative tables."""
    return from_dataset(synthetic)


@pytest.fixture(scope="session")
def empty_q(synthetic) -> QualData:
    """The synthetic dataset without its qualitative files."""
    return from_dataset(replace(synthetic, interviews=None, framework=None, care_plans=None))


@pytest.fixture
def small_scores() -> pd.DataFrame:
    """Three sites with a clear difference on one outcome (``Total``) and none on another (``Flat``)."""
    rng = np.random.default_rng(11)
    rows = []
    for site, shift in (("North", 0.0), ("South", 0.0), ("West", 1.5)):
        for k in range(30):
            rows.append(("service_users", "X", "Total", f"{site}-{k}", site, 3 + shift + rng.normal(0, 0.5)))
            rows.append(("service_users", "X", "Flat", f"{site}-{k}", site, 3 + rng.normal(0, 0.5)))
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])


# --------------------------------------------------------------------------- hand-made qualitative tables


def small_qual_tables(book: CodeBook) -> dict[str, pd.DataFrame]:
    """A valid, hand-made qualitative dataset at two of the six synthetic sites (raw, as read from files)."""
    interviews = pd.DataFrame(
        [
            ("A-SM-001", "Artois", "SM", ""),
            ("A-CC-001", "Artois", "CC", "A-T01; A-T02"),
            ("A-SU-001", "Artois", "SU", "A-T01"),
            ("A-SU-002", "Artois", "SU", "A-T02"),
            ("A-CA-001", "Artois", "CA", "A-T01"),
            ("B-SP-001", "Burgundy", "SP", ""),
            ("B-SU-001", "Burgundy", "SU", "B-T01"),
        ],
        columns=["participant_id", "site", "role", "triad_id"],
    )
    framework = pd.DataFrame(
        [
            ("A-SM-001", "risk_safety", "Risk first.", "risk_central"),
            ("A-SM-001", "care_planning", "Plans are records.", "cp_valued_record"),
            ("A-CC-001", "risk_safety", "Shares the risk plan.", "risk_discussed; risk_central"),
            ("A-CC-001", "care_planning", "Writes plans together.", "cp_collaborative"),
            ("A-SU-001", "risk_safety", "Nobody mentioned risk.", "risk_not_discussed"),
            ("A-SU-001", "care_planning", "Plan handed over.", "cp_professional_led"),
            ("A-SU-002", "care_planning", "Made it together.", "cp_collaborative"),
            ("A-CA-001", "carer_involvement", "Goes to reviews.", "carer_involved"),
            ("A-CA-001", "risk_safety", "Never asked about risk.", "risk_not_discussed"),
            ("B-SP-001", "personalisation", "Wary of budgets.", "pb_resisted"),
            ("B-SU-001", "relationship", "Trusts the worker.", "rel_valued; rel_over_documents"),
        ],
        columns=["participant_id", "theme", "summary", "codes"],
    )
    fields = dict.fromkeys(book.plan_field_ids, "no")
    plans = pd.DataFrame(
        [
            {
                "participant_id": "A-SU-001",
                "triad_id": "A-T01",
                "site": "Artois",
                **fields,
                "su_involved": "yes",
                "risk_assessment_present": "yes",
                "carer_involved": "yes",
            },
            {"participant_id": "A-SU-002", "triad_id": "A-T02", "site": "Artois", **fields, "review_date": ""},
            {"participant_id": "B-SU-001", "triad_id": "B-T01", "site": "Burgundy", **fields, "copy_held": "YES"},
        ]
    )
    return {"interviews": interviews, "framework": framework, "care_plans": plans}


@pytest.fixture
def qual_tables(book) -> dict[str, pd.DataFrame]:
    """A fresh copy of :func:`small_qual_tables`, to break one way at a time."""
    return small_qual_tables(book)


@pytest.fixture(scope="session")
def small_qual_factory(book) -> Callable[[], dict[str, pd.DataFrame]]:
    """A fresh copy of the hand-made qualitative tables at each call."""
    return lambda: small_qual_tables(book)


@pytest.fixture(scope="session")
def make_qual(synthetic, book) -> Callable[[dict[str, pd.DataFrame]], QualData]:
    """Raw qualitative tables typed, with the six synthetic sites, as real (not synthetic) interviews."""

    def make(tables: dict[str, pd.DataFrame]) -> QualData:
        typed = typed_tables(tables, book)
        sites = synthetic.sites[["site", "country"]].astype(str).reset_index(drop=True)
        return QualData(typed["interviews"], typed["framework"], typed["care_plans"], sites, book, True)

    return make


@pytest.fixture
def small_q(make_qual, book) -> QualData:
    """:func:`small_qual_tables` typed, with the six synthetic sites (four without interviews)."""
    return make_qual(small_qual_tables(book))


@pytest.fixture
def joint_survey() -> pd.DataFrame:
    """The survey side of a hand-made joint display: one site in each situation the rules distinguish."""
    return pd.DataFrame(
        {
            "site": list("ABCDE"),
            "measure": "STAR-P",
            "label": "STAR-P total",
            "n": [20, 20, 20, 20, 0],
            "mean": [40.0, 30.0, 35.0, 36.0, np.nan],
            "ci_low": [38, 28, 33, 34, np.nan],
            "ci_high": [42, 32, 37, 38, np.nan],
            "anova_p": 0.001,
            "higher_than": ["B", "", "", "", ""],
            "lower_than": ["", "A", "", "", ""],
            "position": ["higher", "lower", "not different", "not different", "no data"],
        }
    )


# --------------------------------------------------------------------------- runs and a second dataset


class PreviousResult:
    """An output folder holding a previous result: a run record written by cocapp (``run.json``, listing
    the folder's files) and a marker file."""

    def __init__(self, path: Path):
        self.path = path
        self.record = (
            json.dumps({"tool": TOOL, "version": "0", OUTPUT_MARKER_KEY: OUTPUT_MARKER, "files": ["marker.txt"]}) + "\n"
        )
        path.mkdir()
        (path / "run.json").write_text(self.record, encoding="utf-8")
        (path / "marker.txt").write_text("previous build\n", encoding="utf-8")

    def assert_untouched(self) -> None:
        """The folder still holds exactly the previous result."""
        assert sorted(p.name for p in self.path.iterdir()) == ["marker.txt", "run.json"]
        assert (self.path / "marker.txt").read_text(encoding="utf-8") == "previous build\n"
        assert (self.path / "run.json").read_text(encoding="utf-8") == self.record


@pytest.fixture
def previous_result(tmp_path: Path) -> PreviousResult:
    """A previous result in ``tmp_path/out`` that a failed run must leave alone."""
    return PreviousResult(tmp_path / "out")


def make_second_dataset(folder: Path, fraction: float = 0.6, seed: int = 7) -> Path:
    """The synthetic data with other site names, one site fewer and fewer participants.

    Written with :func:`helpers.io.write_dataset` and no manifest, so the
    folder is not marked synthetic.
    """
    tables = {
        name: pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype={"participant_id": str})
        for name in ("sites", "service_users", "care_coordinators")
    }
    sites = tables["sites"]
    sites = sites[sites["site"] != DROPPED_SITE].assign(site=lambda t: t["site"].map(RENAMED_SITES))
    groups = {}
    for name in ("service_users", "care_coordinators"):
        table = tables[name]
        table = table[table["site"] != DROPPED_SITE]
        keep = table.groupby("site").sample(frac=fraction, random_state=seed)
        table = table.loc[sorted(keep.index)].assign(site=lambda t: t["site"].map(RENAMED_SITES))
        groups[name] = table.reset_index(drop=True)
    write_dataset(folder, sites.reset_index(drop=True), groups["service_users"], groups["care_coordinators"])
    return folder


class SecondDataset:
    """The second dataset: its folder, the site renaming and the dropped site."""

    renamed = RENAMED_SITES
    dropped = DROPPED_SITE

    def __init__(self, folder: Path):
        self.folder = make_second_dataset(folder)


@pytest.fixture(scope="session")
def second_dataset(tmp_path_factory: pytest.TempPathFactory) -> SecondDataset:
    """A second, non-synthetic dataset (see :func:`make_second_dataset`)."""
    return SecondDataset(tmp_path_factory.mktemp("second-dataset") / "data")
