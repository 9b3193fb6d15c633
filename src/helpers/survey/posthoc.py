"""Post hoc comparisons of sites: which outcomes get them, and the Tukey tests themselves.

Whether an outcome's sites are compared pair by pair is a decision rule of the analysis
settings (``posthoc_when``): after a significant site effect in the unadjusted ANOVA or
in the ANCOVA (``"either"``), in the ANOVA (``"anova"``) or in both (``"both"``).
"""

from __future__ import annotations

import pandas as pd

from helpers.io import OUTCOME
from helpers.stats import tukey_hsd

from .feasibility import comparable
from .grouping import outcomes_in
from .outcomes import by_outcome

__all__ = [
    "POSTHOC_COLUMNS",
    "posthoc_wanted",
    "posthoc_outcomes",
    "resolve_reference_site",
    "tukey_by_outcome",
    "tukey_where_significant",
    "posthoc_table",
]

#: Columns of a table of Tukey comparisons per outcome.
POSTHOC_COLUMNS = [
    *OUTCOME,
    "group_a",
    "group_b",
    "mean_a",
    "mean_b",
    "diff",
    "se",
    "ci_low",
    "ci_high",
    "p_tukey",
    "significant",
]


def posthoc_wanted(significant: bool, significant_adj: bool, *, when: str) -> bool:
    """Whether an outcome's sites are compared pair by pair under the rule ``when``.

    Parameters
    ----------
    significant, significant_adj : bool
        Whether the site effect is significant in the unadjusted ANOVA and in the ANCOVA.
    when : {"either", "anova", "both"}
        The rule (``AnalysisConfig.posthoc_when``).

    Examples
    --------
    >>> [posthoc_wanted(False, True, when=w) for w in ("either", "anova", "both")]
    [True, False, False]
    """
    if when == "either":
        return bool(significant or significant_adj)
    if when == "anova":
        return bool(significant)
    if when == "both":
        return bool(significant and significant_adj)
    raise ValueError(f"unknown post hoc rule {when!r}; expected 'either', 'anova' or 'both'")


def posthoc_outcomes(tests: pd.DataFrame, *, when: str) -> pd.DataFrame:
    """The outcomes of ``tests`` whose sites are compared pair by pair under the rule ``when``.

    Parameters
    ----------
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests` (needs ``significant`` and ``significant_adj``).
    when : {"either", "anova", "both"}

    Returns
    -------
    DataFrame
        ``group, measure, subscale`` of the qualifying outcomes, in the order of ``tests``.

    Examples
    --------
    >>> t = pd.DataFrame({"group": "g", "measure": "m", "subscale": ["a", "b", "c"],
    ...                   "significant": [True, False, True], "significant_adj": [False, True, True]})
    >>> posthoc_outcomes(t, when="both")["subscale"].tolist()
    ['c']
    """
    keep = [posthoc_wanted(a, b, when=when) for a, b in zip(tests["significant"], tests["significant_adj"])]
    return tests.loc[keep, OUTCOME].reset_index(drop=True)


def resolve_reference_site(scores: pd.DataFrame, requested: str | None) -> str | None:
    """``requested`` if that site has scores in ``scores``, else None.

    Examples
    --------
    >>> s = pd.DataFrame({"site": ["A", "B"], "score": [1.0, None]})
    >>> resolve_reference_site(s, "A"), resolve_reference_site(s, "B"), resolve_reference_site(s, None)
    ('A', None, None)
    """
    if not requested:
        return None
    present = set(scores.dropna(subset=["score"])["site"])
    return requested if requested in present else None


def tukey_by_outcome(
    scores: pd.DataFrame, *, alpha: float, confidence: float, reference: str | None = None
) -> pd.DataFrame:
    """Tukey HSD comparisons of sites per outcome (only against ``reference`` if given).

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    alpha : float
        Familywise significance level of the comparisons.
    confidence : float
        Simultaneous confidence level of the intervals.
    reference : str, optional
        Keep only the comparisons with this site.

    Returns
    -------
    DataFrame
        ``group, measure, subscale`` and the columns of :func:`helpers.stats.tukey_hsd`.
    """
    return by_outcome(
        comparable(scores),
        lambda f: tukey_hsd(f, "score", "site", reference=reference, alpha=alpha, confidence=confidence),
        POSTHOC_COLUMNS[len(OUTCOME) :],
    )


def tukey_where_significant(
    scores: pd.DataFrame,
    tests: pd.DataFrame,
    *,
    alpha: float,
    confidence: float,
    when: str,
    reference: str | None = None,
) -> pd.DataFrame:
    """Tukey HSD tests for the outcomes the rule ``when`` selects (:func:`posthoc_outcomes`).

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores` (any subset of outcomes).
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests` (needs ``significant`` and ``significant_adj``).
    alpha : float
        Familywise significance level of the comparisons.
    confidence : float
        Simultaneous confidence level of the intervals.
    when : {"either", "anova", "both"}
        The post hoc rule (``AnalysisConfig.posthoc_when``).
    reference : str, optional
        Keep only comparisons with this site (ignored if it has no data).

    Returns
    -------
    DataFrame
        :data:`POSTHOC_COLUMNS`; empty (with these columns) when no outcome qualifies.
    """
    subset = outcomes_in(scores, posthoc_outcomes(tests, when=when))
    if subset.empty:
        return pd.DataFrame(columns=POSTHOC_COLUMNS)
    reference = resolve_reference_site(subset, reference)
    return tukey_by_outcome(subset, alpha=alpha, confidence=confidence, reference=reference)[POSTHOC_COLUMNS]


def posthoc_table(tukey: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """Every outcome of ``tests`` with its Tukey comparisons, or one row saying none were run.

    A tidy record of the post hoc step that is never empty: outcomes whose sites were not
    compared appear once, with ``posthoc_run`` False and empty comparison columns.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, posthoc_run`` plus the columns of
        :func:`tukey_where_significant`.
    """
    keys = tests[OUTCOME].drop_duplicates()
    run = tukey.assign(posthoc_run=True) if len(tukey) else tukey.assign(posthoc_run=pd.Series(dtype=bool))
    out = keys.merge(run, on=OUTCOME, how="left")
    out["posthoc_run"] = out["posthoc_run"].astype("boolean").fillna(False).astype(bool)
    if "significant" in out:
        out["significant"] = out["significant"].astype("boolean")
    return out[[*OUTCOME, "posthoc_run", *[c for c in out.columns if c not in (*OUTCOME, "posthoc_run")]]]
