"""Fixtures of the report tests: the site effects of the synthetic data (small scores: tests/conftest.py)."""

from __future__ import annotations

import matplotlib
import pytest

from helpers.report.style import make_legible
from helpers.survey import ancova_by_outcome, anova_by_outcome, outcome_tests

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def tests_all(scores, synthetic, published, cfg):
    """Unadjusted and adjusted site effects of every outcome, with the article's F and p."""
    ancova = ancova_by_outcome(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    return outcome_tests(anova_by_outcome(scores), ancova, alpha=cfg.alpha, published=published)


@pytest.fixture
def overlapping_labels():
    """A function: the neighbouring y tick labels of an axes whose boxes overlap, once the figure
    is made legible as it is saved (an empty list when none do)."""

    def overlapping(ax) -> list[tuple[str, str]]:
        make_legible(ax.figure)
        renderer = ax.figure.canvas.get_renderer()
        boxes = [(t.get_window_extent(renderer), t.get_text()) for t in ax.get_yticklabels() if t.get_text()]
        boxes.sort(key=lambda box: box[0].y0)
        return [(a[1], b[1]) for a, b in zip(boxes, boxes[1:]) if a[0].y1 > b[0].y0]

    return overlapping
