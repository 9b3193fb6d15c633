"""Results into words, beyond the basic formatters of :mod:`helpers.report`.

Every function here takes a result table (or a few numbers) and returns a phrase or a
sentence whose wording is *chosen from the numbers*: "differed significantly" or
"did not differ significantly", "higher" or "lower", "every site" or "3 of 5 sites".
The chapters glue these strings into their prose, so the same chapter stays true on
someone else's data (other sites, other counts, other results). Nothing here names a
site, a country or a count of sites: all of them come from the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .contract import GROUPS
from .report import fmt_ci, fmt_f, fmt_num, fmt_p, fmt_pct

__all__ = [
    "join_words",
    "plural",
    "group_label",
    "outcome_label",
    "published_label",
    "data_label",
    "threshold_label",
    "covariate_phrase",
    "n_range_phrase",
    "site_count_sentence",
    "country_composition",
    "total_items_phrase",
    "key_status_sentence",
    "key_consequence_sentence",
    "missing_sentence",
    "alpha_sentence",
    "alpha_agreement_sentence",
    "normality_sentence",
    "sensitivity_sentence",
    "sensitivity_verdict",
    "stat_phrase",
    "significant_outcomes_sentence",
    "adjustment_sentence",
    "extremes_phrase",
    "tukey_sentence",
    "significance_mark",
    "site_marks",
    "mark_legend",
    "reference_site_sentence",
    "published_agreement_sentence",
    "decision_agreement_sentence",
    "rank_agreement_phrase",
    "rater_difference_sentence",
    "reference_sentence",
    "reference_source_sentence",
    "decimals_for",
    "correlation_sentence",
    "site_correlation_sentence",
    "spread_phrase",
    "chance_sentence",
    "country_sentence",
    "country_caveat",
    "reproduction_sentence",
    "audit_explanation",
    "share_word",
]


# --------------------------------------------------------------------------- small pieces


def _finite(x) -> bool:
    return x is not None and not (isinstance(x, float) and np.isnan(x)) and bool(np.isfinite(float(x)))


def _sig(p, alpha: float) -> bool:
    return _finite(p) and float(p) < alpha


def join_words(items: Iterable[str], conj: str = "and") -> str:
    """Join words as English does: ``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> join_words(["a"]), join_words(["a", "b"]), join_words(["a", "b", "c"], "or"), join_words([])
    ('a', 'a and b', 'a, b or c', '')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 site``, ``3 sites``, ``2 countries`` (give ``plural_form`` when not just + s).

    Examples
    --------
    >>> plural(1, "site"), plural(3, "site"), plural(2, "country", "countries")
    ('1 site', '3 sites', '2 countries')
    """
    n = int(n)
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def group_label(group: str) -> str:
    """``"service users"`` for ``"service_users"``.

    Examples
    --------
    >>> group_label("care_coordinators")
    'care coordinators'
    """
    return GROUPS[group].label.lower() if group in GROUPS else str(group).replace("_", " ")


def outcome_label(group: str | None, measure: str, subscale: str, total: str = "Total") -> str:
    """A readable name of one outcome: ``service users' RSA Choice``, ``STAR-P total``.

    Examples
    --------
    >>> outcome_label("service_users", "STAR-P", "Total"), outcome_label(None, "RSA", "Choice")
    ("service users' STAR-P total", 'RSA Choice')
    """
    scale = f"{measure} total" if subscale == total else f"{measure} {subscale}"
    return f"{group_label(group)}' {scale}" if group else scale


def published_label(synthetic: bool) -> str:
    """Header of the columns holding the article's values.

    On the synthetic data the article is what the data were built to reproduce; on
    anyone else's data the column is still the article's, and says so.

    Examples
    --------
    >>> published_label(True), published_label(False)
    ('published', 'article (published)')
    """
    return "published" if synthetic else "article (published)"


def data_label(synthetic: bool) -> str:
    """Header of the columns holding this dataset's values.

    Examples
    --------
    >>> data_label(True), data_label(False)
    ('this data (synthetic)', 'this data')
    """
    return "this data (synthetic)" if synthetic else "this data"


def covariate_phrase(covariates: Sequence[str]) -> str:
    """Covariate column names in words.

    Examples
    --------
    >>> covariate_phrase(["age", "years_in_services"])
    'age and years in services'
    >>> covariate_phrase([])
    'no covariates'
    """
    return join_words(str(c).replace("_", " ") for c in covariates) or "no covariates"


def n_range_phrase(ns: Iterable[int], noun: str) -> str:
    """``between 379 and 424 service users`` (or ``201 care coordinators`` when all equal).

    Examples
    --------
    >>> n_range_phrase([424, 379, 400], "service users"), n_range_phrase([201, 201], "care coordinators")
    ('between 379 and 424 service users', '201 care coordinators')
    """
    ns = [int(n) for n in ns]
    lo, hi = min(ns), max(ns)
    return f"{lo} {noun}" if lo == hi else f"between {lo} and {hi} {noun}"


def threshold_label(threshold: float) -> str:
    """A mean-replacement threshold in words.

    Examples
    --------
    >>> threshold_label(0.0), threshold_label(0.25)
    ('0 % (complete cases)', '25 %')
    """
    pct = f"{100 * float(threshold):g} %"
    return f"{pct} (complete cases)" if float(threshold) == 0 else pct


def share_word(k: int, n: int) -> str:
    """``every``, ``none of the``, or ``k of the n`` for a count out of a total.

    Examples
    --------
    >>> share_word(6, 6), share_word(0, 6), share_word(2, 6)
    ('all 6', 'none of the 6', '2 of the 6')
    """
    k, n = int(k), int(n)
    if n > 0 and k == n:
        return f"all {n}" if n > 2 else ("both" if n == 2 else "the one")
    if k == 0:
        return f"none of the {n}"
    return f"{k} of the {n}"


# --------------------------------------------------------------------------- chapter 1: data and quality


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
        From :func:`helpers.analysis.site_counts` (with the article's counts).

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
    differs = both[(both["service_users"] != both["published_service_users"])
                   | (both["care_coordinators"] != both["published_care_coordinators"])]
    new = data[~data["in_article"]]["site"].tolist()
    gone = counts[~counts["in_data"]]["site"].tolist()
    parts = []
    if len(both) == 0:
        parts.append("None of the sites in this data is named in the article, so no count can be compared.")
    elif differs.empty:
        which = "every site" if len(both) == len(counts) else f"each of the {plural(len(both), 'site')} named in both"
        parts.append(f"The counts match the article's Table 1 at {which}.")
    else:
        parts.append(f"The counts differ from the article's Table 1 at {plural(len(differs), 'site')} "
                     f"({join_words(differs['site'])}).")
    if new:
        parts.append(f"{'Site' if len(new) == 1 else 'Sites'} {join_words(new)} "
                     f"{'is' if len(new) == 1 else 'are'} not in the article.")
    if gone:
        parts.append(f"The article's {'site' if len(gone) == 1 else 'sites'} {join_words(gone)} "
                     f"{'is' if len(gone) == 1 else 'are'} not in this data.")
    return " ".join(parts)


def total_items_phrase(instrument) -> str:
    """Which items the instrument's total uses, from its definition.

    Examples
    --------
    >>> from helpers.instruments import load_instruments
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
        From :func:`helpers.analysis.instrument_table`.

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
    return (f"The item key{'s' if len(ok) > 1 else ''} of {join_words(ok)} {'are' if len(ok) > 1 else 'is'} "
            f"verified; that of {join_words(not_ok)} {'are' if len(not_ok) > 1 else 'is'} not.")


