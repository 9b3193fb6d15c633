"""Correlation: Pearson (or rank) correlations with intervals, Cohen's size labels, and an
exact permutation test of Spearman's rank correlation for few pairs."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from .quiet import quiet

__all__ = ["cohen_label", "pearson_table", "spearman_permutation"]

#: Cohen's names of the sizes, smallest first, and the label below the smallest.
SIZE_NAMES = ("small", "medium", "large")
BELOW_SMALL = "negligible"


def cohen_label(r: float, *, sizes: Mapping[str, float]) -> str:
    """Cohen's label for the size of a correlation coefficient.

    Parameters
    ----------
    r : float
        A correlation coefficient; its absolute value is labelled.
    sizes : mapping
        Lower bounds of ``"small"``, ``"medium"`` and ``"large"`` correlations, increasing
        (Cohen's conventions are 0.1, 0.3 and 0.5).

    Returns
    -------
    str
        ``"negligible"`` below ``sizes["small"]``, else the largest size whose bound
        ``|r|`` reaches; ``"undefined"`` for None or NaN.

    Notes
    -----
    Cohen (1988, section 3.2) proposed r = 0.10, 0.30 and 0.50 as conventional values of
    small, medium and large effects for the behavioural sciences, to be used when no
    better basis is available.

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*
       (2nd ed.). Lawrence Erlbaum.

    Examples
    --------
    >>> sizes = {"small": 0.1, "medium": 0.3, "large": 0.5}
    >>> [cohen_label(r, sizes=sizes) for r in (0.05, -0.1, 0.3, 0.61, float("nan"))]
    ['negligible', 'small', 'medium', 'large', 'undefined']
    """
    bounds = [float(sizes[name]) for name in SIZE_NAMES]
    if not 0 < bounds[0] < bounds[1] < bounds[2]:
        raise ValueError(f"sizes must give increasing positive bounds for {', '.join(SIZE_NAMES)}: {dict(sizes)!r}")
    if r is None or np.isnan(r):
        return "undefined"
    size = abs(float(r))
    return next((name for name, bound in zip(SIZE_NAMES[::-1], bounds[::-1]) if size >= bound), BELOW_SMALL)


def _pairs(pairs) -> list[tuple[str, str]]:
    pairs = list(pairs)
    if len(pairs) == 2 and all(isinstance(p, str) for p in pairs):
        pairs = [tuple(pairs)]
    return [(str(x), str(y)) for x, y in pairs]


def pearson_table(
    data: pd.DataFrame,
    pairs: Iterable[tuple[str, str]],
    *,
    confidence: float,
    sizes: Mapping[str, float],
    method: str = "pearson",
) -> pd.DataFrame:
    """Correlation of each pair of columns on its pairwise complete cases.

    Parameters
    ----------
    data : DataFrame
        Wide data, one column per variable.
    pairs : iterable of (str, str)
        Column pairs, e.g. ``[("RSA", "STAR-P"), ("RSA", "ES")]``.
    confidence : float
        Confidence level of the interval of ``r``, e.g. 0.95.
    sizes : mapping
        Bounds of small, medium and large correlations (see :func:`cohen_label`).
    method : str, default "pearson"
        Any method of :func:`pingouin.corr` (``"pearson"``, ``"spearman"``, ...).

    Returns
    -------
    DataFrame
        ``x, y, n, r, ci_low, ci_high, p, strength``; NaN statistics for fewer than three
        complete pairs.

    Notes
    -----
    ``r`` and its two-sided ``p`` come from :func:`pingouin.corr`. The interval is
    Fisher's (1915) z interval, :math:`\\tanh(\\operatorname{artanh} r \\pm
    z_{(1 + c)/2} / \\sqrt{n - 3})`, from :func:`pingouin.compute_esci` (unrounded);
    ``strength`` is :func:`cohen_label` of ``r`` (Cohen, 1988).

    References
    ----------
    .. [1] Fisher, R. A. (1915). Frequency distribution of the values of the correlation
       coefficient in samples from an indefinitely large population. *Biometrika*,
       10(4), 507-521.
    .. [2] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*
       (2nd ed.). Lawrence Erlbaum.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5, None], "b": [2, 1, 4, 3, 5, 6]})
    >>> sizes = {"small": 0.1, "medium": 0.3, "large": 0.5}
    >>> print(pearson_table(df, [("a", "b")], confidence=0.95, sizes=sizes).round(3).to_string(index=False))
    x y  n   r  ci_low  ci_high     p strength
    a b  5 0.8   -0.28    0.986 0.104    large
    """
    rows = []
    for x, y in _pairs(pairs):
        clean = data.loc[:, [x, y]].dropna().astype(float)
        row = {"x": x, "y": y, "n": int(len(clean)), "r": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan}
        if len(clean) >= 3:
            with quiet():
                res = pg.corr(clean[x], clean[y], method=method)
            r, n = float(res["r"].iloc[0]), int(res["n"].iloc[0])
            # pingouin rounds its CI95% column to 2 decimals: recompute the same Fisher z interval unrounded.
            if abs(r) == 1:
                low, high = r, r
            else:
                with quiet():  # three pairs leave no degree of freedom for the interval: NaN
                    low, high = pg.compute_esci(stat=r, nx=n, ny=n, eftype="r", confidence=confidence, decimals=12)
            row.update(r=r, ci_low=float(low), ci_high=float(high), p=float(res["p-val"].iloc[0]))
        row["strength"] = cohen_label(row["r"], sizes=sizes)
        rows.append(row)
    return pd.DataFrame(rows, columns=["x", "y", "n", "r", "ci_low", "ci_high", "p", "strength"])


SPEARMAN_COLUMNS = ["n", "n_orderings", "rho", "p_greater", "p_less", "p_two_sided", "critical_rho", "min_p"]


#: Random orderings drawn when there are too many pairs to enumerate every ordering, and
#: the seed that makes the draw repeatable.
MONTE_CARLO_ORDERINGS = 100_000
MONTE_CARLO_SEED = 2016


def spearman_permutation(x, y, *, alpha: float, max_exact: int) -> pd.DataFrame:
    """Spearman's rank correlation with a permutation test, exact over all n! orderings.

    Parameters
    ----------
    x, y : array-like of float
        Paired values; pairs with a missing value are dropped. Ties get mid-ranks.
    alpha : float
        Significance level for ``critical_rho``.
    max_exact : int
        Most pairs whose orderings are all enumerated (9 pairs give 362,880 orderings);
        with more pairs the test draws ``MONTE_CARLO_ORDERINGS`` random orderings.

    Returns
    -------
    DataFrame
        One row: ``n, n_orderings, rho, p_greater, p_less, p_two_sided, critical_rho,
        min_p``. The p values are the shares of the ``n_orderings = n!`` orderings whose
        rho is at least the observed one (``p_greater``), at most it (``p_less``), or at
        least it in absolute value (``p_two_sided``). ``critical_rho`` is the smallest rho
        whose ``p_greater`` would be below ``alpha`` with these ranks (NaN when no ordering
        reaches it) and ``min_p`` the smallest ``p_greater`` any ordering can give. All
        statistics are NaN with fewer than 3 pairs or a constant variable. Above
        ``max_exact`` pairs ``n_orderings`` is the number of random orderings drawn
        (fewer than ``n!``) and the p values are Monte Carlo estimates.

    Notes
    -----
    Under the null hypothesis of no association every pairing of the ranks of ``y`` with
    the fixed ranks of ``x`` is equally likely (Pitman, 1937). The orderings are
    enumerated by :func:`scipy.stats.permutation_test` with
    ``permutation_type="pairings"``; it is exact because ``n_resamples`` is ``n!``.
    The statistic is :math:`T = \\sum_i a_i b_i` with doubled centred ranks
    :math:`a_i = 2 R(x_i) - (n + 1)`, :math:`b_i = 2 R(y_i) - (n + 1)`: integers, so
    that orderings giving the same rho compare equal, and
    :math:`\\rho = T / \\sqrt{\\sum a_i^2 \\sum b_i^2}` is increasing in ``T``
    (Spearman, 1904). Tied values make some orderings identical; each is counted.
    Above ``max_exact`` pairs the orderings are a random sample drawn with a fixed seed,
    so that a rebuild gives the same p values.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between two
       things. *American Journal of Psychology*, 15(1), 72-101.
    .. [2] Pitman, E. J. G. (1937). Significance tests which may be applied to samples
       from any populations. II. The correlation coefficient test. *Supplement to the
       Journal of the Royal Statistical Society*, 4(2), 225-232.

    Examples
    --------
    Perfectly concordant ranks, n = 4: only the identity ordering reaches rho = 1.

    >>> r = spearman_permutation([1, 2, 3, 4], [10, 20, 30, 40], alpha=0.05, max_exact=9)
    >>> print(r.round(4).to_string(index=False))
     n  n_orderings  rho  p_greater  p_less  p_two_sided  critical_rho  min_p
     4           24  1.0     0.0417     1.0       0.0833           1.0 0.0417
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = int(len(x))
    nan = float("nan")
    row = dict.fromkeys(SPEARMAN_COLUMNS, nan)
    orderings = math.factorial(n) if n <= max_exact else MONTE_CARLO_ORDERINGS
    row.update(n=n, n_orderings=orderings if n else 0)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return pd.DataFrame([row], columns=SPEARMAN_COLUMNS)
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    a, b = 2 * rx - (n + 1), 2 * ry - (n + 1)

    def statistic(b_perm, axis=-1):
        return np.sum(a * b_perm, axis=axis)

    res = stats.permutation_test(
        (b,),
        statistic,
        permutation_type="pairings",
        vectorized=True,
        n_resamples=orderings,
        batch=100_000,
        alternative="greater",
        rng=np.random.default_rng(MONTE_CARLO_SEED),
    )
    null, observed = res.null_distribution, float(res.statistic)
    scale = math.sqrt(float(np.sum(a**2) * np.sum(b**2)))
    critical = nan
    for value in np.unique(null)[::-1]:  # descending: the last value whose upper tail stays below alpha
        if np.mean(null >= value) < alpha:
            critical = float(value) / scale
        else:
            break
    row.update(
        rho=float(np.corrcoef(rx, ry)[0, 1]),
        p_greater=float(res.pvalue),
        p_less=float(np.mean(null <= observed)),
        p_two_sided=float(np.mean(np.abs(null) >= abs(observed))),
        critical_rho=critical,
        min_p=float(np.mean(null >= null.max())),
    )
    return pd.DataFrame([row], columns=SPEARMAN_COLUMNS)
