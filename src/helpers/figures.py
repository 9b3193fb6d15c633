"""The book's figures: each function takes a tidy result table and returns a matplotlib Figure.

The functions draw; they do not compute statistics (those come from
:mod:`helpers.analysis`), glue or save (see :func:`helpers.report.glue_figure`).
They make no assumption about the number or names of sites: sites, outcomes and
countries come from the tables. Call :func:`helpers.report.set_style` once first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .narrative import group_label, outcome_label
from .report import PALETTE

__all__ = [
    "site_colours",
    "site_means_plot",
    "subscale_means_plot",
    "rater_plot",
    "missing_plot",
    "alpha_plot",
    "sensitivity_plot",
    "reference_plot",
    "standardised_heatmap",
    "country_site_plot",
    "correlation_plot",
    "reproduction_status_plot",
    "reproduction_deviation_plot",
]

#: Colours of the statuses of the reproduction table.
STATUS_COLOURS = {"reproduced": "#0173b2", "not reproduced": "#de8f05", "published value inconsistent": "#cc78bc"}


def site_colours(sites: Sequence[str]) -> dict[str, tuple]:
    """One colour per site (sorted names, colour-blind palette), the same in every figure.

    Examples
    --------
    >>> colours = site_colours(["B", "A"])
    >>> list(colours), len(colours["A"])
    (['A', 'B'], 3)
    """
    names = sorted(dict.fromkeys(str(s) for s in sites))
    palette = sns.color_palette(PALETTE, n_colors=max(len(names), 1))
    return {s: palette[k % len(palette)] for k, s in enumerate(names)}


def _means_on_axis(ax, summary: pd.DataFrame, colours: Mapping[str, tuple], reference: str | None = None,
                   flags: Mapping[str, str] | None = None) -> None:
    """Draw site means with their confidence intervals on ``ax`` (sites on the x axis)."""
    summary = summary.sort_values("site").reset_index(drop=True)
    x = np.arange(len(summary))
    for k, row in summary.iterrows():
        is_ref = reference is not None and row["site"] == reference
        ax.errorbar(x[k], row["mean"], yerr=[[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]],
                    fmt="D" if is_ref else "o", color=colours.get(row["site"], "0.3"), capsize=4, markersize=7,
                    markeredgecolor="black" if is_ref else None, linewidth=1.5)
        mark = "#" if is_ref else (flags or {}).get(row["site"], "")
        if mark:
            ax.annotate(mark, (x[k], row["ci_high"]), xytext=(0, 4), textcoords="offset points", ha="center",
                        va="bottom", fontsize=12, fontweight="bold")
    ax.set_xticks(x, summary["site"], rotation=30, ha="right")


def site_means_plot(summary: pd.DataFrame, title: str, ylabel: str, reference: str | None = None,
                    flags: Mapping[str, str] | None = None, score_range: tuple[float, float] | None = None,
                    note: str | None = None) -> Figure:
    """Site means of one outcome with their confidence intervals.

    Parameters
    ----------
    summary : DataFrame
        One outcome's rows of :func:`helpers.analysis.site_summaries` (``site, mean, ci_low, ci_high``).
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
    _means_on_axis(ax, summary, site_colours(summary["site"]), reference, flags)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    xlabel = "Site" if score_range is None else f"Site (possible scores {score_range[0]:g}–{score_range[1]:g})"
    ax.set_xlabel(xlabel)
    lo, hi = summary["ci_low"].min(), summary["ci_high"].max()
    pad = 0.15 * (hi - lo if hi > lo else 1)
    ax.set_ylim(lo - pad, hi + 1.6 * pad)
    if note:
        fig.text(0.01, -0.02, note, fontsize=8, ha="left", va="top")
    fig.tight_layout()
    return fig


