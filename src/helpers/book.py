"""Execute the book's notebooks with parameters and build the HTML book.

The chapters are MyST Markdown notebooks (``notebooks/NN-slug.md``) listed in
``_toc.yml``. :func:`run_book` turns one dataset folder into one result folder:

1. validate the dataset (:func:`helpers.dataio.validate_dataset`); on any problem
   stop before executing anything;
2. convert every chapter to ``.ipynb`` with jupytext in a staging folder and read
   the parameters it declares (:func:`papermill.inspect_notebook`); reject
   parameter names that no chapter declares;
3. execute the chapters with papermill, in parallel, each in its own kernel and
   with only the parameters it declares;
4. build the HTML book from the executed notebooks with
   ``jupyter-book build -W -n --keep-going`` (any warning fails the build);
5. write the run record ``run.json`` and only then replace the output folder, in
   one rename.

Output layout::

    OUT/html/index.html       the static website
    OUT/notebooks/*.ipynb     the executed notebooks
    OUT/tables/*.csv          every result table
    OUT/figures/*.png         every figure
    OUT/run.json              parameters, data checksums, software versions, timings

Whatever fails, the previous content of ``OUT`` is left as it was. The command
line front ends are ``cocapp book`` and ``cocapp run`` (:mod:`helpers.cli`);
``python -m helpers.book --freeze-backtests`` refreshes the frozen result tables
that ``tests/test_notebooks.py`` compares every run against.
"""

from __future__ import annotations

import ast
import asyncio
import difflib
import hashlib
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from .paths import INSTRUMENTS_DIR, PROJECT_ROOT, SYNTHETIC_DIR

__all__ = [
    "DEFAULT_OUT",
    "BACKTEST_DIR",
    "RESERVED_PARAMETERS",
    "BookError",
    "ParameterError",
    "UnknownParameterError",
    "CellFailure",
    "NotebookExecutionError",
    "BookBuildError",
    "Chapter",
    "RunResult",
    "parse_param",
    "toc_files",
    "chapter_sources",
    "load_chapters",
    "known_parameters",
    "check_parameters",
    "kernel_python",
    "run_book",
    "freeze_backtests",
    "main",
]

#: Where ``cocapp book`` writes the default (synthetic) book.
DEFAULT_OUT = PROJECT_ROOT / "_build" / "book"
#: Frozen result tables of the default run, compared by the backtests.
BACKTEST_DIR = PROJECT_ROOT / "tests" / "backtest" / "tables"
#: Parameters set by the runner itself, never by ``--param``.
RESERVED_PARAMETERS = {
    "data_dir": "the dataset folder is given with --data (run_book's data_dir)",
    "output_dir": "the output folder is set by the runner (--out / run_book's out_dir)",
}
#: Kernel every notebook runs in (resolves to this environment's Python, see :func:`kernel_python`).
KERNEL_NAME = "python3"
#: Folder of the chapter notebooks, relative to the book root.
NOTEBOOKS = "notebooks"
#: Book files and folders copied into the staging book when they exist.
BOOK_FILES = ("_config.yml", "_toc.yml")
BOOK_EXTRAS = ("docs", "_static", "images", "references.bib")
#: Extensions a non-notebook page of the toc may have.
PAGE_SUFFIXES = (".md", ".ipynb", ".rst")
#: Line of intro.md replaced, in the staged copy, by a note on the data of this build.
DATA_STATEMENT_MARKER = "<!-- build-data-statement -->"
#: Notebook outputs that must never reach the book (object reprs of figures and axes).
_STRAY_REPR = re.compile(r"^\[?<(?:Figure size|matplotlib\.|Axes[: ]|seaborn\.)|^Text\(-?\d")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- errors


class BookError(RuntimeError):
    """The book could not be run or built; ``str()`` is a message for the user."""


class ParameterError(BookError, ValueError):
    """A parameter given to :func:`run_book` is not acceptable."""


class UnknownParameterError(ParameterError):
    """Parameter names that no chapter declares.

    Attributes
    ----------
    unknown : list of str
        The rejected names.
    known : list of str
        Every parameter some chapter declares (the reserved ``data_dir`` and
        ``output_dir`` excluded).
    """

    def __init__(self, unknown: Iterable[str], known: Iterable[str]):
        self.unknown = sorted(unknown)
        self.known = sorted(known)
        lines = []
        for name in self.unknown:
            close = difflib.get_close_matches(name, self.known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"unknown parameter {name!r}{hint}")
        lines.append("known parameters: " + (", ".join(self.known) if self.known else "none"))
        super().__init__("\n".join(lines))


