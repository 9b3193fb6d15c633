"""Incremental builds: executed chapters and the HTML book kept under a key of everything they depend on.

The cache lives beside the output folder, in ``.NAME.cache`` (``NAME`` the output folder's name), and
is written only under the run's lock (:mod:`helpers.build.lock`). It holds, per chapter, the last
published notebook and the tables and figures it wrote, under the chapter's key
(:func:`chapter_key`): a SHA-256 of the chapter's source, the parameters it receives (but its
staging output folder), the data snapshot's and the data files' checksums, the project's
settings, instrument, reference and qualitative files (:func:`project_digest`), the source of
the ``helpers`` package and the Python and package versions. A rebuild executes only the chapters
whose key changed; the others are restored from the cache.

The validated snapshot of the data is kept under the digest of the data files (their names and
content), the dataset folder and the project's inputs (:func:`project_digest`, which covers the
validation code and the instrument definitions): a rebuild on byte-identical files with the same
code reads the snapshot instead of validating the files again.

The HTML book is kept the same way, under the digest of every file of the staged book (its
config, toc, pages and published notebooks, :func:`tree_digest`): when nothing in it changed, the
previous HTML is reused as it is; when anything changed, the whole book is built again by
``jupyter-book`` (not Sphinx's incremental build, which does not re-render a page when a value
glued on another page changes, and which records the absolute paths of its source folder, a
new staging folder at each run).

Every entry is written into a temporary folder and then renamed, so a stopped run leaves either
the old entry or the new one; an entry is used only when its key file matches.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from helpers.io import PROJECT_ROOT

from .params import jsonable
from .record import package_versions

__all__ = [
    "CACHE_FORMAT",
    "PROJECT_INPUTS",
    "cache_folder",
    "tree_digest",
    "project_digest",
    "chapter_key",
    "snapshot_key",
    "BuildCache",
]

#: Version of the cache layout; a change makes every entry stale.
CACHE_FORMAT = 1
#: Project files and folders (relative to the project) whose content every chapter may depend on.
PROJECT_INPUTS = ("config", "data", "src/helpers", "requirements.txt", "pyproject.toml")
#: The key file of an entry.
KEY_FILE = "key.txt"
#: Files never hashed (Python's compiled files, editor and OS leftovers).
SKIPPED = ("__pycache__", ".ipynb_checkpoints", ".DS_Store")


def cache_folder(out_dir: Path) -> Path:
    """``.NAME.cache`` beside the output folder ``NAME``.

    Examples
    --------
    >>> cache_folder(Path("/results/book")).as_posix()
    '/results/.book.cache'
    """
    return out_dir.parent / f".{out_dir.name}.cache"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not any(part in SKIPPED or part.endswith(".pyc") for part in p.relative_to(path).parts)
    )


def tree_digest(paths: Iterable[Path], base: Path) -> str:
    """SHA-256 over the relative path and content of every file under ``paths`` (in path order).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "a.txt").write_text("1")
    ...     first = tree_digest([Path(tmp)], Path(tmp))
    ...     (Path(tmp) / "a.txt").write_text("2")
    ...     first == tree_digest([Path(tmp)], Path(tmp))
    1
    1
    False
    """
    digest = hashlib.sha256()
    for top in paths:
        for path in _files(top):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def project_digest(project: Path = PROJECT_ROOT) -> str:
    """SHA-256 of the project's inputs of every chapter, the Python version and the package versions."""
    digest = hashlib.sha256(tree_digest([project / p for p in PROJECT_INPUTS], project).encode())
    versions = {"python": sys.version, "platform": platform.platform(), "packages": package_versions()}
    digest.update(json.dumps(versions, sort_keys=True).encode())
    return digest.hexdigest()


