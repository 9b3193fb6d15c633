"""Who answered: the characteristics of each group's respondents by site, and response rates.

The characteristics are the demographic and service columns of the data contract (age,
gender, ethnicity, relationship status, years in services or in post): numbers are
summarised by their mean, SD and median, categories by counts and percentages. Response
rates need the optional ``invited_service_users`` / ``invited_care_coordinators`` counts
in the sites table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import GROUPS, Dataset

__all__ = ["ALL_SITES", "INVITED", "response_rates", "sample_characteristics"]

#: The label of the row that pools every site.
ALL_SITES = "All sites"
#: The optional sites column holding the number invited, per participant group.
INVITED = {group: f"invited_{group}" for group in GROUPS}

CHARACTERISTIC_COLUMNS = [
    "group",
    "characteristic",
    "level",
    "site",
    "n",
    "count",
    "percent",
    "mean",
    "sd",
    "median",
    "missing",
]


def _numeric_rows(values: pd.Series, group: str, column: str, site: str) -> dict:
    x = pd.to_numeric(values, errors="coerce").astype(float)
    x = x[np.isfinite(x)]
    return {
        "group": group,
        "characteristic": column,
        "level": "",
        "site": site,
        "n": int(len(x)),
        "count": np.nan,
        "percent": np.nan,
        "mean": float(x.mean()) if len(x) else np.nan,
        "sd": float(x.std(ddof=1)) if len(x) > 1 else np.nan,
        "median": float(x.median()) if len(x) else np.nan,
        "missing": int(len(values) - len(x)),
    }


def _category_rows(values: pd.Series, levels: list, group: str, column: str, site: str) -> list[dict]:
    answered = values.dropna().astype(str)
    counts = answered.value_counts()
    return [
        {
            "group": group,
            "characteristic": column,
            "level": level,
            "site": site,
            "n": int(len(answered)),
            "count": int(counts.get(level, 0)),
            "percent": 100 * counts.get(level, 0) / len(answered) if len(answered) else np.nan,
            "mean": np.nan,
            "sd": np.nan,
            "median": np.nan,
            "missing": int(len(values) - len(answered)),
        }
        for level in levels
    ]


def sample_characteristics(dataset: Dataset) -> pd.DataFrame:
    """Characteristics of each group's respondents per site and over all sites.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    DataFrame
        ``group, characteristic, level, site, n, count, percent, mean, sd, median,
        missing``: for a numeric characteristic one row per site (``level`` empty) with
        ``n`` the respondents who gave a value; for a category one row per level and site
        with its ``count`` and ``percent`` of those who answered. The pooled row has
        ``site`` = :data:`ALL_SITES`. Columns the table does not hold are left out.

    Examples
    --------
    >>> import types
    >>> su = pd.DataFrame({"site": ["A", "A", "B"], "age": [30.0, 40.0, None], "gender": ["F", "M", "F"]})
    >>> ds = types.SimpleNamespace(group=lambda g: su if g == "service_users" else su.iloc[:0])
    >>> t = sample_characteristics(ds)
    >>> t[(t["characteristic"] == "age")][["site", "n", "mean", "missing"]].values.tolist()
    [['A', 2, 35.0, 0], ['B', 0, nan, 1], ['All sites', 2, 35.0, 1]]
    """
    rows: list[dict] = []
    for group, contract in GROUPS.items():
        people = dataset.group(group)
        if people.empty:
            continue
        numeric = set(contract.numeric_covariates)
        sites = sorted(people["site"].dropna().astype(str).unique())
        for column in [c for c in contract.covariates if c in people.columns]:
            levels = sorted(people[column].dropna().astype(str).unique())
            for site, frame in [*((s, people[people["site"].astype(str) == s]) for s in sites), (ALL_SITES, people)]:
                if column in numeric:
                    rows.append(_numeric_rows(frame[column], group, column, site))
                else:
                    rows.extend(_category_rows(frame[column], levels, group, column, site))
    return pd.DataFrame(rows, columns=CHARACTERISTIC_COLUMNS)


def response_rates(dataset: Dataset) -> pd.DataFrame:
    """Questionnaires returned per site and group, as a share of those invited when the count is given.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    DataFrame
        ``site, group, returned, invited, rate, reason``: ``returned`` counts the group's
        rows at the site, ``rate`` is ``returned / invited`` (a share). ``rate`` is NaN with
        a ``reason`` when the sites table has no invited count for the group, the site's
        count is blank or zero, or fewer were invited than returned. One pooled row per
        group (``site`` = :data:`ALL_SITES`) sums the sites with a valid count.

    Examples
    --------
    >>> import types
    >>> sites = pd.DataFrame({"site": ["A", "B"], "invited_service_users": [4, None]})
    >>> su = pd.DataFrame({"site": ["A", "A", "B"]})
    >>> ds = types.SimpleNamespace(sites=sites, group=lambda g: su if g == "service_users" else su.iloc[:0])
    >>> r = response_rates(ds)
    >>> r[r["group"] == "service_users"][["site", "returned", "rate"]].values.tolist()
    [['A', 2, 0.5], ['B', 1, nan], ['All sites', 2, 0.5]]
    """
    rows = []
    sites = dataset.sites
    for group, column in INVITED.items():
        returned = dataset.group(group)["site"].astype(str).value_counts()
        pooled_returned = pooled_invited = 0
        for site in sites["site"].astype(str):
            got = int(returned.get(site, 0))
            invited = np.nan
            reason = ""
            if column not in sites.columns:
                reason = f"the sites table has no {column} column"
            else:
                value = pd.to_numeric(sites.loc[sites["site"].astype(str) == site, column], errors="coerce").iloc[0]
                invited = float(value)
                if not np.isfinite(invited) or invited <= 0:
                    reason = f"{column} is blank or zero for this site"
                elif invited < got:
                    reason = f"{column} ({invited:g}) is below the number returned ({got})"
            rate = np.nan if reason else got / invited
            if not reason:
                pooled_returned += got
                pooled_invited += invited
            rows.append(
                {"site": site, "group": group, "returned": got, "invited": invited, "rate": rate, "reason": reason}
            )
        pooled_reason = "" if pooled_invited else "no site has a usable invited count"
        rows.append(
            {
                "site": ALL_SITES,
                "group": group,
                "returned": pooled_returned if pooled_invited else int(returned.sum()),
                "invited": pooled_invited if pooled_invited else np.nan,
                "rate": pooled_returned / pooled_invited if pooled_invited else np.nan,
                "reason": pooled_reason,
            }
        )
    return pd.DataFrame(rows)
