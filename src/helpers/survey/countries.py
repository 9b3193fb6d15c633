"""Sites and countries: country summaries, the comparison of two countries and standardised site means.

Sites are nested in countries, so a comparison of countries takes each site's mean as
one observation (the participants of a site share that site's service and are not
independent evidence about their country).
"""

from __future__ import annotations

import pandas as pd

from helpers.io import OUTCOME, Dataset
from helpers.stats import two_group_comparison

from .grouping import outcome_frames

__all__ = [
    "site_countries",
    "countries_with_data",
    "country_summaries",
    "country_comparison",
    "standardised_site_means",
    "site_spread",
]


def site_countries(dataset: Dataset) -> pd.Series:
    """Country of each site, from the sites table, indexed by site."""
    return dataset.sites.set_index("site")["country"].astype(str)


def countries_with_data(scores: pd.DataFrame, countries: pd.Series) -> pd.Series:
    """Country of each site that has at least one score (indexed by site, sorted).

    Examples
    --------
    >>> s = pd.DataFrame({"site": ["b", "a", "c"], "score": [1.0, 2.0, None]})
    >>> countries_with_data(s, pd.Series({"a": "E", "b": "W", "c": "W"})).to_dict()
    {'a': 'E', 'b': 'W'}
    """
    present = set(scores.dropna(subset=["score"])["site"])
    return countries[countries.index.isin(present)].sort_index()


def with_country(scores: pd.DataFrame, countries: pd.Series) -> pd.DataFrame:
    """The scored rows of ``scores`` with the ``country`` of their site."""
    return scores.dropna(subset=["score"]).assign(country=lambda d: d["site"].map(countries).astype(str))


def country_summaries(scores: pd.DataFrame, countries: pd.Series) -> pd.DataFrame:
    """Per outcome and country: participants, sites, participant mean and SD, and mean of site means.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    countries : Series
        Country per site (:func:`site_countries`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, country, n, n_sites, mean, sd, site_mean``.
    """
    rows = []
    for key, outcome in outcome_frames(with_country(scores, countries)):
        for country, f in outcome.groupby("country", sort=True):
            rows.append(
                {
                    **dict(zip(OUTCOME, key)),
                    "country": country,
                    "n": int(len(f)),
                    "n_sites": int(f["site"].nunique()),
                    "mean": float(f["score"].mean()),
                    "sd": float(f["score"].std(ddof=1)),
                    "site_mean": float(f.groupby("site")["score"].mean().mean()),
                }
            )
    return pd.DataFrame(rows)


