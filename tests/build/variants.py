"""Datasets a new user might bring, built from the synthetic data: one function per variant.

Each variant starts from ``data/synthetic`` read as text (so untouched cells are written back
byte for byte), changes what it is about and writes a folder without a manifest, so that it is
the user's own data, not proven synthetic. The qualitative tables follow the sites kept and
renamed. ``python tests/build/variants.py OUT_DIR`` writes every variant into ``OUT_DIR``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import SYNTHETIC_DIR, load_instruments

QUESTIONNAIRES = ("sites", "service_users", "care_coordinators")
QUALITATIVE = ("interviews", "framework", "care_plans")

#: A trust name of 58 characters (the length that broke every figure's layout).
LONG_NAME = "Penrith, Northumberland, Tyne and Wear Mental Health Trust"
#: Four teams of one trust, standing for four of the synthetic sites (the initials of the
#: interview labels still match).
TEAMS = {
    "Artois": "Ashby team",
    "Burgundy": "Bourne team",
    "Champagne": "Castle team",
    "Dauphine": "Dale team",
}
#: Sites with a non-UK grouping label.
ABROAD = {
    "Artois": "Ontario",
    "Burgundy": "Ontario",
    "Champagne": "Quebec",
    "Dauphine": "Quebec",
    "Languedoc": "Quebec",
    "Provence": "Ontario",
}

Tables = dict[str, pd.DataFrame]


def read_synthetic() -> Tables:
    """Every table of the synthetic dataset, as text (blanks as empty strings)."""
    return {
        name: pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in QUESTIONNAIRES + QUALITATIVE
    }


def write(folder: Path, tables: Tables) -> Path:
    """Write ``tables`` as CSV into ``folder`` (no manifest: the data are not proven synthetic)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


def keep_sites(tables: Tables, rename: Mapping[str, str]) -> Tables:
    """Only the sites named in ``rename``'s keys, renamed to its values, in every table."""
    out = {}
    for name, frame in tables.items():
        if "site" in frame.columns:
            frame = frame[frame["site"].isin(list(rename))].assign(site=lambda t: t["site"].map(rename))
        out[name] = frame.reset_index(drop=True)
    ids = set(out["interviews"]["participant_id"])
    out["framework"] = out["framework"][out["framework"]["participant_id"].isin(ids)].reset_index(drop=True)
    return out


def _items(instrument: str) -> list[str]:
    return list(load_instruments()[instrument].items)


def _first_rows(frame: pd.DataFrame, site: str, n: int) -> pd.DataFrame:
    """``frame`` with only the first ``n`` rows of ``site``."""
    at_site = frame.index[frame["site"] == site]
    return frame.drop(at_site[n:]).reset_index(drop=True)


# --------------------------------------------------------------------------- the variants


def one_site(tables: Tables) -> Tables:
    """A single site: nothing to compare between sites or countries."""
    return keep_sites(tables, {"Artois": "Artois"})


def constant_scale(tables: Tables) -> Tables:
    """Every service user gave the same answer to every Empowerment Scale item."""
    users = tables["service_users"].copy()
    users[_items("ES")] = "3"
    return {**tables, "service_users": users}


def single_respondent(tables: Tables) -> Tables:
    """One site with one service user and one care coordinator."""
    out = dict(tables)
    for group in ("service_users", "care_coordinators"):
        out[group] = _first_rows(tables[group], "Dauphine", 1)
    return out


def tiny_site(tables: Tables) -> Tables:
    """One site with 3 service users and 2 care coordinators."""
    out = dict(tables)
    out["service_users"] = _first_rows(tables["service_users"], "Dauphine", 3)
    out["care_coordinators"] = _first_rows(tables["care_coordinators"], "Dauphine", 2)
    return out


def blank_covariates(tables: Tables) -> Tables:
    """No service-user covariate collected, and one care-coordinator covariate not collected."""
    users = tables["service_users"].copy()
    users[["age", "gender", "ethnicity", "relationship_status", "years_in_services"]] = ""
    staff = tables["care_coordinators"].copy()
    staff["years_as_care_coordinator"] = ""
    return {**tables, "service_users": users, "care_coordinators": staff}


def infinite_years(tables: Tables) -> Tables:
    """``years_in_services`` is ``inf`` in the third data row (spreadsheet row 4): invalid."""
    users = tables["service_users"].copy()
    users.loc[2, "years_in_services"] = "inf"
    return {**tables, "service_users": users}


def long_name(tables: Tables) -> Tables:
    """One site carries a 58-character trust name (starting with the initial of its interview labels)."""
    rename = {site: site for site in tables["sites"]["site"]}
    rename["Provence"] = LONG_NAME
    return keep_sites(tables, rename)


def starp_one_site_missing(tables: Tables) -> Tables:
    """The STAR-P was not collected at Champagne: its items are blank there."""
    users = tables["service_users"].copy()
    users.loc[users["site"] == "Champagne", _items("STAR-P")] = ""
    return {**tables, "service_users": users}


def four_teams(tables: Tables) -> Tables:
    """One trust compared across four teams, without a grouping label."""
    out = keep_sites(tables, TEAMS)
    out["sites"] = out["sites"][["site", "setting"]]
    return out


def one_country(tables: Tables) -> Tables:
    """Three trusts in one country: between-country comparisons impossible."""
    return keep_sites(tables, {"Artois": "Artois", "Dauphine": "Dauphine", "Provence": "Provence"})


def large(tables: Tables, size: int = 10_000, seed: int = 9) -> Tables:
    """A survey of ``size`` respondents (70 % service users), resampled with new ids."""
    rng = np.random.default_rng(seed)
    out = dict(tables)
    for group, n, tag in (
        ("service_users", int(size * 0.7), "SU"),
        ("care_coordinators", size - int(size * 0.7), "CC"),
    ):
        frame = tables[group]
        rows = frame.iloc[rng.integers(0, len(frame), n)].reset_index(drop=True)
        out[group] = rows.assign(participant_id=[f"{tag}{k:05d}" for k in range(1, n + 1)])
    return out


def non_uk_label(tables: Tables) -> Tables:
    """The grouping label holds Canadian provinces."""
    sites = tables["sites"].copy()
    sites["country"] = sites["site"].map(ABROAD)
    return {**tables, "sites": sites}


#: Every variant by name; each builds the whole book except ``infinite_years``, which is invalid.
VARIANTS: dict[str, Callable[[Tables], Tables]] = {
    "one_site": one_site,
    "constant_scale": constant_scale,
    "single_respondent": single_respondent,
    "tiny_site": tiny_site,
    "blank_covariates": blank_covariates,
    "infinite_years": infinite_years,
    "long_name": long_name,
    "starp_one_site_missing": starp_one_site_missing,
    "four_teams": four_teams,
    "one_country": one_country,
    "large": large,
    "non_uk_label": non_uk_label,
}


def build_variant(name: str, folder: Path) -> Path:
    """Write the variant ``name`` into ``folder``."""
    return write(folder, VARIANTS[name](read_synthetic()))


if __name__ == "__main__":
    target = Path(sys.argv[1])
    for variant in sys.argv[2:] or VARIANTS:
        print(build_variant(variant, target / variant))
