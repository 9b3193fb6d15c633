"""The significance decision: one predicate for every test of the analysis."""

from __future__ import annotations

import math

__all__ = ["is_significant"]


def is_significant(p, alpha: float) -> bool:
    """Whether a p value lies below the significance level.

    Parameters
    ----------
    p : float or None
        A p value. ``None``, NaN and infinite values (an undefined or failed test) are
        never significant.
    alpha : float
        The significance level, strictly between 0 and 1.

    Returns
    -------
    bool
        ``p < alpha`` for a finite ``p``, else False.

    Notes
    -----
    The comparison is strict, following the Neyman-Pearson convention of rejecting the
    null hypothesis when the p value is smaller than the chosen level (Lehmann & Romano,
    2005, section 3.3); a p value exactly equal to ``alpha`` is not significant.

    References
    ----------
    .. [1] Lehmann, E. L. & Romano, J. P. (2005). *Testing Statistical Hypotheses*
       (3rd ed.). Springer.

    Examples
    --------
    >>> is_significant(0.01, alpha=0.05), is_significant(0.05, alpha=0.05)
    (True, False)
    >>> is_significant(float("nan"), alpha=0.05), is_significant(None, alpha=0.05)
    (False, False)
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")
    try:
        value = float(p)
    except (TypeError, ValueError):  # None, pandas.NA
        return False
    return bool(math.isfinite(value) and value < alpha)
