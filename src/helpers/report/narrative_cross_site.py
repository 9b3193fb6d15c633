"""Sentences across sites and outcomes: a reference value, correlations, chance, spread and countries.

Each function takes a result table and returns a sentence whose wording is chosen from the
numbers; significance is decided by :func:`helpers.stats.is_significant` at ``alpha``.
"""

from __future__ import annotations

import pandas as pd

from helpers.stats import is_significant

from .format import ci_label, fmt_ci, fmt_num, fmt_p
from .labels import ALL_SITES, join_words, outcome_label, plural, share_word

__all__ = [
    "reference_sentence",
    "reference_source_sentence",
    "correlation_sentence",
    "site_correlation_sentence",
    "chance_sentence",
    "spread_phrase",
    "country_sentence",
    "country_caveat",
]


def reference_sentence(
    comparison: pd.DataFrame, reference, label: str, alpha: float, decimals: int = 1, *, confidence: float
) -> str:
    """The whole sample's and the sites' means against a published reference value.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.survey.reference_comparison` (first row: all sites).
    reference : Reference
    label : str
        E.g. ``"STAR-P total"``.
    alpha : float
        The significance level.
    decimals : int
    confidence : float
        The level of the intervals in ``comparison``.

    Examples
    --------
    >>> from helpers.io import Reference
    >>> ref = Reference("Total", 37.0, 8.7, 167, "", "BMC HSR 2012")
    >>> c = pd.DataFrame({"site": ["All sites", "A", "B"], "mean": [35.0, 33.0, 37.5], "sd": [9.0, 9.0, 9.0],
    ...     "n": [400, 200, 200], "diff": [-2.0, -4.0, 0.5], "ci_low": [-3.6, -5.7, -1.2], "ci_high": [-0.4, -2.3, 2.2],
    ...     "df": [300.0, 350.0, 350.0], "t": [-2.5, -4.7, 0.6], "p": [0.013, 0.0001, 0.55],
    ...     "hedges_g": [-0.22, -0.45, 0.06],
    ...     "significant": [True, True, False]})
    >>> print(reference_sentence(c, ref, "STAR-P total", 0.05, confidence=0.95))  # doctest: +NORMALIZE_WHITESPACE
    The whole sample's mean STAR-P total (35.0, SD 9.0, n = 400) was significantly lower than the reference value of
    37.0 (SD 8.7, n = 167; BMC HSR 2012): a difference of -2.0 points, 95 % CI [-3.6, -0.4], Welch's t(300.0) =
    -2.50, p = 0.013, Hedges' g = -0.22. Site by site, 1 of the 2 sites (A) was significantly lower and 1 (B) did
    not differ significantly.
    """
    if reference is None or comparison.empty:
        return f"The {label} is not compared with a reference value."
    whole = comparison[comparison["site"] == ALL_SITES].iloc[0]
    direction = "lower" if whole["diff"] < 0 else "higher"
    verb = (
        f"was significantly {direction} than"
        if is_significant(whole["p"], alpha)
        else "did not differ significantly from"
    )
    ci = fmt_ci(whole["ci_low"], whole["ci_high"], decimals)
    head = (
        f"The whole sample's mean {label} ({fmt_num(whole['mean'], decimals)}, "
        f"SD {fmt_num(whole['sd'], decimals)}, n = {int(whole['n'])}) {verb} the reference value of "
        f"{fmt_num(reference.mean, decimals)} (SD {fmt_num(reference.sd, decimals)}, n = {reference.n}; "
        f"{reference.source}): a difference of {fmt_num(whole['diff'], decimals)} points, {ci_label(confidence)} {ci}, "
        f"Welch's t({fmt_num(whole['df'], 1)}) = {fmt_num(whole['t'])}, {fmt_p(whole['p'])}, "
        f"Hedges' g = {fmt_num(whole['hedges_g'])}."
    )
    sites = comparison[comparison["site"] != ALL_SITES]
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
            elif bits:
                who = str(len(names))
            else:
                who = f"{len(names)} of the {n} sites"
            bits.append(f"{who} ({join_words(names)}) {verb} {words}")
    if same:
        bits.append(f"{len(same)} ({join_words(same)}) did not differ significantly")
    return f"{head} Site by site, {join_words(bits)}."


