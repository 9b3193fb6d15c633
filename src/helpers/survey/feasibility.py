"""Whether each analysis can be estimated on a dataset, decided before it runs.

A dataset that passes validation can still be unable to support an analysis: a single
site leaves nothing to compare, a scale on which everyone gave the same answer has no
variance, a site with one respondent has no spread of its own, a covariate that was not
collected is blank. :func:`feasibility` states, for each analysis and outcome, whether it
can be estimated and, when not, why, naming the file, column, sites and rows concerned,
as the validation report does. The analysis loops of this package run only what is
estimable (:func:`comparable`, :func:`usable_covariates`), so the chapters can show the
reason instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io import FIRST_DATA_ROW, OUTCOME, Dataset, format_rows

from .grouping import outcome_frames, participant_join

__all__ = [
    "ANALYSES",
    "MIN_UNITS",
    "MIN_PER_UNIT",
    "Comparison",
    "compare_units",
    "comparable",
    "usable_covariates",
    "model_parameters",
    "feasibility",
    "not_estimable",
    "lookup",
]

#: The analyses whose feasibility is decided per outcome, in the order of the table.
ANALYSES = ("anova", "ancova", "tukey", "sensitivity", "country")
#: Comparison units (sites, teams) a between-unit test needs: a comparison needs two sides.
MIN_UNITS = 2
#: Respondents a unit needs on a scale to enter a comparison: a variance needs two values.
MIN_PER_UNIT = 2
#: Columns of the feasibility table.
COLUMNS = [
    "analysis",
    *OUTCOME,
    "estimable",
    "reason",
    "file",
    "column",
    "site",
    "rows",
    "units",
    "excluded_units",
    "covariates_dropped",
]


@dataclass
class Comparison:
    """What a between-unit comparison of one scale can use.

    Attributes
    ----------
    reason : str
        Empty when the comparison can be estimated, otherwise why not.
    kept : list of str
        Units with at least :data:`MIN_PER_UNIT` scored respondents.
    excluded : dict of str to int
        Units left out, with their number of scored respondents (0 when the scale was not
        collected there).
    """

    reason: str
    kept: list[str]
    excluded: dict[str, int] = field(default_factory=dict)


def compare_units(
    frame: pd.DataFrame, units: Sequence[str] | None = None, *, dv: str = "score", between: str = "site"
) -> Comparison:
    """Decide whether ``dv`` can be compared across the units of ``between``.

    Units with fewer than :data:`MIN_PER_UNIT` values are left out; at least
    :data:`MIN_UNITS` units must remain and the values must vary within them.

    Parameters
    ----------
    frame : DataFrame
        One row per respondent with ``dv`` and ``between``.
    units : sequence of str, optional
        Every unit of the dataset, so that units without any value are named too.

    Examples
    --------
    >>> f = pd.DataFrame({"site": list("aaabbc"), "score": [1.0, 2, 3, 4, 5, 6]})
    >>> c = compare_units(f, ["a", "b", "c", "d"])
    >>> c.reason, c.kept, c.excluded
    ('', ['a', 'b'], {'c': 1, 'd': 0})
    >>> compare_units(f.assign(score=3.0)).reason
    'every respondent gave the same score'
    >>> compare_units(f[f.site == "a"]).reason
    'fewer than 2 sites with at least 2 respondents (1: a)'
    """
    data = frame.dropna(subset=[dv])
    counts = data.groupby(between, sort=True)[dv].size()
    everyone = list(dict.fromkeys([*(units or []), *counts.index.astype(str)]))
    counts = counts.reindex(everyone, fill_value=0)
    kept = [u for u in everyone if counts[u] >= MIN_PER_UNIT]
    excluded = {u: int(counts[u]) for u in everyone if counts[u] < MIN_PER_UNIT}
    word = "sites" if between == "site" else f"{between} groups"
    if len(kept) < MIN_UNITS:
        listed = f" ({len(kept)}: {', '.join(kept)})" if kept else ""
        return Comparison(
            f"fewer than {MIN_UNITS} {word} with at least {MIN_PER_UNIT} respondents{listed}", kept, excluded
        )
    used = data[data[between].isin(kept)]
    if used[dv].nunique() < 2:
        return Comparison("every respondent gave the same score", kept, excluded)
    within = used.groupby(between)[dv].var(ddof=1)
    if not bool((within > 0).any()):
        return Comparison(f"the score does not vary within any of the {word}", kept, excluded)
    return Comparison("", kept, excluded)


def comparable(scores: pd.DataFrame, units: Sequence[str] | None = None) -> pd.DataFrame:
    """The scored rows of the outcomes whose site comparison is estimable, at the sites it uses.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": ["x"] * 5 + ["y"] * 5,
    ...                   "site": list("aabbc") * 2, "score": [1.0, 2, 3, 4, 5] + [2.0] * 5})
    >>> comparable(s)[["subscale", "site"]].drop_duplicates().to_numpy().tolist()
    [['x', 'a'], ['x', 'b']]
    """
    parts = []
    for _, frame in outcome_frames(scores.dropna(subset=["score"])):
        decision = compare_units(frame, units)
        if not decision.reason:
            parts.append(frame[frame["site"].isin(decision.kept)])
    return pd.concat(parts) if parts else scores.iloc[:0]


def model_parameters(data: pd.DataFrame, between: str, numeric: Sequence[str], factors: Sequence[str]) -> int:
    """Coefficients of a linear model of ``between`` (a factor) and covariates, intercept included.

    Examples
    --------
    >>> d = pd.DataFrame({"site": list("aabbcc"), "age": range(6), "sex": list("fmfmff")})
    >>> model_parameters(d, "site", ["age"], ["sex"])
    5
    """
    levels = [data[c].nunique() - 1 for c in (between, *factors)]
    return 1 + int(sum(levels)) + len(numeric)


def usable_covariates(
    people: pd.DataFrame, covariates: Sequence[str], *, categorical: Sequence[str]
) -> tuple[list[str], dict[str, str]]:
    """The covariates a model can use, and why each other one is dropped.

    A covariate is dropped when its column is absent, blank for everyone, holds a
    non-finite number or does not vary (one category, or one value).

    Examples
    --------
    >>> p = pd.DataFrame({"age": [30.0, 40.0], "gender": [None, None], "years": [1.0, 1.0]})
    >>> used, dropped = usable_covariates(p, ["age", "gender", "years", "x"], categorical=["gender"])
    >>> used
    ['age']
    >>> for column, why in dropped.items():
    ...     print(column, why, sep=": ")
    gender: blank for everyone (not collected)
    years: the same value for everyone
    x: not a column of the data
    """
    used, dropped = [], {}
    for column in covariates:
        if column not in people.columns:
            dropped[column] = "not a column of the data"
            continue
        values = people[column]
        if column not in categorical:
            values = pd.to_numeric(values, errors="coerce").astype(float)
            if bool(np.isinf(values.to_numpy()).any()):
                dropped[column] = "holds a non-finite number"
                continue
        if values.isna().all():
            dropped[column] = "blank for everyone (not collected)"
        elif values.dropna().nunique() < 2:
            dropped[column] = "the same value for everyone"
        else:
            used.append(column)
    return used, dropped


def _rows(people: pd.DataFrame, ids: Sequence[str]) -> list[int]:
    where = people.index[people["participant_id"].isin(list(ids))]
    return [int(k) + FIRST_DATA_ROW for k in where]


def _file(dataset: Dataset, group: str) -> str:
    path = dataset.files.get(group)
    return path.name if path is not None else f"{group}.csv"


def _comparison_row(analysis, key, decision, people, frame, file, items) -> dict:
    small = [u for u, n in decision.excluded.items() if n > 0]
    ids = frame.loc[frame["site"].isin(small) & frame["score"].notna(), "participant_id"]
    rows = _rows(people, ids)
    return {
        "analysis": analysis,
        **dict(zip(OUTCOME, key)),
        "estimable": not decision.reason,
        "reason": decision.reason,
        "file": file,
        "column": items,
        "site": ", ".join(decision.excluded),
        "rows": format_rows(rows) if rows else "",
        "units": len(decision.kept),
        "excluded_units": "; ".join(f"{u} ({n})" for u, n in decision.excluded.items()),
        "covariates_dropped": "",
    }


def _ancova_row(row: dict, complete: pd.DataFrame, cases: tuple, categorical, units) -> dict:
    row = {**row, "analysis": "ancova"}
    if row["reason"]:
        return row
    used, dropped = cases
    row["covariates_dropped"] = "; ".join(f"{c}: {why}" for c, why in dropped.items())
    decision = compare_units(complete, units)
    complete = complete[complete["site"].isin(decision.kept)]
    factors = [c for c in used if c in categorical]
    numeric = [c for c in used if c not in categorical]
    needed = model_parameters(complete, "site", numeric, factors) + 1
    if decision.reason:
        row.update(estimable=False, reason=f"with complete covariates, {decision.reason}")
    elif len(complete) < needed:
        row.update(
            estimable=False,
            reason=f"{len(complete)} complete cases for a model of {needed - 1} parameters",
        )
    row["column"] = ", ".join(used + list(dropped)) or row["column"]
    return row


def feasibility(
    scores: pd.DataFrame,
    dataset: Dataset,
    *,
    covariates: Mapping[str, Sequence[str]],
    categorical: Sequence[str],
    items: Mapping[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """Whether each analysis of each outcome can be estimated, and why not.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    dataset : Dataset
        Supplies the sites, the covariates and the spreadsheet rows.
    covariates : dict of group to list of str
        Each group's ANCOVA covariates (``AnalysisConfig.covariate_sets``).
    categorical : sequence of str
        Covariates that enter as factors.
    items : dict, optional
        Item columns of each ``(group, measure)``, shown in ``column``.

    Returns
    -------
    DataFrame
        One row per ``analysis, group, measure, subscale`` for the per-outcome analyses
        (``anova``, ``ancova``, ``tukey``, ``sensitivity``, ``country``): ``estimable``,
        ``reason`` (empty when estimable), the ``file``, ``column``, ``site`` and
        spreadsheet ``rows`` concerned, the number of ``units`` compared, the
        ``excluded_units`` with their respondents and the ``covariates_dropped`` with why.

    Notes
    -----
    A between-site comparison needs at least :data:`MIN_UNITS` sites with at least
    :data:`MIN_PER_UNIT` respondents each and a score that varies; sites with fewer
    respondents are left out and named. An ANCOVA uses the covariates that were
    collected and vary (:func:`usable_covariates`) and needs more complete cases than the
    model has parameters. A country comparison needs two grouping labels with at least two
    compared sites each. Under these conditions every F, Tukey interval and t is defined
    [1]_.

    References
    ----------
    .. [1] Maxwell, S. E., Delaney, H. D., & Kelley, K. (2018). *Designing experiments and
       analyzing data: A model comparison perspective* (3rd ed.). Routledge.

    Examples
    --------
    >>> from helpers.io import SYNTHETIC_DIR, load_config, load_dataset, load_instruments
    >>> from helpers.survey import outcome_scores
    >>> cfg, inst = load_config(), load_instruments()
    >>> ds = load_dataset(SYNTHETIC_DIR, inst)
    >>> table = feasibility(outcome_scores(ds, inst, max_missing=0.5), ds,
    ...                     covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    >>> bool(table["estimable"].all()), sorted(table["analysis"].unique())
    (True, ['ancova', 'anova', 'country', 'sensitivity', 'tukey'])
    """
    units = list(dataset.sites["site"].astype(str))
    countries = dataset.sites.set_index("site")["country"] if "country" in dataset.sites.columns else None
    rows = []
    cases = {}  # per group: the usable covariates and why the others are dropped, the same for every outcome
    join = participant_join(dataset)
    for key, frame in outcome_frames(scores):
        group, measure = key[0], key[1]
        people = dataset.group(group)
        if group not in cases:
            cases[group] = usable_covariates(people, covariates[group], categorical=categorical)
        used = cases[group][0]
        file = _file(dataset, group)
        column = (items or {}).get((group, measure), measure)
        decision = compare_units(frame, units)
        base = _comparison_row("anova", key, decision, people, frame, file, column)
        rows.append(base)
        complete = join(frame, group, used).dropna(subset=used) if not base["reason"] else frame.iloc[:0]
        rows.append(_ancova_row(base, complete, cases[group], categorical, units))
        rows.append({**base, "analysis": "tukey"})
        rows.append({**base, "analysis": "sensitivity"})
        rows.append(_country_row(base, decision, countries, dataset))
    return pd.DataFrame(rows, columns=COLUMNS)


def _country_row(base: dict, decision: Comparison, countries: pd.Series | None, dataset: Dataset) -> dict:
    row = {**base, "analysis": "country", "file": dataset.files["sites"].name, "column": "country"}
    if countries is None:
        return {**row, "estimable": False, "reason": "the sites table has no grouping column 'country'"}
    if row["reason"]:
        return row
    labels = countries.reindex(decision.kept).dropna().astype(str)
    per_label = labels.value_counts()
    if len(per_label) != 2:
        reason = (
            f"the compared sites carry {len(per_label)} grouping label{'s' if len(per_label) != 1 else ''}, not two"
        )
        return {**row, "estimable": False, "reason": reason}
    if int(per_label.min()) < MIN_UNITS:
        lone = per_label.idxmin()
        reason = f"only one compared site carries the label {lone!r}, so the label cannot be told apart from it"
        return {**row, "estimable": False, "reason": reason}
    return row


def not_estimable(table: pd.DataFrame, analysis: str | None = None) -> pd.DataFrame:
    """The rows of a :func:`feasibility` table that cannot be estimated (of one ``analysis`` if given)."""
    out = table[~table["estimable"].astype(bool)]
    if analysis is not None:
        out = out[out["analysis"] == analysis]
    return out


def lookup(table: pd.DataFrame, analysis: str, group: str, measure: str, subscale: str) -> str:
    """The reason an analysis of one outcome cannot be estimated; empty when it can.

    Examples
    --------
    >>> t = pd.DataFrame({"analysis": ["anova"], "group": ["g"], "measure": ["m"], "subscale": ["s"],
    ...                   "estimable": [False], "reason": ["one site"]})
    >>> lookup(t, "anova", "g", "m", "s"), lookup(t, "anova", "g", "m", "other")
    ('one site', 'no scores')
    """
    hit = table[
        (table["analysis"] == analysis)
        & (table["group"] == group)
        & (table["measure"] == measure)
        & (table["subscale"] == subscale)
    ]
    if hit.empty:
        return "no scores"
    return "" if bool(hit["estimable"].iloc[0]) else str(hit["reason"].iloc[0])
