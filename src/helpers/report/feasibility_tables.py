"""Display of the feasibility table: the analyses a dataset cannot support, and why."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .tables import StyledTable, table

__all__ = ["feasibility_rows", "feasibility_table"]

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


def feasibility_table(
    feasible: pd.DataFrame, uuid: str, caption: str, analyses: Sequence[str] | None = None
) -> StyledTable:
    """:func:`feasibility_rows` as a table of words in the style of the validation report."""
    rows = feasibility_rows(feasible, analyses).assign(
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