@dataclass
class CellFailure:
    """One notebook that stopped with an error.

    Attributes
    ----------
    notebook : str
        Chapter name, e.g. ``"03-therapeutic-relationship"``.
    cell : int
        Number of the failing code cell in the chapter source, counting code
        cells from 1 (0 when the failure is not tied to a cell).
    ename, evalue : str
        Exception name and message.
    source : Path
        The chapter's ``.md`` source.
    line : int or None
        Line of the source file where the failing cell's code starts.
    code : str
        The failing cell's code.
    traceback : str
        The kernel's traceback without colour codes (for debugging; never printed
        by the command line).
    """

    notebook: str
    cell: int
    ename: str
    evalue: str
    source: Path
    line: int | None = None
    code: str = ""
    traceback: str = ""

    def __str__(self) -> str:
        return f"notebook {self.notebook}, cell {self.cell}: {self.ename}: {self.evalue}"

    def location(self) -> str:
        """Where to look: ``notebooks/03-x.md, line 120: first line of the cell``."""
        first = next((s for s in self.code.splitlines() if s.strip()), "")
        source = Path(self.source)
        try:
            source = source.relative_to(Path.cwd())
        except ValueError:
            pass
        where = f"{source}" + (f", line {self.line}" if self.line else "")
        return f"{where}: {first.strip()}" if first else where


class NotebookExecutionError(BookError):
    """One or more notebooks failed; one line per failure.

    Attributes
    ----------
    failures : list of CellFailure
    """

    def __init__(self, failures: list[CellFailure]):
        self.failures = failures
        super().__init__("\n".join(str(f) for f in failures))


class BookBuildError(BookError):
    """The HTML build reported warnings or errors, or a notebook output must not be published.

    Attributes
    ----------
    problems : list of str
        One message per problem, paths relative to the book.
    """

    def __init__(self, problems: list[str], headline: str = "the HTML build failed"):
        self.problems = problems
        super().__init__("\n".join([headline + ":", *(f"  {p}" for p in problems)]))


# --------------------------------------------------------------------------- parameters


