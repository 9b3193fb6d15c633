"""Exact test of independence in an r x c contingency table (Fisher-Freeman-Halton)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import special

__all__ = ["fisher_exact_rxc"]

#: Tables whose log-probability exceeds the observed one's by less than this count as
#: equally probable (floating-point ties; the relative tolerance of R's fisher.test).
LOG_TOLERANCE = 1e-7


def _compositions(total: int, bounds: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Every split of ``total`` into ``len(bounds)`` non-negative parts, part i at most ``bounds[i]``."""
    if len(bounds) == 1:
        if total <= bounds[0]:
            yield (total,)
        return
    rest = sum(bounds[1:])
    for first in range(max(0, total - rest), min(total, bounds[0]) + 1):
        for tail in _compositions(total - first, bounds[1:]):
            yield (first, *tail)


def _count_tables(rows: tuple[int, ...], cols: list[int], limit: int) -> int | None:
    """Number of tables of non-negative integers with these margins; None beyond ``limit``.

    Every partial table (the first columns filled, row totals not exceeded) completes to at
    least one table, so the count can stop as soon as the partial tables exceed ``limit``.
    """
    states = {rows: 1}
    for col in cols[:-1]:
        nxt: dict[tuple[int, ...], int] = defaultdict(int)
        partial = 0
        for state, count in states.items():
            for cells in _compositions(col, state):
                nxt[tuple(s - c for s, c in zip(state, cells))] += count
                partial += count
                if partial > limit:
                    return None
        states = nxt
    return sum(states.values())


def _table_log_terms(rows: tuple[int, ...], cols: list[int]) -> np.ndarray:
    """``-sum log(n_ij!)`` of every table with these margins, built column by column."""
    states = {rows: np.zeros(1)}
    for col in cols[:-1]:
        nxt: dict[tuple[int, ...], list[np.ndarray]] = defaultdict(list)
        for state, terms in states.items():
            for cells in _compositions(col, state):
                step = float(special.gammaln(np.asarray(cells) + 1.0).sum())
                nxt[tuple(s - c for s, c in zip(state, cells))].append(terms - step)
        states = {state: np.concatenate(parts) for state, parts in nxt.items()}
    # The last column holds what remains of each row.
    return np.concatenate(
        [terms - float(special.gammaln(np.asarray(state) + 1.0).sum()) for state, terms in states.items()]
    )


def fisher_exact_rxc(table, *, max_tables: int = 5_000_000) -> pd.DataFrame:
    """Fisher's exact test of independence for an r x c table (Freeman-Halton extension).

    Parameters
    ----------
    table : array-like of int, 2-D
        Counts, e.g. accounts with and without a code (rows) per site (columns). Rows
        and columns without any count are dropped.
    max_tables : int, default 5,000,000
        Largest number of tables enumerated; beyond it ``n_tables`` and ``p`` are NaN
        (not computed).

    Returns
    -------
    DataFrame
        One row: ``n_rows, n_cols, n, n_tables, p_table, p`` where ``n_rows`` and ``n_cols``
        count the rows and columns with data, ``n`` the total count, ``n_tables`` the
        tables with the observed margins, ``p_table`` the probability of the observed
        table and ``p`` the exact p value. With fewer than two rows or two columns with
        data there is a single table and ``p = 1``.

    Notes
    -----
    Conditional on both margins, under independence a table has the multivariate
    hypergeometric probability

    .. math:: P = \\frac{\\prod_i R_i! \\prod_j C_j!}{N! \\prod_{ij} n_{ij}!}

    (Fisher, 1935). The p value is the total probability of the tables no more probable
    than the observed one (Freeman & Halton, 1951), every table being enumerated column
    by column; probabilities within a relative ``1e-7`` of the observed one count as
    equal, as in R's ``fisher.test``. For a 2 x 2 table this is the two-sided p value of
    :func:`scipy.stats.fisher_exact`; for larger tables scipy offers only a Monte Carlo
    or observation-permutation approximation, which this enumeration makes exact.

    References
    ----------
    .. [1] Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal
       Statistical Society*, 98(1), 39-82.
    .. [2] Freeman, G. H. & Halton, J. H. (1951). Note on an exact treatment of
       contingency, goodness of fit and other problems of significance. *Biometrika*,
       38(1-2), 141-149.

    Examples
    --------
    A code carried by 3 of 3 accounts at one site and 0 of 3 at another:

    >>> res = fisher_exact_rxc([[3, 0], [0, 3]])
    >>> int(res.at[0, "n_tables"]), round(float(res.at[0, "p"]), 4)
    (4, 0.1)
    >>> float(fisher_exact_rxc([[1, 1, 1], [1, 1, 1]]).at[0, "p"])
    1.0
    """
    counts = np.asarray(table)
    if counts.ndim != 2:
        raise ValueError(f"table must be two-dimensional, got {counts.ndim} dimension(s)")
    if np.any(counts < 0) or not np.all(np.equal(np.mod(counts, 1), 0)):
        raise ValueError("table must hold non-negative whole counts")
    counts = counts.astype(np.int64)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    n_rows, n_cols = counts.shape
    row = {
        "n_rows": int(n_rows),
        "n_cols": int(n_cols),
        "n": int(counts.sum()),
        "n_tables": 1,
        "p_table": 1.0,
        "p": 1.0,
    }
    if n_rows < 2 or n_cols < 2:
        return pd.DataFrame([row])
    if n_rows > n_cols:
        counts = counts.T  # fewer rows: fewer states per column
    rows = tuple(int(v) for v in counts.sum(axis=1))
    cols = [int(v) for v in counts.sum(axis=0)]
    constant = float(
        special.gammaln(np.asarray(rows) + 1.0).sum()
        + special.gammaln(np.asarray(cols) + 1.0).sum()
        - special.gammaln(row["n"] + 1.0)
    )
    observed = constant - float(special.gammaln(counts + 1.0).sum())
    n_tables = _count_tables(rows, cols, max_tables)
    row["p_table"] = float(np.exp(observed))
    if n_tables is None:
        row.update(n_tables=float("nan"), p=float("nan"))
        return pd.DataFrame([row])
    row["n_tables"] = n_tables
    log_p = constant + _table_log_terms(rows, cols)
    tail = log_p[log_p <= observed + LOG_TOLERANCE]
    row["p"] = float(min(1.0, round(float(np.exp(tail).sum()), 12)))
    return pd.DataFrame([row])
