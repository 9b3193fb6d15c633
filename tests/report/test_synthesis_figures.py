"""Figures of the synthesis (helpers.report.synthesis_figures)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.report import synthesis_figures as fig_sy


def joint() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site": ["A", "B", "C"],
            "country": ["England", "England", "Wales"],
            "collaboration": [-0.2, 0.1, np.nan],
            **{
                f"{m}_{k}": v
                for m in ("STAR-P", "RSA", "ES")
                for k, v in (
                    ("mean", [30.0, 32.0, 31.0]),
                    ("ci_low", [29.0, 30.5, 30.0]),
                    ("ci_high", [31.0, 33.5, 32.0]),
                )
            },
        }
    )


def test_hypothesis_plot_panels_and_points():
    fig = fig_sy.hypothesis_plot(joint(), confidence=0.9)
    panels = fig.axes
    assert len(panels) == 3
    assert [ax.get_ylabel() for ax in panels] == [
        "STAR-P total: site mean, 90 % CI",
        "RSA total: site mean, 90 % CI",
        "ES total: site mean, 90 % CI",
    ]
    # Site C has no collaboration score: only A and B are drawn, labelled by name.
    assert sorted(t.get_text() for t in panels[0].texts) == ["A", "B"]
    legend = [t.get_text() for t in panels[0].get_legend().get_texts()]
    assert legend == ["England", "Wales"]
    assert np.allclose(panels[0].get_xlim(), (-0.4, 0.3))  # 0.2 beyond the drawn scores
    plt.close(fig)


def test_hypothesis_plot_one_measure():
    fig = fig_sy.hypothesis_plot(joint(), [("RSA", "RSA total")], confidence=0.95)
    assert len(fig.axes) == 1 and fig.axes[0].get_ylabel() == "RSA total: site mean, 95 % CI"
    plt.close(fig)
