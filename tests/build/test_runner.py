"""run_book on throwaway books of one or two tiny chapters: checks first, then a complete result or none."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.build import ParameterError, UnknownParameterError, run_book
from helpers.build import execute as execute_module
from helpers.build.output import folder_files, record_problem
from helpers.io import SYNTHETIC_DIR, DataValidationError, load_config


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.fixture
def executed(monkeypatch) -> list:
    """Records every chapter execution (and executes nothing)."""
    calls: list = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda *args, **kwargs: calls.append(args))
    return calls


def test_unknown_parameter_is_rejected_before_anything_runs(make_book, fine, tmp_path, executed, no_staging_left):
    root = make_book({"01-fine": fine})
    out = tmp_path / "out"
    with pytest.raises(UnknownParameterError) as err:
        run_book(SYNTHETIC_DIR, out, {"alpah": 0.01, "alpha": 0.1, "reference_site": 3}, root=root, progress=False)
    message = str(err.value)
    assert "unknown parameter 'alpah' (did you mean 'alpha'?)" in message
    assert "parameter 'reference_site' is 3; it must be a site name or null" in message
    assert "known parameters: alpha, confidence, max_missing" in message
    assert err.value.unknown == ["alpah"]
    assert executed == []
    assert not out.exists()
    assert no_staging_left(tmp_path)


def test_invalid_dataset_executes_nothing(
    make_book, fine, invalid_dataset, previous_result, tmp_path, executed, no_staging_left
):
    root = make_book({"01-fine": fine})
    with pytest.raises(DataValidationError) as err:
        run_book(invalid_dataset, previous_result.path, {"alpha": 0.1}, root=root, progress=False)
    assert not err.value.report.ok
    assert [p.kind for p in err.value.report.problems] == ["out of range"]
    assert executed == []
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)


def test_parameters_are_checked_before_the_dataset(make_book, fine, invalid_dataset, previous_result, executed):
    with pytest.raises(ParameterError, match="'alpha' is 2"):
        run_book(invalid_dataset, previous_result.path, {"alpha": 2}, root=make_book({"01-fine": fine}), progress=False)
    assert executed == []
    previous_result.assert_untouched()


@pytest.mark.slow
def test_successful_run_replaces_the_previous_result(
    make_book, fine, mended, previous_result, tmp_path, capsys, no_staging_left
):
    root = make_book({"01-fine": fine, "02-broken": mended})
    params = {"alpha": 0.01, "reference_site": "Artois"}
    result = run_book(SYNTHETIC_DIR, previous_result.path, params, root=root)
    out = previous_result.path

    progress = capsys.readouterr().out
    lines = progress.splitlines()
    assert lines[0] == f"Validating the dataset in {SYNTHETIC_DIR} ..."
    assert (
        lines[1].startswith("Validated the dataset in ")
        and f"(snapshot {result.record['snapshot_sha256'][:12]})" in lines[1]
    )
    assert lines[2] == f"Executing 2 notebooks on SYNTHETIC data in {SYNTHETIC_DIR} (2 at a time)"
    assert "[1/2] " in progress and "[2/2] " in progress
    assert "Done in" in progress and f"Book: {out / 'html' / 'index.html'}" in progress

    assert result.out_dir == out and result.index == out / "html" / "index.html"
    assert sorted(p.name for p in out.iterdir()) == ["figures", "html", "notebooks", "run.json", "tables"]
    assert (out / "html" / "index.html").is_file()
    assert (out / "html" / "notebooks" / "01-fine.html").is_file()
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01-fine.ipynb", "02-broken.ipynb"]
    assert [p.name for p in (out / "figures").iterdir()] == ["line.png"]
    assert no_staging_left(tmp_path)

    # The chapter computed with the settings in force (the run's on top of the file's), in this environment's kernel.
    settings = pd.read_csv(out / "tables" / "settings.csv")
    assert settings.loc[0, "alpha"] == 0.01 and settings.loc[0, "reference_site"] == "Artois"
    assert settings.loc[0, "max_missing"] == load_config().max_missing
    assert Path(settings.loc[0, "python"]).resolve() == Path(sys.executable).resolve()
    # Two notebooks at a time: each kernel's numerical libraries get their share of the cores.
    expected_threads = os.environ.get("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // 2)))
    assert str(settings.loc[0, "omp_threads"]) == expected_threads

    # Each notebook received what its parameters cell declares; the injected cell names the final folder.
    broken = nbformat.read(out / "notebooks" / "02-broken.ipynb", as_version=4)
    assert broken.metadata.papermill.parameters == {"data_dir": str(SYNTHETIC_DIR)}
    fine_nb = nbformat.read(out / "notebooks" / "01-fine.ipynb", as_version=4)
    assert fine_nb.metadata.papermill.parameters == {
        "data_dir": str(SYNTHETIC_DIR),
        "output_dir": str(out),
        "settings": params,
    }
    assert fine_nb.metadata.papermill.input_path == "notebooks/01-fine.md"
    injected = [c for c in fine_nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f'output_dir = "{out}"' in injected[0].source
    assert "hide-input" in injected[0].metadata.tags
    assert 'settings = {"alpha": 0.01, "reference_site": "Artois"}' in injected[0].source

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record == result.record
    assert record["parameters"] == params
    assert record["settings"]["alpha"] == 0.01 and record["settings"]["reference_site"] == "Artois"
    assert record["settings"]["su_covariates"] == list(load_config().su_covariates)
    assert record["notebook_parameters"] == {"01-fine": params, "02-broken": {}}
    assert record["data_dir"] == str(SYNTHETIC_DIR) and record["synthetic"] is True
    assert "manifest.json" in record["data_files"]
    assert record["chapters"] == ["notebooks/01-fine", "notebooks/02-broken"]
    assert set(record["notebook_seconds"]) == {"01-fine", "02-broken"}
    assert record["packages"]["papermill"] and record["packages"]["jupyter-book"]
    assert record["elapsed_seconds"] > 0

    intro = page_text(out / "html" / "intro.html")
    assert "This build: synthetic data" in intro and "alpha = 0.01" in intro
    assert "SYNTHETIC DATA" in page_text(out / "html" / "notebooks" / "01-fine.html")
    for html_page in (out / "html").rglob("*.html"):
        text = html_page.read_text(encoding="utf-8")
        assert "output stderr" not in text and "&lt;Figure size" not in text


def test_run_without_html_on_own_data(make_book, fine, second_dataset, tmp_path):
    result = run_book(
        second_dataset.folder, tmp_path / "out", root=make_book({"01-fine": fine}), jobs=1, progress=False, html=False
    )
    out = tmp_path / "out"
    assert result.index is None
    assert sorted(p.name for p in out.iterdir()) == ["figures", "notebooks", "run.json", "tables"]
    record = result.record
    assert record["synthetic"] is False and record["html"] is False and record["jobs"] == 1
    assert record["parameters"] == {} and record["settings"] == json.loads(json.dumps(load_config().as_dict()))
    assert sorted(record["data_files"]) == ["care_coordinators.csv", "service_users.csv", "sites.csv"]
    # The record lists every file the run wrote, so that the next run may replace the folder, and only then.
    assert record["files"] == [f for f in folder_files(out) if f != "run.json"]
    assert "tables/settings.csv" in record["files"] and "notebooks/01-fine.ipynb" in record["files"]
    assert record_problem(out) is None
    (out / "tables" / "mine.xlsx").write_bytes(b"my own work")
    assert "did not write: tables/mine.xlsx" in record_problem(out)
    assert pd.read_csv(out / "tables" / "settings.csv").loc[0, "omp_threads"] in (
        "unset",
        os.environ.get("OMP_NUM_THREADS"),
    )
