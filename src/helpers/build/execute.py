"""Executing the chapters with papermill: the kernel, parallel runs, progress lines and failures.

Each chapter runs in its own kernel of this environment; ``jobs`` of them run at the same
time, longest first by the previous run's timings. A failure is reported as the chapter and
the number of its failing code cell, never as a traceback.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TextIO

import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from .chapters import KERNEL_NAME, Chapter
from .errors import BookError, CellFailure, NotebookExecutionError
from .params import notebook_parameters

__all__ = [
    "THREAD_VARIABLES",
    "ANSI",
    "Progress",
    "count",
    "kernel_python",
    "kernel_manager_class",
    "execute_chapter",
    "execute_all",
]

#: Thread-pool sizes of the numerical libraries, limited in each kernel when notebooks run in parallel.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
#: Terminal colour codes (removed from tracebacks and logs).
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise BookError(f"no Jupyter kernel {kernel_name!r}; install ipykernel into {sys.prefix}") from None
    command = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    if command in {"python", f"python{major}", f"python{major}.{minor}"}:
        return sys.executable
    if (
        Path(command).resolve() != Path(sys.executable).resolve()
        and Path(command).parent.resolve() != Path(sys.executable).parent.resolve()
    ):
        raise BookError(
            f"the Jupyter kernel {kernel_name!r} ({spec.resource_dir}) runs {command}, not this "
            f"environment's {sys.executable}; remove that kernel spec or run "
            f"`{sys.executable} -m ipykernel install --sys-prefix`"
        )
    return command


class LimitedThreadsKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels use at most ``threads`` BLAS/OpenMP threads.

    With one notebook per core, numerical libraries that start one thread per
    core in every kernel oversubscribe the machine. Values already set in the
    environment are kept.
    """

    threads = 1

    async def _async_pre_start_kernel(self, **kw: Any):
        env = dict(kw.pop("env", None) or os.environ)
        for name in THREAD_VARIABLES:
            env.setdefault(name, str(self.threads))
        kw["env"] = env
        return await super()._async_pre_start_kernel(**kw)


_KERNEL_MANAGERS: dict[int, type[LimitedThreadsKernelManager]] = {}


def kernel_manager_class(threads: int) -> type[LimitedThreadsKernelManager]:
    """The kernel manager class whose kernels use at most ``threads`` threads (one class per count)."""
    if threads not in _KERNEL_MANAGERS:
        metaclass = type(LimitedThreadsKernelManager)
        _KERNEL_MANAGERS[threads] = metaclass(
            f"LimitedThreadsKernelManager{threads}", (LimitedThreadsKernelManager,), {"threads": threads}
        )
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


def _failure(chapter: Chapter, error: papermill.PapermillExecutionError) -> CellFailure:
    """A :class:`CellFailure` from a ``PapermillExecutionError``."""
    nb = nbformat.read(chapter.notebook, as_version=4)
    code = error.source or ""
    return CellFailure(
        notebook=chapter.name,
        cell=_code_cell_number(nb, code),
        ename=error.ename,
        evalue=(error.evalue or "").strip(),
        source=chapter.source,
        line=_source_line(chapter.source, code),
        code=code,
        traceback=ANSI.sub("", "\n".join(error.traceback or [])),
    )


def execute_chapter(chapter: Chapter, output: Path, parameters: dict[str, Any], cwd: Path, jobs: int = 1) -> float:
    """Execute one chapter with papermill; return the seconds it took.

    An exception raised by papermill carries the seconds spent in its ``seconds`` attribute.
    """
    engine_options: dict[str, Any] = {}
    if jobs > 1:
        engine_options["kernel_manager_class"] = kernel_manager_class(max(1, (os.cpu_count() or 1) // jobs))
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(chapter.notebook),
            str(output),
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


def count(n: int, noun: str) -> str:
    """``1 notebook``, ``7 notebooks``.

    Examples
    --------
    >>> count(1, "notebook"), count(7, "notebook")
    ('1 notebook', '7 notebooks')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


class Progress:
    """``[3/7] 03-therapeutic-relationship  4.2 s`` lines, one per finished notebook (thread-safe).

    Parameters
    ----------
    total : int
        Notebooks to run.
    width : int
        Width of the name column.
    stream : text stream or None
        Where the lines go; None prints nothing.
    """

    def __init__(self, total: int, width: int, stream: TextIO | None):
        self.total, self.width, self.stream = total, width, stream
        self.done = 0
        self.lock = threading.Lock()

    def say(self, text: str) -> None:
        """Print one line."""
        if self.stream is not None:
            with self.lock:
                print(text, file=self.stream, flush=True)

    def finished(self, name: str, seconds: float, failed: bool = False) -> None:
        """Print the line of one finished notebook."""
        with self.lock:
            self.done += 1
            done = self.done
        state = "FAILED after " if failed else ""
        self.say(f"[{done}/{self.total}] {name:<{self.width}}  {state}{seconds:.1f} s")


def _schedule(chapters: list[Chapter], previous: Mapping[str, float]) -> list[Chapter]:
    """Longest first by the previous run's timings (unknown ones first, in toc order)."""
    return sorted(chapters, key=lambda c: -previous.get(c.name, math.inf))


def execute_all(
    chapters: list[Chapter],
    executed_dir: Path,
    params: Mapping[str, Any],
    data_dir: Path,
    results_dir: Path,
    jobs: int,
    progress: Progress,
    previous: Mapping[str, float],
) -> dict[str, float]:
    """Execute every chapter (``jobs`` at a time); raise one error listing every failure.

    Parameters
    ----------
    chapters : list of Chapter
        The converted chapters.
    executed_dir : Path
        Where the executed notebooks go (also the kernels' working directory).
    params : mapping
        The run's analysis settings overrides (each chapter receives them as ``settings``).
    data_dir, results_dir : Path
        The dataset folder and the folder the chapters write their tables and figures to.
    jobs : int
        Notebooks executed at the same time.
    progress : Progress
        Receives one line per finished notebook.
    previous : mapping
        Seconds per chapter of the previous run, for the order of execution.

    Returns
    -------
    dict
        Seconds per chapter name.

    Raises
    ------
    NotebookExecutionError
        Listing every failed chapter, in toc order.
    """
    executed_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    failures: dict[str, CellFailure] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="notebook") as pool:
        futures = {}
        for chapter in _schedule(chapters, previous):
            parameters = notebook_parameters(chapter.parameters, params, data_dir, results_dir)
            output = executed_dir / f"{chapter.name}.ipynb"
            futures[pool.submit(execute_chapter, chapter, output, parameters, executed_dir, jobs)] = chapter
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
