"""Figures across sites and outcomes: reference comparison, countries, standardised means, correlations.

The functions draw from tidy result tables; they do not compute statistics, glue or save.
Sites, countries and outcomes come from the tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .format import ci_label
from .labels import ALL_SITES, capital, outcome_label
from .style import (
    OUTCOME_LABEL_WIDTH,
    contrasting_annotations,
    figure_text,
    figure_texts,
    padded_limits,
    row_height_in,
    site_colours,
)

__all__ = ["reference_plot", "country_site_plot", "standardised_heatmap", "correlation_plot"]


def reference_plot(comparison: pd.DataFrame, label: str, confidence: float) -> Figure:
    """Forest plot of differences from a published reference mean: all sites first, then each site.

    Parameters
    ----------
    comparison : DataFrame
        ``site, n, diff, ci_low, ci_high``; the whole sample is the row ``"All sites"``.
    label : str
        The outcome, e.g. ``"STAR-P total"``.
    confidence : float
        The level of the intervals (for the axis label).

    Returns
    -------
    Figure
    """
    rows = comparison.reset_index(drop=True)
    if rows.empty:
        fig, ax = plt.subplots(figsize=(6.5, 1.6))
        ax.text(0.5, 0.5, figure_text(f"No reference value for the {label}"), ha="center", va="center")
        ax.set_axis_off()
        return fig
    y = np.arange(len(rows))
    colours = site_colours(rows.loc[rows["site"] != ALL_SITES, "site"])
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 1.4))
    for k, r in rows.iterrows():
        whole = r["site"] == ALL_SITES
        ax.errorbar(
            r["diff"],
            y[k],
            xerr=[[r["diff"] - r["ci_low"]], [r["ci_high"] - r["diff"]]],
            fmt="D" if whole else "o",
            color="black" if whole else colours.get(r["site"], "0.3"),
            capsize=3,
            markersize=8 if whole else 6,
        )
    ax.axvline(0, color="0.4", linestyle="--", linewidth=1)
    ax.set_yticks(y, figure_texts(f"{s} (n = {int(n)})" for s, n in zip(rows["site"], rows["n"])))
    ax.invert_yaxis()
    ax.set_xlabel(f"Difference from the reference mean ({ci_label(confidence)})")
    ax.set_title(figure_text(f"{label}: this data minus the reference value"))
    fig.tight_layout()
    return fig


def country_site_plot(
    summaries: pd.DataFrame, countries: Mapping[str, str], ncols: int = 2, *, confidence: float
) -> Figure:
    """Site means grouped by country, one panel per outcome; a bar marks each country's mean of site means.

    Parameters
    ----------
    summaries : DataFrame
        Site summaries (e.g. of the totals) with ``group, measure, subscale``.
    countries : mapping of site to country
    ncols : int
    confidence : float
        The level of the intervals (for the axis label).

    Returns
    -------
    Figure
    """
    keys = list(dict.fromkeys(zip(summaries["group"], summaries["measure"], summaries["subscale"])))
    ncols = min(ncols, len(keys))
    nrows = int(np.ceil(len(keys) / ncols))
    names = sorted(set(countries[s] for s in summaries["site"] if s in countries))
    colours = site_colours(summaries["site"])
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.8 * ncols, 3.6 * nrows + 0.4), squeeze=False)
    for ax, (g, m, sub) in zip(axes.flat, keys):
        sel = summaries[(summaries["group"] == g) & (summaries["measure"] == m) & (summaries["subscale"] == sub)]
        sel = sel.assign(country=sel["site"].map(countries)).sort_values(["country", "site"])
        for k, country in enumerate(names):
            part = sel[sel["country"] == country].reset_index(drop=True)
            offsets = np.linspace(-0.25, 0.25, len(part)) if len(part) > 1 else np.zeros(len(part))
            for off, (_, r) in zip(offsets, part.iterrows()):
                ax.errorbar(
                    k + off,
                    r["mean"],
                    yerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]],
                    fmt="o",
                    color=colours[r["site"]],
                    capsize=3,
                )
                ax.annotate(
                    figure_text(r["site"]),
                    (k + off, r["ci_high"]),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    rotation=90,
                )
            if len(part):
                ax.hlines(part["mean"].mean(), k - 0.35, k + 0.35, color="black", linewidth=2)
        ticks = [f"{c}\n({int((sel['country'] == c).sum())} sites)" for c in names]
        ax.set_xticks(range(len(names)), figure_texts(ticks))
        ax.set_xlim(-0.6, len(names) - 0.4)
        limits = padded_limits(sel["ci_low"], sel["ci_high"], below=0.1, above=0.45)
        if limits is not None:
            ax.set_ylim(*limits)
        ax.set_title(figure_text(capital(outcome_label(g, m, sub))), fontsize=10)
        ax.set_ylabel(f"Site mean ({ci_label(confidence)})")
    for ax in axes.flat[len(keys) :]:
        ax.set_visible(False)
    fig.suptitle("Site means by country (black bar: mean of the site means)", fontweight="bold")
    fig.tight_layout()
    return fig


def standardised_heatmap(
    z: pd.DataFrame,
    tests: pd.DataFrame | None = None,
    marks: Mapping | None = None,
    countries: Mapping[str, str] | None = None,
) -> Figure:
    """Heatmap of standardised site means: one row per outcome, one column per site.

    Parameters
    ----------
    z : DataFrame
        ``group, measure, subscale, site, z``.
    tests : DataFrame, optional
        Outcome tests with a ``flag`` column; rows whose unadjusted or adjusted site effect
        is significant get a mark in their label.
    marks : mapping, optional
        ``{"both": "**", ...}`` marks per ``flag`` value of ``tests``; default ``*`` for any
        significant flag.
    countries : mapping of site to country, optional
        Sites are then ordered by country and labelled with it.

    Returns
    -------
    Figure
    """
    keys = list(dict.fromkeys(zip(z["group"], z["measure"], z["subscale"])))
    wide = z.pivot_table(index=["group", "measure", "subscale"], columns="site", values="z")
    wide = wide.reindex(pd.MultiIndex.from_tuples(keys, names=["group", "measure", "subscale"]))
    if countries:
        order = sorted(wide.columns, key=lambda s: (countries.get(s, ""), s))
        wide = wide[order]
    flags = {}
    if tests is not None:
        marks = dict(marks or {"both": " *", "unadjusted only": " *", "adjusted only": " *", "neither": ""})
        flags = {(r.group, r.measure, r.subscale): marks.get(r.flag, "") for r in tests.itertuples()}
    labels = [capital(outcome_label(g, m, s)) + flags.get((g, m, s), "") for g, m, s in wide.index]
    limit = max(0.3, float(np.nanmax(np.abs(wide.to_numpy()))))
    ylabels = figure_texts(labels, OUTCOME_LABEL_WIDTH)
    fig, ax = plt.subplots(figsize=(1.0 * wide.shape[1] + 4.5, row_height_in(ylabels, 8, 0.32) * wide.shape[0] + 1.8))
    sns.heatmap(
        wide.to_numpy(),
        ax=ax,
        cmap="vlag",
        center=0,
        vmin=-limit,
        vmax=limit,
        annot=True,
        fmt=".2f",
        annot_kws={"fontsize": 7},
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": "Site mean minus overall mean\n(SD units)"},
    )
    contrasting_annotations(ax)
    xlabels = [f"{s} ({countries[s]})" if countries and s in countries else s for s in wide.columns]
    ax.set_xticks(np.arange(wide.shape[1]) + 0.5, figure_texts(xlabels), rotation=30, ha="right")
    ax.set_yticks(np.arange(wide.shape[0]) + 0.5, ylabels, rotation=0, fontsize=8)
    ax.set_xlabel("Site")
    ax.set_ylabel("")
    ax.set_title("Standardised site means of every outcome")
    fig.tight_layout()
    return fig


def correlation_plot(
    by_site: pd.DataFrame, overall: pd.DataFrame | None = None, *, confidence: float, sizes: Mapping[str, float]
) -> Figure:
    """Correlations between totals per site with their intervals, the whole sample as a diamond.

    Parameters
    ----------
    by_site : DataFrame
        ``site, x, y, r, ci_low, ci_high``: one row per site and pair of totals.
    overall : DataFrame, optional
        The same for the whole sample (no ``site``).
    confidence : float
        The level of the intervals (for the axis label).
    sizes : mapping
        Cohen's ``small``, ``medium`` and ``large`` correlations, drawn as grey lines.

    Returns
    -------
    Figure
    """
    pairs = list(dict.fromkeys(zip(by_site["x"], by_site["y"])))
    sites = sorted(by_site["site"].unique())
    colours = site_colours(sites)
    bounds = [float(sizes[k]) for k in ("small", "medium", "large")]
    fig, axes = plt.subplots(
        1, len(pairs), figsize=(3.6 * len(pairs), 0.4 * len(sites) + 2.0), sharey=True, squeeze=False
    )
    for ax, (x, y) in zip(axes.flat, pairs):
        sel = by_site[(by_site["x"] == x) & (by_site["y"] == y)].set_index("site").reindex(sites)
        pos = np.arange(len(sites)) + 1
        for k, site in enumerate(sites):
            r = sel.loc[site]
            ax.errorbar(
                r["r"],
                pos[k],
                xerr=[[r["r"] - r["ci_low"]], [r["ci_high"] - r["r"]]],
                fmt="o",
                color=colours[site],
                capsize=3,
            )
        if overall is not None:
            o = overall[(overall["x"] == x) & (overall["y"] == y)].iloc[0]
            ax.errorbar(
                o["r"], 0, xerr=[[o["r"] - o["ci_low"]], [o["ci_high"] - o["r"]]], fmt="D", color="black", capsize=3
            )
        for bound in bounds:
            ax.axvline(bound, color="0.85", linewidth=1, zorder=0)
        ax.axvline(0, color="0.4", linestyle="--", linewidth=1)
        ax.set_title(figure_text(f"{x} and {y}"), fontsize=10)
        ax.set_xlabel(f"Pearson's r ({ci_label(confidence)})")
        ax.set_xlim(-1, 1)
    labels = ([ALL_SITES] if overall is not None else []) + sites
    ticks = np.arange(len(sites) + 1) if overall is not None else np.arange(len(sites)) + 1
    axes[0, 0].set_yticks(ticks, figure_texts(labels))
    axes[0, 0].invert_yaxis()
    fig.suptitle(
        f"Correlations between service users' totals (grey lines: Cohen's {', '.join(f'{b:g}' for b in bounds)})",
        fontweight="bold",
        fontsize=11,
    )
    fig.tight_layout()
    return fig
