"""Figures of the synthesis: site survey means against the collaboration score from the interviews."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from helpers.synthesis import SURVEY_MEASURES

from .format import ci_label
from .style import PALETTE, figure_text

__all__ = ["hypothesis_plot"]

#: (measure, label) of each panel: the survey measures of the joint display.
PANELS = tuple((measure, label) for _, measure, _, label in SURVEY_MEASURES)
#: Marker per country, in alphabetical order of the countries.
MARKERS = ("o", "s", "^", "D")


def hypothesis_plot(joint: pd.DataFrame, measures: Sequence[tuple[str, str]] = PANELS, *, confidence: float) -> Figure:
    """Site survey means (with their confidence intervals) against the collaboration score, one panel per measure.

    Parameters
    ----------
    joint : DataFrame
        :func:`helpers.synthesis.joint_display`.
    measures : sequence of (measure, label)
    confidence : float
        The level of the intervals in ``joint`` (for the axis label).
    """
    countries = sorted(joint["country"].unique())
    colours = dict(zip(countries, sns.color_palette(PALETTE, len(countries))))
    markers = dict(zip(countries, MARKERS))
    fig, axes = plt.subplots(1, len(measures), figsize=(4.2 * len(measures), 3.8), squeeze=False)
    for ax, (m, label) in zip(axes[0], measures):
        shown = joint[np.isfinite(joint[f"{m}_mean"]) & np.isfinite(joint["collaboration"])]
        shown = shown.sort_values(["collaboration", f"{m}_mean"]).reset_index(drop=True)
        for k, r in shown.iterrows():
            mean, lo, hi = r[f"{m}_mean"], r[f"{m}_ci_low"], r[f"{m}_ci_high"]
            ax.errorbar(
                r["collaboration"],
                mean,
                yerr=[[mean - lo], [hi - mean]],
                fmt=markers[r["country"]],
                color=colours[r["country"]],
                capsize=3,
            )
            right = k % 2 == 0  # alternate sides so that neighbouring labels do not overlap
            ax.annotate(
                figure_text(r["site"]),
                (r["collaboration"], mean),
                xytext=(6 if right else -6, 0),
                textcoords="offset points",
                fontsize=8,
                ha="left" if right else "right",
                va="center",
            )
        ax.set_xlabel("Collaboration score (interviews)")
        ax.set_ylabel(figure_text(f"{label}: site mean, {ci_label(confidence)}"))
        if len(shown):
            lo_x, hi_x = shown["collaboration"].min(), shown["collaboration"].max()
            ax.set_xlim(max(-1.05, lo_x - 0.2), min(1.05, hi_x + 0.2))
    handles = [
        Line2D([], [], marker=markers[c], color=colours[c], linestyle="", label=figure_text(c)) for c in countries
    ]
    axes[0][0].legend(handles=handles, fontsize=8, loc="best")
    fig.tight_layout()
    return fig
