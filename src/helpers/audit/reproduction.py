"""The reproduction table: every published number beside the value a dataset gives.

Each reproduced value is computed from the item-level files by the same functions
the book uses (:mod:`helpers.survey`); nothing is copied from the published tables.
A published value that the audit (:mod:`helpers.audit.checks`) shows to be impossible
or internally inconsistent is marked as such, with the reason.
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
    rounding_interval,
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
    "INCONSISTENT",
    "STATUSES",
    "Tolerances",
    "reproduction_table",
    "reproduction_summary",
    "reproduction_counts",
    "reproduction_problems",
]

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONSISTENT = "published value inconsistent"
#: The statuses of a reproduction table's rows, reproduced first.
STATUSES = (REPRODUCED, NOT_REPRODUCED, INCONSISTENT)

COLUMNS = [
    "source",
    "group",
    "measure",
    "subscale",
    "site",
    "statistic",
    "published",
    "published_text",
    "reproduced",
    "tolerance",
    "status",
    "reason",
]


class Tolerances:
    """How close a reproduced value must be to count as reproduced.

    Means, SEMs and alphas must round to the printed value (half a unit of the last
    printed decimal); F within 0.02; p within 0.01; r within 0.01; counts exactly.
    """

    F = 0.02
    p = 0.01
    r = 0.01
    alpha = 0.02
    share = 0.0005


def _row(
    source, group, measure, subscale, site, statistic, published, text, reproduced, tolerance, inconsistent_reason=""
):
    if inconsistent_reason:
        status, reason = INCONSISTENT, inconsistent_reason
    elif reproduced is None or not np.isfinite(reproduced):
        status, reason = NOT_REPRODUCED, "not computable from the data"
    elif abs(float(reproduced) - float(published)) <= tolerance + 1e-9:
        status, reason = REPRODUCED, ""
    else:
        status, reason = NOT_REPRODUCED, f"differs by {float(reproduced) - float(published):+.4g}"
    values = (
        source,
        group,
        measure,
        subscale,
        site,
        statistic,
        float(published),
        str(text),
        None if reproduced is None else float(reproduced),
        float(tolerance),
        status,
        reason,
    )
    return dict(zip(COLUMNS, values))


def _get(row: pd.Series | None, column: str):
    return None if row is None else row[column]


def _half_unit(text: str, minimum: int) -> float:
    lo, hi = rounding_interval(0.0, printed_decimals(text, minimum))
    return (hi - lo) / 2


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
        rows.append(_row(*common, "mean", rec.mean, rec.mean_text, _get(mine, "mean"), _half_unit(rec.mean_text, 2)))
        audit = sem_audit.loc[key]
        reason = "" if audit["possible"] else audit["note"]
        half = _half_unit(rec.sem_as_printed_text, 2)
        rows.append(_row(*common, "SEM", rec.sem_as_printed, rec.sem_as_printed_text, _get(mine, "sem"), half, reason))
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
        f_reason = "" if f_notes.loc[key, "consistent"] else f_notes.loc[key, "note"]
        f_text = f"{rec.F:.{printed_decimals(rec.F_text, 2)}f}"
        rows.append(_row(*common, "F", rec.F, f_text, _get(mine, "F"), Tolerances.F, f_reason))
        status = p_status.loc[k, "status"]
        p_reason = "" if status == "consistent" else f"statcheck: {status} with the printed F and df"
        p_text = f"{rec.p_as_printed:.3f}"
        rows.append(_row(*common, "p", rec.p_as_printed, p_text, _get(mine, "p"), Tolerances.p, p_reason or f_reason))
    return rows


def _reliability_rows(pub: Published, alphas: pd.DataFrame) -> list[dict]:
    got = alphas.set_index(OUTCOME)
    rows = []
    for rec in pub.reliability.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale)
        mine = got.loc[key] if key in got.index else None
        common = ("Methods: measures", rec.group, rec.measure, rec.subscale, "All sites")
        alpha_text = f"{rec.cronbach_alpha:.2f}"
        rows.append(
            _row(*common, "Cronbach's alpha", rec.cronbach_alpha, alpha_text, _get(mine, "alpha"), Tolerances.alpha)
        )
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
        rows.append(_row(*common, "r", rec.r, rec.r_text, _get(mine, "r"), Tolerances.r))
        rows.append(_row(*common, "N", rec.n, str(rec.n), _get(mine, "n"), 0))
        status = p_status.loc[k, "status"]
        reason = "" if status == "consistent" else f"statcheck: {status}"
        tolerance = 0.0005 if rec.p_as_printed == 0 else Tolerances.p
        rows.append(_row(*common, "p", rec.p_as_printed, f"{rec.p_as_printed:.3f}", _get(mine, "p"), tolerance, reason))
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
        # "19.9 %" is known to half a unit of its last printed decimal of the percentage.
        half = _half_unit(printed[key].rstrip(" %"), 0) / 100
        rows.append(_row(*common, label, text[key], printed[key], float(mine[stat]), half))
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
        reproduced, tolerance, status, reason``; status is one of :data:`STATUSES`.
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


def reproduction_summary(table: pd.DataFrame) -> str:
    """A short text summary: counts by status overall and by source, then what was not reproduced."""
    counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
    share = counts[REPRODUCED] / len(table)
    lines = [
        f"{len(table)} published numbers; {counts[REPRODUCED]} reproduced ({100 * share:.1f} %), "
        f"{counts[NOT_REPRODUCED]} not reproduced, {counts[INCONSISTENT]} published values inconsistent.",
        "",
    ]
    by_source = table.groupby(["source", "status"]).size().unstack(fill_value=0).reindex(columns=STATUSES, fill_value=0)
    lines.append(by_source.to_string())
    for status in (INCONSISTENT, NOT_REPRODUCED):
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
        ``[by], total`` and one column per status of :data:`STATUSES` plus
        ``share_reproduced``; overall, one row.

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["A", "A", "B"], "status": [REPRODUCED, NOT_REPRODUCED, REPRODUCED]})
    >>> print(reproduction_counts(t, by="source").to_string(index=False))
    source  total  reproduced  not reproduced  published value inconsistent  share_reproduced
         A      2           1               1                             0               0.5
         B      1           1               0                             0               1.0
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
    out["share_reproduced"] = out[STATUSES[0]] / out["total"].where(out["total"] > 0)
    out.columns.name = None
    return out


def reproduction_problems(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a reproduction table that are not reproduced, inconsistent first."""
    rank = {s: k for k, s in enumerate(reversed(STATUSES))}
    out = table[table["status"] != STATUSES[0]]
    return out.sort_values("status", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)