def key_consequence_sentence(instruments: pd.DataFrame) -> str:
    """What an unverified key means for the scores, from the instrument table.

    Examples
    --------
    >>> t = pd.DataFrame({"measure": ["RSA", "STAR-P"], "key_verified": [False, False], "n_reversed": [0, 3]})
    >>> print(key_consequence_sentence(t))
    Every subscale score of RSA and STAR-P, and each subscale's Cronbach's alpha, rests on a placeholder assignment of items to subscales. The totals of STAR-P also depend on the unverified list of reversed items.
    """
    unverified = instruments[~instruments["key_verified"]]
    if unverified.empty:
        return "Subscale and total scores follow keys that the instrument files mark as verified."
    text = (f"Every subscale score of {join_words(unverified['measure'])}, and each subscale's Cronbach's alpha, "
            "rests on a placeholder assignment of items to subscales.")
    rev = unverified.loc[unverified["n_reversed"] > 0, "measure"].tolist()
    if rev:
        text += f" The totals of {join_words(rev)} also depend on the unverified list of reversed items."
    return text


def missing_sentence(missing: pd.DataFrame) -> str:
    """Mean and range of the share with missing data across outcomes, naming the extremes.

    Parameters
    ----------
    missing : DataFrame
        From :func:`helpers.analysis.missing_by_outcome`.

    Examples
    --------
    >>> m = pd.DataFrame({"group": ["service_users", "care_coordinators"], "measure": ["RSA", "RSA"],
    ...                   "subscale": ["Total", "Choice"], "share_missing": [0.69, 0.07]})
    >>> print(missing_sentence(m))
    On average 38.0 % of participants had at least one item missing on an outcome, from 7.0 % (care coordinators' RSA Choice) to 69.0 % (service users' RSA total).
    """
    share = missing["share_missing"].astype(float)
    lo, hi = missing.loc[share.idxmin()], missing.loc[share.idxmax()]
    return (f"On average {fmt_pct(share.mean())} of participants had at least one item missing on an outcome, "
            f"from {fmt_pct(lo['share_missing'])} ({outcome_label(lo['group'], lo['measure'], lo['subscale'])}) "
            f"to {fmt_pct(hi['share_missing'])} ({outcome_label(hi['group'], hi['measure'], hi['subscale'])}).")


def alpha_sentence(alphas: pd.DataFrame, threshold: float = 0.7) -> str:
    """How many scales reach the conventional alpha, naming those that do not.

    Examples
    --------
    >>> a = pd.DataFrame({"group": "service_users", "measure": "ES", "subscale": ["Total", "Righteous Anger"],
    ...                   "alpha": [0.84, 0.45]})
    >>> print(alpha_sentence(a))
    1 of the 2 scales reached Cronbach's alpha of 0.70 or more; below it: service users' ES Righteous Anger (0.45).
    """
    ok = alphas["alpha"] >= threshold
    low = alphas[~ok]
    n, k = len(alphas), int(ok.sum())
    head = (f"All {n} scales reached Cronbach's alpha of {threshold:.2f} or more." if k == n else
            f"{share_word(k, n).capitalize()} scales reached Cronbach's alpha of {threshold:.2f} or more")
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
    return (f"{share_word(k, n).capitalize()} alphas {verb} within {tolerance:.2f} of the article's value; "
            f"the largest difference is {fmt_num(diff.max())}.")


def normality_sentence(normality: pd.DataFrame, article_beyond_1: int | None = None,
                       article_beyond_2: int | None = None) -> str:
    """How many outcomes have skewness or kurtosis beyond +/-1 and +/-2, and what that means.

    Examples
    --------
    >>> n = pd.DataFrame({"group": "service_users", "measure": "STAR-P", "subscale": ["Total", "Positive Collaboration"],
    ...                   "beyond_1": [True, False], "beyond_2": [False, False]})
    >>> print(normality_sentence(n, 3, 0))
    1 of the 2 outcomes had skewness or kurtosis beyond ±1 (service users' STAR-P total; article: 3 of 22) and none beyond ±2 (article: 0), so every distribution lies within the ±2 band commonly accepted for parametric tests.
    """
    n = len(normality)
    b1 = normality[normality["beyond_1"]]
    b2 = normality[normality["beyond_2"]]
    names1 = join_words(outcome_label(r.group, r.measure, r.subscale) for r in b1.itertuples())
    art1 = f"article: {article_beyond_1} of 22" if article_beyond_1 is not None else ""
    art2 = f" (article: {article_beyond_2})" if article_beyond_2 is not None else ""
    first = (f"{share_word(len(b1), n).capitalize() if len(b1) else 'None of the ' + str(n)} outcomes had skewness "
             f"or kurtosis beyond ±1")
    inner = "; ".join(x for x in (names1, art1) if x)
    first += f" ({inner})" if inner else ""
    if b2.empty:
        second = (f"none beyond ±2{art2}, so every distribution lies within the ±2 band commonly accepted for "
                  "parametric tests")
    else:
        names2 = join_words(outcome_label(r.group, r.measure, r.subscale) for r in b2.itertuples())
        second = (f"{plural(len(b2), 'outcome')} beyond ±2{art2} ({names2}), where the robustness of parametric "
                  "tests should not be taken for granted")
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


def _thresholds_text(values: Sequence[float]) -> str:
    return join_words(f"{100 * float(t):g} %" for t in values)


def sensitivity_sentence(decisions: pd.DataFrame, alpha: float) -> str:
    """Which outcomes' significance decisions change across the mean-replacement thresholds.

    Parameters
    ----------
    decisions : DataFrame
        From :func:`helpers.analysis.sensitivity_decisions`.
    alpha : float

    Examples
    --------
    >>> d = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Choice", "Total"],
    ...     "changes": [True, False], "significant_at": [(0.0,), ()], "not_significant_at": [(0.5,), (0.0, 0.5)],
    ...     "decision": ["changes", "not significant throughout"]})
    >>> print(sensitivity_sentence(d, 0.05))
    At α = 0.05 the decision changed with the threshold for 1 of the 2 outcomes: service users' RSA Choice (significant at 0 %, not at 50 %). The other outcome was not significant at any threshold.
    """
    n = len(decisions)
    changed = decisions[decisions["changes"]]
    stable = decisions[~decisions["changes"]]
    n_sig = int((stable["decision"] == "significant throughout").sum())
    n_not = int((stable["decision"] == "not significant throughout").sum())
    if changed.empty:
        head = f"At α = {alpha:g} every one of the {n} outcomes led to the same decision at every threshold"
    else:
        items = [f"{outcome_label(r.group, r.measure, r.subscale)} (significant at "
                 f"{_thresholds_text(r.significant_at)}, not at {_thresholds_text(r.not_significant_at)})"
                 for r in changed.itertuples()]
        head = (f"At α = {alpha:g} the decision changed with the threshold for {len(changed)} of the {n} outcomes: "
                f"{join_words(items)}")
    if changed.empty:
        tails = []
        if n_sig:
            tails.append(f"{plural(n_sig, 'outcome')} {'was' if n_sig == 1 else 'were'} significant at every threshold")
        if n_not:
            tails.append(f"{plural(n_not, 'outcome')} {'was' if n_not == 1 else 'were'} not significant at any "
                         "threshold")
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


