"""Fixtures of the report tests: the settings, scores and results of the synthetic data, small made-up scores."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from helpers.survey import ancova_by_outcome, anova_by_outcome, outcome_tests

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def tests_all(scores, synthetic, published, cfg):
    """Unadjusted and adjusted site effects of every outcome, with the article's F and p."""
    ancova = ancova_by_outcome(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    return outcome_tests(anova_by_outcome(scores), ancova, alpha=cfg.alpha, published=published)


@pytest.fixture
def small_scores():
    """Three sites with a clear difference on one outcome and none on another."""
    rng = np.random.default_rng(11)
    rows = []
    for site, shift in (("North", 0.0), ("South", 0.0), ("West", 1.5)):
        for k in range(30):
            rows.append(("service_users", "X", "Total", f"{site}-{k}", site, 3 + shift + rng.normal(0, 0.5)))
            rows.append(("service_users", "X", "Flat", f"{site}-{k}", site, 3 + rng.normal(0, 0.5)))
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])
