"""Run the book: one dataset folder and a run's analysis settings in, one result folder out.

:func:`run_book`

1. checks the parameters (analysis settings overridden for this run) with
   :func:`helpers.io.load_config`, and validates the dataset once, writing its typed tables to a
   snapshot in the staging folder (:func:`helpers.io.snapshot_dataset`), or takes the cached
   snapshot of byte-identical files validated by the same code; on any problem it stops
   before executing anything;
2. converts every chapter to ``.ipynb`` with jupytext in a staging folder and checks that
   its ``parameters`` cell declares only ``data_dir``, ``output_dir`` and ``settings``;
3. restores from the build cache (:mod:`helpers.build.cache`) every chapter whose key did not
   change, and executes the others with papermill, in parallel, each in its own kernel, each
   receiving the dataset folder, its output folder and the overridden settings, and reading the
   snapshot instead of validating the dataset again (its kernel's ``COCAPP_SNAPSHOT``);
4. builds the HTML book from the executed notebooks with
   ``jupyter-book build -W -n --keep-going`` (any warning fails the build), or reuses the cached
   HTML when no file of the staged book changed;
5. writes the run record ``run.json`` (with the snapshot's SHA-256 and the chapters taken from the
   cache) and only then replaces the output folder, in one rename.

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
    SNAPSHOT_ENV,
    SYNTHETIC_DIR,
    AnalysisConfig,
    proven_synthetic,
    snapshot_dataset,
)
from helpers.io.identifiers import IdentifierNamesError, load_names, scan_files
from helpers.io.snapshot import read_scan, snapshot_digest, snapshot_meta, write_scan

from .cache import BuildCache, cache_folder, chapter_key, project_digest, snapshot_key, tree_digest
from .chapters import NOTEBOOKS, Chapter, check_parameter_cells, load_chapters
from .downloads import RESULTS
from .errors import BookBuildError
from .execute import Progress, count, execute_all, kernel_python
from .lock import output_lock
from .output import check_locations, check_out_dir, folder_files, replace_dir
from .params import check_parameters, notebook_parameters
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
    force: bool = False,
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
    force : bool
        Validate the dataset, execute every chapter and build the HTML book anew, ignoring the
        build cache ``.NAME.cache`` beside ``out_dir`` (whose entries are then replaced); without
        it, files validated before are not validated again and only the chapters whose key
        changed are executed (:mod:`helpers.build.cache`).

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
                kernel_python()
                with signals.deferred():
                    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
                try:
                    signals.stop_if_received()
                    run = _Run(root, data_dir, out_dir, staging, params, jobs, stream, html, force)
                    _snapshot(run, config)
                    signals.stop_if_received()
                    return _build(run, config, signals, started)
                finally:
                    with signals.deferred():
                        shutil.rmtree(staging, ignore_errors=True)
        finally:
            if parent_created and out_dir.parent.is_dir() and not any(out_dir.parent.iterdir()):
                out_dir.parent.rmdir()


@dataclass
class _Run:
    """What one run builds, and where."""

    root: Path
    data_dir: Path
    out_dir: Path
    staging: Path
    params: dict[str, Any]
    jobs: int
    stream: TextIO | None
    html: bool
    force: bool
    snapshot: str = ""
    data_files: str = ""

    @property
    def cache(self) -> BuildCache:
        """The build cache beside the output folder."""
        return BuildCache(cache_folder(self.out_dir))


def _scan_names(run: _Run, config: AnalysisConfig) -> list[str] | None:
    """The names the chapters' identifier scan looks for, or None when their file cannot be read (the
    chapters then scan, and report the problem, themselves)."""
    try:
        return load_names(config.identifier_names, base=run.data_dir)
    except IdentifierNamesError:
        return None


def _snapshot(run: _Run, config: AnalysisConfig) -> None:
    """Validate the dataset once and write its snapshot into the staging folder (or take the cached
    snapshot of byte-identical files validated by the same code); set ``run.snapshot`` to its SHA-256.

    On data not proven synthetic, the files are scanned for identifiers once here, and the hits kept
    with the snapshot for every chapter's disclosure policy (:func:`helpers.io.snapshot.write_scan`).
    """
    lines = Progress(0, 0, run.stream)
    folder = run.staging / "snapshot"
    run.data_files = tree_digest([run.data_dir], run.data_dir)
    key = snapshot_key(run.data_dir, run.data_files, project_digest())
    cached = None if run.force else run.cache.snapshot(key)
    names = _scan_names(run, config)
    t0 = time.perf_counter()
    if cached is not None:
        shutil.copytree(cached, folder)
        run.snapshot = snapshot_digest(folder)
        lines.say(f"Dataset files unchanged since their validation: snapshot {run.snapshot[:12]} from the cache")
        meta = snapshot_meta(folder)
        if names is not None and not meta["synthetic"] and read_scan(folder, names) is None:
            files = [run.data_dir / relative for relative in meta["files"].values()]
            write_scan(folder, names, scan_files(files, names))
            run.cache.store_snapshot(key, folder)
        return
    lines.say(f"Validating the dataset in {run.data_dir} ...")
    run.snapshot = snapshot_dataset(run.data_dir, folder, names=names)
    run.cache.store_snapshot(key, folder)
    lines.say(f"Validated the dataset in {time.perf_counter() - t0:.1f} s (snapshot {run.snapshot[:12]})")


def _restore(
    run: _Run, chapters: list[Chapter], cache: BuildCache, results: Path, executed: Path, lines: Progress
) -> tuple[list[Chapter], dict[str, str]]:
    """Restore the chapters whose key is cached; return the chapters to execute and every chapter's key."""
    inputs = {
        "snapshot": run.snapshot,
        "data_files": run.data_files,
        "project": project_digest(),
        "out_dir": str(run.out_dir),
    }
    keys, pending = {}, []
    for chapter in chapters:
        parameters = notebook_parameters(chapter.parameters, run.params, run.data_dir, results / chapter.name)
        keys[chapter.name] = chapter_key(chapter.source, parameters, inputs)
        entry = None if run.force else cache.chapter(chapter.name, keys[chapter.name])
        if entry is None:
            pending.append(chapter)
            continue
        shutil.copy2(entry / "notebook.ipynb", executed / f"{chapter.name}.ipynb")
        shutil.copytree(entry / "results", results / chapter.name)
        lines.say(f"[cached] {chapter.name}")
    return pending, keys


