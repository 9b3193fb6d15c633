"""The whole book: executed once per session on the default (synthetic) data.

- nbval re-executes every executed notebook in a fresh kernel and compares its
  outputs with the stored ones (sanitised with ``tests/nbval_sanitize.cfg``), so
  every chapter is deterministic;
- backtests compare every result table with its frozen copy in
  ``tests/backtest/tables/``. After a deliberate change of results refresh them
  with ``python -m helpers.build --freeze-backtests`` in the same commit;
- the rendered HTML holds no warnings, tracebacks or bare figure reprs;
- the book runs end to end on a second dataset (other sites, fewer participants,
  not synthetic) and its pages follow those data.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.build import BACKTEST_DIR, chapter_sources, run_book
from helpers.build.params import jsonable
from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR, load_config, load_dataset

SANITIZE = PROJECT_ROOT / "tests" / "nbval_sanitize.cfg"
FROZEN = BACKTEST_DIR
SYNTHETIC_BANNER = "Every number on this page comes from a synthetic dataset"
OWN_DATA_BANNER = "Results computed from the dataset in"
FORBIDDEN_IN_HTML = {
    "stderr output": 'class="output stderr"',
    "a traceback": "Traceback (most recent call last)",
    "a figure repr": "&lt;Figure size",
    "a matplotlib repr": "&lt;matplotlib.",
    "an axes repr": "&lt;Axes: ",
    "a warning": "Warning: ",
    "a deprecation notice": "deprecated",
}

pytestmark = pytest.mark.pipeline


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def chapter_pages(out: Path) -> list[Path]:
    return sorted((out / "html" / "notebooks").glob("*.html"))


# --------------------------------------------------------------------------- the default run


def test_default_run_layout(default_run):
    out = default_run.out_dir
    chapters = chapter_sources()
    assert (out / "html" / "index.html").is_file()
    assert sorted(p.stem for p in (out / "notebooks").glob("*.ipynb")) == [c.stem for c in chapters]
    assert [p.stem for p in chapter_pages(out)] == [c.stem for c in chapters]
    assert (out / "html" / "docs" / "data_dictionary.html").is_file()
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["synthetic"] is True and record["parameters"] == {}
    assert record["settings"] == jsonable(load_config().as_dict())
    assert set(record["notebook_seconds"]) == {c.stem for c in chapters}


def test_every_chapter_is_labelled_synthetic(default_run):
    for page in chapter_pages(default_run.out_dir):
        assert SYNTHETIC_BANNER in page_text(page), f"{page.name} shows no synthetic-data banner"
    assert "This build: synthetic data" in page_text(default_run.out_dir / "html" / "intro.html")


def load_prose_share():
    """``benchmarks/prose_share.py``, the measure of how much of a chapter's prose code writes."""
    spec = importlib.util.spec_from_file_location("prose_share", PROJECT_ROOT / "benchmarks" / "prose_share.py")
    module = sys.modules["prose_share"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chapters_are_written_by_people(default_run):
    """At most a quarter of each chapter's prose words are glued in by code, and no sentence
    stands word for word in two chapters."""
    prose_share = load_prose_share()
    shares = prose_share.measure_book(default_run.out_dir / "html")
    assert [s.page for s in shares] == [c.stem for c in chapter_sources()]
    assert all(s.prose_words > 500 for s in shares)
    above = {s.page: round(s.share, 3) for s in shares if s.share > prose_share.LIMIT}
    assert not above, f"chapters whose prose is mostly generated: {above}"
    assert all(s.glued_words > 0 for s in shares), "the measure found no glued words: has the markup changed?"
    assert not prose_share.repeated_sentences(shares)


def test_html_is_clean(default_run):
    pages = sorted((default_run.out_dir / "html").rglob("*.html"))
    assert pages
    problems = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for what, needle in FORBIDDEN_IN_HTML.items():
            if needle in text:
                problems.append(f"{page.relative_to(default_run.out_dir)} contains {what} ({needle!r})")
    assert not problems, "\n".join(problems)


def _nbval_copy(executed: Path, folder: Path) -> Path:
    """Copy of an executed notebook whose outputs go to ``folder/results``, not the run's folder."""
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r"(?m)^output_dir = .*$", f"output_dir = {str(folder / 'results')!r}", cell.source)
    target = folder / executed.name
    nbformat.write(nb, target)
    return target


