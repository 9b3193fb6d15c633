"""Figures of the interviews: code shares by role, staff against service users, the care-plan review."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from helpers.io import ROLE_ORDER, ROLE_PLURALS, CodeBook

from .style import PALETTE, contrasting_annotations, figure_text, figure_texts, row_height_in, tick_label_pt

__all__ = ["placeholder_figure", "code_share_heatmap", "divergence_plot", "care_plan_heatmap"]


def placeholder_figure(message: str, size: tuple[float, float] = (6.0, 1.2)) -> Figure:
    """A figure holding only a message (shown where a result cannot be drawn).

    Examples
    --------
    >>> fig = placeholder_figure("Nothing to show.")
    >>> fig.axes[0].texts[0].get_text()
    'Nothing to show.'
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=size)
    ax.axis("off")
    ax.text(0.5, 0.5, figure_text(message), ha="center", va="center", fontsize=11, wrap=True)
    return fig


def _percent_heatmap(ax, wide: pd.DataFrame, cmap: str, bar_label: str, fontsize: float) -> None:
    """Shares (0 to 1) drawn on ``ax`` as a heatmap of percentages, each cell written, without axis titles."""
    sns.heatmap(
        wide * 100,
        ax=ax,
        cmap=cmap,
        vmin=0,
        vmax=100,
        annot=True,
        fmt=".0f",
        linewidths=0.4,
        cbar_kws={"label": bar_label},
        annot_kws={"fontsize": fontsize},
    )
    contrasting_annotations(ax)
    ax.set_xlabel("")
    ax.set_ylabel("")


def code_share_heatmap(freq: pd.DataFrame, codebook: CodeBook, title: str = "") -> Figure:
    """Share of accounts carrying each code (rows, grouped by theme) per role (columns).

    Parameters
    ----------
    freq : DataFrame
        :func:`helpers.interviews.code_frequencies` with ``by="role"``.
    codebook : CodeBook
    title : str
    """
    wide = freq.pivot(index="code", columns="role", values="share").reindex(
        index=list(codebook.codes), columns=list(ROLE_ORDER)
    )
    wide.index = figure_texts(codebook.code_label(c) for c in wide.index)
    wide.columns = figure_texts(ROLE_PLURALS[r] for r in wide.columns)
    fig, ax = plt.subplots(figsize=(7.5, row_height_in(wide.index, 8, 0.26) * len(wide) + 1.5))
    _percent_heatmap(ax, wide, "Blues", "% of accounts", fontsize=7)
    themes = [codebook.codes[c].theme for c in codebook.codes]
    for k in range(1, len(themes)):
        if themes[k] != themes[k - 1]:  # a line between themes
            ax.axhline(k, color="black", linewidth=0.8)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=8, rotation=20)
    if title:
        ax.set_title(figure_text(title))
    return fig


def divergence_plot(div: pd.DataFrame, title: str = "") -> Figure:
    """For each comparison, per site: the staff share and the users' share joined by a line.

    Parameters
    ----------
    div : DataFrame
        :func:`helpers.interviews.divergence_table`.
    title : str
    """
    comparisons = list(dict.fromkeys(div["comparison"]))
    colours = sns.color_palette(PALETTE, 2)
    fig, axes = plt.subplots(1, len(comparisons), figsize=(4.2 * len(comparisons), 3.6), sharey=True, squeeze=False)
    for ax, comp in zip(axes[0], comparisons):
        sel = div[div["comparison"] == comp].reset_index(drop=True)
        y = np.arange(len(sel))[::-1]
        for k, r in sel.iterrows():
            ax.plot([r["users_share"] * 100, r["staff_share"] * 100], [y[k], y[k]], color="0.7", zorder=1)
        ax.scatter(sel["staff_share"] * 100, y, color=colours[0], label="staff", zorder=2)
        ax.scatter(sel["users_share"] * 100, y, color=colours[1], marker="s", label="service users / carers", zorder=2)
        ax.set_yticks(y, figure_texts(sel["site"]))
        ax.set_xlim(-5, 105)
        ax.set_xlabel("% of accounts")
        ax.set_title(figure_text(sel["question"].iloc[0]), fontsize=10)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    if title:
        fig.suptitle(figure_text(title))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def care_plan_heatmap(review: pd.DataFrame, title: str = "") -> Figure:
    """Share of reviewed plans with each template field (rows), per site (columns).

    Parameters
    ----------
    review : DataFrame
        :func:`helpers.interviews.care_plan_review`.
    title : str
    """
    wide = review.pivot(index="label", columns="site", values="share").reindex(
        index=list(dict.fromkeys(review["label"])), columns=list(dict.fromkeys(review["site"]))
    )
    wide.index = figure_texts(wide.index)
    wide.columns = figure_texts(wide.columns)
    fig, ax = plt.subplots(
        figsize=(1.0 * wide.shape[1] + 4, row_height_in(wide.index, tick_label_pt(), 0.35) * len(wide) + 1.4)
    )
    _percent_heatmap(ax, wide, "Greens", "% of plans (recorded)", fontsize=8)
    ax.tick_params(axis="x", rotation=20, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    if title:
        ax.set_title(figure_text(title))
    return fig
