"""England and Wales: what the survey and the interviews jointly say about the two countries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.interviews import country_site_means
from helpers.io import QualData
from helpers.stats import is_significant
from helpers.survey import country_comparison

__all__ = ["Domain", "DOMAINS", "SURVEY_STATUSES", "country_contrasts", "country_meta_inference"]

#: What the survey strand can say about a domain.
SURVEY_STATUSES = ("tested", "not testable", "no survey measure")


@dataclass(frozen=True)
class Domain:
    """A question on which the two strands are compared between countries.

    Attributes
    ----------
    id, label : str
    survey : (group, measure, subscale) or None
        The survey outcome; None when the survey has no measure of the domain.
    indicators : tuple of str
        Code-book indicators of the interviews.
    same_construct : bool
        Whether the survey measure and the first indicator measure the same thing closely
        enough for their directions to be compared.
    """

    id: str
    label: str
    survey: tuple[str, str, str] | None
    indicators: tuple[str, ...]
    same_construct: bool = False


DOMAINS = (
    Domain(
        "collaboration",
        "Collaborative care planning and the therapeutic relationship",
        ("service_users", "STAR-P", "Total"),
        ("collaboration",),
        same_construct=True,
    ),
    Domain("recovery", "Recovery orientation", ("service_users", "RSA", "Total"), ("recovery_articulated",)),
    Domain(
        "personalisation",
        "Personalisation and empowerment",
        ("service_users", "ES", "Total"),
        ("pb_promoted", "pb_resisted"),
    ),
    Domain("risk", "Risk discussed with service users", None, ("risk_involved_users",)),
)


def _contrast(q: QualData, indicator: str, margin: float) -> pd.DataFrame:
    """:func:`helpers.interviews.country_site_means` with the contrast rule applied."""
    means = country_site_means(q, indicator)
    diff, higher = float("nan"), ""
    if len(means) == 2 and (means["n_sites"] > 0).all():
        diff = float(means["site_mean"].iloc[1] - means["site_mean"].iloc[0])
        above = means.loc[means["above_others"], "country"]
        if len(above) and abs(diff) >= margin:
            higher = str(above.iloc[0])
    return means.assign(contrast=higher != "", higher=higher, diff=diff)


def country_contrasts(q: QualData, *, margin: float, domains: Sequence[Domain] = DOMAINS) -> pd.DataFrame:
    """The interview strand per domain and country: each indicator's mean of site values.

    Rule: an indicator shows a *contrast* when the dataset has two countries, every site
    of one lies beyond every site of the other, and the two means of site values differ
    by at least ``margin``.

    Parameters
    ----------
    q : QualData
    margin : float
        The setting ``collaboration_margin``.
    domains : sequence of Domain

    Returns
    -------
    DataFrame
        One row per domain, indicator and country (alphabetical): ``domain, indicator,
        label, kind, country, n_sites, site_mean, above_others, contrast, higher, diff``
        (``higher``: the country higher at every site, ``""`` without a contrast;
        ``diff``: the second country's mean minus the first's).
    """
    frames = [_contrast(q, i, margin).assign(domain=d.id) for d in domains for i in d.indicators]
    columns = ["domain", "indicator", "label", "kind", "country", "n_sites", "site_mean", "above_others"]
    if not frames:
        return pd.DataFrame(columns=[*columns, "contrast", "higher", "diff"])
    return pd.concat(frames, ignore_index=True)[[*columns, "contrast", "higher", "diff"]]


def _survey(scores: pd.DataFrame, countries: pd.Series, domain: Domain, alpha: float, confidence: float) -> dict:
    """The survey strand of one domain: the countries' site means compared (sites as the unit)."""
    nan = float("nan")
    row = {
        "survey_measure": "",
        "survey_status": "no survey measure",
        "survey_note": "",
        "country_1": "",
        "country_2": "",
        "survey_diff": nan,
        "survey_p": nan,
        "survey_testable": False,
        "survey_significant": False,
        "survey_higher": "",
    }
    if domain.survey is None:
        return row
    group, measure, subscale = domain.survey
    row.update(survey_measure=f"{measure} {subscale.lower()}", survey_status="not testable")
    sel = scores[(scores["group"] == group) & (scores["measure"] == measure) & (scores["subscale"] == subscale)]
    if not len(sel.dropna(subset=["score"])):
        return row
    comp = country_comparison(sel, countries, confidence=confidence)
    if comp.empty:
        return row
    c = comp.iloc[0]
    row["survey_note"] = str(c["note"])
    if not bool(c["testable"]):
        return row
    row.update(
        survey_status="tested",
        country_1=c["country_1"],
        country_2=c["country_2"],
        survey_diff=float(c["diff"]),
        survey_p=float(c["p"]),
        survey_testable=True,
        survey_significant=is_significant(float(c["p"]), alpha),
        survey_higher=c["country_2"] if c["diff"] > 0 else c["country_1"],
    )
    return row


