"""The starting point of the search and the columns nobody published.

Item responses start from a factor model (instrument factors correlated across
instruments as published, subscale factors, item noise), scaled to each site's published
mean and SD and to the published alpha, then rounded to the response scale
(:func:`latent_values`). Covariates are not published: they are drawn from the assumed
distributions in ``data/synthetic_assumptions.yaml`` (:func:`covariates`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.io import DATA_DIR

from .targets import Targets, targets_for

__all__ = ["ASSUMPTIONS_FILE", "latent_values", "covariates"]

#: The assumed covariate distributions and shares of N/A codes.
ASSUMPTIONS_FILE = DATA_DIR / "synthetic_assumptions.yaml"


def latent_values(
    sites, site_names, scale_defs, insts, targets: Targets, rng: np.random.Generator, item_index
) -> np.ndarray:
    """Initial item responses from a factor model scaled to the published targets."""
    n = len(sites)
    ids = [i.id for i in insts]
    # Instrument factors correlated as published (slightly inflated for attenuation).
    corr = np.eye(len(ids))
    for a, b, _, (lo, hi) in targets.correlations:
        ia, ib = ids.index(a), ids.index(b)
        corr[ia, ib] = corr[ib, ia] = min(0.95, (lo + hi) / 2 * 1.1)
    z = rng.multivariate_normal(np.zeros(len(ids)), corr, size=n)
    values = np.zeros((n, len(item_index)))
    for inst_pos, inst in enumerate(insts):
        done = set()
        for d in sorted((d for d in scale_defs if d["measure"] == inst.id), key=lambda d: d["is_total"]):
            t = targets_for(targets, inst.id, d["subscale"])
            k = len(d["items"])
            rho = t.alpha_centre / (k - (k - 1) * t.alpha_centre)
            lam = math.sqrt(min(max(rho, 0.02), 0.98))
            u = 0.8 * z[:, inst_pos] + 0.6 * rng.standard_normal(n)
            for j in d["items"]:
                if j in done:
                    continue
                done.add(j)
                for g, site in enumerate(site_names):
                    rows = sites == g
                    mu = t.mean_centre[site] / d["mult"]
                    sd_scale = t.sem_centre[site] * math.sqrt(t.site_n[site]) / d["mult"]
                    sd_item = sd_scale / math.sqrt(rho + (1 - rho) / k)
                    e = rng.standard_normal(rows.sum())
                    values[rows, j] = mu + sd_item * (lam * u[rows] + math.sqrt(1 - lam * lam) * e)
            lo, hi = d["bounds"]
            values[:, d["items"]] = np.clip(np.rint(values[:, d["items"]]), lo, hi)
    return values


def _draw(spec: dict, n: int, rng: np.random.Generator):
    """``n`` values from one assumed distribution (categorical, normal or lognormal)."""
    kind = spec["distribution"]
    if kind == "categorical":
        cats = list(spec["categories"])
        probs = np.array([spec["categories"][c] for c in cats], dtype=float)
        return rng.choice(cats, size=n, p=probs / probs.sum()).astype(object)
    if kind == "normal":
        v = rng.normal(spec["mean"], spec["sd"], size=n)
    elif kind == "lognormal":
        v = np.exp(rng.normal(math.log(spec["median"]), spec["sigma"], size=n))
    else:
        raise ValueError(f"unknown distribution {kind!r} in {ASSUMPTIONS_FILE}")
    v = np.clip(v, spec.get("min", -np.inf), spec.get("max", np.inf))
    return np.round(v, spec.get("decimals", 0))


def covariates(group: str, sites: list[str], assumptions: dict, rng: np.random.Generator) -> pd.DataFrame:
    """The covariate columns of one group, one row per participant (``sites`` in row order).

    Each column follows its assumed distribution, replaced at a site that has its own;
    years as care coordinator never exceed years in mental health; a share of every
    column is left blank.
    """
    spec = assumptions["covariates"][group]
    n = len(sites)
    out = {}
    for name, col in spec.items():
        by_site = col.get("by_site", {})
        values = _draw(col, n, rng)
        for site, override in by_site.items():
            rows = np.array([s == site for s in sites])
            if rows.any():
                values[rows] = _draw({**col, **override}, int(rows.sum()), rng)
        out[name] = values
    frame = pd.DataFrame(out)
    if "years_as_care_coordinator" in frame and "years_in_mental_health" in frame:
        frame["years_as_care_coordinator"] = np.minimum(
            frame["years_as_care_coordinator"], frame["years_in_mental_health"]
        )
    share = float(assumptions.get("covariate_missing_share", 0.0))
    for name in frame.columns:
        frame.loc[rng.random(n) < share, name] = np.nan if frame[name].dtype.kind == "f" else None
    return frame
