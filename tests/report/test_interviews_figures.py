"""Figures of the interviews (helpers.report.interviews_figures)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers import interviews as iv
from helpers.io import ROLE_PLURALS
from helpers.report import interviews_figures as fig_iv


def test_code_share_heatmap(q, overlapping_labels):
    freq = iv.code_frequencies(q, "role")
    fig = fig_iv.code_share_heatmap(freq, q.codebook, "Codes by role")
    ax = fig.axes[0]
    assert ax.get_title() == "Codes by role"
    assert [t.get_text() for t in ax.get_xticklabels()] == list(ROLE_PLURALS.values())
    assert len(ax.get_yticklabels()) == len(q.codebook.codes)
    # The cells are percentages: the first code's share among senior managers.
    first = freq[(freq["role"] == "SM")].iloc[0]["share"]
    assert ax.texts[0].get_text() == f"{100 * first:.0f}"
    # One line between each pair of neighbouring themes.
    assert len(ax.lines) == len(q.codebook.themes) - 1
    assert overlapping_labels(ax) == []
    plt.close(fig)


def test_divergence_plot(q):
    div = iv.divergence_table(q)
    fig = fig_iv.divergence_plot(div, "Staff and users")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == [d.question for d in q.codebook.divergences]
    staff = panels[0].collections[0].get_offsets()[:, 0]
    first = div[div["comparison"] == q.codebook.divergences[0].id]
    assert np.allclose(np.sort(staff), np.sort(first["staff_share"].to_numpy() * 100))
    assert fig._suptitle.get_text() == "Staff and users"
    plt.close(fig)


def test_care_plan_heatmap_and_placeholder(q, overlapping_labels):
    review = iv.care_plan_review(q)
    fig = fig_iv.care_plan_heatmap(review, "Plans")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [*q.site_list, "All sites"]
    assert len(ax.texts) == len(q.codebook.plan_fields) * 7
    assert overlapping_labels(ax) == []
    plt.close(fig)
    fig = fig_iv.placeholder_figure("No interviews in this dataset.")
    assert fig.axes[0].texts[0].get_text() == "No interviews in this dataset." and not fig.axes[0].axison
    plt.close(fig)