def parse_param(text: str) -> tuple[str, Any]:
    """Parse one ``NAME=VALUE`` command-line parameter.

    ``VALUE`` is read as a Python literal (number, string in quotes, list, tuple,
    dict, ``True``, ``False``, ``None``); anything that is not a literal is kept as
    text, so ``reference_site=Artois`` needs no quotes.

    Raises
    ------
    ParameterError
        If there is no ``=`` or ``NAME`` is not a Python identifier.

    Examples
    --------
    >>> parse_param("alpha=0.01")
    ('alpha', 0.01)
    >>> parse_param("reference_site=Artois")
    ('reference_site', 'Artois')
    >>> parse_param("su_covariates=['age', 'gender']")
    ('su_covariates', ['age', 'gender'])
    >>> parse_param("starp_reference=None"), parse_param("label='3'"), parse_param("note=")
    (('starp_reference', None), ('label', '3'), ('note', ''))
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep:
        raise ParameterError(f"parameter {text!r} is not of the form NAME=VALUE")
    if not name.isidentifier():
        raise ParameterError(f"parameter name {name!r} is not a valid Python name (in {text!r})")
    raw = raw.strip()
    try:
        value = ast.literal_eval(raw) if raw else ""
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = raw
    return name, value


def _literal(default: str) -> Any:
    """The default value of a parameter as papermill reports it (source text)."""
    try:
        return ast.literal_eval(default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ...  # not a literal: no type check


def _kind(value: Any) -> str | None:
    """Coarse type of a parameter value for the type check (None: anything goes)."""
    if value is None or value is ...:
        return None
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a dict"
    return None


def _accepts(expected: str, value: Any) -> bool:
    got = _kind(value)
    if got is None and value is not None:
        return False
    if value is None:
        return True  # None means "not set" throughout the book
    if expected == "a number":
        return got in ("a number", "a whole number")
    return got == expected


# --------------------------------------------------------------------------- chapters


@dataclass
class Chapter:
    """One chapter notebook of the book.

    Attributes
    ----------
    name : str
        File stem, e.g. ``"03-therapeutic-relationship"``.
    docname : str
        Entry in ``_toc.yml``, e.g. ``"notebooks/03-therapeutic-relationship"``.
    source : Path
        The MyST Markdown source.
    notebook : Path
        The converted, unexecuted ``.ipynb`` (in a staging folder).
    parameters : dict
        ``papermill.inspect_notebook`` output: name to ``{name, inferred_type_name, default, help}``.
    """

    name: str
    docname: str
    source: Path
    notebook: Path
    parameters: dict[str, dict] = field(default_factory=dict)


def _toc_entries(node: Any) -> Iterable[str]:
    """Every ``file``/``root`` entry of a parsed ``_toc.yml``, in order."""
    if isinstance(node, Mapping):
        for key in ("root", "file"):
            if isinstance(node.get(key), str):
                yield node[key]
        for key in ("parts", "chapters", "sections", "subtrees", "entries"):
            for child in node.get(key) or []:
                yield from _toc_entries(child)
    elif isinstance(node, list):
        for child in node:
            yield from _toc_entries(child)


def toc_files(root: str | Path | None = None) -> list[str]:
    """Every document of ``_toc.yml`` (root first), as written there without extension.

    Examples
    --------
    >>> toc_files()[0]
    'intro'
    """
    import yaml

    toc = Path(root or PROJECT_ROOT) / "_toc.yml"
    if not toc.is_file():
        raise BookError(f"{toc}: no such file")
    with toc.open(encoding="utf-8") as fh:
        entries = [str(Path(e).with_suffix("")) if Path(e).suffix in PAGE_SUFFIXES else e
                   for e in _toc_entries(yaml.safe_load(fh))]
    return list(dict.fromkeys(entries))


def chapter_sources(root: str | Path | None = None) -> list[Path]:
    """The ``.md`` sources of the chapter notebooks listed in ``_toc.yml``, in toc order.

    Raises
    ------
    BookError
        If a listed chapter has no ``notebooks/NN-slug.md`` source.
    """
    root = Path(root or PROJECT_ROOT)
    chapters = [e for e in toc_files(root) if e.split("/")[0] == NOTEBOOKS]
    sources = [root / f"{e}.md" for e in chapters]
    missing = [str(s.relative_to(root)) for s in sources if not s.is_file()]
    if missing:
        raise BookError("_toc.yml lists chapters without a source: " + ", ".join(missing))
    return sources


def load_chapters(root: str | Path | None, staging: str | Path) -> list[Chapter]:
    """Convert every chapter to ``.ipynb`` under ``staging`` and read its parameters."""
    import jupytext
    import papermill

    root, staging = Path(root or PROJECT_ROOT), Path(staging)
    staging.mkdir(parents=True, exist_ok=True)
    chapters = []
    for source in chapter_sources(root):
        notebook = staging / f"{source.stem}.ipynb"
        nb = jupytext.read(source)
        nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"})
        jupytext.write(nb, notebook, fmt="ipynb")
        chapters.append(Chapter(
            name=source.stem,
            docname=source.relative_to(root).with_suffix("").as_posix(),
            source=source,
            notebook=notebook,
            parameters=papermill.inspect_notebook(notebook),
        ))
    return chapters


def known_parameters(chapters: Iterable[Chapter]) -> dict[str, list[str]]:
    """Parameter name to the chapters that declare it (reserved names excluded)."""
    known: dict[str, list[str]] = {}
    for chapter in chapters:
        for name in chapter.parameters:
            if name not in RESERVED_PARAMETERS:
                known.setdefault(name, []).append(chapter.name)
    return dict(sorted(known.items()))


def check_parameters(params: Mapping[str, Any], chapters: Iterable[Chapter]) -> None:
    """Reject reserved or unknown names and values of the wrong type.

    A value must have the type of the notebook's default (a whole number where the
    default is one, any number where it is a float, text, a list, ``True`` or
    ``False``); ``None`` is always accepted, and a parameter whose default is
    ``None`` accepts anything.

    Raises
    ------
    UnknownParameterError
        If a name is declared by no chapter.
    ParameterError
        If a name is reserved or a value has the wrong type.
    """
    chapters = list(chapters)
    for name in params:
        if name in RESERVED_PARAMETERS:
            raise ParameterError(f"parameter {name!r} cannot be set: {RESERVED_PARAMETERS[name]}")
    known = known_parameters(chapters)
    unknown = [name for name in params if name not in known]
    if unknown:
        raise UnknownParameterError(unknown, known)
    problems = []
    for name, value in params.items():
        for chapter in chapters:
            if name not in chapter.parameters:
                continue
            default = chapter.parameters[name]["default"]
            expected = _kind(_literal(default))
            if expected is not None and not _accepts(expected, value):
                problems.append(f"parameter {name!r} expects {expected} (default in {chapter.name}: {default}), "
                                f"got {value!r}")
                break
    if problems:
        raise ParameterError("\n".join(problems))


# --------------------------------------------------------------------------- execution


def kernel_python(kernel_name: str = KERNEL_NAME) -> str:
    """The Python executable the notebooks' kernel runs.

    ``python3`` normally resolves to the ipykernel of this environment, whose
    kernel spec starts ``python``, which jupyter_client replaces by
    ``sys.executable``.

    Raises
    ------
    BookError
        If the kernel is missing or runs another Python than this environment's.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise BookError(f"no Jupyter kernel {kernel_name!r}; install ipykernel into {sys.prefix}") from None
    command = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    if command in {"python", f"python{major}", f"python{major}.{minor}"}:
        return sys.executable
    if Path(command).resolve() != Path(sys.executable).resolve() and \
            Path(command).parent.resolve() != Path(sys.executable).parent.resolve():
        raise BookError(f"the Jupyter kernel {kernel_name!r} ({spec.resource_dir}) runs {command}, not this "
                        f"environment's {sys.executable}; remove that kernel spec or run "
                        f"`{sys.executable} -m ipykernel install --sys-prefix`")
    return command


