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
from .published import load_text_values
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


# =========================================================================== additions for the book's chapters
# Everything below turns the outcome-level tables above into the tables the chapters show:
# our values beside the article's, decisions at a significance level, comparisons of the two
# participant groups and of the two countries, and comparisons with published reference values.

#: Mean-replacement thresholds of the sensitivity analysis (0 = complete cases only).
SENSITIVITY_THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5)

#: Values the article prints in its Methods text rather than in a table: the share of
#: participants with missing data per outcome (mean and range across the 22 outcomes) and
#: the number of outcomes whose skewness or kurtosis lies beyond +/-1 and +/-2.
def _article_text_values() -> dict:
    """The article's in-text figures (``data/reference/text_values.csv``), with the
    missing-data figures also as printed."""
    values = load_text_values()
    printed = values["printed"]
    values["missing_text"] = {k: printed[f"missing_{k}"] for k in ("mean", "min", "max")}
    return values


#: Figures the article states in its text: missing data and normality summaries.
ARTICLE_TEXT_VALUES = _article_text_values()

__all__ += [
    "SENSITIVITY_THRESHOLDS",
    "ARTICLE_TEXT_VALUES",
    "significant",
    "sensitivity_thresholds",
    "site_counts",
    "instrument_table",
    "scale_table",
    "missing_with_published",
    "missing_overview",
    "alpha_with_published",
    "normality_overview",
    "sensitivity_decisions",
    "sensitivity_wide",
    "site_summaries_with_published",
    "outcome_tests",
    "tukey_where_significant",
    "rater_comparison",
    "rank_agreement",
    "spearman_exact",
    "resolve_reference",
    "reference_comparison",
    "site_countries",
    "country_summaries",
    "country_comparison",
    "standardised_site_means",
    "correlations_with_published",
    "correlation_strength_counts",
    "reproduction_counts",
    "audit_flags",
]


def _is_sig(p, alpha: float) -> bool:
    return bool(p is not None and np.isfinite(p) and p < alpha)


def sensitivity_thresholds(max_missing: float, thresholds: Sequence[float] = SENSITIVITY_THRESHOLDS) -> list[float]:
    """The sensitivity thresholds, with the primary analysis's ``max_missing`` added if absent.

    Examples
    --------
    >>> sensitivity_thresholds(0.5), sensitivity_thresholds(0.25)
    ([0.0, 0.2, 0.3, 0.4, 0.5], [0.0, 0.2, 0.25, 0.3, 0.4, 0.5])
    """
    return sorted({round(float(t), 6) for t in (*thresholds, max_missing)})


def site_counts(dataset: Dataset, published=None) -> pd.DataFrame:
    """Questionnaires per site and group in the data, beside the article's Table 1.

    Parameters
    ----------
    dataset : Dataset
    published : Published, optional
        The article's tables (:func:`helpers.published.load_published`); without it the
        ``published_*`` columns are missing values.

    Returns
    -------
    DataFrame
        One row per site of the data (sorted), then one per site of the article absent
        from the data: ``site, country, service_users, care_coordinators,
        published_service_users, published_care_coordinators, in_data, in_article``.
        Published counts are NaN for sites the article does not name.
    """
    sites = dataset.sites[["site", "country"]].copy()
    for group in GROUPS:
        counts = dataset.group(group)["site"].value_counts()
        sites[group] = sites["site"].map(counts).fillna(0).astype(int)
    sites = sites.sort_values("site", kind="stable").reset_index(drop=True)
    sites["in_data"] = True
    if published is not None:
        pub = published.sites[["site", "country"]].copy()
        for group in GROUPS:
            pub[f"published_{group}"] = pub["site"].map(published.site_returns(group)).astype(float)
        out = sites.merge(pub.drop(columns="country"), on="site", how="left")
        extra = pub[~pub["site"].isin(sites["site"])].assign(in_data=False, **{g: 0 for g in GROUPS})
        if len(extra):
            out = pd.concat([out, extra[out.columns].astype(out.dtypes.to_dict())], ignore_index=True)
        out["in_article"] = out["site"].isin(pub["site"])
    else:
        out = sites.assign(**{f"published_{g}": np.nan for g in GROUPS}, in_article=False)
    out["in_data"] = out["in_data"].astype(bool)
    cols = ["site", "country", *GROUPS, *[f"published_{g}" for g in GROUPS], "in_data", "in_article"]
    return out[cols]


def _compact_items(items: Sequence[str]) -> str:
    """``rsa_01, rsa_02, rsa_03, rsa_07`` as ``rsa_01-rsa_03, rsa_07`` (runs of consecutive numbers).

    Examples
    --------
    >>> _compact_items(["rsa_01", "rsa_02", "rsa_03", "rsa_07"])
    'rsa_01–rsa_03, rsa_07'
    """
    import re

    parts, run = [], []

    def flush():
        if run:
            parts.append(run[0][0] if len(run) == 1 else f"{run[0][0]}–{run[-1][0]}")

    for item in items:
        m = re.match(r"^(.*?)(\d+)$", item)
        if m and run and run[-1][1] == m.group(1) and run[-1][2] + 1 == int(m.group(2)):
            run.append((item, m.group(1), int(m.group(2))))
            continue
        flush()
        run = [(item, m.group(1), int(m.group(2)))] if m else [(item, None, None)]
    flush()
    return ", ".join(parts)


