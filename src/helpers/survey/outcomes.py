"""Outcome scores and the site comparison of every outcome.

An *outcome* is one scale of one instrument in one participant group, identified by
``group, measure, subscale`` (the article's 22: 16 for service users, 6 for care
coordinators). The functions here score every outcome, summarise it per site and test
the site effect with and without covariates, one tidy table each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.io import GROUPS, OUTCOME, Dataset, Instrument, Published
from helpers.stats import ancova, is_significant, oneway_anova, score_long, summary_by_group

from .feasibility import comparable, compare_units, model_parameters, usable_covariates
from .grouping import outcome_frames, participant_join

__all__ = [
    "instruments_by_group",
    "outcome_first",
    "by_outcome",
    "outcome_scores",
    "select",
    "site_summaries",
    "site_summaries_with_published",
    "anova_by_outcome",
    "factor_covariates",
    "ancova_by_outcome",
    "outcome_tests",
]


def instruments_by_group(instruments: Mapping[str, Instrument]) -> Iterator[tuple[str, list[Instrument]]]:
    """Each participant group (contract order) with the forms of the instruments it completed.

    Each instrument comes as the definition of the form the group completed
    (:meth:`helpers.io.Instrument.for_group`); groups without any instrument are skipped.
    """
    for group in GROUPS:
        completed = [i.for_group(group) for i in instruments.values() if group in i.groups]
        if completed:
            yield group, completed


def outcome_first(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the outcome columns ``group, measure, subscale`` moved to the front."""
    return frame[[*OUTCOME, *[c for c in frame.columns if c not in OUTCOME]]]


def by_outcome(
    scores: pd.DataFrame, func: Callable[[pd.DataFrame], pd.DataFrame], columns: Sequence[str] = ()
) -> pd.DataFrame:
    """``func`` applied to the scored rows of each outcome of ``scores``, results stacked with the outcome first.

    Without any outcome the result is empty, with the outcome columns and ``columns``.
    """
    rows = []
    for key, frame in outcome_frames(scores):
        res = func(frame.dropna(subset=["score"]))
        rows.append(res.assign(**dict(zip(OUTCOME, key))))
    if not rows:
        return pd.DataFrame(columns=[*OUTCOME, *columns])
    return outcome_first(pd.concat(rows, ignore_index=True))


def outcome_scores(dataset: Dataset, instruments: Mapping[str, Instrument], *, max_missing: float) -> pd.DataFrame:
    """Scores of every outcome for every participant, in long form.

    Parameters
    ----------
    dataset : Dataset
    instruments : dict of str to Instrument
    max_missing : float
        Largest share of a scale's missing items replaced by the person's mean.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, participant_id, site, score`` (NaN where more than
        ``max_missing`` of the scale's items are missing), outcomes in instrument order.
    """
    frames = [
        score_long(dataset.group(group), completed, group, max_missing=max_missing)
        for group, completed in instruments_by_group(instruments)
    ]
    return pd.concat(frames, ignore_index=True)


def select(
    frame: pd.DataFrame, group: str | None = None, measure: str | None = None, subscale: str | None = None
) -> pd.DataFrame:
    """Rows of an outcome-level table for one group, instrument and/or scale (``None`` = all).

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["a", "b"], "measure": ["RSA", "RSA"], "subscale": ["Total", "Total"]})
    >>> len(select(f, measure="RSA")), len(select(f, group="a"))
    (2, 1)
    """
    keep = pd.Series(True, index=frame.index)
    for column, value in (("group", group), ("measure", measure), ("subscale", subscale)):
        if value is not None:
            keep &= frame[column] == value
    return frame[keep]


def site_summaries(scores: pd.DataFrame, *, confidence: float) -> pd.DataFrame:
    """Per outcome and site: ``n, mean, sd, sem, ci_low, ci_high`` (a ``confidence`` t interval of the mean)."""
    return by_outcome(scores, lambda f: summary_by_group(f, "score", "site", confidence=confidence))


def site_summaries_with_published(summaries: pd.DataFrame, published: Published | None = None) -> pd.DataFrame:
    """:func:`site_summaries` beside the article's site means and SEMs (Tables 2 and 3).

    Returns
    -------
    DataFrame
        The input plus ``published_mean, published_sem`` (NaN for sites or scales the
        article does not report).
    """
    if published is None:
        return summaries.assign(published_mean=np.nan, published_sem=np.nan)
    pub = published.site_means[[*OUTCOME, "site", "mean", "sem_as_printed"]].rename(
        columns={"mean": "published_mean", "sem_as_printed": "published_sem"}
    )
    return summaries.merge(pub, on=[*OUTCOME, "site"], how="left")


#: Columns of :func:`anova_by_outcome` after the outcome.
ANOVA_COLUMNS = ["n", "k", "df_between", "df_within", "F", "p", "eta_squared"]


def anova_by_outcome(scores: pd.DataFrame) -> pd.DataFrame:
    """One-way ANOVA across sites per outcome: ``n, k, df_between, df_within, F, p, eta_squared``.

    Only outcomes whose comparison is estimable are tested, at the sites with enough
    respondents (:func:`helpers.survey.feasibility.comparable`); the feasibility table says
    why any other is missing.
    """
    return by_outcome(comparable(scores), lambda f: oneway_anova(f, "score", "site"), ANOVA_COLUMNS)


def factor_covariates(covariates: Sequence[str], *, categorical: Sequence[str]) -> list[str]:
    """The covariates that enter a model as factors: those listed in ``categorical``, in model order.

    Every other covariate enters as a number.

    Examples
    --------
    >>> factor_covariates(["age", "gender", "ethnicity"], categorical=["ethnicity", "gender", "region"])
    ['gender', 'ethnicity']
    """
    listed = set(categorical)
    return [c for c in covariates if c in listed]