def reference_source_sentence(reference, from_parameter: bool, label: str, parameter: str) -> str:
    """Where the reference value of ``label`` comes from, or that there is none.

    Examples
    --------
    >>> print(reference_source_sentence(None, False, "ES total", "es_reference"))  # doctest: +NORMALIZE_WHITESPACE
    No checked published reference value for the ES total is recorded in its instrument file and none was passed in
    the parameter es_reference, so no comparison with a reference is made.
    >>> from helpers.io import Reference
    >>> ref = Reference("Total", 37.0, 8.7, 167, "UK community mental health service users", "BMC HSR 2012;12:145")
    >>> text = reference_source_sentence(ref, False, "STAR-P total", "starp_reference")
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    The reference value comes from the instrument file: UK community mental health service users (n = 167), mean
    37.0, SD 8.7; source: BMC HSR 2012;12:145.
    """
    if reference is None:
        return (
            f"No checked published reference value for the {label} is recorded in its instrument file and none "
            f"was passed in the parameter {parameter}, so no comparison with a reference is made."
        )
    where = f"was passed in the parameter {parameter}" if from_parameter else "comes from the instrument file"
    who = f"{reference.population} (n = {reference.n})" if reference.population else f"a sample of n = {reference.n}"
    return (
        f"The reference value {where}: {who}, mean {reference.mean:.1f}, SD {reference.sd:.1f}; "
        f"source: {reference.source}."
    )


def correlation_sentence(correlations: pd.DataFrame, alpha: float) -> str:
    """The correlations between totals with Cohen's labels, strongest first.

    Examples
    --------
    >>> c = pd.DataFrame({"x": ["RSA", "RSA"], "y": ["STAR-P", "ES"], "r": [0.61, 0.20], "n": [409, 406],
    ...                   "p": [1e-40, 3e-5], "strength": ["large", "small"]})
    >>> print(correlation_sentence(c, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    The RSA and STAR-P totals were correlated with a large effect size (r = 0.61, n = 409, p < 0.001); RSA and ES,
    small (r = 0.20, n = 406, p < 0.001).
    """
    rows = correlations.dropna(subset=["r"]).assign(_abs=lambda d: d["r"].abs()).sort_values("_abs", ascending=False)
    if rows.empty:
        return "No correlation could be computed."
    parts = []
    for k, r in enumerate(rows.itertuples()):
        stat = f"r = {r.r:.2f}, n = {int(r.n)}, {fmt_p(r.p)}"
        sign = "" if r.r >= 0 else "negative, "
        ns = "" if is_significant(r.p, alpha) else "; not significant"
        if k == 0:
            parts.append(
                f"The {r.x} and {r.y} totals were correlated with a {sign}{r.strength} effect size ({stat}{ns})"
            )
        else:
            parts.append(f"{r.x} and {r.y}, {sign}{r.strength} ({stat}{ns})")
    return "; ".join(parts) + "."


