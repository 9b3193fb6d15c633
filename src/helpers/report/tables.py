"""Display tables: a tidy frame shown with chosen columns, formatted numbers and a fixed identifier.

:func:`table` renders one result frame as a :class:`StyledTable`, which a notebook shows
as HTML (every data-derived string escaped) and anything else as stable text. Tables of
words (``text=True``) wrap and left-align their cells.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from .format import MISSING, fmt_ci, fmt_int, fmt_p, fmt_pct

__all__ = ["SHORT_FORMATS", "MARKERS", "StyledTable", "table", "ci_strings"]

#: Cells of disclosure control (:mod:`helpers.report.disclosure`) shown as they are by every format.
MARKERS = ("[suppressed]", "[withheld]")

#: Named cell formats accepted by :func:`table`.
SHORT_FORMATS: dict[str, Callable] = {
    "int": fmt_int,
    "p": lambda x: fmt_p(x, label=False),
    "pct": fmt_pct,
    "pct0": lambda x: fmt_pct(x, 0),
    "yes/no": lambda x: "yes" if bool(x) else "no",
    "text": lambda x: str(x),
}

_TABLE_STYLES = [
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-style: italic;"},
    {"selector": "th", "props": "text-align: left; border-bottom: 1px solid;"},
    {"selector": "td", "props": "text-align: right; padding: 0 0.6em;"},
]


class StyledTable:
    """A table that displays as HTML in a notebook and as stable text (no memory address) elsewhere.

    Attributes
    ----------
    styler : pandas.io.formats.style.Styler
        The HTML rendering (data-derived strings escaped).
    text_styler : pandas.io.formats.style.Styler
        The text rendering (the same cells, unescaped).
    """

    def __init__(self, styler, text_styler=None):
        self.styler = styler
        self.text_styler = styler if text_styler is None else text_styler

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return self.text_styler.to_string(delimiter=" | ").rstrip("\n")


def _formatter(spec) -> Callable:
    """A cell formatter from a format string, a callable or a name of :data:`SHORT_FORMATS`.

    A marker of :data:`MARKERS` passes through any of them unformatted.

    Examples
    --------
    >>> [_formatter(f)("[suppressed]") for f in ("pct0", "int", "{:.2f}")]
    ['[suppressed]', '[suppressed]', '[suppressed]']
    """
    func = SHORT_FORMATS.get(spec, spec.format) if isinstance(spec, str) else spec
    return lambda x: x if isinstance(x, str) and x in MARKERS else func(x)


def _escaped(func: Callable) -> Callable:
    return lambda x: html.escape(str(func(x)))


def _cell_formats(df: pd.DataFrame, formats: Mapping, decimals: int) -> dict[str, Callable]:
    fmt = {}
    for column in df.columns:
        spec = formats.get(column)
        series = df[column]
        if spec is not None:
            fmt[column] = _formatter(spec)
        elif pd.api.types.is_bool_dtype(series):
            fmt[column] = SHORT_FORMATS["yes/no"]
        elif pd.api.types.is_integer_dtype(series):
            fmt[column] = "{:d}".format
        elif pd.api.types.is_float_dtype(series):
            fmt[column] = f"{{:.{decimals}f}}".format
    return fmt


def _styler(df: pd.DataFrame, uuid: str, fmt: dict, na_rep: str, caption: str | None, escape: bool):
    styler = df.style.set_uuid(uuid).hide(axis="index")
    if escape:
        styler = styler.format(na_rep=na_rep, escape="html").format_index(escape="html", axis=1)
        styler = styler.format({c: _escaped(f) for c, f in fmt.items()}, na_rep=na_rep, subset=list(fmt))
    else:
        styler = styler.format(fmt, na_rep=na_rep)
    styler = styler.set_table_styles(_TABLE_STYLES)
    if caption:
        styler = styler.set_caption(html.escape(caption) if escape else caption)
    return styler


def _text_layout(styler, names: Mapping, columns: Mapping | None, min_width: str, text_columns: Sequence[str] | None):
    """Left-align and wrap the cells of words (all cells, or only ``text_columns``)."""
    if text_columns is None:
        return styler.set_table_styles(
            [
                {
                    "selector": "td",
                    "props": f"text-align: left; vertical-align: top; padding: 0.2em 0.6em; "
                    f"min-width: {min_width}; white-space: normal;",
                },
                {"selector": "th", "props": "text-align: left; vertical-align: bottom; border-bottom: 1px solid;"},
            ],
            overwrite=False,
        )
    shown = [names.get(c, c) for c in text_columns if (c in names or columns is None)]
    return styler.set_properties(
        subset=shown, **{"text-align": "left", "vertical-align": "top", "min-width": min_width, "white-space": "normal"}
    )


def table(
    frame: pd.DataFrame,
    uuid: str,
    caption: str | None = None,
    columns: dict | None = None,
    formats: dict | None = None,
    decimals: int = 2,
    na_rep: str = MISSING,
    text: bool = False,
    text_columns: Sequence[str] | None = None,
    min_width: str = "9em",
) -> StyledTable:
    """A display table: selected and renamed columns, numbers formatted, index hidden, fixed uuid.

    Parameters
    ----------
    frame : DataFrame
        The tidy result (left unchanged).
    uuid : str
        Fixed identifier of the HTML table (stable output for diffs and nbval).
    caption : str, optional
        Shown above the table.
    columns : dict, optional
        Columns to show, in order, mapped to their display names.
    formats : dict, optional
        Column (original or display name) to a format: a format string (``"{:.3f}"``), a
        callable, or one of ``"int"``, ``"p"``, ``"pct"``, ``"pct0"``, ``"yes/no"``, ``"text"``.
        Other float columns get ``decimals`` decimals, integers no decimals, booleans yes/no.
    decimals : int, default 2
    na_rep : str, default an em dash
    text : bool, default False
        A table of words: cells left-aligned, aligned to the top and wrapped.
    text_columns : sequence of str, optional
        With ``text``, only these columns (original names) are laid out as words; numbers stay
        right-aligned. Default: every column.
    min_width : str, default ``"9em"``
        Narrowest width of a column of words.

    Returns
    -------
    StyledTable

    Examples
    --------
    >>> t = table(pd.DataFrame({"a": [1.234, None], "p": [0.0004, 0.2]}), "t-demo", formats={"p": "p"})
    >>> print(repr(t))
    a | p
    1.23 | < 0.001
    — | 0.200
    >>> 'id="T_t-demo"' in t._repr_html_()
    True
    >>> w = table(pd.DataFrame({"who": ["<b>A & B</b>"]}), "t-words", text=True)
    >>> "&lt;b&gt;A &amp; B&lt;/b&gt;" in w._repr_html_(), repr(w)
    (True, 'who\\n<b>A & B</b>')
    """
    df = frame.copy() if columns is None else frame.loc[:, list(columns)].rename(columns=columns)
    names = dict(columns or {})
    formats = {names.get(k, k): v for k, v in (formats or {}).items()}
    fmt = _cell_formats(df, formats, decimals)
    html_styler = _styler(df, uuid, fmt, na_rep, caption, escape=True)
    text_styler = _styler(df, uuid, fmt, na_rep, caption, escape=False)
    if text or text_columns is not None:
        html_styler = _text_layout(html_styler, names, columns, min_width, text_columns)
    return StyledTable(html_styler, text_styler)


def ci_strings(frame: pd.DataFrame, low: str = "ci_low", high: str = "ci_high", decimals: int = 2) -> list[str]:
    """``[low, high]`` text for every row of ``frame`` (for a table column).

    Examples
    --------
    >>> ci_strings(pd.DataFrame({"ci_low": [0.1234], "ci_high": [0.5]}))
    ['[0.12, 0.50]']
    """
    return [fmt_ci(lo, hi, decimals) for lo, hi in zip(frame[low], frame[high])]
