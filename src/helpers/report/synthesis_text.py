"""The synthesis in words: the joint display for the page, judgements, the hypothesis and the countries.

Each function takes a result of :mod:`helpers.synthesis` and says what it shows, with the
numbers formatted by :mod:`helpers.report.format`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from helpers.io import QualData
from helpers.synthesis import JUDGEMENTS, MEASURE_NAMES

from .format import fmt_ci, fmt_num, fmt_p, fmt_pct
from .labels import plural

__all__ = [
    "fraction_text",
    "signed",
    "joint_display_table",
    "judgement_sentence",
    "hypothesis_sentence",
    "hypothesis_caveat",
    "survey_says",
    "interviews_say",
    "meta_inference_table",
    "meta_inference_sentence",
    "country_interview_caveat",
]


def fraction_text(x: float) -> str:
    """A rule threshold for prose: thirds and quarters as fractions, one half in words, else two decimals.

    Examples
    --------
    >>> fraction_text(1 / 3), fraction_text(0.5), fraction_text(0.75), fraction_text(0.4)
    ('1/3', 'one half', '3/4', '0.40')
    """
    f = Fraction(x).limit_denominator(12)
    if abs(float(f) - x) < 1e-9 and f.denominator in (2, 3, 4):
        return "one half" if f == Fraction(1, 2) else f"{f.numerator}/{f.denominator}"
    return fmt_num(x, 2)


def signed(x: float, decimals: int = 2) -> str:
    """A difference or balance with its sign: ``+0.25``, ``-0.10``.

    Examples
    --------
    >>> signed(0.25), signed(-0.1), signed(2.1789, 2)
    ('+0.25', '-0.10', '+2.18')
    """
    return f"{float(x):+.{decimals}f}"


# --------------------------------------------------------------------------- the joint display


def joint_display_table(joint: pd.DataFrame, measures: Sequence[str] = MEASURE_NAMES) -> pd.DataFrame:
    """:func:`helpers.synthesis.joint_display` in words for the page, one row per site.

    Survey cells give the mean, its confidence interval and, when the site differs
    significantly, the sites it lies above or below; the interview cells give the
    collaboration words, score, accounts and position, risk discussion (share of
    service-user and carer accounts; plans whose risk assessment was shared) and plan use;
    the last column gives the judgement on each measure in the order of ``measures``.
    """
    out = pd.DataFrame({"site": joint["site"], "country": joint["country"]})
    for m in measures:
        if f"{m}_mean" not in joint:
            continue
        cells = []
        for mean, lo, hi, vs in zip(
            joint[f"{m}_mean"], joint[f"{m}_ci_low"], joint[f"{m}_ci_high"], joint[f"{m}_versus"]
        ):
            if not np.isfinite(mean):
                cells.append("no data")
                continue
            extra = "" if vs in ("no significant difference", "no data") else f"; {vs}"
            cells.append(f"{fmt_num(mean)} {fmt_ci(lo, hi)}{extra}")
        out[m] = cells
    out["care planning described as"] = [
        "no accounts" if not n else f"{w} ({signed(s)}, n = {n}); {p}"
        for w, s, n, p in zip(
            joint["collab_words"], joint["collaboration"], joint["collab_n"], joint["collab_position"]
        )
    ]
    out["risk discussed with service users"] = [
        "no accounts" if not n else f"{w}: {fmt_pct(s, 0)} of {n} accounts; plans {k}/{m} shared"
        for w, s, n, k, m in zip(
            joint["risk_words"], joint["risk_share"], joint["risk_n"], joint["plans_risk_shared"], joint["plans_n"]
        )
    ]
    out["how plans were used"] = joint["plan_use"]
    present = [m for m in measures if f"{m}_judgement" in joint]
    out[f"judgement ({' / '.join(present)})"] = [
        " / ".join(joint.loc[i, f"{m}_judgement"] for m in present) for i in joint.index
    ]
    return out


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
        return (
            f"On {measure}: every site is judged silence, because "
            f"{'this dataset holds no interviews' if n else 'there are no sites'}."
        )
    parts = []
    for j in JUDGEMENTS:
        k = int(counts.get(j, 0))
        if not k:
            continue
        where = plural(k, "site") if not parts else f"{k}"
        named = "" if j == "agreement" else f" ({', '.join(joint.loc[joint[col] == j, 'site'])})"
        parts.append(f"{j} at {where}{named}")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"On {measure}: {text}."


# --------------------------------------------------------------------------- the hypothesis


def hypothesis_sentence(row, *, alpha: float) -> str:
    """The result of the hypothesis test on one measure (a row of :func:`helpers.synthesis.hypothesis_tests`)."""
    m = row["measure"]
    if not np.isfinite(row["rho"]):
        n = int(row["n_sites"])
        if n < 3:
            who = "no site has" if n == 0 else f"only {plural(n, 'site')} {'have' if n != 1 else 'has'}"
            return f"{m}: not testable, since {who} both a collaboration score and a survey mean."
        return f"{m}: not testable, since the collaboration scores or the survey means do not vary across sites."
    direction = "higher" if row["rho"] > 0 else "lower"
    stat = (
        f"Spearman's ρ = {fmt_num(row['rho'])}, exact one-sided {fmt_p(row['p_one_sided'])} over "
        f"{int(row['n_orderings'])} orderings of {int(row['n_sites'])} sites"
    )
    if row["supported"]:
        return (
            f"{m}: sites whose care planning was described as more collaborative had {direction} means "
            f"({stat}), consistent with the hypothesis at α = {alpha:g}."
        )
    if row["rho"] > 0:
        return f"{m}: a positive but non-significant rank correlation ({stat}); the hypothesis is not supported."
    return f"{m}: no positive association ({stat}); the hypothesis is not supported."


def hypothesis_caveat(tests: pd.DataFrame, joint: pd.DataFrame, *, alpha: float) -> str:
    """The honest caveat of a rank correlation across a handful of sites, from the numbers."""
    if tests.empty or not np.isfinite(tests["rho"]).any():
        return (
            "With fewer than three sites holding both strands, or no variation in the collaboration scores, "
            "the hypothesis cannot be tested here."
        )
    r = tests[np.isfinite(tests["rho"])].iloc[0]
    text = (
        f"With {int(r['n_sites'])} sites there are only {int(r['n_orderings'])} ways to order them, so even "
        f"perfect agreement of the rankings gives a one-sided p of {fmt_num(r['min_p'], 4)}"
    )
    if np.isfinite(r["critical_rho"]):
        text += (
            f", and a rank correlation needs to reach about ρ = {fmt_num(r['critical_rho'])} to be "
            f"significant at α = {alpha:g}. A real but moderate link between collaboration and survey scores "
            "would usually be missed, and a significant one could rest on a single site."
        )
    else:
        text += f", which cannot fall below α = {alpha:g}: no result could be significant."
    scores = joint["collaboration"].dropna()
    ties = int(scores.duplicated(keep=False).sum())
    if ties:
        text += f" {ties} of the {len(scores)} collaboration scores are tied, which blunts the ranking further."
    ns = joint.loc[joint["collab_n"] > 0, "collab_n"]
    if len(ns):
        text += (
            f" Each score rests on {ns.min()}–{ns.max()} accounts, so a site's position could move with one "
            "interview more or less."
        )
    return text


# --------------------------------------------------------------------------- the countries


def survey_says(row) -> str:
    """What the survey strand says about one domain (a row of :func:`helpers.synthesis.country_meta_inference`)."""
    if row["survey_status"] == "no survey measure":
        return "no survey measure"
    if not row["survey_testable"]:
        return "not testable" + (f" ({row['survey_note']})" if row["survey_note"] else "")
    diff, p = row["survey_diff"], row["survey_p"]
    if row["survey_significant"]:
        return f"{row['survey_higher']} higher by {fmt_num(abs(diff))} on average of site means ({fmt_p(p)})"
    return f"no significant difference ({row['country_2']} − {row['country_1']} = {signed(diff)}, {fmt_p(p)})"


def interviews_say(contrasts: pd.DataFrame) -> str:
    """What the interview strand says about one domain (its rows of :func:`helpers.synthesis.country_contrasts`)."""
    said = []
    for _, g in contrasts.groupby("indicator", sort=False):
        first = g.iloc[0]
        shown = g[np.isfinite(g["site_mean"].astype(float))]
        means = "; ".join(
            f"{r.country} {fmt_pct(r.site_mean, 0) if r.kind == 'share' else signed(r.site_mean)}"
            for r in shown.itertuples()
        )
        if not means:
            said.append(f"{first['label']}: no accounts")
        elif first["contrast"]:
            said.append(f"{first['label']}: higher in every site of {first['higher']} ({means})")
        else:
            said.append(f"{first['label']}: no country contrast ({means})")
    return "; ".join(said)


def meta_inference_table(meta: pd.DataFrame, contrasts: pd.DataFrame) -> pd.DataFrame:
    """The meta-inference with what each strand says in words, one row per domain.

    Parameters
    ----------
    meta : DataFrame
        :func:`helpers.synthesis.country_meta_inference`.
    contrasts : DataFrame
        :func:`helpers.synthesis.country_contrasts` (same domains).

    Returns
    -------
    DataFrame
        ``domain, label, survey_measure, survey_diff, survey_p, survey_testable, survey_says,
        interviews_say, any_contrast, jointly``.
    """
    out = meta[["domain", "label", "survey_measure", "survey_diff", "survey_p", "survey_testable"]].copy()
    out["survey_says"] = [survey_says(r) for _, r in meta.iterrows()]
    out["interviews_say"] = [interviews_say(contrasts[contrasts["domain"] == d]) for d in meta["domain"]]
    out["any_contrast"] = meta["any_contrast"]
    out["jointly"] = meta["jointly"]
    return out


def meta_inference_sentence(meta: pd.DataFrame) -> str:
    """One sentence per domain: what the two strands jointly say about the countries.

    Examples
    --------
    >>> meta_inference_sentence(pd.DataFrame({"label": ["Risk"], "jointly": ["neither strand separates"]}))
    'Risk: neither strand separates.'
    """
    if meta.empty:
        return "No domain could be compared."
    return " ".join(f"{r.label}: {r.jointly}." for r in meta.itertuples())


def country_interview_caveat(q: QualData) -> str:
    """How many interviews and sites each country contributes to the interview strand."""
    if not q.available:
        return "The interview strand has no data for either country."
    country = q.sites.set_index("site")["country"]
    iv = q.interviews.assign(country=q.interviews["site"].map(country))
    parts = [
        f"{c}: {len(g)} interviews from {plural(g['site'].nunique(), 'site')}"
        for c, g in iv.groupby("country", sort=True)
    ]
    return (
        "On the interview side, " + "; ".join(parts) + ". A contrast between the countries is therefore also a "
        "contrast between these particular teams, and a pattern that holds at every site of a country with "
        "only two sites is a weak basis for a national difference."
    )