def subscale_means_plot(summaries: pd.DataFrame, title: str, ylabel: str, ncols: int = 3,
                        flags: Mapping[str, Mapping[str, str]] | None = None) -> Figure:
    """Site means with confidence intervals, one panel per scale of one group and instrument.

    Parameters
    ----------
    summaries : DataFrame
        Rows of :func:`helpers.analysis.site_summaries` for one group and one measure.
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
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * max(3.2, 0.55 * n_sites + 1.2), 3.2 * nrows + 0.6),
                             squeeze=False)
    colours = site_colours(summaries["site"])
    for ax, scale in zip(axes.flat, scales):
        sel = summaries[summaries["subscale"] == scale]
        _means_on_axis(ax, sel, colours, None, (flags or {}).get(scale))
        ax.set_title(scale, fontsize=10)
        ax.set_xlabel("")
        ax.tick_params(axis="x", labelsize=8)
        lo, hi = sel["ci_low"].min(), sel["ci_high"].max()
        pad = 0.15 * (hi - lo if hi > lo else 1)
        ax.set_ylim(lo - pad, hi + 1.6 * pad)
    for ax in axes.flat[len(scales):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig


def rater_plot(comparison: pd.DataFrame, first_label: str, second_label: str, title: str,
               ncols: int = 3) -> Figure:
    """Two groups' site means of the same scales side by side, one panel per scale.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.analysis.rater_comparison`.
    first_label, second_label : str
        Legend labels of the two groups.
    title : str

    Returns
    -------
    Figure
    """
    scales = list(dict.fromkeys(comparison["subscale"]))
    ncols = min(ncols, len(scales))
    nrows = int(np.ceil(len(scales) / ncols))
    sites = sorted(comparison["site"].unique())
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.0 * ncols, 0.45 * len(sites) * nrows + 1.6 * nrows + 0.8),
                             squeeze=False, sharex=True)
    colours = sns.color_palette(PALETTE, 2)
    for ax, scale in zip(axes.flat, scales):
        sel = comparison[comparison["subscale"] == scale].set_index("site").reindex(sites)
        y = np.arange(len(sites))
        for k, site in enumerate(sites):
            row = sel.loc[site]
            ax.plot([row["mean_1"], row["mean_2"]], [k, k], color="0.7", zorder=1)
        groups = (("1", colours[0], first_label, -0.12), ("2", colours[1], second_label, 0.12))
        for suffix, colour, label, dy in groups:
            mean, low, high = sel[f"mean_{suffix}"], sel[f"ci_low_{suffix}"], sel[f"ci_high_{suffix}"]
            ax.errorbar(mean, y + dy, xerr=[mean - low, high - mean], fmt="o", color=colour, capsize=3, label=label,
                        zorder=2)
        ax.set_yticks(y, sites)
        ax.invert_yaxis()
        ax.set_title(scale, fontsize=10)
    for ax in axes.flat[len(scales):]:
        ax.set_visible(False)
    for ax in axes[-1, :]:
        ax.set_xlabel("Mean score (95 % CI)")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, -0.02))
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _outcome_labels(frame: pd.DataFrame, with_group: bool = True) -> list[str]:
    return [_capital(outcome_label(g if with_group else None, m, s)) for g, m, s in
            zip(frame["group"], frame["measure"], frame["subscale"])]


def missing_plot(missing: pd.DataFrame, published_label: str = "article") -> Figure:
    """Share of participants with at least one missing item per outcome, with the article's share.

    Parameters
    ----------
    missing : DataFrame
        From :func:`helpers.analysis.missing_with_published`.
    published_label : str
        Legend label of the article's values.

    Returns
    -------
    Figure
    """
    labels = _outcome_labels(missing)
    y = np.arange(len(missing))
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(missing) + 1.4))
    colours = sns.color_palette(PALETTE, 2)
    ax.barh(y, 100 * missing["share_missing"], color=colours[0], label="this data")
    if "published_share_missing" in missing and missing["published_share_missing"].notna().any():
        ax.scatter(100 * missing["published_share_missing"], y, marker="|", s=160, color="black", linewidths=2,
                   label=published_label, zorder=3)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Participants with at least one item missing (%)")
    ax.set_title("Missing items per outcome")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def alpha_plot(alphas: pd.DataFrame, threshold: float = 0.7, published_label: str = "article") -> Figure:
    """Cronbach's alpha per outcome with its confidence interval, the article's value and the threshold.

    Parameters
    ----------
    alphas : DataFrame
        From :func:`helpers.analysis.alpha_with_published`.
    threshold : float
        Conventional lower bound, drawn as a dashed line.
    published_label : str

    Returns
    -------
    Figure
    """
    labels = _outcome_labels(alphas)
    y = np.arange(len(alphas))
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(alphas) + 1.4))
    colours = sns.color_palette(PALETTE, 2)
    ax.errorbar(alphas["alpha"], y, xerr=[alphas["alpha"] - alphas["ci_low"], alphas["ci_high"] - alphas["alpha"]],
                fmt="o", color=colours[0], capsize=2, label="this data (95 % CI)")
    if "published_alpha" in alphas and alphas["published_alpha"].notna().any():
        ax.scatter(alphas["published_alpha"], y, marker="x", color="black", s=30, label=published_label, zorder=3)
    ax.axvline(threshold, color="0.4", linestyle="--", linewidth=1)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Cronbach's alpha (complete cases)")
    ax.set_title("Internal consistency per outcome")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def sensitivity_plot(sensitivity: pd.DataFrame, alpha: float = 0.05, primary: float | None = None) -> Figure:
    """p of the site comparison at each mean-replacement threshold, one line per outcome.

    One panel per group and instrument; the significance level is a dashed line and the
    primary analysis's threshold a dotted one.

    Parameters
    ----------
    sensitivity : DataFrame
        From :func:`helpers.analysis.sensitivity_by_outcome`.
    alpha : float
    primary : float, optional

    Returns
    -------
    Figure
    """
    panels = list(dict.fromkeys(zip(sensitivity["group"], sensitivity["measure"])))
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
            ax.plot(100 * s["threshold"], np.maximum(s["p"], floor), marker="o", color=colour, label=scale,
                    linewidth=2.4 if scale == "Total" else 1.2)
        ax.axhline(alpha, color="0.3", linestyle="--", linewidth=1)
        if primary is not None:
            ax.axvline(100 * primary, color="0.5", linestyle=":", linewidth=1)
        ax.set_yscale("log")
        ax.set_title(f"{group_label(group).capitalize()}: {measure}", fontsize=10)
        ax.set_xlabel("Largest share of items replaced (%)")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    for ax in axes[:, 0]:
        ax.set_ylabel("p (one-way ANOVA across sites)")
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    fig.suptitle("Site comparisons at each mean-replacement threshold", fontweight="bold")
    fig.tight_layout()
    return fig


def reference_plot(comparison: pd.DataFrame, label: str, confidence: float = 0.95) -> Figure:
    """Forest plot of differences from a published reference mean: all sites first, then each site.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.analysis.reference_comparison`.
    label : str
        The outcome, e.g. ``"STAR-P total"``.
    confidence : float
        Only for the axis label.

    Returns
    -------
    Figure
    """
    rows = comparison.reset_index(drop=True)
    if rows.empty:
        fig, ax = plt.subplots(figsize=(6.5, 1.6))
        ax.text(0.5, 0.5, f"No reference value for the {label}", ha="center", va="center")
        ax.set_axis_off()
        return fig
    y = np.arange(len(rows))
    colours = site_colours(rows.loc[rows["site"] != "All sites", "site"])
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 1.4))
    for k, r in rows.iterrows():
        whole = r["site"] == "All sites"
        ax.errorbar(r["diff"], y[k], xerr=[[r["diff"] - r["ci_low"]], [r["ci_high"] - r["diff"]]],
                    fmt="D" if whole else "o", color="black" if whole else colours.get(r["site"], "0.3"),
                    capsize=3, markersize=8 if whole else 6)
    ax.axvline(0, color="0.4", linestyle="--", linewidth=1)
    ax.set_yticks(y, [f"{s} (n = {int(n)})" for s, n in zip(rows["site"], rows["n"])])
    ax.invert_yaxis()
    ax.set_xlabel(f"Difference from the reference mean ({100 * confidence:g} % CI)")
    ax.set_title(f"{label}: this data minus the reference value")
    fig.tight_layout()
    return fig


def country_site_plot(summaries: pd.DataFrame, countries: Mapping[str, str], ncols: int = 2) -> Figure:
    """Site means grouped by country, one panel per outcome; a bar marks each country's mean of site means.

    Parameters
    ----------
    summaries : DataFrame
        Rows of :func:`helpers.analysis.site_summaries` (e.g. the totals).
    countries : mapping of site to country
    ncols : int

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
                ax.errorbar(k + off, r["mean"], yerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]],
                            fmt="o", color=colours[r["site"]], capsize=3)
                ax.annotate(r["site"], (k + off, r["ci_high"]), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=7, rotation=90)
            if len(part):
                ax.hlines(part["mean"].mean(), k - 0.35, k + 0.35, color="black", linewidth=2)
        ax.set_xticks(range(len(names)), [f"{c}\n({int((sel['country'] == c).sum())} sites)" for c in names])
        ax.set_xlim(-0.6, len(names) - 0.4)
        lo, hi = sel["ci_low"].min(), sel["ci_high"].max()
        ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.45 * (hi - lo))
        ax.set_title(_capital(outcome_label(g, m, sub)), fontsize=10)
        ax.set_ylabel("Site mean (95 % CI)")
    for ax in axes.flat[len(keys):]:
        ax.set_visible(False)
    fig.suptitle("Site means by country (black bar: mean of the site means)", fontweight="bold")
    fig.tight_layout()
    return fig


def standardised_heatmap(z: pd.DataFrame, tests: pd.DataFrame | None = None, marks: Mapping | None = None,
                         countries: Mapping[str, str] | None = None) -> Figure:
    """Heatmap of standardised site means: one row per outcome, one column per site.

    Parameters
    ----------
    z : DataFrame
        From :func:`helpers.analysis.standardised_site_means`.
    tests : DataFrame, optional
        From :func:`helpers.analysis.outcome_tests`; rows whose unadjusted or adjusted site
        effect is significant get a mark in their label.
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
    labels = [_capital(outcome_label(g, m, s)) + flags.get((g, m, s), "") for g, m, s in wide.index]
    limit = max(0.3, float(np.nanmax(np.abs(wide.to_numpy()))))
    fig, ax = plt.subplots(figsize=(1.0 * wide.shape[1] + 4.5, 0.32 * wide.shape[0] + 1.8))
    sns.heatmap(wide.to_numpy(), ax=ax, cmap="vlag", center=0, vmin=-limit, vmax=limit, annot=True, fmt=".2f",
                annot_kws={"fontsize": 7}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": "Site mean minus overall mean (SD units)"})
    xlabels = [f"{s} ({countries[s]})" if countries and s in countries else s for s in wide.columns]
    ax.set_xticks(np.arange(wide.shape[1]) + 0.5, xlabels, rotation=30, ha="right")
    ax.set_yticks(np.arange(wide.shape[0]) + 0.5, labels, rotation=0, fontsize=8)
    ax.set_xlabel("Site")
    ax.set_ylabel("")
    ax.set_title("Standardised site means of every outcome")
    fig.tight_layout()
    return fig


def correlation_plot(by_site: pd.DataFrame, overall: pd.DataFrame | None = None) -> Figure:
    """Correlations between totals per site (with 95 % CIs), the whole sample as a diamond.

    Parameters
    ----------
    by_site : DataFrame
        From :func:`helpers.analysis.total_correlations` with ``by_site=True``.
    overall : DataFrame, optional
        The same without ``by_site``.

    Returns
    -------
    Figure
    """
    pairs = list(dict.fromkeys(zip(by_site["x"], by_site["y"])))
    sites = sorted(by_site["site"].unique())
    colours = site_colours(sites)
    fig, axes = plt.subplots(1, len(pairs), figsize=(3.6 * len(pairs), 0.4 * len(sites) + 2.0), sharey=True,
                             squeeze=False)
    for ax, (x, y) in zip(axes.flat, pairs):
        sel = by_site[(by_site["x"] == x) & (by_site["y"] == y)].set_index("site").reindex(sites)
        pos = np.arange(len(sites)) + 1
        for k, site in enumerate(sites):
            r = sel.loc[site]
            ax.errorbar(r["r"], pos[k], xerr=[[r["r"] - r["ci_low"]], [r["ci_high"] - r["r"]]], fmt="o",
                        color=colours[site], capsize=3)
        if overall is not None:
            o = overall[(overall["x"] == x) & (overall["y"] == y)].iloc[0]
            ax.errorbar(o["r"], 0, xerr=[[o["r"] - o["ci_low"]], [o["ci_high"] - o["r"]]], fmt="D", color="black",
                        capsize=3)
        for bound in (0.1, 0.3, 0.5):
            ax.axvline(bound, color="0.85", linewidth=1, zorder=0)
        ax.axvline(0, color="0.4", linestyle="--", linewidth=1)
        ax.set_title(f"{x} and {y}", fontsize=10)
        ax.set_xlabel("Pearson's r (95 % CI)")
        ax.set_xlim(-1, 1)
    labels = (["All sites"] if overall is not None else []) + sites
    ticks = (np.arange(len(sites) + 1) if overall is not None else np.arange(len(sites)) + 1)
    axes[0, 0].set_yticks(ticks, labels)
    axes[0, 0].invert_yaxis()
    fig.suptitle("Correlations between service users' totals (grey lines: Cohen's 0.1, 0.3, 0.5)",
                 fontweight="bold", fontsize=11)
    fig.tight_layout()
    return fig


def reproduction_status_plot(counts_by_source: pd.DataFrame, statuses: Sequence[str]) -> Figure:
    """Stacked horizontal bars: published numbers per source, coloured by reproduction status.

    Parameters
    ----------
    counts_by_source : DataFrame
        From :func:`helpers.analysis.reproduction_counts` with ``by="source"``.
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
        ax.barh(y, values, left=left, color=STATUS_COLOURS.get(status), label=status)
        left += values
    ax.set_yticks(y, counts_by_source["source"])
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
        From :func:`helpers.reproduce.reproduction_table`.
    clip : float

    Returns
    -------
    Figure
    """
    data = table.dropna(subset=["reproduced"]).copy()
    tol = data["tolerance"].where(data["tolerance"] > 0, 0.5)
    data["deviation"] = ((data["reproduced"] - data["published"]) / tol).clip(-clip, clip)
    order = list(dict.fromkeys(data["statistic"]))
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * len(order) + 2.0))
    ax.axvspan(-1, 1, color="0.9", zorder=0)
    sns.stripplot(data=data, x="deviation", y="statistic", hue="status", order=order, ax=ax, size=4, jitter=0.25,
                  palette=STATUS_COLOURS, hue_order=[s for s in STATUS_COLOURS if s in set(data["status"])])
    ax.set_xlim(-clip - 0.5, clip + 0.5)
    ax.set_xlabel(f"(this data − published) ÷ tolerance, clipped at ±{clip:g}")
    ax.set_ylabel("")
    ax.set_title("Distance of every value from the article's")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, title=None)
    fig.tight_layout()
    return fig
