"""The two strands summarised per site: the survey's site means and what the interviews say."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.interviews import indicator_values
from helpers.io import QualData
from helpers.stats import is_significant
from helpers.survey import anova_by_outcome, site_summaries, tukey_by_outcome

from .rules import collaboration_position, collaboration_words, frequency_word, plan_use_words

__all__ = ["SURVEY_MEASURES", "MEASURE_NAMES", "survey_by_site", "qualitative_by_site"]

#: Survey outcomes of the joint display: (group, measure, subscale, label).
SURVEY_MEASURES = (
    ("service_users", "STAR-P", "Total", "STAR-P total"),
    ("service_users", "RSA", "Total", "RSA total"),
    ("service_users", "ES", "Total", "ES total"),
)
#: The measures' names, as the joint display's columns (``STAR-P_mean`` ...) use them.
MEASURE_NAMES = tuple(m[1] for m in SURVEY_MEASURES)


def _tukey_sides(tukey: pd.DataFrame, site: str) -> tuple[list[str], list[str]]:
    """The sites ``site`` lies significantly above, and below, in Tukey's comparisons."""
    above, below = set(), set()
    for a, b, d in zip(tukey["group_a"], tukey["group_b"], tukey["diff"]):
        # Tukey's ``diff`` is mean_a - mean_b: positive puts ``group_a`` above ``group_b``.
        if (site == a and d > 0) or (site == b and d < 0):
            above.add(b if site == a else a)
        if (site == a and d < 0) or (site == b and d > 0):
            below.add(b if site == a else a)
    return sorted(above), sorted(below)


def survey_by_site(
    scores: pd.DataFrame,
    sites: Sequence[str],
    *,
    alpha: float,
    confidence: float,
    measures: Sequence[tuple[str, str, str, str]] = SURVEY_MEASURES,
) -> pd.DataFrame:
    """Each site's survey result per measure, and whether it differs significantly from other sites.

    Rule: a site is ``higher`` when the one-way ANOVA across sites has p < ``alpha`` and
    Tukey's HSD finds the site significantly above at least one other site and below
    none; ``lower`` in the mirror case; ``mixed`` when both; otherwise ``not
    different``; ``no data`` when the site has no score.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    sites : sequence of str
        Every site of the dataset (in display order).
    alpha : float
        Significance level of the ANOVA and of Tukey's comparisons.
    confidence : float
        Level of the intervals around the site means.
    measures : sequence of (group, measure, subscale, label)

    Returns
    -------
    DataFrame
        ``site, measure, label, n, mean, ci_low, ci_high, anova_p, higher_than, lower_than,
        position`` (``higher_than`` and ``lower_than`` list the other sites, comma separated).
    """
    nan = float("nan")
    rows = []
    for group, measure, subscale, label in measures:
        sel = scores[(scores["group"] == group) & (scores["measure"] == measure) & (scores["subscale"] == subscale)]
        sel = sel.dropna(subset=["score"])
        summary = site_summaries(sel, confidence=confidence).set_index("site") if len(sel) else pd.DataFrame()
        anova_p = nan
        tukey = pd.DataFrame(columns=["group_a", "group_b", "diff", "significant"])
        anova = anova_by_outcome(sel)  # empty when the comparison is not estimable
        if len(anova):
            anova_p = float(anova["p"].iloc[0])
            if is_significant(anova_p, alpha):
                tukey = tukey_by_outcome(sel, alpha=alpha, confidence=confidence)
        sig = tukey[tukey["significant"].astype(bool)]
        for site in sites:
            above, below = _tukey_sides(sig, site)
            if site not in summary.index:
                row = {"n": 0, "mean": nan, "ci_low": nan, "ci_high": nan}
                position = "no data"
            else:
                s = summary.loc[site]
                row = {
                    "n": int(s["n"]),
                    "mean": float(s["mean"]),
                    "ci_low": float(s["ci_low"]),
                    "ci_high": float(s["ci_high"]),
                }
                position = "mixed" if above and below else "higher" if above else "lower" if below else "not different"
            rows.append(
                {
                    "site": site,
                    "measure": measure,
                    "label": label,
                    **row,
                    "anova_p": anova_p,
                    "higher_than": ", ".join(above),
                    "lower_than": ", ".join(below),
                    "position": position,
                }
            )
    return pd.DataFrame(rows)


def qualitative_by_site(
    q: QualData,
    *,
    margin: float,
    word_threshold: float,
    frequency_thresholds: tuple[float, float],
    plan_use_threshold: float,
) -> pd.DataFrame:
    """The qualitative summary of each site for the joint display.

    - **collaboration**: the code book's ``collaboration`` indicator: among service users',
      carers' and care coordinators' accounts, the share describing plans as made
      together minus the share describing them as made for the person (-1 to 1);
      its position by :func:`collaboration_position` and words by
      :func:`collaboration_words`;
    - **risk discussed**: the share of service users' and carers' accounts describing
      involvement in risk assessment (``risk_involved_users``), in words by
      :func:`frequency_word`, and the reviewed plans whose risk assessment was shared;
    - **plans used**: :func:`plan_use_words` from ``plan_record_staff`` and ``plan_unused``.

    Parameters
    ----------
    q : QualData
    margin, word_threshold, frequency_thresholds, plan_use_threshold
        The settings ``collaboration_margin``, ``collaboration_word_threshold``,
        ``frequency_thresholds`` and ``plan_use_threshold``.

    Returns
    -------
    DataFrame
        ``site, country, n_interviews, collab_n, collaboration, collab_position,
        collab_words, risk_n, risk_share, risk_words, plans_n, plans_risk_shared,
        record_share, unused_share, plan_use``.
    """
    collab = indicator_values(q, "collaboration", "site").set_index("site")
    risk = indicator_values(q, "risk_involved_users", "site").set_index("site")
    record = indicator_values(q, "plan_record_staff", "site").set_index("site")
    unused = indicator_values(q, "plan_unused", "site").set_index("site")
    position = collaboration_position(collab["value"], margin=margin)
    n_int = q.interviews["site"].value_counts()
    country = q.sites.set_index("site")["country"]
    rows = []
    for site in q.site_list:
        plans = q.care_plans[q.care_plans["site"] == site]
        shared = plans["risk_assessment_shared"].dropna() if "risk_assessment_shared" in plans else pd.Series([])
        rows.append(
            {
                "site": site,
                "country": country[site],
                "n_interviews": int(n_int.get(site, 0)),
                "collab_n": int(collab.at[site, "n_accounts"]),
                "collaboration": float(collab.at[site, "value"]),
                "collab_position": position[site],
                "collab_words": collaboration_words(collab.at[site, "value"], threshold=word_threshold),
                "risk_n": int(risk.at[site, "n_accounts"]),
                "risk_share": float(risk.at[site, "value"]),
                "risk_words": frequency_word(risk.at[site, "value"], thresholds=frequency_thresholds),
                "plans_n": int(len(shared)),
                "plans_risk_shared": int(shared.astype(bool).sum()),
                "record_share": float(record.at[site, "value"]),
                "unused_share": float(unused.at[site, "value"]),
                "plan_use": plan_use_words(
                    record.at[site, "value"], unused.at[site, "value"], threshold=plan_use_threshold
                ),
            }
        )
    return pd.DataFrame(rows)
