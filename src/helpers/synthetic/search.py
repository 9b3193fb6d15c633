"""The discrete search that moves item responses until every published target is met.

In the spirit of SPRITE (Heathers et al. 2018, PeerJ Preprints 6:e26968v1), single item
responses are moved up or down by one point while the moves bring the data closer to
every published target at once. Each proposal is aimed at one unmet target (a site mean
below its interval proposes raising a response at that site, an alpha too low proposes
two items of one person moving together, ...); it is accepted when the total penalty
falls, or with the Metropolis probability at a temperature that is annealed in cycles.
"""

from __future__ import annotations

import math

from .state import OUTSIDE, ResponseState

__all__ = ["AnnealedSearch"]

# At most this many proposals per group, annealed in cycles that start at temperature T0
# (in units of one unmet target) and end in a greedy descent.
MAX_STEPS = 3_000_000
CYCLE = 400_000
T0 = 0.3


class AnnealedSearch(ResponseState):
    """Proposals aimed at unmet targets and the annealed acceptance loop."""

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
        if kind == "level":
            return self._level_move(s, key[2])
        # shape: a pair in a random site, either direction; acceptance decides
        return self._pair(s, rng.randrange(self.G), spread=rng.random() < 0.5)

    def _level_move(self, s, li):
        """Move one person scored at a stricter threshold away from (or towards) that
        level's grand mean, and a person of the same site scored only at the primary
        threshold the other way, so that the site's primary mean barely moves."""
        lv = self.lv[s][li]
        g = self.rng.randrange(self.G)
        if not lv["in"][g]:
            return None
        grow = self.level_f(s, li) < lv["band"][0]
        grand = sum(lv["s1"]) / sum(lv["n"])
        above = lv["s1"][g] / lv["n"][g] > grand
        d = 1 if above == grow else -1
        p = self.rng.choice(lv["in"][g])
        moves = self._single(s, p, d)
        if moves is not None and lv["out"][g] and self.rng.random() < 0.7:
            q = self.rng.choice(lv["out"][g])
            jq = self._item_of(s, q)
            if jq is not None:
                moves.append((q, jq, -d))
        return moves

    def _z(self, s, p):
        n, s1, s2 = self.pool[s][0], self.pool[s][1], self.pool[s][2]
        m = s1 / n
        sd = math.sqrt(max(s2 / n - m * m, 1e-12))
        return (self.score[s][p] - m) / sd

    def run(self, max_steps: int = MAX_STEPS, log=None) -> int:
        """Search until every target is met; return the number left unmet."""
        S = range(len(self.scales))
        self.complete_people = [[p for p in range(self.N) if self.complete[s][p]] for s in S]
        self.scored_in = [
            [[p for p in self.people_in[g] if self.score[s][p] is not None] for g in range(self.G)] for s in S
        ]
        self.scored_all = [[p for p in range(self.N) if self.score[s][p] is not None] for s in S]
        self.partial_in = [
            [[p for p in self.scored_in[s][g] if not self.complete[s][p]] for g in range(self.G)] for s in S
        ]
        self.avail_items = [
            [[j for j in self.scales[s]["items"] if self.x[p][j] is not None] for p in range(self.N)] for s in S
        ]
        steps = 0
        violated = [k for k, v in self.terms.items() if v >= OUTSIDE]
        while violated and steps < max_steps:
            if log is not None and steps % 20000 == 0:
                log(steps, self.loss, len(violated))
            # Metropolis temperature in cycles: some noise to leave a local minimum, then none,
            # so that each cycle ends in a greedy descent.
            phase = (steps % CYCLE) / CYCLE
            temperature = T0 * max(0.0, 1 - phase / 0.7)
            for _ in range(200):
                key = self.rng.choice(violated)
                moves = self.propose(key)
                steps += 1
                if moves is not None:
                    self.try_moves(moves, temperature)
            violated = [k for k, v in self.terms.items() if v >= OUTSIDE]
        return len(violated)
