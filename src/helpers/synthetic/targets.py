"""What the synthetic data must reproduce: the published tables turned into search targets.

Every target is an interval inside the printed value's rounding interval, the rule by
which :mod:`helpers.audit` judges reproduction (aimed a little inside, so that no value
sits on a boundary). Where two printed numbers constrain one statistic, the target is
their intersection: an F must print as its F *and* give the printed p with its degrees
of freedom; an r must print as its r and give its printed p with its N. Printed values
that the audit shows to be impossible or inconsistent follow the audit's rule, never a
hand-written list: an impossible SEM is targeted at its plausible value, and an F that
cannot follow from its own means and SEMs is aimed at the part of the range its row
allows where the site effect is decided as the printed p decides it.

Two stated conclusions of the article also shape the targets here: site means are kept
on the side of their rounding intervals where no two-country difference appears
(:func:`country_safe_means`), and the F and p bands keep each decision at ``alpha``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from helpers.audit import audit_f_from_means, audit_sems
from helpers.io import GROUPS, OUTCOME, Instrument, Published, analysed_site_ns, printed_decimals, rounding_interval

__all__ = [
    "ScaleTarget",
    "Targets",
    "build_targets",
    "targets_for",
    "f_band",
    "r_band",
    "country_safe_means",
    "loosened",
]

#: Fraction of a printed value's rounding half-width that the search aims inside.
MARGIN = 0.98
#: Far edge of the country test's safe corner of the rounding box, as a fraction of the
#: rounding half-width (inside it, so that a mean there still prints as published), and how
#: far above ``alpha`` the test's p must stay everywhere in that corner.
COUNTRY_EDGE = 0.99
COUNTRY_MARGIN = 1.02
#: Narrowest mean interval, as a share of the rounding interval, that the search can still hit.
#: A single answer moves a site mean by 1/(k n), but an answer of a person scored on fewer
#: items against one of a complete person moves it by 1/(k (k - 1) n), about a twentieth of
#: the rounding interval for the article's subscales and sites: a safe corner narrower than
#: this is not aimed at, and the conclusion is reported unmet instead.
COUNTRY_MIN_WINDOW = 0.05
#: Half-widths of the widened bands of the search's first stage.
LOOSE = {"F": 0.008, "alpha": 0.008, "r": 0.004}
#: Factor that keeps an untargeted F's p clear of ``alpha`` on the printed side.
DECISION_MARGIN = 1.25
#: Skewness and kurtosis bands of an outcome counted beyond +/-1, and of any other outcome.
SKEWED_SHAPE = ((-1.8, -1.1), (-1.5, 1.8))
NORMAL_SHAPE = ((-0.9, 0.9), (-0.9, 0.9))


@dataclass
class ScaleTarget:
    """Everything the search must meet for one outcome (one scale in one group)."""

    measure: str
    subscale: str
    site_n: dict[str, int]
    n_complete: int
    mean: dict[str, tuple[float, float]]
    sem: dict[str, tuple[float, float]]
    f: tuple[float, float] | None
    alpha: tuple[float, float]
    skew: tuple[float, float]
    kurt: tuple[float, float]
    mean_centre: dict[str, float] = field(default_factory=dict)
    sem_centre: dict[str, float] = field(default_factory=dict)
    alpha_centre: float = 0.0
    significant: bool = False  # the site effect's decision at alpha by the printed p


@dataclass
class Targets:
    """All targets of one participant group."""

    group: str
    scales: list[ScaleTarget]
    correlations: list[tuple[str, str, int, tuple[float, float]]]


def targets_for(targets: Targets, measure: str, subscale: str) -> ScaleTarget:
    """The target of one scale."""
    return next(t for t in targets.scales if t.measure == measure and t.subscale == subscale)


def _interval(centre: float, decimals: int, margin: float = MARGIN) -> tuple[float, float]:
    half = 0.5 * 10.0 ** (-decimals) * margin
    return centre - half, centre + half


def _shrink(lo: float, hi: float, margin: float = MARGIN) -> tuple[float, float]:
    centre, half = (lo + hi) / 2, (hi - lo) / 2 * margin
    return centre - half, centre + half


def f_band(f: float, f_text: str, p: float, p_text: str, df1: int, df2: int) -> tuple[float, float]:
    """F values that print as ``f_text`` and give a p that prints as ``p_text``.

    Examples
    --------
    >>> lo, hi = f_band(0.65, "0.65", 0.659, "0.659", 5, 394)
    >>> bool(0.645 < lo < hi < 0.655), round(float(stats.f.sf((lo + hi) / 2, 5, 394)), 3)
    (True, 0.659)
    """
    f_lo, f_hi = rounding_interval(f, printed_decimals(f_text, 2))
    p_lo, p_hi = rounding_interval(p, printed_decimals(p_text, 3))
    lo = max(f_lo, float(stats.f.isf(min(p_hi, 1.0), df1, df2)))
    hi = min(f_hi, float(stats.f.isf(p_lo, df1, df2)) if p_lo > 0 else math.inf)
    if lo >= hi:  # F and p disagree: the audit excludes the p, so aim at F alone
        lo, hi = f_lo, f_hi
    return _shrink(lo, hi)


def _r_from_p(p: float, n: int) -> float:
    t = float(stats.t.isf(p / 2, n - 2))
    return t / math.sqrt(n - 2 + t * t)


def r_band(r: float, r_text: str, p: float, p_text: str, n: int) -> tuple[float, float]:
    """Positive r values that print as ``r_text`` and give a two-sided p printed as ``p_text``.

    Examples
    --------
    >>> lo, hi = r_band(0.138, "0.138", 0.004, "0.004", 431)
    >>> bool(0.1375 <= lo < hi <= 0.1385)
    True
    """
    r_lo, r_hi = rounding_interval(r, printed_decimals(r_text, 2))
    p_lo, p_hi = rounding_interval(p, printed_decimals(p_text, 3))
    lo = max(r_lo, _r_from_p(min(p_hi, 1.0), n))
    hi = min(r_hi, _r_from_p(p_lo, n) if p_lo > 0 else 1.0)
    if lo >= hi:
        lo, hi = r_lo, r_hi
    return _shrink(lo, hi)


def _country_p(means: np.ndarray, first: np.ndarray) -> float:
    """Student's t test of two sets of site means, two-sided p (as the book's country test)."""
    a, b = means[first], means[~first]
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    se = math.sqrt(pooled * (1 / len(a) + 1 / len(b)))
    t = abs(a.mean() - b.mean()) / se if se > 0 else math.inf
    return float(2 * stats.t.sf(t, len(a) + len(b) - 2))


def country_safe_means(
    means: dict[str, float], half: float, countries: dict[str, str], alpha: float
) -> dict[str, tuple[float, float]] | None:
    """Mean intervals inside the rounding box where the two-country test of site means stays
    above ``alpha`` (the article found no national pattern), or None when the printed means
    need no such care or no corner of the box allows it.

    The country test compares the two countries' site means with Student's t
    (:func:`helpers.survey.country_comparison`). Its p over the box of means that print the
    same is largest at a corner; the intervals returned lie in the part of the box next to
    that corner, where every combination keeps p above ``alpha``.
    """
    sites = list(means)
    names = sorted(set(countries[s] for s in sites))
    if len(names) != 2:
        return None
    first = np.array([countries[s] == names[0] for s in sites])
    if min(first.sum(), (~first).sum()) < 2:
        return None
    centre = np.array([means[s] for s in sites])
    signs = [np.array(v) for v in itertools.product((-1.0, 1.0), repeat=len(sites))]
    if min(_country_p(centre + half * v, first) for v in signs) >= alpha * COUNTRY_MARGIN:
        return None
    best = max(signs, key=lambda v: _country_p(centre + half * v, first))
    # The widest safe corner: its near edge as close to the centre (or beyond it) as the test allows.
    b = COUNTRY_EDGE
    for a in np.arange(-COUNTRY_EDGE, COUNTRY_EDGE, 0.01):
        lo = centre + half * best * np.where(best > 0, a, b)
        hi = centre + half * best * np.where(best > 0, b, a)
        if min(_country_p(np.where(v > 0, hi, lo), first) for v in signs) >= alpha * COUNTRY_MARGIN:
            return {s: (float(lo[k]), float(hi[k])) for k, s in enumerate(sites)}
    return None


def _widen(band: tuple[float, float] | None, half: float) -> tuple[float, float] | None:
    if band is None:
        return None
    centre = (band[0] + band[1]) / 2
    return min(band[0], centre - half), max(band[1], centre + half)


def loosened(targets: Targets) -> Targets:
    """The same targets with the bands of F, alpha and r widened (:data:`LOOSE`): the search's
    first stage, while the means and SEMs are still moving."""
    scales = [
        dataclasses.replace(t, f=_widen(t.f, LOOSE["F"]), alpha=_widen(t.alpha, LOOSE["alpha"])) for t in targets.scales
    ]
    corrs = [(a, b, n, _widen(band, LOOSE["r"])) for a, b, n, band in targets.correlations]
    return dataclasses.replace(targets, scales=scales, correlations=corrs)


def _skewed_outcomes(published: Published, instruments: dict[str, Instrument], count: int = 3) -> set[tuple]:
    """Outcomes whose pooled published mean lies nearest an end of the scale.

    The article reports that 3 of its 22 outcomes went beyond +/-1 in skewness or
    kurtosis without naming them; this rule picks the three most likely ones.
    """
    sm = published.site_means.merge(analysed_site_ns(published), on=[*OUTCOME, "site"])
    pooled = sm.assign(w=sm["mean"] * sm["n"]).groupby(OUTCOME, sort=False)[["w", "n"]].sum()
    position = {}
    for key, row in pooled.iterrows():
        lo, hi = instruments[key[1]].score_range[key[2]]
        position[key] = abs((row.w / row.n - lo) / (hi - lo) - 0.5)
    return set(sorted(position, key=position.get, reverse=True)[:count])


def build_targets(published: Published, instruments: dict[str, Instrument], *, alpha: float) -> dict[str, Targets]:
    """Turn the published tables and their audit into search targets, per group.

    Parameters
    ----------
    published, instruments
        The article's tables and the instrument definitions.
    alpha : float
        The significance level whose decisions the targets keep (``AnalysisConfig.alpha``).

    Returns
    -------
    dict of str to Targets
        Keyed by group.
    """
    ns = analysed_site_ns(published)
    sems = audit_sems(published, instruments).set_index([*OUTCOME, "site"])
    f_audit = audit_f_from_means(published, instruments).set_index(OUTCOME)
    reliability = published.reliability.set_index(OUTCOME)
    skewed = _skewed_outcomes(published, instruments)
    means = published.site_means.set_index(OUTCOME).sort_index()
    ns_by_outcome = ns.set_index(OUTCOME).sort_index()
    countries = dict(zip(published.sites["site"], published.sites["country"]))
    out: dict[str, Targets] = {}
    for group in GROUPS:
        scales = []
        for rec in published.anova[published.anova.group == group].itertuples(index=False):
            key = (group, rec.measure, rec.subscale)
            rows = means.loc[key]
            site_n = ns_by_outcome.loc[key].set_index("site")["n"].to_dict()
            mean, sem, mean_c, sem_c = {}, {}, {}, {}
            for r in rows.itertuples(index=False):
                mean[r.site] = _interval(r.mean, printed_decimals(r.mean_text, 2))
                mean_c[r.site] = r.mean
                target = float(sems.loc[(*key, r.site), "sem_target"])
                sem[r.site] = _interval(target, printed_decimals(f"{target:g}", 2))
                sem_c[r.site] = target
            decimals = printed_decimals(rows["mean_text"].iloc[0], 2)
            safe = country_safe_means(mean_c, 0.5 * 10.0**-decimals, countries, alpha)
            half = 0.5 * 10.0**-decimals
            if safe is not None and min(hi - lo for lo, hi in safe.values()) >= COUNTRY_MIN_WINDOW * 2 * half:
                mean.update(safe)
            df1, df2 = int(rec.df_between), int(rec.df_within)
            if f_audit.loc[key, "consistent"]:
                f = f_band(rec.F, rec.F_text, rec.p_as_printed, rec.p_as_printed_text, df1, df2)
            else:
                # The printed F cannot follow from its row: aim at the F its row allows, on the
                # side of alpha where the printed p puts the decision.
                f_min, f_max = float(f_audit.loc[key, "F_min"]), float(f_audit.loc[key, "F_max"])
                critical_low = float(stats.f.isf(alpha * DECISION_MARGIN, df1, df2))
                critical_high = float(stats.f.isf(alpha / DECISION_MARGIN, df1, df2))
                if rec.p_as_printed >= alpha:
                    f = _shrink(f_min, min(f_max, critical_low))
                else:
                    f = _shrink(max(f_min, critical_high), f_max)
            rel = reliability.loc[key]
            reliability_band = _interval(rel.cronbach_alpha, printed_decimals(rel.cronbach_alpha_text, 2))
            skew, kurt = SKEWED_SHAPE if key in skewed else NORMAL_SHAPE
            scales.append(
                ScaleTarget(
                    rec.measure,
                    rec.subscale,
                    site_n,
                    int(rel.n_complete_cases),
                    mean,
                    sem,
                    f,
                    reliability_band,
                    skew,
                    kurt,
                    mean_c,
                    sem_c,
                    float(rel.cronbach_alpha),
                    bool(rec.p_as_printed < alpha),
                )
            )
        corrs = [
            (r.measure_a, r.measure_b, int(r.n), r_band(r.r, r.r_text, r.p_as_printed, r.p_as_printed_text, int(r.n)))
            for r in published.correlations[published.correlations.group == group].itertuples(index=False)
        ]
        out[group] = Targets(group, scales, corrs)
    return out
