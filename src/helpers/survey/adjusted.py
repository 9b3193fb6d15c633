"""Adjusted (estimated marginal) site means and their pairwise comparisons after a significant ANCOVA.

Tukey's test on unadjusted means cannot locate a site difference that only the ANCOVA
finds; the comparisons here are made at the same covariate values for every site.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from helpers.io import OUTCOME, Dataset
from helpers.stats import adjusted_means, adjusted_pairwise

from .checks import covariate_join
from .grouping import outcome_frames, outcomes_in
from .outcomes import factor_covariates, outcome_first

__all__ = ["ADJUSTED_PAIR_COLUMNS", "adjusted_means_by_outcome", "adjusted_pairs_where_significant"]

#: Columns of a table of adjusted pairwise comparisons per outcome.
ADJUSTED_PAIR_COLUMNS = [
    *OUTCOME,
    "group_a",
    "group_b",
    "emm_a",
    "emm_b",
    "diff",
    "se",
    "df",
    "t",
    "p_adjusted",
    "ci_low",
    "ci_high",
    "adjustment",
    "significant",
]


def _per_outcome(scores, dataset, covariates, categorical, func) -> pd.DataFrame:
    rows = []
    join = covariate_join(dataset)
    for key, frame in outcome_frames(scores):
        covs = list(covariates[key[0]])
        merged = join(frame, key[0], covs)
        res = func(merged, covs, factor_covariates(covs, categorical=categorical))
        rows.append(res.assign(**dict(zip(OUTCOME, key))))
    if not rows:
        return pd.DataFrame(columns=OUTCOME)
    return outcome_first(pd.concat(rows, ignore_index=True))


def adjusted_means_by_outcome(
    scores: pd.DataFrame,
    dataset: Dataset,
    *,
    covariates: Mapping[str, Sequence[str]],
    categorical: Sequence[str],
    confidence: float,
) -> pd.DataFrame:
    """Each site's unadjusted and adjusted mean per outcome (:func:`helpers.stats.adjusted_means`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, site, n, mean, emm, se, df, ci_low, ci_high``.
    """

    def means(frame, covs, factors):
        out = adjusted_means(frame, "score", "site", covariates=covs, categorical=factors, confidence=confidence)
        return out.rename(columns={"group": "site"})

    return _per_outcome(scores, dataset, covariates, categorical, means)


def adjusted_pairs_where_significant(
    scores: pd.DataFrame,
    dataset: Dataset,
    tests: pd.DataFrame,
    *,
    covariates: Mapping[str, Sequence[str]],
    categorical: Sequence[str],
    adjustment: str,
    alpha: float,
    confidence: float,
) -> pd.DataFrame:
    """Pairwise comparisons of adjusted site means for the outcomes with a significant ANCOVA.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    dataset : Dataset
        Supplies the covariates.
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests` (needs ``significant_adj``).
    covariates : dict of group to list of str
        Each group's covariates.
    categorical : sequence of str
        Covariates entered as factors.
    adjustment : {"tukey", "sidak"}
        ``AnalysisConfig.emm_adjustment``.
    alpha, confidence : float
        Familywise level of the decisions and simultaneous level of the intervals.

    Returns
    -------
    DataFrame
        :data:`ADJUSTED_PAIR_COLUMNS`; empty (these columns) when no ANCOVA is significant.
    """
    chosen = tests.loc[tests["significant_adj"].astype(bool), OUTCOME]
    subset = outcomes_in(scores, chosen)
    if subset.empty:
        return pd.DataFrame(columns=ADJUSTED_PAIR_COLUMNS)

    def pairs(frame, covs, factors):
        return adjusted_pairwise(
            frame,
            "score",
            "site",
            covariates=covs,
            categorical=factors,
            adjustment=adjustment,
            confidence=confidence,
        )

    out = _per_outcome(subset, dataset, covariates, categorical, pairs)
    if "p_adjusted" not in out:
        return pd.DataFrame(columns=ADJUSTED_PAIR_COLUMNS)
    out = out.assign(adjustment=adjustment, significant=out["p_adjusted"].astype(float).lt(alpha))
    return out[ADJUSTED_PAIR_COLUMNS].reset_index(drop=True)
