"""Grouped counts, means and centred sums of squares in one vectorised sweep over a matrix.

The building block of the one-way ANOVA, the Tukey-Kramer test and Cronbach's alpha: for each
group and each column, the number of rows, the mean and the sum of squared deviations from the
group mean (two passes over blocks of rows, so that memory stays small whatever the number of
rows and the deviations are taken from the exact group means). :func:`set_moments` does the
same for several sets of columns at once (the scales of a questionnaire), each set on the rows
complete in it, in the same two passes.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

__all__ = ["BLOCK_ROWS", "group_codes", "grouped_moments", "set_moments", "sweep_threads"]

#: Rows handled at a time: bounds the temporary memory of a sweep (a block of the matrix).
BLOCK_ROWS = 1 << 14

#: The thread pools of the numerical libraries loaded (NumPy's BLAS), inspected once.
_POOLS = ThreadpoolController()


def sweep_threads(rows: int) -> AbstractContextManager:
    """One BLAS thread while a sweep over more than one block of rows runs (nothing changes for smaller data).

    The matrix products of a sweep are thin (a few groups by one block of rows): extra BLAS threads
    gain nothing there, and while another process holds a core their waiting made the sweeps of a
    million rows three to four times slower.
    """
    return _POOLS.limit(limits=1, user_api="blas") if rows > BLOCK_ROWS else nullcontext()


def group_codes(labels: pd.Series) -> tuple[np.ndarray, list]:
    """Integer code of each row's group (-1: missing) and the groups in pandas' ``groupby`` order.

    Groups are sorted (categories in their order for a categorical column); only groups present
    in the data are kept, as ``groupby(..., observed=True)`` does.

    Examples
    --------
    >>> codes, groups = group_codes(pd.Series(["b", "a", None, "b"]))
    >>> codes.tolist(), groups
    ([1, 0, -1, 1], ['a', 'b'])
    """
    codes, uniques = pd.factorize(labels, sort=True)
    if isinstance(labels.dtype, pd.CategoricalDtype):
        present = np.unique(codes[codes >= 0])
        remap = np.full(len(uniques), -1)
        remap[present] = np.arange(len(present))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        uniques = uniques[present]
    return codes.astype(np.intp), list(uniques)


def grouped_moments(
    values: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    columns: np.ndarray | None = None,
    total: bool = False,
) -> tuple[np.ndarray, ...]:
    """Count, mean and centred sum of squares of every column within each group.

    Parameters
    ----------
    values : ndarray, shape (n,) or (n, m)
        The data; rows whose code is negative are left out (they may hold NaN).
    codes : ndarray of int, shape (n,)
        Group of each row, from 0 to ``n_groups - 1``; negative: left out.
    n_groups : int
    columns : ndarray of int, optional
        Only these columns of a matrix (taken block by block: the selection is never copied whole).
    total : bool
        Add, as a last column, the sum of the (selected) columns of each row.

    Returns
    -------
    count : ndarray, shape (n_groups,)
    mean, ss : ndarray, shape (n_groups,) or (n_groups, m)
        Group means and sums of squared deviations from them (NaN for an empty group).

    Notes
    -----
    The sums are accumulated block by block (:data:`BLOCK_ROWS` rows) with a one-hot matrix
    product; the squared deviations are taken in a second sweep from the group means of the
    first, which keeps the variance accurate when the mean is large relative to the spread
    (Chan, Golub & LeVeque, 1983).

    References
    ----------
    .. [1] Chan, T. F., Golub, G. H. & LeVeque, R. J. (1983). Algorithms for computing the sample
       variance: analysis and recommendations. *The American Statistician*, 37(3), 242-247.

    Examples
    --------
    >>> count, mean, ss = grouped_moments(np.array([1.0, 2.0, 3.0, 10.0, np.nan]), np.array([0, 0, 0, 1, -1]), 2)
    >>> count.tolist(), mean.tolist(), ss.tolist()
    ([3, 1], [2.0, 10.0], [2.0, 0.0])
    """
    matrix = values[:, None] if values.ndim == 1 else values
    codes = np.asarray(codes)
    count = np.bincount(codes[codes >= 0], minlength=n_groups)[:n_groups]
    width = (matrix.shape[1] if columns is None else len(columns)) + int(total)
    sums = np.zeros((n_groups, width))
    blocks = [slice(start, start + BLOCK_ROWS) for start in range(0, len(matrix), BLOCK_ROWS)]
    groups = np.arange(n_groups)

    def rows(block: slice) -> np.ndarray:
        chunk = matrix[block] if columns is None else matrix[block][:, columns]
        chunk = np.where(codes[block, None] >= 0, chunk, 0.0)
        return np.column_stack([chunk, chunk.sum(axis=1)]) if total else chunk

    with sweep_threads(len(matrix)):
        for block in blocks:
            member = (codes[block, None] == groups).astype(float)
            sums += member.T @ rows(block)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / count[:, None]
        ss = np.zeros_like(sums)
        for block in blocks:
            member = (codes[block, None] == groups).astype(float)
            inside = codes[block] >= 0
            deviation = np.where(inside[:, None], rows(block) - mean[np.maximum(codes[block], 0)], 0.0)
            ss += member.T @ (deviation * deviation)
    ss[count == 0] = np.nan
    if values.ndim == 1 and not total:
        return count, mean[:, 0], ss[:, 0]
    return count, mean, ss


def set_moments(
    values: np.ndarray, codes: np.ndarray, n_groups: int, sets: list[np.ndarray]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Count and centred sums of squares of each set of columns and of its row total, within each
    group, on the rows complete in that set: every set in one sweep over the matrix.

    Parameters
    ----------
    values : ndarray, shape (n, m)
        The data (NaN: missing).
    codes : ndarray of int, shape (n,)
        Group of each row, from 0 to ``n_groups - 1``; negative: left out of every set.
    n_groups : int
    sets : list of ndarray of int
        Column indices of each set (e.g. the items of each scale; sets may share columns).

    Returns
    -------
    list of (count, ss)
        Per set: ``count``, shape (n_groups,), the rows of each group with no missing value in
        the set, and ``ss``, shape (n_groups, k + 1), the sums of squared deviations from the
        group means of the set's k columns, then of their row total (NaN for an empty group).

    Notes
    -----
    For each set this is :func:`grouped_moments` of its columns with ``total=True`` on the
    rows complete in the set, computed for all sets in one sweep: each block of rows is read
    once, the sets' columns are gathered side by side with their row totals (one product with
    the sets' membership matrix), rows incomplete in a set are zeroed in that set's columns,
    and one-hot products give the grouped sums and sums of squares of every set. The values are
    first shifted by the column means of the first block's complete rows, so that the centred
    sums of squares taken from the shifted sums keep the precision of the two-pass sums of
    squared deviations of :func:`grouped_moments` (the shift is near the mean; Chan, Golub &
    LeVeque, 1983).

    References
    ----------
    .. [1] Chan, T. F., Golub, G. H. & LeVeque, R. J. (1983). Algorithms for computing the sample
       variance: analysis and recommendations. *The American Statistician*, 37(3), 242-247.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0, 4.0], [2.0, np.nan, 5.0], [3.0, 4.0, 9.0], [4.0, 6.0, 7.0]])
    >>> (count, ss), = set_moments(x, np.array([0, 0, 0, 0]), 1, [np.array([0, 1])])
    >>> count.tolist(), ss.round(3).tolist()
    ([3], [[4.667, 8.0, 24.667]])
    """
    matrix, codes = np.asarray(values, dtype=float), np.asarray(codes)
    sizes = [len(columns) for columns in sets]
    membership = np.zeros((matrix.shape[1], len(sets)))
    for j, columns in enumerate(sets):
        membership[columns, j] = 1.0
    gathered = np.concatenate([np.asarray(columns, dtype=np.intp) for columns in sets] or [np.zeros(0, np.intp)])
    # The set of each gathered column: its items, then (after every set's items) its total.
    owner = np.concatenate([np.repeat(np.arange(len(sets)), sizes), np.arange(len(sets))]).astype(np.intp)
    wanted = np.array(sizes, dtype=float)
    groups = np.arange(n_groups)
    width = len(owner)
    sums, squares = np.zeros((n_groups, width)), np.zeros((n_groups, width))
    count = np.zeros((n_groups, len(sets)))
    shift = None
    with sweep_threads(len(matrix)):
        for start in range(0, len(matrix), BLOCK_ROWS):
            block = slice(start, start + BLOCK_ROWS)
            chunk = matrix[block]
            present = ~np.isnan(chunk)
            filled = np.where(present, chunk, 0.0)
            complete = (present.astype(float) @ membership == wanted) & (codes[block, None] >= 0)
            inside = complete[:, owner]
            wide = np.concatenate([filled[:, gathered], filled @ membership], axis=1)
            if shift is None:
                with np.errstate(invalid="ignore", divide="ignore"):
                    shift = np.nan_to_num((wide * inside).sum(axis=0) / inside.sum(axis=0))
            wide = (wide - shift) * inside
            member = (codes[block, None] == groups).astype(float)
            sums += member.T @ wide
            squares += member.T @ (wide * wide)
            count += member.T @ complete
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = np.maximum(squares - sums * sums / count[:, owner], 0.0)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    out = []
    for j in range(len(sets)):
        own = np.r_[starts[j] : starts[j + 1], starts[-1] + j]
        set_ss = ss[:, own]
        set_ss[count[:, j] == 0] = np.nan
        out.append((count[:, j].astype(np.intp), set_ss))
    return out