# --------------------------------------------------------------------------- chapters 2-5: site comparisons


def stat_phrase(row, adjusted: bool = False) -> str:
    """``F(5, 429) = 3.46, p = 0.004, η² = 0.039`` from a row of :func:`helpers.analysis.outcome_tests`.

    Examples
    --------
    >>> r = pd.Series({"df_between": 5, "df_within": 429, "F": 3.457, "p": 0.0045, "eta_squared": 0.0387})
    >>> stat_phrase(r)
    'F(5, 429) = 3.46, p = 0.004, η² = 0.039'
    """
    if adjusted:
        return (f"{fmt_f(row['df_adj'], row['df_resid_adj'], row['F_adj'], row['p_adj'])}, "
                f"partial η² = {fmt_num(row['partial_eta_squared'], 3)}")
    return f"{fmt_f(row['df_between'], row['df_within'], row['F'], row['p'])}, η² = {fmt_num(row['eta_squared'], 3)}"


def significant_outcomes_sentence(tests: pd.DataFrame, alpha: float, adjusted: bool = False,
                                  with_group: bool = False) -> str:
    """Which outcomes' site effects are significant at ``alpha``, with their statistics.

    Parameters
    ----------
    tests : DataFrame
        From :func:`helpers.analysis.outcome_tests` (one or more outcomes).
    alpha : float
    adjusted : bool
        Use the ANCOVA columns instead of the one-way ANOVA.
    with_group : bool
        Name the participant group in each outcome label.

    Examples
    --------
    >>> t = pd.DataFrame({"group": "service_users", "measure": "ES", "subscale": ["Total", "Righteous Anger"],
    ...     "df_between": 5, "df_within": [429, 428], "F": [1.41, 0.57], "p": [0.221, 0.72], "eta_squared": [0.016, 0.007]})
    >>> significant_outcomes_sentence(t, 0.05)
    'None of the 2 scales differed significantly between sites (smallest p = 0.221).'
    """
    p_col = "p_adj" if adjusted else "p"
    valid = tests[tests[p_col].notna()]
    sig = valid[valid[p_col] < alpha]
    n = len(valid)
    if n == 0:
        return "No site comparison could be computed."
    if sig.empty:
        if n == 1:
            return f"The scale did not differ significantly between sites ({stat_phrase(valid.iloc[0], adjusted)})."
        return (f"None of the {n} scales differed significantly between sites "
                f"(smallest p = {fmt_num(valid[p_col].min(), 3)}).")
    items = [f"{outcome_label(r['group'] if with_group else None, r['measure'], r['subscale'])} "
             f"({stat_phrase(r, adjusted)})" for _, r in sig.iterrows()]
    if len(sig) == n:
        lead = ("Every scale differed significantly between sites" if n > 1 else
                "The scale differed significantly between sites")
        return f"{lead}: {join_words(items)}."
    return f"{len(sig)} of the {n} scales differed significantly between sites: {join_words(items)}."


def adjustment_sentence(tests: pd.DataFrame, alpha: float) -> str:
    """Whether adjusting for covariates changed any decision (compares ``significant`` and ``significant_adj``).

    Examples
    --------
    >>> t = pd.DataFrame({"measure": "RSA", "subscale": ["Choice", "Total"], "group": "care_coordinators",
    ...                   "significant": [True, False], "significant_adj": [True, False], "p_adj": [0.01, 0.6]})
    >>> adjustment_sentence(t, 0.05)
    'Adjusting for the covariates changed no decision at α = 0.05.'
    """
    valid = tests[tests["p_adj"].notna()]
    if valid.empty:
        return "The adjusted analysis could not be computed."
    gained = valid[~valid["significant"] & valid["significant_adj"]]
    lost = valid[valid["significant"] & ~valid["significant_adj"]]
    if gained.empty and lost.empty:
        return f"Adjusting for the covariates changed no decision at α = {alpha:g}."
    parts = []
    if len(lost):
        parts.append(f"{join_words(outcome_label(None, r.measure, r.subscale) for r in lost.itertuples())} "
                     f"{'was' if len(lost) == 1 else 'were'} no longer significant after adjustment")
    if len(gained):
        parts.append(f"{join_words(outcome_label(None, r.measure, r.subscale) for r in gained.itertuples())} "
                     f"became significant only after adjustment")
    return f"Adjusting for the covariates changed the decision at α = {alpha:g}: {join_words(parts, 'and')}."


def extremes_phrase(summary: pd.DataFrame, decimals: int = 2) -> str:
    """``highest at A (3.55) and lowest at B (3.30)`` from site summaries of one outcome.

    Examples
    --------
    >>> s = pd.DataFrame({"site": ["A", "B", "C"], "mean": [3.3, 3.55, 3.4]})
    >>> extremes_phrase(s)
    'highest at B (3.55) and lowest at A (3.30)'
    """
    hi = summary.loc[summary["mean"].idxmax()]
    lo = summary.loc[summary["mean"].idxmin()]
    return (f"highest at {hi['site']} ({fmt_num(hi['mean'], decimals)}) and lowest at {lo['site']} "
            f"({fmt_num(lo['mean'], decimals)})")


