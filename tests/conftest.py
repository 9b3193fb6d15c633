"""Shared fixtures: the project's instruments, settings, published values and synthetic
data, the scores every survey test starts from, and a second, non-synthetic dataset.

Fixtures of the runner's tests (tiny throwaway books, the default book run) live in
``tests/build/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.io import SYNTHETIC_DIR, load_config, load_dataset, load_instruments, load_published, write_dataset
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


class PreviousResult:
    """An output folder holding a previous result (``run.json``) and a marker file."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir()
        (path / "run.json").write_text('{"previous": true}\n', encoding="utf-8")
        (path / "marker.txt").write_text("previous build\n", encoding="utf-8")

    def assert_untouched(self) -> None:
        """The folder still holds exactly the previous result."""
        assert sorted(p.name for p in self.path.iterdir()) == ["marker.txt", "run.json"]
        assert (self.path / "marker.txt").read_text(encoding="utf-8") == "previous build\n"
        assert (self.path / "run.json").read_text(encoding="utf-8") == '{"previous": true}\n'


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
