"""Shared fixtures: tiny throwaway books, a second dataset and the default book run.

The tiny books (a few lines of code per chapter, built in a tmp folder) keep the
runner's tests fast; the default run is executed once per session and shared by
every test of ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pytest

from helpers import analysis
from helpers.dataio import load_dataset
from helpers.instruments import load_instruments
from helpers.paths import PROJECT_ROOT, SYNTHETIC_DIR
from helpers.published import load_published

#: New names of the synthetic sites in the second dataset (one site is dropped).
RENAMED_SITES = {
    "Artois": "Kestrel Vale",
    "Burgundy": "Afon Cymru",
    "Champagne": "Bryn Glas",
    "Dauphine": "Harbour City",
    "Provence": "Northmoor",
}
DROPPED_SITE = "Languedoc"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "pipeline: runs the whole book end to end (execution and HTML build); runs by default, "
        "deselect with -m 'not pipeline'",
    )


@pytest.fixture(scope="session")
def instruments():
    """The project's instrument definitions."""
    return load_instruments()


@pytest.fixture(scope="session")
def published():
    """The article's published tables."""
    return load_published()


@pytest.fixture(scope="session")
def synthetic(instruments):
    """The committed synthetic dataset, loaded and validated."""
    return load_dataset(SYNTHETIC_DIR, instruments)


@pytest.fixture(scope="session")
def scores(synthetic, instruments):
    """Scores of every outcome of the synthetic dataset at the article's 50 % threshold."""
    return analysis.outcome_scores(synthetic, instruments, max_missing=0.5)


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """Factory of a throwaway book root: the project's ``_config.yml``, a small
    ``intro.md`` and ``_toc.yml``, and the given chapters (name to notebook text)."""

    def make(chapters: Mapping[str, str], pages: Mapping[str, str] | None = None) -> Path:
        root = tmp_path / "book"
        (root / "notebooks").mkdir(parents=True)
        shutil.copy2(PROJECT_ROOT / "_config.yml", root / "_config.yml")
        (root / "intro.md").write_text(
            "# A tiny book\n\n<!-- build-data-statement -->\n\nA test book.\n", encoding="utf-8")
        toc = ["format: jb-book", "root: intro", "chapters:"]
        for name, text in chapters.items():
            (root / "notebooks" / f"{name}.md").write_text(text, encoding="utf-8")
            toc.append(f"  - file: notebooks/{name}")
        for name, text in (pages or {}).items():
            (root / f"{name}.md").write_text(text, encoding="utf-8")
            toc.append(f"  - file: {name}")
        (root / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
        return root

    return make


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

    Written with :func:`helpers.dataio.write_dataset` and no manifest, so the
    folder is not marked synthetic.
    """
    from helpers.dataio import write_dataset

    tables = {name: pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype={"participant_id": str})
              for name in ("sites", "service_users", "care_coordinators")}
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


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory):
    """The default book (synthetic data, default parameters) executed and built once per session."""
    from helpers.book import run_book

    out = tmp_path_factory.mktemp("default-run") / "book"
    return run_book(out_dir=out, progress=False)
