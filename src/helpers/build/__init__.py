"""Build layer: runs the book. It checks a run's parameters (analysis settings overridden for the run)
and the dataset before anything executes, converts the chapters listed in ``_toc.yml`` to notebooks,
executes them with papermill two at a time (each receiving ``data_dir``, ``output_dir`` and
``settings``), builds the HTML book with ``jupyter-book build -W -n --keep-going``, writes the run record
``run.json`` and replaces the output folder in one step, only when everything succeeded, and only if
cocapp wrote it (:mod:`~helpers.build.output`); one run at a time writes a folder
(:mod:`~helpers.build.lock`) and SIGINT or SIGTERM stops a run cleanly (:mod:`~helpers.build.signals`).
The command line is :mod:`helpers.build.cli` (``cocapp``); ``python -m helpers.build --freeze-backtests``
refreshes the frozen result tables of the default run.
"""

from .backtests import BACKTEST_DIR, freeze_backtests
from .chapters import Chapter, chapter_sources, check_parameter_cells, load_chapters, toc_files
from .errors import (
    BookBuildError,
    BookError,
    CellFailure,
    NotebookExecutionError,
    ParameterError,
    UnknownParameterError,
)
from .execute import kernel_python
from .lock import OutputBusyError
from .output import OutputFolderError
from .params import CHAPTER_PARAMETERS, RESERVED_PARAMETERS, check_parameters, notebook_parameters, parse_param
from .runner import DEFAULT_OUT, RunResult, run_book
from .signals import RunInterrupted

__all__ = [
    "DEFAULT_OUT",
    "BACKTEST_DIR",
    "RESERVED_PARAMETERS",
    "CHAPTER_PARAMETERS",
    "BookError",
    "ParameterError",
    "UnknownParameterError",
    "CellFailure",
    "NotebookExecutionError",
    "BookBuildError",
    "OutputFolderError",
    "OutputBusyError",
    "RunInterrupted",
    "Chapter",
    "RunResult",
    "parse_param",
    "toc_files",
    "chapter_sources",
    "load_chapters",
    "check_parameters",
    "check_parameter_cells",
    "notebook_parameters",
    "kernel_python",
    "run_book",
    "freeze_backtests",
]
