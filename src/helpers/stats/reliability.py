"""Internal consistency: Cronbach's alpha with Feldt's confidence interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .grouped import set_moments
from .quiet import quiet
from .scoring import item_values

if TYPE_CHECKING:
    from ..io import Instrument

__all__ = ["cronbach_alpha", "cronbach_alpha_table"]


def cronbach_alpha(items: pd.DataFrame, *, confidence: float) -> dict:
    """Cronbach's alpha of the complete cases of ``items`` with Feldt's confidence interval.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per participant (NaN = missing).
    confidence : float
        Confidence level of the interval, e.g. 0.95.

    Returns
    -------
    dict
        ``n_items``, ``n_complete``, ``alpha``, ``ci_low``, ``ci_high`` (NaN when fewer
        than two items or two complete cases; interval bounds as pingouin rounds them,
        to 3 decimals).

    Notes
    -----
    With :math:`k` items, item variances :math:`s_i^2` and total-score variance
    :math:`s_T^2`,

    .. math:: \\alpha = \\frac{k}{k - 1}\\left(1 - \\frac{\\sum_i s_i^2}{s_T^2}\\right)

    (Cronbach, 1951). Feldt's (1965) interval follows from
    :math:`(1 - \\alpha)/(1 - \\hat\\alpha) \\sim F(n - 1, (n - 1)(k - 1))`.
    Rows with any missing item are dropped, so that both alpha and the degrees of freedom of
    the interval use the complete-case count ``n``. The item variances and the variance of the
    total come from one sweep over the item matrix
    (:func:`helpers.stats.grouped.set_moments`, every scale of :func:`cronbach_alpha_table` in
    the same sweep); alpha equals
    :func:`pingouin.cronbach_alpha` on the complete cases, to rounding, and the interval is
    pingouin's, rounded to 3 decimals. When the interval is narrower than that rounding step
    (many thousands of participants), a bound that rounding would carry past alpha is rounded
    outwards instead, so that the interval always contains alpha.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
       tests. *Psychometrika*, 16(3), 297-334.
    .. [2] Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
       reliability coefficient twenty. *Psychometrika*, 30(3), 357-370.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 5], "c": [1, 3, 3, 5, np.nan]})
    >>> res = cronbach_alpha(items, confidence=0.95)
    >>> res["n_complete"], round(res["alpha"], 4), res["ci_low"], res["ci_high"]
    (4, 0.9333, 0.56, 0.995)
    """
    values = items.to_numpy(dtype=float)
    return _alphas(values, np.zeros(len(values), dtype=np.intp), 1, [np.arange(values.shape[1])], confidence)[0][0]


def _feldt(alpha: np.ndarray, n: np.ndarray, k: int, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Feldt's interval of alpha, rounded to 3 decimals as pingouin does, never excluding alpha."""
    tail = 1 - confidence
    df1 = n - 1.0
    df2 = df1 * (k - 1)
    low = np.round(1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2), 3)
    high = np.round(1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2), 3)
    # With very many participants the interval is narrower than the rounding step, and a bound
    # rounded to the nearest thousandth can pass the estimate: round such a bound outwards.
    low = np.where(low > alpha, np.floor(alpha * 1000) / 1000, low)
    high = np.where(high < alpha, np.ceil(alpha * 1000) / 1000, high)
    return low, high


