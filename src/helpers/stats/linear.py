"""Linear models of a group factor and covariates, fitted from one Householder QR decomposition.

The design of ``dv ~ C(between) + covariates`` (and, for the test of equal slopes, the
group x numeric-covariate interactions) is built with numpy and pandas, and ``[X y]`` is
factorised once, :math:`[X\\,y] = Q R`, by LAPACK's Householder QR. Every quantity the
ANCOVA and its checks need follows from the small :math:`(p+1) \\times (p+1)` triangle
:math:`R`, because :math:`[X\\,y]^T[X\\,y] = R^T R`: the residual sum of squares of any
sub-model (a subset of the columns), hence Type II sums of squares and nested-model F
tests, the coefficients and their covariance. The Householder vectors give the residuals
and :math:`Q^T v` for any other vector :math:`v` (the Breusch-Pagan regression) without
touching the :math:`n` rows again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg
from scipy.linalg import lapack

__all__ = [
    "ALIAS_TOLERANCE",
    "LinearFit",
    "coefficients",
    "design_columns",
    "estimable",
    "extra_sum_of_squares",
    "fit_linear",
    "independent_columns",
    "residuals",
    "rss_of_vector",
]

#: A column is aliased (left out, as R's ``lm`` does) when the part of it not explained by
#: the columns before it has a norm below this share of its own norm.
ALIAS_TOLERANCE = 1e-7


@dataclass(frozen=True)
class LinearFit:
    """The QR decomposition of ``[X y]`` of one linear model, and the names of X's columns.

    Attributes
    ----------
    n : int
        Rows (complete cases).
    names : list of str
        Column names of X (``Intercept``, ``site[T.b]``, ``age``, ``site[T.b]:age``, ...).
    terms : dict of str to list of int
        Each term's columns in X: ``"Intercept"``, the group factor, each covariate, and
        ``"between:covariate"`` for an interaction.
    means : ndarray
        Column means of X.
    factors : dict of str to list
        Levels of each factor (the first is the reference); ``between`` comes first.
    r : ndarray
        The upper triangle :math:`R` of ``[X y]``, :math:`(p+1) \\times (p+1)`.
    householder, tau : ndarray
        LAPACK's compact form of :math:`Q` (``geqrf``), used to apply :math:`Q` or :math:`Q^T`.
    """

    n: int
    names: list
    terms: dict
    means: np.ndarray
    factors: dict
    r: np.ndarray
    householder: np.ndarray
    tau: np.ndarray

    @property
    def p(self) -> int:
        """Columns of X."""
        return len(self.names)


def is_factor(column: pd.Series, listed: bool) -> bool:
    """Whether a column enters as a factor: listed as one, or not a number (text, category, bool).

    Examples
    --------
    >>> is_factor(pd.Series([1.0, 2.0]), False), is_factor(pd.Series(["a", "b"]), False)
    (False, True)
    """
    return listed or not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def levels_of(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes and the sorted levels present (a categorical keeps its order of categories).

    Examples
    --------
    >>> codes, levels = levels_of(pd.Series(["b", "a", "b"]))
    >>> codes.tolist(), levels
    ([1, 0, 1], ['a', 'b'])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.cat.remove_unused_categories()
        return np.asarray(column.cat.codes, dtype=np.intp), list(column.cat.categories)
    codes, uniques = pd.factorize(column, sort=True)
    return np.asarray(codes, dtype=np.intp), list(uniques)


def design_columns(
    clean: pd.DataFrame, between: str, covariates: Sequence[str], categorical: Sequence[str], slopes: Sequence[str]
) -> tuple[list, dict, dict, list]:
    """Names, terms, factor levels and builders of the columns of X (no missing values in ``clean``).

    Treatment coding with the first sorted level as reference; numeric covariates as they
    are; an interaction ``between:c`` is each non-reference group indicator times ``c``.
    The builders are callables returning one column each, so that X can be written
    straight into a preallocated array.
    """
    names, terms, factors, build = ["Intercept"], {"Intercept": [0]}, {}, [lambda: 1.0]
    numeric = {}
    for column in [between, *covariates]:
        values = clean[column]
        if column == between or is_factor(values, column in categorical):
            codes, levels = levels_of(values)
            factors[column] = levels
            terms[column] = list(range(len(names), len(names) + len(levels) - 1))
            for j, level in enumerate(levels[1:], start=1):
                names.append(f"{column}[T.{level}]")
                build.append(lambda codes=codes, j=j: (codes == j).astype(float))
        else:
            numeric[column] = values.to_numpy(dtype=float)
    for column, x in numeric.items():
        terms[column] = [len(names)]
        names.append(column)
        build.append(lambda x=x: x)
    codes, levels = levels_of(clean[between])
    for column in slopes:
        x = numeric[column]
        terms[f"{between}:{column}"] = list(range(len(names), len(names) + len(levels) - 1))
        for j, level in enumerate(levels[1:], start=1):
            names.append(f"{between}[T.{level}]:{column}")
            build.append(lambda codes=codes, j=j, x=x: np.where(codes == j, x, 0.0))
    return names, terms, factors, build


def fit_linear(
    clean: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
    slopes: Sequence[str] = (),
) -> LinearFit:
    """OLS of ``dv ~ C(between) + covariates [+ C(between):slopes]`` from one QR of ``[X y]``.

    Parameters
    ----------
    clean : DataFrame
        Complete cases (no missing value in ``dv``, ``between`` or a covariate).
    dv : str
        Outcome column.
    between : str
        Group factor.
    covariates : sequence of str
        Covariates, entered as numbers unless listed in ``categorical`` or not numeric.
    categorical : sequence of str
        Covariates entered as factors.
    slopes : sequence of str
        Numeric covariates whose interaction with ``between`` is added.

    Returns
    -------
    LinearFit

    Notes
    -----
    ``[X y]`` is written into one Fortran-ordered array and factorised in place by LAPACK's
    ``dgeqrf`` (Householder QR), which is backward stable: unlike the normal equations it
    does not square the condition number of X (Golub and Van Loan, 2013, section 5.3).

    References
    ----------
    .. [1] Golub, G. H., & Van Loan, C. F. (2013). *Matrix Computations* (4th ed.). Johns
       Hopkins University Press.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aabbcc"), "x": [1.0, 2, 3, 5, 4, 6], "y": [1.0, 2, 4, 5, 3, 6]})
    >>> fit = fit_linear(df, "y", "g", covariates=["x"], categorical=[])
    >>> fit.names
    ['Intercept', 'g[T.b]', 'g[T.c]', 'x']
    >>> round(extra_sum_of_squares(fit, [0, 1, 2, 3], [])[2], 4)  # residual sum of squares
    1.0
    """
    names, terms, factors, build = design_columns(clean, between, covariates, categorical, slopes)
    n, p = len(clean), len(names)
    a = np.empty((n, p + 1), order="F")
    for j, column in enumerate(build):
        a[:, j] = column()
    a[:, p] = clean[dv].to_numpy(dtype=float)
    means = a[:, :p].mean(axis=0) if n else np.full(p, np.nan)
    if n == 0:
        return LinearFit(0, names, terms, means, factors, np.zeros((p + 1, p + 1)), a, np.zeros(0))
    householder, tau, _, info = lapack.dgeqrf(a, overwrite_a=1)
    if info != 0:  # pragma: no cover - LAPACK reports an illegal argument only
        raise np.linalg.LinAlgError(f"dgeqrf failed with info={info}")
    r = np.zeros((p + 1, p + 1))
    rows = min(n, p + 1)
    r[:rows] = np.triu(householder[:rows])
    return LinearFit(n, names, terms, means, factors, r, householder, tau)


def independent_columns(fit: LinearFit, columns: Sequence[int]) -> list[int]:
    """The columns, in the order given, that are not aliased with those kept before them.

    A column is left out when the part of it orthogonal to the columns kept before it has
    a norm below :data:`ALIAS_TOLERANCE` times its own norm (the rule of R's ``lm``); a
    column of zeros is always left out.
    """
    columns = list(columns)
    norms = np.linalg.norm(fit.r[:, columns], axis=0) if columns else np.zeros(0)
    tri = linalg.qr(fit.r[:, columns], mode="r")[0] if columns else np.zeros((0, 0))
    diag = np.abs(np.diagonal(tri)) if columns else np.zeros(0)
    if len(diag) == len(columns) and np.all(diag > ALIAS_TOLERANCE * norms):
        return columns
    kept: list[int] = []
    for j, norm in zip(columns, norms):
        last = linalg.qr(fit.r[:, [*kept, j]], mode="r")[0]
        if last.shape[0] >= len(kept) + 1 and abs(last[len(kept), len(kept)]) > ALIAS_TOLERANCE * norm:
            kept.append(j)
    return kept


def _triangle(fit: LinearFit, columns: Sequence[int], last: np.ndarray) -> np.ndarray:
    """R of the small least-squares problem ``fit.r[:, columns]`` against the vector ``last``."""
    return linalg.qr(np.column_stack([fit.r[:, list(columns)], last]), mode="r")[0]


def extra_sum_of_squares(fit: LinearFit, base: Sequence[int], extra: Sequence[int]) -> tuple[float, int, float, int]:
    """What the columns ``extra`` add to the model of the columns ``base``.

    Returns
    -------
    ss : float
        Drop in the residual sum of squares, :math:`RSS(base) - RSS(base + extra)`.
    df : int
        Columns of ``extra`` not aliased with ``base`` (the difference of the ranks).
    rss : float
        Residual sum of squares of the model of ``base`` and ``extra``.
    rank : int
        Rank of that model.

    Notes
    -----
    The columns are reordered ``[base, extra, y]`` and the :math:`(p+1)`-row triangle
    re-triangularised; the entries of the last column in the rows of ``extra`` are the
    coordinates of the response along what ``extra`` adds, so the sum of squares is a sum
    of squares (sequential, Type I, for ``extra`` after ``base``) rather than a difference
    of two residual sums that would cancel digits.
    """
    kept_base = independent_columns(fit, base)
    kept = independent_columns(fit, [*kept_base, *extra])
    if fit.n == 0:
        return np.nan, len(kept) - len(kept_base), np.nan, len(kept)
    tri = _triangle(fit, kept, fit.r[:, -1])
    m, q = len(kept_base), len(kept)
    ss = float(np.sum(tri[m:q, -1] ** 2))
    rss = float(np.sum(tri[q:, -1] ** 2))
    return ss, q - m, rss, q


def coefficients(fit: LinearFit) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Coefficients, their unscaled covariance :math:`(X^TX)^{-1}` and the columns estimated.

    Aliased columns (see :func:`independent_columns`) get a coefficient of 0 and zero rows
    and columns in the covariance, as if left out of the model.
    """
    kept = independent_columns(fit, range(fit.p))
    tri = _triangle(fit, kept, fit.r[:, -1])
    q = len(kept)
    upper = tri[:q, :q]
    b = np.zeros(fit.p)
    b[kept] = linalg.solve_triangular(upper, tri[:q, -1])
    inverse = linalg.solve_triangular(upper, np.eye(q))
    cov = np.zeros((fit.p, fit.p))
    cov[np.ix_(kept, kept)] = inverse @ inverse.T
    return b, cov, kept


def estimable(fit: LinearFit, weights: np.ndarray, kept: Sequence[int]) -> np.ndarray:
    """Whether each row of ``weights`` is an estimable function of the coefficients.

    A row :math:`L` is estimable when it is orthogonal to the null space of X: for every
    aliased column :math:`x_a = X_K c_a`, :math:`L_a = L_K c_a` (Searle, 1971, chapter 5).

    References
    ----------
    .. [1] Searle, S. R. (1971). *Linear Models*. Wiley.
    """
    kept = list(kept)
    aliased = [j for j in range(fit.p) if j not in set(kept)]
    weights = np.atleast_2d(weights)
    if not aliased:
        return np.ones(len(weights), dtype=bool)
    tri = linalg.qr(fit.r[:, [*kept, *aliased]], mode="r")[0]
    q = len(kept)
    combos = linalg.solve_triangular(tri[:q, :q], tri[:q, q:])
    gap = weights[:, aliased] - weights[:, kept] @ combos
    scale = np.maximum(1.0, np.abs(weights).max(axis=1))
    return np.all(np.abs(gap) <= 1e-8 * scale[:, None], axis=1)


def _apply_q(fit: LinearFit, values: np.ndarray, trans: str) -> np.ndarray:
    """:math:`Q v` or :math:`Q^T v` for an n-vector (LAPACK ``dormqr`` with the Householder vectors)."""
    c = np.array(values, dtype=float, order="F").reshape(-1, 1)  # a copy: dormqr overwrites it
    k = len(fit.tau)
    work = lapack.dormqr("L", trans, fit.householder[:, :k], fit.tau, c, -1)[1]
    out, _, info = lapack.dormqr("L", trans, fit.householder[:, :k], fit.tau, c, int(work[0]), overwrite_c=1)
    if info != 0:  # pragma: no cover - LAPACK reports an illegal argument only
        raise np.linalg.LinAlgError(f"dormqr failed with info={info}")
    return out[:, 0]


def residuals(fit: LinearFit, b: np.ndarray) -> np.ndarray:
    """Residuals :math:`y - Xb`, as :math:`Q` times the small residual :math:`r_y - R_X b` padded with zeros."""
    small = np.zeros(fit.n)
    rows = min(fit.n, fit.p + 1)
    small[:rows] = (fit.r[:, -1] - fit.r[:, :-1] @ b)[:rows]
    return _apply_q(fit, small, "N")


def rss_of_vector(fit: LinearFit, values: np.ndarray, columns: Sequence[int]) -> float:
    """Residual sum of squares of another response ``values`` regressed on the columns given.

    :math:`Q^T v` splits into its first :math:`p + 1` coordinates, regressed on the small
    triangle, and the rest, orthogonal to every column of X.
    """
    rotated = _apply_q(fit, values, "T")
    rows = min(fit.n, fit.p + 1)
    head = np.zeros(fit.p + 1)
    head[:rows] = rotated[:rows]
    tri = _triangle(fit, list(columns), head)
    q = len(columns)
    return float(np.sum(tri[q:, -1] ** 2) + np.sum(rotated[rows:] ** 2))
