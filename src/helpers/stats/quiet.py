"""Silencing the numerical warnings the statistics libraries raise on degenerate input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from scipy.integrate import IntegrationWarning

__all__ = ["quiet"]


@contextmanager
def quiet() -> Iterator[None]:
    """Ignore ``FutureWarning`` and ``RuntimeWarning`` inside the block.

    pingouin and statsmodels raise FutureWarnings with recent pandas, and NumPy raises
    RuntimeWarnings for undefined results (a zero variance) that the functions of this
    package report as NaN. pingouin's warning that it cannot estimate a correlation's
    power from fewer than five pairs is ignored too (the power is not used), and so is
    the warning of slow convergence that scipy's numerical integration of the studentized
    range distribution gives for a range near 0 with thousands of degrees of freedom,
    where the tail probability it returns is 1 to within 1e-10.

    Examples
    --------
    >>> import numpy as np
    >>> with quiet():
    ...     float(np.float64(0.0) / 0.0)
    nan
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        # pingouin's correlation also estimates its power, which it cannot below five pairs:
        # the power is not used here, the correlation itself is defined from three pairs.
        warnings.filterwarnings("ignore", message="Sample size is too small to estimate power", category=UserWarning)
        warnings.filterwarnings("ignore", message="The integral is probably divergent", category=IntegrationWarning)
        yield
