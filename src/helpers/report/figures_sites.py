"""Figures of site means: one outcome, the scales of one instrument, and two groups' ratings.

The functions draw; they do not compute statistics, glue or save (see
:func:`helpers.report.glue.glue_figure`). Sites and scales come from the tables, never
from the code. Call :func:`helpers.report.style.set_style` once first.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .format import ci_label
from .style import PALETTE, figure_text, figure_texts, padded_limits, site_colours

__all__ = ["means_on_axis", "site_means_plot", "subscale_means_plot", "rater_plot"]


def means_on_axis(
    ax,
    summary: pd.DataFrame,
    colours: Mapping[str, tuple],
    reference: str | None = None,
    flags: Mapping[str, str] | None = None,
) -> None:
    """Draw site means with their confidence intervals on ``ax`` (sites on the x axis).

    Parameters
    ----------
    ax : matplotlib Axes
    summary : DataFrame
        ``site, mean, ci_low, ci_high`` of one outcome.
    colours : mapping of site to colour
    reference : str, optional
        A site drawn as a diamond and marked ``#``.
    flags : mapping of site to str, optional
        A mark drawn above a site's interval.
    """
    summary = summary.sort_values("site").reset_index(drop=True)
    x = np.arange(len(summary))
    for k, row in summary.iterrows():
        is_ref = reference is not None and row["site"] == reference
        ax.errorbar(
            x[k],
            row["mean"],
            yerr=[[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]],
            fmt="D" if is_ref else "o",
            color=colours.get(row["site"], "0.3"),
            capsize=4,
            markersize=7,
            markeredgecolor="black" if is_ref else None,
            linewidth=1.5,
        )
        mark = "#" if is_ref else (flags or {}).get(row["site"], "")
        if mark:
            ax.annotate(
                figure_text(mark),
                (x[k], row["ci_high"]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=12,
                fontweight="bold",
            )
    ax.set_xticks(x, figure_texts(summary["site"]), rotation=30, ha="right")


def site_means_plot(
    summary: pd.DataFrame,
    title: str,
    ylabel: str,
    reference: str | None = None,
    flags: Mapping[str, str] | None = None,
    score_range: tuple[float, float] | None = None,
    note: str | None = None,
) -> Figure:
    """Site means of one outcome with their confidence intervals.

    Parameters
    ----------
    summary : DataFrame
        One outcome's site summaries (``site, mean, ci_low, ci_high``).
    title, ylabel : str
    reference : str, optional
        A site drawn as a diamond and marked ``#``.
    flags : mapping of site to str, optional
        A mark (e.g. ``"*"``) drawn above a site's interval.
    score_range : (float, float), optional
        The scale's possible range, shown in the x-axis label.
    note : str, optional
        A line of small text under the plot (e.g. what the marks mean).

    Returns
    -------
    Figure
    """
    fig, ax = plt.subplots(figsize=(max(5.0, 0.9 * len(summary) + 2), 4.2))
    means_on_axis(ax, summary, site_colours(summary["site"]), reference, flags)
    ax.set_title(figure_text(title))
    ax.set_ylabel(figure_text(ylabel))
    xlabel = "Site" if score_range is None else f"Site (possible scores {score_range[0]:g}–{score_range[1]:g})"
    ax.set_xlabel(xlabel)
    limits = padded_limits(summary["ci_low"], summary["ci_high"], summary["mean"], below=0.15, above=0.24)
    if limits is not None:
        ax.set_ylim(*limits)
    if note:
        fig.text(0.01, -0.02, figure_text(note), fontsize=8, ha="left", va="top")
    fig.tight_layout()
    return fig


def subscale_means_plot(
    summaries: pd.DataFrame,
    title: str,
    ylabel: str,
    ncols: int = 3,
    flags: Mapping[str, Mapping[str, str]] | None = None,
) -> Figure:
    """Site means with confidence intervals, one panel per scale of one group and instrument.

    Parameters
    ----------
    summaries : DataFrame
        Site summaries of one group and one measure.
    title, ylabel : str
    ncols : int
    flags : mapping of scale to (mapping of site to mark), optional

    Returns
    -------
    Figure
    """
    scales = list(dict.fromkeys(summaries["subscale"]))
    ncols = min(ncols, len(scales))
    nrows = int(np.ceil(len(scales) / ncols))
    n_sites = summaries["site"].nunique()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(ncols * max(3.2, 0.55 * n_sites + 1.2), 3.2 * nrows + 0.6), squeeze=False
    )
    colours = site_colours(summaries["site"])
    for ax, scale in zip(axes.flat, scales):
        sel = summaries[summaries["subscale"] == scale]
        means_on_axis(ax, sel, colours, None, (flags or {}).get(scale))
        ax.set_title(figure_text(scale), fontsize=10)
        ax.set_xlabel("")
        ax.tick_params(axis="x", labelsize=8)
        limits = padded_limits(sel["ci_low"], sel["ci_high"], sel["mean"], below=0.15, above=0.24)
        if limits is not None:
            ax.set_ylim(*limits)
    for ax in axes.flat[len(scales) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(figure_text(ylabel))
    fig.suptitle(figure_text(title), fontweight="bold")
    fig.tight_layout()
    return fig


def rater_plot(
    comparison: pd.DataFrame, first_label: str, second_label: str, title: str, ncols: int = 3, *, confidence: float
) -> Figure:
    """Two groups' site means of the same scales side by side, one panel per scale.

    Parameters
    ----------
    comparison : DataFrame
        The two groups' site means (``mean_1, ci_low_1, ci_high_1``, the same with ``_2``).
    first_label, second_label : str
        Legend labels of the two groups.
    title : str
    ncols : int
    confidence : float
        The level of the intervals (for the axis label).

    Returns
    -------
    Figure
    """
    scales = list(dict.fromkeys(comparison["subscale"]))
    ncols = min(ncols, len(scales))
    nrows = int(np.ceil(len(scales) / ncols))
    sites = sorted(comparison["site"].unique())
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.0 * ncols, 0.45 * len(sites) * nrows + 1.6 * nrows + 0.8), squeeze=False, sharex=True
    )
    colours = sns.color_palette(PALETTE, 2)
    for ax, scale in zip(axes.flat, scales):
        sel = comparison[comparison["subscale"] == scale].set_index("site").reindex(sites)
        y = np.arange(len(sites))
        for k, site in enumerate(sites):
            row = sel.loc[site]
            ax.plot([row["mean_1"], row["mean_2"]], [k, k], color="0.7", zorder=1)
        first, second = figure_text(first_label), figure_text(second_label)
        groups = (("1", colours[0], first, -0.12), ("2", colours[1], second, 0.12))
        for suffix, colour, label, dy in groups:
            mean, low, high = (sel[f"{c}_{suffix}"].to_numpy(float) for c in ("mean", "ci_low", "ci_high"))
            ax.errorbar(
                mean, y + dy, xerr=[mean - low, high - mean], fmt="o", color=colour, capsize=3, label=label, zorder=2
            )
        ax.set_yticks(y, figure_texts(sites))
        ax.invert_yaxis()
        ax.set_title(figure_text(scale), fontsize=10)
    for ax in axes.flat[len(scales) :]:
        ax.set_visible(False)
    for ax in axes[-1, :]:
        ax.set_xlabel(f"Mean score ({ci_label(confidence)})")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, -0.02))
    fig.suptitle(figure_text(title), fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
