"""Assumption checks, robust alternatives and effect-size intervals beside every site comparison.

For each outcome: equal variances across sites (Levene / Brown-Forsythe), Welch's ANOVA,
eta and omega squared with a confidence interval, Games-Howell pairs, and the ANCOVA's
homogeneity of slopes and residual checks. Each table has one row per outcome (or per
outcome and covariate, or pair) and a ``reason`` wherever a statistic could not be
estimated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from helpers.io import OUTCOME, Dataset
from helpers.stats import (
    anova_effect_sizes,
    games_howell,
    levene_test,
    residual_checks,
    slopes_homogeneity,
    welch_anova,
)

from .grouping import outcome_frames, participant_join
from .outcomes import by_outcome, factor_covariates, outcome_first

__all__ = [
    "ancova_residuals_by_outcome",
    "assumption_checks",
    "games_howell_by_outcome",
    "slopes_by_outcome",
    "with_covariates",
]


def assumption_checks(scores: pd.DataFrame, *, center: str, confidence: float) -> pd.DataFrame:
    """Per outcome: Levene's test, Welch's ANOVA and the effect sizes with their interval.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    center : {"median", "mean"}
        Centre of Levene's test (``AnalysisConfig.levene_center``).
    confidence : float
        Level of the effect-size interval.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, n, k, levene_W, levene_p, welch_F, welch_df_within,
        welch_p, eta_squared, omega_squared, es_ci_low, es_ci_high, reason`` (the reasons
        of the three statistics, joined, empty when all were estimated).
    """

    def checks(frame: pd.DataFrame) -> pd.DataFrame:
        lev = levene_test(frame, "score", "site", center=center).iloc[0]
        wel = welch_anova(frame, "score", "site").iloc[0]
        es = anova_effect_sizes(frame, "score", "site", confidence=confidence).iloc[0]
        reasons = list(dict.fromkeys(r for r in (lev["reason"], wel["reason"], es["reason"]) if r))
        return pd.DataFrame(
            [
                {
                    "n": int(es["n"]),
                    "k": int(es["k"]),
                    "levene_W": lev["W"],
                    "levene_p": lev["p"],
                    "welch_F": wel["F"],
                    "welch_df_within": wel["df_within"],
                    "welch_p": wel["p"],
                    "eta_squared": es["eta_squared"],
                    "omega_squared": es["omega_squared"],
                    "es_ci_low": es["ci_low"],
                    "es_ci_high": es["ci_high"],
                    "reason": "; ".join(reasons),
                }
            ]
        )

    return by_outcome(scores, checks)


def games_howell_by_outcome(scores: pd.DataFrame, *, confidence: float) -> pd.DataFrame:
    """Games-Howell comparisons of every pair of sites per outcome (:func:`helpers.stats.games_howell`)."""
    return by_outcome(scores, lambda f: games_howell(f, "score", "site", confidence=confidence))


def with_covariates(frame: pd.DataFrame, dataset: Dataset, group: str, columns: Sequence[str]) -> pd.DataFrame:
    """The scored rows of ``frame`` with the participants' ``columns`` from ``dataset`` attached.

    Columns the group's table does not hold are added empty, so that a model using them
    drops every row and says so instead of failing.
    """
    return covariate_join(dataset)(frame, group, columns)


def covariate_join(dataset: Dataset):
    """A function ``join(frame, group, columns)`` returning :func:`with_covariates` of ``frame``.

    Made once for a loop over outcomes, it matches each outcome's rows to the participants
    by position where it can (:func:`helpers.survey.grouping.participant_join`).
    """
    join = participant_join(dataset)

    def with_columns(frame: pd.DataFrame, group: str, columns: Sequence[str]) -> pd.DataFrame:
        people = dataset.group(group)
        present = [c for c in columns if c in people.columns]
        return join(frame, group, present).assign(**{c: pd.NA for c in columns if c not in present})

    return with_columns


def _ancova_by_outcome(scores, dataset, covariates, categorical, func) -> pd.DataFrame:
    rows = []
    join = covariate_join(dataset)
    for key, frame in outcome_frames(scores):
        covs = list(covariates[key[0]])
        merged = join(frame, key[0], covs)
        res = func(
            merged, "score", "site", covariates=covs, categorical=factor_covariates(covs, categorical=categorical)
        )
        rows.append(res.assign(**dict(zip(OUTCOME, key))))
    return outcome_first(pd.concat(rows, ignore_index=True))


def slopes_by_outcome(
    scores: pd.DataFrame, dataset: Dataset, *, covariates: Mapping[str, Sequence[str]], categorical: Sequence[str]
) -> pd.DataFrame:
    """Homogeneity of the slopes of every numeric covariate, per outcome (:func:`helpers.stats.slopes_homogeneity`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, covariate, n, df, df_resid, F, p, reason``.
    """
    return _ancova_by_outcome(scores, dataset, covariates, categorical, slopes_homogeneity)


def ancova_residuals_by_outcome(
    scores: pd.DataFrame, dataset: Dataset, *, covariates: Mapping[str, Sequence[str]], categorical: Sequence[str]
) -> pd.DataFrame:
    """Normality and spread of the ANCOVA residuals per outcome (:func:`helpers.stats.residual_checks`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, n, skewness, excess_kurtosis, shapiro_W, shapiro_p,
        breusch_pagan, bp_df, bp_p, reason``.
    """
    return _ancova_by_outcome(scores, dataset, covariates, categorical, residual_checks)
