"""Figures legible where the book shows them: text enlarged to the floor of the figure's width, recorded in the PNG."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from PIL import Image

from helpers.report.glue import figure_png
from helpers.report.style import MIN_TEXT_KEY, READING_WIDTHS, legible_text_pt, make_legible, smallest_text_px


def shown_px(png: bytes) -> dict[float, float]:
    """Smallest text in CSS px at each reading width, as the browser test computes it."""
    with Image.open(io.BytesIO(png)) as image:
        px, natural = float(image.info[MIN_TEXT_KEY]), image.size[0]
    return {width: px * min(width, natural) / natural for width, _ in READING_WIDTHS}


def test_a_wide_figure_with_small_text_is_made_legible_and_records_it():
    fig, ax = plt.subplots(figsize=(13, 4))
    ax.set_title("title", fontsize=12)
    ax.text(0.5, 0.5, "note", fontsize=6)
    ax.tick_params(labelsize=7)
    before = smallest_text_px(fig, dpi=150)
    png = figure_png(fig)
    plt.close(fig)
    assert before == 12.5  # 6 pt at 150 dpi
    sizes = shown_px(png)
    for width, wanted in READING_WIDTHS:
        assert sizes[width] >= wanted - 0.05, (width, sizes[width])


def test_text_already_legible_is_left_alone():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_title("t", fontsize=11)
    ax.tick_params(labelsize=9)
    make_legible(fig)
    fig.canvas.draw()
    assert sorted({t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()}) == [9.0, 11.0]
    plt.close(fig)
    assert legible_text_pt(4.0) < 9.0
