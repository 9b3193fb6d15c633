"""The mixed-methods synthesis: the survey and the interviews set side by side, site by site.

The study was a convergent design: survey and qualitative data were analysed
separately and then brought together per site (each site a case) and per country.
This module does that integration with explicit rules, so that every judgement on
the page follows from the numbers and can be checked:

- :func:`survey_by_site`: each site's mean of the service users' STAR-P, RSA and ES
  totals with its 95 % CI, and whether the site differs significantly from others
  (one-way ANOVA across sites, then Tukey HSD, from :mod:`helpers.analysis`);
- :func:`qualitative_by_site`: how care planning was described at each site (a
  collaboration score from codes), whether risk was discussed with service users,
  and how plans were used;
- :func:`joint_display`: one row per site with both strands and a convergence
  judgement per survey measure by the rules of :func:`judge`;
- :func:`spearman_permutation` and :func:`hypothesis_tests`: the study's hypothesis
  (sites where care planning was described as more collaborative score higher),
  with an exact permutation p over all n! orderings of the sites;
- :func:`country_meta_inference`: what the two strands jointly say about England
  and Wales.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import analysis
from .qualitative import QualData, indicator_values, pct

__all__ = [
    "SURVEY_MEASURES", "POSITIONS", "QUAL_POSITIONS", "JUDGEMENTS", "COLLABORATION_MARGIN", "Domain", "DOMAINS",
    "COLLABORATION_WORD_THRESHOLD", "FREQUENCY_THRESHOLDS", "PLAN_USE_THRESHOLD", "fraction_text",
    "survey_by_site", "collaboration_position", "collaboration_words", "frequency_word", "plan_use_words",
    "qualitative_by_site", "judge", "judgement_rules", "joint_display", "joint_display_table",
    "PermutationResult", "spearman_permutation", "hypothesis_tests", "country_meta_inference",
    "judgement_sentence", "hypothesis_sentence", "hypothesis_caveat", "meta_inference_sentence",
    "country_interview_caveat",
    "hypothesis_plot",
]

#: Survey outcomes of the joint display: (group, measure, subscale, label).
SURVEY_MEASURES = (
    ("service_users", "STAR-P", "Total", "STAR-P total"),
    ("service_users", "RSA", "Total", "RSA total"),
    ("service_users", "ES", "Total", "ES total"),
)
#: A site's survey position on one measure.
POSITIONS = ("higher", "lower", "mixed", "not different", "no data")
#: A site's qualitative position on collaboration.
QUAL_POSITIONS = ("higher", "lower", "similar", "no data")
#: Convergence judgements (after O'Cathain, Murphy and Nicholl's triangulation protocol, BMJ 2010).
JUDGEMENTS = ("agreement", "partial agreement", "dissonance", "silence")
#: How far (on the -1 to 1 scale) a site's collaboration score must lie from the mean of the
#: other sites' to count as higher or lower.
COLLABORATION_MARGIN = 0.25
#: Collaboration scores at or beyond +/- this read "mostly collaborative" / "mostly professional-led".
COLLABORATION_WORD_THRESHOLD = 1 / 3
#: Shares below the first read "rarely", below the second "sometimes", otherwise "usually".
FREQUENCY_THRESHOLDS = (1 / 3, 2 / 3)
#: Share from which staff valuing plans as records, or accounts of plans unused, count.
PLAN_USE_THRESHOLD = 0.5


def fraction_text(x: float) -> str:
    """A rule threshold for prose: thirds and quarters as fractions, one half in words, else two decimals.

    Examples
    --------
    >>> fraction_text(1 / 3), fraction_text(0.5), fraction_text(0.75), fraction_text(0.4)
    ('1/3', 'one half', '3/4', '0.40')
    """
    from fractions import Fraction

    f = Fraction(x).limit_denominator(12)
    if abs(float(f) - x) < 1e-9 and f.denominator in (2, 3, 4):
        return "one half" if f == Fraction(1, 2) else f"{f.numerator}/{f.denominator}"
    return f"{x:.2f}"


# =========================================================================== survey strand


def survey_by_site(scores: pd.DataFrame, sites: Sequence[str], alpha: float = 0.05,
                   measures: Sequence[tuple[str, str, str, str]] = SURVEY_MEASURES) -> pd.DataFrame:
    """Each site's survey result per measure, and whether it differs significantly from other sites.

    Rule: a site is ``higher`` when the one-way ANOVA across sites has p < ``alpha`` and
    Tukey's HSD finds the site significantly above at least one other site and below
    none; ``lower`` in the mirror case; ``mixed`` when both; otherwise ``not
    different``; ``no data`` when the site has no score.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.analysis.outcome_scores`.
    sites : sequence of str
        Every site of the dataset (in display order).
    alpha : float
    measures : sequence of (group, measure, subscale, label)

    Returns
    -------
    DataFrame
        ``site, measure, label, n, mean, ci_low, ci_high, anova_p, higher_than, lower_than,
        position`` (``higher_than`` and ``lower_than`` list the other sites, comma separated).
    """
    rows = []
    for group, measure, subscale, label in measures:
        sel = scores[(scores["group"] == group) & (scores["measure"] == measure) & (scores["subscale"] == subscale)]
        sel = sel.dropna(subset=["score"])
        summary = analysis.site_summaries(sel).set_index("site") if len(sel) else pd.DataFrame()
        anova_p = float("nan")
        tukey = pd.DataFrame(columns=["group_a", "group_b", "diff", "significant"])
        if sel["site"].nunique() >= 2:
            anova_p = float(analysis.anova_by_outcome(sel)["p"].iloc[0])
            if analysis.significant(anova_p, alpha):
                tukey = analysis.tukey_by_outcome(sel, alpha=alpha)
        sig = tukey[tukey["significant"].astype(bool)]
        for site in sites:
            above = sorted({b for a, b, d in zip(sig["group_a"], sig["group_b"], sig["diff"]) if a == site and d > 0}
                           | {a for a, b, d in zip(sig["group_a"], sig["group_b"], sig["diff"]) if b == site and d < 0})
            below = sorted({b for a, b, d in zip(sig["group_a"], sig["group_b"], sig["diff"]) if a == site and d < 0}
                           | {a for a, b, d in zip(sig["group_a"], sig["group_b"], sig["diff"]) if b == site and d > 0})
            if site not in summary.index:
                row = {"n": 0, "mean": float("nan"), "ci_low": float("nan"), "ci_high": float("nan")}
                position = "no data"
            else:
                s = summary.loc[site]
                row = {"n": int(s["n"]), "mean": float(s["mean"]), "ci_low": float(s["ci_low"]),
                       "ci_high": float(s["ci_high"])}
                position = ("mixed" if above and below else "higher" if above else "lower" if below
                            else "not different")
            rows.append({"site": site, "measure": measure, "label": label, **row, "anova_p": anova_p,
                         "higher_than": ", ".join(above), "lower_than": ", ".join(below), "position": position})
    return pd.DataFrame(rows)


# =========================================================================== qualitative strand


def collaboration_position(scores: pd.Series, margin: float = COLLABORATION_MARGIN) -> pd.Series:
    """Each site's collaboration score against the mean of the other sites' scores.

    Rule: ``higher`` when the score exceeds the mean of the other sites' scores by at
    least ``margin``, ``lower`` when it falls short by at least ``margin``, otherwise
    ``similar``; ``no data`` for a site without accounts, and for every site when fewer
    than two sites have a score.

    Examples
    --------
    >>> collaboration_position(pd.Series({"a": 0.6, "b": 0.1, "c": 0.2, "d": float("nan")})).to_dict()
    {'a': 'higher', 'b': 'lower', 'c': 'similar', 'd': 'no data'}
    """
    out = pd.Series("no data", index=scores.index, dtype=object)
    known = scores.dropna()
    if len(known) < 2:
        return out
    for site, value in known.items():
        others = known.drop(site).mean()
        diff = value - others
        out[site] = "higher" if diff >= margin - 1e-12 else "lower" if diff <= -margin + 1e-12 else "similar"
    return out


def collaboration_words(score: float) -> str:
    """How collaborative care planning was described, from the collaboration score.

    Rule: at least 1/3 more accounts describing plans as made together than as made for
    the person (score >= 1/3): ``mostly collaborative``; score <= -1/3: ``mostly
    professional-led``; otherwise ``mixed``.

    Examples
    --------
    >>> collaboration_words(0.5), collaboration_words(0.0), collaboration_words(-0.4), collaboration_words(float("nan"))
    ('mostly collaborative', 'mixed', 'mostly professional-led', 'no accounts')
    """
    if score is None or not np.isfinite(score):
        return "no accounts"
    if score >= COLLABORATION_WORD_THRESHOLD - 1e-12:
        return "mostly collaborative"
    if score <= -COLLABORATION_WORD_THRESHOLD + 1e-12:
        return "mostly professional-led"
    return "mixed"


def frequency_word(share: float) -> str:
    """``rarely`` (< 1/3), ``sometimes`` (< 2/3) or ``usually`` for a share; ``no accounts`` for NaN.

    Examples
    --------
    >>> frequency_word(0.1), frequency_word(0.5), frequency_word(0.9)
    ('rarely', 'sometimes', 'usually')
    """
    if share is None or not np.isfinite(share):
        return "no accounts"
    low, high = FREQUENCY_THRESHOLDS
    return "rarely" if share < low else "sometimes" if share < high else "usually"


def plan_use_words(record: float, unused: float) -> str:
    """How plans were used, from the share of staff valuing them as records and the share
    of accounts (care coordinators, service users, carers) describing them as seldom
    consulted or unknown; each counts when it reaches one half.

    Examples
    --------
    >>> plan_use_words(0.8, 0.6), plan_use_words(0.8, 0.2), plan_use_words(0.2, 0.7), plan_use_words(0.2, 0.1)
    ('valued as records, seldom consulted', 'valued as records and in use', 'seldom consulted', 'no dominant view')
    """
    if not (np.isfinite(record) or np.isfinite(unused)):
        return "no accounts"
    rec = np.isfinite(record) and record >= PLAN_USE_THRESHOLD
    un = np.isfinite(unused) and unused >= PLAN_USE_THRESHOLD
    if rec and un:
        return "valued as records, seldom consulted"
    if rec:
        return "valued as records and in use"
    if un:
        return "seldom consulted"
    return "no dominant view"


def qualitative_by_site(q: QualData, margin: float = COLLABORATION_MARGIN) -> pd.DataFrame:
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
    position = collaboration_position(collab["value"], margin)
    n_int = q.interviews["site"].value_counts()
    country = q.sites.set_index("site")["country"]
    rows = []
    for site in q.site_list:
        plans = q.care_plans[q.care_plans["site"] == site]
        shared = plans["risk_assessment_shared"].dropna() if "risk_assessment_shared" in plans else pd.Series([])
        rows.append({
            "site": site, "country": country[site], "n_interviews": int(n_int.get(site, 0)),
            "collab_n": int(collab.at[site, "n_accounts"]), "collaboration": float(collab.at[site, "value"]),
            "collab_position": position[site], "collab_words": collaboration_words(collab.at[site, "value"]),
            "risk_n": int(risk.at[site, "n_accounts"]), "risk_share": float(risk.at[site, "value"]),
            "risk_words": frequency_word(risk.at[site, "value"]), "plans_n": int(len(shared)),
            "plans_risk_shared": int(shared.astype(bool).sum()), "record_share": float(record.at[site, "value"]),
            "unused_share": float(unused.at[site, "value"]),
            "plan_use": plan_use_words(record.at[site, "value"], unused.at[site, "value"]),
        })
    return pd.DataFrame(rows)


# =========================================================================== integration


def judge(survey_position: str, qual_position: str) -> str:
    """The convergence judgement for one site and one survey measure.

    Rules (a site is *set apart* by a strand when its position there is ``higher`` or
    ``lower``; ``mixed`` and ``not different`` survey positions and a ``similar``
    collaboration score do not set it apart):

    - ``silence``: either strand has no data for the site;
    - ``agreement``: both strands set the site apart in the same direction, or neither
      sets it apart;
    - ``dissonance``: both set it apart, in opposite directions;
    - ``partial agreement``: one strand sets the site apart and the other does not.

    Examples
    --------
    >>> judge("higher", "higher"), judge("not different", "similar"), judge("higher", "lower")
    ('agreement', 'agreement', 'dissonance')
    >>> judge("higher", "similar"), judge("mixed", "lower"), judge("no data", "higher")
    ('partial agreement', 'partial agreement', 'silence')
    """
    if survey_position == "no data" or qual_position == "no data":
        return "silence"
    s_apart = survey_position in ("higher", "lower")
    q_apart = qual_position in ("higher", "lower")
    if s_apart and q_apart:
        return "agreement" if survey_position == qual_position else "dissonance"
    if not s_apart and not q_apart:
        return "agreement"
    return "partial agreement"


def judgement_rules() -> pd.DataFrame:
    """Every combination of positions with the judgement :func:`judge` gives (the rule table)."""
    rows = [{"survey position": s, "interview position": q, "judgement": judge(s, q)}
            for s in POSITIONS for q in QUAL_POSITIONS]
    return pd.DataFrame(rows)


def joint_display(survey: pd.DataFrame, qual: pd.DataFrame) -> pd.DataFrame:
    """One row per site: survey results per measure beside the qualitative summary, with judgements.

    Parameters
    ----------
    survey : DataFrame
        :func:`survey_by_site`.
    qual : DataFrame
        :func:`qualitative_by_site`.

    Returns
    -------
    DataFrame
        The columns of ``qual`` and, per survey measure ``M``: ``M_mean, M_ci_low,
        M_ci_high, M_position, M_versus`` (the significant differences in words) and
        ``M_judgement`` (:func:`judge` of the survey position and ``collab_position``).
    """
    out = qual.copy()
    for measure, g in survey.groupby("measure", sort=False):
        g = g.set_index("site")
        versus = []
        for site in out["site"]:
            parts = []
            if site in g.index and g.at[site, "higher_than"]:
                parts.append(f"above {g.at[site, 'higher_than']}")
            if site in g.index and g.at[site, "lower_than"]:
                parts.append(f"below {g.at[site, 'lower_than']}")
            versus.append("; ".join(parts) or ("no data" if site not in g.index or g.at[site, "n"] == 0
                                              else "no significant difference"))
        out[f"{measure}_mean"] = out["site"].map(g["mean"])
        out[f"{measure}_ci_low"] = out["site"].map(g["ci_low"])
        out[f"{measure}_ci_high"] = out["site"].map(g["ci_high"])
        out[f"{measure}_position"] = out["site"].map(g["position"]).fillna("no data")
        out[f"{measure}_versus"] = versus
        out[f"{measure}_judgement"] = [judge(s, q) for s, q in zip(out[f"{measure}_position"],
                                                                    out["collab_position"])]
    return out


def joint_display_table(joint: pd.DataFrame, measures: Sequence[str] = ("STAR-P", "RSA", "ES")) -> pd.DataFrame:
    """:func:`joint_display` in words for the page, one row per site.

    Survey cells give the mean, its 95 % CI and, when the site differs significantly, the
    sites it lies above or below; the interview cells give the collaboration words, score,
    accounts and position, risk discussion (share of service-user and carer accounts;
    plans whose risk assessment was shared) and plan use; the last column gives the
    judgement on each measure in the order of ``measures``.
    """
    from .report import fmt_ci

    out = pd.DataFrame({"site": joint["site"], "country": joint["country"]})
    for m in measures:
        if f"{m}_mean" not in joint:
            continue
        cells = []
        for mean, lo, hi, vs in zip(joint[f"{m}_mean"], joint[f"{m}_ci_low"], joint[f"{m}_ci_high"],
                                    joint[f"{m}_versus"]):
            if not np.isfinite(mean):
                cells.append("no data")
                continue
            extra = "" if vs in ("no significant difference", "no data") else f"; {vs}"
            cells.append(f"{mean:.2f} {fmt_ci(lo, hi)}{extra}")
        out[m] = cells
    out["care planning described as"] = [
        "no accounts" if not n else f"{w} ({s:+.2f}, n = {n}); {p}"
        for w, s, n, p in zip(joint["collab_words"], joint["collaboration"], joint["collab_n"],
                              joint["collab_position"])]
    out["risk discussed with service users"] = [
        "no accounts" if not n else f"{w}: {pct(s)} of {n} accounts; plans {k}/{m} shared"
        for w, s, n, k, m in zip(joint["risk_words"], joint["risk_share"], joint["risk_n"],
                                 joint["plans_risk_shared"], joint["plans_n"])]
    out["how plans were used"] = joint["plan_use"]
    present = [m for m in measures if f"{m}_judgement" in joint]
    out[f"judgement ({' / '.join(present)})"] = [
        " / ".join(joint.loc[i, f"{m}_judgement"] for m in present) for i in joint.index]
    return out


# =========================================================================== the hypothesis


@dataclass(frozen=True)
class PermutationResult:
    """Spearman's rho with exact permutation p values.

    Attributes
    ----------
    rho : float
    p_greater, p_less, p_two_sided : float
        Shares of the ``n_orderings`` orderings whose rho is at least as large (at most
        as small; at least as large in absolute value) as the observed one.
    n : int
        Pairs used (both values present).
    n_orderings : int
        ``n!``.
    critical_rho : float
        The smallest rho that would give ``p_greater < alpha`` with these ranks (ties
        included); NaN when no ordering can (``n`` too small).
    min_p : float
        The smallest one-sided p any ordering can give.
    """

    rho: float
    p_greater: float
    p_less: float
    p_two_sided: float
    n: int
    n_orderings: int
    critical_rho: float
    min_p: float


def spearman_permutation(x, y, alpha: float = 0.05, max_n: int = 9) -> PermutationResult:
    """Spearman's rank correlation with an exact permutation test over all n! orderings.

    The ranks of ``x`` are held fixed and those of ``y`` are permuted in every possible
    way (``n!`` orderings; 720 for six sites); each p value is the share of orderings
    whose rho is as extreme as the observed one. Ties get mid-ranks. Pairs with a
    missing value are dropped.

    Parameters
    ----------
    x, y : array-like
    alpha : float
        For ``critical_rho``.
    max_n : int
        Refuse more pairs than this (9! = 362,880 orderings).

    Returns
    -------
    PermutationResult
        All NaN when fewer than 3 pairs remain or either variable is constant.

    Examples
    --------
    Perfectly concordant ranks, n = 4: only the identity ordering reaches rho = 1.

    >>> r = spearman_permutation([1, 2, 3, 4], [10, 20, 30, 40])
    >>> r.rho, r.p_greater, r.n_orderings, r.p_greater == 1 / 24
    (1.0, 0.041666666666666664, 24, True)
    """
    from scipy import stats

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = int(len(x))
    nan = float("nan")
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return PermutationResult(nan, nan, nan, nan, n, math.factorial(n) if n else 0, nan, nan)
    if n > max_n:
        raise ValueError(f"{n} pairs give {math.factorial(n):,} orderings; at most {max_n} are enumerated")
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    xc = rx - rx.mean()
    perms = np.array(list(itertools.permutations(ry)))
    yc = perms - perms.mean(axis=1, keepdims=True)
    rhos = (yc @ xc) / (np.sqrt((yc ** 2).sum(axis=1)) * np.sqrt((xc ** 2).sum()))
    rho = float(np.corrcoef(rx, ry)[0, 1])
    eps = 1e-9
    p_greater = float(np.mean(rhos >= rho - eps))
    p_less = float(np.mean(rhos <= rho + eps))
    p_two = float(np.mean(np.abs(rhos) >= abs(rho) - eps))
    values = np.unique(np.round(rhos, 9))[::-1]
    critical = nan
    for v in values:  # descending: the last value whose upper tail stays below alpha
        if np.mean(rhos >= v - eps) < alpha:
            critical = float(v)
        else:
            break
    min_p = float(np.mean(rhos >= values[0] - eps))
    return PermutationResult(rho, p_greater, p_less, p_two, n, len(perms), critical, min_p)


def hypothesis_tests(joint: pd.DataFrame, measures: Sequence[str] = ("STAR-P", "RSA", "ES"),
                     alpha: float = 0.05) -> pd.DataFrame:
    """The study's hypothesis per survey measure: do sites whose care planning was described
    as more collaborative have higher survey means?

    Spearman's rho between the sites' collaboration scores and their survey means, with
    the exact one-sided permutation p (alternative: positive association).

    Returns
    -------
    DataFrame
        ``measure, n_sites, rho, p_one_sided, p_two_sided, n_orderings, critical_rho, min_p,
        supported`` (``supported``: rho > 0 and one-sided p < alpha).
    """
    rows = []
    for m in measures:
        if f"{m}_mean" not in joint:
            continue
        r = spearman_permutation(joint["collaboration"], joint[f"{m}_mean"], alpha)
        rows.append({"measure": m, "n_sites": r.n, "rho": r.rho, "p_one_sided": r.p_greater,
                     "p_two_sided": r.p_two_sided, "n_orderings": r.n_orderings, "critical_rho": r.critical_rho,
                     "min_p": r.min_p,
                     "supported": bool(np.isfinite(r.p_greater) and r.rho > 0 and r.p_greater < alpha)})
    return pd.DataFrame(rows, columns=["measure", "n_sites", "rho", "p_one_sided", "p_two_sided", "n_orderings",
                                       "critical_rho", "min_p", "supported"])


# =========================================================================== countries


@dataclass(frozen=True)
class Domain:
    """A question on which the two strands are compared between countries.

    ``survey``: (group, measure, subscale) or None when the survey has no measure of it;
    ``indicators``: code-book indicators of the interviews; ``same_construct``: whether
    the survey measure and the first indicator measure the same thing closely enough for
    their directions to be compared.
    """

    id: str
    label: str
    survey: tuple[str, str, str] | None
    indicators: tuple[str, ...]
    same_construct: bool = False


DOMAINS = (
    Domain("collaboration", "Collaborative care planning and the therapeutic relationship",
           ("service_users", "STAR-P", "Total"), ("collaboration",), same_construct=True),
    Domain("recovery", "Recovery orientation", ("service_users", "RSA", "Total"), ("recovery_articulated",)),
    Domain("personalisation", "Personalisation and empowerment", ("service_users", "ES", "Total"),
           ("pb_promoted", "pb_resisted")),
    Domain("risk", "Risk discussed with service users", None, ("risk_involved_users",)),
)


def _country_contrast(q: QualData, indicator: str, margin: float) -> dict:
    """Mean of site values per country; a contrast when every site of one country lies
    beyond every site of the other and the means differ by at least ``margin``."""
    sites = indicator_values(q, indicator, "site").dropna(subset=["value"])
    country = q.sites.set_index("site")["country"]
    sites = sites.assign(country=sites["site"].map(country))
    names = sorted(q.sites["country"].unique())
    out = {"indicator": indicator, "label": q.codebook.indicators[indicator].label, "contrast": False,
           "higher": "", "diff": float("nan"), "means": {}}
    for c in names:
        v = sites.loc[sites["country"] == c, "value"]
        out["means"][c] = float(v.mean()) if len(v) else float("nan")
    if len(names) != 2:
        return out
    a, b = (sites.loc[sites["country"] == c, "value"] for c in names)
    if a.empty or b.empty:
        return out
    diff = float(b.mean() - a.mean())
    out["diff"] = diff
    separated = a.min() > b.max() or b.min() > a.max()
    if separated and abs(diff) >= margin:
        out["contrast"] = True
        out["higher"] = names[1] if diff > 0 else names[0]
    return out


def country_meta_inference(scores: pd.DataFrame, q: QualData, alpha: float = 0.05,
                           margin: float = COLLABORATION_MARGIN, domains: Sequence[Domain] = DOMAINS
                           ) -> pd.DataFrame:
    """What the survey and the interviews jointly say about England and Wales, per domain.

    Survey strand: :func:`helpers.analysis.country_comparison` (site means compared with
    Student's t, sites as the unit). Interview strand: per indicator, the countries'
    mean of site values; a *contrast* when every site of one country lies beyond every
    site of the other and the means differ by at least ``margin``.

    Meta-inference rule: ``the strands agree on a country difference`` when the survey
    difference is significant, the first indicator shows a contrast in the same
    direction and the domain compares the same construct; ``the strands point in opposite
    directions`` in the opposite case; ``both strands show country differences`` when both
    show one but the constructs differ; ``only the survey separates the countries``;
    ``only the interviews separate the countries`` (adding ``the survey has no measure
    of it`` when it has none); ``neither strand separates the countries``.

    Returns
    -------
    DataFrame
        ``domain, label, survey_measure, survey_diff, survey_p, survey_testable,
        survey_says, interviews_say, any_contrast, jointly``; ``survey_diff`` is the
        second country (alphabetically) minus the first.
    """
    countries = q.sites.set_index("site")["country"]
    rows = []
    for d in domains:
        row = {"domain": d.id, "label": d.label, "survey_measure": "", "survey_diff": float("nan"),
               "survey_p": float("nan"), "survey_testable": False}
        survey_sig, survey_dir = False, 0
        if d.survey is None:
            row["survey_says"] = "no survey measure"
        else:
            group, measure, subscale = d.survey
            row["survey_measure"] = f"{measure} {subscale.lower()}"
            sel = scores[(scores["group"] == group) & (scores["measure"] == measure)
                         & (scores["subscale"] == subscale)]
            comp = analysis.country_comparison(sel, countries, alpha) if len(sel.dropna(subset=["score"])) else None
            if comp is None or comp.empty or not bool(comp["testable"].iloc[0]):
                note = "" if comp is None or comp.empty else comp["note"].iloc[0]
                row["survey_says"] = "not testable" + (f" ({note})" if note else "")
            else:
                c = comp.iloc[0]
                row.update(survey_diff=float(c["diff"]), survey_p=float(c["p"]), survey_testable=True)
                survey_sig = analysis.significant(float(c["p"]), alpha)
                survey_dir = int(np.sign(c["diff"]))
                higher = c["country_2"] if c["diff"] > 0 else c["country_1"]
                if survey_sig:
                    row["survey_says"] = (f"{higher} higher by {abs(c['diff']):.2f} on average of site means "
                                          f"(p = {c['p']:.3f})")
                else:
                    row["survey_says"] = (f"no significant difference ({c['country_2']} − {c['country_1']} = "
                                          f"{c['diff']:+.2f}, p = {c['p']:.3f})")
        contrasts = [_country_contrast(q, i, margin) for i in d.indicators]
        said = []
        for ct in contrasts:
            means = "; ".join(f"{c} {pct(v)}" if q.codebook.indicators[ct['indicator']].kind == "share"
                              else f"{c} {v:+.2f}" for c, v in ct["means"].items() if np.isfinite(v))
            if not means:
                said.append(f"{ct['label']}: no accounts")
            elif ct["contrast"]:
                said.append(f"{ct['label']}: higher in every site of {ct['higher']} ({means})")
            else:
                said.append(f"{ct['label']}: no country contrast ({means})")
        row["interviews_say"] = "; ".join(said)
        any_contrast = any(ct["contrast"] for ct in contrasts)
        row["any_contrast"] = any_contrast
        first = contrasts[0] if contrasts else None
        if not q.available:
            jointly = ("no interviews: only the survey strand has data" if row["survey_testable"]
                       else "no data in either strand")
        elif survey_sig and any_contrast:
            if d.same_construct and first is not None and first["contrast"]:
                same = int(np.sign(first["diff"])) == survey_dir
                jointly = ("the strands agree on a country difference" if same
                           else "the strands point in opposite directions")
            else:
                jointly = "both strands show country differences, on different aspects"
        elif survey_sig:
            jointly = "only the survey separates the countries"
        elif any_contrast:
            jointly = "only the interviews separate the countries" + (
                "; the survey has no measure of it" if d.survey is None else "")
        else:
            jointly = "neither strand separates the countries"
        row["jointly"] = jointly
        rows.append(row)
    return pd.DataFrame(rows, columns=["domain", "label", "survey_measure", "survey_diff", "survey_p",
                                       "survey_testable", "survey_says", "interviews_say", "any_contrast",
                                       "jointly"])


# =========================================================================== wording


def judgement_sentence(joint: pd.DataFrame, measure: str) -> str:
    """How many sites got each judgement on one measure, naming the sites not in agreement.

    Examples
    --------
    >>> j = pd.DataFrame({"site": list("abc"), "M_judgement": ["agreement", "dissonance", "agreement"]})
    >>> judgement_sentence(j, "M")
    'On M: agreement at 2 sites and dissonance at 1 (b).'
    """
    col = f"{measure}_judgement"
    if col not in joint or joint.empty:
        return f"On {measure}: no site to judge."
    counts = joint[col].value_counts()
    n = len(joint)
    if counts.get("silence", 0) == n:
        return (f"On {measure}: every site is judged silence, because "
                f"{'this dataset holds no interviews' if n else 'there are no sites'}.")
    parts = []
    for j in JUDGEMENTS:
        k = int(counts.get(j, 0))
        if not k:
            continue
        where = f"{k} site{'s' if k != 1 else ''}" if not parts else f"{k}"
        named = "" if j == "agreement" else f" ({', '.join(joint.loc[joint[col] == j, 'site'])})"
        parts.append(f"{j} at {where}{named}")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"On {measure}: {text}."


def hypothesis_sentence(row, alpha: float) -> str:
    """The result of the hypothesis test on one measure, in words chosen from the numbers."""
    m = row["measure"]
    if not np.isfinite(row["rho"]):
        n = int(row["n_sites"])
        if n < 3:
            who = "no site has" if n == 0 else f"only {n} site{'s' if n != 1 else ''} {'have' if n != 1 else 'has'}"
            return f"{m}: not testable, since {who} both a collaboration score and a survey mean."
        return f"{m}: not testable, since the collaboration scores or the survey means do not vary across sites."
    direction = ("higher" if row["rho"] > 0 else "lower")
    stat = (f"Spearman's ρ = {row['rho']:.2f}, exact one-sided p = {row['p_one_sided']:.3f} over "
            f"{int(row['n_orderings'])} orderings of {int(row['n_sites'])} sites")
    if row["supported"]:
        return (f"{m}: sites whose care planning was described as more collaborative had {direction} means "
                f"({stat}), consistent with the hypothesis at α = {alpha:g}.")
    if row["rho"] > 0:
        return (f"{m}: a positive but non-significant rank correlation ({stat}); the hypothesis is not "
                "supported.")
    return (f"{m}: no positive association ({stat}); the hypothesis is not supported.")


def hypothesis_caveat(tests: pd.DataFrame, joint: pd.DataFrame, alpha: float) -> str:
    """The honest caveat of a rank correlation across a handful of sites, from the numbers."""
    if tests.empty or not np.isfinite(tests["rho"]).any():
        return ("With fewer than three sites holding both strands, or no variation in the collaboration scores, "
                "the hypothesis cannot be tested here.")
    r = tests[np.isfinite(tests["rho"])].iloc[0]
    n = int(r["n_sites"])
    text = (f"With {n} sites there are only {int(r['n_orderings'])} ways to order them, so even perfect agreement "
            f"of the rankings gives a one-sided p of {r['min_p']:.4f}")
    if np.isfinite(r["critical_rho"]):
        text += (f", and a rank correlation needs to reach about ρ = {r['critical_rho']:.2f} to be significant at "
                 f"α = {alpha:g}. A real but moderate link between collaboration and survey scores would usually "
                 "be missed, and a significant one could rest on a single site.")
    else:
        text += f", which cannot fall below α = {alpha:g}: no result could be significant."
    scores = joint["collaboration"].dropna()
    ties = int(scores.duplicated(keep=False).sum())
    if ties:
        text += f" {ties} of the {len(scores)} collaboration scores are tied, which blunts the ranking further."
    ns = joint.loc[joint["collab_n"] > 0, "collab_n"]
    if len(ns):
        text += (f" Each score rests on {ns.min()}–{ns.max()} accounts, so a site's position could move with one "
                 "interview more or less.")
    return text


def country_interview_caveat(q: QualData) -> str:
    """How many interviews and sites each country contributes to the interview strand."""
    if not q.available:
        return "The interview strand has no data for either country."
    country = q.sites.set_index("site")["country"]
    iv = q.interviews.assign(country=q.interviews["site"].map(country))
    parts = [f"{c}: {len(g)} interviews from {g['site'].nunique()} site{'s' if g['site'].nunique() != 1 else ''}"
             for c, g in iv.groupby("country", sort=True)]
    return ("On the interview side, " + "; ".join(parts) + ". A contrast between the countries is therefore also a "
            "contrast between these particular teams, and a pattern that holds at every site of a country with "
            "only two sites is a weak basis for a national difference.")


def meta_inference_sentence(meta: pd.DataFrame) -> str:
    """One sentence per domain: what the two strands jointly say about the countries."""
    if meta.empty:
        return "No domain could be compared."
    return " ".join(f"{r.label}: {r.jointly}." for r in meta.itertuples())


# =========================================================================== figure


def hypothesis_plot(joint: pd.DataFrame, measures: Sequence[tuple[str, str]] = (("STAR-P", "STAR-P total"),
                                                                            ("RSA", "RSA total"),
                                                                            ("ES", "ES total"))):
    """Site survey means (95 % CI) against the collaboration score, one panel per measure."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    countries = sorted(joint["country"].unique())
    colours = dict(zip(countries, sns.color_palette("colorblind", len(countries))))
    markers = dict(zip(countries, ["o", "s", "^", "D"]))
    fig, axes = plt.subplots(1, len(measures), figsize=(4.2 * len(measures), 3.8), squeeze=False)
    for ax, (m, label) in zip(axes[0], measures):
        shown = joint[np.isfinite(joint[f"{m}_mean"]) & np.isfinite(joint["collaboration"])]
        shown = shown.sort_values(["collaboration", f"{m}_mean"]).reset_index(drop=True)
        for k, r in shown.iterrows():
            mean, lo, hi = r[f"{m}_mean"], r[f"{m}_ci_low"], r[f"{m}_ci_high"]
            ax.errorbar(r["collaboration"], mean, yerr=[[mean - lo], [hi - mean]], fmt=markers[r["country"]],
                        color=colours[r["country"]], capsize=3)
            right = k % 2 == 0  # alternate sides so that neighbouring labels do not overlap
            ax.annotate(r["site"], (r["collaboration"], mean), xytext=(6 if right else -6, 0),
                        textcoords="offset points", fontsize=8, ha="left" if right else "right", va="center")
        ax.set_xlabel("Collaboration score (interviews)")
        ax.set_ylabel(f"{label}: site mean, 95 % CI")
        if len(shown):
            lo_x, hi_x = shown["collaboration"].min(), shown["collaboration"].max()
            ax.set_xlim(max(-1.05, lo_x - 0.2), min(1.05, hi_x + 0.2))
    handles = [plt.Line2D([], [], marker=markers[c], color=colours[c], linestyle="", label=c) for c in countries]
    axes[0][0].legend(handles=handles, fontsize=8, loc="best")
    fig.tight_layout()
    return fig
