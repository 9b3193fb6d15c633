"""The results of a run as downloads of the book: every table (CSV) and figure (PNG, SVG), one
workbook, one zip, linked from the pages.

The HTML build copies the run's ``tables/`` and ``figures/`` into ``html/results/`` and adds there
``cocapp-results.xlsx`` (a sheet per table and a ``codebook`` sheet describing every column) and
``cocapp-results.zip`` (every table, figure and the workbook); the runner adds the run record
``run.json`` beside them. Each chapter ends with the links to its own files
(:func:`chapter_files`), the introduction with the zip, the workbook and the run record.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from helpers.report.glue import neutralise_formulas

__all__ = [
    "RESULTS",
    "WORKBOOK",
    "ARCHIVE",
    "KINDS",
    "chapter_files",
    "column_description",
    "codebook",
    "write_workbook",
    "write_archive",
    "publish_results",
]

#: Folder of the HTML site holding the downloads.
RESULTS = "results"
#: The workbook of every table of a run.
WORKBOOK = "cocapp-results.xlsx"
#: Every table, figure and the workbook in one file.
ARCHIVE = "cocapp-results.zip"
#: Kinds of result file, by folder: the suffixes published.
KINDS = {"tables": (".csv",), "figures": (".png", ".svg")}

#: What the columns the result tables share hold (the rest are described by their name's parts).
COLUMN_MEANINGS = {
    "group": "participant group (service users or care coordinators)",
    "measure": "instrument (RSA, STAR-P, ES)",
    "subscale": "scale of the instrument (a subscale or the total)",
    "site": "study site",
    "country": "country of the site",
    "n": "number of people with a score",
    "mean": "mean score",
    "sd": "standard deviation",
    "sem": "standard error of the mean (SD / sqrt(n))",
    "ci_low": "lower limit of the confidence interval",
    "ci_high": "upper limit of the confidence interval",
    "p": "p value",
    "F": "F statistic",
    "df_between": "degrees of freedom between sites",
    "df_within": "degrees of freedom within sites",
    "eta_squared": "eta squared (share of variance between sites)",
    "partial_eta_squared": "partial eta squared (adjusted analysis)",
    "diff": "difference of the two means",
    "se": "standard error",
    "p_tukey": "p value adjusted by the Tukey-Kramer method",
    "significant": "whether the result is significant at the chosen alpha",
    "flag": "which analyses found a significant site effect",
    "alpha": "Cronbach's alpha",
    "n_items": "number of items of the scale",
    "n_complete": "number of people who answered every item",
    "r": "Pearson correlation coefficient",
    "rho": "Spearman rank correlation coefficient",
    "t": "t statistic",
    "df": "degrees of freedom",
    "reference": "reference value",
    "status": "reproduction status of the published number",
    "source": "where the article printed the number",
}
_SUFFIXES = {
    "_adj": "adjusted for the covariates",
    "_a": "first of the pair",
    "_b": "second of the pair",
}


def chapter_files(results: Path, chapter: str) -> dict[str, list[str]]:
    """The result files of one chapter (``"02"``), by kind: ``{"tables": [...], "figures": [...]}``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("tables/02-a.csv", "tables/03-b.csv", "figures/02-f.png", "figures/02-f.svg"):
    ...         path = Path(d) / name
    ...         path.parent.mkdir(exist_ok=True)
    ...         _ = path.write_text("x")
    ...     chapter_files(Path(d), "02")
    {'tables': ['tables/02-a.csv'], 'figures': ['figures/02-f.png', 'figures/02-f.svg']}
    """
    found = {}
    for kind, suffixes in KINDS.items():
        folder = results / kind
        names = sorted(p.name for p in folder.glob(f"{chapter}-*") if p.suffix in suffixes) if folder.is_dir() else []
        found[kind] = [f"{kind}/{name}" for name in names]
    return found


def column_description(name: str) -> str:
    """What a result column holds, from :data:`COLUMN_MEANINGS` and the parts of its name.

    Examples
    --------
    >>> column_description("published_sem")
    "the article's value of: standard error of the mean (SD / sqrt(n))"
    >>> column_description("p_adj"), column_description("mean_b")
    ('p value, adjusted for the covariates', 'mean score, second of the pair')
    >>> column_description("care_plans_reviewed")
    'care plans reviewed'
    """
    if name in COLUMN_MEANINGS:
        return COLUMN_MEANINGS[name]
    if name.startswith("published_"):
        return "the article's value of: " + column_description(name.removeprefix("published_"))
    for suffix, meaning in _SUFFIXES.items():
        stem = name.removesuffix(suffix)
        if stem != name and stem in COLUMN_MEANINGS:
            return f"{COLUMN_MEANINGS[stem]}, {meaning}"
    return re.sub(r"[_\s]+", " ", name).strip()


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "yes/no"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def codebook(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per column of every table: its sheet, name, type, description and count of values."""
    rows = [
        {
            "sheet": sheet,
            "column": str(column),
            "type": _kind(frame[column]),
            "description": column_description(str(column)),
            "values": int(frame[column].notna().sum()),
        }
        for sheet, frame in tables.items()
        for column in frame.columns
    ]
    return pd.DataFrame(rows, columns=["sheet", "column", "type", "description", "values"])


def _sheet_names(names: Iterable[str]) -> dict[str, str]:
    """A unique sheet name (at most 31 characters) for every table name."""
    taken: dict[str, str] = {}
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31]
        sheet, k = base, 1
        while sheet in taken.values() or sheet == "codebook":
            k += 1
            sheet = f"{base[: 31 - len(str(k)) - 1]}~{k}"
        taken[name] = sheet
    return taken


def write_workbook(table_files: Iterable[Path], path: Path) -> Path:
    """Every CSV table as a sheet of one workbook, with a ``codebook`` sheet first.

    Text cells read as formulas are neutralised (:func:`helpers.report.neutralise_formulas`).
    """
    files = sorted(table_files)
    names = _sheet_names(f.stem for f in files)
    tables = {names[f.stem]: neutralise_formulas(pd.read_csv(f, keep_default_na=False, na_values=[""])) for f in files}
    book = Workbook()
    sheets = {"codebook": codebook(tables), **tables}
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([None if (isinstance(v, float) and v != v) else v for v in row])
        for k, column in enumerate(frame.columns, start=1):
            sheet.column_dimensions[get_column_letter(k)].width = min(60, max(10, len(str(column)) + 2))
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_archive(folder: Path, path: Path) -> Path:
    """Every file below ``folder`` (but ``path`` itself) in one zip, with fixed dates (same files, same zip)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and p != path):
            info = zipfile.ZipInfo(f"cocapp-results/{file.relative_to(folder).as_posix()}", (2016, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes())
    return path


def publish_results(results: Path, html_dir: Path) -> Path:
    """Copy the tables and figures of ``results`` to ``html_dir/results`` and add the workbook and zip."""
    target = html_dir / RESULTS
    for kind, suffixes in KINDS.items():
        (target / kind).mkdir(parents=True, exist_ok=True)
        for file in sorted((results / kind).glob("*")) if (results / kind).is_dir() else []:
            if file.suffix in suffixes:
                (target / kind / file.name).write_bytes(file.read_bytes())
    write_workbook((target / "tables").glob("*.csv"), target / WORKBOOK)
    write_archive(target, target / ARCHIVE)
    return target
