"""A validated dataset with typed tables: loading and writing a dataset folder.

:func:`load_dataset` returns typed tables only when :func:`~helpers.io.validation.validate_dataset`
finds no problem; :func:`write_dataset` writes the three questionnaire tables as CSV with
stable formatting. Input files are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import (
    FORMATS,
    GROUPING_COLUMN,
    GROUPS,
    ID_COLUMN,
    MANIFEST,
    NO_GROUPING_LABEL,
    OPTIONAL_GROUP_COLUMNS,
    SITE_COLUMN,
    GroupContract,
)
from .identifiers import scan_files
from .instruments import Instrument
from .problems import DataValidationError, as_text
from .qualdata import typed_tables
from .readers import proven_synthetic, recode_items
from .snapshot import active_snapshot, instruments_fingerprint, read_snapshot, write_scan, write_snapshot
from .validation import QUALITATIVE_PREFIX, inspect_dataset, instrument_list, tables_as_read

__all__ = ["Dataset", "load_dataset", "snapshot_dataset", "write_dataset"]

#: The tables of a Dataset, in snapshot order.
DATASET_TABLES = ("sites", "service_users", "care_coordinators", "interviews", "framework", "care_plans")
#: Prefix of the snapshot tables that keep each group's not-an-answer codes (:attr:`Dataset.non_answers`).
NON_ANSWERS_PREFIX = "non_answers__"


@dataclass
class Dataset:
    """A validated dataset with typed tables.

    Attributes
    ----------
    folder : Path
        Where the data came from.
    files : dict of str to Path
        The file read for each table.
    sites, service_users, care_coordinators : DataFrame
        ``participant_id`` and ``site`` as ``str``; item columns and numeric
        covariates as ``float`` with missing codes turned into NaN; categorical
        covariates as pandas ``string``. Other columns are kept as read.
    synthetic : bool
        ``True`` only when the folder's ``manifest.json`` says ``"synthetic": true``, every
        file it lists matches its SHA-256 and no other data file is present
        (:func:`~helpers.io.readers.proven_synthetic`); otherwise the data are the user's own.
    interviews, framework, care_plans : DataFrame or None
        The optional qualitative tables (see :func:`~helpers.io.qualdata.typed_tables`), typed;
        None when the folder does not hold them. A framework exported from NVivo as a matrix
        (``framework_matrix``) is converted to the long form.
    non_answers : dict of str to DataFrame
        Per participant group, the not-an-answer code (N/A, don't know, ...) of each item
        cell that held one, NaN elsewhere, with the group table's index
        (:func:`~helpers.io.readers.recode_items`): it tells those codes apart from blanks,
        which the typed tables no longer do. Empty for a dataset not read from files.
    snapshot : Path or None
        The snapshot folder the tables were read from (:func:`snapshot_dataset`, a run's
        ``COCAPP_SNAPSHOT``); None when the files were validated and read here.
    """

    folder: Path
    files: dict[str, Path]
    sites: pd.DataFrame
    service_users: pd.DataFrame
    care_coordinators: pd.DataFrame
    synthetic: bool = False
    interviews: pd.DataFrame | None = None
    framework: pd.DataFrame | None = None
    care_plans: pd.DataFrame | None = None
    non_answers: dict[str, pd.DataFrame] = field(default_factory=dict)
    snapshot: Path | None = None

    @property
    def has_qualitative(self) -> bool:
        """Whether the dataset holds interviews (and so a qualitative strand)."""
        return self.interviews is not None and len(self.interviews) > 0

    def group(self, name: str) -> pd.DataFrame:
        """Return one participant group's table (``"service_users"`` or ``"care_coordinators"``)."""
        if name not in GROUPS:
            raise KeyError(f"unknown group {name!r}; expected one of {', '.join(GROUPS)}")
        return getattr(self, name)


def _typed_sites(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True)
    out[SITE_COLUMN] = as_text(out[SITE_COLUMN]).astype(str)
    labels = as_text(out[GROUPING_COLUMN]) if GROUPING_COLUMN in out.columns else pd.Series(pd.NA, index=out.index)
    out[GROUPING_COLUMN] = labels.fillna(NO_GROUPING_LABEL).astype(str)
    for column in ("invited_service_users", "invited_care_coordinators"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column]).astype("Int64")
    return out