#: Thread-pool sizes of the numerical libraries, limited in each kernel when notebooks run in parallel.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_KERNEL_MANAGERS: dict[int, type] = {}


def _kernel_manager_class(threads: int) -> type:
    """A kernel manager whose kernels use at most ``threads`` BLAS/OpenMP threads.

    With one notebook per core, numerical libraries that start one thread per
    core in every kernel oversubscribe the machine. Values already set in the
    environment are kept.
    """
    if threads not in _KERNEL_MANAGERS:
        from jupyter_client import AsyncKernelManager

        class LimitedThreadsKernelManager(AsyncKernelManager):
            async def _async_pre_start_kernel(self, **kw: Any):
                env = dict(kw.pop("env", None) or os.environ)
                for name in THREAD_VARIABLES:
                    env.setdefault(name, str(threads))
                kw["env"] = env
                return await super()._async_pre_start_kernel(**kw)

        _KERNEL_MANAGERS[threads] = LimitedThreadsKernelManager
    return _KERNEL_MANAGERS[threads]


def _close_thread_loop() -> None:
    """Close the event loop nbclient left on this worker thread (else: ResourceWarning)."""
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return
    if not loop.is_running() and not loop.is_closed():
        loop.close()
    asyncio.set_event_loop(None)


def _code_cell_number(nb, source: str) -> int:
    """1-based number of the code cell with ``source`` among ``nb``'s code cells (0: not found)."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        if cell.source == source:
            return number
    return 0


def _source_line(path: Path, code: str) -> int | None:
    """Line of ``path`` where ``code`` starts (None if not found)."""
    text = path.read_text(encoding="utf-8")
    start = text.find(code) if code.strip() else -1
    return text.count("\n", 0, start) + 1 if start >= 0 else None


def _failure(chapter: Chapter, error) -> CellFailure:
    """A :class:`CellFailure` from a ``PapermillExecutionError``."""
    import nbformat

    nb = nbformat.read(chapter.notebook, as_version=4)
    code = error.source or ""
    evalue = (error.evalue or "").strip()
    return CellFailure(
        notebook=chapter.name,
        cell=_code_cell_number(nb, code),
        ename=error.ename,
        evalue=evalue,
        source=chapter.source,
        line=_source_line(chapter.source, code),
        code=code,
        traceback=_ANSI.sub("", "\n".join(error.traceback or [])),
    )


def _notebook_parameters(chapter: Chapter, params: Mapping[str, Any], data_dir: Path,
                         output_dir: Path) -> dict[str, Any]:
    """The parameters one chapter receives: only those it declares."""
    given = {k: v for k, v in params.items() if k in chapter.parameters}
    if "data_dir" in chapter.parameters:
        given["data_dir"] = str(data_dir)
    if "output_dir" in chapter.parameters:
        given["output_dir"] = str(output_dir)
    return given


def _execute(chapter: Chapter, output: Path, parameters: dict[str, Any], cwd: Path, jobs: int = 1) -> float:
    """Execute one chapter with papermill; return the seconds it took."""
    import papermill

    engine_options: dict[str, Any] = {}
    if jobs > 1:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        engine_options["kernel_manager_class"] = _kernel_manager_class(threads)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(chapter.notebook), str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            # The kernel's working directory. papermill's own ``cwd`` argument
            # changes the directory of this whole process, which is not safe with
            # several notebooks running in threads.
            resources={"metadata": {"path": str(cwd)}},
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            **engine_options,
        )
    except Exception as err:
        err.seconds = time.perf_counter() - start  # for the progress line
        raise
    finally:
        _close_thread_loop()
    return time.perf_counter() - start


def _count(n: int, noun: str) -> str:
    """``1 notebook``, ``7 notebooks``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


