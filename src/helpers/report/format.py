"""Numbers into short strings: the formatters every table cell and sentence of the book uses.

Each function takes a number (or a few) and returns text; a missing value (``None`` or
NaN) becomes an em dash. Nothing here depends on the study.
"""

from __future__ import annotations

import math
from pathlib import Path, PurePosixPath

import numpy as np

__all__ = [
    "MISSING",
    "is_missing",
    "fmt_num",
    "fmt_int",
    "fmt_pct",
    "fmt_p",
    "fmt_ci",
    "ci_label",
    "shown_path",
]

#: What a missing value reads as, in prose and in tables.
MISSING = "—"


def is_missing(x) -> bool:
    """True for ``None``, NaN and infinite values.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(np.inf), is_missing(0.0)
    (True, True, True, False)
    """
    if x is None:
        return True
    try:
        return not np.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def fmt_num(x: float, decimals: int = 2) -> str:
    """A number rounded for prose (``nan`` becomes an em dash).

    Examples
    --------
    >>> fmt_num(3.14159), fmt_num(float("nan")), fmt_num(2, 1)
    ('3.14', '—', '2.0')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    return f"{float(x):.{decimals}f}"


def fmt_int(x) -> str:
    """A count for a table cell (floats holding whole numbers lose ``.0``; NaN is an em dash).

    Examples
    --------
    >>> fmt_int(12.0), fmt_int(float("nan"))
    ('12', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    return f"{int(round(float(x)))}"


def fmt_pct(share: float, decimals: int = 1) -> str:
    """A share (0 to 1) as a percentage with ``decimals`` decimals; an em dash for NaN.

    Examples
    --------
    >>> fmt_pct(0.199), fmt_pct(0.69, 0), fmt_pct(0.5, 0), fmt_pct(float("nan"))
    ('19.9 %', '69 %', '50 %', '—')
    """
    if is_missing(share):
        return MISSING
    return f"{100 * float(share):.{decimals}f} %"


def fmt_p(p: float, label: bool = True) -> str:
    """A p value, APA style: three decimals, ``< 0.001`` below that, an em dash when missing.

    Parameters
    ----------
    p : float
    label : bool, default True
        Prefix ``p`` for prose (``p = 0.005``, ``p < 0.001``); ``False`` gives the bare cell
        of a table column headed p (``0.005``, ``< 0.001``).

    Examples
    --------
    >>> fmt_p(0.0049), fmt_p(0.00001), fmt_p(float("nan"))
    ('p = 0.005', 'p < 0.001', 'p = —')
    >>> fmt_p(0.0049, label=False), fmt_p(1e-9, label=False), fmt_p(None, label=False)
    ('0.005', '< 0.001', '—')
    """
    value = MISSING if is_missing(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")
    if not label:
        return value
    return f"p {value}" if value.startswith("<") else f"p = {value}"


def fmt_ci(low: float, high: float, decimals: int = 2) -> str:
    """A confidence interval, ``[3.24, 3.72]``.

    Examples
    --------
    >>> fmt_ci(3.2377, 3.7207), fmt_ci(0.1234, 0.5, 3)
    ('[3.24, 3.72]', '[0.123, 0.500]')
    """
    if isinstance(low, str) or isinstance(high, str):  # a disclosure marker stands for the whole interval
        return low if isinstance(low, str) else high
    return f"[{fmt_num(low, decimals)}, {fmt_num(high, decimals)}]"


def ci_label(confidence: float) -> str:
    """The header of an interval at level ``confidence``: ``95 % CI``.

    Examples
    --------
    >>> ci_label(0.95), ci_label(0.9), ci_label(0.995)
    ('95 % CI', '90 % CI', '99.5 % CI')
    """
    return f"{100 * float(confidence):g} % CI"


def shown_path(path, root) -> str:
    """A folder as the book shows it: relative to ``root`` when inside it, otherwise its name alone.

    The book never shows the absolute path of the machine that built it.

    Examples
    --------
    >>> shown_path("/home/me/book/data/synthetic", "/home/me/book"), shown_path("/srv/studies/mine", "/home/me/book")
    ('data/synthetic', 'mine')
    """
    folder, base = Path(path), Path(root)
    try:
        return PurePosixPath(*folder.relative_to(base).parts).as_posix()
    except ValueError:
        return folder.name or str(folder)
