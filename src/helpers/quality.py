"""Data quality: internal consistency, missing items and the shape of score distributions.

Every function takes a tidy DataFrame (or item data plus an instrument definition)
and returns a tidy DataFrame with one row per outcome, so notebooks only format
and display the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from ._columns import as_list
from .instruments import Instrument
from .scoring import item_matrix, score_scales

__all__ = [
    "ACCEPTABLE_ALPHA",
    "cronbach_alpha",
    "cronbach_alpha_table",
    "missing_summary",
    "missing_share_summary",
    "missing_table",
    "normality_table",
]

#: Conventional lower bound of acceptable internal consistency.
ACCEPTABLE_ALPHA = 0.7


def cronbach_alpha(items: pd.DataFrame, ci: float = 0.95) -> dict:
    """Cronbach's alpha of the complete cases of ``items`` with Feldt's confidence interval.

    Rows with any missing item are dropped *before* calling
    :func:`pingouin.cronbach_alpha`, so that both alpha and the degrees of freedom
    of the interval use the complete-case count.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per participant (NaN = missing).
    ci : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    dict
        ``n_items``, ``n_complete``, ``alpha``, ``ci_low``, ``ci_high`` (NaN when fewer
        than two items or two complete cases; interval bounds as pingouin rounds them,
        to 3 decimals).

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 5], "c": [1, 3, 3, 5, np.nan]})
    >>> res = cronbach_alpha(items)
    >>> res["n_complete"], round(res["alpha"], 4)
    (4, 0.9333)
    """
    complete = items.astype(float).dropna(axis=0, how="any")
    n_items, n_complete = items.shape[1], len(complete)
    out = {"n_items": int(n_items), "n_complete": int(n_complete),
           "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    if n_items < 2 or n_complete < 2:
        return out
    with warnings.catch_warnings():
        # Constant items give a zero total variance: alpha is then undefined (NaN / inf).
        warnings.simplefilter("ignore", RuntimeWarning)
        alpha, (low, high) = pg.cronbach_alpha(data=complete, nan_policy="listwise", ci=ci)
    out.update(alpha=float(alpha), ci_low=float(low), ci_high=float(high))
    return out


def cronbach_alpha_table(
    data: pd.DataFrame, instrument: Instrument, groupby: str | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Cronbach's alpha of every scale of an instrument, on complete cases of its items.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns (raw responses;
        missing codes become NaN and reversed items are flipped by
        :func:`helpers.scoring.item_matrix`).
    instrument : Instrument
    groupby : str, optional
        A column of ``data`` (e.g. ``"site"``): alpha is computed within each group.
    ci : float, default 0.95
        Confidence level of Feldt's interval.

    Returns
    -------
    DataFrame
        Columns ``measure, subscale, [groupby], n_items, n_complete, alpha, ci_low,
        ci_high, acceptable`` (``acceptable`` is ``alpha >= 0.7``; False when alpha is NaN).

    Examples
    --------
    >>> from helpers.instruments import load_instrument
    >>> from helpers.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> rows = [{f"starp_{i:02d}": (k + (i % 2)) % 5 for i in range(1, 13)} for k in range(8)]
    >>> table = cronbach_alpha_table(pd.DataFrame(rows), starp)
    >>> print(table[["subscale", "n_items", "n_complete", "acceptable"]].to_string(index=False))
                          subscale  n_items  n_complete  acceptable
            Positive Collaboration        6           8        True
          Positive Clinician Input        3           8       False
    Non-Supportive Clinician Input        3           8        True
                             Total       12           8       False
    """
    items = item_matrix(data, instrument)
    group_cols = as_list(groupby)
    if group_cols:
        groups = items.groupby([data[c] for c in group_cols], observed=True, sort=True)
    else:
        groups = [((), items)]
    rows = []
    for key, frame in groups:
        key = key if isinstance(key, tuple) else (key,)
        for scale, members in instrument.scales.items():
            row = {"measure": instrument.id, "subscale": scale, **dict(zip(group_cols, key))}
            row.update(cronbach_alpha(frame[list(members)], ci=ci))
            rows.append(row)
    out = pd.DataFrame(rows, columns=["measure", "subscale", *group_cols, "n_items", "n_complete",
                                      "alpha", "ci_low", "ci_high"])
    out["acceptable"] = (out["alpha"] >= ACCEPTABLE_ALPHA).astype(bool)
    return out