def _alphas(values: np.ndarray, codes: np.ndarray, n_groups: int, scales: list, confidence: float) -> list:
    """Per scale (column indices of ``values``), alpha and interval of its complete cases within
    each group (rows coded -1 left out): one list of rows per scale, one row per group."""
    moments = set_moments(values, codes, n_groups, [columns for columns in scales if len(columns) >= 2])
    out = []
    for columns in scales:
        k = len(columns)
        empty = {"n_items": int(k), "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        if k < 2:
            inside = (codes >= 0) & ~np.isnan(values[:, columns]).any(axis=1)
            counts = np.bincount(codes[inside], minlength=n_groups)[:n_groups]
            out.append([{**empty, "n_complete": int(c)} for c in counts])
            continue
        count, ss = moments.pop(0)
        with quiet():
            variance = ss / (count[:, None] - 1.0)
            alpha = (k / (k - 1)) * (1 - variance[:, :k].sum(axis=1) / variance[:, k])
            low, high = _feldt(alpha, count, k, confidence)
        rows = []
        for g in range(n_groups):
            row = {**empty, "n_complete": int(count[g])}
            if count[g] >= 2:
                row.update(alpha=float(alpha[g]), ci_low=float(low[g]), ci_high=float(high[g]))
            rows.append({key: row[key] for key in ("n_items", "n_complete", "alpha", "ci_low", "ci_high")})
        out.append(rows)
    return out


def cronbach_alpha_table(
    data: pd.DataFrame,
    instrument: Instrument,
    groupby: str | None = None,
    *,
    confidence: float,
    acceptable: float,
) -> pd.DataFrame:
    """Cronbach's alpha of every scale of an instrument, on complete cases of its items.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns (raw responses;
        missing codes become NaN and reversed items are flipped by
        :func:`helpers.stats.item_matrix`).
    instrument : Instrument
    groupby : str, optional
        A column of ``data`` (e.g. ``"site"``): alpha is computed within each group.
    confidence : float
        Confidence level of Feldt's interval.
    acceptable : float
        Smallest acceptable alpha (e.g. 0.7).

    Returns
    -------
    DataFrame
        Columns ``measure, subscale, [groupby], n_items, n_complete, alpha, ci_low,
        ci_high, acceptable`` (``acceptable`` is ``alpha >= acceptable``; False when
        alpha is NaN).

    Notes
    -----
    See :func:`cronbach_alpha`. A conventional lower bound of acceptable internal
    consistency for group comparisons is 0.7 (Nunnally, 1978).

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
       tests. *Psychometrika*, 16(3), 297-334.
    .. [2] Nunnally, J. C. (1978). *Psychometric Theory* (2nd ed.). McGraw-Hill.

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> rows = [{f"starp_{i:02d}": (k + (i % 2)) % 5 for i in range(1, 13)} for k in range(8)]
    >>> table = cronbach_alpha_table(pd.DataFrame(rows), starp, confidence=0.95, acceptable=0.7)
    >>> print(table[["subscale", "n_items", "n_complete", "acceptable"]].to_string(index=False))
                          subscale  n_items  n_complete  acceptable
            Positive Collaboration        6           8        True
          Positive Clinician Input        3           8       False
    Non-Supportive Clinician Input        3           8        True
                             Total       12           8       False
    """
    values = item_values(data, instrument)
    group_cols = as_list(groupby)
    if group_cols:
        grouper = data.groupby(group_cols, observed=True, sort=True, dropna=True)
        codes = grouper.ngroup().fillna(-1).to_numpy(dtype=np.intp)
        keys = [k if isinstance(k, tuple) else (k,) for k in grouper.size().index]
    else:
        codes, keys = np.zeros(len(values), dtype=np.intp), [()]
    column = {name: j for j, name in enumerate(instrument.items)}
    scales = [np.array([column[i] for i in members], dtype=np.intp) for members in instrument.scales.values()]
    per_scale = dict(zip(instrument.scales, _alphas(values, codes, len(keys), scales, confidence)))
    rows = []
    for g, key in enumerate(keys):
        for scale in instrument.scales:
            rows.append(
                {"measure": instrument.id, "subscale": scale, **dict(zip(group_cols, key)), **per_scale[scale][g]}
            )
    columns = ["measure", "subscale", *group_cols, "n_items", "n_complete", "alpha", "ci_low", "ci_high"]
    out = pd.DataFrame(rows, columns=columns)
    out["acceptable"] = (out["alpha"] >= acceptable).astype(bool)
    return out
