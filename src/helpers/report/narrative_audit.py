"""Sentences about the reproduction of the article and the audit of its published values.

Each function takes a result table (reproduction counts, consistency checks, flags) and
returns a sentence whose wording is chosen from the numbers.
"""

from __future__ import annotations

import pandas as pd

from .format import fmt_num, fmt_pct
from .labels import join_words, outcome_label

__all__ = [
    "reproduction_sentence",
    "audit_explanation",
    "audit_explanations",
    "statcheck_sentence",
    "f_audit_sentence",
    "sem_audit_sentence",
    "flag_consequence_sentence",
]


def reproduction_sentence(counts: pd.DataFrame, synthetic: bool) -> str:
    """What the reproduction counts say, worded for synthetic data or for someone's own data.

    Parameters
    ----------
    counts : DataFrame
        One row from :func:`helpers.audit.reproduction_counts` (overall).
    synthetic : bool

    Examples
    --------
    >>> c = pd.DataFrame([{"total": 100, "reproduced": 96, "not reproduced": 2, "published value inconsistent": 2,
    ...                    "share_reproduced": 0.96}])
    >>> print(reproduction_sentence(c, False))  # doctest: +NORMALIZE_WHITESPACE
    Of the 100 published numbers, 96 (96.0 %) are reproduced by this dataset, 2 are not reproduced, and 2 are
    published values that the audit below shows to be impossible or internally inconsistent. Almost all of the
    article's numbers follow from this dataset. These counts measure how far this dataset is from the article: close
    agreement is expected only when the data are the study's own, analysed the same way.
    """
    r = counts.iloc[0]
    total, ok = int(r["total"]), int(r["reproduced"])
    share = float(r["share_reproduced"])
    missed, odd = int(r["not reproduced"]), int(r["published value inconsistent"])
    text = (
        f"Of the {total} published numbers, {ok} ({fmt_pct(share)}) are reproduced by this dataset, "
        f"{missed} {'is' if missed == 1 else 'are'} not reproduced, and {odd} "
        f"{'is a published value' if odd == 1 else 'are published values'} "
        "that the audit below shows to be impossible or internally inconsistent."
    )
    if share >= 0.95:
        verdict = "Almost all of the article's numbers follow from this dataset."
    elif share >= 0.5:
        verdict = "Most, but far from all, of the article's numbers follow from this dataset."
    else:
        verdict = "Only a minority of the article's numbers follow from this dataset."
    if synthetic:
        meaning = (
            "The synthetic data were generated to reproduce these aggregates, so this agreement checks the "
            "generator and the analysis pipeline; it is not evidence that the study's findings replicate."
        )
    else:
        meaning = (
            "These counts measure how far this dataset is from the article: close agreement is expected only "
            "when the data are the study's own, analysed the same way."
        )
    return f"{text} {verdict} {meaning}"


def audit_explanation(flag, site_sems: pd.Series | None = None, *, alpha: float) -> str:
    """Explain one flagged published value (a row of :func:`helpers.audit.audit_flags`) in plain words.

    Parameters
    ----------
    flag : mapping
        One row of the flag table.
    site_sems : Series, optional
        The other printed SEMs of the same scale, to show what a typical value looks like.
    alpha : float
        The significance level the flags' decisions were taken at.

    Examples
    --------
    >>> f = {"check": "impossible SEM", "group": "service_users", "measure": "RSA", "subscale": "Choice",
    ...      "site": "A", "printed": 0.97, "implied_sd": 7.76, "max_sd": 2.02, "n": 64, "suggested": 0.097}
    >>> print(audit_explanation(f, alpha=0.05))  # doctest: +NORMALIZE_WHITESPACE
    An SEM of 0.97 from about 64 respondents means an SD of 7.76, but no set of scores on this scale can have an SD
    above 2.02. The value cannot be right as printed; 0.097, the same digits with the decimal point moved one place,
    would fit a possible SD.
    """
    check = flag["check"]
    label = outcome_label(flag["group"], flag["measure"], flag["subscale"])
    if check == "impossible SEM":
        text = (
            f"An SEM of {flag['printed']:g} from about {int(flag['n'])} respondents means an SD of "
            f"{fmt_num(flag['implied_sd'])}, but no set of scores on this scale can have an SD above "
            f"{fmt_num(flag['max_sd'])}."
        )
        if site_sems is not None and len(site_sems):
            text += f" The other sites' SEMs on this scale lie between {site_sems.min():.2f} and {site_sems.max():.2f}."
        return (
            f"{text} The value cannot be right as printed; {flag['suggested']:g}, the same digits with the decimal "
            "point moved one place, would fit a possible SD."
        )
    if check.startswith("F "):
        p_ok = flag.get("p_status", "consistent") == "consistent"
        tail = (
            " Its printed p agrees with the printed F and degrees of freedom, so F and p were probably computed "
            "together from a slightly different set of data (or a different missing-data rule) than the means; "
            "the article does not let one tell which is right."
            if p_ok
            else ""
        )
        return (
            f"The F printed for {label} ({flag['printed']:g}) lies outside the range "
            f"{fmt_num(flag['expected_low'])} to {fmt_num(flag['expected_high'])} that the same row's printed "
            "site means and SEMs can give, even letting every value vary within its rounding. The check uses "
            "per-site Ns assumed proportional to each site's questionnaire returns, because the article prints "
            f"only the total N; a very different split could move that range.{tail}"
        )
    decision = f" The two lead to different decisions at α = {alpha:g}." if "decision" in check else ""
    return (
        f"The p printed with {flag.get('statistic', 'the statistic')} for {label} ({flag['printed']:g}) is not "
        f"what that statistic gives: p between {flag['expected_low']:.4f} and {flag['expected_high']:.4f}."
        f"{decision}"
    )


