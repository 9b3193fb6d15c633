"""The run record ``run.json``: which data (with checksums), which settings, which software, how long.

Keys: ``tool`` (``"cocapp"``), ``version`` (of the package), ``cocapp_output`` (the fixed
:data:`OUTPUT_MARKER`), ``files`` (every file the run wrote into the result folder, besides
``run.json``; added when the folder is complete), ``created``, ``data_dir``, ``synthetic``,
``data_files`` and ``instrument_files`` (SHA-256 and size of every file), ``parameters`` (the
analysis settings overridden for the run), ``settings`` (every analysis setting in force),
``notebook_parameters`` (the overrides each chapter received), ``chapters``,
``notebook_seconds``, ``jobs``, ``html``, ``python``, ``python_executable``, ``platform``,
``packages`` and ``elapsed_seconds``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from helpers.io import INSTRUMENTS_DIR, PROJECT_ROOT, AnalysisConfig
from helpers.report import shown_path

from .chapters import Chapter
from .params import jsonable

__all__ = [
    "PATH_KEYS",
    "published_record",
    "RUN_RECORD",
    "TOOL",
    "OUTPUT_MARKER_KEY",
    "OUTPUT_MARKER",
    "sha256",
    "file_records",
    "package_versions",
    "previous_timings",
    "run_record",
    "write_record",
]

#: File name of the run record in a result folder.
RUN_RECORD = "run.json"
#: Name of the tool in the run record.
TOOL = "cocapp"
#: Key and fixed value by which a run record shows that cocapp wrote the folder holding it: only such
#: a folder, holding nothing but the files its record lists, is ever replaced by a run.
OUTPUT_MARKER_KEY = "cocapp_output"
OUTPUT_MARKER = "result folder written by cocapp run; the next run into this folder replaces it"


def sha256(path: Path) -> str:
    """SHA-256 of a file, as hexadecimal text."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_records(folder: Path, pattern: str = "*") -> dict[str, dict]:
    """SHA-256 and size of every file of ``folder`` (recursively; hidden files skipped)."""
    files = sorted(
        p
        for p in folder.rglob(pattern)
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    return {p.relative_to(folder).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files}


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


def package_versions() -> dict[str, str | None]:
    """Installed version of this project and of each direct requirement (None: not installed)."""
    versions: dict[str, str | None] = {}
    for name in ["cocapp-book", *_requirements()]:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def previous_timings(out_dir: Path) -> dict[str, float]:
    """Seconds per chapter of the run whose record is in ``out_dir`` (empty if there is none)."""
    try:
        record = json.loads((out_dir / RUN_RECORD).read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in record.get("notebook_seconds", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def run_record(
    *,
    data_dir: Path,
    synthetic: bool,
    params: Mapping[str, Any],
    config: AnalysisConfig,
    chapters: list[Chapter],
    timings: Mapping[str, float],
    jobs: int,
    html: bool,
) -> dict[str, Any]:
    """The run record of one run (without ``files`` and ``elapsed_seconds``, added when the run ends).

    Parameters
    ----------
    data_dir : Path
        The dataset folder.
    synthetic : bool
        Whether its manifest marks the dataset synthetic.
    params : mapping
        The analysis settings overridden for this run.
    config : AnalysisConfig
        Every analysis setting in force.
    chapters : list of Chapter
        The executed chapters, in toc order.
    timings : mapping
        Seconds per chapter name.
    jobs : int
        Notebooks executed at the same time.
    html : bool
        Whether the HTML book was built.
    """
    overrides = jsonable(dict(params))
    packages = package_versions()
    return {
        "tool": TOOL,
        "version": packages["cocapp-book"] or "unknown",
        OUTPUT_MARKER_KEY: OUTPUT_MARKER,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "synthetic": synthetic,
        "data_files": file_records(data_dir),
        "instrument_files": file_records(INSTRUMENTS_DIR, "*.yaml"),
        "parameters": overrides,
        "settings": jsonable(config.as_dict()),
        "notebook_parameters": {c.name: dict(overrides) if "settings" in c.parameters else {} for c in chapters},
        "chapters": [c.docname for c in chapters],
        "notebook_seconds": {c.name: round(timings[c.name], 2) for c in chapters},
        "jobs": jobs,
        "html": html,
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "packages": packages,
    }


def write_record(record: Mapping[str, Any], folder: Path) -> Path:
    """Write ``record`` as ``folder/run.json``; return its path."""
    path = folder / RUN_RECORD
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


#: Keys of the run record holding a path of the machine that ran it.
PATH_KEYS = ("data_dir", "python_executable")


def published_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The run record as the book publishes it: every :data:`PATH_KEYS` value shown relative to the
    project, or by its name alone (:func:`helpers.report.shown_path`); the rest unchanged.

    Examples
    --------
    >>> published_record({"data_dir": "/srv/studies/mine", "synthetic": False})
    {'data_dir': 'mine', 'synthetic': False}
    """
    shown = dict(record)
    for key in PATH_KEYS:
        if isinstance(shown.get(key), str) and Path(shown[key]).is_absolute():
            shown[key] = shown_path(shown[key], PROJECT_ROOT)
    return shown