class _Progress:
    """``[3/7] 03-therapeutic-relationship  4.2 s`` lines, one per finished notebook."""

    def __init__(self, total: int, width: int, stream: TextIO | None):
        self.total, self.width, self.stream = total, width, stream
        self.done = 0
        self.lock = threading.Lock()

    def say(self, text: str) -> None:
        if self.stream is not None:
            with self.lock:
                print(text, file=self.stream, flush=True)

    def finished(self, name: str, seconds: float, failed: bool = False) -> None:
        with self.lock:
            self.done += 1
            done = self.done
        state = "FAILED after " if failed else ""
        self.say(f"[{done}/{self.total}] {name:<{self.width}}  {state}{seconds:.1f} s")


def _schedule(chapters: list[Chapter], previous: Mapping[str, float]) -> list[Chapter]:
    """Longest first by the previous run's timings (unknown ones first, in toc order)."""
    return sorted(chapters, key=lambda c: -previous.get(c.name, math.inf))


def _execute_all(chapters: list[Chapter], executed_dir: Path, params: Mapping[str, Any], data_dir: Path,
                 results_dir: Path, jobs: int, progress: _Progress,
                 previous: Mapping[str, float]) -> dict[str, float]:
    """Execute every chapter (``jobs`` at a time); raise one error listing every failure."""
    import papermill

    executed_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    failures: dict[str, CellFailure] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="notebook") as pool:
        futures = {}
        for chapter in _schedule(chapters, previous):
            parameters = _notebook_parameters(chapter, params, data_dir, results_dir)
            future = pool.submit(_execute, chapter, executed_dir / f"{chapter.name}.ipynb", parameters, executed_dir,
                                 jobs)
            futures[future] = chapter
        try:
            for future in as_completed(futures):
                chapter = futures[future]
                try:
                    timings[chapter.name] = future.result()
                    progress.finished(chapter.name, timings[chapter.name])
                except papermill.PapermillExecutionError as err:
                    failures[chapter.name] = _failure(chapter, err)
                    progress.finished(chapter.name, getattr(err, "seconds", 0.0), failed=True)
                except Exception as err:  # kernel died, notebook unreadable, ...
                    message = (str(err).strip().splitlines() or [""])[0]
                    failures[chapter.name] = CellFailure(chapter.name, 0, type(err).__name__, message, chapter.source)
                    progress.finished(chapter.name, getattr(err, "seconds", 0.0), failed=True)
        except BaseException:  # e.g. Ctrl-C: start no further notebook
            for future in futures:
                future.cancel()
            raise
    if failures:
        raise NotebookExecutionError([failures[c.name] for c in chapters if c.name in failures])
    return timings


# --------------------------------------------------------------------------- executed notebooks