def statcheck_sentence(checks: pd.DataFrame) -> str:
    """How many printed p values agree with their printed test statistics.

    Examples
    --------
    >>> c = pd.DataFrame({"source": ["anova", "anova", "correlations"], "status": "consistent"})
    >>> print(statcheck_sentence(c))  # doctest: +NORMALIZE_WHITESPACE
    All 3 printed p values (2 from F tests and 1 from correlations) agree with their printed test statistics and
    degrees of freedom, allowing for rounding.
    """
    n = len(checks)
    by = checks["source"].value_counts()
    parts = join_words(
        f"{int(by.get(src, 0))} from {name}"
        for src, name in (("anova", "F tests"), ("correlations", "correlations"))
        if by.get(src, 0)
    )
    bad = checks[checks["status"] != "consistent"]
    if bad.empty:
        return (
            f"All {n} printed p values ({parts}) agree with their printed test statistics and degrees of "
            "freedom, allowing for rounding."
        )
    items = join_words(f"{r.outcome} ({r.status})" for r in bad.itertuples())
    return f"{len(bad)} of the {n} printed p values ({parts}) do not agree with their test statistics: {items}."


def f_audit_sentence(f_audit: pd.DataFrame) -> str:
    """How many printed F values can follow from their own rows' means and SEMs.

    Examples
    --------
    >>> f = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Total", "Choice"],
    ...                   "F_printed": [0.86, 1.72], "F_min": [0.7, 1.82], "F_max": [1.0, 2.39],
    ...                   "consistent": [True, False]})
    >>> print(f_audit_sentence(f))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 2 printed F values lies within the range its own row's site means and SEMs allow; the exception is
    service users' RSA Choice (printed 1.72, possible 1.82 to 2.39).
    """
    n = len(f_audit)
    bad = f_audit[~f_audit["consistent"]]
    if bad.empty:
        return f"All {n} printed F values lie within the range their own rows' site means and SEMs allow."
    items = join_words(
        f"{outcome_label(r.group, r.measure, r.subscale)} (printed {r.F_printed:g}, possible "
        f"{fmt_num(r.F_min)} to {fmt_num(r.F_max)})"
        for r in bad.itertuples()
    )
    k = n - len(bad)
    if k == 1:
        head = f"1 of the {n} printed F values lies within the range its own row's site means and SEMs allow"
    else:
        head = f"{k} of the {n} printed F values lie within the range their own rows' site means and SEMs allow"
    noun = "the exception is" if len(bad) == 1 else "the exceptions are"
    return f"{head}; {noun} {items}."


def sem_audit_sentence(sems: pd.DataFrame) -> str:
    """How many printed SEMs are possible on their scale.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": "Choice", "site": ["A", "B"],
    ...                   "sem_printed": [0.1, 0.97], "possible": [True, False]})
    >>> sem_audit_sentence(s)
    "1 of the 2 printed SEMs is impossible: service users' RSA Choice at B (0.97)."
    """
    bad = sems[~sems["possible"]]
    n = len(sems)
    if bad.empty:
        return f"Every one of the {n} printed SEMs is possible on its scale."
    items = join_words(
        f"{outcome_label(r.group, r.measure, r.subscale)} at {r.site} ({r.sem_printed:.2f})" for r in bad.itertuples()
    )
    return f"{len(bad)} of the {n} printed SEMs {'is' if len(bad) == 1 else 'are'} impossible: {items}."