def test_nbval_outputs_are_reproducible(default_run, tmp_path):
    """Re-execute every notebook with nbval; two pytest processes share the two cores."""
    notebooks = [_nbval_copy(p, tmp_path) for p in sorted((default_run.out_dir / "notebooks").glob("*.ipynb"))]
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\naddopts =\n", encoding="utf-8")
    base = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(ini),
        "--rootdir",
        str(tmp_path),
        "-p",
        "no:cacheprovider",
        "-q",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
    ]
    halves = [notebooks[0::2], notebooks[1::2]]
    runs = [
        subprocess.Popen(
            [*base, *map(str, half)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for half in halves
        if half
    ]
    reports = [(run, run.communicate()[0]) for run in runs]
    failed = [report for run, report in reports if run.returncode != 0]
    assert not failed, "\n\n".join(failed)
    # Re-running the notebooks also rewrote every table identically.
    for table in sorted((default_run.out_dir / "tables").glob("*.csv")):
        assert (tmp_path / "results" / "tables" / table.name).read_bytes() == table.read_bytes(), table.name


def test_backtests(default_run):
    """Every result table equals its frozen copy (``python -m helpers.build --freeze-backtests``)."""
    produced = {p.name: p for p in (default_run.out_dir / "tables").glob("*.csv")}
    frozen = {p.name: p for p in FROZEN.glob("*.csv")}
    hint = "refresh deliberately with `python -m helpers.build --freeze-backtests`"
    missing, extra = sorted(frozen.keys() - produced.keys()), sorted(produced.keys() - frozen.keys())
    assert not missing and not extra, f"tables not produced: {missing}; tables not frozen: {extra}; {hint}"
    differences = []
    for name in sorted(produced):
        expected = pd.read_csv(frozen[name])
        actual = pd.read_csv(produced[name])
        try:
            pd.testing.assert_frame_equal(actual, expected, check_exact=False, rtol=1e-9, obj=name)
        except AssertionError as err:
            differences.append(str(err))
    assert not differences, f"{len(differences)} table(s) differ from {FROZEN} ({hint}):\n\n" + "\n\n".join(differences)


# --------------------------------------------------------------------------- a second dataset


@pytest.fixture(scope="module")
def second_run(second_dataset, tmp_path_factory):
    """The whole book on the second dataset, with the renamed reference site."""
    params = {"reference_site": second_dataset.renamed["Burgundy"]}
    out = tmp_path_factory.mktemp("second-run") / "book"
    return run_book(second_dataset.folder, out, params, progress=False), params


def test_second_dataset_is_valid_and_different(second_dataset):
    data = load_dataset(second_dataset.folder)
    default = load_dataset(SYNTHETIC_DIR)
    assert not data.synthetic
    assert sorted(data.sites["site"]) == sorted(second_dataset.renamed.values())
    assert len(data.service_users) < len(default.service_users)
    assert len(data.care_coordinators) < len(default.care_coordinators)


def test_second_dataset_run_record(second_run, second_dataset):
    result, params = second_run
    out = result.out_dir
    assert (out / "html" / "index.html").is_file()
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"] == params
    assert record["settings"] == jsonable(load_config(overrides=params).as_dict())
    assert record["data_dir"] == str(second_dataset.folder.resolve())
    assert record["synthetic"] is False
    files = {p.name: p for p in second_dataset.folder.iterdir()}
    assert sorted(record["data_files"]) == sorted(files) == ["care_coordinators.csv", "service_users.csv", "sites.csv"]
    for name, path in files.items():
        assert record["data_files"][name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_dataset_tables(second_run, default_run):
    result, _ = second_run
    tables = sorted(p.name for p in (result.out_dir / "tables").glob("*.csv"))
    assert tables, "no result table written"
    assert tables == sorted(p.name for p in (default_run.out_dir / "tables").glob("*.csv"))
    for name in tables:
        assert not pd.read_csv(result.out_dir / "tables" / name).empty, name


def test_second_dataset_pages_follow_the_data(second_run, second_dataset):
    result, _ = second_run
    pages = {page.stem: page_text(page) for page in chapter_pages(result.out_dir)}
    everything = " ".join(pages.values())
    for site in second_dataset.renamed.values():
        assert site in everything, f"site {site!r} of the data appears on no page"
    for name, text in pages.items():
        assert SYNTHETIC_BANNER not in text, f"{name} says synthetic, but the data are not"
    assert OWN_DATA_BANNER in pages["07-synthesis"]
    assert second_dataset.dropped not in pages["07-synthesis"]
    assert "This build: your data" in page_text(result.out_dir / "html" / "intro.html")
