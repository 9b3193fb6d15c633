"""Silencing the numerical warnings the statistics libraries raise on degenerate input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quiet"]


@contextmanager
def quiet() -> Iterator[None]:
    """Ignore ``FutureWarning`` and ``RuntimeWarning`` inside the block.

    pingouin and statsmodels raise FutureWarnings with recent pandas, and NumPy raises
    RuntimeWarnings for undefined results (a zero variance) that the functions of this
    package report as NaN.

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
        yield
