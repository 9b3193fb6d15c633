"""Sentences about the data and their quality: sites, instrument keys, missing items, reliability,
distributions and the mean-replacement sensitivity analysis.

Each function takes a result table and returns a sentence whose wording is chosen from the
numbers, so that a chapter stays true on someone else's data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .format import fmt_num, fmt_pct
from .labels import join_words, outcome_label, plural, share_word, thresholds_text

__all__ = [
    "country_composition",
    "site_count_sentence",
    "total_items_phrase",
    "key_status_sentence",
    "key_consequence_sentence",
    "missing_sentence",
    "alpha_sentence",
    "alpha_agreement_sentence",
    "normality_sentence",
    "sensitivity_verdict",
    "sensitivity_sentence",
]


def country_composition(countries: pd.Series) -> str:
    """``4 in England and 2 in Wales`` from the country of each site.

    Examples
    --------
    >>> country_composition(pd.Series(["England", "Wales", "England"]))
    '2 in England and 1 in Wales'
    """
    counts = pd.Series(countries).astype(str).value_counts().sort_index()
    return join_words(f"{n} in {c}" for c, n in counts.items())


def site_count_sentence(counts: pd.DataFrame) -> str:
    """How the questionnaire counts per site compare with the article's Table 1.

    Parameters
    ----------
    counts : DataFrame
        From :func:`helpers.survey.site_counts` (with the article's counts).

    Examples
    --------
    >>> c = pd.DataFrame({"site": ["A", "B", "Z"], "country": ["England", "Wales", "Wales"],
    ...     "service_users": [10, 12, 0], "care_coordinators": [5, 6, 0],
    ...     "published_service_users": [10.0, 11.0, 3.0], "published_care_coordinators": [5.0, 6.0, 1.0],
    ...     "in_data": [True, True, False], "in_article": [True, True, True]})
    >>> print(site_count_sentence(c))
    The counts differ from the article's Table 1 at 1 site (B). The article's site Z is not in this data.
    """
    data = counts[counts["in_data"]]
    both = data[data["in_article"]]
    differs = both[
        (both["service_users"] != both["published_service_users"])
        | (both["care_coordinators"] != both["published_care_coordinators"])
    ]
    new = data[~data["in_article"]]["site"].tolist()
    gone = counts[~counts["in_data"]]["site"].tolist()
    parts = []
    if len(both) == 0:
        parts.append("None of the sites in this data is named in the article, so no count can be compared.")
    elif differs.empty:
        which = "every site" if len(both) == len(counts) else f"each of the {plural(len(both), 'site')} named in both"
        parts.append(f"The counts match the article's Table 1 at {which}.")
    else:
        parts.append(
            f"The counts differ from the article's Table 1 at {plural(len(differs), 'site')} "
            f"({join_words(differs['site'])})."
        )
    if new:
        parts.append(
            f"{'Site' if len(new) == 1 else 'Sites'} {join_words(new)} "
            f"{'is' if len(new) == 1 else 'are'} not in the article."
        )
    if gone:
        parts.append(
            f"The article's {'site' if len(gone) == 1 else 'sites'} {join_words(gone)} "
            f"{'is' if len(gone) == 1 else 'are'} not in this data."
        )
    return " ".join(parts)


def total_items_phrase(instrument) -> str:
    """Which items the instrument's total uses, from its definition.

    Examples
    --------
    >>> from helpers.io import load_instruments
    >>> total_items_phrase(load_instruments()["STAR-P"])
    'the total uses all 12 items'
    """
    used, n = len(instrument.scales[instrument.total]), len(instrument.items)
    return f"the total uses all {n} items" if used == n else f"the total uses {used} of the {n} items"


def key_status_sentence(instruments: pd.DataFrame) -> str:
    """Whether the item keys of the instrument files are verified.

    Parameters
    ----------
    instruments : DataFrame
        From :func:`helpers.survey.instrument_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["RSA", "ES"], "key_verified": [False, False]})
    >>> key_status_sentence(t)
    'None of the 2 instrument files (RSA and ES) has a verified item key.'
    >>> key_status_sentence(t.assign(key_verified=[True, False]))
    'The item key of RSA is verified; that of ES is not.'
    """
    ok = instruments.loc[instruments["key_verified"], "measure"].tolist()
    not_ok = instruments.loc[~instruments["key_verified"], "measure"].tolist()
    n = len(instruments)
    if not not_ok:
        return f"The item keys of all {n} instrument files ({join_words(ok)}) are marked as verified."
    if not ok:
        return f"None of the {n} instrument files ({join_words(not_ok)}) has a verified item key."
    return (
        f"The item key{'s' if len(ok) > 1 else ''} of {join_words(ok)} {'are' if len(ok) > 1 else 'is'} "
        f"verified; that of {join_words(not_ok)} {'are' if len(not_ok) > 1 else 'is'} not."
    )


def key_consequence_sentence(instruments: pd.DataFrame) -> str:
    """What an unverified key means for the scores, from the instrument table.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["RSA", "STAR-P"], "key_verified": [False, False], "n_reversed": [0, 3]})
    >>> print(key_consequence_sentence(t))  # doctest: +NORMALIZE_WHITESPACE
    Every subscale score of RSA and STAR-P, and each subscale's Cronbach's alpha, rests on a placeholder assignment
    of items to subscales. The totals of STAR-P also depend on the unverified list of reversed items.
    """
    unverified = instruments[~instruments["key_verified"]]
    if unverified.empty:
        return "Subscale and total scores follow keys that the instrument files mark as verified."
    text = (
        f"Every subscale score of {join_words(unverified['measure'])}, and each subscale's Cronbach's alpha, "
        "rests on a placeholder assignment of items to subscales."
    )
    rev = unverified.loc[unverified["n_reversed"] > 0, "measure"].tolist()
    if rev:
        text += f" The totals of {join_words(rev)} also depend on the unverified list of reversed items."
    return text


def missing_sentence(missing: pd.DataFrame) -> str:
    """Mean and range of the share with missing data across outcomes, naming the extremes.

    Parameters
    ----------
    missing : DataFrame
        From :func:`helpers.survey.missing_by_outcome`.

    Examples
    --------
    >>> m = pd.DataFrame({"group": ["service_users", "care_coordinators"], "measure": ["RSA", "RSA"],
    ...                   "subscale": ["Total", "Choice"], "share_missing": [0.69, 0.07]})
    >>> print(missing_sentence(m))  # doctest: +NORMALIZE_WHITESPACE
    On average 38.0 % of participants had at least one item missing on an outcome, from 7.0 % (care coordinators'
    RSA Choice) to 69.0 % (service users' RSA total).
    """
    share = missing["share_missing"].astype(float)
    lo, hi = missing.loc[share.idxmin()], missing.loc[share.idxmax()]
    return (
        f"On average {fmt_pct(share.mean())} of participants had at least one item missing on an outcome, "
        f"from {fmt_pct(lo['share_missing'])} ({outcome_label(lo['group'], lo['measure'], lo['subscale'])}) "
        f"to {fmt_pct(hi['share_missing'])} ({outcome_label(hi['group'], hi['measure'], hi['subscale'])})."
    )


def alpha_sentence(alphas: pd.DataFrame, threshold: float) -> str:
    """How many scales reach the least acceptable alpha, naming those that do not.

    Parameters
    ----------
    alphas : DataFrame
        ``group, measure, subscale, alpha``: one row per scale.
    threshold : float
        The least acceptable Cronbach's alpha.

    Examples
    --------
    >>> a = pd.DataFrame({"group": "service_users", "measure": "ES", "subscale": ["Total", "Righteous Anger"],
    ...                   "alpha": [0.84, 0.45]})
    >>> print(alpha_sentence(a, 0.7))
    1 of the 2 scales reached Cronbach's alpha of 0.70 or more; below it: service users' ES Righteous Anger (0.45).
    """
    ok = alphas["alpha"] >= threshold
    low = alphas[~ok]
    n, k = len(alphas), int(ok.sum())
    head = (
        f"All {n} scales reached Cronbach's alpha of {threshold:.2f} or more."
        if k == n
        else f"{share_word(k, n).capitalize()} scales reached Cronbach's alpha of {threshold:.2f} or more"
    )
    if k == n:
        return head
    items = [f"{outcome_label(r.group, r.measure, r.subscale)} ({fmt_num(r.alpha)})" for r in low.itertuples()]
    return f"{head}; below it: {join_words(items)}."


def alpha_agreement_sentence(alphas: pd.DataFrame, tolerance: float = 0.02) -> str:
    """How many alphas lie within ``tolerance`` of the article's (needs ``published_alpha``).

    Examples
    --------
    >>> a = pd.DataFrame({"alpha": [0.90, 0.70], "published_alpha": [0.91, 0.80]})
    >>> alpha_agreement_sentence(a)
    "1 of the 2 alphas lies within 0.02 of the article's value; the largest difference is 0.10."
    """
    both = alphas.dropna(subset=["alpha", "published_alpha"])
    if both.empty:
        return "None of these scales has a published alpha to compare with."
    diff = (both["alpha"] - both["published_alpha"]).abs()
    k, n = int((diff <= tolerance + 1e-9).sum()), len(both)
    verb = "lie" if k != 1 else "lies"
    return (
        f"{share_word(k, n).capitalize()} alphas {verb} within {tolerance:.2f} of the article's value; "
        f"the largest difference is {fmt_num(diff.max())}."
    )


def normality_sentence(
    normality: pd.DataFrame,
    article_beyond_1: int | None = None,
    article_beyond_2: int | None = None,
    *,
    limits: Sequence[float],
) -> str:
    """How many outcomes have skewness or kurtosis beyond the two limits, and what that means.

    Parameters
    ----------
    normality : DataFrame
        ``group, measure, subscale, beyond_1, beyond_2``: whether the outcome's skewness or
        kurtosis lies beyond the first and the second limit.
    article_beyond_1, article_beyond_2 : int, optional
        The article's counts of outcomes beyond each limit.
    limits : (float, float)
        The two limits the flags were computed with.

    Examples
    --------
    >>> n = pd.DataFrame({"group": "service_users", "measure": "STAR-P",
    ...                   "subscale": ["Total", "Positive Collaboration"], "beyond_1": [True, False],
    ...                   "beyond_2": [False, False]})
    >>> print(normality_sentence(n, 3, 0, limits=(1.0, 2.0)))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 2 outcomes had skewness or kurtosis beyond ±1 (service users' STAR-P total; article: 3 of 22) and none
    beyond ±2 (article: 0), so every distribution lies within the ±2 band commonly accepted for parametric tests.
    """
    first_limit, second_limit = (f"±{float(v):g}" for v in limits)
    n = len(normality)
    b1 = normality[normality["beyond_1"]]
    b2 = normality[normality["beyond_2"]]
    names1 = join_words(outcome_label(r.group, r.measure, r.subscale) for r in b1.itertuples())
    art1 = f"article: {article_beyond_1} of 22" if article_beyond_1 is not None else ""
    art2 = f" (article: {article_beyond_2})" if article_beyond_2 is not None else ""
    first = (
        f"{share_word(len(b1), n).capitalize() if len(b1) else 'None of the ' + str(n)} outcomes had skewness "
        f"or kurtosis beyond {first_limit}"
    )
    inner = "; ".join(x for x in (names1, art1) if x)
    first += f" ({inner})" if inner else ""
    if b2.empty:
        second = (
            f"none beyond {second_limit}{art2}, so every distribution lies within the {second_limit} band "
            "commonly accepted for parametric tests"
        )
    else:
        names2 = join_words(outcome_label(r.group, r.measure, r.subscale) for r in b2.itertuples())
        second = (
            f"{plural(len(b2), 'outcome')} beyond {second_limit}{art2} ({names2}), where the robustness "
            "of parametric tests should not be taken for granted"
        )
    return f"{first} and {second}."


def sensitivity_verdict(decisions: pd.DataFrame) -> str:
    """A short verdict: whether the mean-replacement threshold changed any inference.

    Examples
    --------
    >>> sensitivity_verdict(pd.DataFrame({"changes": [False, False]}))
    'did not change any inference'
    >>> sensitivity_verdict(pd.DataFrame({"changes": [True, False]}))
    'changed the inference for 1 of the 2 outcomes'
    """
    k = int(decisions["changes"].sum())
    if k == 0:
        return "did not change any inference"
    return f"changed the inference for {k} of the {len(decisions)} outcomes"


def sensitivity_sentence(decisions: pd.DataFrame, alpha: float) -> str:
    """Which outcomes' significance decisions change across the mean-replacement thresholds.

    Parameters
    ----------
    decisions : DataFrame
        From :func:`helpers.survey.sensitivity_decisions`.
    alpha : float

    Examples
    --------
    >>> d = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Choice", "Total"],
    ...     "changes": [True, False], "significant_at": [(0.0,), ()], "not_significant_at": [(0.5,), (0.0, 0.5)],
    ...     "decision": ["changes", "not significant throughout"]})
    >>> print(sensitivity_sentence(d, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    At α = 0.05 the decision changed with the threshold for 1 of the 2 outcomes: service users' RSA Choice
    (significant at 0 %, not at 50 %). The other outcome was not significant at any threshold.
    """
    n = len(decisions)
    changed = decisions[decisions["changes"]]
    stable = decisions[~decisions["changes"]]
    n_sig = int((stable["decision"] == "significant throughout").sum())
    n_not = int((stable["decision"] == "not significant throughout").sum())
    if changed.empty:
        head = f"At α = {alpha:g} every one of the {n} outcomes led to the same decision at every threshold"
    else:
        items = [
            f"{outcome_label(r.group, r.measure, r.subscale)} (significant at "
            f"{thresholds_text(r.significant_at)}, not at {thresholds_text(r.not_significant_at)})"
            for r in changed.itertuples()
        ]
        head = (
            f"At α = {alpha:g} the decision changed with the threshold for {len(changed)} of the {n} outcomes: "
            f"{join_words(items)}"
        )
    if changed.empty:
        tails = []
        if n_sig:
            tails.append(f"{plural(n_sig, 'outcome')} {'was' if n_sig == 1 else 'were'} significant at every threshold")
        if n_not:
            tails.append(
                f"{plural(n_not, 'outcome')} {'was' if n_not == 1 else 'were'} not significant at any threshold"
            )
        return f"{head}: {join_words(tails)}."
    if len(stable) == 1:
        verb = "was significant at every threshold" if n_sig else "was not significant at any threshold"
        return f"{head}. The other outcome {verb}."
    tails = []
    if n_sig:
        tails.append(f"{n_sig} {'was' if n_sig == 1 else 'were'} significant at every threshold")
    if n_not:
        tails.append(f"{n_not} {'was' if n_not == 1 else 'were'} not significant at any")
    return f"{head}. Of the other outcomes, {join_words(tails)}." if tails else f"{head}."
