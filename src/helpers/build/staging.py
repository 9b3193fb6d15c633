"""The staged book: its files, the executed notebooks made ready to publish, and the HTML build.

Everything is assembled in a staging folder beside the output folder; the output folder is
replaced (:mod:`helpers.build.output`) in one rename, and only when everything succeeded.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import traceback
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from helpers.io import PROJECT_ROOT
from helpers.report import shown_path

from .chapters import NOTEBOOKS, PAGE_SUFFIXES, Chapter, toc_files
from .errors import BookBuildError, BookError
from .execute import ANSI

__all__ = [
    "BOOK_FILES",
    "BOOK_EXTRAS",
    "DATA_STATEMENT_MARKER",
    "copy_book_files",
    "publish_notebook",
    "data_statement",
    "stage_intro",
    "build_html",
]

#: What the collapsed cell of a run's injected parameters reads as in the book (myst-nb prompts).
PARAMETERS_PROMPTS = {
    "code_prompt_show": "Parameters of this run",
    "code_prompt_hide": "Hide the parameters of this run",
}

#: Book files and folders copied into the staging book when they exist.
BOOK_FILES = ("_config.yml", "_toc.yml")
BOOK_EXTRAS = ("docs", "_static", "images", "references.bib")
#: Line of intro.md replaced, in the staged copy, by a note on the data of this build.
DATA_STATEMENT_MARKER = "<!-- build-data-statement -->"
#: Notebook outputs that must never reach the book (object reprs of figures and axes).
_STRAY_REPR = re.compile(r"^\[?<(?:Figure size|matplotlib\.|Axes[: ]|seaborn\.)|^Text\(-?\d")


def copy_book_files(root: Path, book: Path, chapters: list[Chapter]) -> None:
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
            shutil.copytree(
                src,
                book / extra,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.ipynb_checkpoints", "__pycache__"),
            )
        elif src.is_file():
            shutil.copy2(src, book / extra)


def publish_notebook(path: Path, chapter: Chapter, results_dir: Path, out_dir: Path) -> list[str]:
    """Tidy an executed notebook for publication; return problems with its outputs.

    The injected parameters name the final output folder instead of the staging
    one (so re-running the notebook writes where the run record says), the
    injected cell is collapsed in the book, and papermill's paths are made relative.
    Problems: stderr output (warnings) and bare figure or axes reprs.
    """
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
            cell.metadata.setdefault("mystnb", {}).update(PARAMETERS_PROMPTS)
            continue
        number += 1
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr" and output.text.strip():
                first = output.text.strip().splitlines()[0]
                problems.append(f"notebook {chapter.name}, cell {number}: output on stderr: {first}")
            text = output.get("data", {}).get("text/plain", "") if "data" in output else ""
            if _STRAY_REPR.match(text) and set(output.data) == {"text/plain"}:
                problems.append(
                    f"notebook {chapter.name}, cell {number}: bare object repr {text.strip()!r} "
                    "(close the figure or end the cell with ';')"
                )
    meta = nb.metadata.get("papermill", {})
    if meta:
        meta["input_path"] = chapter.docname + ".md"
        meta["output_path"] = f"{NOTEBOOKS}/{chapter.name}.ipynb"
        if isinstance(meta.get("parameters"), dict) and "output_dir" in meta["parameters"]:
            meta["parameters"]["output_dir"] = final
    nbformat.write(nb, path)
    return problems


def data_statement(data_dir: Path, synthetic: bool, params: Mapping[str, Any]) -> str:
    """A MyST admonition saying which data and which changed analysis settings this build used.

    Examples
    --------
    The folder is shown relative to the project, or by its name alone (no absolute path).

    >>> text = data_statement(Path("/data/mine"), False, {"alpha": 0.01})
    >>> text.splitlines()[0]
    ':::{admonition} This build: your data'
    >>> text.split("for this build: ")[1].splitlines()
    ['`alpha = 0.01`.', ':::']
    """
    folder = shown_path(data_dir, PROJECT_ROOT).replace("`", "'")
    if synthetic:
        head = ":::{admonition} This build: synthetic data\n:class: warning\n\n"
        body = (
            f"This copy of the book was built from the SYNTHETIC dataset in `{folder}`. "
            "Its results describe no real person."
        )
    else:
        head = ":::{admonition} This build: your data\n:class: note\n\n"
        body = (
            f"This copy of the book was built from the dataset in `{folder}`, which is not marked "
            "synthetic. The notices about synthetic data on this page describe the default build only."
        )
    if params:
        settings = ", ".join(f"`{k} = {v!r}`" for k, v in params.items())
        body += f" Analysis settings changed from `config/analysis.yaml` for this build: {settings}."
    return head + body + "\n:::\n"


def stage_intro(book: Path, data_dir: Path, synthetic: bool, params: Mapping[str, Any]) -> None:
    """Replace the build-data marker of the staged root pages by :func:`data_statement`."""
    for page in book.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if DATA_STATEMENT_MARKER in text:
            statement = data_statement(data_dir, synthetic, params)
            page.write_text(text.replace(DATA_STATEMENT_MARKER, statement), encoding="utf-8")


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
    for line in ANSI.sub("", log).splitlines():
        if re.search(r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b|Exception occurred|Traceback", line):
            problems.append(line.replace(prefix, "").strip())
    return list(dict.fromkeys(problems))


#: The warning filters of a new Python interpreter (``python -W`` and ``PYTHONWARNINGS`` aside).
FRESH_WARNING_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def _build_in_fork(book: Path, arguments: list[str], log: Path) -> int:
    """Run ``jupyter-book`` with ``arguments`` in a child forked from this process; its output goes
    to ``log``. Returns its exit status.

    The child starts with every module this process already imported (the package, pandas,
    matplotlib), so the book's Sphinx extension loads without importing them again. A signal that
    stops the run kills the child.
    """

    def child() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        warnings.resetwarnings()  # the filters a new interpreter starts with, not this process's
        for action, category, module in FRESH_WARNING_FILTERS:
            warnings.filterwarnings(action, category=category, module=module, append=True)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        sys.stdout = sys.stderr = open(fd, "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
        os.chdir(book)
        status = 1
        try:
            from jupyter_book.cli.main import main  # Sphinx: only the child needs it

            main(arguments, prog_name="jupyter-book")
            status = 0
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:  # reported in the log, read by the parent
            traceback.print_exc()
        finally:
            sys.stdout.flush()
        os._exit(status)

    process = multiprocessing.get_context("fork").Process(target=child, name="jupyter-book", daemon=True)
    process.start()
    try:
        process.join()
    finally:
        if process.is_alive():
            process.kill()
            process.join()
    return process.exitcode if process.exitcode is not None else 1


def build_html(book: Path, build_dir: Path) -> Path:
    """``jupyter-book build -W -n --keep-going``; return the HTML folder.

    Raises
    ------
    BookBuildError
        Listing every warning and error of the build (paths relative to the book).
    """
    arguments = ["build", str(book), "--path-output", str(build_dir), "--warningiserror", "--nitpick", "--keep-going"]
    if "fork" in multiprocessing.get_all_start_methods():
        log = build_dir.parent / f".{build_dir.name}.log"
        build_dir.mkdir(parents=True, exist_ok=True)
        returncode = _build_in_fork(book, arguments, log)
        output = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        log.unlink(missing_ok=True)
    else:
        command = [*_jupyter_book_command(), *arguments]
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=book, check=False
        )
        returncode, output = result.returncode, result.stdout + "\n" + result.stderr
    html = build_dir / "_build" / "html"
    if returncode != 0 or not (html / "index.html").is_file():
        problems = _build_problems(output, book)
        if not problems:
            tail = output.strip().splitlines()[-15:]
            problems = [line.replace(str(book) + os.sep, "") for line in tail] or ["no output"]
        raise BookBuildError(problems, f"the HTML build failed (jupyter-book exit status {returncode})")
    return html
