"""The rules of the synthesis: positions of a site in each strand, words for a score, judgements.

Every threshold is an argument (the chapters pass the analysis settings), so a judgement
on the page can be traced to the rule and the setting that produced it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "POSITIONS",
    "QUAL_POSITIONS",
    "JUDGEMENTS",
    "collaboration_position",
    "collaboration_words",
    "frequency_word",
    "plan_use_words",
    "judge",
    "judgement_rules",
]

#: A site's survey position on one measure.
POSITIONS = ("higher", "lower", "mixed", "not different", "no data")
#: A site's qualitative position on collaboration.
QUAL_POSITIONS = ("higher", "lower", "similar", "no data")
#: Convergence judgements (after O'Cathain, Murphy and Nicholl's triangulation protocol, BMJ 2010;341:c4587).
JUDGEMENTS = ("agreement", "partial agreement", "dissonance", "silence")
#: Tolerance of the threshold comparisons (a score exactly on a threshold counts as reaching it).
TOLERANCE = 1e-12


def _finite(x) -> bool:
    return x is not None and bool(np.isfinite(x))


def collaboration_position(scores: pd.Series, *, margin: float) -> pd.Series:
    """Each site's collaboration score against the mean of the other sites' scores.

    Rule: ``higher`` when the score exceeds the mean of the other sites' scores by at
    least ``margin``, ``lower`` when it falls short by at least ``margin``, otherwise
    ``similar``; ``no data`` for a site without accounts, and for every site when fewer
    than two sites have a score.

    Parameters
    ----------
    scores : Series
        Collaboration score (-1 to 1) per site, NaN for a site without accounts.
    margin : float
        The setting ``collaboration_margin``.

    Examples
    --------
    >>> s = pd.Series({"a": 0.6, "b": 0.1, "c": 0.2, "d": float("nan")})
    >>> collaboration_position(s, margin=0.25).to_dict()
    {'a': 'higher', 'b': 'lower', 'c': 'similar', 'd': 'no data'}
    """
    out = pd.Series("no data", index=scores.index, dtype=object)
    known = scores.dropna()
    if len(known) < 2:
        return out
    for site, value in known.items():
        diff = value - known.drop(site).mean()
        out[site] = "higher" if diff >= margin - TOLERANCE else "lower" if diff <= -margin + TOLERANCE else "similar"
    return out


def collaboration_words(score: float, *, threshold: float) -> str:
    """How collaborative care planning was described, from the collaboration score.

    Rule: ``mostly collaborative`` at or above ``threshold``, ``mostly professional-led``
    at or below ``-threshold``, ``mixed`` in between; ``no accounts`` for NaN.

    Parameters
    ----------
    score : float
    threshold : float
        The setting ``collaboration_word_threshold``.

    Examples
    --------
    >>> [collaboration_words(s, threshold=1 / 3) for s in (0.5, 0.0, -0.4, float("nan"))]
    ['mostly collaborative', 'mixed', 'mostly professional-led', 'no accounts']
    """
    if not _finite(score):
        return "no accounts"
    if score >= threshold - TOLERANCE:
        return "mostly collaborative"
    if score <= -threshold + TOLERANCE:
        return "mostly professional-led"
    return "mixed"


def frequency_word(share: float, *, thresholds: tuple[float, float]) -> str:
    """``rarely`` below the first threshold, ``sometimes`` below the second, else ``usually``.

    Parameters
    ----------
    share : float
        NaN reads ``no accounts``.
    thresholds : (float, float)
        The setting ``frequency_thresholds``.

    Examples
    --------
    >>> [frequency_word(s, thresholds=(1 / 3, 2 / 3)) for s in (0.1, 0.5, 0.9)]
    ['rarely', 'sometimes', 'usually']
    """
    if not _finite(share):
        return "no accounts"
    low, high = thresholds
    return "rarely" if share < low else "sometimes" if share < high else "usually"


def plan_use_words(record: float, unused: float, *, threshold: float) -> str:
    """How plans were used, from two shares that each count from ``threshold``.

    Parameters
    ----------
    record : float
        Share of staff accounts valuing plans as records.
    unused : float
        Share of accounts (care coordinators, service users, carers) describing plans as
        seldom consulted or unknown.
    threshold : float
        The setting ``plan_use_threshold``.

    Examples
    --------
    >>> [plan_use_words(r, u, threshold=0.5) for r, u in ((0.8, 0.6), (0.8, 0.2), (0.2, 0.7), (0.2, 0.1))]
    ['valued as records, seldom consulted', 'valued as records and in use', 'seldom consulted', 'no dominant view']
    """
    if not (_finite(record) or _finite(unused)):
        return "no accounts"
    rec = _finite(record) and record >= threshold
    un = _finite(unused) and unused >= threshold
    if rec and un:
        return "valued as records, seldom consulted"
    if rec:
        return "valued as records and in use"
    if un:
        return "seldom consulted"
    return "no dominant view"


def judge(survey_position: str, qual_position: str) -> str:
    """The convergence judgement for one site and one survey measure.

    Rules (a site is *set apart* by a strand when its position there is ``higher`` or
    ``lower``; ``mixed`` and ``not different`` survey positions and a ``similar``
    collaboration score do not set it apart):

    - ``silence``: either strand has no data for the site;
    - ``agreement``: both strands set the site apart in the same direction, or neither
      sets it apart;
    - ``dissonance``: both set it apart, in opposite directions;
    - ``partial agreement``: one strand sets the site apart and the other does not.

    Examples
    --------
    >>> judge("higher", "higher"), judge("not different", "similar"), judge("higher", "lower")
    ('agreement', 'agreement', 'dissonance')
    >>> judge("higher", "similar"), judge("mixed", "lower"), judge("no data", "higher")
    ('partial agreement', 'partial agreement', 'silence')
    """
    if survey_position == "no data" or qual_position == "no data":
        return "silence"
    s_apart = survey_position in ("higher", "lower")
    q_apart = qual_position in ("higher", "lower")
    if s_apart and q_apart:
        return "agreement" if survey_position == qual_position else "dissonance"
    if not s_apart and not q_apart:
        return "agreement"
    return "partial agreement"


def judgement_rules() -> pd.DataFrame:
    """Every combination of positions with the judgement :func:`judge` gives (the rule table).

    Returns
    -------
    DataFrame
        ``survey position, interview position, judgement``.
    """
    rows = [
        {"survey position": s, "interview position": q, "judgement": judge(s, q)}
        for s in POSITIONS
        for q in QUAL_POSITIONS
    ]
    return pd.DataFrame(rows)