def instrument_table(instruments: dict[str, Instrument]) -> pd.DataFrame:
    """One row per instrument: structure, scoring and the provenance of its item key.

    Returns
    -------
    DataFrame
        ``measure, name, completed_by, n_items, response, missing_codes, scoring,
        n_subscales, n_reversed, reference, key_verified, status, citation, file``.
    """
    rows = []
    for inst in instruments.values():
        ref = inst.reference_for(inst.total) or (inst.references[0] if inst.references else None)
        rows.append({
            "measure": inst.id, "name": inst.name,
            "completed_by": ", ".join(GROUPS[g].label.lower() for g in inst.groups if g in GROUPS),
            "n_items": len(inst.items), "response": f"{inst.min}–{inst.max}",
            "missing_codes": ", ".join(f"{k} = {v}" for k, v in inst.missing_codes.items()) or "none",
            "scoring": "item mean" if inst.scoring == "mean" else "item sum",
            "n_subscales": len(inst.subscales), "n_reversed": len(inst.reversed),
            "reference": (f"{ref.scale}: mean {ref.mean:g}, SD {ref.sd:g}, n = {ref.n} ({ref.source})"
                          if ref else "none"),
            "key_verified": bool(inst.key_verified), "status": inst.status, "citation": inst.citation,
            "file": inst.source.name if inst.source else "",
        })
    return pd.DataFrame(rows)


def scale_table(instruments: dict[str, Instrument]) -> pd.DataFrame:
    """One row per scored scale: its items (compactly) and the range of its score.

    Returns
    -------
    DataFrame
        ``measure, scale, n_items, items, reversed_items, score_min, score_max, key_verified``.
    """
    rows = []
    for inst in instruments.values():
        for scale, members in inst.scales.items():
            lo, hi = inst.score_range[scale]
            rev = [i for i in members if i in inst.reversed]
            rows.append({"measure": inst.id, "scale": scale, "n_items": len(members),
                         "items": _compact_items(members), "reversed_items": _compact_items(rev) or "none",
                         "score_min": lo, "score_max": hi, "key_verified": bool(inst.key_verified)})
    return pd.DataFrame(rows)


def _published_analysed_n(published) -> pd.DataFrame:
    a = published.anova
    return a[OUTCOME].assign(published_n_analysed=(a["df_between"] + a["df_within"] + 1).astype(float))


def missing_with_published(missing: pd.DataFrame, published=None) -> pd.DataFrame:
    """:func:`missing_by_outcome` beside the article's complete cases and analysed N.

    The article prints complete cases with its Cronbach's alphas and the analysed N as
    ANOVA degrees of freedom; its share with missing data is ``1 - complete / returned``.

    Returns
    -------
    DataFrame
        The input plus ``published_n_complete, published_share_missing, published_n_analysed``.
    """
    out = missing.copy()
    if published is None:
        return out.assign(published_n_complete=np.nan, published_share_missing=np.nan, published_n_analysed=np.nan)
    rel = published.reliability[[*OUTCOME, "n_complete_cases"]].rename(
        columns={"n_complete_cases": "published_n_complete"})
    sizes = published.group_sizes
    rel["published_share_missing"] = 1 - rel["published_n_complete"] / rel["group"].map(sizes)
    out = out.merge(rel, on=OUTCOME, how="left").merge(_published_analysed_n(published), on=OUTCOME, how="left")
    out["published_n_complete"] = out["published_n_complete"].astype(float)
    return out


def missing_overview(missing: pd.DataFrame) -> pd.DataFrame:
    """Mean and range across outcomes of the share with missing data, beside the article's text.

    Returns
    -------
    DataFrame
        Two rows (``source`` = ``"this data"``, ``"article"``): ``n_outcomes, mean, min, max``.

    Examples
    --------
    >>> m = pd.DataFrame({"share_missing": [0.1, 0.3]})
    >>> missing_overview(m)["mean"].round(3).tolist()
    [0.2, 0.199]
    """
    from .quality import missing_share_summary

    ours = missing_share_summary(missing["share_missing"]).assign(source="this data")
    art = pd.DataFrame({"source": ["article"], "n_outcomes": [ARTICLE_TEXT_VALUES["n_outcomes"]],
                        "mean": [ARTICLE_TEXT_VALUES["missing_mean"]], "min": [ARTICLE_TEXT_VALUES["missing_min"]],
                        "max": [ARTICLE_TEXT_VALUES["missing_max"]]})
    return pd.concat([ours, art], ignore_index=True)[["source", "n_outcomes", "mean", "min", "max"]]


def alpha_with_published(alphas: pd.DataFrame, published=None) -> pd.DataFrame:
    """:func:`alpha_by_outcome` beside the article's alphas and complete-case Ns.

    Returns
    -------
    DataFrame
        The input plus ``published_alpha, published_n_complete`` (NaN where the article
        has no value).
    """
    if published is None:
        return alphas.assign(published_alpha=np.nan, published_n_complete=np.nan)
    rel = published.reliability[[*OUTCOME, "cronbach_alpha", "n_complete_cases"]].rename(
        columns={"cronbach_alpha": "published_alpha", "n_complete_cases": "published_n_complete"})
    out = alphas.merge(rel, on=OUTCOME, how="left")
    out["published_n_complete"] = out["published_n_complete"].astype(float)
    return out


