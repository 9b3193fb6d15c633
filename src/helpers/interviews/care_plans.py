"""The care-plan review: the written plans of the interviewed service users, by template field."""

from __future__ import annotations

import pandas as pd

from helpers.io import QualData

from .indicators import ALL_SITES

__all__ = ["care_plan_coverage", "care_plan_review"]


def care_plan_coverage(q: QualData) -> dict[str, int]:
    """How many plans were reviewed, against the interviewed service users.

    Returns
    -------
    dict
        ``service_users`` (interviewed), ``plans`` (reviewed) and ``with_plan``
        (interviewed service users with a reviewed plan).
    """
    su = q.interviews.loc[q.interviews["role"] == "SU", "participant_id"]
    return {
        "service_users": int(len(su)),
        "plans": int(len(q.care_plans)),
        "with_plan": int(su.isin(q.care_plans["participant_id"]).sum()),
    }


def care_plan_review(q: QualData) -> pd.DataFrame:
    """The care-plan review by site: for each template field, how many plans say yes.

    Returns
    -------
    DataFrame
        ``site, field, label, n_plans, n_recorded, n_yes, share`` with ``share = n_yes /
        n_recorded`` (blank cells excluded; NaN without recorded plans); every site of
        the dataset, then ``"All sites"``.
    """
    plans = q.care_plans
    rows = []
    for site in [*q.site_list, ALL_SITES]:
        sel = plans if site == ALL_SITES else plans[plans["site"] == site]
        for f in q.codebook.plan_fields:
            values = sel[f.id] if f.id in sel.columns else pd.Series(dtype="boolean")
            recorded = values.dropna()
            n_yes = int(recorded.astype(bool).sum())
            rows.append(
                {
                    "site": site,
                    "field": f.id,
                    "label": f.label,
                    "n_plans": int(len(sel)),
                    "n_recorded": int(len(recorded)),
                    "n_yes": n_yes,
                    "share": n_yes / len(recorded) if len(recorded) else float("nan"),
                }
            )
    return pd.DataFrame(rows)
