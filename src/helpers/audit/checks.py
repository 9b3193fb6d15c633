"""An audit of the article's own statistics, in the manner of statcheck.

Three checks, each honouring the rounding of the printed values:

* p from each printed F and its degrees of freedom, and from each printed r and N;
* each ANOVA F recomputed from the printed site means and SEMs with the per-site
  Ns this project assumes (:func:`helpers.io.analysed_site_ns`);
* SEMs that imply a standard deviation larger than any possible on the scale.

The synthetic-data generator reads these results: an impossible SEM is targeted at
its decimal-slip correction, and an F that cannot follow from its own row is not
targeted. One rule, applied the same way here and there.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import optimize, stats

from helpers.io import OUTCOME, Instrument, Published, analysed_site_ns, printed_decimals, rounding_interval

__all__ = [
    "max_possible_sd",
    "f_from_summary",
    "f_interval",
    "p_interval_from_f",
    "p_interval_from_r",
    "classify_p",
    "audit_sems",
    "audit_f_from_means",
    "statcheck",
]

#: Decimals the article prints its site SEMs and means with.
SEM_DECIMALS = 2
MEAN_DECIMALS = 2


def max_possible_sd(lo: float, hi: float, n: int) -> float:
    """Largest sample SD (n - 1 denominator) of ``n`` values bounded by ``[lo, hi]``.

    Half the values at each bound give the population SD ``(hi - lo) / 2``.

    Examples
    --------
    >>> round(max_possible_sd(1, 5, 2), 4)   # values 1 and 5
    2.8284
    """
    return float((hi - lo) / 2 * np.sqrt(n / (n - 1)))


def f_from_summary(means, sems, ns) -> float:
    """One-way ANOVA F from group means, standard errors and sizes.

    Examples
    --------
    >>> from scipy.stats import f_oneway
    >>> a, b = np.array([1., 2, 3, 4]), np.array([3., 4, 5, 7])
    >>> sem = lambda x: x.std(ddof=1) / np.sqrt(len(x))
    >>> bool(np.isclose(f_from_summary([a.mean(), b.mean()], [sem(a), sem(b)], [4, 4]), f_oneway(a, b).statistic))
    True
    """
    means, sems, ns = (np.asarray(v, dtype=float) for v in (means, sems, ns))
    k, n = len(ns), ns.sum()
    grand = (ns * means).sum() / n
    between = (ns * (means - grand) ** 2).sum() / (k - 1)
    within = ((ns - 1) * sems**2 * ns).sum() / (n - k)
    return float(between / within)


def f_interval(means, sems, ns, mean_half: float = 0.005, sem_half: float = 0.005) -> tuple[float, float]:
    """Smallest and largest F compatible with means and SEMs known to ``+/- half``.

    The between-group sum of squares is convex in the means: its maximum over the
    box of possible means lies at a vertex, its minimum is the weighted squared
    distance of the intervals from their best common value. The within-group sum
    of squares increases with every SEM.

    Examples
    --------
    >>> lo, hi = f_interval([3.1, 3.4, 3.6], [0.1, 0.1, 0.1], [20, 20, 20])
    >>> bool(lo < f_from_summary([3.1, 3.4, 3.6], [0.1, 0.1, 0.1], [20, 20, 20]) < hi)
    True
    """
    means, sems, ns = (np.asarray(v, dtype=float) for v in (means, sems, ns))
    k, n = len(ns), ns.sum()
    lo, hi = means - mean_half, means + mean_half

    def ssb(m):
        return float((ns * (m - (ns * m).sum() / n) ** 2).sum())

    ss_max = max(ssb(np.array(v)) for v in itertools.product(*zip(lo, hi)))

    def gap(c):
        return float((ns * (np.maximum(lo - c, 0) + np.maximum(c - hi, 0)) ** 2).sum())

    ss_min = optimize.minimize_scalar(gap, bounds=(lo.min(), hi.max()), method="bounded", options={"xatol": 1e-10}).fun

    def ssw(s):
        return float(((ns - 1) * ns * s**2).sum())

    w_lo, w_hi = ssw(np.maximum(sems - sem_half, 0)), ssw(sems + sem_half)
    return (ss_min / (k - 1)) / (w_hi / (n - k)), (ss_max / (k - 1)) / (w_lo / (n - k))


def p_interval_from_f(f_lo: float, f_hi: float, df1: int, df2: int) -> tuple[float, float]:
    """Range of p for F anywhere in ``[f_lo, f_hi]``.

    Examples
    --------
    >>> lo, hi = p_interval_from_f(3.445, 3.455, 5, 429)
    >>> bool(lo < hi), round(hi, 4)
    (True, 0.0046)
    """
    return float(stats.f.sf(f_hi, df1, df2)), float(stats.f.sf(f_lo, df1, df2))


def p_interval_from_r(r_lo: float, r_hi: float, n: int) -> tuple[float, float]:
    """Range of the two-sided p of Pearson's r for r anywhere in ``[r_lo, r_hi]``.

    Examples
    --------
    >>> p_interval_from_r(-0.05, 0.05, 30)[1]   # the interval holds r = 0
    1.0
    """

    def p(r):
        t = abs(r) * np.sqrt((n - 2) / (1 - r**2))
        return float(2 * stats.t.sf(t, n - 2))

    ends = (p(r_lo), p(r_hi))
    if r_lo <= 0 <= r_hi:
        return min(ends), 1.0
    return min(ends), max(ends)


def classify_p(printed: float, decimals: int, computed: tuple[float, float], *, alpha: float) -> str:
    """statcheck's classes: ``consistent``, ``inconsistent`` or ``decision inconsistency``.

    ``printed`` is p as printed with ``decimals`` decimals (``0.000`` means p < 0.0005);
    ``computed`` is the range of p that the printed test statistic allows; ``alpha`` is
    the significance level that decides a decision inconsistency.

    Examples
    --------
    >>> classify_p(0.005, 3, (0.0043, 0.0047), alpha=0.05)
    'consistent'
    >>> classify_p(0.03, 2, (0.061, 0.065), alpha=0.05)
    'decision inconsistency'
    """
    p_lo, p_hi = rounding_interval(printed, decimals)
    p_lo = max(p_lo, 0.0)
    if p_lo <= computed[1] and computed[0] <= p_hi:
        return "consistent"
    printed_significant = printed < alpha
    computed_significant = computed[1] < alpha
    computed_not = computed[0] >= alpha
    if (printed_significant and computed_not) or (not printed_significant and computed_significant):
        return "decision inconsistency"
    return "inconsistent"


def audit_sems(published: Published, instruments: dict[str, Instrument]) -> pd.DataFrame:
    """Flag printed SEMs whose implied SD exceeds the largest SD possible on the scale.

    A flagged SEM is given a plausible value by a decimal-slip rule: divided by ten
    until the SD it implies is possible. That value is only a target for the
    synthetic data; the printed value is never changed.

    Returns
    -------
    DataFrame
        One row per site mean: ``group, measure, subscale, site, n, sem_printed,
        implied_sd, max_sd, possible, sem_target, note``.
    """
    ns = analysed_site_ns(published)
    frame = published.site_means.merge(ns, on=[*OUTCOME, "site"], how="left", validate="one_to_one")
    rows = []
    for rec in frame.itertuples(index=False):
        inst = instruments[rec.measure]
        lo, hi = inst.score_range[rec.subscale]
        max_sd = max_possible_sd(lo, hi, rec.n)
        sem_min = rec.sem_as_printed - 0.5 * 10**-SEM_DECIMALS
        implied_sd = rec.sem_as_printed * np.sqrt(rec.n)
        possible = bool(sem_min * np.sqrt(rec.n) <= max_sd)
        target, note = rec.sem_as_printed, ""
        while target * np.sqrt(rec.n) > max_sd:
            target = round(target / 10, 6)
        if not possible:
            note = (
                f"SEM {rec.sem_as_printed_text} implies SD {implied_sd:.2f} with n = {rec.n}; "
                f"the largest SD possible on {lo:g}-{hi:g} is {max_sd:.2f}. "
                f"A slipped decimal ({target:g}) is the plausible value."
            )
        rows.append(
            (
                rec.group,
                rec.measure,
                rec.subscale,
                rec.site,
                rec.n,
                rec.sem_as_printed,
                implied_sd,
                max_sd,
                possible,
                target,
                note,
            )
        )
    columns = [*OUTCOME, "site", "n", "sem_printed", "implied_sd", "max_sd", "possible", "sem_target", "note"]
    return pd.DataFrame(rows, columns=columns)


def audit_f_from_means(published: Published, instruments: dict[str, Instrument]) -> pd.DataFrame:
    """Recompute each ANOVA F from its row's printed means and SEMs.

    Impossible SEMs are replaced by their plausible value (:func:`audit_sems`)
    before the check. A row is consistent when the printed F, within its rounding,
    lies in the range of F that the rounded means and SEMs allow.

    Returns
    -------
    DataFrame
        One row per outcome: ``group, measure, subscale, F_printed, F_recomputed,
        F_min, F_max, consistent, note``.
    """
    sems = audit_sems(published, instruments)
    frame = published.site_means.merge(sems[[*OUTCOME, "site", "n", "sem_target"]], on=[*OUTCOME, "site"])
    rows = []
    for rec in published.anova.itertuples(index=False):
        sel = frame[(frame.group == rec.group) & (frame.measure == rec.measure) & (frame.subscale == rec.subscale)]
        args = (sel["mean"].to_numpy(), sel["sem_target"].to_numpy(), sel["n"].to_numpy())
        point = f_from_summary(*args)
        f_min, f_max = f_interval(*args, mean_half=0.5 * 10**-MEAN_DECIMALS, sem_half=0.5 * 10**-SEM_DECIMALS)
        f_lo, f_hi = rounding_interval(rec.F, printed_decimals(rec.F_text, minimum=2))
        consistent = bool(f_lo <= f_max and f_min <= f_hi)
        note = (
            ""
            if consistent
            else (
                f"printed F = {rec.F_text} lies outside {f_min:.2f}-{f_max:.2f}, the range its own rounded means "
                f"and SEMs allow with the assumed site Ns"
            )
        )
        rows.append((rec.group, rec.measure, rec.subscale, rec.F, point, f_min, f_max, consistent, note))
    return pd.DataFrame(rows, columns=[*OUTCOME, "F_printed", "F_recomputed", "F_min", "F_max", "consistent", "note"])


def statcheck(published: Published, *, alpha: float) -> pd.DataFrame:
    """Recompute p from every printed F (with its df) and every printed r (with its N).

    Parameters
    ----------
    published : Published
    alpha : float
        Significance level that separates a decision inconsistency from a plain one.

    Returns
    -------
    DataFrame
        ``source, group, outcome, statistic, printed, p_printed, p_min, p_max, status``
        with status ``consistent``, ``inconsistent`` or ``decision inconsistency``.
    """
    rows = []
    for rec in published.anova.itertuples(index=False):
        f_decimals = printed_decimals(rec.F_text, minimum=2)
        f_lo, f_hi = rounding_interval(rec.F, f_decimals)
        p_range = p_interval_from_f(f_lo, f_hi, rec.df_between, rec.df_within)
        p_decimals = printed_decimals(rec.p_as_printed_text, minimum=3)
        status = classify_p(rec.p_as_printed, p_decimals, p_range, alpha=alpha)
        statistic = f"F({rec.df_between}, {rec.df_within}) = {rec.F:.{f_decimals}f}"
        outcome = f"{rec.measure} {rec.subscale}"
        rows.append(("anova", rec.group, outcome, statistic, rec.F, rec.p_as_printed, *p_range, status))
    for rec in published.correlations.itertuples(index=False):
        r_lo, r_hi = rounding_interval(rec.r, printed_decimals(rec.r_text, minimum=2))
        p_range = p_interval_from_r(r_lo, r_hi, rec.n)
        p_decimals = printed_decimals(rec.p_as_printed_text, minimum=3)
        status = classify_p(rec.p_as_printed, p_decimals, p_range, alpha=alpha)
        outcome = f"{rec.measure_a} and {rec.measure_b}"
        statistic = f"r({rec.n - 2}) = {rec.r_text}"
        rows.append(("correlations", rec.group, outcome, statistic, rec.r, rec.p_as_printed, *p_range, status))
    columns = ["source", "group", "outcome", "statistic", "printed", "p_printed", "p_min", "p_max", "status"]
    return pd.DataFrame(rows, columns=columns)
