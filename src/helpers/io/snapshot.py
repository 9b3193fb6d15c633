"""A typed snapshot of a validated dataset: Parquet tables written once, read by every chapter.

A run validates the dataset folder once, then writes its typed tables to a snapshot folder with
:func:`write_snapshot` (one Parquet file per table and ``snapshot.json``); the run hands the
folder to the chapters' kernels in the environment variable :data:`SNAPSHOT_ENV`.
:func:`~helpers.io.dataset.load_dataset` then reads the snapshot instead of validating the
CSV files again, but only when the snapshot was made from the same folder with the same
instrument definitions (:func:`active_snapshot`); otherwise, and whenever a chapter runs on its
own, it validates the files itself.

Parquet keeps the column types (float, pandas ``string`` and ``boolean``, text); missing text is
restored as it was validated (``NaN`` or ``None``, recorded per column).

A run also scans the dataset's files for identifiers once, when the data are not proven synthetic,
and keeps the hits in the snapshot (:func:`write_scan`, in the sub-folder :data:`SCANS`, one file
per list of names, outside the snapshot's digest); the disclosure policy of each chapter then
reads them (:func:`read_scan`) instead of reading and scanning every file again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "SNAPSHOT_ENV",
    "SNAPSHOT_META",
    "instruments_fingerprint",
    "write_snapshot",
    "read_snapshot",
    "snapshot_digest",
    "active_snapshot",
    "snapshot_meta",
    "SCANS",
    "names_digest",
    "write_scan",
    "read_scan",
]

#: Environment variable naming the snapshot folder a run's kernels read.
SNAPSHOT_ENV = "COCAPP_SNAPSHOT"
#: File of a snapshot folder describing it: source folder, tables, instruments, digest.
SNAPSHOT_META = "snapshot.json"
#: Sub-folder of a snapshot holding the identifier scans of its files, one per list of names.
SCANS = "scans"
#: Missing values of a text column restored as ``None`` (else ``NaN``).
_NONE = "none"


def instruments_fingerprint(instruments: Iterable[Any]) -> str:
    """SHA-256 of the instrument definitions (their frozen dataclass reprs), order-independent.

    Examples
    --------
    >>> from helpers.io import load_instruments
    >>> a = instruments_fingerprint(load_instruments().values())
    >>> a == instruments_fingerprint(reversed(list(load_instruments().values()))), len(a)
    (True, 64)
    """
    return hashlib.sha256("\n".join(sorted(repr(i) for i in instruments)).encode()).hexdigest()


def _null_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Object columns whose missing values are ``None`` (restored as such after reading)."""
    kinds = {}
    for column in frame.select_dtypes(include="object").columns:
        values = frame[column]
        missing = values[values.isna()]
        if len(missing) and all(v is None for v in missing):
            kinds[str(column)] = _NONE
    return kinds


