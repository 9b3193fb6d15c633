"""One colour per site, the same in every figure whatever the order of the sites."""

from __future__ import annotations

import matplotlib
import seaborn as sns

from helpers.report.style import PALETTE, set_style, site_colours


def test_site_colours_are_stable():
    a = site_colours(["B", "A", "C"])
    b = site_colours(["C", "A", "B", "A"])
    assert a == b and list(a) == ["A", "B", "C"]
    assert a["A"] == sns.color_palette(PALETTE, 3)[0]


def test_set_style():
    set_style()
    assert matplotlib.rcParams["savefig.dpi"] == 150 and matplotlib.rcParams["axes.titleweight"] == "bold"
