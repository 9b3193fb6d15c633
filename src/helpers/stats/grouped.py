"""Grouped counts, means and centred sums of squares in one vectorised sweep over a matrix.

The building block of the one-way ANOVA, the Tukey-Kramer test and Cronbach's alpha: for each
group and each column, the number of rows, the mean and the sum of squared deviations from the
group mean (two passes over blocks of rows, so that memory stays small whatever the number of
rows and the deviations are taken from the exact group means).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["BLOCK_ROWS", "group_codes", "grouped_moments"]

#: Rows handled at a time: bounds the temporary memory of a sweep (a block of the matrix).
BLOCK_ROWS = 1 << 14


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
