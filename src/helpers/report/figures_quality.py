"""Figures of data quality: missing items, internal consistency and the mean-replacement sensitivity.

The functions draw from tidy result tables; they do not compute statistics, glue or save.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .format import ci_label
from .labels import group_label, outcome_labels
from .style import OUTCOME_LABEL_WIDTH, PALETTE, empty_figure, figure_text, figure_texts, row_height_in

__all__ = ["missing_plot", "alpha_plot", "sensitivity_plot"]


#: Height of an outcome's row (inches) when its label is one line; the title, axis and margins.
ROW_IN, MARGIN_IN = 0.28, 1.4
#: Size of the outcome labels (points).
LABEL_PT = 8


def _outcome_rows(frame: pd.DataFrame) -> tuple[Figure, plt.Axes, np.ndarray, list[str], list]:
    """A figure with a row per outcome of ``frame``: figure, axes, row positions, outcome labels, two colours."""
    labels = outcome_labels(frame)
    y = np.arange(len(frame))
    fig, ax = plt.subplots(figsize=(7.5, ROW_IN * len(frame) + MARGIN_IN))
    colours = sns.color_palette(PALETTE, 2)
    return fig, ax, y, labels, colours


def _finish_outcome_rows(
    fig: Figure, ax: plt.Axes, y: np.ndarray, labels: list[str], xlabel: str, title: str, legend_loc: str
) -> Figure:
    """Outcome labels top to bottom, axis title, title and legend; the figure laid out.

    Each row is tall enough for its label's wrapped lines, so that no two labels overlap.
    """
    wrapped = figure_texts(labels, OUTCOME_LABEL_WIDTH)
    fig.set_size_inches(fig.get_size_inches()[0], row_height_in(wrapped, LABEL_PT, ROW_IN) * len(y) + MARGIN_IN)
    ax.set_yticks(y, wrapped, fontsize=LABEL_PT)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc=legend_loc, fontsize=8)
    fig.tight_layout()
    return fig


def missing_plot(missing: pd.DataFrame, published_label: str = "article") -> Figure:
    """Share of participants with at least one missing item per outcome, with the article's share.

    Parameters
    ----------
    missing : DataFrame
        ``group, measure, subscale, share_missing`` and, when known, ``published_share_missing``.
    published_label : str
        Legend label of the article's values.

    Returns
    -------
    Figure
    """
    fig, ax, y, labels, colours = _outcome_rows(missing)
    ax.barh(y, 100 * missing["share_missing"], color=colours[0], label="this data")
    if "published_share_missing" in missing and missing["published_share_missing"].notna().any():
        ax.scatter(
            100 * missing["published_share_missing"],
            y,
            marker="|",
            s=160,
            color="black",
            linewidths=2,
            label=figure_text(published_label),
            zorder=3,
        )
    return _finish_outcome_rows(
        fig,
        ax,
        y,
        labels,
        "Participants with at least one item missing (%)",
        "Missing items per outcome",
        "lower right",
    )


def alpha_plot(
    alphas: pd.DataFrame, threshold: float, published_label: str = "article", *, confidence: float
) -> Figure:
    """Cronbach's alpha per outcome with its confidence interval, the article's value and the threshold.

    Parameters
    ----------
    alphas : DataFrame
        ``group, measure, subscale, alpha, ci_low, ci_high`` and, when known, ``published_alpha``.
    threshold : float
        The least acceptable alpha, drawn as a dashed line.
    published_label : str
    confidence : float
        The level of the intervals (for the legend).

    Returns
    -------
    Figure
    """
    fig, ax, y, labels, colours = _outcome_rows(alphas)
    ax.errorbar(
        alphas["alpha"],
        y,
        xerr=[alphas["alpha"] - alphas["ci_low"], alphas["ci_high"] - alphas["alpha"]],
        fmt="o",
        color=colours[0],
        capsize=2,
        label=f"this data ({ci_label(confidence)})",
    )
    if "published_alpha" in alphas and alphas["published_alpha"].notna().any():
        ax.scatter(
            alphas["published_alpha"], y, marker="x", color="black", s=30, label=figure_text(published_label), zorder=3
        )
    ax.axvline(threshold, color="0.4", linestyle="--", linewidth=1)
    return _finish_outcome_rows(
        fig, ax, y, labels, "Cronbach's alpha (complete cases)", "Internal consistency per outcome", "lower left"
    )


def sensitivity_plot(sensitivity: pd.DataFrame, alpha: float, primary: float | None = None) -> Figure:
    """p of the site comparison at each mean-replacement threshold, one line per outcome.

    One panel per group and instrument; the significance level is a dashed line and the
    primary analysis's threshold a dotted one.

    Parameters
    ----------
    sensitivity : DataFrame
        ``group, measure, subscale, threshold, p``: one row per outcome and threshold.
    alpha : float
        The significance level.
    primary : float, optional
        The threshold of the primary analysis.

    Returns
    -------
    Figure
        A figure saying so when ``sensitivity`` is empty.
    """
    panels = list(dict.fromkeys(zip(sensitivity["group"], sensitivity["measure"])))
    if not panels:
        return empty_figure("No site comparison could be estimated at any threshold.")
    ncols = min(2, len(panels))
    nrows = int(np.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.6 * ncols, 4.6 * nrows + 0.4), squeeze=False, sharey=True)
    floor = 1e-4
    for ax, (group, measure) in zip(axes.flat, panels):
        sel = sensitivity[(sensitivity["group"] == group) & (sensitivity["measure"] == measure)]
        scales = list(dict.fromkeys(sel["subscale"]))
        palette = sns.color_palette(PALETTE, len(scales))
        for colour, scale in zip(palette, scales):
            s = sel[sel["subscale"] == scale].sort_values("threshold")
            ax.plot(
                100 * s["threshold"],
                np.maximum(s["p"], floor),
                marker="o",
                color=colour,
                label=figure_text(scale),
                linewidth=2.4 if scale == "Total" else 1.2,
            )
        ax.axhline(alpha, color="0.3", linestyle="--", linewidth=1)
        if primary is not None:
            ax.axvline(100 * primary, color="0.5", linestyle=":", linewidth=1)
        ax.set_yscale("log")
        ax.set_title(figure_text(f"{group_label(group).capitalize()}: {measure}"), fontsize=10)
        ax.set_xlabel("Largest share of items replaced (%)")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    for ax in axes[:, 0]:
        ax.set_ylabel("p (one-way ANOVA across sites)")
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle("Site comparisons at each mean-replacement threshold", fontweight="bold")
    fig.tight_layout()
    return fig
