"""Executing the chapters: the kernel, the order, the progress lines and the failures."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from helpers.build import NotebookExecutionError, kernel_python, load_chapters, run_book
from helpers.build import execute as execute_module
from helpers.build.execute import THREAD_VARIABLES, Progress, code_cells, count, execute_all, kernel_manager_class
from helpers.io import SYNTHETIC_DIR


def test_kernel_is_this_environment():
    assert Path(kernel_python()).resolve() == Path(sys.executable).resolve()


def test_kernel_manager_limits_threads_per_kernel():
    two = kernel_manager_class(2)
    assert two.threads == 2 and kernel_manager_class(2) is two
    assert kernel_manager_class(3).threads == 3 and kernel_manager_class(3) is not two
    assert THREAD_VARIABLES[0] == "OMP_NUM_THREADS"


def test_progress_lines():
    stream = io.StringIO()
    lines = Progress(2, 8, stream)
    lines.say("Executing 2 notebooks")
    lines.finished("01-fine", 1.234)
    lines.finished("02-bad", 0.5, failed=True)
    assert stream.getvalue().splitlines() == [
        "Executing 2 notebooks",
        "[1/2] 01-fine   1.2 s",
        "[2/2] 02-bad    FAILED after 0.5 s",
    ]
    Progress(1, 1, None).finished("silent", 1.0)  # no stream: prints nothing
    assert (count(1, "notebook"), count(0, "table")) == ("1 notebook", "0 tables")


def test_longest_chapter_runs_first_and_each_gets_its_parameters(make_book, fine, broken, tmp_path, monkeypatch):
    calls = []

    def fake(chapter, output, parameters, cwd, jobs=1, environment=None):
        calls.append((chapter.name, parameters, cwd, jobs))
        return 0.25

    monkeypatch.setattr(execute_module, "execute_chapter", fake)
    chapters = load_chapters(make_book({"01-fine": fine, "02-broken": broken}), tmp_path / "staging")
    data, results, executed = tmp_path / "data", tmp_path / "results", tmp_path / "executed"
    stream = io.StringIO()
    timings = execute_all(
        chapters,
        executed,
        {"alpha": 0.01},
        data,
        results,
        1,
        Progress(2, 9, stream),
        {"01-fine": 1.0, "02-broken": 5.0},
    )
    assert timings == {"01-fine": 0.25, "02-broken": 0.25}
    assert calls == [
        ("02-broken", {"data_dir": str(data)}, executed, 1),
        (
            "01-fine",
            {"data_dir": str(data), "output_dir": str(results / "01-fine"), "settings": {"alpha": 0.01}},
            executed,
            1,
        ),
    ]
    assert stream.getvalue().splitlines()[0] == "[1/2] 02-broken  0.2 s"

    calls.clear()  # no previous timings: the most code cells first, then toc order
    assert code_cells(chapters[0]) > code_cells(chapters[1]) == 4
    execute_all(chapters, executed, {}, data, results, 1, Progress(2, 9, None), {})
    assert [c[0] for c in calls] == ["01-fine", "02-broken"]


def test_without_timings_the_chapter_with_most_code_cells_runs_first(make_book, fine, broken, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda chapter, *a, **k: calls.append(chapter.name) or 0.1)
    book = make_book({"01-broken": broken, "02-fine": fine, "03-broken": broken})
    chapters = load_chapters(book, tmp_path / "staging")

    def order(previous):
        calls.clear()
        execute_all(chapters, tmp_path, {}, tmp_path, tmp_path / "results", 1, Progress(3, 9, None), previous)
        return calls

    assert order({}) == ["02-fine", "01-broken", "03-broken"]  # equal counts keep toc order
    assert order({"02-fine": 1.0}) == ["01-broken", "03-broken", "02-fine"]  # unknown ones first
    assert order({"02-fine": 1.0, "01-broken": 0.5, "03-broken": 2.0}) == ["03-broken", "02-fine", "01-broken"]


def test_failure_without_a_cell_is_reported(make_book, fine, tmp_path, monkeypatch):
    def dead(chapter, *args, **kwargs):
        raise RuntimeError("Kernel died before replying\nmore detail")

    monkeypatch.setattr(execute_module, "execute_chapter", dead)
    chapters = load_chapters(make_book({"01-fine": fine}), tmp_path / "staging")
    with pytest.raises(NotebookExecutionError) as err:
        execute_all(chapters, tmp_path / "x", {}, tmp_path, tmp_path, 2, Progress(1, 7, None), {})
    assert str(err.value) == "notebook 01-fine, cell 0: RuntimeError: Kernel died before replying"


def test_failing_notebook_is_named_with_its_cell(make_book, fine, broken, previous_result, tmp_path, no_staging_left):
    root = make_book({"01-fine": fine, "02-broken": broken})
    stream = io.StringIO()
    with pytest.raises(NotebookExecutionError) as err:
        run_book(SYNTHETIC_DIR, previous_result.path, root=root, progress=stream)
    (failure,) = err.value.failures
    assert str(failure) == "notebook 02-broken, cell 3: ValueError: boom 2017"
    assert str(err.value) == str(failure)
    assert (failure.notebook, failure.cell, failure.ename) == ("02-broken", 3, "ValueError")
    lines = (root / "notebooks" / "02-broken.md").read_text(encoding="utf-8").splitlines()
    assert lines[failure.line - 1].startswith("raise ValueError")
    assert failure.location().endswith(f'02-broken.md, line {failure.line}: raise ValueError(f"boom {{value}}")')
    assert "ValueError" in failure.traceback and "\x1b[" not in failure.traceback
    assert "Traceback" not in str(err.value)
    progress = stream.getvalue()
    assert "02-broken  FAILED after" in progress and "01-fine " in progress
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)
