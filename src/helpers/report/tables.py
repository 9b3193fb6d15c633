"""Display tables: a tidy frame shown with chosen columns, formatted numbers and a fixed identifier.

:func:`table` renders one result frame as a :class:`StyledTable`, which a notebook shows
as HTML (every data-derived string escaped) and anything else as stable text. Tables of
words (``text=True``) wrap and left-align their cells.

Columns shown as ``"statistic: source"`` (``"mean: this data"``, ``"mean: published"``) are
set side by side under one ``statistic`` heading, so that this dataset's value and the
article's are read together (:func:`paired_order`). A table of more than :data:`LONG_ROWS`
rows is marked ``cocapp-long``: the book's ``_static/tables.js`` gives it a filter box and
sortable columns, offline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from .format import MISSING, fmt_ci, fmt_int, fmt_p, fmt_pct

__all__ = [
    "SHORT_FORMATS",
    "MARKERS",
    "LONG_ROWS",
    "StyledTable",
    "table",
    "ci_strings",
    "paired_order",
    "header_groups",
]

#: Tables with more rows than this are searchable and sortable in the book.
LONG_ROWS = 30
#: Separator of a statistic and the source of its value in a column name.
PAIR_SEPARATOR = ": "
#: Short headings of the sources of paired values (the full name stays in the heading's title
#: and in the legend under the caption).
SHORT_SOURCES = {
    "this data (synthetic)": "ours",
    "this data": "ours",
    "published": "article",
    "article (published)": "article",
}

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
    {"selector": "td", "props": "text-align: right; padding: 0 0.35em;"},
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

    def __init__(self, styler, text_styler=None, long: bool = False):
        self.styler = styler
        self.text_styler = styler if text_styler is None else text_styler
        self.long = long

    def _repr_html_(self) -> str:
        markup = self.styler.to_html()
        groups = header_groups(list(self.styler.data.columns))
        if any(len(subs) > 1 for _, subs in groups):
            markup = _THEAD.sub(lambda _: _grouped_thead(groups), markup, count=1)
            markup = markup.replace("</caption>", _legend(groups) + "</caption>", 1)
        if self.long:
            markup = f'<div class="cocapp-long">{markup}</div>'
        return markup

    def __repr__(self) -> str:
        return self.text_styler.to_string(delimiter=" | ").rstrip("\n")


_THEAD = re.compile(r"<thead>.*?</thead>", re.S)


def _split(name) -> tuple[str, str]:
    head, sep, tail = str(name).partition(PAIR_SEPARATOR)
    return (head, tail) if sep and head and tail else (str(name), "")


def paired_order(names: Sequence[str]) -> list[str]:
    """Column names with every ``"statistic: source"`` moved next to the first of its statistic.

    Examples
    --------
    >>> paired_order(["site", "mean: ours", "SD", "SEM: ours", "mean: article", "SEM: article", "n"])
    ['site', 'mean: ours', 'mean: article', 'SD', 'SEM: ours', 'SEM: article', 'n']
    """
    order: list[str] = []
    for name in names:
        if name in order:
            continue
        head, tail = _split(name)
        order.append(name)
        if tail:
            order.extend(n for n in names if n not in order and _split(n)[1] and _split(n)[0] == head)
    return order


def header_groups(names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Runs of adjacent columns under one heading: ``(statistic, [source, ...])``, or ``(name, [])``.

    Examples
    --------
    >>> header_groups(["site", "mean: ours", "mean: article", "SD: ours"])
    [('site', []), ('mean', ['ours', 'article']), ('SD', ['ours'])]
    """
    groups: list[tuple[str, list[str]]] = []
    for name in names:
        head, tail = _split(name)
        if tail and groups and groups[-1][0] == head and groups[-1][1]:
            groups[-1][1].append(tail)
        else:
            groups.append((head, [tail] if tail else []))
    return groups


def _grouped_thead(groups: list[tuple[str, list[str]]]) -> str:
    """A two-row table head: each statistic over the sources of its values, other columns over both rows.

    Every name is escaped here (names may come from the data: a site as a column).
    """
    top, bottom = [], []
    groups = [(html.escape(head), [html.escape(s) for s in subs]) for head, subs in groups]
    for head, subs in groups:
        if len(subs) > 1:
            top.append(f'<th class="col_heading level0 pair" colspan="{len(subs)}" scope="colgroup">{head}</th>')
            bottom.extend(f'<th class="col_heading level1 pair" scope="col">{_short(sub)}</th>' for sub in subs)
        else:
            label = f"{head}{PAIR_SEPARATOR}{subs[0]}" if subs else head
            top.append(f'<th class="col_heading level0" rowspan="2" scope="col">{label}</th>')
    return f"<thead>\n<tr>{''.join(top)}</tr>\n<tr>{''.join(bottom)}</tr>\n</thead>"


def _short(source: str) -> str:
    """A paired column's source as its heading shows it: :data:`SHORT_SOURCES`, the full name as title."""
    short = SHORT_SOURCES.get(html.unescape(source))
    return f'<abbr title="{source}">{short}</abbr>' if short else source


def _legend(groups: list[tuple[str, list[str]]]) -> str:
    """What the short headings of a table stand for, to follow its caption (empty when none is used)."""
    used = dict.fromkeys(s for _, subs in groups if len(subs) > 1 for s in subs if s in SHORT_SOURCES)
    if not used:
        return ""
    words = "; ".join(f"{SHORT_SOURCES[s]}: {html.escape(s)}" for s in used)
    return f' <span class="cocapp-legend">({words})</span>'


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
                    "props": f"text-align: left; vertical-align: top; padding: 0.2em 0.35em; "
                    f"min-width: {min_width}; white-space: normal;",
                },
                {"selector": "th", "props": "text-align: left; vertical-align: bottom; border-bottom: 1px solid;"},
            ],
            overwrite=False,
        )
    shown = [names.get(c, c) for c in text_columns if (c in names or columns is None)]
    # A rule per column (``#T_uuid td.colN``) outranks the table's ``#T_uuid td`` rule; a rule per
    # cell id (Styler.set_properties) would not, so the cells would stay right-aligned.
    props = f"text-align: left; vertical-align: top; min-width: {min_width}; white-space: normal;"
    return styler.set_table_styles({c: [{"selector": "td", "props": props}] for c in shown}, overwrite=False)


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
        Columns ``"statistic: source"`` side by side under one ``statistic`` heading; marked
        long (filter box, sortable) above :data:`LONG_ROWS` rows.

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
    if df.columns.is_unique:
        df = df.loc[:, paired_order(list(df.columns))]
    names = dict(columns or {})
    formats = {names.get(k, k): v for k, v in (formats or {}).items()}
    fmt = _cell_formats(df, formats, decimals)
    html_styler = _styler(df, uuid, fmt, na_rep, caption, escape=True)
    text_styler = _styler(df, uuid, fmt, na_rep, caption, escape=False)
    if text or text_columns is not None:
        html_styler = _text_layout(html_styler, names, columns, min_width, text_columns)
    return StyledTable(html_styler, text_styler, long=len(df) > LONG_ROWS)


def ci_strings(frame: pd.DataFrame, low: str = "ci_low", high: str = "ci_high", decimals: int = 2) -> list[str]:
    """``[low, high]`` text for every row of ``frame`` (for a table column).

    Examples
    --------
    >>> ci_strings(pd.DataFrame({"ci_low": [0.1234], "ci_high": [0.5]}))
    ['[0.12, 0.50]']
    """
    return [fmt_ci(lo, hi, decimals) for lo, hi in zip(frame[low], frame[high])]
