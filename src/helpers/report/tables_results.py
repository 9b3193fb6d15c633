"""The standard layouts of the book's result tables: site means, site effects, post hoc and
reference comparisons, countries, correlations and the reproduction detail.

Each function takes the tidy frame an analysis returns and shows it with :func:`.tables.table`.
Interval headers carry the level of the intervals (``confidence``) they show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import printed_decimals

from .format import MISSING, ci_label, fmt_ci
from .labels import group_label
from .tables import StyledTable, ci_strings, table

__all__ = [
    "rule_label",
    "site_means_table",
    "outcome_tests_table",
    "tukey_table",
    "reference_table",
    "country_table",
    "correlation_table",
    "reproduction_detail_table",
]

GROUP_NAMES = ("service_users", "care_coordinators")


def f_with_df(f, df1, df2) -> str:
    """``3.45 (5, 429)``: an F statistic with its degrees of freedom; an em dash when missing.

    Examples
    --------
    >>> f_with_df(3.4512, 5, 429), f_with_df(float("nan"), 5, 429)
    ('3.45 (5, 429)', '—')
    """
    if f is None or not np.isfinite(f):
        return MISSING
    return f"{f:.2f} ({int(df1)}, {int(df2)})"


def _f_with_df_column(frame: pd.DataFrame, f: str, df1: str, df2: str) -> list[str]:
    """:func:`f_with_df` of every row, from the columns named ``f``, ``df1`` and ``df2``."""
    return [f_with_df(value, a, b) for value, a, b in zip(frame[f], frame[df1], frame[df2])]


def _ci_column(frame: pd.DataFrame, decimals: int) -> list[str]:
    """:func:`ci_strings` of ``frame`` (an empty list for no rows)."""
    return ci_strings(frame, decimals=decimals) if len(frame) else []


def site_means_table(
    frame: pd.DataFrame,
    uuid: str,
    caption: str,
    data_label: str = "this data",
    published_label: str = "published",
    decimals: int = 2,
    *,
    confidence: float,
) -> StyledTable:
    """Site means, SD, SEM and CI per scale and site, beside the article's mean and SEM.

    Parameters
    ----------
    frame : DataFrame
        Site summaries with the article's ``published_mean`` and ``published_sem``.
    uuid, caption : str
    data_label, published_label : str
        Column headers of this dataset's and the article's values.
    decimals : int
    confidence : float
        The level of the intervals in ``frame`` (for the header).
    """
    shown = frame.assign(ci=ci_strings(frame, decimals=decimals))
    return table(
        shown,
        uuid,
        caption,
        decimals=decimals,
        columns={
            "subscale": "scale",
            "site": "site",
            "n": "n",
            "mean": f"mean: {data_label}",
            "sd": "SD",
            "sem": f"SEM: {data_label}",
            "ci": ci_label(confidence),
            "published_mean": f"mean: {published_label}",
            "published_sem": f"SEM: {published_label}",
        },
    )


def outcome_tests_table(
    tests: pd.DataFrame,
    uuid: str,
    caption: str,
    data_label: str = "this data",
    published_label: str = "published",
    with_group: bool = False,
) -> StyledTable:
    """Unadjusted and adjusted site effects per outcome, beside the article's F and p.

    Parameters
    ----------
    tests : DataFrame
        The outcome tests (with the published columns when the article has them).
    uuid, caption, data_label, published_label : str
    with_group : bool
        Show the participant group and instrument.
    """
    shown = tests.assign(
        f_df=_f_with_df_column(tests, "F", "df_between", "df_within"),
        f_adj_df=_f_with_df_column(tests, "F_adj", "df_adj", "df_resid_adj"),
    )
    columns = {"group": "group"} if with_group else {}
    columns.update({"measure": "instrument"} if with_group else {})
    columns.update(
        {
            "subscale": "scale",
            "n": "N",
            "f_df": f"F (df): {data_label}",
            "p": f"p: {data_label}",
            "eta_squared": "η²",
            "n_adj": "N adjusted",
            "f_adj_df": "F (df) adjusted",
            "p_adj": "p adjusted",
            "partial_eta_squared": "partial η²",
        }
    )
    if "published_F" in tests:
        shown["pub_f_df"] = _f_with_df_column(tests, "published_F", "published_df_between", "published_df_within")
        columns.update({"pub_f_df": f"F (df): {published_label}", "published_p": f"p: {published_label}"})
    columns["flag"] = "significant"
    return table(
        shown,
        uuid,
        caption,
        columns=columns,
        decimals=3,
        formats={
            "group": group_label,
            "p": "p",
            "p_adj": "p",
            "published_p": "{:.3f}",
            "n_adj": "int",
            "f_df": "text",
            "f_adj_df": "text",
            "pub_f_df": "text",
        },
    )


def tukey_table(
    tukey: pd.DataFrame, uuid: str, caption: str, decimals: int = 2, with_group: bool = False, *, confidence: float
) -> StyledTable:
    """Tukey HSD comparisons: pair, difference with its simultaneous CI, adjusted p.

    Parameters
    ----------
    confidence : float
        The level of the simultaneous intervals in ``tukey`` (for the header).
    """
    shown = tukey.assign(ci=_ci_column(tukey, decimals))
    columns = {"group": "group", "measure": "instrument"} if with_group else {}
    columns.update(
        {
            "subscale": "scale",
            "group_a": "site",
            "group_b": "compared with",
            "mean_a": "mean",
            "mean_b": "mean of the other",
            "diff": "difference",
            "ci": ci_label(confidence),
            "p_tukey": "p (Tukey)",
            "significant": "significant",
        }
    )
    return table(
        shown,
        uuid,
        caption,
        decimals=decimals,
        columns=columns,
        formats={"p_tukey": "p", "group": group_label, "significant": "yes/no"},
    )


def reference_table(
    comparison: pd.DataFrame, uuid: str, caption: str, decimals: int = 2, *, confidence: float
) -> StyledTable:
    """The whole sample's and each site's mean against a reference value (Welch's t test).

    Parameters
    ----------
    confidence : float
        The level of the intervals in ``comparison`` (for the header).
    """
    shown = comparison.assign(
        ci=_ci_column(comparison, decimals),
        t_df=[t if isinstance(t, str) else f"{t:.2f} ({df:.1f})" for t, df in zip(comparison["t"], comparison["df"])],
    )
    return table(
        shown,
        uuid,
        caption,
        decimals=decimals,
        columns={
            "site": "site",
            "n": "n",
            "mean": "mean",
            "sd": "SD",
            "ref_mean": "reference mean",
            "diff": "difference",
            "ci": ci_label(confidence),
            "t_df": "Welch's t (df)",
            "p": "p",
            "hedges_g": "Hedges' g",
            "significant": "significant",
        },
        formats={"p": "p", "n": "int", "t_df": "text", "significant": "yes/no"},
    )


def country_table(
    comparison: pd.DataFrame, uuid: str, caption: str, decimals: int = 2, *, confidence: float
) -> StyledTable:
    """Site-level comparison of two countries per outcome, columns named after the countries.

    Parameters
    ----------
    confidence : float
        The level of the intervals in ``comparison`` (for the header).
    """
    c1 = comparison["country_1"].iloc[0] if len(comparison) and comparison["country_1"].iloc[0] else "country 1"
    c2 = comparison["country_2"].iloc[0] if len(comparison) and comparison["country_2"].iloc[0] else "country 2"
    shown = comparison.assign(
        ci=[
            fmt_ci(lo, hi, decimals) if np.isfinite(lo) else MISSING
            for lo, hi in zip(comparison["ci_low"], comparison["ci_high"])
        ],
        t_df=[
            f"{t:.2f} ({int(df)})" if np.isfinite(t) else MISSING for t, df in zip(comparison["t"], comparison["df"])
        ],
    )
    return table(
        shown,
        uuid,
        caption,
        decimals=decimals,
        columns={
            "group": "group",
            "measure": "instrument",
            "subscale": "scale",
            "n_sites_1": f"{c1}: sites",
            "site_mean_1": f"{c1}: mean of site means",
            "n_sites_2": f"{c2}: sites",
            "site_mean_2": f"{c2}: mean of site means",
            "diff": f"difference ({c2} − {c1})",
            "ci": ci_label(confidence),
            "t_df": "t (df)",
            "p": "p",
        },
        formats={"group": group_label, "p": "p", "t_df": "text", "ci": "text"},
    )


def correlation_table(
    correlations: pd.DataFrame,
    uuid: str,
    caption: str,
    data_label: str = "this data",
    published_label: str = "published",
    *,
    confidence: float,
) -> StyledTable:
    """Correlations between totals with CI and Cohen's label; the article's r, N and p when present.

    Parameters
    ----------
    confidence : float
        The level of the intervals in ``correlations`` (for the header).
    """
    shown = correlations.assign(
        ci=ci_strings(correlations), pair=[f"{x} and {y}" for x, y in zip(correlations["x"], correlations["y"])]
    )
    columns = {"site": "site"} if "site" in correlations else {}
    columns.update(
        {
            "pair": "totals",
            "n": f"N: {data_label}",
            "r": f"r: {data_label}",
            "ci": ci_label(confidence),
            "p": f"p: {data_label}",
            "strength": "Cohen's label",
        }
    )
    if "published_r" in correlations:
        columns.update(
            {
                "published_r": f"r: {published_label}",
                "published_n": f"N: {published_label}",
                "published_p": f"p: {published_label}",
            }
        )
    return table(
        shown,
        uuid,
        caption,
        columns=columns,
        decimals=3,
        formats={"p": "p", "published_n": "int", "published_p": "{:.3f}", "strength": "text"},
    )


def reproduced_text(value, printed) -> str:
    """This dataset's value with one more decimal than the article printed (a percentage stays one).

    Examples
    --------
    >>> reproduced_text(3.4567, "3.46"), reproduced_text(0.6912, "69.1 %"), reproduced_text(12.0, "12")
    ('3.457', '69.12 %', '12')
    """
    if value is None or not np.isfinite(value):
        return MISSING
    text = str(printed)
    percent = "%" in text
    try:
        decimals = printed_decimals(text.replace("%", "").strip())
    except (ArithmeticError, ValueError):  # an unexpected printed form
        decimals = 2
    if percent:
        return f"{100 * value:.{decimals + 1}f} %"
    if decimals == 0 and float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{decimals + 1}f}"


def rule_label(rule) -> str:
    """The reproduction rule of one row, short for a table column (the printed value is beside it).

    Examples
    --------
    >>> rule_label("rounds to 0.13 at 2 decimals"), rule_label("equals 201"), rule_label("p < 0.001 (printed 0.000)")
    ('2 dp', 'exact', 'p < 0.001')
    """
    if not isinstance(rule, str):
        return ""
    if rule.startswith("rounds to ") and rule.endswith(" decimals"):
        return rule.rsplit(" at ", 1)[1].replace(" decimals", " dp")
    return "exact" if rule.startswith("equals ") else rule.split(" (printed")[0]


def reproduction_detail_table(
    rep: pd.DataFrame, uuid: str, caption: str, data_label: str = "this data", published_label: str = "published"
) -> StyledTable:
    """Every published number beside this dataset's value (one more decimal than printed), the rule
    it is judged by (when the table carries one) and its status."""
    frame = rep.assign(
        rule=[rule_label(r) for r in rep.get("rule", pd.Series("", index=rep.index))],
        group_text=[group_label(g) if g in GROUP_NAMES else g for g in rep["group"]],
        reproduced_text=[reproduced_text(v, t) for v, t in zip(rep["reproduced"], rep["published_text"])],
    )
    return table(
        frame,
        uuid,
        caption,
        columns={
            "source": "source",
            "group_text": "group",
            "measure": "instrument",
            "subscale": "scale",
            "site": "site",
            "statistic": "statistic",
            "published_text": published_label,
            "reproduced_text": data_label,
            "rule": "rule",
            "status": "status",
            "reason": "reason",
        },
        formats={"published_text": "text", "reproduced_text": "text"},
    )
