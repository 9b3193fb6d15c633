"""A synthetic COCAPP dataset calibrated to the article's published aggregates.

The study's data are not public. This module writes a dataset in the project's
data contract whose item-level responses, analysed with the project's own
scoring and statistics, give back the published site means and SEMs, ANOVA F
values, Cronbach's alphas, complete-case and analysed counts, correlations and
the normality summary. It is SYNTHETIC: no row is a real person's answers.

How it is built, in three steps:

1. **Missingness plan.** For every participant and instrument, the number of
   missing items in each block of items (items that belong to the same scales) is
   chosen by a local search so that each outcome has exactly the published number
   of complete cases and, per site, the planned number of participants scored after
   mean replacement (:func:`helpers.published.analysed_site_ns`). For service users
   the three totals are missing together so that the pairwise Ns of the published
   correlations come out exactly.
2. **Latent model.** Item responses start from a factor model (instrument factors
   correlated across instruments, subscale factors, item noise), scaled to each
   site's published mean and SD and to the published alpha, then rounded to the
   response scale.
3. **Discrete search.** In the spirit of SPRITE (Heathers et al. 2018), single item
   responses are moved up or down by one point while the moves bring the data
   closer to every published target at once (site means and SEMs, F, alpha,
   correlations, skewness and kurtosis limits), until every target is met.

Printed values that the audit (:mod:`helpers.audit`) shows to be impossible or
internally inconsistent are handled by the audit's rule, never by a hand-written
list: an impossible SEM is targeted at its plausible value and an F that cannot
follow from its own means and SEMs is left untargeted.

Covariates are not published; their distributions are assumptions kept in
``data/synthetic_assumptions.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .audit import audit_f_from_means, audit_sems
from .contract import GROUPS
from .instruments import Instrument, load_instruments
from .paths import DATA_DIR
from .published import OUTCOME, Published, analysed_site_ns, load_published, printed_decimals

__all__ = ["GENERATOR_VERSION", "Targets", "build_targets", "generate", "write_synthetic"]

GENERATOR_VERSION = "1.0.0"
ASSUMPTIONS_FILE = DATA_DIR / "synthetic_assumptions.yaml"

# Fractions of a printed value's rounding half-width that the search aims inside,
# so that no reproduced value sits on a rounding boundary.
_MARGIN = 0.98
# Half-widths aimed at for statistics whose reproduction tolerance is wider than their
# printed rounding (F within 0.02, alpha within 0.02, r within 0.01).
_SLACK = {"F": 0.008, "alpha": 0.008, "r": 0.004}
_PULL = 0.01  # weight of the pull towards the centre of a target interval
_OUTSIDE = 1.0  # cost of any unmet target, so that meeting one outweighs every pull
# Discrete search: at most this many proposals per group, annealed in cycles that start
# at temperature _T0 (in units of one unmet target) and end in a greedy descent.
_MAX_STEPS = 3_000_000
_CYCLE = 400_000
_T0 = 0.3
_ATTEMPTS = 3  # fresh starts of the search before unmet targets are reported


# ------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------

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


def _interval(centre: float, decimals: int, margin: float = _MARGIN) -> tuple[float, float]:
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
            f = (rec.F - _SLACK["F"], rec.F + _SLACK["F"]) if f_audit.loc[key, "consistent"] else None
            rel = reliability.loc[key]
            alpha = (rel.cronbach_alpha - _SLACK["alpha"], rel.cronbach_alpha + _SLACK["alpha"])
            if key in skewed:
                skew, kurt = (-1.8, -1.1), (-1.5, 1.8)
            else:
                skew, kurt = (-0.9, 0.9), (-0.9, 0.9)
            scales.append(ScaleTarget(rec.measure, rec.subscale, site_n, int(rel.n_complete_cases), mean, sem, f,
                                      alpha, skew, kurt, mean_c, sem_c, float(rel.cronbach_alpha)))
        corrs = [
            (r.measure_a, r.measure_b, int(r.n), (r.r - _SLACK["r"], r.r + _SLACK["r"]))
            for r in published.correlations[published.correlations.group == group].itertuples(index=False)
        ]
        out[group] = Targets(group, scales, corrs)
    return out


# ------------------------------------------------------------------------------------------
# Step 1: missingness plan
# ------------------------------------------------------------------------------------------

def _blocks(instrument: Instrument) -> list[tuple[tuple[str, ...], list[int]]]:
    """Items grouped by the set of scales they belong to: (scales, item positions)."""
    signature: dict[tuple[str, ...], list[int]] = {}
    for pos, item in enumerate(instrument.items):
        scales = tuple(s for s, members in instrument.scales.items() if item in members)
        signature.setdefault(scales, []).append(pos)
    return list(signature.items())


def _total_scored_plan(sites: np.ndarray, instruments: list[Instrument], targets: Targets,
                       rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Who is scored on each instrument's total, meeting per-site counts and pairwise Ns."""
    site_names = list(dict.fromkeys(sites))
    need = {inst.id: {s: targets_for(targets, inst.id, inst.total).site_n[s] for s in site_names}
            for inst in instruments}
    pair_n = {frozenset((a, b)): n for a, b, n, _ in targets.correlations}
    ids = [inst.id for inst in instruments]
    best, best_loss = None, math.inf
    for _attempt in range(200):
        scored = {i: np.zeros(len(sites), dtype=bool) for i in ids}
        for s in site_names:
            members = np.flatnonzero(sites == s)
            # People are missing on several instruments together more often than by chance:
            # rank by a shared propensity plus instrument-specific noise.
            shared = rng.random(len(members))
            for i in ids:
                order = np.argsort(shared + 0.35 * rng.random(len(members)))
                scored[i][members[order[: need[i][s]]]] = True
        loss = sum(abs(int((scored[a] & scored[b]).sum()) - n) for (a, b), n in
                   ((tuple(k), v) for k, v in pair_n.items()))
        if loss < best_loss:
            best, best_loss = scored, loss
        if loss == 0:
            break
    # Repair pairwise Ns by swapping who is scored within a site (keeps per-site counts).
    scored = best
    for _ in range(20000):
        errors = {k: int((scored[tuple(k)[0]] & scored[tuple(k)[1]]).sum()) - n for k, n in pair_n.items()}
        if not any(errors.values()):
            break
        inst = ids[int(rng.integers(len(ids)))]
        s = site_names[int(rng.integers(len(site_names)))]
        members = np.flatnonzero(sites == s)
        on, off = members[scored[inst][members]], members[~scored[inst][members]]
        if len(on) == 0 or len(off) == 0:
            continue
        a, b = int(rng.choice(on)), int(rng.choice(off))
        before = sum(abs(e) for e in errors.values())
        scored[inst][a], scored[inst][b] = False, True
        after = sum(abs(int((scored[tuple(k)[0]] & scored[tuple(k)[1]]).sum()) - n) for k, n in pair_n.items())
        if after > before:
            scored[inst][a], scored[inst][b] = True, False
    return scored


