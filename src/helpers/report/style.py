"""The look of the book's figures: one theme, one colour-blind palette, one colour per site."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import seaborn as sns

__all__ = ["PALETTE", "set_style", "site_colours"]

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
