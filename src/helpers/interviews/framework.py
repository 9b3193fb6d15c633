"""The framework matrix: by interview, by site and role, and how often each code appears."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from helpers.io import ROLE_ORDER, ROLES, QualData, split_codes

from .accounts import account_codes, interview_counts

__all__ = ["framework_matrix", "framework_top_codes", "framework_cells", "code_frequencies"]


def _ordered(frame: pd.DataFrame, q: QualData, themes: dict | None = None) -> pd.DataFrame:
    """``frame`` in site (dataset order), role (contract order), participant and theme order."""
    roles = {r: k for k, r in enumerate(ROLE_ORDER)}
    sites = {s: k for k, s in enumerate(q.site_list)}
    keys = {"_s": frame["site"].map(sites), "_r": frame["role"].map(roles)}
    order = ["_s", "_r", "participant_id"]
    if themes is not None:
        keys["_t"] = frame["theme"].map(themes)
        order.append("_t")
    return frame.assign(**keys).sort_values(order).drop(columns=list(keys))


def framework_matrix(q: QualData, site: str | None = None, with_codes: bool = False) -> pd.DataFrame:
    """The first-level framework matrix: one row per interview, one column per theme label.

    Parameters
    ----------
    q : QualData
    site : str, optional
        Only this site's interviews.
    with_codes : bool
        Append the code labels to each summary, in brackets.

    Returns
    -------
    DataFrame
        ``site, role, participant_id`` then one column per theme (labels) holding the
        summaries (``""`` for uncharted cells); rows in site, role and id order, roles in words.
    """
    book = q.codebook
    people = q.interviews[["participant_id", "site", "role"]]
    if site is not None:
        people = people[people["site"] == site]
    fw = q.framework[q.framework["participant_id"].isin(people["participant_id"])]
    if with_codes:
        text = [
            s + (f" [{'; '.join(book.code_label(c) for c in split_codes(k))}]" if split_codes(k) else "")
            for s, k in zip(fw["summary"], fw["codes"])
        ]
    else:
        text = list(fw["summary"])
    fw = fw.assign(cell=text)
    wide = fw.pivot(index="participant_id", columns="theme", values="cell") if len(fw) else pd.DataFrame()
    wide = wide.reindex(columns=list(book.theme_ids)).rename(columns=book.theme_label)
    out = _ordered(people.merge(wide, left_on="participant_id", right_index=True, how="left"), q)
    out = out.fillna("")
    out["role"] = out["role"].map(lambda r: ROLES.get(r, r))
    return out.reset_index(drop=True)


def framework_top_codes(q: QualData, top: int) -> pd.DataFrame:
    """The second-level matrix in long form: per site, role and theme, the most frequent codes.

    Codes are ranked by the number of the group's accounts carrying them, ties in
    code-book order; at most ``top`` per theme.

    Parameters
    ----------
    q : QualData
    top : int
        How many codes to keep per site, role and theme.

    Returns
    -------
    DataFrame
        ``site, role, n_accounts, theme, rank, code, label, n_coded``: one row per kept
        code (a theme without any code in a group has no row; see :func:`interview_counts`
        for every group's accounts).
    """
    book = q.codebook
    codes = account_codes(q.interviews, q.framework)
    codes = codes.assign(theme=codes["code"].map(lambda c: book.codes[c].theme if c in book.codes else ""))
    code_order = {c: k for k, c in enumerate(book.codes)}
    counts = interview_counts(q.interviews, q.site_list)
    rows = []
    for rec in counts.itertuples(index=False):
        for role in ROLE_ORDER:
            n = int(getattr(rec, role))
            if n == 0:
                continue
            sel = codes[(codes["site"] == rec.site) & (codes["role"] == role)]
            for theme in book.theme_ids:
                freq = sel.loc[sel["theme"] == theme, "code"].value_counts()
                ranked = sorted(freq.items(), key=lambda kv: (-kv[1], code_order.get(kv[0], len(code_order))))
                for rank, (code, k) in enumerate(ranked[:top], start=1):
                    rows.append(
                        {
                            "site": rec.site,
                            "role": role,
                            "n_accounts": n,
                            "theme": theme,
                            "rank": rank,
                            "code": code,
                            "label": book.code_label(code),
                            "n_coded": int(k),
                        }
                    )
    return pd.DataFrame(rows, columns=["site", "role", "n_accounts", "theme", "rank", "code", "label", "n_coded"])


def framework_cells(q: QualData, site: str | None = None) -> pd.DataFrame:
    """The first-level matrix in long form for reading: one row per charted cell.

    Returns
    -------
    DataFrame
        ``participant_id, role, theme, summary, codes`` (roles in words, theme and code
        labels), in site, role, participant and theme order.
    """
    book = q.codebook
    fw = q.framework.merge(q.interviews[["participant_id", "site", "role"]], on="participant_id", how="inner")
    if site is not None:
        fw = fw[fw["site"] == site]
    fw = _ordered(fw, q, themes={t: k for k, t in enumerate(book.theme_ids)})
    return pd.DataFrame(
        {
            "participant_id": fw["participant_id"].to_numpy(),
            "role": fw["role"].map(lambda r: ROLES.get(r, r)).to_numpy(),
            "theme": fw["theme"].map(book.theme_label).to_numpy(),
            "summary": fw["summary"].to_numpy(),
            "codes": [", ".join(book.code_label(c) for c in split_codes(k)) for k in fw["codes"]],
        }
    )


def code_frequencies(q: QualData, by: str | Sequence[str] = "role") -> pd.DataFrame:
    """How many accounts carry each code, per role, site, or site and role.

    Parameters
    ----------
    q : QualData
    by : str or sequence of str
        ``"role"``, ``"site"`` or ``["site", "role"]``.

    Returns
    -------
    DataFrame
        ``[by...], theme, code, label, n_accounts, n_coded, share``: every code of the code
        book for every group (``share`` NaN for a group without accounts). Roles appear as
        their codes (``SM`` ...).
    """
    by = [by] if isinstance(by, str) else list(by)
    book = q.codebook
    levels = {"site": q.site_list, "role": list(ROLE_ORDER)}
    groups = list(itertools.product(*(levels[b] for b in by)))
    n_acc = q.interviews.groupby(by).size() if len(q.interviews) else pd.Series(dtype=int)
    codes = account_codes(q.interviews, q.framework)
    coded = codes.groupby([*by, "code"]).size() if len(codes) else pd.Series(dtype=int)
    rows = []
    for key in groups:
        n = int(n_acc.get(key if len(key) > 1 else key[0], 0))
        for code in book.codes.values():
            c = int(coded.get((*key, code.id), 0))
            rows.append(
                {
                    **dict(zip(by, key)),
                    "theme": code.theme,
                    "code": code.id,
                    "label": code.label,
                    "n_accounts": n,
                    "n_coded": c,
                    "share": c / n if n else float("nan"),
                }
            )
    return pd.DataFrame(rows)
