"""Scale scores with person-mean replacement of missing items.

Scores of every scale come from one sweep over the item matrix, block by block (matrix
products of the present and filled items with the scales' membership matrix), with no loop over
participants. A missing item is replaced by the mean of the participant's available items on the
same scale, provided no more than a set share of the scale's items is missing; above
that share the score is missing. Sum scores are prorated: the person mean times the
number of items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .grouped import BLOCK_ROWS, sweep_threads

if TYPE_CHECKING:
    from ..io import Instrument

__all__ = ["item_matrix", "item_values", "max_missing_items", "score_long", "score_scales"]


def max_missing_items(n_items: int, max_missing: float) -> int:
    """Largest number of missing items allowed on a scale of ``n_items``.

    Parameters
    ----------
    n_items : int
        Items of the scale.
    max_missing : float
        Largest share of the items that may be missing, from 0 to 1.

    Returns
    -------
    int
        ``floor(n_items * max_missing)``.

    Notes
    -----
    Counting items rather than comparing floating-point shares keeps a share that
    equals the threshold (3 of 10 at 0.3) on the allowed side.

    Examples
    --------
    >>> max_missing_items(10, 0.3), max_missing_items(3, 0.5), max_missing_items(36, 0.0)
    (3, 1, 0)
    """
    if not 0.0 <= max_missing <= 1.0:
        raise ValueError(f"max_missing must be a share between 0 and 1, got {max_missing!r}")
    return int(np.floor(n_items * max_missing + 1e-9))


def item_matrix(data: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Item responses ready for scoring: missing codes as NaN, reversed items flipped.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns.
    instrument : Instrument

    Returns
    -------
    DataFrame
        Float columns, one per item, on the scored metric (higher = the scale's positive pole).

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> row = {f"starp_{i:02d}": 1 for i in range(1, 13)}
    >>> item_matrix(pd.DataFrame([row]), starp)[["starp_01", "starp_10"]].iloc[0].tolist()
    [1.0, 3.0]
    """
    return pd.DataFrame(item_values(data, instrument), index=data.index, columns=list(instrument.items))


def item_values(data: pd.DataFrame, instrument: Instrument) -> np.ndarray:
    """The array of :func:`item_matrix` (rows: participants, columns: the instrument's items), built in
    one copy of the item columns.

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> item_values(pd.DataFrame([{f"starp_{i:02d}": 1 for i in range(1, 13)}]), starp)[0, [0, 9]].tolist()
    [1.0, 3.0]
    """
    absent = [i for i in instrument.items if i not in data.columns]
    if absent:
        raise KeyError(f"{instrument.id}: item columns missing from the data: {', '.join(absent)}")
    values = np.empty((len(data), len(instrument.items)))
    for j, item in enumerate(instrument.items):  # column by column: the items are copied once
        column = data[item]
        if not pd.api.types.is_numeric_dtype(column.dtype):
            column = pd.to_numeric(column, errors="coerce")
        values[:, j] = column.to_numpy(dtype=float, na_value=np.nan)
    if instrument.missing_codes:
        values[np.isin(values, list(instrument.missing_codes))] = np.nan
    if instrument.reversed:
        position = {name: j for j, name in enumerate(instrument.items)}
        reversed_columns = [position[i] for i in instrument.reversed]
        values[:, reversed_columns] = instrument.min + instrument.max - values[:, reversed_columns]
    return values