def site_correlation_sentence(by_site: pd.DataFrame, alpha: float) -> str:
    """Per pair of totals: Cohen's labels across sites and the range of r.

    Examples
    --------
    >>> s = pd.DataFrame({"site": list("ABC"), "x": "RSA", "y": "STAR-P", "r": [0.67, 0.51, 0.45],
    ...                   "p": [0.001, 0.01, 0.04], "strength": ["large", "large", "medium"]})
    >>> print(site_correlation_sentence(s, 0.05))
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
        k = int(sum(is_significant(p, alpha) for p in f["p"]))
        sig = f"significant at {share_word(k, n)}" if k else "significant at none"
        sig = sig.replace("at the one", "at the one site")
        parts.append(f"{x}–{y}: {spread} (r from {f['r'].min():.2f} to {f['r'].max():.2f}; {sig})")
    return "; ".join(parts) + "."


def chance_sentence(n_tests: int, n_significant: int, alpha: float) -> str:
    """How many significant results chance alone would give among ``n_tests`` tests.

    Examples
    --------
    >>> print(chance_sentence(22, 4, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    With 22 tests at α = 0.05, about 1.1 would reach significance by chance alone if there were no true differences;
    4 did.
    >>> print(chance_sentence(22, 1, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    With 22 tests at α = 0.05, about 1.1 would reach significance by chance alone if there were no true differences;
    1 did, which is no more than chance would produce.
    """
    expected = n_tests * alpha
    text = (
        f"With {n_tests} tests at α = {alpha:g}, about {expected:.1f} would reach significance by chance alone "
        f"if there were no true differences; {n_significant} did"
    )
    if n_significant <= max(1, round(expected)):
        text += ", which is no more than chance would produce"
    return text + "."


def spread_phrase(row) -> str:
    """The widest spread of standardised site means, from a row of :func:`helpers.survey.site_spread`.

    Examples
    --------
    >>> r = {"group": "service_users", "measure": "STAR-P", "subscale": "Total", "z_min": -0.28, "site_min": "P",
    ...      "z_max": 0.33, "site_max": "B", "z_range": 0.61}
    >>> spread_phrase(r)
    "service users' STAR-P total, from -0.28 SD at P to +0.33 SD at B (0.61 SD apart)"
    """
    label = outcome_label(row["group"], row["measure"], row["subscale"])
    return (
        f"{label}, from {row['z_min']:+.2f} SD at {row['site_min']} to {row['z_max']:+.2f} SD at "
        f"{row['site_max']} ({row['z_range']:.2f} SD apart)"
    )


def country_sentence(comparison: pd.DataFrame, alpha: float, with_group: bool = True, decimals: int = 2) -> str:
    """What the site-level comparison of the two countries found.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`helpers.survey.country_comparison`.

    Examples
    --------
    >>> c = pd.DataFrame({"group": "service_users", "measure": "RSA", "subscale": ["Total", "Choice"],
    ...     "country_1": "England", "country_2": "Wales", "diff": [0.1, 0.2], "p": [0.4, 0.7], "testable": True,
    ...     "t": [0.9, 0.4], "df": [4.0, 4.0], "note": ""})
    >>> print(country_sentence(c, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    Counting each site once, none of the 2 outcomes differed significantly between England and Wales (smallest p =
    0.400).
    """
    testable = comparison[comparison["testable"]]
    if testable.empty:
        note = comparison["note"].iloc[0] if len(comparison) else "no data"
        return f"The two countries could not be compared: {note}."
    c1, c2 = testable["country_1"].iloc[0], testable["country_2"].iloc[0]
    sig = testable[[is_significant(p, alpha) for p in testable["p"]]]
    n = len(testable)
    if sig.empty:
        return (
            f"Counting each site once, none of the {n} outcomes differed significantly between {c1} and {c2} "
            f"(smallest p = {fmt_num(testable['p'].min(), 3)})."
        )
    items = [
        f"{outcome_label(r.group if with_group else None, r.measure, r.subscale)} ({c2} "
        f"{'higher' if r.diff > 0 else 'lower'} by {fmt_num(abs(r.diff), decimals)}, t({int(r.df)}) = "
        f"{fmt_num(r.t)}, {fmt_p(r.p)})"
        for r in sig.itertuples()
    ]
    return (
        f"Counting each site once, {len(sig)} of the {n} outcomes differed significantly between {c1} and {c2}: "
        f"{join_words(items)}."
    )


def country_caveat(n_sites: pd.Series) -> str:
    """What can and cannot be concluded about countries from this number of sites per country.

    Parameters
    ----------
    n_sites : Series
        Number of sites per country, indexed by country.

    Examples
    --------
    >>> print(country_caveat(pd.Series({"England": 4, "Wales": 2})))  # doctest: +NORMALIZE_WHITESPACE
    With 4 sites in England and 2 in Wales, a comparison of the countries rests on 6 site means and 4 degrees of
    freedom. Only a large difference between the countries could be detected, so a non-significant result is weak
    evidence that they do not differ; and because each country is represented by a handful of particular sites, even
    a significant difference could reflect those sites (their populations, teams and organisation) rather than
    national policy.
    >>> print(country_caveat(pd.Series({"England": 4, "Wales": 1})))  # doctest: +NORMALIZE_WHITESPACE
    With only one site in Wales, a difference between the countries is the same thing as the difference between that
    site and the others: country and site cannot be told apart, and nothing can be concluded about the countries as
    such.
    """
    n_sites = n_sites.astype(int)
    if len(n_sites) != 2:
        return f"The data hold {plural(len(n_sites), 'country', 'countries')}; a comparison of countries needs two."
    lone = [c for c, k in n_sites.items() if k < 2]
    if lone:
        return (
            f"With only one site in {join_words(lone)}, a difference between the countries is the same thing as "
            "the difference between that site and the others: country and site cannot be told apart, and "
            "nothing can be concluded about the countries as such."
        )
    total = int(n_sites.sum())
    df = total - 2
    comp = join_words(f"{k} in {c}" if i else f"{k} sites in {c}" for i, (c, k) in enumerate(n_sites.items()))
    power = (
        "Only a large difference between the countries could be detected"
        if df < 10
        else "Only a moderate or large difference between the countries could be detected"
    )
    return (
        f"With {comp}, a comparison of the countries rests on {total} site means and "
        f"{plural(df, 'degree')} of freedom. {power}, so a non-significant result is weak evidence that they "
        "do not differ; and because each country is represented by a handful of particular sites, even a "
        "significant difference could reflect those sites (their populations, teams and organisation) "
        "rather than national policy."
    )
