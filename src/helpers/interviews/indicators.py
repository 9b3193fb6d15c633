"""Indicators computed from codes: per site, country or overall; staff against service users; carers."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from helpers.io import Indicator, QualData

from .accounts import account_codes

__all__ = [
    "ALL_SITES",
    "indicator_values",
    "site_indicators",
    "divergence_table",
    "country_site_means",
    "carer_variation",
]

#: The row label of a result over every site together.
ALL_SITES = "All sites"


def indicator_values(q: QualData, indicator: Indicator | str, by: str | Sequence[str] | None = "site") -> pd.DataFrame:
    """One indicator (see :class:`helpers.io.Indicator`) per group of accounts.

    ``share``: accounts of the indicator's roles with at least one positive code, over
    all accounts of those roles. ``balance``: that share minus the share with a negative
    code and no positive one (from -1 to 1).

    Parameters
    ----------
    q : QualData
    indicator : Indicator or its id
    by : str, sequence of str or None
        ``"site"`` (every site listed), ``"country"`` or None (all accounts).

    Returns
    -------
    DataFrame
        ``[by...], indicator, label, kind, n_accounts, n_positive, n_negative, value``;
        ``value`` NaN when the group has no account of the indicator's roles.

    Examples
    --------
    >>> from helpers.io import QualData, load_codebook
    >>> book = load_codebook()
    >>> iv = pd.DataFrame({"participant_id": ["A-SU-001", "A-SU-002", "A-CC-001"], "site": "Artois",
    ...                    "role": ["SU", "SU", "CC"], "triad_id": None})
    >>> fw = pd.DataFrame({"participant_id": ["A-SU-001", "A-SU-002", "A-CC-001"], "theme": "care_planning",
    ...                    "summary": "", "codes": ["cp_collaborative", "cp_professional_led", "cp_collaborative"]})
    >>> q = QualData(iv, fw, pd.DataFrame(), pd.DataFrame({"site": ["Artois"], "country": ["England"]}), book, True)
    >>> r = indicator_values(q, "collaboration").iloc[0]
    >>> int(r["n_accounts"]), int(r["n_positive"]), int(r["n_negative"]), round(float(r["value"]), 3)
    (3, 2, 1, 0.333)
    """
    ind = q.codebook.indicators[indicator] if isinstance(indicator, str) else indicator
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    people = q.interviews[q.interviews["role"].isin(ind.roles)][["participant_id", "site", "role"]].copy()
    people["country"] = people["site"].map(q.sites.set_index("site")["country"]).astype(object)
    codes = account_codes(q.interviews, q.framework)
    pos = set(codes.loc[codes["code"].isin(ind.positive), "participant_id"])
    neg = set(codes.loc[codes["code"].isin(ind.negative), "participant_id"]) - pos
    people["pos"] = people["participant_id"].isin(pos)
    people["neg"] = people["participant_id"].isin(neg)
    levels = {"site": q.site_list, "country": sorted(q.sites["country"].unique())}
    keys = list(itertools.product(*(levels[b] for b in by))) if by else [()]
    rows = []
    for key in keys:
        sel = people
        for b, v in zip(by, key):
            sel = sel[sel[b] == v]
        n, n_pos, n_neg = len(sel), int(sel["pos"].sum()), int(sel["neg"].sum())
        if n == 0:
            value = float("nan")
        elif ind.kind == "balance":
            value = (n_pos - n_neg) / n
        else:
            value = n_pos / n
        rows.append(
            {
                **dict(zip(by, key)),
                "indicator": ind.id,
                "label": ind.label,
                "kind": ind.kind,
                "n_accounts": n,
                "n_positive": n_pos,
                "n_negative": n_neg,
                "value": value,
            }
        )
    return pd.DataFrame(rows)


def site_indicators(q: QualData, indicators: Sequence[str] | None = None, by: str | None = "site") -> pd.DataFrame:
    """Several indicators (default: all in the code book) stacked, per site (or country, or overall)."""
    ids = list(indicators) if indicators is not None else list(q.codebook.indicators)
    return pd.concat([indicator_values(q, i, by) for i in ids], ignore_index=True)


def divergence_table(q: QualData) -> pd.DataFrame:
    """Where staff and service-user (or carer) accounts diverge, per comparison and site.

    Each comparison of the code book (``divergences``) sets a staff indicator beside a
    service-user indicator; ``gap`` is the staff share minus the users' share.

    Returns
    -------
    DataFrame
        ``comparison, question, site, staff_label, staff_n, staff_share, users_label,
        users_n, users_share, gap``; the sites first, then ``"All sites"``.
    """

    def both_levels(indicator: str) -> pd.DataFrame:
        overall = indicator_values(q, indicator, None).assign(site=ALL_SITES)
        return pd.concat([indicator_values(q, indicator, "site"), overall], ignore_index=True)

    rows = []
    for d in q.codebook.divergences:
        for s, u in zip(both_levels(d.staff).itertuples(index=False), both_levels(d.users).itertuples(index=False)):
            rows.append(
                {
                    "comparison": d.id,
                    "question": d.question,
                    "site": s.site,
                    "staff_label": s.label,
                    "staff_n": s.n_accounts,
                    "staff_share": s.value,
                    "users_label": u.label,
                    "users_n": u.n_accounts,
                    "users_share": u.value,
                    "gap": s.value - u.value,
                }
            )
    columns = ["comparison", "question", "site", "staff_label", "staff_n", "staff_share", "users_label", "users_n"]
    return pd.DataFrame(rows, columns=[*columns, "users_share", "gap"])


def country_site_means(q: QualData, indicator: str) -> pd.DataFrame:
    """An indicator's site values summarised per country, and whether the countries separate.

    Parameters
    ----------
    q : QualData
    indicator : str

    Returns
    -------
    DataFrame
        One row per country of the dataset (alphabetical): ``indicator, label, kind,
        country, n_sites`` (sites with a value) ``, site_mean`` (mean of the site values, NaN
        without any) ``, above_others``: True when exactly two countries have site values
        and every site of this country lies above every site of the other.
    """
    ind = q.codebook.indicators[indicator]
    country = q.sites.set_index("site")["country"]
    values = indicator_values(q, indicator, "site").dropna(subset=["value"])
    values = values.assign(country=values["site"].map(country))
    by_country = {c: values.loc[values["country"] == c, "value"] for c in sorted(q.sites["country"].unique())}
    with_values = [c for c, v in by_country.items() if len(v)]
    above = set()
    if len(with_values) == 2:
        a, b = (by_country[c] for c in with_values)
        if a.min() > b.max():
            above.add(with_values[0])
        elif b.min() > a.max():
            above.add(with_values[1])
    rows = [
        {
            "indicator": ind.id,
            "label": ind.label,
            "kind": ind.kind,
            "country": c,
            "n_sites": int(len(v)),
            "site_mean": float(v.mean()) if len(v) else float("nan"),
            "above_others": c in above,
        }
        for c, v in by_country.items()
    ]
    return pd.DataFrame(rows, columns=["indicator", "label", "kind", "country", "n_sites", "site_mean", "above_others"])


def carer_variation(q: QualData) -> pd.DataFrame:
    """Carers' accounts of involvement per site: how many carers said they were involved, and how many not.

    A carer counts as involved with a positive code of the ``carer_involved`` indicator and
    as not involved with a *no* code of the triad question answered by the care plan's
    ``carer_involved`` field.

    Returns
    -------
    DataFrame
        ``site, n_carers, n_involved, n_not_involved``: one row per site with carer
        interviews, sites in alphabetical order.
    """
    ind = q.codebook.indicators["carer_involved"]
    codes = account_codes(q.interviews, q.framework)
    carers = q.interviews[q.interviews["role"].isin(ind.roles)]
    not_codes = next((t.no for t in q.codebook.triad_items if t.plan_field == "carer_involved"), ())
    involved = set(codes.loc[codes["code"].isin(ind.positive), "participant_id"])
    not_involved = set(codes.loc[codes["code"].isin(not_codes), "participant_id"])
    rows = [
        {
            "site": site,
            "n_carers": int(len(g)),
            "n_involved": int(g["participant_id"].isin(involved).sum()),
            "n_not_involved": int(g["participant_id"].isin(not_involved).sum()),
        }
        for site, g in carers.groupby("site")
    ]
    return pd.DataFrame(rows, columns=["site", "n_carers", "n_involved", "n_not_involved"])
