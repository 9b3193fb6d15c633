"""Results out of a notebook: glued texts and figures for the chapter's prose, tables and figures as files.

The texts and figures are glued with ``myst_nb.glue`` (not displayed where they are made);
with an output folder, tables are written as tidy CSV to ``tables/`` and figures as PNG to
``figures/``. A text cell that a spreadsheet would read as a formula (one that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a single quote in
front, as OWASP recommends against CSV injection (:func:`neutralise_formulas`); numbers are
never changed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image
from myst_nb import glue

from helpers.io import SYNTHETIC_DIR

from .style import MIN_TEXT_KEY, make_legible, smallest_text_px

__all__ = [
    "resolve_data_dir",
    "FORMULA_STARTS",
    "formula_text",
    "neutralise_formulas",
    "glue_text",
    "glue_figure",
    "save_table",
    "save_tables",
    "save_figure",
]


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A negative number written as text (``-3``, ``-0.25``, ``-1e-05``): a number, not a formula.
_NEGATIVE_NUMBER = re.compile(r"-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def formula_text(value) -> bool:
    """Whether ``value`` is text that a spreadsheet would read as a formula.

    Only strings count; a string that is a plain negative number does not.

    Examples
    --------
    >>> [formula_text(v) for v in ("=1+1", "@SUM(1)", "+1", "-cmd", "-0.25", "-3", "a-b", -2.5, None)]
    [True, True, True, True, False, False, False, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and _NEGATIVE_NUMBER.fullmatch(value) is None


def _neutralised(value):
    return "'" + value if formula_text(value) else value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a single quote before every text cell (and column name) read as a formula.

    Numeric and boolean columns are never touched, nor are numbers in a column of mixed
    values; a frame with nothing to neutralise is returned as it is (not copied).

    Parameters
    ----------
    frame : DataFrame
        A result table about to be written to a file a spreadsheet may open (CSV, XLSX).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> t = pd.DataFrame({"site": ["=SUM(A1)", "Artois", "-cmd"], "diff": [-0.5, 1.0, -2.0]})
    >>> neutralise_formulas(t).to_dict("list")
    {'site': ["'=SUM(A1)", 'Artois', "'-cmd"], 'diff': [-0.5, 1.0, -2.0]}
    """
    replaced = {}
    for k in range(frame.shape[1]):
        series = frame.iloc[:, k]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if any(formula_text(value) for value in series):
            replaced[k] = series.astype(object).map(_neutralised)
    header = [_neutralised(c) for c in frame.columns]
    if not replaced and header == list(frame.columns):
        return frame
    out = frame.copy()
    for k, series in replaced.items():
        out.isetitem(k, series)
    out.columns = header
    return out


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The dataset folder a notebook reads: ``data_dir`` or, if empty, the synthetic default.

    Examples
    --------
    >>> resolve_data_dir("") == SYNTHETIC_DIR, resolve_data_dir("/data/own")
    (True, PosixPath('/data/own'))
    """
    return Path(data_dir) if data_dir else SYNTHETIC_DIR


def glue_text(name: str, value):
    """Glue ``value`` as plain text under ``name`` (not displayed) and return it.

    NumPy scalars are converted to Python types first (``glue:text`` cannot format
    NumPy 2 scalars); strings are glued as they are.
    """
    if isinstance(value, np.generic):
        value = value.item()
    glue(name, value, display=False)
    return value


def saved_dpi(fig) -> float:
    """The resolution ``savefig`` writes ``fig`` at (``savefig.dpi``, or the figure's own)."""
    dpi = plt.rcParams["savefig.dpi"]
    return float(fig.dpi if dpi == "figure" else dpi)


def figure_files(fig) -> tuple[bytes, bytes]:
    """The PNG and SVG bytes of ``fig``, with the book's save settings and no date or software stamp.

    Text too small for the book's pages is enlarged first (:func:`.style.make_legible`); the PNG
    records the size of the figure's smallest text (:func:`.style.smallest_text_px`); the SVG
    draws its text as paths, so the same figure gives the same file.

    Notes
    -----
    The figure is measured once, at the resolution it is saved at, and both files are written
    from that measurement: ``savefig`` with ``bbox_inches="tight"`` would lay the figure out
    twice more for each file, to find the same box. The book's figures arrange themselves with a
    one-off ``tight_layout`` when they are made, so nothing moves between the files.
    """
    fig.set_dpi(saved_dpi(fig))
    box = make_legible(fig)
    fig.set_layout_engine(None)  # what remains is a placeholder that would only trigger another layout
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(
        png, format="png", bbox_inches=box, metadata={"Software": None, MIN_TEXT_KEY: f"{smallest_text_px(fig):g}"}
    )
    with plt.rc_context({"svg.hashsalt": "cocapp", "svg.fonttype": "path"}):
        fig.savefig(svg, format="svg", bbox_inches=box, metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def figure_png(fig) -> bytes:
    """The PNG bytes of ``fig`` as :func:`figure_files` writes them."""
    return figure_files(fig)[0]


def glue_figure(name: str, fig, output_dir: str | Path | None = None, file_name: str | None = None) -> None:
    """Glue a figure as a PNG (not displayed), save it as PNG and SVG when ``output_dir`` is set, then close it.

    The PNG is rendered here (not by the notebook's matplotlib backend), so the stored
    output does not depend on the kernel's backend and carries no memory address.

    Parameters
    ----------
    name : str
        Glue key, used by ``{glue:figure}`` in the chapter.
    fig : matplotlib Figure
    output_dir : str or Path, optional
        Where ``figures/<file_name>.png`` and ``.svg`` are written.
    file_name : str, optional
        Defaults to ``name``.

    Returns
    -------
    None
        Nothing, so that a notebook cell ending with this call shows no output; the file,
        when written, is ``output_dir/figures/<file_name>.png`` (and ``.svg``).
    """
    png, svg = figure_files(fig)
    glue(name, Image(data=png, format="png"), display=False)
    plt.close(fig)
    if output_dir:
        path = Path(output_dir) / "figures" / f"{file_name or name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        path.with_suffix(".svg").write_bytes(svg)


def save_table(frame: pd.DataFrame, name: str, output_dir: str | Path | None) -> Path | None:
    """Write a result table as tidy CSV to ``output_dir/tables/name.csv`` (skipped when no folder).

    Text cells read as formulas are neutralised first (:func:`neutralise_formulas`).
    """
    if not output_dir:
        return None
    path = Path(output_dir) / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def save_tables(tables: dict, output_dir: str | Path | None) -> None:
    """Write several result tables with :func:`save_table` (``{name: frame}``); returns nothing.

    Returning None keeps a notebook cell that ends with it free of output.
    """
    for name, frame in tables.items():
        save_table(frame, name, output_dir)


def save_figure(fig, name: str, output_dir: str | Path | None) -> Path | None:
    """Write a figure as PNG to ``output_dir/figures/name.png`` (skipped when no folder), as :func:`figure_png`."""
    if not output_dir:
        return None
    path = Path(output_dir) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(figure_png(fig))
    return path
