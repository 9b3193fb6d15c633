"""Labels and small phrases: names of groups and outcomes, counts and lists in words.

These pieces carry no finding; the chapters, the tables and the figures build on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from helpers.io import GROUPS
from helpers.stats import is_significant

__all__ = [
    "ALL_SITES",
    "join_words",
    "plural",
    "capital",
    "share_word",
    "group_label",
    "outcome_label",
    "outcome_labels",
    "published_label",
    "data_label",
    "covariate_phrase",
    "n_range_phrase",
    "threshold_label",
    "thresholds_text",
    "significance_word",
]

#: The label of the row that holds the whole sample beside the sites.
ALL_SITES = "All sites"


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


def capital(text: str) -> str:
    """``text`` with its first letter in upper case, the rest unchanged.

    Examples
    --------
    >>> capital("service users' RSA total")
    "Service users' RSA total"
    """
    return text[:1].upper() + text[1:]


def share_word(k: int, n: int) -> str:
    """``all n``, ``both``, ``none of the n``, or ``k of the n`` for a count out of a total.

    Examples
    --------
    >>> share_word(6, 6), share_word(0, 6), share_word(2, 6), share_word(2, 2)
    ('all 6', 'none of the 6', '2 of the 6', 'both')
    """
    k, n = int(k), int(n)
    if n > 0 and k == n:
        return f"all {n}" if n > 2 else ("both" if n == 2 else "the one")
    if k == 0:
        return f"none of the {n}"
    return f"{k} of the {n}"


def group_label(group: str) -> str:
    """``"service users"`` for ``"service_users"``.

    Examples
    --------
    >>> group_label("care_coordinators"), group_label("all_staff")
    ('care coordinators', 'all staff')
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


def outcome_labels(frame: pd.DataFrame, with_group: bool = True) -> list[str]:
    """:func:`outcome_label` of every row (``group, measure, subscale``), capitalised.

    Examples
    --------
    >>> outcome_labels(pd.DataFrame({"group": ["service_users"], "measure": ["ES"], "subscale": ["Total"]}))
    ["Service users' ES total"]
    """
    return [
        capital(outcome_label(g if with_group else None, m, s))
        for g, m, s in zip(frame["group"], frame["measure"], frame["subscale"])
    ]


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


def thresholds_text(values: Sequence[float]) -> str:
    """Several shares as percentages in words.

    Examples
    --------
    >>> thresholds_text([0.0, 0.25, 0.5])
    '0 %, 25 % and 50 %'
    """
    return join_words(f"{100 * float(t):g} %" for t in values)


def significance_word(
    p: float, alpha: float, yes: str = "differed significantly", no: str = "did not differ significantly"
) -> str:
    """Choose the wording of a test result from its p value.

    Examples
    --------
    >>> significance_word(0.01, 0.05), significance_word(0.2, 0.05), significance_word(float("nan"), 0.05)
    ('differed significantly', 'did not differ significantly', 'did not differ significantly')
    """
    return yes if is_significant(p, alpha) else no
