"""Glue and files: texts and figures glued, tables and figures written only when a folder is given."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from helpers.io import SYNTHETIC_DIR
from helpers.report import glue as glue_module
from helpers.report.glue import (
    glue_figure,
    glue_text,
    resolve_data_dir,
    save_figure,
    save_table,
    save_tables,
)
from helpers.report.style import make_legible


def test_glue_figure_saves_and_closes(tmp_path, monkeypatch):
    glued = {}
    monkeypatch.setattr(glue_module, "glue", lambda name, value, display: glued.update({name: (value, display)}))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert glue_figure("fig-x", fig, tmp_path, "x") is None
    path = tmp_path / "figures" / "x.png"
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert glued["fig-x"][0].data == path.read_bytes() and glued["fig-x"][1] is False
    assert not plt.fignum_exists(fig.number)


def test_glue_figure_writes_what_save_figure_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(glue_module, "glue", lambda *a, **k: None)
    figs = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.bar([1, 2], [3, 4])
        figs.append(fig)
    save_figure(figs[0], "a", tmp_path)
    glue_figure("b", figs[1], tmp_path)
    assert (tmp_path / "figures" / "a.png").read_bytes() == (tmp_path / "figures" / "b.png").read_bytes()
    assert save_figure(figs[0], "c", "") is None
    plt.close(figs[0])


def test_glue_text_turns_numpy_scalars_into_python(monkeypatch):
    glued = {}
    monkeypatch.setattr(glue_module, "glue", lambda name, value, display: glued.update({name: value}))
    assert glue_text("n", np.int64(3)) == 3 and type(glued["n"]) is int
    assert glue_text("b", np.float64(0.5)) == 0.5 and type(glued["b"]) is float


def test_tables_are_written_as_tidy_csv(tmp_path):
    frame = pd.DataFrame({"a": [1, 2], "b": [1 / 3, None]})
    path = save_table(frame, "t", tmp_path)
    assert path.read_text() == "a,b\n1,0.3333333333\n2,\n"
    assert save_table(frame, "t", None) is None
    assert save_tables({"u": frame, "v": frame}, tmp_path) is None
    assert (tmp_path / "tables" / "u.csv").is_file() and (tmp_path / "tables" / "v.csv").is_file()


def test_resolve_data_dir(tmp_path):
    assert resolve_data_dir("") == SYNTHETIC_DIR and resolve_data_dir(None) == SYNTHETIC_DIR
    assert resolve_data_dir(str(tmp_path)) == tmp_path


def _tight_figure(layout: str | None):
    fig, axes = plt.subplots(1, 2, figsize=(7, 3), layout=layout)
    for ax in axes:
        ax.barh(["Artois", "a long site name"], [3, 4])
        ax.set_title("Panel title", fontsize=11)
    fig.suptitle("A figure title")
    if layout is None:
        fig.tight_layout()
    return fig


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_figure_files_measure_once_what_savefig_tight_measures(layout):
    # savefig(bbox_inches="tight") lays the figure out and finds its box itself, for every file;
    # figure_files measures once and passes the box: the pixels must be the same.
    with plt.rc_context({"savefig.dpi": 150, "savefig.bbox": "tight", "savefig.pad_inches": 0.1}):
        ours = Image.open(io.BytesIO(glue_module.figure_files(_tight_figure(layout))[0]))
        fig = _tight_figure(layout)
        make_legible(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    plt.close("all")
    theirs = Image.open(buffer)
    assert ours.size == theirs.size
    assert np.array_equal(np.asarray(ours.convert("RGB")), np.asarray(theirs.convert("RGB")))
