"""Covariates placed so that adjusting for them changes no site decision, as the article found.

The covariates are not published and no published number depends on which participant of a
site holds which covariate values. Exchanging two participants' covariates within a site
therefore leaves every reproduced number as it is, while it moves the ANCOVA. A greedy
search of such exchanges brings every ANCOVA decision at ``alpha`` in line with the
one-way ANOVA decision (:func:`helpers.synthetic.conclusions.ancova_mismatches` is the
same check as the manifest's).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from helpers.io import OUTCOME, AnalysisConfig, Dataset
from helpers.survey import ancova_by_outcome, anova_by_outcome

__all__ = ["ADJUSTMENT_STEPS", "align_adjusted_decisions"]

#: Exchanges tried at most, and how far from ``alpha`` (as a factor) a p must lie to be safe.
ADJUSTMENT_STEPS = 400
SAFETY = 1.25


def _cost(p: float, significant: bool, alpha: float) -> float:
    """How far an ANCOVA p lies on the wrong side of its safe band (0 when inside)."""
    if significant:
        return max(0.0, math.log(p) - math.log(alpha / SAFETY))
    return max(0.0, math.log(alpha * SAFETY) - math.log(p))


def align_adjusted_decisions(
    scores: pd.DataFrame,
    dataset: Dataset,
    settings: AnalysisConfig,
    columns: dict[str, list[str]],
    rng: np.random.Generator,
) -> tuple[Dataset, dict[str, np.ndarray]]:
    """Exchange covariates within sites until every ANCOVA decision equals the ANOVA's.

    Parameters
    ----------
    scores : DataFrame
        :func:`helpers.survey.outcome_scores` of ``dataset``.
    dataset : Dataset
        The synthetic dataset as loaded.
    settings : AnalysisConfig
        ``alpha`` and the covariates.
    columns : dict of group to list of str
        The covariate columns of each group, exchanged together so that each participant's
        covariates stay coherent.
    rng : numpy Generator
        The generator's random stream.

    Returns
    -------
    dataset : Dataset
        With the covariates exchanged.
    order : dict of group to array
        Per group, the row each row's covariates now come from (apply to the written table).
    """
    alpha = settings.alpha
    decisions = anova_by_outcome(scores).set_index(OUTCOME)["p"].lt(alpha)
    order = {g: np.arange(len(dataset.group(g))) for g in ("service_users", "care_coordinators")}

    def ancova(ds, keys):
        subset = scores.merge(pd.DataFrame(list(keys), columns=OUTCOME), on=OUTCOME)
        res = ancova_by_outcome(
            subset, ds, covariates=settings.covariate_sets, categorical=settings.categorical_covariates
        )
        return res.set_index(OUTCOME)["p"]

    p_all = ancova(dataset, decisions.index)
    at_risk = [k for k in decisions.index if alpha / 3 < p_all[k] < alpha * 3 or _cost(p_all[k], decisions[k], alpha)]
    costs = {k: _cost(p_all[k], decisions[k], alpha) for k in at_risk}
    for _step in range(ADJUSTMENT_STEPS):
        bad = [k for k, c in costs.items() if c > 0]
        if not bad:
            break
        group = bad[int(rng.integers(len(bad)))][0]
        frame = dataset.group(group)
        covs = list(columns[group])
        site = frame["site"].iloc[int(rng.integers(len(frame)))]
        rows = np.flatnonzero((frame["site"] == site).to_numpy())
        a, b = rng.choice(rows, size=2, replace=False)
        swapped = frame.copy()
        swapped.loc[swapped.index[[a, b]], covs] = frame.loc[frame.index[[b, a]], covs].to_numpy()
        candidate = dataclasses.replace(dataset, **{group: swapped})
        keys = [k for k in costs if k[0] == group]
        p_new = ancova(candidate, keys)
        new = {k: _cost(p_new[k], decisions[k], alpha) for k in keys}
        if sum(new.values()) < sum(costs[k] for k in keys):
            dataset = candidate
            costs.update(new)
            order[group][[a, b]] = order[group][[b, a]]
    return dataset, order
