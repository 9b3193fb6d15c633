"""The look of the book's figures: one theme, one colour-blind palette, one colour per site, literal text.

Matplotlib reads text between two ``$`` as mathematics (mathtext): a site named ``$x$``
would be drawn as an italic *x* and one named ``$\\foo$`` would stop the figure. Every
data-derived string a figure draws (titles, axis and tick labels, legends, annotations)
passes through :func:`figure_text` first, which makes it literal.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure

__all__ = ["PALETTE", "set_style", "site_colours", "figure_text", "figure_texts", "padded_limits", "empty_figure"]

#: Colours used for sites across the book (colour-blind safe, seaborn "colorblind").
PALETTE = "colorblind"


def set_style() -> None:
    """One look for every figure of the book (seaborn whitegrid, colour-blind palette)."""
    matplotlib.use("Agg", force=False)
    sns.set_theme(style="whitegrid", palette=PALETTE, context="notebook")
    matplotlib.rcParams.update(
        {"figure.dpi": 110, "savefig.dpi": 150, "savefig.bbox": "tight", "axes.titleweight": "bold"}
    )


def site_colours(sites: Sequence[str]) -> dict[str, tuple]:
    """One colour per site (sorted names, colour-blind palette), the same in every figure.

    Examples
    --------
    >>> colours = site_colours(["B", "A"])
    >>> list(colours), len(colours["A"])
    (['A', 'B'], 3)
    """
    names = sorted(dict.fromkeys(str(s) for s in sites))
    palette = sns.color_palette(PALETTE, n_colors=max(len(names), 1))
    return {s: palette[k % len(palette)] for k, s in enumerate(names)}


def figure_text(value) -> str:
    """``value`` as text that matplotlib draws literally: every ``$`` escaped, so no mathtext.

    With no unescaped ``$`` left, matplotlib does not parse mathtext (so ``_`` and ``^``
    stay characters too) and shows each ``\\$`` as ``$``. Text without ``$`` is unchanged.

    Examples
    --------
    >>> figure_text("$x$"), figure_text("a_b"), figure_text(3)
    ('\\\\$x\\\\$', 'a_b', '3')
    """
    return str(value).replace("$", r"\$")


#: Widest line of a tick label or legend entry, in characters; longer names (a trust's full
#: name) are wrapped onto several lines so that they never push the plot out of its figure.
LABEL_WIDTH = 20
#: Most lines of a wrapped label; the rest is cut and marked with an ellipsis.
LABEL_LINES = 4


def figure_texts(values) -> list[str]:
    """:func:`figure_text` of every value (tick labels, legend entries), long ones wrapped.

    Examples
    --------
    >>> figure_texts(["A", "$1"])
    ['A', '\\\\$1']
    >>> print(figure_texts(["Penrith, Northumberland, Tyne and Wear Mental Health Trust"])[0])
    Penrith,
    Northumberland, Tyne
    and Wear Mental
    Health Trust
    """
    return [
        figure_text(textwrap.fill(str(v), LABEL_WIDTH, max_lines=LABEL_LINES, placeholder="…", break_long_words=False))
        for v in values
    ]


def padded_limits(*columns, below: float, above: float) -> tuple[float, float] | None:
    """Axis limits around every finite value of ``columns``, padded by shares of their range.

    None when no value is finite (an interval of one respondent, a scale without scores),
    so that the axis keeps matplotlib's own limits instead of failing on NaN. A range of
    zero (every value equal) is padded as if it were 1.

    Examples
    --------
    >>> padded_limits([1.0, float("nan")], [3.0], below=0.1, above=0.5)
    (0.8, 4.0)
    >>> padded_limits([2.0], [2.0], below=0.1, above=0.1)
    (1.9, 2.1)
    >>> padded_limits([float("nan")], below=0.1, above=0.1) is None
    True
    """
    values = [float(v) for column in columns for v in column]
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return None
    lo, hi = min(finite), max(finite)
    span = hi - lo if hi > lo else 1.0
    return lo - below * span, hi + above * span


def empty_figure(message: str) -> Figure:
    """A small figure holding only ``message``: what a figure shows when its data cannot be drawn.

    Examples
    --------
    >>> fig = empty_figure("Nothing to draw.")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['Nothing to draw.']
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=(6.0, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, figure_text(message), ha="center", va="center", transform=ax.transAxes)
    return fig
