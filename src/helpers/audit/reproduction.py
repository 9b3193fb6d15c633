"""The reproduction table: every published number beside the value a dataset gives.

Each reproduced value is computed from the item-level files by the same functions
the book uses (:mod:`helpers.survey`); nothing is copied from the published tables.

One rule judges every row: a published number is **reproduced** when this dataset's
value, rounded to the number of decimals the article printed, equals the printed value
(a count printed without decimals must match exactly; a p printed as 0.000 is the
inequality p < 0.0005). The table carries the rule and the printed precision of each
row. A published value that the audit (:mod:`helpers.audit.checks`) proves impossible or
inconsistent is **excluded** by a named rule (:data:`EXCLUSION_RULES`), since no dataset
could give it, and is listed with the reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import (
    OUTCOME,
    ROLE_ORDER,
    ROLE_PLURALS,
    TABLE1_COLUMNS,
    AnalysisConfig,
    Dataset,
    Instrument,
    Published,
    load_dataset,
    load_instruments,
    load_published,
    load_text_values,
    printed_decimals,
)
from helpers.stats import missing_share_summary
from helpers.survey import (
    alpha_by_outcome,
    anova_by_outcome,
    missing_by_outcome,
    normality_by_outcome,
    outcome_scores,
    site_summaries,
    total_correlations,
)

from .checks import audit_f_from_means, audit_sems, statcheck

__all__ = [
    "REPRODUCED",
    "NOT_REPRODUCED",
    "EXCLUDED",
    "STATUSES",
    "EXCLUSION_RULES",
    "reproduced_at_printed_precision",
    "rule_text",
    "reproduction_table",
    "reproduction_summary",
    "reproduction_counts",
    "reproduction_problems",
    "reproduction_exclusions",
    "RULE",
]

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
EXCLUDED = "excluded by the audit"
#: The statuses of a reproduction table's rows, reproduced first.
STATUSES = (REPRODUCED, NOT_REPRODUCED, EXCLUDED)
#: The named rules by which the audit excludes a published value from the comparison.
EXCLUSION_RULES = {
    "impossible SEM": "the SD it implies exceeds the largest SD possible on the scale",
    "F inconsistent with its row": "no means and SEMs that print as the row's own give this F",
    "p of an excluded F": "the p follows from its F, which the row's means and SEMs rule out",
    "p inconsistent with its statistic": "statcheck: the printed F or r and its df do not give this p",
}

COLUMNS = [
    "source",
    "group",
    "measure",
    "subscale",
    "site",
    "statistic",
    "published",
    "published_text",
    "decimals",
    "rule",
    "reproduced",
    "tolerance",
    "status",
    "reason",
]


def reproduced_at_printed_precision(value: float, printed: float, decimals: int) -> bool:
    """The one rule: ``value`` rounded to ``decimals`` decimals equals ``printed``.

    A value exactly half a unit from the printed one counts as reproduced (either rounding
    direction prints it so). A printed zero is therefore the inequality ``|value| <
    half a unit`` (a p printed as 0.000 means p < 0.0005).

    Examples
    --------
    >>> reproduced_at_printed_precision(0.6592, 0.659, 3), reproduced_at_printed_precision(0.6622, 0.659, 3)
    (True, False)
    >>> reproduced_at_printed_precision(0.0004, 0.0, 3), reproduced_at_printed_precision(0.0006, 0.0, 3)
    (True, False)
    >>> reproduced_at_printed_precision(139.0, 139, 0)
    True
    """
    half = 0.5 * 10.0 ** (-decimals)
    return bool(np.isfinite(value) and abs(float(value) - float(printed)) <= half * (1 + 1e-9))


def rule_text(printed: float, decimals: int, statistic: str = "") -> str:
    """How one row is judged, in words (the one rule at this row's printed precision).

    Examples
    --------
    >>> rule_text(0.659, 3), rule_text(0.0, 3, "p"), rule_text(139, 0)
    ('rounds to 0.659 at 3 decimals', 'p < 0.0005 (printed 0.000)', 'equals 139')
    """
    if decimals == 0:
        return f"equals {printed:.0f}"
    if printed == 0 and statistic == "p":
        return f"p < {0.5 * 10.0**-decimals:g} (printed {0:.{decimals}f})"
    return f"rounds to {printed:.{decimals}f} at {decimals} decimals"


def _row(source, group, measure, subscale, site, statistic, published, text, reproduced, decimals, exclusion=""):
    """One comparison under the one rule; ``exclusion`` is ``(rule name, detail)`` or empty."""
    if exclusion:
        status, reason = EXCLUDED, f"{exclusion[0]}: {exclusion[1]}"
    elif reproduced is None or not np.isfinite(reproduced):
        status, reason = NOT_REPRODUCED, "not computable from the data"
    elif reproduced_at_printed_precision(reproduced, published, decimals):
        status, reason = REPRODUCED, ""
    else:
        status, reason = NOT_REPRODUCED, f"rounds to {float(reproduced):.{decimals}f}"
    values = (
        source,
        group,
        measure,
        subscale,
        site,
        statistic,
        float(published),
        str(text),
        int(decimals),
        rule_text(float(published), decimals, statistic),
        None if reproduced is None else float(reproduced),
        0.5 * 10.0 ** (-decimals),
        status,
        reason,
    )
    return dict(zip(COLUMNS, values))


def _get(row: pd.Series | None, column: str):
    return None if row is None else row[column]


def _table1_rows(pub: Published, data: Dataset) -> list[dict]:
    rows = []
    for group in ("service_users", "care_coordinators"):
        counts = data.group(group)["site"].value_counts()
        for site, n in pub.site_returns(group).items():
            rows.append(
                _row(
                    "Table 1", group, "", "", site, "questionnaires returned", n, str(n), float(counts.get(site, 0)), 0
                )
            )
        n_all = pub.group_sizes[group]
        rows.append(
            _row(
                "Table 1",
                group,
                "",
                "",
                "All sites",
                "questionnaires returned",
                n_all,
                str(n_all),
                float(len(data.group(group))),
                0,
            )
        )
    rows += _table1_interview_rows(pub, data)
    return rows


def _table1_interview_rows(pub: Published, data: Dataset) -> list[dict]:
    """Interviews per site and role (and per role in all sites) beside Table 1, when the
    dataset holds interviews; nothing otherwise."""
    interviews = getattr(data, "interviews", None)
    if interviews is None or len(interviews) == 0:
        return []
    counts = interviews.groupby(["site", "role"]).size()
    rows = []
    for role in ROLE_ORDER:
        column = TABLE1_COLUMNS[role]
        label = ROLE_PLURALS[role]
        for site, n in pub.sites.set_index("site")[column].astype(int).items():
            found = float(counts.get((site, role), 0))
            rows.append(_row("Table 1", "interviews", label, "", site, "interviews", n, str(n), found, 0))
        total = int(pub.sites[column].sum())
        found = float((interviews["role"] == role).sum())
        rows.append(_row("Table 1", "interviews", label, "", "All sites", "interviews", total, str(total), found, 0))
    return rows


def _site_mean_rows(pub: Published, summaries: pd.DataFrame, sems: pd.DataFrame) -> list[dict]:
    got = summaries.set_index([*OUTCOME, "site"])
    sem_audit = sems.set_index([*OUTCOME, "site"])
    rows = []
    for rec in pub.site_means.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale, rec.site)
        mine = got.loc[key] if key in got.index else None
        common = ("Tables 2-3", rec.group, rec.measure, rec.subscale, rec.site)
        mean_dec = printed_decimals(rec.mean_text, 2)
        rows.append(_row(*common, "mean", rec.mean, f"{rec.mean:.{mean_dec}f}", _get(mine, "mean"), mean_dec))
        audit = sem_audit.loc[key]
        exclusion = () if audit["possible"] else ("impossible SEM", audit["note"])
        sem_dec = printed_decimals(rec.sem_as_printed_text, 2)
        sem_text = f"{rec.sem_as_printed:.{sem_dec}f}"
        rows.append(_row(*common, "SEM", rec.sem_as_printed, sem_text, _get(mine, "sem"), sem_dec, exclusion))
    return rows


def _anova_rows(pub: Published, anova: pd.DataFrame, f_audit: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    got = anova.set_index(OUTCOME)
    f_notes = f_audit.set_index(OUTCOME)
    p_status = checks[checks["source"] == "anova"].reset_index(drop=True)
    rows = []
    for k, rec in enumerate(pub.anova.itertuples(index=False)):
        key = (rec.group, rec.measure, rec.subscale)
        mine = got.loc[key] if key in got.index else None
        common = ("Tables 2-3", rec.group, rec.measure, rec.subscale, "All sites")
        n_analysed = rec.df_within + rec.df_between + 1
        rows.append(_row(*common, "df between", rec.df_between, str(rec.df_between), _get(mine, "df_between"), 0))
        rows.append(_row(*common, "df within", rec.df_within, str(rec.df_within), _get(mine, "df_within"), 0))
        rows.append(_row(*common, "analysed N", n_analysed, str(n_analysed), _get(mine, "n"), 0))
        f_excluded = not f_notes.loc[key, "consistent"]
        f_exclusion = ("F inconsistent with its row", f_notes.loc[key, "note"]) if f_excluded else ()
        f_dec = printed_decimals(rec.F_text, 2)
        rows.append(_row(*common, "F", rec.F, f"{rec.F:.{f_dec}f}", _get(mine, "F"), f_dec, f_exclusion))
        status = p_status.loc[k, "status"]
        if status != "consistent":
            p_exclusion = ("p inconsistent with its statistic", f"statcheck: {status} with the printed F and df")
        elif f_excluded:
            detail = "the p agrees with its printed F, which the row's means and SEMs rule out"
            p_exclusion = ("p of an excluded F", detail)
        else:
            p_exclusion = ()
        p_dec = printed_decimals(rec.p_as_printed_text, 3)
        p_text = f"{rec.p_as_printed:.{p_dec}f}"
        rows.append(_row(*common, "p", rec.p_as_printed, p_text, _get(mine, "p"), p_dec, p_exclusion))
    return rows


def _reliability_rows(pub: Published, alphas: pd.DataFrame) -> list[dict]:
    got = alphas.set_index(OUTCOME)
    rows = []
    for rec in pub.reliability.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale)
        mine = got.loc[key] if key in got.index else None
        common = ("Methods: measures", rec.group, rec.measure, rec.subscale, "All sites")
        dec = printed_decimals(rec.cronbach_alpha_text, 2)
        alpha_text = f"{rec.cronbach_alpha:.{dec}f}"
        rows.append(_row(*common, "Cronbach's alpha", rec.cronbach_alpha, alpha_text, _get(mine, "alpha"), dec))
        n_text = str(rec.n_complete_cases)
        rows.append(_row(*common, "complete cases", rec.n_complete_cases, n_text, _get(mine, "n_complete"), 0))
    return rows


def _correlation_rows(pub: Published, corr: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    rows = []
    p_status = checks[checks["source"] == "correlations"].reset_index(drop=True)
    for k, rec in enumerate(pub.correlations.itertuples(index=False)):
        sel = corr[
            ((corr["x"] == rec.measure_a) & (corr["y"] == rec.measure_b))
            | ((corr["x"] == rec.measure_b) & (corr["y"] == rec.measure_a))
        ]
        mine = sel.iloc[0] if len(sel) else None
        common = ("Table 4", rec.group, f"{rec.measure_a} and {rec.measure_b}", "Total", "All sites")
        rows.append(_row(*common, "r", rec.r, rec.r_text, _get(mine, "r"), printed_decimals(rec.r_text, 2)))
        rows.append(_row(*common, "N", rec.n, str(rec.n), _get(mine, "n"), 0))
        status = p_status.loc[k, "status"]
        exclusion = () if status == "consistent" else ("p inconsistent with its statistic", f"statcheck: {status}")
        p_dec = printed_decimals(rec.p_as_printed_text, 3)
        p_text = f"{rec.p_as_printed:.{p_dec}f}"
        rows.append(_row(*common, "p", rec.p_as_printed, p_text, _get(mine, "p"), p_dec, exclusion))
    return rows


def _summary_rows(dataset: Dataset, instruments: dict[str, Instrument], scores: pd.DataFrame, max_missing: float):
    """The missing-data and normality figures that the article gives in its text.

    The article counts outcomes beyond +/-1 and +/-2 in skewness or kurtosis; its counts are
    compared with counts at those same limits, whatever limits the run's own chapters use.
    """
    text = load_text_values()
    printed = text["printed"]
    missing = missing_by_outcome(dataset, instruments, max_missing=max_missing)
    mine = missing_share_summary(missing["share_missing"]).iloc[0]
    common = ("Methods: analysis", "both groups", "", f"{text['n_outcomes']} outcomes", "All sites")
    rows = []
    for stat, label in (
        ("mean", "mean share of missing data"),
        ("min", "lowest share of missing data"),
        ("max", "highest share of missing data"),
    ):
        key = f"missing_{stat}"
        # "19.9 %" is a share printed with two more decimals than its percentage.
        decimals = printed_decimals(printed[key].rstrip(" %")) + 2
        rows.append(_row(*common, label, text[key], printed[key], float(mine[stat]), decimals))
    bounds = (1, 2)
    normality = normality_by_outcome(scores, limits=bounds)
    for column, bound in zip(("beyond_1", "beyond_2"), bounds):
        label = f"outcomes beyond +/-{bound} (skewness or kurtosis)"
        rows.append(_row(*common, label, text[column], printed[column], float(normality[column].sum()), 0))
    return rows


def reproduction_table(
    data: str | Path | Dataset,
    published: Published | None = None,
    instruments: dict[str, Instrument] | None = None,
    *,
    settings: AnalysisConfig,
) -> pd.DataFrame:
    """Every published number beside the value this dataset gives.

    Parameters
    ----------
    data : path or Dataset
        A dataset folder (validated on loading) or a loaded dataset.
    published, instruments : optional
        Default to ``data/reference`` and ``data/instruments``.
    settings : AnalysisConfig
        The run's analysis settings (:func:`helpers.io.load_config`): ``max_missing`` is the
        mean-replacement threshold of the scores, ``alpha`` the significance level of
        statcheck's decision inconsistencies.

    Returns
    -------
    DataFrame
        ``source, group, measure, subscale, site, statistic, published, published_text,
        decimals`` (printed precision), ``rule`` (the one rule at that precision, in words),
        ``reproduced, tolerance`` (half a unit of the last printed decimal), ``status, reason``;
        status is one of :data:`STATUSES`; an excluded row's reason starts with the name of
        its rule in :data:`EXCLUSION_RULES`.
    """
    published = published or load_published()
    instruments = instruments or load_instruments()
    dataset = load_dataset(data, instruments) if isinstance(data, str | Path) else data
    scores = outcome_scores(dataset, instruments, max_missing=settings.max_missing)
    sems = audit_sems(published, instruments)
    checks = statcheck(published, alpha=settings.alpha)
    summaries = site_summaries(scores, confidence=settings.confidence)
    alphas = alpha_by_outcome(
        dataset, instruments, confidence=settings.confidence, acceptable=settings.acceptable_reliability
    )
    correlations = total_correlations(scores, confidence=settings.confidence, sizes=settings.correlation_sizes)
    rows = (
        _table1_rows(published, dataset)
        + _site_mean_rows(published, summaries, sems)
        + _anova_rows(published, anova_by_outcome(scores), audit_f_from_means(published, instruments), checks)
        + _reliability_rows(published, alphas)
        + _correlation_rows(published, correlations, checks)
        + _summary_rows(dataset, instruments, scores, settings.max_missing)
    )
    return pd.DataFrame(rows, columns=COLUMNS)


#: The one rule in words, as the summary and the book state it.
RULE = (
    "A published number is reproduced when this dataset's value, rounded to the decimals the article "
    "printed, equals the printed value (counts exactly; a p printed as 0.000 means p < 0.0005)."
)


def reproduction_summary(table: pd.DataFrame) -> str:
    """A short text summary under the one rule: counts overall and by source, then the
    excluded numbers with their named rule and the numbers not reproduced."""
    counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
    judged = len(table) - counts[EXCLUDED]
    share = counts[REPRODUCED] / judged if judged else float("nan")
    lines = [
        f"Rule: {RULE}",
        f"{len(table)} published numbers; {counts[EXCLUDED]} excluded by the audit; of the {judged} judged, "
        f"{counts[REPRODUCED]} reproduced ({100 * share:.1f} %) and {counts[NOT_REPRODUCED]} not reproduced.",
        "",
    ]
    by_source = table.groupby(["source", "status"]).size().unstack(fill_value=0).reindex(columns=STATUSES, fill_value=0)
    lines.append(by_source.to_string())
    for status in (EXCLUDED, NOT_REPRODUCED):
        sel = table[table["status"] == status]
        if len(sel):
            lines += ["", f"{status.capitalize()}:"]
            for rec in sel.itertuples(index=False):
                where = " ".join(str(v) for v in (rec.group, rec.measure, rec.subscale, rec.site) if v)
                got = "n/a" if rec.reproduced is None or pd.isna(rec.reproduced) else f"{rec.reproduced:.4g}"
                lines.append(
                    f"  {rec.source} | {where} | {rec.statistic}: published {rec.published_text}, "
                    f"here {got}. {rec.reason}"
                )
    return "\n".join(lines)


def reproduction_counts(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Counts of a reproduction table's statuses, overall or per ``by`` (e.g. ``"source"``).

    Returns
    -------
    DataFrame
        ``[by], total``, one column per status of :data:`STATUSES`, ``judged`` (the
        numbers not excluded) and ``share_reproduced`` (reproduced among those judged);
        overall, one row.

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["A", "A", "B"], "status": [REPRODUCED, NOT_REPRODUCED, EXCLUDED]})
    >>> print(reproduction_counts(t, by="source").to_string(index=False))
    source  total  reproduced  not reproduced  excluded by the audit  judged  share_reproduced
         A      2           1               1                      0       2               0.5
         B      1           0               0                      1       0               NaN
    """
    if by is None:
        counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
        out = pd.DataFrame([{"total": int(len(table)), **{s: int(counts[s]) for s in STATUSES}}])
    else:
        order = list(dict.fromkeys(table[by]))
        out = (
            table.groupby([by, "status"])
            .size()
            .unstack(fill_value=0)
            .reindex(index=order, columns=list(STATUSES), fill_value=0)
            .reset_index()
        )
        out.insert(1, "total", out[list(STATUSES)].sum(axis=1).astype(int))
    out["judged"] = (out["total"] - out[EXCLUDED]).astype(int)
    out["share_reproduced"] = out[REPRODUCED] / out["judged"].where(out["judged"] > 0)
    out.columns.name = None
    return out


def reproduction_problems(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a reproduction table that are not reproduced, excluded ones first."""
    rank = {s: k for k, s in enumerate(reversed(STATUSES))}
    out = table[table["status"] != REPRODUCED]
    return out.sort_values("status", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)


def reproduction_exclusions(table: pd.DataFrame) -> pd.DataFrame:
    """The excluded rows with the name of the rule that excludes each.

    Returns
    -------
    DataFrame
        ``source, group, measure, subscale, site, statistic, published_text, exclusion,
        reason``; ``exclusion`` is a key of :data:`EXCLUSION_RULES`.
    """
    out = table[table["status"] == EXCLUDED].copy()
    out["exclusion"] = out["reason"].str.split(":", n=1).str[0]
    columns = ["source", "group", "measure", "subscale", "site", "statistic", "published_text", "exclusion", "reason"]
    return out[columns].reset_index(drop=True)
