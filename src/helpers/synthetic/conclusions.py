"""The article's stated conclusions, checked on a dataset with the package's own analyses.

The article states some findings in words rather than numbers: that mean replacement up
to 50 % made no substantive difference, that no national pattern appeared, that adjusting
for the covariates changed no site comparison of substance, where the post hoc tests
placed the STAR-P differences, and the significance of each correlation. A synthetic
dataset calibrated to the printed numbers must honour these words too. Each conclusion
is evaluated here with the functions the chapters use (:mod:`helpers.survey`), so a
conclusion is met on the synthetic data exactly when the book shows it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.audit import reproduced_at_printed_precision
from helpers.io import OUTCOME, AnalysisConfig, Dataset, Instrument, Published, printed_decimals
from helpers.stats import is_significant, tukey_hsd
from helpers.survey import (
    ancova_by_outcome,
    anova_by_outcome,
    country_comparison,
    outcome_scores,
    sensitivity_by_outcome,
    site_countries,
    total_correlations,
)

__all__ = [
    "CONCLUSIONS",
    "POSTHOC_LEVEL",
    "stated_conclusions",
    "manifest_conclusions",
    "ancova_mismatches",
    "sensitivity_mismatches",
]

#: The stated conclusions, keyed as in the manifest, with the sentence each stands for.
CONCLUSIONS = {
    "a_sensitivity": "site-effect decisions at alpha identical for complete cases and every replacement "
    "threshold of the sensitivity analysis, on every outcome",
    "b_countries": "no difference between the two countries at alpha on any outcome by the book's country test",
    "c_ancova": "ANCOVA decisions identical to the ANOVA decisions on every outcome",
    "d_posthoc": "Tukey tests locate STAR-P differences: the reference site significantly above at least one "
    "other site at the post hoc level",
    "e_correlations": "each correlation's p as printed (p printed as 0.000 below 0.0005)",
}
#: The level at which the article's Figure 3 marks the STAR-P difference of its reference site.
POSTHOC_LEVEL = 0.01


def _label(key) -> str:
    return " ".join(str(k) for k in key)


def sensitivity_mismatches(
    dataset: Dataset, instruments: Mapping[str, Instrument], settings: AnalysisConfig
) -> list[str]:
    """Outcomes whose site-effect decision differs between sensitivity thresholds."""
    sens = sensitivity_by_outcome(dataset, instruments, thresholds=settings.sensitivity_thresholds)
    out = []
    for key, f in sens.groupby(OUTCOME, sort=False):
        decisions = {is_significant(p, settings.alpha) for p in f["p"]}
        if len(decisions) > 1:
            ps = ", ".join(f"{t:g}: p = {p:.3f}" for t, p in zip(f["threshold"], f["p"]))
            out.append(f"{_label(key)} ({ps})")
    return out


def ancova_mismatches(scores: pd.DataFrame, dataset: Dataset, settings: AnalysisConfig) -> list[str]:
    """Outcomes whose ANCOVA decision differs from the ANOVA decision."""
    anova = anova_by_outcome(scores).set_index(OUTCOME)
    ancova = ancova_by_outcome(
        scores, dataset, covariates=settings.covariate_sets, categorical=settings.categorical_covariates
    ).set_index(OUTCOME)
    out = []
    for key in anova.index:
        p_anova, p_ancova = float(anova.loc[key, "p"]), float(ancova.loc[key, "p"])
        if is_significant(p_anova, settings.alpha) != is_significant(p_ancova, settings.alpha):
            out.append(f"{_label(key)} (ANOVA p = {p_anova:.3f}, ANCOVA p = {p_ancova:.3f})")
    return out


def _country_differences(scores: pd.DataFrame, dataset: Dataset, settings: AnalysisConfig) -> list[str]:
    tests = country_comparison(scores, site_countries(dataset), confidence=settings.confidence)
    bad = tests[tests["testable"] & (tests["p"] < settings.alpha)]
    return [f"{_label(k)} (p = {p:.3f})" for k, p in zip(bad[OUTCOME].itertuples(index=False, name=None), bad["p"])]


def _posthoc(scores: pd.DataFrame, settings: AnalysisConfig) -> tuple[bool, str]:
    reference = settings.reference_site
    found = []
    for key, f in scores[scores["measure"] == "STAR-P"].groupby(OUTCOME, sort=False):
        data = f.dropna(subset=["score"])
        if reference not in set(data["site"]):
            continue
        pairs = tukey_hsd(data, "score", "site", reference=reference, alpha=POSTHOC_LEVEL, confidence=0.99)
        mean_ref = data.loc[data["site"] == reference, "score"].mean()
        for r in pairs.itertuples(index=False):
            other = r.group_b if r.group_a == reference else r.group_a
            other_mean = data.loc[data["site"] == other, "score"].mean()
            if r.p_tukey < POSTHOC_LEVEL and mean_ref > other_mean:
                found.append(f"{_label(key)}: {reference} above {other} (p = {r.p_tukey:.4f})")
    return bool(found), "; ".join(found) if found else f"no STAR-P scale has {reference} significantly above a site"


def _correlations(scores: pd.DataFrame, published: Published, settings: AnalysisConfig) -> list[str]:
    corr = total_correlations(scores, confidence=settings.confidence, sizes=settings.correlation_sizes)
    out = []
    for rec in published.correlations.itertuples(index=False):
        sel = corr[
            ((corr["x"] == rec.measure_a) & (corr["y"] == rec.measure_b))
            | ((corr["x"] == rec.measure_b) & (corr["y"] == rec.measure_a))
        ]
        decimals = printed_decimals(rec.p_as_printed_text, 3)
        p = float(sel["p"].iloc[0]) if len(sel) else float("nan")
        if not reproduced_at_printed_precision(p, rec.p_as_printed, decimals):
            out.append(f"{rec.measure_a}-{rec.measure_b} (p = {p:.4f}, printed {rec.p_as_printed:.{decimals}f})")
    return out


def stated_conclusions(
    dataset: Dataset,
    instruments: Mapping[str, Instrument],
    published: Published,
    settings: AnalysisConfig,
) -> pd.DataFrame:
    """Whether a dataset honours each of the article's stated conclusions.

    Parameters
    ----------
    dataset : Dataset
    instruments : dict of str to Instrument
    published : Published
    settings : AnalysisConfig
        ``alpha``, ``sensitivity_thresholds``, the covariates, ``reference_site``.

    Returns
    -------
    DataFrame
        One row per conclusion of :data:`CONCLUSIONS`: ``conclusion, statement, met,
        detail`` (the outcomes that break it, or what meets it).
    """
    scores = outcome_scores(dataset, instruments, max_missing=settings.max_missing)
    results = {}
    for key, broken in (
        ("a_sensitivity", sensitivity_mismatches(dataset, instruments, settings)),
        ("b_countries", _country_differences(scores, dataset, settings)),
        ("c_ancova", ancova_mismatches(scores, dataset, settings)),
    ):
        results[key] = (not broken, "; ".join(broken) if broken else "every outcome")
    results["d_posthoc"] = _posthoc(scores, settings)
    broken = _correlations(scores, published, settings)
    results["e_correlations"] = (not broken, "; ".join(broken) if broken else "every correlation")
    rows = [
        {"conclusion": k, "statement": CONCLUSIONS[k], "met": bool(results[k][0]), "detail": results[k][1]}
        for k in CONCLUSIONS
    ]
    return pd.DataFrame(rows)


def manifest_conclusions(manifest: Mapping) -> pd.DataFrame:
    """The stated conclusions a synthetic dataset's manifest lists, met or unmet.

    Returns
    -------
    DataFrame
        ``conclusion, statement, met, detail``; empty when the manifest lists none.

    Examples
    --------
    >>> m = {"conclusions": [{"conclusion": "b_countries", "statement": "s", "met": True, "detail": "d"}]}
    >>> manifest_conclusions(m)["met"].tolist(), len(manifest_conclusions({}))
    ([True], 0)
    """
    return pd.DataFrame(list(manifest.get("conclusions") or []), columns=["conclusion", "statement", "met", "detail"])