def targets_for(targets: Targets, measure: str, subscale: str) -> ScaleTarget:
    """The target of one scale."""
    return next(t for t in targets.scales if t.measure == measure and t.subscale == subscale)


def _draw_where(candidates, wanted, prng: random.Random, tries: int = 200):
    """A random element of ``candidates`` for which ``wanted`` holds, or None."""
    candidates = candidates if isinstance(candidates, (list, range)) else list(candidates)
    for _ in range(tries):
        c = candidates[prng.randrange(len(candidates))]
        if wanted(c):
            return int(c)
    return None


def _plan_missing(sites: np.ndarray, inst: Instrument, targets: Targets, total_scored: np.ndarray,
                  rng: np.random.Generator, max_missing: float) -> np.ndarray:
    """Boolean missing mask (participants x items) meeting the complete and scored counts."""
    from .scoring import max_missing_items

    blocks = _blocks(inst)
    sizes = [len(pos) for _, pos in blocks]
    scales = list(inst.scales)
    allowed = {s: max_missing_items(len(inst.scales[s]), max_missing) for s in scales}
    in_scale = {s: [b for b, (sig, _) in enumerate(blocks) if s in sig] for s in scales}
    site_names = list(dict.fromkeys(sites))
    site_idx = np.array([site_names.index(s) for s in sites])
    tgt = {s: targets_for(targets, inst.id, s) for s in scales}
    n_people = len(sites)

    # Initial counts: mostly complete; people not scored on the total miss heavily.
    counts = np.zeros((n_people, len(blocks)), dtype=int)
    for p in range(n_people):
        if not total_scored[p]:
            heavy = rng.random() < 0.5
            for b, size in enumerate(sizes):
                counts[p, b] = size if heavy else int(rng.integers(size // 2 + 1, size + 1))
        elif rng.random() < 0.45:
            b = int(rng.integers(len(blocks)))
            counts[p, b] = int(rng.integers(1, max(2, sizes[b] // 3 + 1)))

    def status(p):
        miss = {s: sum(counts[p, b] for b in in_scale[s]) for s in scales}
        return {s: (miss[s] == 0, miss[s] <= allowed[s]) for s in scales}

    state = [status(p) for p in range(n_people)]
    complete = {s: sum(st[s][0] for st in state) for s in scales}
    scored = {s: np.zeros(len(site_names), dtype=int) for s in scales}
    for p, st in enumerate(state):
        for s in scales:
            scored[s][site_idx[p]] += st[s][1]

    def loss_terms():
        total = 0
        for s in scales:
            total += abs(complete[s] - tgt[s].n_complete)
            total += sum(abs(int(scored[s][k]) - tgt[s].site_n[site_names[k]]) for k in range(len(site_names)))
        return total

    total_name = inst.total
    loss = loss_terms()
    people_in = [np.flatnonzero(site_idx == k).tolist() for k in range(len(site_names))]

    prng = random.Random(int(rng.integers(2**62)))

    def propose():
        """A change of one block's missing count, aimed at an unmet count when there is one."""
        s = scales[prng.randrange(len(scales))]
        k = prng.randrange(len(site_names))
        b_choices = in_scale[s]
        b = b_choices[prng.randrange(len(b_choices))]
        gap_scored = int(scored[s][k]) - tgt[s].site_n[site_names[k]]
        gap_complete = complete[s] - tgt[s].n_complete
        if gap_scored == 0 and gap_complete == 0:
            p = prng.randrange(n_people)
            b = prng.randrange(len(blocks))
            return p, b, prng.randint(0, sizes[b])
        if gap_scored != 0 and (gap_complete == 0 or prng.random() < 0.5):
            members = people_in[k]
            p = _draw_where(members, lambda p: state[p][s][1] == (gap_scored > 0), prng)
            if p is None:
                return None
            if gap_scored > 0:   # too many scored: push this person over the limit
                return p, b, sizes[b]
            return p, b, prng.randint(0, counts[p, b]) if counts[p, b] else None
        p = _draw_where(range(n_people), lambda p: state[p][s][0] == (gap_complete > 0), prng)
        if p is None:
            return None
        if gap_complete > 0:      # too many complete: one item missing
            return p, b, 1
        blocks_missing = [bb for bb in b_choices if counts[p, bb]]
        return p, blocks_missing[prng.randrange(len(blocks_missing))], 0

    def realign():
        """Move missing items between two people so that more (or fewer) are complete on
        every scale at once, leaving each block's complete count as it was."""
        gap = complete[total_name] - tgt[total_name].n_complete
        if gap == 0:
            return None
        b = prng.randrange(len(blocks))
        everyone = range(n_people)
        if gap < 0:   # p: missing only in block b becomes complete; r, incomplete anyway, takes one gap in b
            p = _draw_where(everyone, lambda q: counts[q, b] > 0 and counts[q].sum() == counts[q, b], prng)
            r = _draw_where(everyone, lambda q: counts[q, b] == 0 and counts[q].sum() > 0, prng)
            return None if p is None or r is None else [(p, b, 0), (r, b, 1)]
        p = _draw_where(everyone, lambda q: counts[q].sum() == 0, prng)
        r = _draw_where(everyone, lambda q: counts[q, b] == 1 and counts[q].sum() > 1, prng)
        return None if p is None or r is None else [(p, b, 1), (r, b, 0)]

    def swap():
        """Exchange one block's missing count between two people of a site: keeps the
        marginal missingness, changes which scales each is complete or scored on."""
        members = people_in[prng.randrange(len(site_names))]
        p, q = prng.sample(members, 2)
        b = prng.randrange(len(blocks))
        return [(p, b, int(counts[q, b])), (q, b, int(counts[p, b]))]

    iterations = 0
    while loss > 0 and iterations < 300000:
        iterations += 1
        pick = prng.random()
        if pick < 0.4:
            changes = swap()
        elif pick < 0.5:
            changes = realign()
            if changes is None:
                continue
        else:
            move = propose()
            if move is None:
                continue
            changes = [move]
        olds = [(p, b, int(counts[p, b])) for p, b, _ in changes]
        for p, b, new in changes:
            counts[p, b] = new
        people = {p for p, _, _ in changes}
        new_state = {p: status(p) for p in people}
        if any(new_state[p][total_name][1] != bool(total_scored[p]) for p in people):
            for p, b, old in olds:
                counts[p, b] = old
            continue
        d_complete = {s: 0 for s in scales}
        d_scored = {}
        for p in people:
            prev, st, k = state[p], new_state[p], int(site_idx[p])
            for s in scales:
                if st[s][0] != prev[s][0]:
                    d_complete[s] += 1 if st[s][0] else -1
                if st[s][1] != prev[s][1]:
                    d_scored[(s, k)] = d_scored.get((s, k), 0) + (1 if st[s][1] else -1)
        delta = 0
        for s, dc in d_complete.items():
            if dc:
                delta += abs(complete[s] + dc - tgt[s].n_complete) - abs(complete[s] - tgt[s].n_complete)
        for (s, k), dv in d_scored.items():
            n_t = tgt[s].site_n[site_names[k]]
            delta += abs(int(scored[s][k]) + dv - n_t) - abs(int(scored[s][k]) - n_t)
        if delta <= 0 or prng.random() < 0.01:
            for s, dc in d_complete.items():
                complete[s] += dc
            for (s, k), dv in d_scored.items():
                scored[s][k] += dv
            for p, st in new_state.items():
                state[p] = st
            loss += delta
        else:
            for p, b, old in olds:
                counts[p, b] = old
    if loss > 0:
        detail = {s: (complete[s] - tgt[s].n_complete,
                      [int(scored[s][k]) - tgt[s].site_n[site_names[k]] for k in range(len(site_names))])
                  for s in scales}
        raise RuntimeError(f"missingness plan for {inst.id} ({targets.group}) did not converge "
                           f"(loss {loss}): {detail}")

    mask = np.zeros((n_people, len(inst.items)), dtype=bool)
    for b, (_, positions) in enumerate(blocks):
        for p in np.flatnonzero(counts[:, b]):
            mask[p, rng.choice(positions, size=counts[p, b], replace=False)] = True
    return mask


# ------------------------------------------------------------------------------------------
# Steps 2 and 3: latent model and discrete search
# ------------------------------------------------------------------------------------------

class _Search:
    """Item responses of one group with running statistics for every target.

    Items of all the group's instruments form one matrix on the scored metric
    (reversed items already flipped); ``None`` marks a missing response.
    """

    def __init__(self, values, mask, sites, site_names, scale_defs, targets: Targets, rng: random.Random):
        self.rng = rng
        self.sites = sites
        self.site_names = site_names
        self.G = len(site_names)
        self.N = len(sites)
        self.x = [[None if mask[p, j] else int(values[p, j]) for j in range(values.shape[1])] for p in range(self.N)]
        self.bounds = [d["bounds"] for d in scale_defs]  # per scale, item bounds (lo, hi)
        self.scales = scale_defs
        self.targets = [targets_for(targets, d["measure"], d["subscale"]) for d in scale_defs]
        self.item_scales = {}
        for s, d in enumerate(scale_defs):
            for j in d["items"]:
                self.item_scales.setdefault(j, []).append(s)
        self.people_in = [[p for p in range(self.N) if sites[p] == g] for g in range(self.G)]
        self._init_stats()
        self.corr = []
        for a, b, n, interval in targets.correlations:
            sa = next(s for s, d in enumerate(scale_defs) if d["measure"] == a and d["is_total"])
            sb = next(s for s, d in enumerate(scale_defs) if d["measure"] == b and d["is_total"])
            people = [p for p in range(self.N) if self.score[sa][p] is not None and self.score[sb][p] is not None]
            if len(people) != n:
                raise RuntimeError(f"planned pairwise N for {a}-{b} is {len(people)}, published {n}")
            self.corr.append({"a": sa, "b": sb, "people": people, "interval": interval, "set": set(people)})
        self._init_corr()
        self.terms = {}
        for key in self._all_terms():
            self.terms[key] = self._penalty(key)
        self.loss = sum(self.terms.values())

    # --- statistics ----------------------------------------------------------------------
    def _init_stats(self):
        S = len(self.scales)
        self.psum = [[0] * self.N for _ in range(S)]
        self.avail = [[0] * self.N for _ in range(S)]
        self.score = [[None] * self.N for _ in range(S)]
        self.complete = [[False] * self.N for _ in range(S)]
        self.s1 = [[0.0] * self.G for _ in range(S)]
        self.s2 = [[0.0] * self.G for _ in range(S)]
        self.n = [[0] * self.G for _ in range(S)]
        self.pool = [[0.0] * 5 for _ in range(S)]
        self.a1 = [dict() for _ in range(S)]
        self.a2 = [dict() for _ in range(S)]
        self.t = [[0, 0.0, 0.0] for _ in range(S)]
        for s, d in enumerate(self.scales):
            items = d["items"]
            for j in items:
                self.a1[s][j] = 0.0
                self.a2[s][j] = 0.0
            for p in range(self.N):
                vals = [self.x[p][j] for j in items if self.x[p][j] is not None]
                self.avail[s][p] = len(vals)
                self.psum[s][p] = sum(vals)
                if d["scored_mask"][p]:
                    sc = self._score(s, p)
                    self.score[s][p] = sc
                    g = self.sites[p]
                    self.n[s][g] += 1
                    self.s1[s][g] += sc
                    self.s2[s][g] += sc * sc
                    self._pool_add(s, sc, 1)
                if len(vals) == len(items):
                    self.complete[s][p] = True
                    for j in items:
                        v = self.x[p][j]
                        self.a1[s][j] += v
                        self.a2[s][j] += v * v
                    tot = self.psum[s][p]
                    self.t[s][0] += 1
                    self.t[s][1] += tot
                    self.t[s][2] += tot * tot
        # Running sums behind alpha and F, kept up to date by _apply in O(1).
        self.ivar = [0.0] * S   # sum over items of (sum x^2 - (sum x)^2 / n) among complete cases
        for s, d in enumerate(self.scales):
            n = self.t[s][0]
            self.ivar[s] = sum(self.a2[s][j] - self.a1[s][j] ** 2 / n for j in d["items"]) if n else 0.0
        self.q = [sum(self.s1[s][g] ** 2 / self.n[s][g] for g in range(self.G)) for s in range(S)]
        self.s1_all = [sum(self.s1[s]) for s in range(S)]
        self.s2_all = [sum(self.s2[s]) for s in range(S)]
        self.n_all = [sum(self.n[s]) for s in range(S)]

    def _score(self, s, p):
        d = self.scales[s]
        return self.psum[s][p] / self.avail[s][p] * d["mult"]

    def _pool_add(self, s, v, sign):
        pool = self.pool[s]
        pool[0] += sign
        pool[1] += sign * v
        pool[2] += sign * v * v
        pool[3] += sign * v ** 3
        pool[4] += sign * v ** 4

    def _init_corr(self):
        for c in self.corr:
            xs = [self.score[c["a"]][p] for p in c["people"]]
            ys = [self.score[c["b"]][p] for p in c["people"]]
            c["n"] = len(xs)
            c["sx"], c["sy"] = sum(xs), sum(ys)
            c["sxx"], c["syy"] = sum(v * v for v in xs), sum(v * v for v in ys)
            c["sxy"] = sum(a * b for a, b in zip(xs, ys))

    # --- derived values ------------------------------------------------------------------
    def site_mean(self, s, g):
        return self.s1[s][g] / self.n[s][g]

    def site_sem(self, s, g):
        n = self.n[s][g]
        var = (self.s2[s][g] - self.s1[s][g] ** 2 / n) / (n - 1)
        return math.sqrt(max(var, 0.0) / n)

    def f_value(self, s):
        n_tot = self.n_all[s]
        ssb = self.q[s] - self.s1_all[s] ** 2 / n_tot
        ssw = self.s2_all[s] - self.q[s]
        return (ssb / (self.G - 1)) / (ssw / (n_tot - self.G))

    def alpha(self, s):
        n = self.t[s][0]
        k = len(self.scales[s]["items"])
        tot_var = self.t[s][2] - self.t[s][1] ** 2 / n
        return k / (k - 1) * (1 - self.ivar[s] / tot_var) if tot_var > 0 else 0.0

    def moments(self, s):
        n, s1, s2, s3, s4 = self.pool[s]
        m = s1 / n
        m2 = s2 / n - m * m
        m3 = s3 / n - 3 * m * s2 / n + 2 * m ** 3
        m4 = s4 / n - 4 * m * s3 / n + 6 * m * m * s2 / n - 3 * m ** 4
        if m2 <= 0:
            return 0.0, 0.0
        g1 = m3 / m2 ** 1.5
        g2 = m4 / m2 ** 2 - 3
        skew = math.sqrt(n * (n - 1)) / (n - 2) * g1
        kurt = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)
        return skew, kurt

    def r_value(self, c):
        n = c["n"]
        cov = c["sxy"] - c["sx"] * c["sy"] / n
        vx = c["sxx"] - c["sx"] ** 2 / n
        vy = c["syy"] - c["sy"] ** 2 / n
        return cov / math.sqrt(vx * vy) if vx > 0 and vy > 0 else 0.0

    # --- penalties -----------------------------------------------------------------------
    def _all_terms(self):
        for s, t in enumerate(self.targets):
            for g in range(self.G):
                yield ("mean", s, g)
                yield ("sem", s, g)
            if t.f is not None:
                yield ("F", s)
            yield ("alpha", s)
            yield ("shape", s)
        for c in range(len(self.corr)):
            yield ("r", c)

    @staticmethod
    def _outside(v, lo, hi, width):
        """A fixed cost for being outside ``[lo, hi]`` plus the squared distance in units
        of ``width``; inside, a gentle pull towards the centre so that met targets keep
        room for the moves of others."""
        if v < lo:
            return _OUTSIDE + ((lo - v) / width) ** 2
        if v > hi:
            return _OUTSIDE + ((v - hi) / width) ** 2
        return _PULL * ((2 * v - lo - hi) / (hi - lo)) ** 2 if hi > lo else 0.0

    def _penalty(self, key):
        kind = key[0]
        if kind == "r":
            c = self.corr[key[1]]
            lo, hi = c["interval"]
            return self._outside(self.r_value(c), lo, hi, 0.001)
        s = key[1]
        t = self.targets[s]
        if kind == "mean":
            lo, hi = t.mean[self.site_names[key[2]]]
            return self._outside(self.site_mean(s, key[2]), lo, hi, hi - lo)
        if kind == "sem":
            lo, hi = t.sem[self.site_names[key[2]]]
            return self._outside(self.site_sem(s, key[2]), lo, hi, hi - lo)
        if kind == "F":
            lo, hi = t.f
            return self._outside(self.f_value(s), lo, hi, hi - lo)
        if kind == "alpha":
            lo, hi = t.alpha
            return self._outside(self.alpha(s), lo, hi, hi - lo)
        skew, kurt = self.moments(s)
        return self._outside(skew, *t.skew, 0.05) + self._outside(kurt, *t.kurt, 0.05)

    # --- moves ---------------------------------------------------------------------------
    def _apply(self, p, j, d):
        """Change item ``j`` of person ``p`` by ``d``; return the penalty terms touched."""
        old = self.x[p][j]
        new = old + d
        self.x[p][j] = new
        g = self.sites[p]
        touched = []
        for s in self.item_scales[j]:
            self.psum[s][p] += d
            if self.complete[s][p]:
                n_c = self.t[s][0]
                a1, a2 = self.a1[s][j], self.a2[s][j]
                self.ivar[s] -= a2 - a1 * a1 / n_c
                a1 += d
                a2 += new * new - old * old
                self.a1[s][j], self.a2[s][j] = a1, a2
                self.ivar[s] += a2 - a1 * a1 / n_c
                tot_new = self.psum[s][p]
                tot_old = tot_new - d
                self.t[s][1] += d
                self.t[s][2] += tot_new * tot_new - tot_old * tot_old
                touched.append(("alpha", s))
            if self.score[s][p] is not None:
                sc_old = self.score[s][p]
                sc = self._score(s, p)
                self.score[s][p] = sc
                s1_old = self.s1[s][g]
                s1_new = s1_old + sc - sc_old
                self.s1[s][g] = s1_new
                self.q[s] += (s1_new * s1_new - s1_old * s1_old) / self.n[s][g]
                self.s1_all[s] += sc - sc_old
                self.s2[s][g] += sc * sc - sc_old * sc_old
                self.s2_all[s] += sc * sc - sc_old * sc_old
                self._pool_add(s, sc_old, -1)
                self._pool_add(s, sc, 1)
                touched += [("mean", s, g), ("sem", s, g), ("shape", s)]
                if self.targets[s].f is not None:
                    touched.append(("F", s))
                for ci, c in enumerate(self.corr):
                    if p in c["set"] and s in (c["a"], c["b"]):
                        diff = sc - sc_old
                        if s == c["a"]:
                            c["sx"] += diff
                            c["sxx"] += sc * sc - sc_old * sc_old
                            c["sxy"] += diff * self.score[c["b"]][p]
                        else:
                            c["sy"] += diff
                            c["syy"] += sc * sc - sc_old * sc_old
                            c["sxy"] += diff * self.score[c["a"]][p]
                        touched.append(("r", ci))
        return touched

    def try_moves(self, moves, temperature=0.0):
        """Apply a compound move (list of ``(person, item, +/-1)``) if it lowers the total
        penalty, or with the Metropolis probability at ``temperature``; else undo it."""
        done = []
        touched = {}  # ordered, so that sums run in the same order in every process
        for p, j, d in moves:
            v = self.x[p][j]
            lo, hi = self.item_bounds[j]
            if v is None or not lo <= v + d <= hi:
                break
            touched.update(dict.fromkeys(self._apply(p, j, d)))
            done.append((p, j, d))
        else:
            new = {k: self._penalty(k) for k in touched}
            delta = sum(new[k] - self.terms[k] for k in touched)
            if delta <= 0 or (temperature > 0 and self.rng.random() < math.exp(-delta / temperature)):
                self.terms.update(new)
                self.loss += delta
                return True
        for p, j, d in reversed(done):
            self._apply(p, j, -d)
        return False

    # --- proposals -----------------------------------------------------------------------
    def _item_of(self, s, p):
        items = self.avail_items[s][p]
        return items[int(self.rng.random() * len(items))] if items else None

    def _person_in(self, s, g=None):
        cands = self.scored_in[s][g] if g is not None else self.scored_all[s]
        return cands[int(self.rng.random() * len(cands))] if cands else None

    def _single(self, s, p, d):
        j = self._item_of(s, p) if p is not None else None
        return [(p, j, d)] if j is not None else None

    def _pair(self, s, g, spread):
        """+1 for one person and -1 for another of the same site: the site mean barely
        moves while the spread grows (``spread=True``) or shrinks."""
        p, q = self._person_in(s, g), self._person_in(s, g)
        if p is None or p == q:
            return None
        if self.score[s][p] < self.score[s][q]:
            p, q = q, p
        jp, jq = self._item_of(s, p), self._item_of(s, q)
        if jp is None or jq is None:
            return None
        d = 1 if spread else -1
        return [(p, jp, d), (q, jq, -d)]

    def _within_person(self, s, consistent):
        """Move two items of one person in opposite directions: the person's score is
        unchanged, the items agree more (``consistent=True``) or less."""
        p = self.rng.choice(self.complete_people[s]) if self.complete_people[s] else None
        if p is None:
            return None
        items = self.scales[s]["items"]
        j, k = self.rng.sample(items, 2)
        if self.x[p][j] > self.x[p][k]:
            j, k = k, j
        d = 1 if consistent else -1
        return [(p, j, d), (p, k, -d)]

    def propose(self, key):
        rng = self.rng
        kind, s = key[0], key[1]
        if kind == "r":
            c = self.corr[s]
            lo, hi = c["interval"]
            up = self.r_value(c) < lo
            side, other = (c["a"], c["b"]) if rng.random() < 0.5 else (c["b"], c["a"])
            p, q = rng.choice(c["people"]), rng.choice(c["people"])
            if self._z(other, p) < self._z(other, q):
                p, q = q, p
            jp, jq = self._item_of(side, p), self._item_of(side, q)
            if jp is None or jq is None or p == q:
                return None
            d = 1 if up else -1
            return [(p, jp, d), (q, jq, -d)]
        t = self.targets[s]
        if kind == "mean":
            g = key[2]
            lo, _ = t.mean[self.site_names[g]]
            d = 1 if self.site_mean(s, g) < lo else -1
            if rng.random() < 0.5:
                # +1 for a person with a prorated score and -1 for a complete one (or the
                # reverse): a prorated score moves by more than a complete one, so the pair
                # makes the finest steps a site mean can take.
                partial = self.partial_in[s][g]
                if partial:
                    p = rng.choice(partial)
                    e = rng.choice((-1, 1))
                    moves = [(p, self._item_of(s, p), e)]
                    for _ in range(rng.choice((1, 2))):
                        q = self._person_in(s, g)
                        moves.append((q, self._item_of(s, q), -e))
                    if len({m[0] for m in moves}) == len(moves) and all(m[1] is not None for m in moves):
                        return moves
            move = self._single(s, self._person_in(s, g), d)
            if move is not None and rng.random() < 0.3:
                # Shifting one site's mean moves F too; a spread change elsewhere can offset it.
                other = self._pair(s, rng.randrange(self.G), spread=rng.random() < 0.5)
                if other is not None:
                    move += other
            return move
        if kind == "sem":
            g = key[2]
            lo, _ = t.sem[self.site_names[g]]
            return self._pair(s, g, spread=self.site_sem(s, g) < lo)
        if kind == "F":
            g = rng.randrange(self.G)
            lo, _ = t.f
            grow = self.f_value(s) < lo
            if rng.random() < 0.5:
                grand = sum(self.s1[s]) / sum(self.n[s])
                above = self.site_mean(s, g) > grand
                return self._single(s, self._person_in(s, g), 1 if above == grow else -1)
            return self._pair(s, g, spread=not grow)
        if kind == "alpha":
            lo, _ = t.alpha
            return self._within_person(s, consistent=self.alpha(s) < lo)
        # shape: a pair in a random site, either direction; acceptance decides
        return self._pair(s, rng.randrange(self.G), spread=rng.random() < 0.5)

    def describe(self, key) -> str:
        """Readable name of a penalty term."""
        if key[0] == "r":
            c = self.corr[key[1]]
            return f"correlation {self.scales[c['a']]['measure']}-{self.scales[c['b']]['measure']}"
        d = self.scales[key[1]]
        where = f" at {self.site_names[key[2]]}" if len(key) > 2 else ""
        return f"{d['measure']} {d['subscale']}: {key[0]}{where}"

    def _z(self, s, p):
        n, s1, s2 = self.pool[s][0], self.pool[s][1], self.pool[s][2]
        m = s1 / n
        sd = math.sqrt(max(s2 / n - m * m, 1e-12))
        return (self.score[s][p] - m) / sd

    def run(self, max_steps: int = _MAX_STEPS, log=None) -> int:
        """Search until every target is met; return the number left unmet."""
        S = range(len(self.scales))
        self.complete_people = [[p for p in range(self.N) if self.complete[s][p]] for s in S]
        self.scored_in = [[[p for p in self.people_in[g] if self.score[s][p] is not None] for g in range(self.G)]
                          for s in S]
        self.scored_all = [[p for p in range(self.N) if self.score[s][p] is not None] for s in S]
        self.partial_in = [[[p for p in self.scored_in[s][g] if not self.complete[s][p]] for g in range(self.G)]
                           for s in S]
        self.avail_items = [[[j for j in self.scales[s]["items"] if self.x[p][j] is not None] for p in range(self.N)]
                            for s in S]
        steps = 0
        violated = [k for k, v in self.terms.items() if v >= _OUTSIDE]
        while violated and steps < max_steps:
            if log is not None and steps % 20000 == 0:
                log(steps, self.loss, len(violated))
            # Metropolis temperature in cycles: some noise to leave a local minimum, then none,
            # so that each cycle ends in a greedy descent.
            phase = (steps % _CYCLE) / _CYCLE
            temperature = _T0 * max(0.0, 1 - phase / 0.7)
            for _ in range(200):
                key = self.rng.choice(violated)
                moves = self.propose(key)
                steps += 1
                if moves is not None:
                    self.try_moves(moves, temperature)
            violated = [k for k, v in self.terms.items() if v >= _OUTSIDE]
        return len(violated)


def _latent_values(sites, site_names, scale_defs, insts, targets: Targets, rng: np.random.Generator,
                   item_index) -> np.ndarray:
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


# ------------------------------------------------------------------------------------------
# Covariates and assembly
# ------------------------------------------------------------------------------------------

def _draw(spec: dict, n: int, rng: np.random.Generator):
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


def _covariates(group: str, sites: list[str], assumptions: dict, rng: np.random.Generator) -> pd.DataFrame:
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
        frame["years_as_care_coordinator"] = np.minimum(frame["years_as_care_coordinator"],
                                                        frame["years_in_mental_health"])
    share = float(assumptions.get("covariate_missing_share", 0.0))
    for name in frame.columns:
        frame.loc[rng.random(n) < share, name] = np.nan if frame[name].dtype.kind == "f" else None
    return frame


def _group_frame(group: str, published: Published, instruments: dict[str, Instrument], targets: Targets,
                 assumptions: dict, rng: np.random.Generator, pyrng: random.Random,
                 max_missing: float, progress=None) -> tuple[pd.DataFrame, list[str]]:
    returns = published.site_returns(group)
    site_names = list(returns.index)
    site_list = [s for s in site_names for _ in range(int(returns[s]))]
    sites = np.array([site_names.index(s) for s in site_list])
    insts = [i for i in instruments.values() if group in i.groups]

    total_plan = _total_scored_plan(np.array(site_list), insts, targets, rng)
    item_names, masks, scale_defs, bounds = [], [], [], []
    for inst in insts:
        offset = len(item_names)
        item_names += list(inst.items)
        bounds += [(inst.min, inst.max)] * len(inst.items)
        mask = _plan_missing(np.array(site_list), inst, targets, total_plan[inst.id], rng, max_missing)
        masks.append(mask)
        from .scoring import max_missing_items
        for scale, members in inst.scales.items():
            pos = [offset + inst.items.index(m) for m in members]
            allowed = max_missing_items(len(members), max_missing)
            scored = mask[:, [inst.items.index(m) for m in members]].sum(axis=1) <= allowed
            scale_defs.append({
                "measure": inst.id, "subscale": scale, "items": pos, "is_total": scale == inst.total,
                "mult": len(members) if inst.scoring == "sum" else 1, "bounds": (inst.min, inst.max),
                "scored_mask": scored,
            })
    mask = np.concatenate(masks, axis=1)
    for _attempt in range(_ATTEMPTS):
        # A search that ends in a local minimum starts again from a fresh latent draw
        # (only then is more randomness consumed, so a converging seed is unaffected).
        values = _latent_values(sites, site_names, scale_defs, insts, targets, rng, item_names)
        search = _Search(values, mask, list(sites), site_names, scale_defs, targets, pyrng)
        search.item_bounds = bounds
        search.run(log=progress)
        unmet = [search.describe(k) for k, v in search.terms.items() if v >= _OUTSIDE]
        if not unmet:
            break

    final = np.array([[np.nan if v is None else v for v in row] for row in search.x], dtype=float)
    items = pd.DataFrame(final, columns=item_names)
    # Back to the questionnaire's raw metric: reversed items un-flipped; some gaps are N/A codes.
    for inst in insts:
        if inst.reversed:
            rev = list(inst.reversed)
            items[rev] = inst.min + inst.max - items[rev]
        if inst.missing_codes:
            code = min(inst.missing_codes)
            share = float(assumptions.get("not_applicable_share", {}).get(inst.id, 0.0))
            cols = list(inst.items)
            gaps = items[cols].isna().to_numpy() & (rng.random((len(items), len(cols))) < share)
            items[cols] = items[cols].mask(gaps, code)

    initial = {s: s[0] for s in site_names}
    prefix = "SU" if group == "service_users" else "CC"
    counter = {s: 0 for s in site_names}
    ids = []
    for s in site_list:
        counter[s] += 1
        ids.append(f"{initial[s]}-{prefix}Q-{counter[s]:03d}")
    covs = _covariates(group, site_list, assumptions, rng)
    frame = pd.concat([pd.DataFrame({"participant_id": ids, "site": site_list}), covs, items], axis=1)
    return frame[[*GROUPS[group].required_columns, *item_names]], unmet


def generate(seed: int = 2016, published: Published | None = None,
             instruments: dict[str, Instrument] | None = None, assumptions: dict | None = None,
             max_missing: float = 0.5, progress=None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Generate the synthetic dataset in memory.

    Parameters
    ----------
    seed : int
        Same seed, same data.
    published, instruments, assumptions : optional
        Default to the project's reference tables, instrument files and
        ``data/synthetic_assumptions.yaml``.
    max_missing : float
        Mean-replacement threshold the analysed counts refer to (the article's 0.5).
    progress : callable, optional
        Called as ``progress(steps, loss, n_unmet)`` every 20,000 search steps.

    Returns
    -------
    tables : dict of str to DataFrame
        ``sites``, ``service_users``, ``care_coordinators``.
    unmet : list of str
        Targets the search did not meet (empty when every target is met).
    """
    published = published or load_published()
    instruments = instruments or load_instruments()
    if assumptions is None:
        assumptions = yaml.safe_load(ASSUMPTIONS_FILE.read_text(encoding="utf-8"))
    targets = build_targets(published, instruments)
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    out = {"sites": published.sites.copy()}
    unmet: list[str] = []
    for group in GROUPS:
        out[group], left = _group_frame(group, published, instruments, targets[group], assumptions, rng, pyrng,
                                        max_missing, progress)
        unmet += left
    return out, unmet


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_synthetic(out: str | Path, seed: int = 2016) -> dict:
    """Generate the dataset and write it, with ``manifest.json``, to ``out``.

    Returns
    -------
    dict
        The manifest (``synthetic: true``, seed, generator version, checksums of every
        file including the synthetic qualitative tables, and ``qualitative``: how those
        were made).
    """
    from .dataio import write_dataset

    out = Path(out)
    tables, unmet = generate(seed)
    files = write_dataset(out, tables["sites"], tables["service_users"], tables["care_coordinators"])
    manifest = {
        "synthetic": True,
        "description": "SYNTHETIC data generated to reproduce the published aggregates of the COCAPP study. "
                       "No row is a real participant.",
        "generator": "helpers.synth",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "assumptions": ASSUMPTIONS_FILE.name,
        "unmet_targets": unmet,
        "files": {Path(p).name: {"sha256": _sha256(Path(p)), "rows": int(len(tables[t]))} for t, p in files.items()},
    }
    # --- qualitative strand: interviews, framework and care plans from their own random stream
    # (helpers.synth_qual), so the questionnaire files above are unchanged by it.
    from .synth_qual import write_qualitative

    qualitative = write_qualitative(out, seed)
    manifest["files"].update(qualitative["files"])
    manifest["qualitative"] = qualitative["qualitative"]
    # --- end qualitative strand
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
