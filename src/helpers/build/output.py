"""The output folder of a run: where it may be, when it may be replaced, and its replacement.

A run replaces its output folder (``--out``) as a whole. So that this never destroys anything
but an earlier result, the folder must be new, empty, or a folder that cocapp wrote: its
``run.json`` carries the tool name, a version and the fixed marker
:data:`~helpers.build.record.OUTPUT_MARKER`, and lists every file of the folder. A folder with a
foreign ``run.json``, without one, or with files the record does not list is refused, and so is
an output folder inside the data folder or holding it (paths compared after resolving symbolic
links).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import BookError
from .record import OUTPUT_MARKER, OUTPUT_MARKER_KEY, RUN_RECORD, TOOL

__all__ = [
    "OutputFolderError",
    "folder_files",
    "check_locations",
    "record_problem",
    "check_out_dir",
    "replace_dir",
]

#: Most unexpected files named in a message (the rest are counted).
SHOWN_FILES = 10
#: Keys of the run record of cocapp versions before the output marker (named in the message only).
LEGACY_KEYS = frozenset({"data_files", "instrument_files", "notebook_seconds", "python_executable"})


class OutputFolderError(BookError):
    """The output folder may not be written or replaced; ``str()`` says why and what to do."""


def folder_files(folder: Path) -> list[str]:
    """Every file and symbolic link below ``folder`` (hidden ones too), as sorted relative POSIX paths.

    Symbolic links are listed, never followed.
    """
    found = []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        base = Path(parent)
        links = [d for d in dirs if (base / d).is_symlink()]
        found += [(base / name).relative_to(folder).as_posix() for name in [*files, *links]]
    return sorted(found)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it."""
    return path == folder or folder in path.parents


def check_locations(out_dir: Path, data_dir: Path, protected: Iterable[Path] = ()) -> None:
    """Refuse an output folder inside the data folder, holding it, or holding a protected folder.

    Paths are compared after resolving symbolic links.

    Raises
    ------
    OutputFolderError
        Naming both folders.
    """
    out_dir, data_dir = out_dir.resolve(), data_dir.resolve()
    if _inside(out_dir, data_dir):
        raise OutputFolderError(
            f"refusing to write the results to {out_dir}: it is inside the data folder {data_dir}; "
            "choose an --out outside the data folder"
        )
    if _inside(data_dir, out_dir):
        raise OutputFolderError(
            f"refusing to write the results to {out_dir}: it holds the data folder {data_dir}, which "
            "replacing it would delete; choose an --out that does not contain the data"
        )
    for path in protected:
        path = path.resolve()
        if _inside(path, out_dir):
            raise OutputFolderError(f"refusing to write the results to {out_dir}: it holds {path}")


def record_problem(out_dir: Path) -> str | None:
    """Why the non-empty folder ``out_dir`` is not a result that cocapp wrote (None: it is one)."""
    path = out_dir / RUN_RECORD
    if not path.is_file() or path.is_symlink():
        return f"it holds no {RUN_RECORD} written by cocapp"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return f"its {RUN_RECORD} is not a run record of cocapp (not readable as JSON)"
    if isinstance(record, dict) and OUTPUT_MARKER_KEY not in record and set(record) >= LEGACY_KEYS:
        return (
            f"its {RUN_RECORD} comes from an older cocapp, which did not list the files it wrote; if the "
            f"folder holds nothing of yours, delete it (rm -r {out_dir}) and run again"
        )
    if not isinstance(record, dict) or record.get("tool") != TOOL or record.get(OUTPUT_MARKER_KEY) != OUTPUT_MARKER:
        return f"its {RUN_RECORD} was not written by cocapp (it lacks the {OUTPUT_MARKER_KEY!r} marker)"
    files = record.get("files")
    if not isinstance(record.get("version"), str) or not (
        isinstance(files, list) and all(isinstance(f, str) for f in files)
    ):
        return f"its {RUN_RECORD} lacks the version or the list of files of a cocapp run"
    unexpected = sorted(set(folder_files(out_dir)) - set(files) - {RUN_RECORD})
    if unexpected:
        shown = ", ".join(unexpected[:SHOWN_FILES])
        more = f" and {len(unexpected) - SHOWN_FILES} more" if len(unexpected) > SHOWN_FILES else ""
        return (
            f"it holds {len(unexpected)} file(s) that the run recorded in its {RUN_RECORD} did not write: {shown}{more}"
        )
    return None


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder whose replacement would destroy anything but a result of cocapp.

    Raises
    ------
    OutputFolderError
        If ``out_dir`` is a file, or a non-empty folder that is not a result that cocapp
        wrote (:func:`record_problem`).
    """
    if out_dir.is_symlink() and not out_dir.exists():
        raise OutputFolderError(f"{out_dir} is a broken symbolic link")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} exists and is not a folder")
    if not any(out_dir.iterdir()):
        return
    problem = record_problem(out_dir)
    if problem:
        raise OutputFolderError(
            f"refusing to replace {out_dir}: {problem}. A run replaces --out as a whole, so it must be "
            "a new or empty folder or the unchanged result of an earlier cocapp run; choose another "
            "folder, or move your files out of this one"
        )


def replace_dir(new: Path, target: Path) -> None:
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
