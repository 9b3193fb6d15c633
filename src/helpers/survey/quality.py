"""Data quality of every outcome: reliability, missing items and the shape of the scores.

Each table can be set beside the article's values (its reliability table, its analysed
N and the figures its Methods text states).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.io import OUTCOME, Dataset, Instrument, Published, article_text_values
from helpers.stats import cronbach_alpha_table, missing_share_summary, missing_table, non_answer_table, normality_table

from .outcomes import instruments_by_group, outcome_first

__all__ = [
    "alpha_by_outcome",
    "alpha_with_published",
    "missing_by_outcome",
    "non_answers_by_instrument",
    "missing_with_published",
    "missing_overview",
    "published_analysed_n",
    "normality_by_outcome",
    "normality_overview",
    "ARTICLE_NORMALITY_LIMITS",
]

#: The skewness and kurtosis limits beyond which the article's Methods text counts outcomes.
ARTICLE_NORMALITY_LIMITS = (1.0, 2.0)


def alpha_by_outcome(
    dataset: Dataset, instruments: Mapping[str, Instrument], *, confidence: float, acceptable: float
) -> pd.DataFrame:
    """Cronbach's alpha on complete cases of every outcome.

    Parameters
    ----------
    dataset : Dataset
    instruments : dict of str to Instrument
    confidence : float
        Confidence level of Feldt's interval.
    acceptable : float
        Smallest acceptable alpha (``AnalysisConfig.acceptable_reliability``).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, n_items, n_complete, alpha, ci_low, ci_high, acceptable``.
    """
    frames = [
        cronbach_alpha_table(dataset.group(group), inst, confidence=confidence, acceptable=acceptable).assign(
            group=group
        )
        for group, completed in instruments_by_group(instruments)
        for inst in completed
    ]
    return outcome_first(pd.concat(frames, ignore_index=True))


def alpha_with_published(alphas: pd.DataFrame, published: Published | None = None) -> pd.DataFrame:
    """:func:`alpha_by_outcome` beside the article's alphas and complete-case Ns.

    Returns
    -------
    DataFrame
        The input plus ``published_alpha, published_n_complete`` (NaN where the article
        has no value).
    """
    if published is None:
        return alphas.assign(published_alpha=np.nan, published_n_complete=np.nan)
    rel = published.reliability[[*OUTCOME, "cronbach_alpha", "n_complete_cases"]].rename(
        columns={"cronbach_alpha": "published_alpha", "n_complete_cases": "published_n_complete"}
    )
    out = alphas.merge(rel, on=OUTCOME, how="left")
    out["published_n_complete"] = out["published_n_complete"].astype(float)
    return out


def missing_by_outcome(dataset: Dataset, instruments: Mapping[str, Instrument], *, max_missing: float) -> pd.DataFrame:
    """Missing items per outcome: ``n, n_complete, share_missing, n_scored``.

    ``n_scored`` counts the participants with at most ``max_missing`` of the scale's
    items missing.
    """
    frames = [
        missing_table(dataset.group(group), inst, max_missing=max_missing).assign(group=group)
        for group, completed in instruments_by_group(instruments)
        for inst in completed
    ]
    return outcome_first(pd.concat(frames, ignore_index=True))


def non_answers_by_instrument(dataset: Dataset, instruments: Mapping[str, Instrument]) -> pd.DataFrame:
    """Missing item cells of each instrument in each group, blank cells and each not-an-answer code apart.

    Each group's instrument is the form it completed, with that form's codes; see
    :func:`helpers.stats.non_answer_table` for the columns, here after ``group``.
    """
    frames = [
        non_answer_table(dataset.group(group), dataset.non_answers.get(group), inst).assign(group=group)
        for group, completed in instruments_by_group(instruments)
        for inst in completed
    ]
    out = pd.concat(frames, ignore_index=True)
    return out[["group", *[c for c in out.columns if c != "group"]]]


def published_analysed_n(published: Published) -> pd.DataFrame:
    """The article's analysed N per outcome, from its ANOVA degrees of freedom: ``published_n_analysed``."""
    a = published.anova
    return a[OUTCOME].assign(published_n_analysed=(a["df_between"] + a["df_within"] + 1).astype(float))