def snapshot_digest(folder: str | Path) -> str:
    """SHA-256 over a snapshot's description and every table file, in name order."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.parquet")) + [folder / SNAPSHOT_META]:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def write_snapshot(folder: str | Path, tables: Mapping[str, pd.DataFrame | None], meta: Mapping[str, Any]) -> str:
    """Write the typed tables and their description to ``folder``; return the snapshot's SHA-256.

    Parameters
    ----------
    folder : str or Path
        Created if needed; it should be new (a run's staging area).
    tables : mapping of str to DataFrame or None
        Table name to typed table; None (an absent optional table) is recorded as absent.
    meta : mapping
        JSON-serialisable description (source folder, files, synthetic flag, instruments).

    Returns
    -------
    str
        :func:`snapshot_digest` of the folder written.

    Examples
    --------
    >>> import tempfile
    >>> frame = pd.DataFrame({"id": ["a", None], "x": [1.5, float("nan")]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     digest = write_snapshot(tmp, {"t": frame, "absent": None}, {"source": "/data"})
    ...     tables, meta = read_snapshot(tmp)
    >>> tables["t"].equals(frame), tables["absent"], meta["source"], len(digest)
    (True, None, '/data', 64)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    described: dict[str, Any] = {"meta": dict(meta), "tables": {}}
    for name, frame in tables.items():
        if frame is None:
            described["tables"][name] = None
            continue
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, folder / f"{name}.parquet", compression="zstd")
        described["tables"][name] = {"rows": int(len(frame)), "none": _null_kinds(frame)}
    text = json.dumps(described, indent=2, sort_keys=True, default=str) + "\n"
    (folder / SNAPSHOT_META).write_text(text, encoding="utf-8")
    return snapshot_digest(folder)


def read_snapshot(folder: str | Path) -> tuple[dict[str, pd.DataFrame | None], dict[str, Any]]:
    """The tables and the description written by :func:`write_snapshot`."""
    folder = Path(folder)
    described = json.loads((folder / SNAPSHOT_META).read_text(encoding="utf-8"))
    tables: dict[str, pd.DataFrame | None] = {}
    for name, info in described["tables"].items():
        if info is None:
            tables[name] = None
            continue
        frame = pq.read_table(folder / f"{name}.parquet").to_pandas()
        for column in frame.select_dtypes(include="object").columns:
            if info["none"].get(str(column)) != _NONE:
                frame[column] = frame[column].where(frame[column].notna(), float("nan"))
        tables[name] = frame
    return tables, described["meta"]


def snapshot_meta(folder: str | Path) -> dict[str, Any]:
    """The description ``meta`` given to :func:`write_snapshot` (source folder, files, synthetic flag, ...)."""
    return json.loads((Path(folder) / SNAPSHOT_META).read_text(encoding="utf-8"))["meta"]


def active_snapshot(folder: str | Path, fingerprint: str) -> Path | None:
    """The snapshot folder named by :data:`SNAPSHOT_ENV` when it was made from ``folder`` with the
    instruments of ``fingerprint``; None otherwise (no snapshot, another folder, other instruments).
    """
    location = os.environ.get(SNAPSHOT_ENV, "")
    if not location or not (Path(location) / SNAPSHOT_META).is_file():
        return None
    described = json.loads((Path(location) / SNAPSHOT_META).read_text(encoding="utf-8"))
    meta = described.get("meta", {})
    same_folder = meta.get("source") == str(Path(folder).resolve())
    return Path(location) if same_folder and meta.get("instruments") == fingerprint else None


def names_digest(names: Iterable[str]) -> str:
    """SHA-256 of a list of names to scan for (order kept): the key of a stored scan.

    Examples
    --------
    >>> names_digest([]) == names_digest(()), names_digest(["Ann"]) == names_digest(["Bob"])
    (True, False)
    """
    return hashlib.sha256(json.dumps(list(names)).encode()).hexdigest()


def write_scan(folder: str | Path, names: Iterable[str], hits: pd.DataFrame) -> None:
    """Keep the identifier scan's ``hits`` of a snapshot's files, scanned with ``names``.

    The file lies in the sub-folder :data:`SCANS`, so it leaves :func:`snapshot_digest` unchanged.
    """
    scans = Path(folder) / SCANS
    scans.mkdir(exist_ok=True)
    pq.write_table(pa.Table.from_pandas(hits, preserve_index=False), scans / f"{names_digest(names)}.parquet")


def read_scan(folder: str | Path | None, names: Iterable[str]) -> pd.DataFrame | None:
    """The hits kept by :func:`write_scan` for the snapshot ``folder`` and ``names``; None when there are none.

    Examples
    --------
    >>> import tempfile
    >>> hits = pd.DataFrame({"file": ["a.csv"], "row": pd.Series([7], dtype="int64")})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_scan(tmp, ["Ann"], hits)
    ...     same, other = read_scan(tmp, ["Ann"]), read_scan(tmp, ["Bob"])
    >>> same.equals(hits), other, read_scan(None, [])
    (True, None, None)
    """
    if folder is None:
        return None
    path = Path(folder) / SCANS / f"{names_digest(names)}.parquet"
    return pq.read_table(path).to_pandas() if path.is_file() else None
