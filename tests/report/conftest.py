"""Fixtures of the report tests: the site effects of the synthetic data (small scores: tests/conftest.py)."""

from __future__ import annotations

import matplotlib
import pytest

from helpers.survey import ancova_by_outcome, anova_by_outcome, outcome_tests

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def tests_all(scores, synthetic, published, cfg):
    """Unadjusted and adjusted site effects of every outcome, with the article's F and p."""
    ancova = ancova_by_outcome(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    return outcome_tests(anova_by_outcome(scores), ancova, alpha=cfg.alpha, published=published)