def tukey_sentence(tukey: pd.DataFrame, tests: pd.DataFrame, alpha: float, decimals: int = 2,
                   reference: str | None = None) -> str:
    """What the Tukey post hoc tests found, for the outcomes that had them.

    Parameters
    ----------
    tukey : DataFrame
        From :func:`helpers.analysis.tukey_where_significant` (possibly empty).
    tests : DataFrame
        From :func:`helpers.analysis.outcome_tests`, for the same outcomes.
    alpha : float
    reference : str, optional
        The comparisons are all against this site (``group_b``): worded as such.

    Examples
    --------
    >>> t = pd.DataFrame(columns=["measure", "subscale"])
    >>> tukey_sentence(t, pd.DataFrame({"significant": [False], "significant_adj": [False]}), 0.05)
    'No scale differed significantly between sites in either analysis, so no post hoc tests were run.'
    >>> t = pd.DataFrame({"measure": "STAR-P", "subscale": "Total", "group_a": ["A", "B"], "group_b": "R",
    ...                   "diff": [-6.2, 1.0], "p_tukey": [0.003, 0.8]})
    >>> tukey_sentence(t, None, 0.05, reference="R")
    'Against R, 1 of the 2 other sites differed in the STAR-P total: A lower by 6.20 (p = 0.003).'
    """
    if tukey.empty:
        if reference is not None and tests is not None and len(tests):
            labels = join_words(outcome_label(None, r.measure, r.subscale) for r in tests.itertuples())
            return (f"The site effect on the {labels} was not significant in either analysis, so no site is tested "
                    f"against {reference}.")
        return "No scale differed significantly between sites in either analysis, so no post hoc tests were run."
    parts = []
    for (measure, subscale), f in tukey.groupby(["measure", "subscale"], sort=False):
        sig = f[f["p_tukey"] < alpha]
        label = outcome_label(None, measure, subscale)
        if reference is not None:
            if sig.empty:
                parts.append(f"against {reference}, none of the {plural(len(f), 'other site')} differed significantly "
                             f"in the {label} (smallest p = {fmt_num(f['p_tukey'].min(), 3)})")
                continue
            sites = [f"{r.group_a} {'higher' if r.diff > 0 else 'lower'} by {fmt_num(abs(r.diff), decimals)} "
                     f"({fmt_p(r.p_tukey)})" for r in sig.itertuples()]
            parts.append(f"against {reference}, {len(sig)} of the {plural(len(f), 'other site')} differed in the "
                         f"{label}: {join_words(sites)}")
            continue
        if sig.empty:
            parts.append(f"for {label}, no pair of sites differed significantly after Tukey's adjustment "
                         f"(smallest p = {fmt_num(f['p_tukey'].min(), 3)})")
            continue
        pairs = [f"{r.group_a} {'higher' if r.diff > 0 else 'lower'} than {r.group_b} by "
                 f"{fmt_num(abs(r.diff), decimals)} ({fmt_p(r.p_tukey)})" for r in sig.itertuples()]
        parts.append(f"for {label}, {plural(len(sig), 'pair')} of {len(f)} differed: {join_words(pairs)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def published_agreement_sentence(frame: pd.DataFrame, ours: str, published: str, tolerance: float,
                                 what: str) -> str:
    """How many of our values lie within ``tolerance`` of the article's.

    Examples
    --------
    >>> f = pd.DataFrame({"mean": [3.481, 3.60, 2.0], "published_mean": [3.48, 3.55, None]})
    >>> published_agreement_sentence(f, "mean", "published_mean", 0.005, "site means")
    '1 of the 2 site means that the article reports is within 0.005 of the published value; the largest difference is 0.05.'
    """
    both = frame.dropna(subset=[ours, published])
    if both.empty:
        return f"None of these {what} can be compared with the article (it reports no matching value)."
    diff = (both[ours] - both[published]).abs()
    k, n = int((diff <= tolerance + 1e-9).sum()), len(both)
    verb = "is" if k == 1 or n == 1 else "are"
    lead = (f"{share_word(k, n).capitalize()} {what} that the article reports {verb} within {tolerance:g} of the "
            "published value")
    if k == n:
        return f"{lead}."
    return f"{lead}; the largest difference is {fmt_num(diff.max())}."


def decision_agreement_sentence(tests: pd.DataFrame, alpha: float, with_group: bool = False) -> str:
    """Whether the decisions at ``alpha`` agree with the article's (needs ``published_significant``).

    Examples
    --------
    >>> t = pd.DataFrame({"subscale": ["A", "B"], "measure": "RSA", "significant": [True, False],
    ...                   "published_significant": [True, True], "published_p": [0.01, 0.02]})
    >>> decision_agreement_sentence(t, 0.05)
    'The decision at α = 0.05 agrees with the article for 1 of the 2 scales; it differs for RSA B.'
    """
    both = tests.dropna(subset=["published_p"])
    if both.empty:
        return "None of these scales has a published test to compare with."
    same = both["significant"] == both["published_significant"]
    k, n = int(same.sum()), len(both)
    if k == n:
        return f"The decision at α = {alpha:g} agrees with the article for {'every' if n > 1 else 'the'} scale."
    names = join_words(outcome_label(r.group if with_group else None, r.measure, r.subscale)
                       for r in both[~same].itertuples())
    return (f"The decision at α = {alpha:g} agrees with the article for {share_word(k, n)} scales; it differs for "
            f"{names}.")


def rank_agreement_phrase(rho: float, p: float, n_sites: int, alpha: float) -> str:
    """How far two groups rank the sites alike, with the caveat of few sites.

    Examples
    --------
    >>> print(rank_agreement_phrase(0.6, 0.24, 6, 0.05))
    ranked the sites in a broadly similar order (Spearman's ρ = 0.60, 6 sites, p = 0.240); with only 6 sites an agreement of this size could easily arise by chance
    >>> rank_agreement_phrase(float("nan"), float("nan"), 2, 0.05)
    'could not be compared on their ranking of the sites (fewer than three sites, or no variation)'
    """
    if not _finite(rho):
        return "could not be compared on their ranking of the sites (fewer than three sites, or no variation)"
    if rho >= 0.7:
        order = "ranked the sites in much the same order"
    elif rho >= 0.4:
        order = "ranked the sites in a broadly similar order"
    elif rho >= 0.1:
        order = "ranked the sites in only a weakly similar order"
    elif rho > -0.1:
        order = "ranked the sites in unrelated orders"
    elif rho > -0.4:
        order = "tended slightly to rank the sites in opposite orders"
    else:
        order = "tended to rank the sites in opposite orders"
    stat = f"Spearman's ρ = {fmt_num(rho)}, {plural(n_sites, 'site')}, {fmt_p(p)}"
    if _sig(p, alpha):
        caveat = (f"unlikely to be chance alone, though {n_sites} points give only a rough estimate of the "
                  "agreement")
    elif abs(rho) < 0.1:
        caveat = f"with only {n_sites} sites the rankings say little either way"
    else:
        size = "an agreement" if rho >= 0 else "a disagreement"
        caveat = f"with only {n_sites} sites {size} of this size could easily arise by chance"
    return f"{order} ({stat}); {caveat}"


def rater_difference_sentence(row, first: str, second: str, measure_label: str) -> str:
    """At how many sites the second group rated higher than the first, and by how much on average.

    Parameters
    ----------
    row : mapping
        A row of :func:`helpers.analysis.rank_agreement` (``n_sites, n_second_higher, mean_diff``).
    first, second : str
        Group labels, e.g. ``"service users"``, ``"care coordinators"``.
    measure_label : str

    Examples
    --------
    >>> r = {"n_sites": 6, "n_second_higher": 5, "mean_diff": 0.18}
    >>> rater_difference_sentence(r, "service users", "care coordinators", "RSA total")
    "Care coordinators' mean RSA total was higher than service users' at 5 of the 6 sites and lower at the rest (average difference across sites: +0.18 points)."
    """
    n, k, d = int(row["n_sites"]), int(row["n_second_higher"]), float(row["mean_diff"])
    everywhere = "at every site" if n > 2 else f"at {share_word(n, n)} sites"
    if k == n:
        where = f"higher than {first}' {everywhere}"
    elif k == 0:
        where = f"lower than {first}' {everywhere}"
    else:
        where = f"higher than {first}' at {share_word(k, n)} sites and lower at the rest"
    return (f"{second.capitalize()}' mean {measure_label} was {where} "
            f"(average difference across sites: {d:+.2f} points).")