def _collect(results: Path, chapters: list[Chapter], kind: str) -> Path:
    """Every chapter's ``kind`` files (tables or figures) moved into ``results/kind``."""
    target = results / kind
    target.mkdir()
    for chapter in chapters:
        folder = results / chapter.name / kind
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            shutil.move(str(path), str(target / path.name))
    return target


def _build(run: _Run, config: AnalysisConfig, signals: StopSignals, started: float) -> RunResult:
    """The run itself, in ``run.staging``, once every check passed; replaces ``run.out_dir`` at the end."""
    staging, out_dir, data_dir, params = run.staging, run.out_dir, run.data_dir, run.params
    chapters = load_chapters(run.root, staging / "source")
    check_parameter_cells(chapters)

    results = staging / "results"
    book = staging / "book"
    results.mkdir()
    copy_book_files(run.root, book, chapters)
    (book / NOTEBOOKS).mkdir(parents=True, exist_ok=True)
    cache = run.cache
    lines = Progress(len(chapters), max((len(c.name) for c in chapters), default=0), run.stream)
    pending, keys = _restore(run, chapters, cache, results, book / NOTEBOOKS, lines)
    synthetic = proven_synthetic(data_dir)
    previous = previous_timings(out_dir)
    timings: dict[str, float] = {}
    if pending:
        unchanged = len(chapters) - len(pending)
        lines.say(
            f"Executing {count(len(pending), 'notebook')}"
            + (f" ({unchanged} unchanged, from the cache)" if unchanged else "")
            + f" on {'SYNTHETIC ' if synthetic else ''}data in {data_dir} ({min(run.jobs, len(pending))} at a time)"
        )
        lines.total = len(pending)
        t0 = time.perf_counter()
        environment = {SNAPSHOT_ENV: str(staging / "snapshot")}
        timings = execute_all(
            pending, book / NOTEBOOKS, params, data_dir, results, run.jobs, lines, previous, environment
        )
        lines.say(f"Executed {count(len(pending), 'notebook')} in {time.perf_counter() - t0:.1f} s")
    else:
        lines.say(f"No chapter changed: all {count(len(chapters), 'notebook')} taken from the cache")

    problems = []
    for chapter in pending:
        notebook = book / NOTEBOOKS / f"{chapter.name}.ipynb"
        found = publish_notebook(notebook, chapter, results / chapter.name, out_dir)
        if not found:
            cache.store_chapter(chapter.name, keys[chapter.name], notebook, results / chapter.name)
        problems += found
    if problems:
        raise BookBuildError(problems, "notebook outputs that must not be published")
    cached = [c.name for c in chapters if c not in pending]
    timings.update({name: previous.get(name, 0.0) for name in cached})
    stage_intro(book, data_dir, synthetic, params)

    new = staging / "out"
    new.mkdir()
    index = None
    html_cached = False
    if run.html:
        t0 = time.perf_counter()
        html_key = tree_digest([book], book) + project_digest()
        reused = None if run.force else cache.html(html_key)
        if reused is not None:
            shutil.copytree(reused, new / "html")
            html_cached = True
            lines.say("Reused the HTML book: no file of it changed")
        else:
            lines.say("Building the HTML book (jupyter-book build -W -n --keep-going) ...")
            built = build_html(book, staging / "jupyter-book")
            cache.store_html(html_key, built)
            shutil.move(str(built), str(new / "html"))
            lines.say(f"Built the HTML book in {time.perf_counter() - t0:.1f} s")
        index = out_dir / "html" / "index.html"
    shutil.copytree(book / NOTEBOOKS, new / NOTEBOOKS)
    for kind in ("tables", "figures"):
        shutil.move(str(_collect(results, chapters, kind)), str(new / kind))

    record = run_record(
        data_dir=data_dir,
        synthetic=synthetic,
        params=params,
        config=config,
        chapters=chapters,
        timings=timings,
        jobs=run.jobs,
        html=run.html,
    )
    record["snapshot_sha256"] = run.snapshot
    record["cached_chapters"] = cached
    record["html_cached"] = html_cached
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