def _published_notebook(path: Path, chapter: Chapter, results_dir: Path, out_dir: Path) -> list[str]:
    """Tidy an executed notebook for publication; return problems with its outputs.

    The injected parameters name the final output folder instead of the staging
    one (so re-running the notebook writes where the run record says), the
    injected cell is collapsed in the book, and papermill's paths are made relative.
    Problems: stderr output (warnings) and bare figure or axes reprs.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    staged, final = str(results_dir), str(out_dir)
    problems = []
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags:
            cell.source = cell.source.replace(staged, final)
            if "hide-input" not in tags:
                tags.append("hide-input")
            continue
        number += 1
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr" and output.text.strip():
                first = output.text.strip().splitlines()[0]
                problems.append(f"notebook {chapter.name}, cell {number}: output on stderr: {first}")
            text = output.get("data", {}).get("text/plain", "") if "data" in output else ""
            if _STRAY_REPR.match(text) and set(output.data) == {"text/plain"}:
                problems.append(f"notebook {chapter.name}, cell {number}: bare object repr {text.strip()!r} "
                                "(close the figure or end the cell with ';')")
    meta = nb.metadata.get("papermill", {})
    if meta:
        meta["input_path"] = chapter.docname + ".md"
        meta["output_path"] = f"notebooks/{chapter.name}.ipynb"
        if isinstance(meta.get("parameters"), dict) and "output_dir" in meta["parameters"]:
            meta["parameters"]["output_dir"] = final
    nbformat.write(nb, path)
    return problems


# --------------------------------------------------------------------------- staging book


def _copy_book_files(root: Path, book: Path, chapters: list[Chapter]) -> None:
    """Config, toc, non-notebook pages and support folders; never a chapter's ``.md``."""
    book.mkdir(parents=True, exist_ok=True)
    for name in BOOK_FILES:
        if not (root / name).is_file():
            raise BookError(f"{root / name}: no such file")
        shutil.copy2(root / name, book / name)
    chapter_docs = {c.docname for c in chapters}
    for doc in toc_files(root):
        if doc in chapter_docs:
            continue
        found = [root / f"{doc}{suffix}" for suffix in PAGE_SUFFIXES if (root / f"{doc}{suffix}").is_file()]
        if not found:
            raise BookError(f"_toc.yml lists {doc} but {root} has no {doc}.md")
        (book / found[0].relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(found[0], book / found[0].relative_to(root))
    for extra in BOOK_EXTRAS:
        src = root / extra
        if src.is_dir():
            shutil.copytree(src, book / extra, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, book / extra)


def _data_statement(data_dir: Path, synthetic: bool, params: Mapping[str, Any]) -> str:
    """A MyST admonition saying which data and parameters this build used."""
    folder = str(data_dir).replace("`", "'")
    if synthetic:
        head = ":::{admonition} This build: synthetic data\n:class: warning\n\n"
        body = (f"This copy of the book was built from the SYNTHETIC dataset in `{folder}`. "
                "Its results describe no real person.")
    else:
        head = ":::{admonition} This build: your data\n:class: note\n\n"
        body = (f"This copy of the book was built from the dataset in `{folder}`, which is not marked "
                "synthetic. The notices about synthetic data on this page describe the default build only.")
    if params:
        settings = ", ".join(f"`{k} = {v!r}`" for k, v in params.items())
        body += f" Parameters changed from their defaults: {settings}."
    return head + body + "\n:::\n"


def _stage_intro(book: Path, data_dir: Path, synthetic: bool, params: Mapping[str, Any]) -> None:
    """Replace the build-data marker of the staged root page by :func:`_data_statement`."""
    for page in book.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if DATA_STATEMENT_MARKER in text:
            page.write_text(text.replace(DATA_STATEMENT_MARKER, _data_statement(data_dir, synthetic, params)),
                            encoding="utf-8")


def _jupyter_book_command() -> list[str]:
    """``jupyter-book`` of this environment (the script next to this interpreter)."""
    script = Path(sys.executable).parent / "jupyter-book"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())"]


def _build_problems(log: str, book: Path) -> list[str]:
    """Warning and error lines of a Sphinx log, with staging paths made relative."""
    prefix = str(book) + os.sep
    problems = []
    for line in _ANSI.sub("", log).splitlines():
        if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b|Exception occurred|Traceback", line):
            problems.append(line.replace(prefix, "").strip())
    return list(dict.fromkeys(problems))


def _build_html(book: Path, build_dir: Path) -> Path:
    """``jupyter-book build -W -n --keep-going``; return the HTML folder."""
    command = [*_jupyter_book_command(), "build", str(book), "--path-output", str(build_dir),
               "--warningiserror", "--nitpick", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                            cwd=book, check=False)
    html = build_dir / "_build" / "html"
    if result.returncode != 0 or not (html / "index.html").is_file():
        problems = _build_problems(result.stdout + "\n" + result.stderr, book)
        if not problems:
            tail = (result.stderr or result.stdout).strip().splitlines()[-15:]
            problems = [line.replace(str(book) + os.sep, "") for line in tail] or ["no output"]
        raise BookBuildError(problems, f"the HTML build failed (jupyter-book exit status {result.returncode})")
    return html


