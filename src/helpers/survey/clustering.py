"""Clustering of the survey's respondents and the site comparison that allows for it.

Respondents are clustered within sites and, when the data say so, within teams and care
coordinators (the optional columns ``team`` and ``care_coordinator_id``). Per outcome:
the intraclass correlation at every level present, and a multilevel check of the site
effect beside the one-way ANOVA.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.io import OUTCOME, Dataset
from helpers.stats import clustered_site_test, icc_oneway, site_variance_test

from .checks import covariate_join
from .grouping import outcome_frames
from .outcomes import outcome_first

__all__ = ["cluster_levels_present", "icc_by_outcome", "multilevel_by_outcome"]


def cluster_levels_present(dataset: Dataset, group: str, levels: Sequence[str]) -> list[str]:
    """The cluster ``levels`` (in the order given) that ``group``'s table holds with at least one value."""
    people = dataset.group(group)
    return [c for c in levels if c in people.columns and people[c].notna().any()]


def icc_by_outcome(scores: pd.DataFrame, dataset: Dataset, *, levels: Sequence[str], confidence: float) -> pd.DataFrame:
    """Intraclass correlation of every outcome by site and by each cluster level present.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    dataset : Dataset
        Supplies the cluster columns.
    levels : sequence of str
        Candidate levels below the site (``AnalysisConfig.cluster_levels``).
    confidence : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        ``group, measure, subscale`` and the columns of :func:`helpers.stats.icc_oneway`,
        one row per outcome and level (``site`` first).
    """
    rows = []
    join = covariate_join(dataset)
    for key, frame in outcome_frames(scores):
        present = cluster_levels_present(dataset, key[0], levels)
        merged = join(frame, key[0], present)
        for level in ["site", *present]:
            rows.append(icc_oneway(merged, "score", level, confidence=confidence).assign(**dict(zip(OUTCOME, key))))
    return outcome_first(pd.concat(rows, ignore_index=True))


def multilevel_by_outcome(scores: pd.DataFrame, dataset: Dataset, *, levels: Sequence[str]) -> pd.DataFrame:
    """A multilevel check of the site effect of every outcome.

    With cluster levels below the site in the data, the site effect is tested with random
    intercepts for them (:func:`helpers.stats.clustered_site_test`); without, the sites
    themselves get a random intercept and its variance is tested
    (:func:`helpers.stats.site_variance_test`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, model, n, statistic, df, p, status`` plus the variance
        columns of the fitted model; ``model`` names the random intercepts, ``status`` says
        when a model was singular, did not converge or could not be estimated.
    """
    rows = []
    join = covariate_join(dataset)
    for key, frame in outcome_frames(scores):
        present = cluster_levels_present(dataset, key[0], levels)
        merged = join(frame, key[0], present)
        if present:
            res = clustered_site_test(merged, "score", "site", clusters=present)
            res = res.rename(columns={"chi2": "statistic"}).assign(
                model=f"site fixed; random intercepts for {', '.join(present)}", test="Wald chi-square"
            )
        else:
            res = site_variance_test(merged, "score", "site")
            res = res.rename(columns={"lr": "statistic"}).assign(
                model="random intercepts for sites", test="likelihood ratio (chi-bar-square)", df=1
            )
        rows.append(res.assign(**dict(zip(OUTCOME, key))))
    out = outcome_first(pd.concat(rows, ignore_index=True))
    first = [*OUTCOME, "model", "test", "n", "statistic", "df", "p", "status"]
    return out[[*first, *[c for c in out.columns if c not in first]]]
