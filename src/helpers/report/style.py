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
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = [
    "PALETTE",
    "MIN_TEXT_KEY",
    "READING_WIDTHS",
    "set_style",
    "site_colours",
    "figure_text",
    "figure_texts",
    "OUTCOME_LABEL_WIDTH",
    "tick_label_pt",
    "row_height_in",
    "padded_limits",
    "empty_figure",
    "smallest_text_px",
    "legible_text_pt",
    "saved_box",
    "make_legible",
    "contrasting_annotations",
]

#: Name of the PNG text chunk recording the height, in image pixels, of a figure's smallest text.
MIN_TEXT_KEY = "min-text-px"

#: Where the book shows figures: (width in CSS px a figure is shown at most, smallest text wanted
#: there in CSS px). The text column at 1366 px (about 810 px, _static/book.css) and a phone,
#: where a figure keeps 720 px and scrolls sideways; a little margin above 10 and 8 px.
READING_WIDTHS = ((810.0, 10.3), (720.0, 8.3))

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
#: Widest line of an outcome's label (group, instrument and scale), in characters: at most two lines.
OUTCOME_LABEL_WIDTH = 34
#: Most lines of a wrapped label; the rest is cut and marked with an ellipsis.
LABEL_LINES = 4
#: Height of a line of text, as a multiple of its size (matplotlib's ``linespacing``), and the gap
#: left between the labels of neighbouring rows (inches).
LINE_SPACING, ROW_GAP_IN = 1.2, 0.08


def figure_texts(values, width: int = LABEL_WIDTH) -> list[str]:
    """:func:`figure_text` of every value (tick labels, legend entries), those longer than ``width``
    characters wrapped.

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
        figure_text(textwrap.fill(str(v), width, max_lines=LABEL_LINES, placeholder="…", break_long_words=False))
        for v in values
    ]


def tick_label_pt() -> float:
    """Size in points of the y tick labels as the current style sets them (``ytick.labelsize``)."""
    return float(FontProperties(size=matplotlib.rcParams["ytick.labelsize"]).get_size_in_points())


def row_height_in(labels: Sequence[str], fontsize: float, minimum: float) -> float:
    """Height in inches of a figure row (one bar, dot or heatmap cell per label) that holds the
    tallest of ``labels`` at ``fontsize`` points with a gap to the next: at least ``minimum``.

    A label wrapped by :func:`figure_texts` takes one line of :data:`LINE_SPACING` times its size
    per line, so rows sized this way never let two labels overlap.

    Examples
    --------
    >>> round(row_height_in(["one", "two\\nlines"], 9, 0.2), 2), row_height_in(["one"], 9, 0.28)
    (0.38, 0.28)
    """
    lines = max((str(label).count("\n") + 1 for label in labels), default=1)
    return max(minimum, lines * LINE_SPACING * fontsize / 72.0 + ROW_GAP_IN)


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


def smallest_text_px(fig, dpi: float | None = None) -> float:
    """Size in image pixels of the smallest visible text of ``fig`` once saved at ``dpi``.

    A browser showing the image ``natural`` pixels wide in ``shown`` CSS pixels draws that text
    ``smallest_text_px * shown / natural`` CSS pixels high: the book's browser test reads this
    number from every figure (the :data:`MIN_TEXT_KEY` chunk of its PNG).

    Parameters
    ----------
    fig : matplotlib Figure
    dpi : float, optional
        Resolution the figure is saved at; default ``savefig.dpi`` (the figure's own when that
        is ``"figure"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("t", fontsize=12)
    >>> _ = ax.text(0, 0, "small", fontsize=7.2)
    >>> _ = ax.text(0, 0, "", fontsize=2)
    >>> ax.tick_params(labelsize=9)
    >>> smallest_text_px(fig, dpi=100)
    10.0
    >>> plt.close(fig)
    """
    if dpi is None:
        saved = matplotlib.rcParams["savefig.dpi"]
        dpi = fig.dpi if saved == "figure" else float(saved)
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]
    return round(min(sizes, default=0.0) * dpi / 72.0, 2)


def legible_text_pt(width_in: float) -> float:
    """Smallest font size (points) that stays legible in every :data:`READING_WIDTHS` for a figure
    ``width_in`` inches wide, shown scaled down to that width.

    Text ``s`` points high in a figure ``w`` inches wide shown ``W`` CSS pixels wide is
    ``s / 72 * W / w`` pixels high, whatever the resolution of the image.

    Examples
    --------
    >>> round(legible_text_pt(8.0), 2), round(legible_text_pt(4.0), 2)
    (7.32, 3.66)
    """
    return max(px * 72.0 * width_in / shown for shown, px in READING_WIDTHS)


def saved_box(fig) -> Bbox | None:
    """The part of ``fig`` that ``savefig`` writes, in inches, as laid out now: its drawn extent
    and padding when ``savefig.bbox`` is ``"tight"``, otherwise None (the whole figure).

    Measured with a renderer at the figure's own resolution, as ``savefig`` does at its own.
    """
    pad = matplotlib.rcParams["savefig.pad_inches"]
    if matplotlib.rcParams["savefig.bbox"] != "tight" or pad == "layout":
        return None
    return fig.get_tightbbox(fig.canvas.get_renderer()).padded(float(pad))


def make_legible(fig) -> Bbox | None:
    """Raise every text of ``fig`` smaller than :func:`legible_text_pt` of its saved width to that size.

    The width is measured as saved (:func:`saved_box`) and measured again after a change, since
    larger labels can widen the figure. Returns the last measurement, the box ``savefig`` would
    write now.
    """
    for attempt in range(4):
        if fig.get_layout_engine() is not None:
            fig.get_layout_engine().execute(fig)
        box = saved_box(fig)  # lays out the ticks and their labels; no pixels are drawn
        floor = legible_text_pt(float(fig.get_size_inches()[0]) if box is None else box.width)
        small = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_fontsize() < floor]
        if not small or attempt == 3:
            break
        for text in small:
            text.set_fontsize(floor)
    return box


def _luminance(rgb) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrasting_annotations(ax) -> None:
    """Write every cell annotation of a heatmap on ``ax`` in black or white, whichever contrasts
    more with its cell (WCAG contrast ratio).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> fig, ax = plt.subplots()
    >>> _ = sns.heatmap(np.array([[0.0, 1.0]]), ax=ax, cmap="Greys", annot=True, cbar=False)
    >>> contrasting_annotations(ax)
    >>> [matplotlib.colors.to_hex(t.get_color()) for t in ax.texts]
    ['#000000', '#ffffff']
    >>> plt.close(fig)
    """
    meshes = [c for c in ax.collections if hasattr(c, "get_facecolors") and len(c.get_facecolors())]
    if not meshes:
        return
    mesh = meshes[0]
    colours = mesh.get_facecolors()
    shape = mesh.get_array().shape
    for text in ax.texts:
        x, y = text.get_position()
        row, col = int(y), int(x)
        if len(shape) != 2 or not (0 <= row < shape[0] and 0 <= col < shape[1]):
            continue
        lum = _luminance(colours[row * shape[1] + col])
        black, white = (lum + 0.05) / 0.05, 1.05 / (lum + 0.05)
        text.set_color("black" if black >= white else "white")
