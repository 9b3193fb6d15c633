"""Results out of a notebook: glued texts and figures for the chapter's prose, tables and figures as files.

The texts and figures are glued with ``myst_nb.glue`` (not displayed where they are made);
with an output folder, tables are written as tidy CSV to ``tables/`` and figures as PNG to
``figures/``.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image
from myst_nb import glue

from helpers.io import SYNTHETIC_DIR

__all__ = [
    "resolve_data_dir",
    "glue_text",
    "glue_figure",
    "save_table",
    "save_tables",
    "save_figure",
]


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


def figure_png(fig) -> bytes:
    """The PNG bytes of ``fig``, with the book's save settings and no software stamp."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def glue_figure(name: str, fig, output_dir: str | Path | None = None, file_name: str | None = None) -> None:
    """Glue a figure as a PNG (not displayed), save it when ``output_dir`` is set, then close it.

    The PNG is rendered here (not by the notebook's matplotlib backend), so the stored
    output does not depend on the kernel's backend and carries no memory address.

    Parameters
    ----------
    name : str
        Glue key, used by ``{glue:figure}`` in the chapter.
    fig : matplotlib Figure
    output_dir : str or Path, optional
        Where :func:`save_figure` writes ``figures/<file_name>.png``.
    file_name : str, optional
        Defaults to ``name``.

    Returns
    -------
    None
        Nothing, so that a notebook cell ending with this call shows no output; the file,
        when written, is ``output_dir/figures/<file_name>.png``.
    """
    png = figure_png(fig)
    glue(name, Image(data=png, format="png"), display=False)
    plt.close(fig)
    if output_dir:
        # The same file save_figure writes (same path, settings and metadata), rendered only once.
        path = Path(output_dir) / "figures" / f"{file_name or name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)


def save_table(frame: pd.DataFrame, name: str, output_dir: str | Path | None) -> Path | None:
    """Write a result table as tidy CSV to ``output_dir/tables/name.csv`` (skipped when no folder)."""
    if not output_dir:
        return None
    path = Path(output_dir) / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def save_tables(tables: dict, output_dir: str | Path | None) -> None:
    """Write several result tables with :func:`save_table` (``{name: frame}``); returns nothing.

    Returning None keeps a notebook cell that ends with it free of output.
    """
    for name, frame in tables.items():
        save_table(frame, name, output_dir)


def save_figure(fig, name: str, output_dir: str | Path | None) -> Path | None:
    """Write a figure as PNG to ``output_dir/figures/name.png`` (skipped when no folder)."""
    if not output_dir:
        return None
    path = Path(output_dir) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    return path