def chapter_key(source: Path, parameters: Mapping[str, Any], inputs: Mapping[str, str]) -> str:
    """The cache key of one chapter.

    Parameters
    ----------
    source : Path
        The chapter's MyST source.
    parameters : mapping
        The parameters it receives; ``output_dir`` (a staging folder) is left out.
    inputs : mapping of str to str
        Digests of the data (snapshot, files) and of the project (:func:`project_digest`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     src = Path(tmp) / "01-a.md"
    ...     _ = src.write_text("# A")
    ...     a = chapter_key(src, {"data_dir": "/d", "output_dir": "/s1"}, {"snapshot": "x"})
    ...     b = chapter_key(src, {"data_dir": "/d", "output_dir": "/s2"}, {"snapshot": "x"})
    ...     c = chapter_key(src, {"data_dir": "/d", "settings": {"alpha": 0.01}}, {"snapshot": "x"})
    >>> a == b, a == c
    (True, False)
    """
    kept = {k: v for k, v in parameters.items() if k != "output_dir"}
    content = {
        "format": CACHE_FORMAT,
        "source": hashlib.sha256(Path(source).read_bytes()).hexdigest(),
        "parameters": jsonable(kept),
        "inputs": dict(sorted(inputs.items())),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def snapshot_key(data_dir: Path, data_files: str, project: str) -> str:
    """The cache key of a dataset's snapshot: its folder, the digest of its files and of the project.

    Examples
    --------
    >>> snapshot_key(Path("/d"), "f1", "p") == snapshot_key(Path("/d"), "f2", "p")
    False
    """
    content = {"format": CACHE_FORMAT, "data_dir": str(data_dir), "files": data_files, "project": project}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class BuildCache:
    """The cache folder of one output folder: chapters (notebook + results) and the HTML book.

    Parameters
    ----------
    folder : Path
        The cache folder (:func:`cache_folder`).
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _entry(self, kind: str, name: str) -> Path:
        return self.folder / kind / name

    def _matches(self, entry: Path, key: str) -> bool:
        marker = entry / KEY_FILE
        return marker.is_file() and marker.read_text(encoding="utf-8").strip() == key

    def _store(self, entry: Path, key: str, parts: Mapping[str, Path]) -> None:
        """Copy ``parts`` (name in the entry to file or folder) into a new entry, then rename it into place."""
        entry.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f".{entry.name}.new-", dir=entry.parent))
        try:
            for name, path in parts.items():
                if path.is_dir():
                    shutil.copytree(path, new / name)
                elif path.is_file():
                    shutil.copy2(path, new / name)
            (new / KEY_FILE).write_text(key + "\n", encoding="utf-8")
            old = entry.with_name(f".{entry.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            if entry.exists():
                entry.rename(old)
            new.rename(entry)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(new, ignore_errors=True)

    def chapter(self, name: str, key: str) -> Path | None:
        """The cached entry of chapter ``name`` under ``key`` (``notebook.ipynb``, ``results/``), or None."""
        entry = self._entry("chapters", name)
        return entry if self._matches(entry, key) else None

    def store_chapter(self, name: str, key: str, notebook: Path, results: Path) -> None:
        """Keep a chapter's published notebook and the folder of its tables and figures under ``key``."""
        self._store(self._entry("chapters", name), key, {"notebook.ipynb": notebook, "results": results})

    def snapshot(self, key: str) -> Path | None:
        """The cached snapshot folder of a dataset under ``key``, or None."""
        entry = self._entry("data", "snapshot")
        return entry / "snapshot" if self._matches(entry, key) and (entry / "snapshot").is_dir() else None

    def store_snapshot(self, key: str, snapshot: Path) -> None:
        """Keep the snapshot written by a validation of data files whose digest (with the code's) is ``key``."""
        self._store(self._entry("data", "snapshot"), key, {"snapshot": snapshot})

    def html(self, key: str) -> Path | None:
        """The cached HTML folder under ``key``, or None."""
        entry = self._entry("html", "book")
        return entry / "html" if self._matches(entry, key) and (entry / "html").is_dir() else None

    def store_html(self, key: str, html: Path) -> None:
        """Keep the HTML folder of a book whose staged files have the digest ``key``."""
        self._store(self._entry("html", "book"), key, {"html": html})

    def clear(self) -> None:
        """Remove every entry (``--force``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
