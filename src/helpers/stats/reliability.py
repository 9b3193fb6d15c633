"""Internal consistency: Cronbach's alpha with Feldt's confidence interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pingouin as pg

from .columns import as_list
from .quiet import quiet
from .scoring import item_matrix

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
    Rows with any missing item are dropped *before* calling
    :func:`pingouin.cronbach_alpha`, so that both alpha and the degrees of freedom of
    the interval use the complete-case count ``n``.

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
    complete = items.astype(float).dropna(axis=0, how="any")
    n_items, n_complete = items.shape[1], len(complete)
    out = {"n_items": int(n_items), "n_complete": int(n_complete), "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    if n_items < 2 or n_complete < 2:
        return out
    with quiet():
        # Constant items give a zero total variance: alpha is then undefined (NaN / inf).
        alpha, (low, high) = pg.cronbach_alpha(data=complete, nan_policy="listwise", ci=confidence)
    out.update(alpha=float(alpha), ci_low=float(low), ci_high=float(high))
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
    items = item_matrix(data, instrument)
    group_cols = as_list(groupby)
    groups = items.groupby([data[c] for c in group_cols], observed=True, sort=True) if group_cols else [((), items)]
    rows = []
    for key, frame in groups:
        key = key if isinstance(key, tuple) else (key,)
        for scale, members in instrument.scales.items():
            row = {"measure": instrument.id, "subscale": scale, **dict(zip(group_cols, key))}
            row.update(cronbach_alpha(frame[list(members)], confidence=confidence))
            rows.append(row)
    columns = ["measure", "subscale", *group_cols, "n_items", "n_complete", "alpha", "ci_low", "ci_high"]
    out = pd.DataFrame(rows, columns=columns)
    out["acceptable"] = (out["alpha"] >= acceptable).astype(bool)
    return out
