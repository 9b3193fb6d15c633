"""Executing the chapters with papermill: the kernel, parallel runs, progress lines and failures.

Each chapter runs in its own kernel of this environment; ``jobs`` of them run at the same
time, longest first by the previous run's timings. A failure is reported as the chapter and
the number of its failing code cell, never as a traceback. Every kernel process started is
registered in :data:`KERNELS`, so that an interrupted run kills the running kernels (and what
they started) at once instead of waiting for their notebooks to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
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
    "STOP_WAIT_SECONDS",
    "KernelRegistry",
    "KERNELS",
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
#: Longest wait, after the kernels of an interrupted run were killed, for their notebook threads to end.
STOP_WAIT_SECONDS = 3.0


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


def _kill(process: subprocess.Popen) -> None:
    """Kill a kernel process and its process group (jupyter_client starts each kernel in a session of its own)."""
    with contextlib.suppress(OSError):
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()


class KernelRegistry:
    """The kernel processes started by the runs of this process, so that a stopped run can kill them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen] = []
        self.stopping = False

    def add(self, process: subprocess.Popen) -> None:
        """Register a started kernel (killed at once while the registry is stopping)."""
        with self._lock:
            self._processes = [p for p in self._processes if p.poll() is None]
            self._processes.append(process)
            stopping = self.stopping
        if stopping:
            _kill(process)

    def running(self) -> list[subprocess.Popen]:
        """The registered kernels still running."""
        with self._lock:
            return [p for p in self._processes if p.poll() is None]

    def stop(self) -> int:
        """Kill every running kernel, and each one started from now until :meth:`reset`; return how many."""
        with self._lock:
            self.stopping = True
        alive = self.running()
        for process in alive:
            _kill(process)
        return len(alive)

    def reset(self) -> None:
        """Let kernels run again (at the start of a run)."""
        with self._lock:
            self.stopping = False
            self._processes = [p for p in self._processes if p.poll() is None]


#: Every kernel started by :func:`execute_chapter` in this process.
KERNELS = KernelRegistry()


class LimitedThreadsKernelManager(AsyncKernelManager):
    """A kernel manager that registers its kernel in :data:`KERNELS`, sets the variables of
    ``environment`` in the kernel's environment (e.g. the run's data snapshot) and, when ``threads``
    is set, lets the kernel use at most ``threads`` BLAS/OpenMP threads.

    With one notebook per core, numerical libraries that start one thread per
    core in every kernel oversubscribe the machine. Thread counts already set in the
    environment are kept.
    """

    threads: int | None = None
    environment: tuple[tuple[str, str], ...] = ()

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.threads or self.environment:
            env = dict(kw.pop("env", None) or os.environ)
            for name in THREAD_VARIABLES if self.threads else ():
                env.setdefault(name, str(self.threads))
            env.update(dict(self.environment))
            kw["env"] = env
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        await super()._async_launch_kernel(kernel_cmd, **kw)
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            KERNELS.add(process)


_KERNEL_MANAGERS: dict[tuple, type[LimitedThreadsKernelManager]] = {}


def kernel_manager_class(
    threads: int | None, environment: Mapping[str, str] | None = None
) -> type[LimitedThreadsKernelManager]:
    """The kernel manager class whose kernels use at most ``threads`` threads (None: as many as the
    libraries choose) and get the variables of ``environment`` (one class per combination)."""
    extra = tuple(sorted((environment or {}).items()))
    if (threads, extra) not in _KERNEL_MANAGERS:
        metaclass = type(LimitedThreadsKernelManager)
        _KERNEL_MANAGERS[threads, extra] = metaclass(
            f"LimitedThreadsKernelManager{threads or ''}",
            (LimitedThreadsKernelManager,),
            {"threads": threads, "environment": extra},
        )
    return _KERNEL_MANAGERS[threads, extra]


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


def execute_chapter(
    chapter: Chapter,
    output: Path,
    parameters: dict[str, Any],
    cwd: Path,
    jobs: int = 1,
    environment: Mapping[str, str] | None = None,
) -> float:
    """Execute one chapter with papermill; return the seconds it took.

    ``environment`` holds variables set in the kernel's environment. An exception raised by
    papermill carries the seconds spent in its ``seconds`` attribute.
    """
    threads = max(1, (os.cpu_count() or 1) // jobs) if jobs > 1 else None
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
            kernel_manager_class=kernel_manager_class(threads, environment),
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


def code_cells(chapter: Chapter) -> int:
    """Code cells of a chapter's converted notebook."""
    return sum(cell.cell_type == "code" for cell in nbformat.read(chapter.notebook, as_version=4).cells)


def _schedule(chapters: list[Chapter], previous: Mapping[str, float]) -> list[Chapter]:
    """Longest first by the previous run's timings; chapters without one come first, those with
    the most code cells first (the rough measure of their work there is before any run), then
    in toc order.

    With two kernels at a time, the order decides how long the last chapter runs alone: on a
    large survey the cross-site chapter takes a third of the whole, and started last it would
    run for minutes after the others ended.
    """
    return sorted(chapters, key=lambda c: (-previous.get(c.name, math.inf), -code_cells(c)))


def execute_all(
    chapters: list[Chapter],
    executed_dir: Path,
    params: Mapping[str, Any],
    data_dir: Path,
    results_dir: Path,
    jobs: int,
    progress: Progress,
    previous: Mapping[str, float],
    environment: Mapping[str, str] | None = None,
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
        The dataset folder and the folder under which each chapter writes its tables and figures,
        in a folder of its own named after it (``results_dir/NN-slug``).
    jobs : int
        Notebooks executed at the same time.
    progress : Progress
        Receives one line per finished notebook.
    previous : mapping
        Seconds per chapter of the previous run, for the order of execution.
    environment : mapping, optional
        Variables set in every kernel's environment (e.g. the run's data snapshot).

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
    KERNELS.reset()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="notebook")
    futures = {}
    try:
        for chapter in _schedule(chapters, previous):
            parameters = notebook_parameters(chapter.parameters, params, data_dir, results_dir / chapter.name)
            output = executed_dir / f"{chapter.name}.ipynb"
            future = pool.submit(execute_chapter, chapter, output, parameters, executed_dir, jobs, environment)
            futures[future] = chapter
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
    except BaseException:  # e.g. a signal: start no further notebook and stop the running ones now
        stop_notebooks(pool, futures)
        raise
    pool.shutdown(wait=True)
    if failures:
        raise NotebookExecutionError([failures[c.name] for c in chapters if c.name in failures])
    return timings


def stop_notebooks(pool: ThreadPoolExecutor, futures: Mapping[Any, Chapter]) -> None:
    """Cancel the waiting notebooks, kill the running kernels and wait (at most
    :data:`STOP_WAIT_SECONDS`) for their threads to notice.

    The messages the dying kernels' clients log are silenced meanwhile.
    """
    pool.shutdown(wait=False, cancel_futures=True)
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        KERNELS.stop()
        wait(list(futures), timeout=STOP_WAIT_SECONDS)
    finally:
        logging.disable(previous)
