"""The synthesis in words: the joint display and the meta-inference as tables for the page.

Each function takes a result of :mod:`helpers.synthesis` and lays it out in words, with
the numbers formatted by :mod:`helpers.report.format`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from helpers.synthesis import MEASURE_NAMES

from .format import fmt_ci, fmt_num, fmt_p, fmt_pct

__all__ = [
    "fraction_text",
    "signed",
    "joint_display_table",
    "survey_says",
    "interviews_say",
    "meta_inference_table",
]


def fraction_text(x: float) -> str:
    """A rule threshold for prose: thirds and quarters as fractions, one half in words, else two decimals.

    Examples
    --------
    >>> fraction_text(1 / 3), fraction_text(0.5), fraction_text(0.75), fraction_text(0.4)
    ('1/3', 'one half', '3/4', '0.40')
    """
    f = Fraction(x).limit_denominator(12)
    if abs(float(f) - x) < 1e-9 and f.denominator in (2, 3, 4):
        return "one half" if f == Fraction(1, 2) else f"{f.numerator}/{f.denominator}"
    return fmt_num(x, 2)


def signed(x: float, decimals: int = 2) -> str:
    """A difference or balance with its sign: ``+0.25``, ``-0.10``.

    Examples
    --------
    >>> signed(0.25), signed(-0.1), signed(2.1789, 2)
    ('+0.25', '-0.10', '+2.18')
    """
    return f"{float(x):+.{decimals}f}"


# --------------------------------------------------------------------------- the joint display


def joint_display_table(joint: pd.DataFrame, measures: Sequence[str] = MEASURE_NAMES) -> pd.DataFrame:
    """:func:`helpers.synthesis.joint_display` in words for the page, one row per site.

    Survey cells give the mean, its confidence interval and, when the site differs
    significantly, the sites it lies above or below; the interview cells give the
    collaboration words, score, accounts and position, risk discussion (share of
    service-user and carer accounts; plans whose risk assessment was shared) and plan use;
    the last column gives the judgement on each measure in the order of ``measures``.
    """
    out = pd.DataFrame({"site": joint["site"], "country": joint["country"]})
    for m in measures:
        if f"{m}_mean" not in joint:
            continue
        cells = []
        for mean, lo, hi, vs in zip(
            joint[f"{m}_mean"], joint[f"{m}_ci_low"], joint[f"{m}_ci_high"], joint[f"{m}_versus"]
        ):
            if not np.isfinite(mean):
                cells.append("no data")
                continue
            extra = "" if vs in ("no significant difference", "no data") else f"; {vs}"
            cells.append(f"{fmt_num(mean)} {fmt_ci(lo, hi)}{extra}")
        out[m] = cells
    out["care planning described as"] = [
        "no accounts" if not n else f"{w} ({signed(s)}, n = {n}); {p}"
        for w, s, n, p in zip(
            joint["collab_words"], joint["collaboration"], joint["collab_n"], joint["collab_position"]
        )
    ]
    out["risk discussed with service users"] = [
        "no accounts" if not n else f"{w}: {fmt_pct(s, 0)} of {n} accounts; plans {k}/{m} shared"
        for w, s, n, k, m in zip(
            joint["risk_words"], joint["risk_share"], joint["risk_n"], joint["plans_risk_shared"], joint["plans_n"]
        )
    ]
    out["how plans were used"] = joint["plan_use"]
    present = [m for m in measures if f"{m}_judgement" in joint]
    out[f"judgement ({' / '.join(present)})"] = [
        " / ".join(joint.loc[i, f"{m}_judgement"] for m in present) for i in joint.index
    ]
    return out


# --------------------------------------------------------------------------- the countries


def survey_says(row) -> str:
    """What the survey strand says about one domain (a row of :func:`helpers.synthesis.country_meta_inference`)."""
    if row["survey_status"] == "no survey measure":
        return "no survey measure"
    if not row["survey_testable"]:
        return "not testable" + (f" ({row['survey_note']})" if row["survey_note"] else "")
    diff, p = row["survey_diff"], row["survey_p"]
    if row["survey_significant"]:
        return f"{row['survey_higher']} higher by {fmt_num(abs(diff))} on average of site means ({fmt_p(p)})"
    return f"no significant difference ({row['country_2']} − {row['country_1']} = {signed(diff)}, {fmt_p(p)})"


def interviews_say(contrasts: pd.DataFrame) -> str:
    """What the interview strand says about one domain (its rows of :func:`helpers.synthesis.country_contrasts`)."""
    said = []
    for _, g in contrasts.groupby("indicator", sort=False):
        first = g.iloc[0]
        shown = g[np.isfinite(g["site_mean"].astype(float))]
        means = "; ".join(
            f"{r.country} {fmt_pct(r.site_mean, 0) if r.kind == 'share' else signed(r.site_mean)}"
            for r in shown.itertuples()
        )
        if not means:
            said.append(f"{first['label']}: no accounts")
        elif first["contrast"]:
            said.append(f"{first['label']}: higher in every site of {first['higher']} ({means})")
        else:
            said.append(f"{first['label']}: no country contrast ({means})")
    return "; ".join(said)


def meta_inference_table(meta: pd.DataFrame, contrasts: pd.DataFrame) -> pd.DataFrame:
    """The meta-inference with what each strand says in words, one row per domain.

    Parameters
    ----------
    meta : DataFrame
        :func:`helpers.synthesis.country_meta_inference`.
    contrasts : DataFrame
        :func:`helpers.synthesis.country_contrasts` (same domains).

    Returns
    -------
    DataFrame
        ``domain, label, survey_measure, survey_diff, survey_p, survey_testable, survey_says,
        interviews_say, any_contrast, jointly``.
    """
    out = meta[["domain", "label", "survey_measure", "survey_diff", "survey_p", "survey_testable"]].copy()
    out["survey_says"] = [survey_says(r) for _, r in meta.iterrows()]
    out["interviews_say"] = [interviews_say(contrasts[contrasts["domain"] == d]) for d in meta["domain"]]
    out["any_contrast"] = meta["any_contrast"]
    out["jointly"] = meta["jointly"]
    return out
