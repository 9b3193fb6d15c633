"""The book's chapters: the table of contents, the chapter sources and their conversion to notebooks.

The chapters are MyST Markdown notebooks (``notebooks/NN-slug.md``) listed in ``_toc.yml``.
Each is converted to ``.ipynb`` with jupytext in a staging folder, and the parameters its
``parameters`` cell declares are read with :func:`papermill.inspect_notebook`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import papermill
import yaml

from helpers.io import PROJECT_ROOT

from .errors import BookError
from .params import CHAPTER_PARAMETERS

__all__ = [
    "KERNEL_NAME",
    "NOTEBOOKS",
    "PAGE_SUFFIXES",
    "Chapter",
    "toc_files",
    "chapter_sources",
    "load_chapters",
    "check_parameter_cells",
]

#: Kernel every notebook runs in (resolves to this environment's Python, see ``kernel_python``).
KERNEL_NAME = "python3"
#: Folder of the chapter notebooks, relative to the book root.
NOTEBOOKS = "notebooks"
#: Extensions a non-notebook page of the toc may have.
PAGE_SUFFIXES = (".md", ".ipynb", ".rst")


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
    toc = Path(root or PROJECT_ROOT) / "_toc.yml"
    if not toc.is_file():
        raise BookError(f"{toc}: no such file")
    with toc.open(encoding="utf-8") as fh:
        entries = [
            str(Path(e).with_suffix("")) if Path(e).suffix in PAGE_SUFFIXES else e
            for e in _toc_entries(yaml.safe_load(fh))
        ]
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
    root, staging = Path(root or PROJECT_ROOT), Path(staging)
    staging.mkdir(parents=True, exist_ok=True)
    chapters = []
    for source in chapter_sources(root):
        notebook = staging / f"{source.stem}.ipynb"
        nb = jupytext.read(source)
        nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"})
        jupytext.write(nb, notebook, fmt="ipynb")
        chapters.append(
            Chapter(
                name=source.stem,
                docname=source.relative_to(root).with_suffix("").as_posix(),
                source=source,
                notebook=notebook,
                parameters=papermill.inspect_notebook(notebook),
            )
        )
    return chapters


def check_parameter_cells(chapters: Iterable[Chapter]) -> None:
    """Reject chapters whose ``parameters`` cell declares names the runner never sets.

    A chapter reads the analysis settings through ``settings``; a setting declared as
    a parameter of its own would silently keep its default whatever a run asks for.

    Raises
    ------
    BookError
        Naming every such chapter and parameter.
    """
    problems = []
    for chapter in chapters:
        extra = [name for name in chapter.parameters if name not in CHAPTER_PARAMETERS]
        if extra:
            problems.append(f"  {chapter.name}: {', '.join(extra)}")
    if problems:
        raise BookError(
            "chapters declare parameters the runner never sets (a parameters cell declares only "
            + ", ".join(CHAPTER_PARAMETERS)
            + "; analysis settings come from `load_config(overrides=settings)`):\n"
            + "\n".join(problems)
        )
