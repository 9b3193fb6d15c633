"""Sentences about site comparisons: test statistics, significant outcomes, adjustment, post hoc
tests, agreement with the article, marks of a figure and the two groups' ratings of the sites.

Each function takes a result table and returns a sentence whose wording is chosen from the
numbers; significance is decided by :func:`helpers.stats.is_significant` at ``alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.stats import is_significant

from .format import fmt_f, fmt_num, fmt_p, is_missing
from .labels import join_words, outcome_label, plural, share_word

__all__ = [
    "stat_phrase",
    "significant_outcomes_sentence",
    "adjustment_sentence",
    "extremes_phrase",
    "tukey_sentence",
    "published_agreement_sentence",
    "decision_agreement_sentence",
    "rank_agreement_phrase",
    "rater_difference_sentence",
    "significance_mark",
    "site_marks",
    "mark_legend",
    "reference_site_sentence",
]


def stat_phrase(row, adjusted: bool = False) -> str:
    """``F(5, 429) = 3.46, p = 0.004, η² = 0.039`` from a row of :func:`helpers.survey.outcome_tests`.

    Examples
    --------
    >>> r = pd.Series({"df_between": 5, "df_within": 429, "F": 3.457, "p": 0.0045, "eta_squared": 0.0387})
    >>> stat_phrase(r)
    'F(5, 429) = 3.46, p = 0.004, η² = 0.039'
    """
    if adjusted:
        return (
            f"{fmt_f(row['df_adj'], row['df_resid_adj'], row['F_adj'], row['p_adj'])}, "
            f"partial η² = {fmt_num(row['partial_eta_squared'], 3)}"
        )
    return f"{fmt_f(row['df_between'], row['df_within'], row['F'], row['p'])}, η² = {fmt_num(row['eta_squared'], 3)}"


def significant_outcomes_sentence(
    tests: pd.DataFrame, alpha: float, adjusted: bool = False, with_group: bool = False
) -> str:
    """Which outcomes' site effects are significant at ``alpha``, with their statistics.

    Parameters
    ----------
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests` (one or more outcomes).
    alpha : float
    adjusted : bool
        Use the ANCOVA columns instead of the one-way ANOVA.
    with_group : bool
        Name the participant group in each outcome label.

    Examples
    --------
    >>> t = pd.DataFrame({"group": "service_users", "measure": "ES", "subscale": ["Total", "Righteous Anger"],
    ...     "df_between": 5, "df_within": [429, 428], "F": [1.41, 0.57], "p": [0.221, 0.72],
    ...     "eta_squared": [0.016, 0.007]})
    >>> significant_outcomes_sentence(t, 0.05)
    'None of the 2 scales differed significantly between sites (smallest p = 0.221).'
    """
    p_col = "p_adj" if adjusted else "p"
    valid = tests[tests[p_col].notna()]
    sig = valid[[is_significant(p, alpha) for p in valid[p_col]]]
    n = len(valid)
    if n == 0:
        return "No site comparison could be computed."
    if sig.empty:
        if n == 1:
            return f"The scale did not differ significantly between sites ({stat_phrase(valid.iloc[0], adjusted)})."
        return (
            f"None of the {n} scales differed significantly between sites "
            f"(smallest p = {fmt_num(valid[p_col].min(), 3)})."
        )
    items = [
        f"{outcome_label(r['group'] if with_group else None, r['measure'], r['subscale'])} ({stat_phrase(r, adjusted)})"
        for _, r in sig.iterrows()
    ]
    if len(sig) == n:
        lead = (
            "Every scale differed significantly between sites"
            if n > 1
            else "The scale differed significantly between sites"
        )
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
        parts.append(
            f"{join_words(outcome_label(None, r.measure, r.subscale) for r in lost.itertuples())} "
            f"{'was' if len(lost) == 1 else 'were'} no longer significant after adjustment"
        )
    if len(gained):
        parts.append(
            f"{join_words(outcome_label(None, r.measure, r.subscale) for r in gained.itertuples())} "
            f"became significant only after adjustment"
        )
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
    return (
        f"highest at {hi['site']} ({fmt_num(hi['mean'], decimals)}) and lowest at {lo['site']} "
        f"({fmt_num(lo['mean'], decimals)})"
    )


def tukey_sentence(
    tukey: pd.DataFrame, tests: pd.DataFrame, alpha: float, decimals: int = 2, reference: str | None = None
) -> str:
    """What the Tukey post hoc tests found, for the outcomes that had them.

    Parameters
    ----------
    tukey : DataFrame
        From :func:`helpers.survey.tukey_where_significant` (possibly empty).
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests`, for the same outcomes.
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
            return (
                f"The site effect on the {labels} was not significant in either analysis, so no site is tested "
                f"against {reference}."
            )
        return "No scale differed significantly between sites in either analysis, so no post hoc tests were run."
    parts = []
    for (measure, subscale), f in tukey.groupby(["measure", "subscale"], sort=False):
        sig = f[[is_significant(p, alpha) for p in f["p_tukey"]]]
        label = outcome_label(None, measure, subscale)
        if reference is not None:
            if sig.empty:
                parts.append(
                    f"against {reference}, none of the {plural(len(f), 'other site')} differed significantly "
                    f"in the {label} (smallest p = {fmt_num(f['p_tukey'].min(), 3)})"
                )
                continue
            sites = [
                f"{r.group_a} {'higher' if r.diff > 0 else 'lower'} by {fmt_num(abs(r.diff), decimals)} "
                f"({fmt_p(r.p_tukey)})"
                for r in sig.itertuples()
            ]
            parts.append(
                f"against {reference}, {len(sig)} of the {plural(len(f), 'other site')} differed in the "
                f"{label}: {join_words(sites)}"
            )
            continue
        if sig.empty:
            parts.append(
                f"for {label}, no pair of sites differed significantly after Tukey's adjustment "
                f"(smallest p = {fmt_num(f['p_tukey'].min(), 3)})"
            )
            continue
        pairs = [
            f"{r.group_a} {'higher' if r.diff > 0 else 'lower'} than {r.group_b} by "
            f"{fmt_num(abs(r.diff), decimals)} ({fmt_p(r.p_tukey)})"
            for r in sig.itertuples()
        ]
        parts.append(f"for {label}, {plural(len(sig), 'pair')} of {len(f)} differed: {join_words(pairs)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def published_agreement_sentence(frame: pd.DataFrame, ours: str, published: str, tolerance: float, what: str) -> str:
    """How many of our values lie within ``tolerance`` of the article's.

    Examples
    --------
    >>> f = pd.DataFrame({"mean": [3.481, 3.60, 2.0], "published_mean": [3.48, 3.55, None]})
    >>> text = published_agreement_sentence(f, "mean", "published_mean", 0.005, "site means")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    1 of the 2 site means that the article reports is within 0.005 of the published value; the largest difference is
    0.05.
    """
    both = frame.dropna(subset=[ours, published])
    if both.empty:
        return f"None of these {what} can be compared with the article (it reports no matching value)."
    diff = (both[ours] - both[published]).abs()
    k, n = int((diff <= tolerance + 1e-9).sum()), len(both)
    verb = "is" if k == 1 or n == 1 else "are"
    lead = (
        f"{share_word(k, n).capitalize()} {what} that the article reports {verb} within {tolerance:g} of the "
        "published value"
    )
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
    names = join_words(
        outcome_label(r.group if with_group else None, r.measure, r.subscale) for r in both[~same].itertuples()
    )
    return (
        f"The decision at α = {alpha:g} agrees with the article for {share_word(k, n)} scales; it differs for {names}."
    )


def rank_agreement_phrase(rho: float, p: float, n_sites: int, alpha: float) -> str:
    """How far two groups rank the sites alike, with the caveat of few sites.

    Examples
    --------
    >>> print(rank_agreement_phrase(0.6, 0.24, 6, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    ranked the sites in a broadly similar order (Spearman's ρ = 0.60, 6 sites, p = 0.240); with only 6 sites an
    agreement of this size could easily arise by chance
    >>> rank_agreement_phrase(float("nan"), float("nan"), 2, 0.05)
    'could not be compared on their ranking of the sites (fewer than three sites, or no variation)'
    """
    if is_missing(rho):
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
    if is_significant(p, alpha):
        caveat = f"unlikely to be chance alone, though {n_sites} points give only a rough estimate of the agreement"
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
        A row of :func:`helpers.survey.rank_agreement` (``n_sites, n_second_higher, mean_diff``).
    first, second : str
        Group labels, e.g. ``"service users"``, ``"care coordinators"``.
    measure_label : str

    Examples
    --------
    >>> r = {"n_sites": 6, "n_second_higher": 5, "mean_diff": 0.18}
    >>> text = rater_difference_sentence(r, "service users", "care coordinators", "RSA total")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    Care coordinators' mean RSA total was higher than service users' at 5 of the 6 sites and lower at the rest
    (average difference across sites: +0.18 points).
    """
    n, k, d = int(row["n_sites"]), int(row["n_second_higher"]), float(row["mean_diff"])
    everywhere = "at every site" if n > 2 else f"at {share_word(n, n)} sites"
    if k == n:
        where = f"higher than {first}' {everywhere}"
    elif k == 0:
        where = f"lower than {first}' {everywhere}"
    else:
        where = f"higher than {first}' at {share_word(k, n)} sites and lower at the rest"
    return (
        f"{second.capitalize()}' mean {measure_label} was {where} (average difference across sites: {d:+.2f} points)."
    )


def significance_mark(p: float, alpha: float) -> str:
    """``**`` below 0.01 (when that is stricter than ``alpha``), ``*`` below ``alpha``, else empty.

    Examples
    --------
    >>> significance_mark(0.004, 0.05), significance_mark(0.03, 0.05), significance_mark(0.2, 0.05)
    ('**', '*', '')
    """
    if not is_significant(p, alpha):
        return ""
    return "**" if alpha > 0.01 and p < 0.01 else "*"


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
    return text + ("; ** p < 0.01." if alpha > 0.01 else ".")


def reference_site_sentence(requested: str | None, resolved: str | None, sites: Sequence[str]) -> str:
    """Which site serves as the reference, and why none does if the requested one is absent.

    Examples
    --------
    >>> reference_site_sentence("North", "North", ["East", "North"])
    'North serves as the reference site.'
    >>> print(reference_site_sentence("North", None, ["East", "West"]))  # doctest: +NORMALIZE_WHITESPACE
    The requested reference site, North, is not in this data (its sites are East and West), so no site serves as
    reference; set the parameter reference_site to one of them.
    """
    if resolved is not None:
        return f"{resolved} serves as the reference site."
    if not requested:
        return "No reference site was chosen (parameter reference_site), so no site is marked."
    return (
        f"The requested reference site, {requested}, is not in this data (its sites are "
        f"{join_words(sorted(sites))}), so no site serves as reference; set the parameter reference_site to "
        "one of them."
    )
