"""Outcome-level analyses of a whole dataset, one tidy table each.

An *outcome* is one scale of one instrument in one participant group, identified
by ``group, measure, subscale`` (the article's 22: 16 for service users, 6 for
care coordinators). These functions loop over outcomes and call the statistics
in :mod:`helpers.quality` and :mod:`helpers.inference`; notebooks and the
reproduction audit both use them, so the book and the audit cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .contract import GROUPS
from .dataio import Dataset
from .inference import ancova, oneway_anova, pearson_table, sensitivity_analysis, summary_by_group, tukey_hsd
from .instruments import Instrument
from .quality import cronbach_alpha_table, missing_table, normality_table
from .scoring import score_long

__all__ = [
    "OUTCOME",
    "outcome_scores",
    "site_summaries",
    "anova_by_outcome",
    "ancova_by_outcome",
    "tukey_by_outcome",
    "alpha_by_outcome",
    "missing_by_outcome",
    "normality_by_outcome",
    "total_correlations",
    "sensitivity_by_outcome",
    "wide_totals",
]

OUTCOME = ["group", "measure", "subscale"]


def _groups_and_instruments(instruments: dict[str, Instrument]):
    for group in GROUPS:
        insts = [i for i in instruments.values() if group in i.groups]
        if insts:
            yield group, insts


def outcome_scores(dataset: Dataset, instruments: dict[str, Instrument], max_missing: float = 0.5) -> pd.DataFrame:
    """Scores of every outcome for every participant, in long form.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, participant_id, site, score`` (NaN where more than
        ``max_missing`` of the scale's items are missing), outcomes in instrument order.
    """
    frames = [score_long(dataset.group(g), insts, g, max_missing) for g, insts in _groups_and_instruments(instruments)]
    return pd.concat(frames, ignore_index=True)


def _by_outcome(scores: pd.DataFrame, func, **kwargs) -> pd.DataFrame:
    rows = []
    for key, frame in scores.groupby(OUTCOME, sort=False):
        res = func(frame.dropna(subset=["score"]), **kwargs)
        rows.append(res.assign(**dict(zip(OUTCOME, key))))
    out = pd.concat(rows, ignore_index=True)
    return out[[*OUTCOME, *[c for c in out.columns if c not in OUTCOME]]]


def site_summaries(scores: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per outcome and site: ``n, mean, sd, sem, ci_low, ci_high``."""
    return _by_outcome(scores, lambda f: summary_by_group(f, "score", "site", confidence))


def anova_by_outcome(scores: pd.DataFrame) -> pd.DataFrame:
    """One-way ANOVA across sites per outcome: ``n, k, df_between, df_within, F, p, eta_squared``."""
    return _by_outcome(scores, lambda f: oneway_anova(f, "score", "site"))


def ancova_by_outcome(scores: pd.DataFrame, dataset: Dataset, covariates: dict[str, Sequence[str]] | None = None
                      ) -> pd.DataFrame:
    """Site effect per outcome adjusted for covariates (Type II ANCOVA).

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores`.
    dataset : Dataset
        Supplies the covariates.
    covariates : dict of group to list of str, optional
        Defaults to each group's covariates in the data contract. Text covariates
        enter as categorical factors.

    Returns
    -------
    DataFrame
        One row per outcome for the site effect: ``n, df, df_resid, F, p,
        partial_eta_squared``, plus ``covariates`` (comma-separated).
    """
    rows = []
    for key, frame in scores.groupby(OUTCOME, sort=False):
        group = key[0]
        covs = list(covariates[group]) if covariates and group in covariates else list(GROUPS[group].covariates)
        people = dataset.group(group)[["participant_id", *covs]]
        merged = frame.dropna(subset=["score"]).merge(people, on="participant_id", how="left")
        categorical = [c for c in covs if not pd.api.types.is_numeric_dtype(merged[c])]
        res = ancova(merged, "score", "site", covs, categorical=categorical)
        site = res[res["source"] == "site"].iloc[0]
        rows.append({**dict(zip(OUTCOME, key)), "n": int(site["n"]), "df": int(site["df"]),
                     "df_resid": int(site["df_resid"]), "F": float(site["F"]), "p": float(site["p"]),
                     "partial_eta_squared": float(site["partial_eta_squared"]), "covariates": ", ".join(covs)})
    return pd.DataFrame(rows)


def tukey_by_outcome(scores: pd.DataFrame, reference: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Tukey HSD comparisons of sites per outcome (only against ``reference`` if given)."""
    return _by_outcome(scores, lambda f: tukey_hsd(f, "score", "site", reference=reference, alpha=alpha))


def alpha_by_outcome(dataset: Dataset, instruments: dict[str, Instrument]) -> pd.DataFrame:
    """Cronbach's alpha on complete cases of every outcome: ``n_items, n_complete, alpha, ci_low, ci_high``."""
    frames = [cronbach_alpha_table(dataset.group(g), inst).assign(group=g)
              for g, insts in _groups_and_instruments(instruments) for inst in insts]
    out = pd.concat(frames, ignore_index=True)
    return out[[*OUTCOME, *[c for c in out.columns if c not in OUTCOME]]]


def missing_by_outcome(dataset: Dataset, instruments: dict[str, Instrument], max_missing: float = 0.5) -> pd.DataFrame:
    """Missing items per outcome: ``n, n_complete, share_missing, n_scored``."""
    frames = [missing_table(dataset.group(g), inst, max_missing).assign(group=g)
              for g, insts in _groups_and_instruments(instruments) for inst in insts]
    out = pd.concat(frames, ignore_index=True)
    return out[[*OUTCOME, *[c for c in out.columns if c not in OUTCOME]]]


def normality_by_outcome(scores: pd.DataFrame) -> pd.DataFrame:
    """Skewness and kurtosis of every outcome pooled across sites."""
    return normality_table(scores, value="score", by=OUTCOME)


def wide_totals(scores: pd.DataFrame, group: str = "service_users") -> pd.DataFrame:
    """One row per participant of ``group``, one column per instrument total."""
    totals = scores[(scores["group"] == group) & (scores["subscale"] == "Total")]
    return totals.pivot(index=["participant_id", "site"], columns="measure", values="score").reset_index()


def total_correlations(scores: pd.DataFrame, group: str = "service_users", by_site: bool = False) -> pd.DataFrame:
    """Pearson correlations between instrument totals, pairwise complete, with Cohen's labels.

    Returns
    -------
    DataFrame
        ``[site], x, y, n, r, ci_low, ci_high, p, strength``.
    """
    wide = wide_totals(scores, group)
    measures = list(dict.fromkeys(scores.loc[scores["group"] == group, "measure"]))
    pairs = [(a, b) for k, a in enumerate(measures) for b in measures[k + 1:]]
    if not by_site:
        return pearson_table(wide, pairs)
    frames = [pearson_table(f, pairs).assign(site=site) for site, f in wide.groupby("site", sort=True)]
    out = pd.concat(frames, ignore_index=True)
    return out[["site", *[c for c in out.columns if c != "site"]]]


def sensitivity_by_outcome(dataset: Dataset, instruments: dict[str, Instrument],
                           thresholds: Sequence[float] = (0.0, 0.2, 0.3, 0.4, 0.5)) -> pd.DataFrame:
    """ANOVA across sites at each mean-replacement threshold, for every outcome."""
    frames = [sensitivity_analysis(dataset.group(g), inst, "site", thresholds).assign(group=g)
              for g, insts in _groups_and_instruments(instruments) for inst in insts]
    out = pd.concat(frames, ignore_index=True)
    return out[[*OUTCOME, *[c for c in out.columns if c not in OUTCOME]]]


def significant(p: float, alpha: float = 0.05) -> bool:
    """Whether ``p`` is below the significance level (NaN is not significant)."""
    return bool(np.isfinite(p) and p < alpha)
