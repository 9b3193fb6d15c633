"""Which answers the synthetic questionnaires leave blank.

For every participant and instrument, the number of missing items in each block of
items (items that belong to the same scales) is chosen by a local search so that each
outcome has exactly the published number of complete cases and, per site, the planned
number of participants scored after mean replacement (:func:`helpers.io.analysed_site_ns`).
For service users the three totals are missing together so that the pairwise Ns of the
published correlations come out exactly (:func:`total_scored_plan`).
"""

from __future__ import annotations

import math
import random

import numpy as np

from helpers.io import Instrument
from helpers.stats import max_missing_items

from .targets import Targets, targets_for

__all__ = ["total_scored_plan", "plan_missing"]


def _blocks(instrument: Instrument) -> list[tuple[tuple[str, ...], list[int]]]:
    """Items grouped by the set of scales they belong to: (scales, item positions)."""
    signature: dict[tuple[str, ...], list[int]] = {}
    for pos, item in enumerate(instrument.items):
        scales = tuple(s for s, members in instrument.scales.items() if item in members)
        signature.setdefault(scales, []).append(pos)
    return list(signature.items())


def total_scored_plan(
    sites: np.ndarray, instruments: list[Instrument], targets: Targets, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Who is scored on each instrument's total, meeting per-site counts and pairwise Ns."""
    site_names = list(dict.fromkeys(sites))
    need = {
        inst.id: {s: targets_for(targets, inst.id, inst.total).site_n[s] for s in site_names} for inst in instruments
    }
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
        loss = sum(
            abs(int((scored[a] & scored[b]).sum()) - n) for (a, b), n in ((tuple(k), v) for k, v in pair_n.items())
        )
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


def _draw_where(candidates, wanted, prng: random.Random, tries: int = 200):
    """A random element of ``candidates`` for which ``wanted`` holds, or None."""
    candidates = candidates if isinstance(candidates, (list, range)) else list(candidates)
    for _ in range(tries):
        c = candidates[prng.randrange(len(candidates))]
        if wanted(c):
            return int(c)
    return None


def plan_missing(
    sites: np.ndarray,
    inst: Instrument,
    targets: Targets,
    total_scored: np.ndarray,
    rng: np.random.Generator,
    max_missing: float,
) -> np.ndarray:
    """Boolean missing mask (participants x items) meeting the complete and scored counts."""
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
            if gap_scored > 0:  # too many scored: push this person over the limit
                return p, b, sizes[b]
            return p, b, prng.randint(0, counts[p, b]) if counts[p, b] else None
        p = _draw_where(range(n_people), lambda p: state[p][s][0] == (gap_complete > 0), prng)
        if p is None:
            return None
        if gap_complete > 0:  # too many complete: one item missing
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
        if gap < 0:  # p: missing only in block b becomes complete; r, incomplete anyway, takes one gap in b
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
        detail = {
            s: (
                complete[s] - tgt[s].n_complete,
                [int(scored[s][k]) - tgt[s].site_n[site_names[k]] for k in range(len(site_names))],
            )
            for s in scales
        }
        raise RuntimeError(f"missingness plan for {inst.id} ({targets.group}) did not converge (loss {loss}): {detail}")

    mask = np.zeros((n_people, len(inst.items)), dtype=bool)
    for b, (_, positions) in enumerate(blocks):
        for p in np.flatnonzero(counts[:, b]):
            mask[p, rng.choice(positions, size=counts[p, b], replace=False)] = True
    return mask
