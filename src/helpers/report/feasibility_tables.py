"""Display of the feasibility table: the analyses a dataset cannot support, and why."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .disclosure import DisclosurePolicy
from .tables import StyledTable, table

__all__ = ["feasibility_rows", "feasibility_table", "feasibility_published"]

_COUNT = re.compile(r"\((\d+)\)")

#: Names of the analyses as a reader sees them.
ANALYSIS_NAMES = {
    "alpha": "Cronbach's alpha",
    "anova": "one-way ANOVA",
    "ancova": "ANCOVA",
    "tukey": "Tukey comparisons",
    "sensitivity": "sensitivity analysis",
    "correlation": "correlation",
    "country": "between-group comparison",
}


def feasibility_rows(feasible: pd.DataFrame, analyses: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows worth showing: analyses not estimable, or run without some sites or covariates.

    Examples
    --------
    >>> t = pd.DataFrame({"analysis": ["anova", "anova", "ancova"], "group": "g", "measure": "m",
    ...                   "subscale": ["a", "b", "a"], "estimable": [True, False, True],
    ...                   "reason": ["", "one site", ""], "excluded_units": ["", "", ""],
    ...                   "covariates_dropped": ["", "", "age: blank"]})
    >>> feasibility_rows(t)[["analysis", "subscale"]].to_numpy().tolist()
    [['one-way ANOVA', 'b'], ['ANCOVA', 'a']]
    """
    shown = feasible if analyses is None else feasible[feasible["analysis"].isin(list(analyses))]
    notable = (~shown["estimable"].astype(bool)) | shown["excluded_units"].ne("") | shown["covariates_dropped"].ne("")
    return shown[notable].assign(analysis=lambda f: f["analysis"].map(ANALYSIS_NAMES).fillna(f["analysis"]))


def feasibility_published(feasible: pd.DataFrame, policy: DisclosurePolicy | None = None) -> pd.DataFrame:
    """The feasibility table as it may be published under the small-number ``policy``.

    When the policy is active, the respondent counts of the sites left out pass through it
    and the spreadsheet rows are blanked (listing them would give the count away).

    Examples
    --------
    >>> t = pd.DataFrame({"excluded_units": ["A (1); B (0)", ""], "rows": ["row 5", ""]})
    >>> policy = DisclosurePolicy(active=True, suppress_below=8, round_to=5)
    >>> feasibility_published(t, policy).to_dict("list")
    {'excluded_units': ['A ([suppressed]); B (0)', ''], 'rows': ['', '']}
    """
    if policy is None or not policy.active:
        return feasible
    counts = feasible["excluded_units"].map(lambda text: _COUNT.sub(lambda m: f"({policy.count(int(m[1]))})", text))
    return feasible.assign(excluded_units=counts, rows="")


def feasibility_table(
    feasible: pd.DataFrame,
    uuid: str,
    caption: str,
    analyses: Sequence[str] | None = None,
    policy: DisclosurePolicy | None = None,
) -> StyledTable:
    """:func:`feasibility_rows` as a table of words in the style of the validation report.

    Under an active small-number ``policy`` the table is :func:`feasibility_published`.
    """
    rows = feasibility_rows(feasibility_published(feasible, policy), analyses).assign(
        estimable=lambda f: f["estimable"].map({True: "yes", False: "no"})
    )
    columns = {
        "analysis": "analysis",
        "group": "group",
        "subscale": "scale",
        "estimable": "estimable",
        "reason": "reason",
        "file": "file",
        "column": "column",
        "excluded_units": "sites left out (respondents)",
        "rows": "rows",
        "covariates_dropped": "covariates left out",
    }
    if "measure" in rows.columns and rows["measure"].nunique() > 1:
        columns = {"measure": "measure", **columns}
    return table(rows, uuid, caption, columns=columns, text=True)