def reference_sentence(comparison: pd.DataFrame, reference, label: str, alpha: float, decimals: int = 1) -> str:
    """The whole sample's and the sites' means against a published reference value.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.analysis.reference_comparison` (first row: all sites).
    reference : Reference
    label : str
        E.g. ``"STAR-P total"``.
    alpha : float

    Examples
    --------
    >>> from helpers.instruments import Reference
    >>> ref = Reference("Total", 37.0, 8.7, 167, "", "BMC HSR 2012")
    >>> c = pd.DataFrame({"site": ["All sites", "A", "B"], "mean": [35.0, 33.0, 37.5], "sd": [9.0, 9.0, 9.0],
    ...     "n": [400, 200, 200], "diff": [-2.0, -4.0, 0.5], "ci_low": [-3.6, -5.7, -1.2], "ci_high": [-0.4, -2.3, 2.2],
    ...     "df": [300.0, 350.0, 350.0], "t": [-2.5, -4.7, 0.6], "p": [0.013, 0.0001, 0.55], "hedges_g": [-0.22, -0.45, 0.06],
    ...     "significant": [True, True, False]})
    >>> print(reference_sentence(c, ref, "STAR-P total", 0.05))
    The whole sample's mean STAR-P total (35.0, SD 9.0, n = 400) was significantly lower than the reference value of 37.0 (SD 8.7, n = 167; BMC HSR 2012): a difference of -2.0 points, 95 % CI [-3.6, -0.4], Welch's t(300.0) = -2.50, p = 0.013, Hedges' g = -0.22. Site by site, 1 of the 2 sites (A) was significantly lower and 1 (B) did not differ significantly.
    """
    if reference is None or comparison.empty:
        return f"The {label} is not compared with a reference value."
    conf = f"{100 * (1 - alpha):g} %"
    whole = comparison[comparison["site"] == "All sites"].iloc[0]
    direction = "lower" if whole["diff"] < 0 else "higher"
    verb = f"was significantly {direction} than" if _sig(whole["p"], alpha) else "did not differ significantly from"
    ci = fmt_ci(whole["ci_low"], whole["ci_high"], decimals)
    head = (f"The whole sample's mean {label} ({fmt_num(whole['mean'], decimals)}, "
            f"SD {fmt_num(whole['sd'], decimals)}, n = {int(whole['n'])}) {verb} the reference value of "
            f"{fmt_num(reference.mean, decimals)} (SD {fmt_num(reference.sd, decimals)}, n = {reference.n}; "
            f"{reference.source}): a difference of {fmt_num(whole['diff'], decimals)} points, {conf} CI {ci}, "
            f"Welch's t({fmt_num(whole['df'], 1)}) = {fmt_num(whole['t'])}, {fmt_p(whole['p'])}, "
            f"Hedges' g = {fmt_num(whole['hedges_g'])}.")
    sites = comparison[comparison["site"] != "All sites"]
    if sites.empty:
        return head
    n = len(sites)
    lower = sites[sites["significant"] & (sites["diff"] < 0)]["site"].tolist()
    higher = sites[sites["significant"] & (sites["diff"] > 0)]["site"].tolist()
    same = sites[~sites["significant"]]["site"].tolist()
    if len(same) == n:
        return f"{head} Site by site, none of the {n} sites differed significantly from the reference."
    bits = []
    for names, words in ((lower, "significantly lower"), (higher, "significantly higher")):
        if names:
            verb = "was" if len(names) == 1 else "were"
            if len(names) == n:
                who = f"all {n} sites"
            else:
                who = str(len(names)) if bits else f"{len(names)} of the {n} sites"
            bits.append(f"{who} ({join_words(names)}) {verb} {words}")
    if same:
        bits.append(f"{len(same)} ({join_words(same)}) did not differ significantly")
    return f"{head} Site by site, {join_words(bits)}."


def decimals_for(instrument) -> int:
    """Decimals for an instrument's scores in prose: 1 for sum scores, 2 for item means."""
    return 1 if instrument.scoring == "sum" else 2


def reference_source_sentence(reference, from_parameter: bool, label: str, parameter: str) -> str:
    """Where the reference value of ``label`` comes from, or that there is none.

    Examples
    --------
    >>> print(reference_source_sentence(None, False, "ES total", "es_reference"))
    No checked published reference value for the ES total is recorded in its instrument file and none was passed in the parameter es_reference, so no comparison with a reference is made.
    >>> from helpers.instruments import Reference
    >>> ref = Reference("Total", 37.0, 8.7, 167, "UK community mental health service users", "BMC HSR 2012;12:145")
    >>> print(reference_source_sentence(ref, False, "STAR-P total", "starp_reference"))
    The reference value comes from the instrument file: UK community mental health service users (n = 167), mean 37.0, SD 8.7; source: BMC HSR 2012;12:145.
    """
    if reference is None:
        return (f"No checked published reference value for the {label} is recorded in its instrument file and none "
                f"was passed in the parameter {parameter}, so no comparison with a reference is made.")
    where = f"was passed in the parameter {parameter}" if from_parameter else "comes from the instrument file"
    who = f"{reference.population} (n = {reference.n})" if reference.population else f"a sample of n = {reference.n}"
    return (f"The reference value {where}: {who}, mean {reference.mean:.1f}, SD {reference.sd:.1f}; "
            f"source: {reference.source}.")


def correlation_sentence(correlations: pd.DataFrame, alpha: float = 0.05) -> str:
    """The correlations between totals with Cohen's labels, strongest first.

    Examples
    --------
    >>> c = pd.DataFrame({"x": ["RSA", "RSA"], "y": ["STAR-P", "ES"], "r": [0.61, 0.20], "n": [409, 406],
    ...                   "p": [1e-40, 3e-5], "strength": ["large", "small"]})
    >>> print(correlation_sentence(c))
    The RSA and STAR-P totals were correlated with a large effect size (r = 0.61, n = 409, p < 0.001); RSA and ES, small (r = 0.20, n = 406, p < 0.001).
    """
    rows = correlations.dropna(subset=["r"]).assign(_abs=lambda d: d["r"].abs()).sort_values("_abs", ascending=False)
    if rows.empty:
        return "No correlation could be computed."
    parts = []
    for k, r in enumerate(rows.itertuples()):
        stat = f"r = {r.r:.2f}, n = {int(r.n)}, {fmt_p(r.p)}"
        sign = "" if r.r >= 0 else "negative, "
        ns = "" if _sig(r.p, alpha) else "; not significant"
        if k == 0:
            parts.append(f"The {r.x} and {r.y} totals were correlated with a {sign}{r.strength} effect size "
                         f"({stat}{ns})")
        else:
            parts.append(f"{r.x} and {r.y}, {sign}{r.strength} ({stat}{ns})")
    return "; ".join(parts) + "."