def missing_with_published(missing: pd.DataFrame, published: Published | None = None) -> pd.DataFrame:
    """:func:`missing_by_outcome` beside the article's complete cases and analysed N.

    The article prints complete cases with its Cronbach's alphas and the analysed N as
    ANOVA degrees of freedom; its share with missing data is ``1 - complete / returned``.

    Returns
    -------
    DataFrame
        The input plus ``published_n_complete, published_share_missing, published_n_analysed``.
    """
    out = missing.copy()
    if published is None:
        return out.assign(published_n_complete=np.nan, published_share_missing=np.nan, published_n_analysed=np.nan)
    rel = published.reliability[[*OUTCOME, "n_complete_cases"]].rename(
        columns={"n_complete_cases": "published_n_complete"}
    )
    sizes = published.group_sizes
    rel["published_share_missing"] = 1 - rel["published_n_complete"] / rel["group"].map(sizes)
    out = out.merge(rel, on=OUTCOME, how="left").merge(published_analysed_n(published), on=OUTCOME, how="left")
    out["published_n_complete"] = out["published_n_complete"].astype(float)
    return out


def missing_overview(missing: pd.DataFrame, article: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Mean and range across outcomes of the share with missing data, beside the article's text.

    Parameters
    ----------
    missing : DataFrame
        From :func:`missing_by_outcome` (needs ``share_missing``).
    article : mapping, optional
        The article's in-text figures (:func:`helpers.io.article_text_values`, read when
        not given).

    Returns
    -------
    DataFrame
        Two rows (``source`` = ``"this data"``, ``"article"``): ``n_outcomes, mean, min, max``.

    Examples
    --------
    >>> m = pd.DataFrame({"share_missing": [0.1, 0.3]})
    >>> missing_overview(m)["mean"].round(3).tolist()
    [0.2, 0.199]
    """
    art = article_text_values() if article is None else article
    ours = missing_share_summary(missing["share_missing"]).assign(source="this data")
    theirs = pd.DataFrame(
        {
            "source": ["article"],
            "n_outcomes": [art["n_outcomes"]],
            "mean": [art["missing_mean"]],
            "min": [art["missing_min"]],
            "max": [art["missing_max"]],
        }
    )
    return pd.concat([ours, theirs], ignore_index=True)[["source", "n_outcomes", "mean", "min", "max"]]


def normality_by_outcome(scores: pd.DataFrame, *, limits: tuple[float, float]) -> pd.DataFrame:
    """Skewness and kurtosis of every outcome pooled across sites, flagged beyond the two ``limits``.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    limits : (float, float)
        The two normality limits (``AnalysisConfig.normality_limits``).

    Returns
    -------
    DataFrame
        ``group, measure, subscale`` and the columns of :func:`helpers.stats.normality_table`.
    """
    return normality_table(scores, value="score", by=OUTCOME, limits=limits)


def normality_overview(
    normality: pd.DataFrame, *, limits: tuple[float, float], article: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """How many outcomes lie beyond each normality limit in skewness or kurtosis, beside the article.

    Parameters
    ----------
    normality : DataFrame
        From :func:`normality_by_outcome` with the same ``limits``.
    limits : (float, float)
        The two normality limits (``AnalysisConfig.normality_limits``).
    article : mapping, optional
        The article's in-text figures (:func:`helpers.io.article_text_values`, read when
        not given).

    Returns
    -------
    DataFrame
        One row per limit (``criterion`` reads ``"beyond ±1"``): ``criterion, this_data,
        n_outcomes, article, article_n_outcomes``. The article counted outcomes beyond
        :data:`ARTICLE_NORMALITY_LIMITS`; its count is NaN for any other limit.

    Examples
    --------
    >>> n = pd.DataFrame({"beyond_1": [True, False], "beyond_2": [False, False]})
    >>> art = {"beyond_1": 3, "beyond_2": 0, "n_outcomes": 22}
    >>> normality_overview(n, limits=(1, 2), article=art)[["criterion", "this_data", "article"]].values.tolist()
    [['beyond ±1', 1, 3], ['beyond ±2', 0, 0]]
    """
    n = int(len(normality))
    art = article_text_values() if article is None else article
    published = dict(zip(ARTICLE_NORMALITY_LIMITS, (art["beyond_1"], art["beyond_2"])))
    return pd.DataFrame(
        {
            "criterion": [f"beyond ±{float(limit):g}" for limit in limits],
            "this_data": [int(normality["beyond_1"].sum()), int(normality["beyond_2"].sum())],
            "n_outcomes": [n, n],
            "article": [published.get(float(limit), np.nan) for limit in limits],
            "article_n_outcomes": [art["n_outcomes"], art["n_outcomes"]],
        }
    )