# --------------------------------------------------------------------------- run record


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_records(folder: Path, pattern: str = "*") -> dict[str, dict]:
    """SHA-256 and size of every file of ``folder`` (recursively; hidden files skipped)."""
    files = sorted(p for p in folder.rglob(pattern)
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return {p.relative_to(folder).as_posix(): {"sha256": _sha256(p), "bytes": p.stat().st_size} for p in files}


def _requirements() -> list[str]:
    """Names of the direct requirements (``requirements.txt`` of the project)."""
    path = PROJECT_ROOT / "requirements.txt"
    names = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line:
                names.append(re.split(r"[\s<>=!~\[;]", line, maxsplit=1)[0])
    return names


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for name in ["cocapp-book", *_requirements()]:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _previous_timings(out_dir: Path) -> dict[str, float]:
    try:
        record = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in record.get("notebook_seconds", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


# --------------------------------------------------------------------------- run


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


def _check_out_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy anything but a previous result."""
    for path in protected:
        path = path.resolve()
        if out_dir == path or out_dir in path.parents:
            raise BookError(f"refusing to write the book to {out_dir}: it holds {path}")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BookError(f"{out_dir} exists and is not a folder")
        if any(out_dir.iterdir()) and not (out_dir / "run.json").is_file():
            raise BookError(f"{out_dir} is not empty and holds no run.json of a previous build; "
                            "choose a new or empty folder (it would be replaced as a whole)")


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target`` with renames (same file system)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
        when everything succeeded; it must be new, empty or a previous result
        (holding ``run.json``).
    params : mapping, optional
        Notebook parameters, e.g. ``{"alpha": 0.01}``. Each chapter receives only
        those it declares; names no chapter declares are rejected.
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
    helpers.dataio.DataValidationError
        If the dataset has problems (``.report`` holds them); nothing is executed.
    UnknownParameterError, ParameterError
        If a parameter is unknown, reserved or of the wrong type; nothing is executed.
    NotebookExecutionError
        If a notebook fails; each failure names the notebook and the code cell.
    BookBuildError
        If the HTML build reports any warning or error, or a notebook printed to stderr.
    BookError
        For an unusable output folder, book root or kernel.

    On any error ``out_dir`` is left exactly as it was.
    """
    from .dataio import DataValidationError, _read_manifest, validate_dataset

    started = time.perf_counter()
    stream = (sys.stdout if progress is True else progress) if progress else None
    root = Path(root or PROJECT_ROOT).resolve()
    data_dir = Path(data_dir or SYNTHETIC_DIR).resolve()
    out_dir = Path(out_dir).resolve()
    params = dict(params or {})

    report = validate_dataset(data_dir)
    if not report.ok:
        raise DataValidationError(report)
    _check_out_dir(out_dir, [root, data_dir, PROJECT_ROOT, Path.home(), Path.cwd()])
    kernel_python()

    parent_created = not out_dir.parent.exists()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        chapters = load_chapters(root, staging / "source")
        check_parameters(params, chapters)

        results = staging / "results"
        book = staging / "book"
        results.mkdir()
        _copy_book_files(root, book, chapters)
        progress_lines = _Progress(len(chapters), max((len(c.name) for c in chapters), default=0), stream)
        manifest, _ = _read_manifest(data_dir)
        synthetic = manifest.get("synthetic") is True
        progress_lines.say(f"Executing {_count(len(chapters), 'notebook')} on "
                           f"{'SYNTHETIC ' if synthetic else ''}data in {data_dir} ({min(jobs, len(chapters))} at a time)")
        t0 = time.perf_counter()
        timings = _execute_all(chapters, book / NOTEBOOKS, params, data_dir, results, jobs, progress_lines,
                               _previous_timings(out_dir))
        progress_lines.say(f"Executed {_count(len(chapters), 'notebook')} in {time.perf_counter() - t0:.1f} s")

        problems = []
        for chapter in chapters:
            problems += _published_notebook(book / NOTEBOOKS / f"{chapter.name}.ipynb", chapter, results, out_dir)
        if problems:
            raise BookBuildError(problems, "notebook outputs that must not be published")
        _stage_intro(book, data_dir, synthetic, params)

        new = staging / "out"
        new.mkdir()
        index = None
        if html:
            t0 = time.perf_counter()
            progress_lines.say("Building the HTML book (jupyter-book build -W -n --keep-going) ...")
            shutil.move(str(_build_html(book, staging / "jupyter-book")), str(new / "html"))
            index = out_dir / "html" / "index.html"
            progress_lines.say(f"Built the HTML book in {time.perf_counter() - t0:.1f} s")
        shutil.copytree(book / NOTEBOOKS, new / "notebooks")
        for kind in ("tables", "figures"):
            if (results / kind).is_dir():
                shutil.move(str(results / kind), str(new / kind))
            else:
                (new / kind).mkdir()

        record = {
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "data_dir": str(data_dir),
            "synthetic": synthetic,
            "data_files": _file_records(data_dir),
            "instrument_files": _file_records(INSTRUMENTS_DIR, "*.yaml"),
            "parameters": _jsonable(params),
            "notebook_parameters": {c.name: _jsonable({k: v for k, v in params.items() if k in c.parameters})
                                    for c in chapters},
            "chapters": [c.docname for c in chapters],
            "notebook_seconds": {name: round(timings[name], 2) for name in (c.name for c in chapters)},
            "jobs": jobs,
            "html": html,
            "python": platform.python_version(),
            "python_executable": sys.executable,
            "platform": platform.platform(),
            "packages": _versions(),
        }
        record["elapsed_seconds"] = round(time.perf_counter() - started, 2)
        (new / "run.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        _replace_dir(new, out_dir)
        progress_lines.say(f"Done in {record['elapsed_seconds']:.1f} s. "
                           + (f"Book: {index}" if index else f"Results: {out_dir}"))
        return RunResult(out_dir=out_dir, index=index, record=record)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if parent_created and out_dir.parent.is_dir() and not any(out_dir.parent.iterdir()):
            out_dir.parent.rmdir()


# --------------------------------------------------------------------------- backtests


def freeze_backtests(run_dir: str | Path | None = None, dest: str | Path = BACKTEST_DIR,
                     progress: bool | TextIO = True) -> dict[str, list[str]]:
    """Replace the frozen backtest tables by those of a default run.

    Parameters
    ----------
    run_dir : str or Path, optional
        A finished default run (``_build/book``) to take the tables from. Default:
        execute the default book now (without HTML) in a temporary folder.
    dest : str or Path
        The frozen tables (``tests/backtest/tables``).

    Returns
    -------
    dict
        ``added``, ``removed``, ``changed`` and ``unchanged`` file names.

    Use it in the same commit as a deliberate change of results, and say why in
    the commit message.
    """
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="cocapp-freeze-") as tmp:
        if run_dir is None:
            run_book(out_dir=Path(tmp) / "run", progress=progress, html=False)
            run_dir = Path(tmp) / "run"
        run_dir = Path(run_dir)
        record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        if record.get("parameters") or Path(record["data_dir"]) != SYNTHETIC_DIR.resolve():
            raise BookError(f"{run_dir} is not a default run (synthetic data, no parameters)")
        new = {p.name: p for p in sorted((run_dir / "tables").glob("*.csv"))}
        old = {p.name: p for p in sorted(dest.glob("*.csv"))} if dest.is_dir() else {}
        changes: dict[str, list[str]] = {"added": [], "removed": [], "changed": [], "unchanged": []}
        dest.mkdir(parents=True, exist_ok=True)
        for name in sorted(old.keys() - new.keys()):
            old[name].unlink()
            changes["removed"].append(name)
        for name, path in new.items():
            if name not in old:
                changes["added"].append(name)
            elif path.read_bytes() != old[name].read_bytes():
                changes["changed"].append(name)
            else:
                changes["unchanged"].append(name)
            shutil.copyfile(path, dest / name)
    return changes


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.book --freeze-backtests [--from RUN_DIR]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers.book", description=__doc__.splitlines()[0])
    parser.add_argument("--freeze-backtests", action="store_true", required=True,
                        help="refresh tests/backtest/tables from a default run")
    parser.add_argument("--from", dest="run_dir", default=None,
                        help="take the tables from this finished default run instead of running the book")
    args = parser.parse_args(argv)
    try:
        changes = freeze_backtests(args.run_dir)
    except BookError as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 1
    for kind in ("added", "removed", "changed"):
        for name in changes[kind]:
            print(f"{kind:>9}: {name}")
    print(f"{len(changes['unchanged'])} tables unchanged; frozen tables in {BACKTEST_DIR}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