def country_comparison(scores: pd.DataFrame, countries: pd.Series, *, confidence: float) -> pd.DataFrame:
    """Compare two countries with sites as the unit of analysis (sites are nested in countries).

    Each site contributes one value, its mean; the two countries' sets of site means are
    compared with Student's t test (``df = sites - 2``). This respects the nesting: the
    participants of one site share that site's service, so they are not independent
    evidence about their country. A participant-level test would treat every one of
    them as a separate replication of the country and overstate the evidence.

    Parameters
    ----------
    scores : DataFrame
        From :func:`helpers.survey.outcome_scores`.
    countries : Series
        Country per site (:func:`site_countries`).
    confidence : float
        Confidence level of the interval of the difference.

    Returns
    -------
    DataFrame
        One row per outcome: ``country_1, country_2, n_sites_1, n_sites_2, site_mean_1,
        site_mean_2, diff`` (2 minus 1) ``, t, df, p, ci_low, ci_high, testable, note``.
        Not testable (NaN statistics) unless there are exactly two countries with at
        least two sites each.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "site": list("abcdef"),
    ...                   "score": [1.0, 2, 3, 4, 5, 6]})
    >>> c = pd.Series({"a": "E", "b": "E", "c": "E", "d": "W", "e": "W", "f": "W"})
    >>> r = country_comparison(s, c, confidence=0.95).iloc[0]
    >>> float(r["diff"]), int(r["df"]), round(float(r["t"]), 3)
    (3.0, 4, 3.674)
    """
    rows = []
    nan = float("nan")
    for key, f in outcome_frames(with_country(scores, countries)):
        site_means = f.groupby(["country", "site"])["score"].mean()
        names = sorted(site_means.index.get_level_values("country").unique())
        row = dict(zip(OUTCOME, key))
        row.update(
            country_1=names[0] if names else "",
            country_2=names[1] if len(names) > 1 else "",
            n_sites_1=0,
            n_sites_2=0,
            site_mean_1=nan,
            site_mean_2=nan,
            diff=nan,
            t=nan,
            df=nan,
            p=nan,
            ci_low=nan,
            ci_high=nan,
            testable=False,
            note="",
        )
        if len(names) != 2:
            row["note"] = f"the data hold {len(names)} countr{'y' if len(names) == 1 else 'ies'}, not two"
            rows.append(row)
            continue
        m1, m2 = site_means.loc[names[0]].to_numpy(), site_means.loc[names[1]].to_numpy()
        row.update(
            n_sites_1=len(m1),
            n_sites_2=len(m2),
            site_mean_1=float(m1.mean()),
            site_mean_2=float(m2.mean()),
            diff=float(m2.mean() - m1.mean()),
        )
        if min(len(m1), len(m2)) < 2:
            lone = names[0] if len(m1) < 2 else names[1]
            row["note"] = f"there is only one site in {lone}, so the country cannot be told apart from that site"
            rows.append(row)
            continue
        test = two_group_comparison(
            float(m2.mean()),
            float(m2.std(ddof=1)),
            len(m2),
            float(m1.mean()),
            float(m1.std(ddof=1)),
            len(m1),
            confidence=confidence,
            equal_var=True,
        ).iloc[0]
        row.update(
            t=float(test["t"]),
            df=float(test["df"]),
            p=float(test["p"]),
            ci_low=float(test["ci_low"]),
            ci_high=float(test["ci_high"]),
            testable=True,
        )
        rows.append(row)
    return pd.DataFrame(rows)


def standardised_site_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Each site's mean of each outcome in SD units of that outcome: ``(site mean - mean) / SD``.

    Mean and SD are those of all participants with a score on the outcome, so the values
    are comparable across scales with different ranges.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, site, n, mean, z``.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "site": list("aabb"),
    ...                   "score": [1.0, 2, 3, 4]})
    >>> standardised_site_means(s)["z"].round(3).tolist()
    [-0.775, 0.775]
    """
    rows = []
    for key, f in outcome_frames(scores.dropna(subset=["score"])):
        grand, sd = float(f["score"].mean()), float(f["score"].std(ddof=1))
        for site, g in f.groupby("site", sort=True):
            mean = float(g["score"].mean())
            rows.append(
                {
                    **dict(zip(OUTCOME, key)),
                    "site": site,
                    "n": int(len(g)),
                    "mean": mean,
                    "z": (mean - grand) / sd if sd > 0 else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=[*OUTCOME, "site", "n", "mean", "z"])


def site_spread(standardised: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, the lowest and highest standardised site mean and their distance, widest first.

    Parameters
    ----------
    standardised : DataFrame
        From :func:`standardised_site_means`.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, z_min, site_min, z_max, site_max, z_range``.
    """
    rows = []
    for key, f in standardised.dropna(subset=["z"]).groupby(OUTCOME, sort=False):
        lo, hi = f.loc[f["z"].idxmin()], f.loc[f["z"].idxmax()]
        rows.append(
            {
                **dict(zip(OUTCOME, key)),
                "z_min": float(lo["z"]),
                "site_min": lo["site"],
                "z_max": float(hi["z"]),
                "site_max": hi["site"],
                "z_range": float(hi["z"] - lo["z"]),
            }
        )
    return pd.DataFrame(rows).sort_values("z_range", ascending=False, kind="stable").reset_index(drop=True)
