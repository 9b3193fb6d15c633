"""Figures of the reproduction of the article: status per part of the article, distance per value."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .style import figure_text, figure_texts, row_height_in, tick_label_pt

__all__ = ["STATUS_COLOURS", "reproduction_status_plot", "reproduction_deviation_plot"]

#: Colours of the statuses of the reproduction table.
STATUS_COLOURS = {"reproduced": "#0173b2", "not reproduced": "#de8f05", "excluded by the audit": "#cc78bc"}


def reproduction_status_plot(counts_by_source: pd.DataFrame, statuses: Sequence[str]) -> Figure:
    """Stacked horizontal bars: published numbers per source, coloured by reproduction status.

    Parameters
    ----------
    counts_by_source : DataFrame
        One row per ``source`` with a count column per status.
    statuses : sequence of str
        The status columns, in stacking order.

    Returns
    -------
    Figure
    """
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(counts_by_source) + 1.6))
    left = np.zeros(len(counts_by_source))
    y = np.arange(len(counts_by_source))
    for status in statuses:
        values = counts_by_source[status].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=STATUS_COLOURS.get(status), label=figure_text(status))
        left += values
    ax.set_yticks(y, figure_texts(counts_by_source["source"]))
    ax.invert_yaxis()
    ax.set_xlabel("Published numbers")
    ax.set_title("Reproduction status by part of the article")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def reproduction_deviation_plot(table: pd.DataFrame, clip: float = 10.0) -> Figure:
    """How far each reproduced value is from the published one, in units of its tolerance.

    A value within the band from -1 to 1 counts as reproduced. Counts (with a tolerance of
    zero) are shown as exact or not; deviations beyond ``clip`` are drawn at the edge.

    Parameters
    ----------
    table : DataFrame
        The reproduction table (``statistic, published, reproduced, tolerance, status``).
    clip : float

    Returns
    -------
    Figure
    """
    data = table.dropna(subset=["reproduced"]).copy()
    tol = data["tolerance"].where(data["tolerance"] > 0, 0.5)
    data["deviation"] = ((data["reproduced"] - data["published"]) / tol).clip(-clip, clip)
    data["statistic"] = figure_texts(data["statistic"])
    order = list(dict.fromkeys(data["statistic"]))
    fig, ax = plt.subplots(figsize=(8.5, row_height_in(order, tick_label_pt(), 0.32) * len(order) + 2.0))
    ax.axvspan(-1, 1, color="0.9", zorder=0)
    sns.stripplot(
        data=data,
        x="deviation",
        y="statistic",
        hue="status",
        order=order,
        ax=ax,
        size=4,
        jitter=0.25,
        palette=STATUS_COLOURS,
        hue_order=[s for s in STATUS_COLOURS if s in set(data["status"])],
    )
    ax.set_xlim(-clip - 0.5, clip + 0.5)
    ax.set_xlabel(f"(this data − published) ÷ tolerance, clipped at ±{clip:g}")
    ax.set_ylabel("")
    ax.set_title("Distance of every value from the article's")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, title=None)
    fig.tight_layout()
    return fig