def score_scales(data: pd.DataFrame, instrument: Instrument, *, max_missing: float) -> pd.DataFrame:
    """Score every scale of ``instrument`` with person-mean replacement.

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's item columns (raw responses).
    instrument : Instrument
    max_missing : float
        Largest share of a scale's items that may be missing and replaced by the
        participant's own mean of the available items. ``0`` gives complete cases.

    Returns
    -------
    DataFrame
        Same index as ``data``; one column per scale (subscales, then the total).
        Mean-scored scales are item means; sum-scored scales are the person mean
        times the number of items. NaN where too many items are missing.

    Notes
    -----
    Person-mean imputation (also called ipsative mean or "prorating") is unbiased when
    items are exchangeable and missingness is unrelated to the missing response; it
    performs well when few items of a scale are missing (Schafer & Graham, 2002;
    Downey & King, 1998).

    References
    ----------
    .. [1] Schafer, J. L. & Graham, J. W. (2002). Missing data: our view of the state of
       the art. *Psychological Methods*, 7(2), 147-177.
    .. [2] Downey, R. G. & King, C. V. (1998). Missing data in Likert ratings: a
       comparison of replacement methods. *Journal of General Psychology*, 125(2), 175-191.

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> row = {f"starp_{i:02d}": 4 for i in range(1, 13)}
    >>> row["starp_01"] = None                      # one missing item of six
    >>> row.update(starp_10=0, starp_11=0, starp_12=0)  # reversed items: 0 scores 4
    >>> score_scales(pd.DataFrame([row]), starp, max_missing=0.5).iloc[0].tolist()
    [24.0, 12.0, 12.0, 48.0]
    """
    values = item_values(data, instrument)
    column = {name: k for k, name in enumerate(instrument.items)}
    scales = list(instrument.scales.items())
    membership = np.zeros((values.shape[1], len(scales)))
    for j, (_, members) in enumerate(scales):
        membership[[column[i] for i in members], j] = 1.0
    n_items = membership.sum(axis=0)
    allowed = np.array([max_missing_items(int(k), max_missing) for k in n_items])
    scores = np.empty((len(values), len(scales)))
    with sweep_threads(len(values)):
        for start in range(0, len(values), BLOCK_ROWS):
            block = values[start : start + BLOCK_ROWS]
            present = ~np.isnan(block)
            n_present = present.astype(float) @ membership
            total = np.where(present, block, 0.0) @ membership
            ok = (n_items - n_present <= allowed) & (n_present > 0)
            person_mean = np.divide(total, n_present, out=np.full(total.shape, np.nan), where=ok)
            scores[start : start + BLOCK_ROWS] = person_mean * n_items if instrument.scoring == "sum" else person_mean
    return pd.DataFrame(scores, index=data.index, columns=[name for name, _ in scales])


def score_long(
    data: pd.DataFrame,
    instruments: dict[str, Instrument] | list[Instrument],
    group: str,
    *,
    max_missing: float,
    keep: tuple[str, ...] = ("participant_id", "site"),
) -> pd.DataFrame:
    """Scores of every instrument a group completed, in long (tidy) form.

    Parameters
    ----------
    data : DataFrame
        One group's questionnaire data.
    instruments : dict or list of Instrument
        Only those whose ``groups`` include ``group`` are scored.
    group : str
        ``"service_users"`` or ``"care_coordinators"``.
    max_missing : float
        See :func:`score_scales`.
    keep : tuple of str
        Participant columns carried into the result.

    Returns
    -------
    DataFrame
        Columns ``group, measure, subscale`` plus ``keep`` plus ``score`` (NaN kept,
        so every participant appears once per outcome).

    Examples
    --------
    >>> from helpers.io import load_instrument
    >>> from helpers.io.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> data = pd.DataFrame([{"participant_id": "p1", "site": "a", **{f"starp_{i:02d}": 2 for i in range(1, 13)}}])
    >>> long = score_long(data, [starp], "service_users", max_missing=0.5)
    >>> long[["measure", "subscale", "score"]].tail(1).to_numpy().tolist()
    [['STAR-P', 'Total', 24.0]]
    """
    if isinstance(instruments, dict):
        instruments = list(instruments.values())
    frames = []
    for inst in instruments:
        if group not in inst.groups:
            continue
        wide = score_scales(data, inst, max_missing=max_missing)
        n = len(wide)
        long = pd.concat([data.loc[:, list(keep)]] * wide.shape[1], ignore_index=True)
        long.insert(0, "subscale", np.repeat(np.array(wide.columns, dtype=object), n))
        long.insert(0, "measure", inst.id)
        long["score"] = wide.to_numpy().ravel(order="F")
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "group", group)
    return out[["group", "measure", "subscale", *keep, "score"]]