def normality_overview(normality: pd.DataFrame) -> pd.DataFrame:
    """How many outcomes lie beyond +/-1 and +/-2 in skewness or kurtosis, beside the article.

    Returns
    -------
    DataFrame
        Rows ``"beyond ±1"`` and ``"beyond ±2"``: ``criterion, this_data, n_outcomes, article,
        article_n_outcomes``.
    """
    n = int(len(normality))
    art = ARTICLE_TEXT_VALUES
    return pd.DataFrame({
        "criterion": ["beyond ±1", "beyond ±2"],
        "this_data": [int(normality["beyond_1"].sum()), int(normality["beyond_2"].sum())],
        "n_outcomes": [n, n],
        "article": [art["beyond_1"], art["beyond_2"]],
        "article_n_outcomes": [art["n_outcomes"], art["n_outcomes"]],
    })


def sensitivity_decisions(sensitivity: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Whether the site comparison's decision at ``alpha`` changes across mean-replacement thresholds.

    Parameters
    ----------
    sensitivity : DataFrame
        From :func:`sensitivity_by_outcome`.
    alpha : float
        Significance level.

    Returns
    -------
    DataFrame
        One row per outcome: ``n_min, n_max, p_min, p_max, eta_min, eta_max,
        significant_at`` (tuple of thresholds with p < alpha), ``not_significant_at``,
        ``changes`` (bool) and ``decision`` (``"significant throughout"``, ``"not significant
        throughout"`` or ``"changes"``).

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "threshold": [0.0, 0.5],
    ...                   "n": [10, 12], "p": [0.04, 0.2], "eta_squared": [0.3, 0.1]})
    >>> sensitivity_decisions(s)[["significant_at", "decision"]].iloc[0].tolist()
    [(0.0,), 'changes']
    """
    rows = []
    for key, f in sensitivity.groupby(OUTCOME, sort=False):
        f = f.sort_values("threshold")
        sig = tuple(float(t) for t, p in zip(f["threshold"], f["p"]) if _is_sig(p, alpha))
        notsig = tuple(float(t) for t in f["threshold"] if float(t) not in sig)
        changes = bool(sig) and bool(notsig)
        decision = "changes" if changes else ("significant throughout" if sig else "not significant throughout")
        rows.append({**dict(zip(OUTCOME, key)), "n_min": int(f["n"].min()), "n_max": int(f["n"].max()),
                     "p_min": float(f["p"].min()), "p_max": float(f["p"].max()),
                     "eta_min": float(f["eta_squared"].min()), "eta_max": float(f["eta_squared"].max()),
                     "significant_at": sig, "not_significant_at": notsig, "changes": changes, "decision": decision})
    return pd.DataFrame(rows)


def sensitivity_wide(sensitivity: pd.DataFrame, value: str = "p") -> pd.DataFrame:
    """One row per outcome, one column per threshold holding ``value`` (``"p"``, ``"n"``, ``"F"``...).

    Columns are named by the threshold as a float; rows keep the outcomes' order.
    """
    wide = sensitivity.pivot_table(index=OUTCOME, columns="threshold", values=value, sort=False)
    order = sensitivity[OUTCOME].drop_duplicates()
    wide = order.merge(wide.reset_index(), on=OUTCOME, how="left")
    wide.columns = [c if isinstance(c, str) else float(c) for c in wide.columns]
    return wide


def site_summaries_with_published(summaries: pd.DataFrame, published=None) -> pd.DataFrame:
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
        columns={"mean": "published_mean", "sem_as_printed": "published_sem"})
    return summaries.merge(pub, on=[*OUTCOME, "site"], how="left")


def outcome_tests(anova: pd.DataFrame, ancova: pd.DataFrame | None = None, alpha: float = 0.05,
                  published=None) -> pd.DataFrame:
    """Unadjusted and adjusted site effects of every outcome side by side, flagged at ``alpha``.

    Parameters
    ----------
    anova : DataFrame
        From :func:`anova_by_outcome`.
    ancova : DataFrame, optional
        From :func:`ancova_by_outcome`.
    alpha : float
    published : Published, optional
        Adds the article's ``published_F``, ``published_p``, ``published_df_within``.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, n, k, df_between, df_within, F, p, eta_squared,
        [n_adj, df_adj, df_resid_adj, F_adj, p_adj, partial_eta_squared],
        significant, significant_adj, flag, [published_F, published_p, published_df_within,
        published_significant]``; ``flag`` is ``"both"``, ``"unadjusted only"``,
        ``"adjusted only"`` or ``"neither"``.
    """
    out = anova.copy()
    if ancova is not None:
        adj = ancova[[*OUTCOME, "n", "df", "df_resid", "F", "p", "partial_eta_squared"]].rename(
            columns={"n": "n_adj", "df": "df_adj", "df_resid": "df_resid_adj", "F": "F_adj", "p": "p_adj"})
        out = out.merge(adj, on=OUTCOME, how="left")
    else:
        out = out.assign(n_adj=np.nan, df_adj=np.nan, df_resid_adj=np.nan, F_adj=np.nan, p_adj=np.nan,
                         partial_eta_squared=np.nan)
    out["significant"] = [_is_sig(p, alpha) for p in out["p"]]
    out["significant_adj"] = [_is_sig(p, alpha) for p in out["p_adj"]]
    out["flag"] = [
        "both" if a and b else "unadjusted only" if a else "adjusted only" if b else "neither"
        for a, b in zip(out["significant"], out["significant_adj"])
    ]
    if published is not None:
        pub = published.anova[[*OUTCOME, "F", "p_as_printed", "df_within"]].rename(
            columns={"F": "published_F", "p_as_printed": "published_p", "df_within": "published_df_within"})
        out = out.merge(pub, on=OUTCOME, how="left")
        out["published_df_within"] = out["published_df_within"].astype(float)
        out["published_significant"] = [_is_sig(p, alpha) for p in out["published_p"]]
    return out


def tukey_where_significant(scores: pd.DataFrame, tests: pd.DataFrame, alpha: float = 0.05,
                            reference: str | None = None) -> pd.DataFrame:
    """Tukey HSD tests only for outcomes whose unadjusted or adjusted site effect has p < ``alpha``.

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores` (any subset of outcomes).
    tests : DataFrame
        From :func:`outcome_tests` (needs ``significant`` and ``significant_adj``).
    alpha : float
    reference : str, optional
        Keep only comparisons with this site (ignored if it has no data).

    Returns
    -------
    DataFrame
        As :func:`tukey_by_outcome`; empty (with its columns) when no outcome qualifies.
    """
    columns = [*OUTCOME, "group_a", "group_b", "mean_a", "mean_b", "diff", "se", "ci_low", "ci_high",
               "p_tukey", "significant"]
    keep = tests.loc[tests["significant"] | tests["significant_adj"], OUTCOME]
    subset = scores.merge(keep, on=OUTCOME, how="inner")
    if subset.empty:
        return pd.DataFrame(columns=columns)
    if reference is not None and reference not in set(subset.dropna(subset=["score"])["site"]):
        reference = None
    return tukey_by_outcome(subset, reference=reference, alpha=alpha)[columns]


def rater_comparison(summaries: pd.DataFrame, measure: str = "RSA",
                     groups: tuple[str, str] = ("service_users", "care_coordinators")) -> pd.DataFrame:
    """Per scale and site, the two groups' mean ratings of the same instrument side by side.

    Parameters
    ----------
    summaries : DataFrame
        From :func:`site_summaries`.
    measure : str
        An instrument both groups completed.
    groups : (str, str)
        The first group's mean is subtracted from the second's: ``diff = second - first``.

    Returns
    -------
    DataFrame
        ``measure, subscale, site, n_1, mean_1, ci_low_1, ci_high_1, n_2, mean_2, ci_low_2,
        ci_high_2, diff`` (sites where either group has no score are dropped).
    """
    first, second = groups
    cols = ["subscale", "site", "n", "mean", "ci_low", "ci_high"]
    a = summaries[(summaries["group"] == first) & (summaries["measure"] == measure)][cols]
    b = summaries[(summaries["group"] == second) & (summaries["measure"] == measure)][cols]
    out = a.merge(b, on=["subscale", "site"], suffixes=("_1", "_2"), how="inner")
    out.insert(0, "measure", measure)
    out["diff"] = out["mean_2"] - out["mean_1"]
    return out.reset_index(drop=True)


def spearman_exact(x, y) -> tuple[float, float]:
    """Spearman's rho with a two-sided p value, exact by enumeration for up to 8 pairs.

    With more pairs the t approximation of :func:`scipy.stats.spearmanr` is used. NaN
    for fewer than 3 pairs or a constant variable.

    Examples
    --------
    >>> rho, p = spearman_exact([1, 2, 3, 4], [1, 2, 3, 4])
    >>> round(rho, 3), round(p, 4)   # 2 of 24 orderings are as extreme
    (1.0, 0.0833)
    """
    import itertools

    from scipy import stats

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = len(x)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan"), float("nan")
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    if n > 8:
        return rho, float(stats.spearmanr(x, y).pvalue)
    perms = np.array(list(itertools.permutations(ry)))
    rx_c = rx - rx.mean()
    ry_c = perms - perms.mean(axis=1, keepdims=True)
    rhos = (ry_c @ rx_c) / (np.sqrt((ry_c**2).sum(axis=1)) * np.sqrt((rx_c**2).sum()))
    p = float(np.mean(np.abs(rhos) >= abs(rho) - 1e-12))
    return rho, p


def rank_agreement(comparison: pd.DataFrame) -> pd.DataFrame:
    """How far two groups rank the sites alike, per scale, from :func:`rater_comparison`.

    Returns
    -------
    DataFrame
        ``measure, subscale, n_sites, rho, p, n_second_higher, mean_diff`` where ``rho`` is
        Spearman's rank correlation of the site means (exact p for up to 8 sites),
        ``n_second_higher`` the sites where the second group's mean is higher and
        ``mean_diff`` the average of the per-site differences.
    """
    rows = []
    for (measure, subscale), f in comparison.groupby(["measure", "subscale"], sort=False):
        rho, p = spearman_exact(f["mean_1"], f["mean_2"])
        rows.append({"measure": measure, "subscale": subscale, "n_sites": int(len(f)), "rho": rho, "p": p,
                     "n_second_higher": int((f["diff"] > 0).sum()), "mean_diff": float(f["diff"].mean())})
    return pd.DataFrame(rows)


def resolve_reference(instrument: Instrument, override: dict | None = None, scale: str | None = None):
    """The published reference value to compare ``scale`` with: ``override`` or the instrument file's.

    Parameters
    ----------
    instrument : Instrument
    override : dict, optional
        ``{"mean": ..., "sd": ..., "n": ..., "source": ...}`` and optionally ``"scale"``
        (default the total) and ``"population"``. Replaces the file's value.
    scale : str, optional
        Defaults to ``override["scale"]`` or the instrument's total.

    Returns
    -------
    Reference or None
        None when neither the override nor the instrument file gives a value.

    Raises
    ------
    ValueError
        If the override lacks a key, has a non-positive SD or n, or names an unknown scale.

    Examples
    --------
    >>> from helpers.instruments import load_instruments
    >>> es = load_instruments()["ES"]
    >>> resolve_reference(es) is None
    True
    >>> resolve_reference(es, {"mean": 2.9, "sd": 0.3, "n": 100, "source": "my survey"}).n
    100
    """
    from .instruments import Reference

    if override:
        missing = [k for k in ("mean", "sd", "n", "source") if k not in override]
        if missing:
            raise ValueError(f"the reference value for {instrument.id} lacks {', '.join(missing)}; "
                             "give mean, sd, n and source (where the value is published)")
        name = str(override.get("scale", scale or instrument.total))
        if name not in instrument.scales:
            raise ValueError(f"the reference value names scale {name!r}, which {instrument.id} does not have")
        sd, n = float(override["sd"]), int(override["n"])
        if sd <= 0 or n < 2:
            raise ValueError(f"the reference value for {instrument.id} needs sd > 0 and n >= 2")
        return Reference(name, float(override["mean"]), sd, n, str(override.get("population", "")),
                         str(override["source"]))
    return instrument.reference_for(scale or instrument.total)


def reference_comparison(scores: pd.DataFrame, reference, group: str, measure: str,
                         alpha: float = 0.05) -> pd.DataFrame:
    """Welch's t test of the whole sample's and each site's mean against a published reference.

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores`.
    reference : Reference or None
        From :func:`resolve_reference`; its ``scale`` selects the outcome. None gives an
        empty table.
    group, measure : str
    alpha : float
        Sets the confidence of the interval (1 - alpha) and ``significant``.

    Returns
    -------
    DataFrame
        First the row ``site = "All sites"``, then one per site (sorted):
        ``site`` plus the columns of :func:`helpers.inference.compare_with_reference` and
        ``significant``.
    """
    from .inference import compare_with_reference

    columns = ["site", "mean", "sd", "n", "ref_mean", "ref_sd", "ref_n", "diff", "se", "df", "t", "p", "ci_low",
               "ci_high", "hedges_g", "significant"]
    if reference is None:
        return pd.DataFrame(columns=columns)
    sel = scores[(scores["group"] == group) & (scores["measure"] == measure)
                 & (scores["subscale"] == reference.scale)].dropna(subset=["score"])
    parts = [("All sites", sel["score"])] + [(s, f["score"]) for s, f in sel.groupby("site", sort=True)]
    rows = []
    for site, values in parts:
        if len(values) < 2:
            continue
        res = compare_with_reference(float(values.mean()), float(values.std(ddof=1)), int(len(values)),
                                     reference.mean, reference.sd, reference.n, confidence=1 - alpha)
        rows.append(res.assign(site=site))
    out = pd.concat(rows, ignore_index=True)
    out["significant"] = [_is_sig(p, alpha) for p in out["p"]]
    return out[["site", *[c for c in out.columns if c != "site"]]]


def site_countries(dataset: Dataset) -> pd.Series:
    """Country of each site, from the sites table, indexed by site."""
    return dataset.sites.set_index("site")["country"].astype(str)


def country_summaries(scores: pd.DataFrame, countries: pd.Series) -> pd.DataFrame:
    """Per outcome and country: participants, sites, participant mean and SD, and mean of site means.

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores`.
    countries : Series
        Country per site (:func:`site_countries`).

    Returns
    -------
    DataFrame
        ``group, measure, subscale, country, n, n_sites, mean, sd, site_mean``.
    """
    data = scores.dropna(subset=["score"]).assign(country=lambda d: d["site"].map(countries).astype(str))
    rows = []
    for key, outcome in data.groupby(OUTCOME, sort=False):
        for country, f in outcome.groupby("country", sort=True):
            rows.append({**dict(zip(OUTCOME, key)), "country": country, "n": int(len(f)),
                         "n_sites": int(f["site"].nunique()), "mean": float(f["score"].mean()),
                         "sd": float(f["score"].std(ddof=1)),
                         "site_mean": float(f.groupby("site")["score"].mean().mean())})
    return pd.DataFrame(rows)


def country_comparison(scores: pd.DataFrame, countries: pd.Series, alpha: float = 0.05) -> pd.DataFrame:
    """Compare two countries with sites as the unit of analysis (sites are nested in countries).

    Each site contributes one value, its mean; the two countries' sets of site means are
    compared with Student's t test (``df = sites - 2``). This respects the nesting: the
    participants of one site share that site's service, so they are not independent
    evidence about their country. A participant-level test would treat every one of
    them as a separate replication of the country and overstate the evidence.

    Parameters
    ----------
    scores : DataFrame
        From :func:`outcome_scores`.
    countries : Series
        Country per site (:func:`site_countries`).
    alpha : float
        Sets the confidence of the interval (1 - alpha).

    Returns
    -------
    DataFrame
        One row per outcome: ``country_1, country_2, n_sites_1, n_sites_2, site_mean_1,
        site_mean_2, diff`` (2 minus 1) ``, t, df, p, ci_low, ci_high, testable, note``.
        Not testable (NaN statistics) unless there are exactly two countries with at
        least two sites each.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "site": list("abcdef"),
    ...                   "score": [1.0, 2, 3, 4, 5, 6]})
    >>> c = pd.Series({"a": "E", "b": "E", "c": "E", "d": "W", "e": "W", "f": "W"})
    >>> r = country_comparison(s, c).iloc[0]
    >>> float(r["diff"]), int(r["df"]), round(float(r["t"]), 3)
    (3.0, 4, 3.674)
    """
    from scipy import stats

    data = scores.dropna(subset=["score"]).assign(country=lambda d: d["site"].map(countries).astype(str))
    rows = []
    for key, f in data.groupby(OUTCOME, sort=False):
        site_means = f.groupby(["country", "site"])["score"].mean()
        names = sorted(site_means.index.get_level_values("country").unique())
        row = dict(zip(OUTCOME, key))
        nan = float("nan")
        row.update(country_1=names[0] if names else "", country_2=names[1] if len(names) > 1 else "",
                   n_sites_1=0, n_sites_2=0, site_mean_1=nan, site_mean_2=nan, diff=nan, t=nan, df=nan, p=nan,
                   ci_low=nan, ci_high=nan, testable=False, note="")
        if len(names) != 2:
            row["note"] = f"the data hold {len(names)} countr{'y' if len(names) == 1 else 'ies'}, not two"
            rows.append(row)
            continue
        m1, m2 = site_means.loc[names[0]].to_numpy(), site_means.loc[names[1]].to_numpy()
        row.update(n_sites_1=len(m1), n_sites_2=len(m2), site_mean_1=float(m1.mean()), site_mean_2=float(m2.mean()),
                   diff=float(m2.mean() - m1.mean()))
        if min(len(m1), len(m2)) < 2:
            lone = names[0] if len(m1) < 2 else names[1]
            row["note"] = f"there is only one site in {lone}, so the country cannot be told apart from that site"
            rows.append(row)
            continue
        df = len(m1) + len(m2) - 2
        pooled = ((len(m1) - 1) * m1.var(ddof=1) + (len(m2) - 1) * m2.var(ddof=1)) / df
        se = float(np.sqrt(pooled * (1 / len(m1) + 1 / len(m2))))
        t = row["diff"] / se if se > 0 else nan
        p = float(2 * stats.t.sf(abs(t), df)) if se > 0 else nan
        half = float(stats.t.ppf(1 - alpha / 2, df) * se)
        row.update(t=float(t), df=float(df), p=p, ci_low=row["diff"] - half, ci_high=row["diff"] + half,
                   testable=True)
        rows.append(row)
    return pd.DataFrame(rows)


def standardised_site_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Each site's mean of each outcome in SD units of that outcome: ``(site mean - mean) / SD``.

    Mean and SD are those of all participants with a score on the outcome, so the values
    are comparable across scales with different ranges.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, site, n, mean, z``.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": "m", "subscale": "s", "site": list("aabb"),
    ...                   "score": [1.0, 2, 3, 4]})
    >>> standardised_site_means(s)["z"].round(3).tolist()
    [-0.775, 0.775]
    """
    rows = []
    for key, f in scores.dropna(subset=["score"]).groupby(OUTCOME, sort=False):
        grand, sd = float(f["score"].mean()), float(f["score"].std(ddof=1))
        for site, g in f.groupby("site", sort=True):
            mean = float(g["score"].mean())
            rows.append({**dict(zip(OUTCOME, key)), "site": site, "n": int(len(g)), "mean": mean,
                         "z": (mean - grand) / sd if sd > 0 else float("nan")})
    return pd.DataFrame(rows, columns=[*OUTCOME, "site", "n", "mean", "z"])


def correlations_with_published(correlations: pd.DataFrame, published=None) -> pd.DataFrame:
    """:func:`total_correlations` (all sites) beside the article's Table 4.

    Returns
    -------
    DataFrame
        The input plus ``published_r, published_n, published_p`` (matched on the pair in
        either order).
    """
    out = correlations.copy()
    out[["published_r", "published_n", "published_p"]] = np.nan
    if published is None:
        return out
    for rec in published.correlations.itertuples(index=False):
        pair = {rec.measure_a, rec.measure_b}
        hit = [({x, y} == pair) for x, y in zip(out["x"], out["y"])]
        out.loc[hit, ["published_r", "published_n", "published_p"]] = [rec.r, float(rec.n), rec.p_as_printed]
    return out


def correlation_strength_counts(by_site: pd.DataFrame) -> pd.DataFrame:
    """Per pair of totals, the number of sites with each Cohen label and the range of r.

    Returns
    -------
    DataFrame
        ``x, y, n_sites, r_min, r_max, large, medium, small, negligible`` (sites per label).
    """
    labels = ["large", "medium", "small", "negligible"]
    rows = []
    for (x, y), f in by_site.groupby(["x", "y"], sort=False):
        counts = f["strength"].value_counts()
        rows.append({"x": x, "y": y, "n_sites": int(len(f)), "r_min": float(f["r"].min()),
                     "r_max": float(f["r"].max()), **{lab: int(counts.get(lab, 0)) for lab in labels}})
    return pd.DataFrame(rows)


def reproduction_counts(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Counts of a reproduction table's statuses, overall or per ``by`` (e.g. ``"source"``).

    Returns
    -------
    DataFrame
        ``[by], total`` and one column per status of :data:`helpers.reproduce.STATUSES`
        plus ``share_reproduced``; overall, one row.
    """
    from .reproduce import STATUSES

    if by is None:
        counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
        out = pd.DataFrame([{"total": int(len(table)), **{s: int(counts[s]) for s in STATUSES}}])
    else:
        order = list(dict.fromkeys(table[by]))
        out = (table.groupby([by, "status"]).size().unstack(fill_value=0)
               .reindex(index=order, columns=list(STATUSES), fill_value=0).reset_index())
        out.insert(1, "total", out[list(STATUSES)].sum(axis=1).astype(int))
    out["share_reproduced"] = out[STATUSES[0]] / out["total"].where(out["total"] > 0)
    out.columns.name = None
    return out


def audit_flags(sems: pd.DataFrame, f_audit: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """Every published value the audit flags, in one tidy table.

    Parameters
    ----------
    sems, f_audit, checks : DataFrame
        From :func:`helpers.audit.audit_sems`, :func:`helpers.audit.audit_f_from_means` and
        :func:`helpers.audit.statcheck`.

    Returns
    -------
    DataFrame
        ``check, group, measure, subscale, site, printed, expected_low, expected_high, implied_sd,
        max_sd, n, suggested, statistic, p_status``: ``expected_*`` is the range the audit finds
        possible (up to the largest possible SEM for an SEM, the F range the row's means allow,
        the p range the printed statistic allows); ``p_status`` is statcheck's verdict on the
        p printed with a flagged F.
    """
    rows = []
    for r in sems[~sems["possible"]].itertuples(index=False):
        rows.append({"check": "impossible SEM", "group": r.group, "measure": r.measure, "subscale": r.subscale,
                     "site": r.site, "printed": float(r.sem_printed), "expected_low": 0.0,
                     "expected_high": float(r.max_sd / np.sqrt(r.n)), "implied_sd": float(r.implied_sd),
                     "max_sd": float(r.max_sd), "n": int(r.n), "suggested": float(r.sem_target)})
    anova_checks = checks[checks["source"] == "anova"]
    for r in f_audit[~f_audit["consistent"]].itertuples(index=False):
        same = anova_checks[(anova_checks["group"] == r.group)
                            & (anova_checks["outcome"] == f"{r.measure} {r.subscale}")]
        rows.append({"p_status": same["status"].iloc[0] if len(same) else "",
                     "check": "F not implied by the row's means", "group": r.group, "measure": r.measure,
                     "subscale": r.subscale, "site": "All sites", "printed": float(r.F_printed),
                     "expected_low": float(r.F_min), "expected_high": float(r.F_max), "implied_sd": np.nan,
                     "max_sd": np.nan, "n": np.nan, "suggested": float(r.F_recomputed)})
    for r in checks[checks["status"] != "consistent"].itertuples(index=False):
        measure, subscale = (r.outcome, "Total") if r.source == "correlations" else r.outcome.split(" ", 1)
        rows.append({"check": f"p {r.status}", "group": r.group, "measure": measure, "subscale": subscale,
                     "site": "All sites", "printed": float(r.p_printed), "expected_low": float(r.p_min),
                     "expected_high": float(r.p_max), "implied_sd": np.nan, "max_sd": np.nan, "n": np.nan,
                     "suggested": np.nan, "statistic": r.statistic})
    cols = ["check", "group", "measure", "subscale", "site", "printed", "expected_low", "expected_high",
            "implied_sd", "max_sd", "n", "suggested", "statistic", "p_status"]
    out = pd.DataFrame(rows)
    return out.reindex(columns=cols)


def with_total_row(frame: pd.DataFrame, label_column: str, label: str = "All sites",
                   columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``frame`` with a last row summing ``columns`` (default: every numeric column).

    A sum is missing when any of its values is (an unknown count makes the total unknown).

    Examples
    --------
    >>> f = pd.DataFrame({"site": ["A", "B"], "n": [3, 4], "m": [1.0, None]})
    >>> t = with_total_row(f, "site")
    >>> t["site"].tolist(), t["n"].tolist(), bool(np.isnan(t["m"].iloc[-1]))
    (['A', 'B', 'All sites'], [3, 4, 7], True)
    """
    columns = list(columns) if columns is not None else [
        c for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    total = {c: (float("nan") if frame[c].isna().any() else frame[c].sum().item()) for c in columns}
    row = pd.DataFrame([{label_column: label, **total}])
    out = pd.concat([frame, row], ignore_index=True)
    for c in columns:
        if pd.api.types.is_integer_dtype(frame[c]):
            out[c] = out[c].astype(int)
    return out


__all__ += ["with_total_row"]


def sensitivity_compact(sensitivity: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """One row per outcome: p at each threshold, the ranges of N and eta squared, and the decision.

    Returns
    -------
    DataFrame
        ``group, measure, subscale``, one float column per threshold holding p, then
        ``n_range, f_range, eta_range, decision, changes`` (ranges across thresholds as text).
    """
    decisions = sensitivity_decisions(sensitivity, alpha)
    out = sensitivity_wide(sensitivity, "p").merge(decisions, on=OUTCOME, how="left")
    out["n_range"] = [f"{lo}–{hi}" if lo != hi else f"{lo}" for lo, hi in zip(out["n_min"], out["n_max"])]
    out["eta_range"] = [f"{lo:.3f}–{hi:.3f}" for lo, hi in zip(out["eta_min"], out["eta_max"])]
    f_stats = sensitivity.groupby(OUTCOME, sort=False)["F"].agg(["min", "max"]).reset_index()
    out = out.merge(f_stats, on=OUTCOME, how="left")
    out["f_range"] = [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(out["min"], out["max"])]
    thresholds = [c for c in out.columns if isinstance(c, float)]
    return out[[*OUTCOME, *thresholds, "n_range", "f_range", "eta_range", "decision", "changes"]]


__all__ += ["sensitivity_compact"]


def select(frame: pd.DataFrame, group: str | None = None, measure: str | None = None,
           subscale: str | None = None) -> pd.DataFrame:
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


def covariate_sets(su_covariates: Sequence[str], cc_covariates: Sequence[str]) -> dict[str, list[str]]:
    """The ``covariates`` argument of :func:`ancova_by_outcome` from the two chapters' parameters."""
    return {"service_users": list(su_covariates), "care_coordinators": list(cc_covariates)}


__all__ += ["select", "covariate_sets"]


def posthoc_table(tukey: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """Every outcome of ``tests`` with its Tukey comparisons, or one row saying none were run.

    A tidy record of the post hoc step that is never empty: outcomes whose site effect was
    not significant appear once, with ``posthoc_run`` False and empty comparison columns.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, posthoc_run`` plus the columns of
        :func:`tukey_where_significant`.
    """
    keys = tests[OUTCOME].drop_duplicates()
    run = tukey.assign(posthoc_run=True) if len(tukey) else tukey.assign(posthoc_run=pd.Series(dtype=bool))
    out = keys.merge(run, on=OUTCOME, how="left")
    out["posthoc_run"] = out["posthoc_run"].astype("boolean").fillna(False).astype(bool)
    if "significant" in out:
        out["significant"] = out["significant"].astype("boolean")
    return out[[*OUTCOME, "posthoc_run", *[c for c in out.columns if c not in (*OUTCOME, "posthoc_run")]]]


__all__ += ["posthoc_table"]


def resolve_reference_site(scores: pd.DataFrame, requested: str | None) -> str | None:
    """``requested`` if that site has scores in ``scores``, else None.

    Examples
    --------
    >>> s = pd.DataFrame({"site": ["A", "B"], "score": [1.0, None]})
    >>> resolve_reference_site(s, "A"), resolve_reference_site(s, "B"), resolve_reference_site(s, None)
    ('A', None, None)
    """
    if not requested:
        return None
    present = set(scores.dropna(subset=["score"])["site"])
    return requested if requested in present else None


__all__ += ["resolve_reference_site"]


def site_spread(standardised: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, the lowest and highest standardised site mean and their distance, widest first.

    Parameters
    ----------
    standardised : DataFrame
        From :func:`standardised_site_means`.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, z_min, site_min, z_max, site_max, z_range``.
    """
    rows = []
    for key, f in standardised.dropna(subset=["z"]).groupby(OUTCOME, sort=False):
        lo, hi = f.loc[f["z"].idxmin()], f.loc[f["z"].idxmax()]
        rows.append({**dict(zip(OUTCOME, key)), "z_min": float(lo["z"]), "site_min": lo["site"],
                     "z_max": float(hi["z"]), "site_max": hi["site"], "z_range": float(hi["z"] - lo["z"])})
    return pd.DataFrame(rows).sort_values("z_range", ascending=False, kind="stable").reset_index(drop=True)


def countries_with_data(scores: pd.DataFrame, countries: pd.Series) -> pd.Series:
    """Country of each site that has at least one score (indexed by site, sorted)."""
    present = set(scores.dropna(subset=["score"])["site"])
    return countries[countries.index.isin(present)].sort_index()


__all__ += ["site_spread", "countries_with_data"]


def reproduction_problems(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a reproduction table that are not reproduced, inconsistent first."""
    from .reproduce import STATUSES

    rank = {s: k for k, s in enumerate(reversed(STATUSES))}
    out = table[table["status"] != STATUSES[0]]
    return out.sort_values("status", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)


__all__ += ["reproduction_problems"]


def flag_consequences(flags: pd.DataFrame, f_audit: pd.DataFrame, published, alpha: float = 0.05) -> pd.DataFrame:
    """What each flagged published value means for the article's other numbers and its decisions.

    Parameters
    ----------
    flags : DataFrame
        From :func:`audit_flags`.
    f_audit : DataFrame
        From :func:`helpers.audit.audit_f_from_means` (which uses the corrected SEMs).
    published : Published
    alpha : float

    Returns
    -------
    DataFrame
        ``flags`` plus ``row_f_consistent`` (for an SEM: whether its row's printed F is
        consistent once the SEM is corrected), ``p_low, p_high`` (for an F: the p range of the
        F values its row allows, with the printed degrees of freedom) and ``decision_open``
        (that range straddles ``alpha``).
    """
    from .audit import p_interval_from_f

    fa = f_audit.set_index(OUTCOME)
    an = published.anova.set_index(OUTCOME)
    out = flags.copy()
    row_ok, p_lo, p_hi, open_ = [], [], [], []
    for r in out.itertuples(index=False):
        key = (r.group, r.measure, r.subscale)
        row_ok.append(bool(fa.loc[key, "consistent"]) if r.check == "impossible SEM" and key in fa.index else np.nan)
        if r.check.startswith("F ") and key in an.index:
            lo, hi = p_interval_from_f(r.expected_low, r.expected_high, int(an.loc[key, "df_between"]),
                                       int(an.loc[key, "df_within"]))
            p_lo.append(lo)
            p_hi.append(hi)
            open_.append(bool(lo < alpha <= hi))
        else:
            p_lo.append(np.nan)
            p_hi.append(np.nan)
            open_.append(False)
    return out.assign(row_f_consistent=row_ok, p_low=p_lo, p_high=p_hi, decision_open=open_)


__all__ += ["flag_consequences"]
