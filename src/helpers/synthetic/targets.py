"""What the synthetic data must reproduce: the published tables turned into search targets.

Every target is an interval. A printed mean or SEM is met when the value rounds to the
printed one (aimed a little inside the rounding interval, so that no reproduced value
sits on a boundary); F, Cronbach's alpha and r are aimed inside a band narrower than
their reproduction tolerance. Printed values that the audit (:mod:`helpers.audit`) shows
to be impossible or internally inconsistent follow the audit's rule, never a hand-written
list: an impossible SEM is targeted at its plausible value and an F that cannot follow
from its own means and SEMs is left untargeted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.audit import audit_f_from_means, audit_sems
from helpers.io import GROUPS, OUTCOME, Instrument, Published, analysed_site_ns, printed_decimals

__all__ = ["ScaleTarget", "Targets", "build_targets", "targets_for"]

#: Fraction of a printed value's rounding half-width that the search aims inside.
MARGIN = 0.98
#: Half-widths aimed at for statistics whose reproduction tolerance is wider than their
#: printed rounding (F within 0.02, alpha within 0.02, r within 0.01).
SLACK = {"F": 0.008, "alpha": 0.008, "r": 0.004}
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


def build_targets(published: Published, instruments: dict[str, Instrument]) -> dict[str, Targets]:
    """Turn the published tables and their audit into search targets, per group.

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
            f = (rec.F - SLACK["F"], rec.F + SLACK["F"]) if f_audit.loc[key, "consistent"] else None
            rel = reliability.loc[key]
            reliability_band = (rel.cronbach_alpha - SLACK["alpha"], rel.cronbach_alpha + SLACK["alpha"])
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
                )
            )
        corrs = [
            (r.measure_a, r.measure_b, int(r.n), (r.r - SLACK["r"], r.r + SLACK["r"]))
            for r in published.correlations[published.correlations.group == group].itertuples(index=False)
        ]
        out[group] = Targets(group, scales, corrs)
    return out
