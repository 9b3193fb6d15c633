"""Missing items: complete cases, scored cases, the share of participants with gaps, and the
kinds of gap (a blank cell, or a code such as "not applicable" or "don't know")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .scoring import item_matrix, score_scales

if TYPE_CHECKING:
    from ..io import Instrument

__all__ = ["missing_share_summary", "missing_summary", "missing_table", "non_answer_table"]


def missing_summary(n_complete, n_group) -> pd.DataFrame:
    """Share of participants with at least one missing item, per outcome.

    Parameters
    ----------
    n_complete : array-like of int
        Complete cases on each outcome's items (a Series keeps its index).
    n_group : int or array-like of int
        Participants in the group each outcome was asked of.

    Returns
    -------
    DataFrame
        Columns ``n_group, n_complete, share_missing``, one row per outcome.

    Notes
    -----
    ``share_missing = 1 - n_complete / n_group``: the share of the group that a
    complete-case (listwise) analysis of the outcome would lose (Little & Rubin, 2019,
    section 3.2).

    References
    ----------
    .. [1] Little, R. J. A. & Rubin, D. B. (2019). *Statistical Analysis with Missing
       Data* (3rd ed.). Wiley.

    Examples
    --------
    >>> missing_summary([139, 391], [448, 448]).round(3).share_missing.tolist()
    [0.69, 0.127]
    """
    index = n_complete.index if isinstance(n_complete, pd.Series) else None
    complete = np.asarray(n_complete, dtype=float)
    group = np.broadcast_to(np.asarray(n_group, dtype=float), complete.shape)
    if np.any(complete > group) or np.any(group <= 0):
        raise ValueError("n_complete must lie between 0 and a positive n_group")
    return pd.DataFrame(
        {"n_group": group.astype(int), "n_complete": complete.astype(int), "share_missing": 1.0 - complete / group},
        index=index,
    )


def missing_share_summary(share_missing) -> pd.DataFrame:
    """Mean, smallest and largest share of missing data across outcomes.

    Parameters
    ----------
    share_missing : array-like of float
        Per-outcome shares, e.g. ``missing_summary(...)["share_missing"]``.

    Returns
    -------
    DataFrame
        One row: ``n_outcomes, mean, min, max`` (shares, not percentages; NaN ignored).

    Examples
    --------
    >>> missing_share_summary([0.1, 0.2, 0.6]).round(2).iloc[0].tolist()
    [3.0, 0.3, 0.1, 0.6]
    """
    share = pd.Series(share_missing, dtype=float).dropna()
    return pd.DataFrame(
        {"n_outcomes": [int(share.size)], "mean": [share.mean()], "min": [share.min()], "max": [share.max()]}
    )


def missing_table(data: pd.DataFrame, instrument: Instrument, *, max_missing: float) -> pd.DataFrame:
    """Complete cases and scored cases of every scale of an instrument, from item data.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns (raw responses).
    instrument : Instrument
    max_missing : float
        Share of missing items allowed when scoring (see :func:`helpers.stats.score_scales`).

    Returns
    -------
    DataFrame
        Columns ``measure, subscale, n_items, n, n_complete, share_missing, n_scored``:
        participants, those with every item of the scale answered, the share with at least
        one missing item, and those with a score at ``max_missing``.

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> full = {f"starp_{i:02d}": 2 for i in range(1, 13)}
    >>> gaps = dict(full, starp_10=None, starp_11=None)   # two of three items missing
    >>> t = missing_table(pd.DataFrame([full, gaps]), starp, max_missing=0.5)
    >>> t.loc[t.subscale == "Non-Supportive Clinician Input", ["n", "n_complete", "n_scored"]].iloc[0].tolist()
    [2, 1, 1]
    """
    items = item_matrix(data, instrument)
    scores = score_scales(data, instrument, max_missing=max_missing)
    rows = []
    for scale, members in instrument.scales.items():
        n_complete = int(items[list(members)].notna().all(axis=1).sum())
        rows.append(
            {
                "measure": instrument.id,
                "subscale": scale,
                "n_items": len(members),
                "n": int(len(items)),
                "n_complete": n_complete,
                "n_scored": int(scores[scale].notna().sum()),
            }
        )
    out = pd.DataFrame(rows)
    out.insert(5, "share_missing", 1.0 - out["n_complete"] / out["n"].where(out["n"] > 0))
    return out


def non_answer_table(items: pd.DataFrame, codes: pd.DataFrame | None, instrument: Instrument) -> pd.DataFrame:
    """Missing item cells of one instrument by kind: left blank, or each declared not-an-answer code.

    Parameters
    ----------
    items : DataFrame
        One row per participant with the instrument's item columns as loaded: every gap,
        blank or coded, is NaN.
    codes : DataFrame or None
        The not-an-answer code of each item cell that held one, NaN elsewhere, on the same
        index (``Dataset.non_answers``). None when the codes were not recorded: every gap
        then counts as blank.
    instrument : Instrument
        Its ``missing_codes`` name the codes; each gets a row even when it never occurs.

    Returns
    -------
    DataFrame
        One row for blank cells, then one per declared code, with columns ``measure, form,
        kind, code, label, n, n_items, n_cells, share_cells, n_participants,
        share_participants``: the cells of that kind, their share of all ``n * n_items``
        item cells, and the participants with at least one such cell and their share.

    Notes
    -----
    A "not applicable" or "don't know" answer is information of its own: the question did
    not fit, or the person could not judge, which is not the same as skipping it
    (de Leeuw, Hox & Huisman, 2003). Scoring treats every gap alike, so the kinds are counted
    apart here, before they are merged.

    References
    ----------
    .. [1] de Leeuw, E. D., Hox, J. J. & Huisman, M. (2003). Prevention and treatment of item
       nonresponse. *Journal of Official Statistics*, 19(2), 153-176.

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> rsa = load_instrument(INSTRUMENTS_DIR / "rsa.yaml")
    >>> items = pd.DataFrame([dict.fromkeys(rsa.items, 3.0)] * 2)
    >>> items.loc[0, ["rsa_01", "rsa_02"]] = np.nan          # one blank, one coded N/A
    >>> items.loc[1, "rsa_03"] = np.nan                      # coded N/A
    >>> codes = pd.DataFrame(np.nan, index=items.index, columns=list(rsa.items))
    >>> codes.loc[0, "rsa_02"] = codes.loc[1, "rsa_03"] = 9
    >>> t = non_answer_table(items, codes, rsa)
    >>> t[["kind", "code", "n_cells", "n_participants"]].to_numpy().tolist()
    [['blank', nan, 1, 1], ['code', 9.0, 2, 2]]
    """
    columns = list(instrument.items)
    gaps = items[columns].isna().to_numpy()
    coded = codes.reindex(index=items.index, columns=columns).to_numpy(dtype=float) if codes is not None else None
    if coded is None:
        coded = np.full(gaps.shape, np.nan)
    n, n_items = gaps.shape
    kinds = [("blank", np.nan, "left blank", gaps & np.isnan(coded))]
    kinds += [("code", float(code), label, coded == code) for code, label in instrument.missing_codes.items()]
    cells = max(n * n_items, 1)
    rows = [
        {
            "measure": instrument.id,
            "form": instrument.form,
            "kind": kind,
            "code": code,
            "label": label,
            "n": int(n),
            "n_items": int(n_items),
            "n_cells": int(mask.sum()),
            "share_cells": mask.sum() / cells if n else np.nan,
            "n_participants": int(mask.any(axis=1).sum()),
            "share_participants": mask.any(axis=1).sum() / n if n else np.nan,
        }
        for kind, code, label, mask in kinds
    ]
    return pd.DataFrame(rows)