def missing_summary(n_complete, n_group) -> pd.DataFrame:
    """Share of participants with at least one missing item, per outcome.

    ``share_missing = 1 - n_complete / n_group``.

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


def missing_table(data: pd.DataFrame, instrument: Instrument, max_missing: float = 0.5) -> pd.DataFrame:
    """Complete cases and scored cases of every scale of an instrument, from item data.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns (raw responses).
    instrument : Instrument
    max_missing : float, default 0.5
        Share of missing items allowed when scoring (see :func:`helpers.scoring.score_scales`).

    Returns
    -------
    DataFrame
        Columns ``measure, subscale, n_items, n, n_complete, share_missing, n_scored``:
        participants, those with every item of the scale answered, the share with at least
        one missing item, and those with a score at ``max_missing``.

    Examples
    --------
    >>> from helpers.instruments import load_instrument
    >>> from helpers.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> full = {f"starp_{i:02d}": 2 for i in range(1, 13)}
    >>> gaps = dict(full, starp_10=None, starp_11=None)   # two of three items missing
    >>> t = missing_table(pd.DataFrame([full, gaps]), starp)
    >>> t.loc[t.subscale == "Non-Supportive Clinician Input", ["n", "n_complete", "n_scored"]].iloc[0].tolist()
    [2, 1, 1]
    """
    items = item_matrix(data, instrument)
    scores = score_scales(data, instrument, max_missing=max_missing)
    rows = []
    for scale, members in instrument.scales.items():
        n_complete = int(items[list(members)].notna().all(axis=1).sum())
        rows.append({"measure": instrument.id, "subscale": scale, "n_items": len(members),
                     "n": int(len(items)), "n_complete": n_complete,
                     "n_scored": int(scores[scale].notna().sum())})
    out = pd.DataFrame(rows)
    out.insert(5, "share_missing", 1.0 - out["n_complete"] / out["n"].where(out["n"] > 0))
    return out


def _shape(values: np.ndarray) -> dict:
    n = values.size
    with warnings.catch_warnings():
        # Constant data: scipy warns of catastrophic cancellation and returns NaN.
        warnings.simplefilter("ignore", RuntimeWarning)
        skew = float(stats.skew(values, bias=False)) if n >= 3 else np.nan
        kurt = float(stats.kurtosis(values, fisher=True, bias=False)) if n >= 4 else np.nan
    return {"n": int(n), "skewness": skew, "kurtosis": kurt}


def normality_table(
    scores: pd.DataFrame, value: str = "score", by: str | Sequence[str] | None = ("measure", "subscale")
) -> pd.DataFrame:
    """Skewness and excess kurtosis per outcome, with SPSS's bias-corrected estimators.

    Skewness is ``G1 = g1 * sqrt(n (n - 1)) / (n - 2)`` and kurtosis the adjusted
    Fisher-Pearson ``G2`` (0 for a normal distribution), as computed by
    ``scipy.stats.skew(bias=False)`` and ``scipy.stats.kurtosis(bias=False)``.
    Missing values are dropped.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores, e.g. from :func:`helpers.scoring.score_long`.
    value : str, default "score"
        Column holding the values.
    by : str or sequence of str, optional
        Columns that identify an outcome; ``None`` treats all rows as one outcome.

    Returns
    -------
    DataFrame
        Columns ``[by...], n, skewness, kurtosis, beyond_1, beyond_2``; ``beyond_1`` flags
        ``|skewness| > 1`` or ``|kurtosis| > 1``, ``beyond_2`` the same at 2.

    Examples
    --------
    >>> df = pd.DataFrame({"measure": "X", "subscale": "Total", "score": [1.0, 2, 3, 4, 10]})
    >>> print(normality_table(df).round(3).to_string(index=False))
    measure subscale  n  skewness  kurtosis  beyond_1  beyond_2
          X    Total  5     1.697     3.152      True      True
    """
    by_cols = as_list(by)
    rows = []
    groups = scores.groupby(by_cols, observed=True, sort=False) if by_cols else [((), scores)]
    for key, frame in groups:
        key = key if isinstance(key, tuple) else (key,)
        values = pd.to_numeric(frame[value], errors="coerce").dropna().to_numpy(dtype=float)
        rows.append({**dict(zip(by_cols, key)), **_shape(values)})
    out = pd.DataFrame(rows, columns=[*by_cols, "n", "skewness", "kurtosis"])
    worst = pd.concat([out["skewness"].abs(), out["kurtosis"].abs()], axis=1).max(axis=1)
    out["beyond_1"] = (worst > 1).astype(bool)
    out["beyond_2"] = (worst > 2).astype(bool)
    return out