def ancova_by_outcome(
    scores: pd.DataFrame,
    dataset: Dataset,
    *,
    covariates: Mapping[str, Sequence[str]],
    categorical: Sequence[str],
) -> pd.DataFrame:
    """Site effect per outcome adjusted for covariates (Type II ANCOVA).

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores`.
    dataset : Dataset
        Supplies the covariates.
    covariates : dict of group to list of str
        Each participant group's covariates (``AnalysisConfig.covariate_sets``).
    categorical : sequence of str
        Covariates that enter as factors (:func:`factor_covariates`); the others enter
        as numbers.

    Returns
    -------
    DataFrame
        One row per outcome for the site effect: ``n, df, df_resid, F, p,
        partial_eta_squared``, plus ``covariates`` (comma-separated).

    Raises
    ------
    KeyError
        If ``covariates`` has no entry for a group of ``scores``.
    """
    rows = []
    join = participant_join(dataset)
    usable = {}  # per group: the covariates a model can use, the same for every outcome
    for key, frame in outcome_frames(scores):
        group = key[0]
        if group not in covariates:
            raise KeyError(f"no covariates given for group {group!r}; give one list per group")
        if group not in usable:
            usable[group], _ = usable_covariates(dataset.group(group), covariates[group], categorical=categorical)
        merged = _estimable_model(join(frame, group, usable[group]), usable[group], categorical)
        if merged is None:
            continue
        covs = [c for c in covariates[group] if c in merged.columns]
        factors = factor_covariates(covs, categorical=categorical)
        res = ancova(merged, "score", "site", covariates=covs, categorical=factors)
        site = res[res["source"] == "site"].iloc[0]
        rows.append(
            {
                **dict(zip(OUTCOME, key)),
                "n": int(site["n"]),
                "df": int(site["df"]),
                "df_resid": int(site["df_resid"]),
                "F": float(site["F"]),
                "p": float(site["p"]),
                "partial_eta_squared": float(site["partial_eta_squared"]),
                "covariates": ", ".join(covs),
            }
        )
    return pd.DataFrame(rows, columns=[*OUTCOME, *ANCOVA_COLUMNS])


#: Columns of :func:`ancova_by_outcome` after the outcome.
ANCOVA_COLUMNS = ["n", "df", "df_resid", "F", "p", "partial_eta_squared", "covariates"]


def _estimable_model(merged: pd.DataFrame, used: Sequence[str], categorical: Sequence[str]) -> pd.DataFrame | None:
    """The scored rows with the ``used`` covariates at the comparable sites; None when not estimable."""
    complete = merged.dropna(subset=used)
    decision = compare_units(complete)
    if decision.reason:
        return None
    merged = merged[merged["site"].isin(decision.kept)]
    complete = complete[complete["site"].isin(decision.kept)]
    factors = [c for c in used if c in categorical]
    numeric = [c for c in used if c not in categorical]
    if len(complete) <= model_parameters(complete, "site", numeric, factors):
        return None
    return merged


def outcome_tests(
    anova: pd.DataFrame,
    ancova: pd.DataFrame | None = None,
    *,
    alpha: float,
    published: Published | None = None,
) -> pd.DataFrame:
    """Unadjusted and adjusted site effects of every outcome side by side, flagged at ``alpha``.

    Parameters
    ----------
    anova : DataFrame
        From :func:`anova_by_outcome`.
    ancova : DataFrame, optional
        From :func:`ancova_by_outcome`.
    alpha : float
        Significance level.
    published : Published, optional
        Adds the article's ``published_F``, ``published_p``, ``published_df_between``,
        ``published_df_within``.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, n, k, df_between, df_within, F, p, eta_squared,
        [n_adj, df_adj, df_resid_adj, F_adj, p_adj, partial_eta_squared],
        significant, significant_adj, flag, [published_F, published_p, published_df_between,
        published_df_within, published_significant]``; ``flag`` is ``"both"``, ``"unadjusted only"``,
        ``"adjusted only"`` or ``"neither"``.
    """
    out = anova.copy()
    if ancova is not None:
        adj = ancova[[*OUTCOME, "n", "df", "df_resid", "F", "p", "partial_eta_squared"]].rename(
            columns={"n": "n_adj", "df": "df_adj", "df_resid": "df_resid_adj", "F": "F_adj", "p": "p_adj"}
        )
        out = out.merge(adj, on=OUTCOME, how="left")
    else:
        out = out.assign(
            n_adj=np.nan, df_adj=np.nan, df_resid_adj=np.nan, F_adj=np.nan, p_adj=np.nan, partial_eta_squared=np.nan
        )
    out["significant"] = [is_significant(p, alpha) for p in out["p"]]
    out["significant_adj"] = [is_significant(p, alpha) for p in out["p_adj"]]
    out["flag"] = [
        "both" if a and b else "unadjusted only" if a else "adjusted only" if b else "neither"
        for a, b in zip(out["significant"], out["significant_adj"])
    ]
    if published is not None:
        pub = published.anova[[*OUTCOME, "F", "p_as_printed", "df_between", "df_within"]].rename(
            columns={
                "F": "published_F",
                "p_as_printed": "published_p",
                "df_between": "published_df_between",
                "df_within": "published_df_within",
            }
        )
        out = out.merge(pub, on=OUTCOME, how="left")
        out[["published_df_between", "published_df_within"]] = out[
            ["published_df_between", "published_df_within"]
        ].astype(float)
        out["published_significant"] = [is_significant(p, alpha) for p in out["published_p"]]
    return out