def audit_explanations(flags: pd.DataFrame, site_means: pd.DataFrame | None = None, *, alpha: float) -> list[str]:
    """:func:`audit_explanation` for every flagged value, with the other sites' SEMs when known.

    Parameters
    ----------
    flags : DataFrame
        From :func:`helpers.audit.audit_flags`.
    site_means : DataFrame, optional
        The article's site means (``Published.site_means``), for the typical SEM of a scale.
    alpha : float
        The significance level the flags' decisions were taken at.
    """
    out = []
    for _, flag in flags.iterrows():
        others = None
        if site_means is not None and flag["check"] == "impossible SEM":
            sel = site_means[
                (site_means["group"] == flag["group"])
                & (site_means["measure"] == flag["measure"])
                & (site_means["subscale"] == flag["subscale"])
                & (site_means["site"] != flag["site"])
            ]
            others = sel["sem_as_printed"]
        out.append(audit_explanation(flag, others, alpha=alpha))
    return out


def flag_consequence_sentence(flags: pd.DataFrame, alpha: float) -> str:
    """What the flagged values mean for the article's conclusions (from :func:`helpers.audit.flag_consequences`).

    Examples
    --------
    >>> f = pd.DataFrame({"check": ["impossible SEM", "F not implied by the row's means"],
    ...     "group": "service_users", "measure": "RSA", "subscale": ["Life Goals", "Choice"],
    ...     "site": ["A", "All sites"],
    ...     "row_f_consistent": [True, None], "p_low": [None, 0.037], "p_high": [None, 0.108],
    ...     "decision_open": [False, True], "printed": [0.97, 1.72]})
    >>> print(flag_consequence_sentence(f, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    With the impossible SEM replaced by its decimal-slip value, the printed F of its row is consistent again
    (service users' RSA Life Goals), which supports a typing error in the table rather than in the analysis. For
    service users' RSA Choice, the F values its row allows give p from 0.037 to 0.108, on both sides of α = 0.05:
    whether the sites differed on this scale cannot be settled from the printed numbers.
    """
    parts = []
    sem = flags[flags["check"] == "impossible SEM"]
    if len(sem):
        ok = sem[sem["row_f_consistent"] == True]  # noqa: E712 - object column with NaN
        bad = sem[sem["row_f_consistent"] == False]  # noqa: E712
        if len(ok):
            names = join_words(dict.fromkeys(outcome_label(r.group, r.measure, r.subscale) for r in ok.itertuples()))
            one = len(ok) == 1
            parts.append(
                f"With the impossible {'SEM' if one else 'SEMs'} replaced by {'its' if one else 'their'} "
                f"decimal-slip value, the printed F of {'its' if one else 'each'} row is consistent again "
                f"({names}), which supports a typing error in the table rather than in the analysis."
            )
        if len(bad):
            names = join_words(dict.fromkeys(outcome_label(r.group, r.measure, r.subscale) for r in bad.itertuples()))
            parts.append(f"Even with the impossible SEMs corrected, the F of {names} does not fit its row.")
    for r in flags[flags["check"].str.startswith("F ")].itertuples():
        label = outcome_label(r.group, r.measure, r.subscale)
        span = f"p from {r.p_low:.3f} to {r.p_high:.3f}"
        if r.decision_open:
            parts.append(
                f"For {label}, the F values its row allows give {span}, on both sides of α = {alpha:g}: "
                "whether the sites differed on this scale cannot be settled from the printed numbers."
            )
        else:
            side = "below" if r.p_high < alpha else "above"
            parts.append(
                f"For {label}, the F values its row allows give {span}, all {side} α = {alpha:g}, so the "
                "article's decision on this scale stands whichever value is right."
            )
    for r in flags[flags["check"].str.startswith("p ")].itertuples():
        parts.append(
            f"The printed p for {outcome_label(r.group, r.measure, r.subscale)} ({r.printed:g}) "
            f"{'changes' if 'decision' in r.check else 'does not change'} the decision at α = {alpha:g} "
            "compared with the p its statistic gives."
        )
    return " ".join(parts) if parts else "The audit flags no published value."
