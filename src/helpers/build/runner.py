"""Run the book: one dataset folder and a run's analysis settings in, one result folder out.

:func:`run_book`

1. checks the parameters (analysis settings overridden for this run) with
   :func:`helpers.io.load_config`, and validates the dataset (:func:`helpers.io.validate_dataset`);
   on any problem it stops before executing anything;
2. converts every chapter to ``.ipynb`` with jupytext in a staging folder and checks that
   its ``parameters`` cell declares only ``data_dir``, ``output_dir`` and ``settings``;
3. executes the chapters with papermill, in parallel, each in its own kernel, each
   receiving the dataset folder, its output folder and the overridden settings;
4. builds the HTML book from the executed notebooks with
   ``jupyter-book build -W -n --keep-going`` (any warning fails the build);
5. writes the run record ``run.json`` and only then replaces the output folder, in one rename.

The output folder must be new, empty or a result that cocapp wrote, and neither inside the data
folder nor holding it (:mod:`helpers.build.output`); one run at a time may write it
(:mod:`helpers.build.lock`). SIGINT and SIGTERM stop a run: the running kernels are killed, the
staging folder is removed and :class:`~helpers.build.signals.RunInterrupted` is raised
(:mod:`helpers.build.signals`).

Output layout::

    OUT/html/index.html       the static website
    OUT/notebooks/*.ipynb     the executed notebooks
    OUT/tables/*.csv          every result table
    OUT/figures/*.png         every figure
    OUT/run.json              parameters, settings, data checksums, software versions, timings

Whatever fails, and whenever the run is stopped, the previous content of ``OUT`` is left as it was.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from helpers.io import (
    PROJECT_ROOT,
    SYNTHETIC_DIR,
    AnalysisConfig,
    DataValidationError,
    proven_synthetic,
    validate_dataset,
)

from .chapters import NOTEBOOKS, check_parameter_cells, load_chapters
from .downloads import RESULTS
from .errors import BookBuildError
from .execute import Progress, count, execute_all, kernel_python
from .lock import output_lock
from .output import check_locations, check_out_dir, folder_files, replace_dir
from .params import check_parameters
from .record import RUN_RECORD, previous_timings, published_record, run_record, write_record
from .signals import StopSignals
from .staging import build_html, copy_book_files, publish_notebook, stage_intro

__all__ = ["DEFAULT_OUT", "RunResult", "run_book"]

#: Where ``cocapp book`` writes the default (synthetic) book.
DEFAULT_OUT = PROJECT_ROOT / "_build" / "book"


@dataclass
class RunResult:
    """What :func:`run_book` produced.

    Attributes
    ----------
    out_dir : Path
        The result folder.
    index : Path or None
        ``out_dir/html/index.html`` (None when built without HTML).
    record : dict
        The content of ``out_dir/run.json``.
    """

    out_dir: Path
    index: Path | None
    record: dict


def run_book(
    data_dir: str | Path | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    params: Mapping[str, Any] | None = None,
    jobs: int = 2,
    progress: bool | TextIO = True,
    *,
    root: str | Path | None = None,
    html: bool = True,
) -> RunResult:
    """Execute every chapter on one dataset and build the book into ``out_dir``.

    Parameters
    ----------
    data_dir : str or Path, optional
        Dataset folder; default the synthetic dataset ``data/synthetic``.
    out_dir : str or Path
        Result folder (default ``_build/book``). It is replaced as a whole, and only
        when everything succeeded; it must be new, empty or an unchanged result of an
        earlier run (whose ``run.json`` lists every file in it), outside the data
        folder and not holding it.
    params : mapping, optional
        Analysis settings for this run, e.g. ``{"alpha": 0.01}``, on top of
        ``config/analysis.yaml``. Every chapter that declares ``settings`` receives
        them as ``settings``.
    jobs : int
        Notebooks executed at the same time (each in its own kernel).
    progress : bool or text stream
        Print one line per finished notebook (to stdout, or to the given stream).
    root : str or Path, optional
        Book root holding ``_config.yml``, ``_toc.yml``, the pages and
        ``notebooks/``; default the project.
    html : bool
        Build the HTML book (``False``: execute and collect tables only).

    Returns
    -------
    RunResult

    Raises
    ------
    UnknownParameterError, ParameterError
        If a parameter is not an analysis setting, is reserved, or has an
        unacceptable value (every problem listed); nothing is executed.
    helpers.io.DataValidationError
        If the dataset has problems (``.report`` holds them); nothing is executed.
    NotebookExecutionError
        If a notebook fails; each failure names the notebook and the code cell.
    BookBuildError
        If the HTML build reports any warning or error, or a notebook printed to stderr.
    helpers.build.output.OutputFolderError
        For an output folder that may not be written or replaced; nothing is executed.
    helpers.build.lock.OutputBusyError
        If another run is writing ``out_dir``; nothing is executed.
    BookError
        For an unusable book root, chapter parameters cell or kernel.
    helpers.build.signals.RunInterrupted
        On SIGINT or SIGTERM (in the main thread): the running kernels were killed.

    On any error, and when stopped, ``out_dir`` is left exactly as it was.
    """
    started = time.perf_counter()
    stream = (sys.stdout if progress is True else progress) if progress else None
    root = Path(root or PROJECT_ROOT).resolve()
    data_dir = Path(data_dir or SYNTHETIC_DIR).resolve()
    out_dir = Path(out_dir).resolve()
    params = dict(params or {})

    with StopSignals() as signals:
        config = check_parameters(params, data_dir=data_dir)
        check_locations(out_dir, data_dir, [root, PROJECT_ROOT, Path.home(), Path.cwd()])
        parent_created = not out_dir.parent.exists()
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            with output_lock(out_dir):
                check_out_dir(out_dir)
                report = validate_dataset(data_dir)
                if not report.ok:
                    raise DataValidationError(report)
                kernel_python()
                with signals.deferred():
                    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
                try:
                    signals.stop_if_received()
                    return _build(
                        root, data_dir, out_dir, staging, params, config, jobs, stream, html, signals, started
                    )
                finally:
                    with signals.deferred():
                        shutil.rmtree(staging, ignore_errors=True)
        finally:
            if parent_created and out_dir.parent.is_dir() and not any(out_dir.parent.iterdir()):
                out_dir.parent.rmdir()


def _build(
    root: Path,
    data_dir: Path,
    out_dir: Path,
    staging: Path,
    params: dict[str, Any],
    config: AnalysisConfig,
    jobs: int,
    stream: TextIO | None,
    html: bool,
    signals: StopSignals,
    started: float,
) -> RunResult:
    """The run itself, in ``staging``, once every check passed; replaces ``out_dir`` at the end."""
    chapters = load_chapters(root, staging / "source")
    check_parameter_cells(chapters)

    results = staging / "results"
    book = staging / "book"
    results.mkdir()
    copy_book_files(root, book, chapters)
    lines = Progress(len(chapters), max((len(c.name) for c in chapters), default=0), stream)
    synthetic = proven_synthetic(data_dir)
    lines.say(
        f"Executing {count(len(chapters), 'notebook')} on {'SYNTHETIC ' if synthetic else ''}data in "
        f"{data_dir} ({min(jobs, len(chapters))} at a time)"
    )
    t0 = time.perf_counter()
    timings = execute_all(chapters, book / NOTEBOOKS, params, data_dir, results, jobs, lines, previous_timings(out_dir))
    lines.say(f"Executed {count(len(chapters), 'notebook')} in {time.perf_counter() - t0:.1f} s")

    problems = []
    for chapter in chapters:
        problems += publish_notebook(book / NOTEBOOKS / f"{chapter.name}.ipynb", chapter, results, out_dir)
    if problems:
        raise BookBuildError(problems, "notebook outputs that must not be published")
    stage_intro(book, data_dir, synthetic, params)

    new = staging / "out"
    new.mkdir()
    index = None
    if html:
        t0 = time.perf_counter()
        lines.say("Building the HTML book (jupyter-book build -W -n --keep-going) ...")
        shutil.move(str(build_html(book, staging / "jupyter-book")), str(new / "html"))
        index = out_dir / "html" / "index.html"
        lines.say(f"Built the HTML book in {time.perf_counter() - t0:.1f} s")
    shutil.copytree(book / NOTEBOOKS, new / NOTEBOOKS)
    for kind in ("tables", "figures"):
        if (results / kind).is_dir():
            shutil.move(str(results / kind), str(new / kind))
        else:
            (new / kind).mkdir()

    record = run_record(
        data_dir=data_dir,
        synthetic=synthetic,
        params=params,
        config=config,
        chapters=chapters,
        timings=timings,
        jobs=jobs,
        html=html,
    )
    published = new / "html" / RESULTS  # the downloads of the book: a copy of the run record beside them
    record["files"] = sorted(folder_files(new) + ([f"html/{RESULTS}/{RUN_RECORD}"] if published.is_dir() else []))
    record["elapsed_seconds"] = round(time.perf_counter() - started, 2)
    write_record(record, new)
    if published.is_dir():
        write_record(published_record(record), published)
    with signals.deferred():  # a signal now would leave the output folder half replaced
        replace_dir(new, out_dir)
    lines.say(f"Done in {record['elapsed_seconds']:.1f} s. " + (f"Book: {index}" if index else f"Results: {out_dir}"))
    return RunResult(out_dir=out_dir, index=index, record=record)