def site_correlation_sentence(by_site: pd.DataFrame, alpha: float = 0.05) -> str:
    """Per pair of totals: Cohen's labels across sites and the range of r.

    Examples
    --------
    >>> s = pd.DataFrame({"site": list("ABC"), "x": "RSA", "y": "STAR-P", "r": [0.67, 0.51, 0.45],
    ...                   "p": [0.001, 0.01, 0.04], "strength": ["large", "large", "medium"]})
    >>> print(site_correlation_sentence(s))
    RSA–STAR-P: large at 2 and medium at 1 of the 3 sites (r from 0.45 to 0.67; significant at all 3).
    """
    order = ["large", "medium", "small", "negligible", "undefined"]
    parts = []
    for (x, y), f in by_site.groupby(["x", "y"], sort=False):
        n = len(f)
        counts = f["strength"].value_counts()
        labels = [lab for lab in order if counts.get(lab, 0)]
        if len(labels) == 1:
            spread = f"{labels[0]} at {'every one' if n > 2 else share_word(n, n)} of the {n} sites"
        else:
            spread = join_words(f"{lab} at {int(counts[lab])}" for lab in labels) + f" of the {n} sites"
        k = int(sum(_sig(p, alpha) for p in f["p"]))
        sig = f"significant at {share_word(k, n)}" if k else "significant at none"
        sig = sig.replace("at the one", "at the one site")
        parts.append(f"{x}–{y}: {spread} (r from {f['r'].min():.2f} to {f['r'].max():.2f}; {sig})")
    return "; ".join(parts) + "."


def chance_sentence(n_tests: int, n_significant: int, alpha: float) -> str:
    """How many significant results chance alone would give among ``n_tests`` tests.

    Examples
    --------
    >>> chance_sentence(22, 4, 0.05)
    'With 22 tests at α = 0.05, about 1.1 would reach significance by chance alone if there were no true differences; 4 did.'
    >>> chance_sentence(22, 1, 0.05)
    'With 22 tests at α = 0.05, about 1.1 would reach significance by chance alone if there were no true differences; 1 did, which is no more than chance would produce.'
    """
    expected = n_tests * alpha
    text = (f"With {n_tests} tests at α = {alpha:g}, about {expected:.1f} would reach significance by chance alone "
            f"if there were no true differences; {n_significant} did")
    if n_significant <= max(1, round(expected)):
        text += ", which is no more than chance would produce"
    return text + "."


def spread_phrase(row) -> str:
    """The widest spread of standardised site means, from a row of :func:`helpers.analysis.site_spread`.

    Examples
    --------
    >>> r = {"group": "service_users", "measure": "STAR-P", "subscale": "Total", "z_min": -0.28, "site_min": "P",
    ...      "z_max": 0.33, "site_max": "B", "z_range": 0.61}
    >>> spread_phrase(r)
    "service users' STAR-P total, from -0.28 SD at P to +0.33 SD at B (0.61 SD apart)"
    """
    label = outcome_label(row["group"], row["measure"], row["subscale"])
    return (f"{label}, from {row['z_min']:+.2f} SD at {row['site_min']} to {row['z_max']:+.2f} SD at "
            f"{row['site_max']} ({row['z_range']:.2f} SD apart)")


def country_sentence(comparison: pd.DataFrame, alpha: float, with_group: bool = True, decimals: int = 2) -> str:
    """What the site-level comparison of the two countries found.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.analysis.country_comparison`.

    Examples
    --------
    >>> c = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Total", "Choice"],
    ...     "country_1": "England", "country_2": "Wales", "diff": [0.1, 0.2], "p": [0.4, 0.7], "testable": True,
    ...     "t": [0.9, 0.4], "df": [4.0, 4.0], "note": ""})
    >>> print(country_sentence(c, 0.05))
    Counting each site once, none of the 2 outcomes differed significantly between England and Wales (smallest p = 0.400).
    """
    testable = comparison[comparison["testable"]]
    if testable.empty:
        note = comparison["note"].iloc[0] if len(comparison) else "no data"
        return f"The two countries could not be compared: {note}."
    c1, c2 = testable["country_1"].iloc[0], testable["country_2"].iloc[0]
    sig = testable[testable["p"] < alpha]
    n = len(testable)
    if sig.empty:
        return (f"Counting each site once, none of the {n} outcomes differed significantly between {c1} and {c2} "
                f"(smallest p = {fmt_num(testable['p'].min(), 3)}).")
    items = [f"{outcome_label(r.group if with_group else None, r.measure, r.subscale)} ({c2} "
             f"{'higher' if r.diff > 0 else 'lower'} by {fmt_num(abs(r.diff), decimals)}, t({int(r.df)}) = "
             f"{fmt_num(r.t)}, {fmt_p(r.p)})" for r in sig.itertuples()]
    return (f"Counting each site once, {len(sig)} of the {n} outcomes differed significantly between {c1} and {c2}: "
            f"{join_words(items)}.")


def country_caveat(n_sites: pd.Series) -> str:
    """What can and cannot be concluded about countries from this number of sites per country.

    Parameters
    ----------
    n_sites : Series
        Number of sites per country, indexed by country.

    Examples
    --------
    >>> print(country_caveat(pd.Series({"England": 4, "Wales": 2})))
    With 4 sites in England and 2 in Wales, a comparison of the countries rests on 6 site means and 4 degrees of freedom. Only a large difference between the countries could be detected, so a non-significant result is weak evidence that they do not differ; and because each country is represented by a handful of particular sites, even a significant difference could reflect those sites (their populations, teams and organisation) rather than national policy.
    >>> print(country_caveat(pd.Series({"England": 4, "Wales": 1})))
    With only one site in Wales, a difference between the countries is the same thing as the difference between that site and the others: country and site cannot be told apart, and nothing can be concluded about the countries as such.
    """
    n_sites = n_sites.astype(int)
    if len(n_sites) != 2:
        return (f"The data hold {plural(len(n_sites), 'country', 'countries')}; a comparison of countries needs two.")
    lone = [c for c, k in n_sites.items() if k < 2]
    if lone:
        return (f"With only one site in {join_words(lone)}, a difference between the countries is the same thing as "
                "the difference between that site and the others: country and site cannot be told apart, and "
                "nothing can be concluded about the countries as such.")
    total = int(n_sites.sum())
    df = total - 2
    comp = join_words(f"{k} in {c}" if i else f"{k} sites in {c}" for i, (c, k) in enumerate(n_sites.items()))
    power = ("Only a large difference between the countries could be detected" if df < 10 else
             "Only a moderate or large difference between the countries could be detected")
    return (f"With {comp}, a comparison of the countries rests on {total} site means and "
            f"{plural(df, 'degree')} of freedom. {power}, so a non-significant result is weak evidence that they "
            "do not differ; and because each country is represented by a handful of particular sites, even a "
            "significant difference could reflect those sites (their populations, teams and organisation) "
            "rather than national policy.")


