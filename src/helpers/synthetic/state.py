"""Item responses of one participant group with running statistics for every target.

The annealed search (:mod:`helpers.synthetic.search`) changes single responses by one
point millions of times; every statistic it aims at (site means and SEMs, F, Cronbach's
alpha, skewness and kurtosis, correlations) is therefore kept as running sums that a
change updates in constant time, and each target contributes a penalty term: a fixed
cost when it is unmet plus a gentle pull towards the centre of its interval when met.
"""

from __future__ import annotations

import math
import random

from scipy import stats

from .targets import DECISION_MARGIN, Targets, targets_for

__all__ = ["OUTSIDE", "ResponseState"]

PULL = 0.01  # weight of the pull towards the centre of a target interval
OUTSIDE = 1.0  # cost of any unmet target, so that meeting one outweighs every pull
F_WIDTH = 0.01  # the unit of an F's distance from its band


class ResponseState:
    """Item responses of one group with running statistics for every target.

    Items of all the group's instruments form one matrix on the scored metric
    (reversed items already flipped); ``None`` marks a missing response.
    """

    def __init__(
        self, values, mask, sites, site_names, scale_defs, targets: Targets, item_bounds, rng: random.Random, alpha
    ):
        self.rng = rng
        self.alpha_level = alpha
        self.item_bounds = item_bounds  # per item, response bounds (lo, hi)
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
        self._init_levels()
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
        self.ivar = [0.0] * S  # sum over items of (sum x^2 - (sum x)^2 / n) among complete cases
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
        pool[3] += sign * v**3
        pool[4] += sign * v**4

    def _init_corr(self):
        for c in self.corr:
            xs = [self.score[c["a"]][p] for p in c["people"]]
            ys = [self.score[c["b"]][p] for p in c["people"]]
            c["n"] = len(xs)
            c["sx"], c["sy"] = sum(xs), sum(ys)
            c["sxx"], c["syy"] = sum(v * v for v in xs), sum(v * v for v in ys)
            c["sxy"] = sum(a * b for a, b in zip(xs, ys))

    def _init_levels(self):
        """Running sums of each scale's scores among the people scored at the stricter
        thresholds of the sensitivity analysis (``scale_defs[s]["levels"]``: one membership
        mask per threshold that scores fewer people), with the band of F that keeps the
        site-effect decision of the published p at that threshold."""
        self.lv = []
        for s, d in enumerate(self.scales):
            levels = []
            significant = self.targets[s].significant
            for mask in d.get("levels", []):
                member = [bool(mask[p]) and self.score[s][p] is not None for p in range(self.N)]
                n = [0] * self.G
                s1, s2 = [0.0] * self.G, [0.0] * self.G
                for p in range(self.N):
                    if member[p]:
                        g, sc = self.sites[p], self.score[s][p]
                        n[g] += 1
                        s1[g] += sc
                        s2[g] += sc * sc
                df2 = sum(n) - self.G
                if df2 <= 0 or min(n) < 2:
                    continue
                level = self.alpha_level
                crit = stats.f.isf(level / DECISION_MARGIN if significant else level * DECISION_MARGIN, self.G - 1, df2)
                band = (float(crit), math.inf) if significant else (0.0, float(crit))
                inside = [[p for p in self.people_in[g] if member[p]] for g in range(self.G)]
                outside = [
                    [p for p in self.people_in[g] if self.score[s][p] is not None and not member[p]]
                    for g in range(self.G)
                ]
                levels.append(
                    {"member": member, "n": n, "s1": s1, "s2": s2, "band": band, "in": inside, "out": outside}
                )
            self.lv.append(levels)

    def level_f(self, s, li):
        lv = self.lv[s][li]
        n_tot = sum(lv["n"])
        q = sum(lv["s1"][g] ** 2 / lv["n"][g] for g in range(self.G))
        ssb = q - sum(lv["s1"]) ** 2 / n_tot
        ssw = sum(lv["s2"]) - q
        return (ssb / (self.G - 1)) / (ssw / (n_tot - self.G)) if ssw > 0 else math.inf

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
        m3 = s3 / n - 3 * m * s2 / n + 2 * m**3
        m4 = s4 / n - 4 * m * s3 / n + 6 * m * m * s2 / n - 3 * m**4
        if m2 <= 0:
            return 0.0, 0.0
        g1 = m3 / m2**1.5
        g2 = m4 / m2**2 - 3
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
            for li in range(len(self.lv[s])):
                yield ("level", s, li)
        for c in range(len(self.corr)):
            yield ("r", c)

    @staticmethod
    def _outside(v, lo, hi, width):
        """A fixed cost for being outside ``[lo, hi]`` plus the squared distance in units
        of ``width``; inside, a gentle pull towards the centre so that met targets keep
        room for the moves of others."""
        if v < lo:
            return OUTSIDE + ((lo - v) / width) ** 2
        if v > hi:
            return OUTSIDE + ((v - hi) / width) ** 2
        return PULL * ((2 * v - lo - hi) / (hi - lo)) ** 2 if hi > lo else 0.0

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
            # An F band can be far narrower than any mean's (it must give the printed p too);
            # its distance is measured on the scale of a printed F's last decimal.
            lo, hi = t.f
            return self._outside(self.f_value(s), lo, hi, max(hi - lo, F_WIDTH))
        if kind == "alpha":
            lo, hi = t.alpha
            return self._outside(self.alpha(s), lo, hi, hi - lo)
        if kind == "level":
            lo, hi = self.lv[s][key[2]]["band"]
            v = self.level_f(s, key[2])
            if lo <= v <= hi:
                return 0.0
            width = 0.1 * (lo if math.isinf(hi) else hi)
            return OUTSIDE + (((lo - v) if v < lo else (v - hi)) / width) ** 2
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
                for li, lv in enumerate(self.lv[s]):
                    if lv["member"][p]:
                        lv["s1"][g] += sc - sc_old
                        lv["s2"][g] += sc * sc - sc_old * sc_old
                        touched.append(("level", s, li))
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

    def retarget(self, targets: Targets) -> None:
        """Aim at ``targets`` from here on (same scales, other intervals)."""
        self.targets = [targets_for(targets, d["measure"], d["subscale"]) for d in self.scales]
        for c, (_a, _b, _n, interval) in zip(self.corr, targets.correlations):
            c["interval"] = interval
        self.terms = {key: self._penalty(key) for key in self._all_terms()}
        self.loss = sum(self.terms.values())

    def describe(self, key) -> str:
        """Readable name of a penalty term."""
        if key[0] == "r":
            c = self.corr[key[1]]
            return f"correlation {self.scales[c['a']]['measure']}-{self.scales[c['b']]['measure']}"
        d = self.scales[key[1]]
        if key[0] == "level":
            return f"{d['measure']} {d['subscale']}: site-effect decision at sensitivity threshold {key[2] + 1}"
        where = f" at {self.site_names[key[2]]}" if len(key) > 2 else ""
        return f"{d['measure']} {d['subscale']}: {key[0]}{where}"

    def unmet(self) -> list[str]:
        """Readable names of the targets not met."""
        return [self.describe(k) for k, v in self.terms.items() if v >= OUTSIDE]