def _jointly(domain: Domain, survey: dict, contrasts: pd.DataFrame, available: bool) -> str:
    """The meta-inference rule (see :func:`country_meta_inference`)."""
    per_indicator = contrasts.drop_duplicates("indicator").set_index("indicator")
    any_contrast = bool(per_indicator["contrast"].any()) if len(per_indicator) else False
    if not available:
        return (
            "no interviews: only the survey strand has data"
            if survey["survey_testable"]
            else ("no data in either strand")
        )
    if survey["survey_significant"] and any_contrast:
        first = per_indicator.iloc[0] if len(per_indicator) else None
        if domain.same_construct and first is not None and first["contrast"]:
            same = int(np.sign(first["diff"])) == int(np.sign(survey["survey_diff"]))
            return "the strands agree on a country difference" if same else "the strands point in opposite directions"
        return "both strands show country differences, on different aspects"
    if survey["survey_significant"]:
        return "only the survey separates the countries"
    if any_contrast:
        return "only the interviews separate the countries" + (
            "; the survey has no measure of it" if domain.survey is None else ""
        )
    return "neither strand separates the countries"


def country_meta_inference(
    scores: pd.DataFrame,
    q: QualData,
    *,
    alpha: float,
    confidence: float,
    margin: float,
    domains: Sequence[Domain] = DOMAINS,
) -> pd.DataFrame:
    """What the survey and the interviews jointly say about England and Wales, per domain.

    Survey strand: :func:`helpers.survey.country_comparison` (site means compared with
    Student's t, sites as the unit). Interview strand: :func:`country_contrasts`.

    Meta-inference rule: ``the strands agree on a country difference`` when the survey
    difference is significant, the first indicator shows a contrast in the same
    direction and the domain compares the same construct; ``the strands point in opposite
    directions`` in the opposite case; ``both strands show country differences, on
    different aspects`` when both show one but the constructs differ; ``only the survey
    separates the countries``; ``only the interviews separate the countries`` (adding
    ``the survey has no measure of it`` when it has none); ``neither strand separates the
    countries``; without interviews, whether only the survey strand has data.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    q : QualData
    alpha : float
        Significance level of the survey comparison.
    confidence : float
        Level of the interval of the survey difference.
    margin : float
        The setting ``collaboration_margin`` (see :func:`country_contrasts`).
    domains : sequence of Domain

    Returns
    -------
    DataFrame
        ``domain, label, survey_measure, survey_status`` (one of :data:`SURVEY_STATUSES`)
        ``, survey_note, country_1, country_2, survey_diff`` (second country minus the
        first, alphabetically) ``, survey_p, survey_testable, survey_significant,
        survey_higher, any_contrast, jointly``.
    """
    countries = q.sites.set_index("site")["country"]
    contrasts = country_contrasts(q, margin=margin, domains=domains)
    rows = []
    for d in domains:
        survey = _survey(scores, countries, d, alpha, confidence)
        mine = contrasts[contrasts["domain"] == d.id]
        rows.append(
            {
                "domain": d.id,
                "label": d.label,
                **survey,
                "any_contrast": bool(mine["contrast"].any()),
                "jointly": _jointly(d, survey, mine, q.available),
            }
        )
    columns = [
        "domain",
        "label",
        "survey_measure",
        "survey_status",
        "survey_note",
        "country_1",
        "country_2",
        "survey_diff",
        "survey_p",
        "survey_testable",
        "survey_significant",
        "survey_higher",
        "any_contrast",
    ]
    return pd.DataFrame(rows, columns=[*columns, "jointly"])
