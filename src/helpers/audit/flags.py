"""The published values the audit flags, in one table, and what each flag means for the article.

:func:`audit_flags` gathers the three checks of :mod:`helpers.audit.checks` (impossible
SEMs, F values their own row cannot give, p values their test statistic cannot give) into
one tidy table; :func:`flag_consequences` adds what each flag implies for the article's
other numbers and for its decisions at a significance level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import OUTCOME, Published

from .checks import p_interval_from_f

__all__ = ["FLAG_COLUMNS", "audit_flags", "flag_consequences"]

#: Columns of :func:`audit_flags`.
FLAG_COLUMNS = [
    "check",
    "group",
    "measure",
    "subscale",
    "site",
    "printed",
    "expected_low",
    "expected_high",
    "implied_sd",
    "max_sd",
    "n",
    "suggested",
    "statistic",
    "p_status",
]


def audit_flags(sems: pd.DataFrame, f_audit: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """Every published value the audit flags, in one tidy table.

    Parameters
    ----------
    sems, f_audit, checks : DataFrame
        From :func:`helpers.audit.audit_sems`, :func:`helpers.audit.audit_f_from_means` and
        :func:`helpers.audit.statcheck`.

    Returns
    -------
    DataFrame
        ``check, group, measure, subscale, site, printed, expected_low, expected_high, implied_sd,
        max_sd, n, suggested, statistic, p_status``: ``expected_*`` is the range the audit finds
        possible (up to the largest possible SEM for an SEM, the F range the row's means allow,
        the p range the printed statistic allows); ``p_status`` is statcheck's verdict on the
        p printed with a flagged F.
    """
    rows = []
    for r in sems[~sems["possible"]].itertuples(index=False):
        rows.append(
            {
                "check": "impossible SEM",
                "group": r.group,
                "measure": r.measure,
                "subscale": r.subscale,
                "site": r.site,
                "printed": float(r.sem_printed),
                "expected_low": 0.0,
                "expected_high": float(r.max_sd / np.sqrt(r.n)),
                "implied_sd": float(r.implied_sd),
                "max_sd": float(r.max_sd),
                "n": int(r.n),
                "suggested": float(r.sem_target),
            }
        )
    anova_checks = checks[checks["source"] == "anova"]
    for r in f_audit[~f_audit["consistent"]].itertuples(index=False):
        same = anova_checks[
            (anova_checks["group"] == r.group) & (anova_checks["outcome"] == f"{r.measure} {r.subscale}")
        ]
        rows.append(
            {
                "p_status": same["status"].iloc[0] if len(same) else "",
                "check": "F not implied by the row's means",
                "group": r.group,
                "measure": r.measure,
                "subscale": r.subscale,
                "site": "All sites",
                "printed": float(r.F_printed),
                "expected_low": float(r.F_min),
                "expected_high": float(r.F_max),
                "implied_sd": np.nan,
                "max_sd": np.nan,
                "n": np.nan,
                "suggested": float(r.F_recomputed),
            }
        )
    for r in checks[checks["status"] != "consistent"].itertuples(index=False):
        measure, subscale = (r.outcome, "Total") if r.source == "correlations" else r.outcome.split(" ", 1)
        rows.append(
            {
                "check": f"p {r.status}",
                "group": r.group,
                "measure": measure,
                "subscale": subscale,
                "site": "All sites",
                "printed": float(r.p_printed),
                "expected_low": float(r.p_min),
                "expected_high": float(r.p_max),
                "implied_sd": np.nan,
                "max_sd": np.nan,
                "n": np.nan,
                "suggested": np.nan,
                "statistic": r.statistic,
            }
        )
    return pd.DataFrame(rows).reindex(columns=FLAG_COLUMNS)


def flag_consequences(
    flags: pd.DataFrame, f_audit: pd.DataFrame, published: Published, *, alpha: float
) -> pd.DataFrame:
    """What each flagged published value means for the article's other numbers and its decisions.

    Parameters
    ----------
    flags : DataFrame
        From :func:`audit_flags`.
    f_audit : DataFrame
        From :func:`helpers.audit.audit_f_from_means` (which uses the corrected SEMs).
    published : Published
    alpha : float
        Significance level of the decisions.

    Returns
    -------
    DataFrame
        ``flags`` plus ``row_f_consistent`` (for an SEM: whether its row's printed F is
        consistent once the SEM is corrected), ``p_low, p_high`` (for an F: the p range of the
        F values its row allows, with the printed degrees of freedom) and ``decision_open``
        (that range straddles ``alpha``).
    """
    fa = f_audit.set_index(OUTCOME)
    an = published.anova.set_index(OUTCOME)
    out = flags.copy()
    row_ok, p_lo, p_hi, open_ = [], [], [], []
    for r in out.itertuples(index=False):
        key = (r.group, r.measure, r.subscale)
        row_ok.append(bool(fa.loc[key, "consistent"]) if r.check == "impossible SEM" and key in fa.index else np.nan)
        if r.check.startswith("F ") and key in an.index:
            lo, hi = p_interval_from_f(
                r.expected_low, r.expected_high, int(an.loc[key, "df_between"]), int(an.loc[key, "df_within"])
            )
            p_lo.append(lo)
            p_hi.append(hi)
            open_.append(bool(lo < alpha <= hi))
        else:
            p_lo.append(np.nan)
            p_hi.append(np.nan)
            open_.append(False)
    return out.assign(row_f_consistent=row_ok, p_low=p_lo, p_high=p_hi, decision_open=open_)
