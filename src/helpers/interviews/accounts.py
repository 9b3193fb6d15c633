"""Interviews as accounts: the codes each interview carries and the interviews per site and role."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.io import ROLE_ORDER, ROLE_PLURALS, TABLE1_COLUMNS, load_published, split_codes

__all__ = ["account_codes", "interview_counts", "interview_counts_with_published"]


def account_codes(interviews: pd.DataFrame, framework: pd.DataFrame) -> pd.DataFrame:
    """One row per interview and code applied anywhere in its matrix row.

    Parameters
    ----------
    interviews : DataFrame
        ``participant_id, site, role`` (the typed ``interviews`` table).
    framework : DataFrame
        ``participant_id, codes`` (the typed ``framework`` table).

    Returns
    -------
    DataFrame
        ``participant_id, site, role, code``; each code once per interview, whichever cell
        carries it.

    Examples
    --------
    >>> iv = pd.DataFrame({"participant_id": ["A-SU-001"], "site": ["Artois"], "role": ["SU"]})
    >>> fw = pd.DataFrame({"participant_id": ["A-SU-001", "A-SU-001"], "codes": ["rel_valued; cp_unaware",
    ...                                                                        "rel_valued"]})
    >>> account_codes(iv, fw)["code"].tolist()
    ['rel_valued', 'cp_unaware']
    """
    rows = [
        (pid, code) for pid, cell in zip(framework["participant_id"], framework["codes"]) for code in split_codes(cell)
    ]
    codes = pd.DataFrame(rows, columns=["participant_id", "code"]).drop_duplicates()
    people = interviews[["participant_id", "site", "role"]]
    return people.merge(codes, on="participant_id", how="inner")[["participant_id", "site", "role", "code"]]


def interview_counts(interviews: pd.DataFrame, sites: Sequence[str]) -> pd.DataFrame:
    """Interviews per site and role, every site and role listed.

    Parameters
    ----------
    interviews : DataFrame
        ``site, role``.
    sites : sequence of str
        Every site of the dataset, in display order.

    Returns
    -------
    DataFrame
        ``site`` then one column per role (``SM, SP, CC, SU, CA``) and ``total``.

    Examples
    --------
    >>> iv = pd.DataFrame({"site": ["A", "A", "B"], "role": ["SU", "CC", "SU"]})
    >>> interview_counts(iv, ["A", "B", "C"]).to_dict("list")["total"]
    [2, 1, 0]
    """
    counts = pd.crosstab(interviews["site"], interviews["role"]) if len(interviews) else pd.DataFrame()
    counts = counts.reindex(index=list(sites), columns=list(ROLE_ORDER), fill_value=0).fillna(0).astype(int)
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "site"
    counts.columns.name = None
    return counts.reset_index()


def interview_counts_with_published(interviews: pd.DataFrame, sites: Sequence[str], published=None) -> pd.DataFrame:
    """Interviews per site and role beside the article's Table 1 (long form).

    Parameters
    ----------
    interviews : DataFrame
    sites : sequence of str
    published : Published, optional
        The article's tables (:func:`helpers.io.load_published` by default).

    Returns
    -------
    DataFrame
        ``site, role, role_label, n, published, match`` (``published`` NaN for a site the
        article does not list).
    """
    published = published or load_published()
    counts = interview_counts(interviews, sites)
    table1 = published.sites.set_index("site")
    rows = []
    for rec in counts.itertuples(index=False):
        for role in ROLE_ORDER:
            pub = float(table1.at[rec.site, TABLE1_COLUMNS[role]]) if rec.site in table1.index else float("nan")
            n = int(getattr(rec, role))
            rows.append(
                {
                    "site": rec.site,
                    "role": role,
                    "role_label": ROLE_PLURALS[role],
                    "n": n,
                    "published": pub,
                    "match": bool(np.isfinite(pub) and n == pub),
                }
            )
    return pd.DataFrame(rows)
