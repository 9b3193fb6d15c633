"""What can go wrong when the book is run: one exception per kind of failure, each with a message for the user."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BookError",
    "ParameterError",
    "UnknownParameterError",
    "CellFailure",
    "NotebookExecutionError",
    "BookBuildError",
]


class BookError(RuntimeError):
    """The book could not be run or built; ``str()`` is a message for the user."""


class ParameterError(BookError, ValueError):
    """Parameters given to :func:`~helpers.build.runner.run_book` are not acceptable.

    Parameters
    ----------
    problems : str or iterable of str
        One message per problem.
    known : iterable of str, optional
        The names a parameter may have (the analysis settings); listed after the problems.

    Attributes
    ----------
    problems : list of str
        One message per problem.
    known : list of str
        The known parameter names (empty when not given).
    """

    def __init__(self, problems: str | Iterable[str], known: Iterable[str] | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.known = list(known) if known is not None else []
        lines = list(self.problems)
        if known is not None:
            lines.append("known parameters: " + (", ".join(self.known) if self.known else "none"))
        super().__init__("\n".join(lines))


class UnknownParameterError(ParameterError):
    """Parameter names that are not analysis settings (with every other problem of the same call).

    Attributes
    ----------
    unknown : list of str
        The rejected names, sorted.
    """

    def __init__(self, unknown: Iterable[str], known: Iterable[str], problems: Iterable[str] = ()):
        self.unknown = sorted(unknown)
        known = list(known)
        lines = []
        for name in self.unknown:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"unknown parameter {name!r}{hint}")
        super().__init__([*lines, *problems], known)


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
        with contextlib.suppress(ValueError):
            source = source.relative_to(Path.cwd())
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