def significance_mark(p: float, alpha: float) -> str:
    """``**`` below 0.01 (when that is stricter than ``alpha``), ``*`` below ``alpha``, else empty.

    Examples
    --------
    >>> significance_mark(0.004, 0.05), significance_mark(0.03, 0.05), significance_mark(0.2, 0.05)
    ('**', '*', '')
    """
    if not _sig(p, alpha):
        return ""
    return "**" if 0.01 < alpha and p < 0.01 else "*"


def site_marks(tukey: pd.DataFrame, alpha: float) -> dict[str, str]:
    """Marks for a figure from Tukey comparisons against a reference: ``{site: "*"}``.

    Examples
    --------
    >>> t = pd.DataFrame({"group_a": ["A", "B"], "group_b": ["R", "R"], "p_tukey": [0.004, 0.3]})
    >>> site_marks(t, 0.05)
    {'A': '**'}
    """
    marks = {r.group_a: significance_mark(r.p_tukey, alpha) for r in tukey.itertuples()}
    return {k: v for k, v in marks.items() if v}


def mark_legend(alpha: float, reference: str | None) -> str:
    """The note explaining the marks of a site-means figure.

    Examples
    --------
    >>> mark_legend(0.05, "R")
    '# reference site (R); * Tukey p < 0.05 against it; ** p < 0.01.'
    >>> mark_legend(0.05, None)
    'No reference site: no site is marked.'
    """
    if reference is None:
        return "No reference site: no site is marked."
    text = f"# reference site ({reference}); * Tukey p < {alpha:g} against it"
    return text + ("; ** p < 0.01." if 0.01 < alpha else ".")


def reference_site_sentence(requested: str | None, resolved: str | None, sites: Sequence[str]) -> str:
    """Which site serves as the reference, and why none does if the requested one is absent.

    Examples
    --------
    >>> reference_site_sentence("North", "North", ["East", "North"])
    'North serves as the reference site.'
    >>> print(reference_site_sentence("North", None, ["East", "West"]))
    The requested reference site, North, is not in this data (its sites are East and West), so no site serves as reference; set the parameter reference_site to one of them.
    """
    if resolved is not None:
        return f"{resolved} serves as the reference site."
    if not requested:
        return "No reference site was chosen (parameter reference_site), so no site is marked."
    return (f"The requested reference site, {requested}, is not in this data (its sites are "
            f"{join_words(sorted(sites))}), so no site serves as reference; set the parameter reference_site to "
            "one of them.")


# --------------------------------------------------------------------------- chapter 7: reproduction and audit


def reproduction_sentence(counts: pd.DataFrame, synthetic: bool) -> str:
    """What the reproduction counts say, worded for synthetic data or for someone's own data.

    Parameters
    ----------
    counts : DataFrame
        One row from :func:`helpers.analysis.reproduction_counts` (overall).
    synthetic : bool

    Examples
    --------
    >>> c = pd.DataFrame([{"total": 100, "reproduced": 96, "not reproduced": 2, "published value inconsistent": 2,
    ...                    "share_reproduced": 0.96}])
    >>> print(reproduction_sentence(c, False))
    Of the 100 published numbers, 96 (96.0 %) are reproduced by this dataset, 2 are not reproduced, and 2 are published values that the audit below shows to be impossible or internally inconsistent. Almost all of the article's numbers follow from this dataset. These counts measure how far this dataset is from the article: close agreement is expected only when the data are the study's own, analysed the same way.
    """
    r = counts.iloc[0]
    total, ok = int(r["total"]), int(r["reproduced"])
    share = float(r["share_reproduced"])
    missed, odd = int(r["not reproduced"]), int(r["published value inconsistent"])
    text = (f"Of the {total} published numbers, {ok} ({fmt_pct(share)}) are reproduced by this dataset, "
            f"{missed} {'is' if missed == 1 else 'are'} not reproduced, and {odd} "
            f"{'is a published value' if odd == 1 else 'are published values'} "
            "that the audit below shows to be impossible or internally inconsistent.")
    if share >= 0.95:
        verdict = "Almost all of the article's numbers follow from this dataset."
    elif share >= 0.5:
        verdict = "Most, but far from all, of the article's numbers follow from this dataset."
    else:
        verdict = "Only a minority of the article's numbers follow from this dataset."
    if synthetic:
        meaning = ("The synthetic data were generated to reproduce these aggregates, so this agreement checks the "
                   "generator and the analysis pipeline; it is not evidence that the study's findings replicate.")
    else:
        meaning = ("These counts measure how far this dataset is from the article: close agreement is expected only "
                   "when the data are the study's own, analysed the same way.")
    return f"{text} {verdict} {meaning}"


def audit_explanation(flag, site_sems: pd.Series | None = None) -> str:
    """Explain one flagged published value (a row of :func:`helpers.analysis.audit_flags`) in plain words.

    Parameters
    ----------
    flag : mapping
        One row of the flag table.
    site_sems : Series, optional
        The other printed SEMs of the same scale, to show what a typical value looks like.

    Examples
    --------
    >>> f = {"check": "impossible SEM", "group": "service_users", "measure": "RSA", "subscale": "Choice",
    ...      "site": "A", "printed": 0.97, "implied_sd": 7.76, "max_sd": 2.02, "n": 64, "suggested": 0.097}
    >>> print(audit_explanation(f))
    An SEM of 0.97 from about 64 respondents means an SD of 7.76, but no set of scores on this scale can have an SD above 2.02. The value cannot be right as printed; 0.097, the same digits with the decimal point moved one place, would fit a possible SD.
    """
    check = flag["check"]
    label = outcome_label(flag["group"], flag["measure"], flag["subscale"])
    if check == "impossible SEM":
        text = (f"An SEM of {flag['printed']:g} from about {int(flag['n'])} respondents means an SD of "
                f"{fmt_num(flag['implied_sd'])}, but no set of scores on this scale can have an SD above "
                f"{fmt_num(flag['max_sd'])}.")
        if site_sems is not None and len(site_sems):
            text += (f" The other sites' SEMs on this scale lie between {site_sems.min():.2f} and "
                     f"{site_sems.max():.2f}.")
        return (f"{text} The value cannot be right as printed; {flag['suggested']:g}, the same digits with the decimal "
                "point moved one place, would fit a possible SD.")
    if check.startswith("F "):
        p_ok = flag.get("p_status", "consistent") == "consistent"
        tail = (" Its printed p agrees with the printed F and degrees of freedom, so F and p were probably computed "
                "together from a slightly different set of data (or a different missing-data rule) than the means; "
                "the article does not let one tell which is right." if p_ok else "")
        return (f"The F printed for {label} ({flag['printed']:g}) lies outside the range "
                f"{fmt_num(flag['expected_low'])} to {fmt_num(flag['expected_high'])} that the same row's printed "
                "site means and SEMs can give, even letting every value vary within its rounding. The check uses "
                "per-site Ns assumed proportional to each site's questionnaire returns, because the article prints "
                f"only the total N; a very different split could move that range.{tail}")
    decision = " The two lead to different decisions at α = 0.05." if "decision" in check else ""
    return (f"The p printed with {flag.get('statistic', 'the statistic')} for {label} ({flag['printed']:g}) is not "
            f"what that statistic gives: p between {flag['expected_low']:.4f} and {flag['expected_high']:.4f}."
            f"{decision}")


