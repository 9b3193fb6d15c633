"""The joint display: both strands side by side for each site, with a convergence judgement."""

from __future__ import annotations

import pandas as pd

from .rules import judge

__all__ = ["joint_display"]


def _versus(survey: pd.DataFrame, site: str) -> str:
    """The sites ``site`` lies significantly above or below, as ``above X, Y; below Z``."""
    if site not in survey.index:
        return "no data"
    parts = []
    if survey.at[site, "higher_than"]:
        parts.append(f"above {survey.at[site, 'higher_than']}")
    if survey.at[site, "lower_than"]:
        parts.append(f"below {survey.at[site, 'lower_than']}")
    if parts:
        return "; ".join(parts)
    return "no data" if survey.at[site, "n"] == 0 else "no significant difference"


def joint_display(survey: pd.DataFrame, qual: pd.DataFrame) -> pd.DataFrame:
    """One row per site: survey results per measure beside the qualitative summary, with judgements.

    Parameters
    ----------
    survey : DataFrame
        :func:`helpers.synthesis.survey_by_site`.
    qual : DataFrame
        :func:`helpers.synthesis.qualitative_by_site`.

    Returns
    -------
    DataFrame
        The columns of ``qual`` and, per survey measure ``M``: ``M_mean, M_ci_low,
        M_ci_high, M_position, M_versus`` (the sites it differs from significantly:
        ``above X; below Y``, ``no significant difference`` or ``no data``) and
        ``M_judgement`` (:func:`helpers.synthesis.judge` of the survey position and
        ``collab_position``).
    """
    out = qual.copy()
    for measure, g in survey.groupby("measure", sort=False):
        g = g.set_index("site")
        out[f"{measure}_mean"] = out["site"].map(g["mean"])
        out[f"{measure}_ci_low"] = out["site"].map(g["ci_low"])
        out[f"{measure}_ci_high"] = out["site"].map(g["ci_high"])
        out[f"{measure}_position"] = out["site"].map(g["position"]).fillna("no data")
        out[f"{measure}_versus"] = [_versus(g, site) for site in out["site"]]
        out[f"{measure}_judgement"] = [judge(s, q) for s, q in zip(out[f"{measure}_position"], out["collab_position"])]
    return out