def _typed_group(
    frame: pd.DataFrame, contract: GroupContract, instruments: list[Instrument]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed table, and the not-an-answer codes of its item cells."""
    out = frame.reset_index(drop=True)
    for column in (ID_COLUMN, SITE_COLUMN):
        out[column] = as_text(out[column]).astype(str)
    for column in (*contract.categorical_covariates, *OPTIONAL_GROUP_COLUMNS.get(contract.name, ())):
        if column in out.columns:
            out[column] = as_text(out[column])
    numeric = list(contract.numeric_covariates)
    out[numeric] = out[numeric].apply(pd.to_numeric).astype(float)
    codes = []
    for inst in instruments:
        if contract.name not in inst.groups:
            continue
        items, inst_codes = recode_items(out, inst.for_group(contract.name))
        out[list(inst.items)] = items
        codes.append(inst_codes)
    return out, pd.concat(codes, axis=1) if codes else pd.DataFrame(index=out.index)


def _typed_qualitative(frames: Mapping[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    """The qualitative tables, typed, keyed by Dataset attribute."""
    raw = {
        k.removeprefix(QUALITATIVE_PREFIX): v
        for k, v in frames.items()
        if k.startswith(QUALITATIVE_PREFIX) and v is not None
    }
    if not raw:
        return {}
    return typed_tables(raw)


def load_dataset(
    folder: str | Path, instruments: Mapping[str, Instrument] | Iterable[Instrument] | None = None
) -> Dataset:
    """Validate a dataset folder and return its typed tables.

    Parameters
    ----------
    folder : str or Path
        Folder holding ``sites``, ``service_users`` and ``care_coordinators`` tables
        (``.csv``, ``.xlsx`` or ``.sav``) and optionally ``manifest.json``.
    instruments : dict or list of Instrument, optional
        Default :func:`~helpers.io.instruments.load_instruments`.

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        If :func:`~helpers.io.validation.validate_dataset` finds any problem; the message is the
        full report.

    Examples
    --------
    >>> from helpers.io.paths import SYNTHETIC_DIR
    >>> data = load_dataset(SYNTHETIC_DIR)
    >>> data.synthetic, len(data.service_users), data.has_qualitative
    (True, 448, True)
    """
    folder = Path(folder)
    instruments = instrument_list(instruments)
    snapshot = active_snapshot(folder, instruments_fingerprint(instruments))
    if snapshot is not None:
        return _from_snapshot(folder, snapshot)
    return _validated(folder, instruments)[0]


def _validated(folder: Path, instruments: list[Instrument]) -> tuple[Dataset, dict[Path, pd.DataFrame]]:
    """The Dataset of the files of ``folder``, and the tables validation read, by file (not a ``.sav``
    file, whose value labels depend on the instruments)."""
    report, frames = inspect_dataset(folder, instruments)
    if not report.ok:
        raise DataValidationError(report)
    service_users, su_codes = _typed_group(frames["service_users"], GROUPS["service_users"], instruments)
    care_coordinators, cc_codes = _typed_group(frames["care_coordinators"], GROUPS["care_coordinators"], instruments)
    data = Dataset(
        folder=folder,
        files=dict(report.files),
        sites=_typed_sites(frames["sites"]),
        service_users=service_users,
        care_coordinators=care_coordinators,
        synthetic=proven_synthetic(folder),
        **_typed_qualitative(frames),
        non_answers={"service_users": su_codes, "care_coordinators": cc_codes},
    )
    return data, tables_as_read(report, frames)


def _from_snapshot(folder: Path, snapshot: Path) -> Dataset:
    """The Dataset of ``folder`` as validated and written to ``snapshot`` by :func:`snapshot_dataset`."""
    tables, meta = read_snapshot(snapshot)
    files = {name: folder / relative for name, relative in meta["files"].items()}
    codes = {
        k.removeprefix(NON_ANSWERS_PREFIX): tables.pop(k) for k in list(tables) if k.startswith(NON_ANSWERS_PREFIX)
    }
    synthetic = bool(meta["synthetic"])
    return Dataset(folder=folder, files=files, synthetic=synthetic, non_answers=codes, snapshot=snapshot, **tables)


def snapshot_dataset(
    folder: str | Path,
    snapshot: str | Path,
    instruments: Mapping[str, Instrument] | Iterable[Instrument] | None = None,
    names: Iterable[str] | None = None,
) -> str:
    """Validate a dataset folder once and write its typed tables to ``snapshot``; return its SHA-256.

    Parameters
    ----------
    folder : str or Path
        The dataset folder (validated by :func:`load_dataset`).
    snapshot : str or Path
        New folder for the snapshot (:func:`helpers.io.snapshot.write_snapshot`).
    instruments : dict or list of Instrument, optional
        Default :func:`~helpers.io.instruments.load_instruments`.
    names : iterable of str, optional
        When given and the data are not proven synthetic, the files are also scanned for
        identifiers with these names (:func:`~helpers.io.identifiers.scan_files`, on the tables
        validation has just read) and the hits kept with the snapshot
        (:func:`~helpers.io.snapshot.write_scan`), for the chapters' disclosure policy.

    Returns
    -------
    str
        SHA-256 of the snapshot. While the environment variable
        :data:`~helpers.io.snapshot.SNAPSHOT_ENV` names ``snapshot``, :func:`load_dataset` of the
        same folder and instruments reads the snapshot instead of the files.

    Raises
    ------
    DataValidationError
        If the dataset has problems; nothing is written.

    Examples
    --------
    >>> import os, tempfile
    >>> from helpers.io.paths import SYNTHETIC_DIR
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     digest = snapshot_dataset(SYNTHETIC_DIR, tmp)
    ...     os.environ["COCAPP_SNAPSHOT"] = tmp
    ...     data = load_dataset(SYNTHETIC_DIR)
    ...     del os.environ["COCAPP_SNAPSHOT"]
    >>> len(digest), data.synthetic, len(data.service_users)
    (64, True, 448)
    """
    folder = Path(folder).resolve()
    instruments = instrument_list(instruments)
    data, read = _validated(folder, instruments)
    files = {}
    for name, path in data.files.items():
        path = Path(path)
        files[name] = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)
    meta = {
        "source": str(folder),
        "files": files,
        "synthetic": data.synthetic,
        "instruments": instruments_fingerprint(instruments),
    }
    tables = {name: getattr(data, name) for name in DATASET_TABLES}
    tables.update({f"{NON_ANSWERS_PREFIX}{group}": codes for group, codes in data.non_answers.items()})
    digest = write_snapshot(snapshot, tables, meta)
    if names is not None and not data.synthetic:
        names = list(names)
        write_scan(snapshot, names, scan_files(data.files.values(), names, read))
    return digest


def _whole_numbers_as_int(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers become nullable ``Int64`` (no ``.0`` in CSV)."""
    out = frame.copy()
    for column in out.columns[[pd.api.types.is_float_dtype(t) for t in out.dtypes]]:
        values = out[column]
        if bool(((values % 1 == 0) | values.isna()).all()):
            out[column] = values.astype("Int64")
    return out


def write_dataset(
    folder: str | Path,
    sites: pd.DataFrame,
    service_users: pd.DataFrame,
    care_coordinators: pd.DataFrame,
    manifest: Mapping | None = None,
) -> dict[str, Path]:
    """Write a dataset folder as CSV with stable formatting.

    Parameters
    ----------
    folder : str or Path
        Created if needed; existing CSV tables are overwritten.
    sites, service_users, care_coordinators : DataFrame
        The three tables; the index is not written.
    manifest : mapping, optional
        Written as ``manifest.json`` (e.g. ``{"synthetic": True}``) when given, with the
        SHA-256 and row count of each table written added under ``files``.

    Returns
    -------
    dict of str to Path
        The file written for each table.

    Raises
    ------
    FileExistsError
        If the folder already holds an ``.xlsx`` or ``.sav`` version of a table, which
        would make the folder ambiguous. Nothing is written in that case.

    Notes
    -----
    Files are UTF-8 with ``\\n`` line ends; float columns that hold only whole
    numbers (item responses, codes) are written without ``.0``.
    """
    folder = Path(folder)
    tables = {"sites": sites, "service_users": service_users, "care_coordinators": care_coordinators}
    clashes = [folder / f"{t}{ext}" for t in tables for ext in FORMATS[1:] if (folder / f"{t}{ext}").exists()]
    if clashes:
        names = ", ".join(p.name for p in clashes)
        raise FileExistsError(f"{folder} already holds {names}; remove it before writing CSV tables")
    folder.mkdir(parents=True, exist_ok=True)
    paths = {table: folder / f"{table}.csv" for table in tables}
    for table, frame in tables.items():
        _whole_numbers_as_int(frame).to_csv(paths[table], index=False, lineterminator="\n", encoding="utf-8")
    if manifest is not None:
        manifest = dict(manifest)
        files = dict(manifest.get("files") or {})
        for table, path in paths.items():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[path.name] = {"sha256": digest, "rows": int(len(tables[table]))}
        manifest["files"] = files
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        (folder / MANIFEST).write_text(text, encoding="utf-8")
    return paths