def statcheck_sentence(checks: pd.DataFrame) -> str:
    """How many printed p values agree with their printed test statistics.

    Examples
    --------
    >>> c = pd.DataFrame({"source": ["anova", "anova", "correlations"], "status": "consistent"})
    >>> statcheck_sentence(c)
    'All 3 printed p values (2 from F tests and 1 from correlations) agree with their printed test statistics and degrees of freedom, allowing for rounding.'
    """
    n = len(checks)
    by = checks["source"].value_counts()
    parts = join_words(f"{int(by.get(src, 0))} from {name}" for src, name in (("anova", "F tests"),
                                                                            ("correlations", "correlations"))
                       if by.get(src, 0))
    bad = checks[checks["status"] != "consistent"]
    if bad.empty:
        return (f"All {n} printed p values ({parts}) agree with their printed test statistics and degrees of "
                "freedom, allowing for rounding.")
    items = join_words(f"{r.outcome} ({r.status})" for r in bad.itertuples())
    return f"{len(bad)} of the {n} printed p values ({parts}) do not agree with their test statistics: {items}."


def f_audit_sentence(f_audit: pd.DataFrame) -> str:
    """How many printed F values can follow from their own rows' means and SEMs.

    Examples
    --------
    >>> f = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Total", "Choice"],
    ...                   "F_printed": [0.86, 1.72], "F_min": [0.7, 1.82], "F_max": [1.0, 2.39],
    ...                   "consistent": [True, False]})
    >>> print(f_audit_sentence(f))
    1 of the 2 printed F values lies within the range its own row's site means and SEMs allow; the exception is service users' RSA Choice (printed 1.72, possible 1.82 to 2.39).
    """
    n = len(f_audit)
    bad = f_audit[~f_audit["consistent"]]
    if bad.empty:
        return f"All {n} printed F values lie within the range their own rows' site means and SEMs allow."
    items = join_words(f"{outcome_label(r.group, r.measure, r.subscale)} (printed {r.F_printed:g}, possible "
                       f"{fmt_num(r.F_min)} to {fmt_num(r.F_max)})" for r in bad.itertuples())
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
    items = join_words(f"{outcome_label(r.group, r.measure, r.subscale)} at {r.site} ({r.sem_printed:.2f})"
                       for r in bad.itertuples())
    return f"{len(bad)} of the {n} printed SEMs {'is' if len(bad) == 1 else 'are'} impossible: {items}."


def audit_explanations(flags: pd.DataFrame, site_means: pd.DataFrame | None = None) -> list[str]:
    """:func:`audit_explanation` for every flagged value, with the other sites' SEMs when known.

    Parameters
    ----------
    flags : DataFrame
        From :func:`helpers.analysis.audit_flags`.
    site_means : DataFrame, optional
        The article's site means (``Published.site_means``), for the typical SEM of a scale.
    """
    out = []
    for _, flag in flags.iterrows():
        others = None
        if site_means is not None and flag["check"] == "impossible SEM":
            sel = site_means[(site_means["group"] == flag["group"]) & (site_means["measure"] == flag["measure"])
                             & (site_means["subscale"] == flag["subscale"]) & (site_means["site"] != flag["site"])]
            others = sel["sem_as_printed"]
        out.append(audit_explanation(flag, others))
    return out


__all__ += ["statcheck_sentence", "f_audit_sentence", "sem_audit_sentence", "audit_explanations"]


def flag_consequence_sentence(flags: pd.DataFrame, alpha: float) -> str:
    """What the flagged values mean for the article's conclusions (from :func:`helpers.analysis.flag_consequences`).

    Examples
    --------
    >>> f = pd.DataFrame({"check": ["impossible SEM", "F not implied by the row's means"],
    ...     "group": "service_users", "measure": "RSA", "subscale": ["Life Goals", "Choice"], "site": ["A", "All sites"],
    ...     "row_f_consistent": [True, None], "p_low": [None, 0.037], "p_high": [None, 0.108],
    ...     "decision_open": [False, True], "printed": [0.97, 1.72]})
    >>> print(flag_consequence_sentence(f, 0.05))
    With the impossible SEM replaced by its decimal-slip value, the printed F of its row is consistent again (service users' RSA Life Goals), which supports a typing error in the table rather than in the analysis. For service users' RSA Choice, the F values its row allows give p from 0.037 to 0.108, on both sides of α = 0.05: whether the sites differed on this scale cannot be settled from the printed numbers.
    """
    parts = []
    sem = flags[flags["check"] == "impossible SEM"]
    if len(sem):
        ok = sem[sem["row_f_consistent"] == True]  # noqa: E712 - object column with NaN
        bad = sem[sem["row_f_consistent"] == False]  # noqa: E712
        if len(ok):
            names = join_words(dict.fromkeys(outcome_label(r.group, r.measure, r.subscale) for r in ok.itertuples()))
            one = len(ok) == 1
            parts.append(f"With the impossible {'SEM' if one else 'SEMs'} replaced by {'its' if one else 'their'} "
                         f"decimal-slip value, the printed F of {'its' if one else 'each'} row is consistent again "
                         f"({names}), which supports a typing error in the table rather than in the analysis.")
        if len(bad):
            names = join_words(dict.fromkeys(outcome_label(r.group, r.measure, r.subscale) for r in bad.itertuples()))
            parts.append(f"Even with the impossible SEMs corrected, the F of {names} does not fit its row.")
    for r in flags[flags["check"].str.startswith("F ")].itertuples():
        label = outcome_label(r.group, r.measure, r.subscale)
        span = f"p from {r.p_low:.3f} to {r.p_high:.3f}"
        if r.decision_open:
            parts.append(f"For {label}, the F values its row allows give {span}, on both sides of α = {alpha:g}: "
                         "whether the sites differed on this scale cannot be settled from the printed numbers.")
        else:
            side = "below" if r.p_high < alpha else "above"
            parts.append(f"For {label}, the F values its row allows give {span}, all {side} α = {alpha:g}, so the "
                         "article's decision on this scale stands whichever value is right.")
    for r in flags[flags["check"].str.startswith("p ")].itertuples():
        parts.append(f"The printed p for {outcome_label(r.group, r.measure, r.subscale)} ({r.printed:g}) "
                     f"{'changes' if 'decision' in r.check else 'does not change'} the decision at α = {alpha:g} "
                     "compared with the p its statistic gives.")
    return " ".join(parts) if parts else "The audit flags no published value."


__all__ += ["flag_consequence_sentence"]
