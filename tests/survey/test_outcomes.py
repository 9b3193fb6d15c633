"""Outcome scores, site summaries and the site comparison of every outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm

from helpers.io import OUTCOME
from helpers.survey import (
    ancova_by_outcome,
    anova_by_outcome,
    factor_covariates,
    outcome_scores,
    outcome_tests,
    select,
    site_summaries,
    site_summaries_with_published,
)


def test_outcome_scores_cover_the_articles_22_outcomes(scores, synthetic):
    outcomes = scores[OUTCOME].drop_duplicates()
    assert len(outcomes) == 22
    assert (outcomes["group"] == "service_users").sum() == 16
    per_group = scores.groupby("group")["participant_id"].nunique()
    assert per_group.to_dict() == {g: len(synthetic.group(g)) for g in ("care_coordinators", "service_users")}


def test_outcome_scores_follow_the_threshold(synthetic, instruments, scores):
    strict = outcome_scores(synthetic, instruments, max_missing=0.0)
    assert strict["score"].notna().sum() < scores["score"].notna().sum()
    # the scored values that survive complete cases only are the same
    both = strict.dropna(subset=["score"]).merge(scores, on=[*OUTCOME, "participant_id"], suffixes=("_0", "_5"))
    np.testing.assert_allclose(both["score_0"], both["score_5"])


def test_select():
    f = pd.DataFrame({"group": ["a", "b"], "measure": ["RSA", "ES"], "subscale": ["Total", "Total"]})
    assert len(select(f, measure="RSA")) == 1 and len(select(f, subscale="Total")) == 2
    assert select(f, group="b", measure="RSA").empty


def test_site_summaries_match_a_t_interval(scores, cfg):
    summaries = site_summaries(select(scores, measure="ES"), confidence=cfg.confidence)
    row = summaries[(summaries["subscale"] == "Total") & (summaries["site"] == "Burgundy")].iloc[0]
    values = select(scores, measure="ES", subscale="Total")
    values = values.loc[values["site"] == "Burgundy", "score"].dropna()
    low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert (row["n"], row["mean"]) == (len(values), pytest.approx(values.mean()))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    wider = site_summaries(select(scores, measure="ES"), confidence=0.99)
    assert (wider["ci_high"] - wider["ci_low"] > summaries["ci_high"] - summaries["ci_low"]).all()


def test_site_summaries_with_published(scores, cfg, published):
    summaries = site_summaries(scores, confidence=cfg.confidence)
    both = site_summaries_with_published(summaries, published)
    assert both["published_mean"].notna().sum() == len(published.site_means)
    assert site_summaries_with_published(summaries)["published_sem"].isna().all()


def test_anova_by_outcome_matches_scipy(scores):
    anova = anova_by_outcome(scores)
    one = select(scores, group="care_coordinators", measure="RSA", subscale="Choice").dropna(subset=["score"])
    res = stats.f_oneway(*(f["score"] for _, f in one.groupby("site")))
    row = select(anova, group="care_coordinators", subscale="Choice").iloc[0]
    assert row["F"] == pytest.approx(res.statistic) and row["p"] == pytest.approx(res.pvalue)
    assert (row["df_between"], row["df_within"]) == (5, len(one) - 6)


def test_factor_covariates_follow_the_list_not_the_dtype():
    assert factor_covariates(["age", "gender"], categorical=["gender"]) == ["gender"]
    assert factor_covariates(["age", "gender"], categorical=[]) == []
    assert factor_covariates(["age", "gender"], categorical=["age", "gender"]) == ["age", "gender"]


def test_ancova_by_outcome_matches_statsmodels(scores, synthetic, cfg):
    covs = cfg.covariate_sets
    res = ancova_by_outcome(
        select(scores, measure="STAR-P"), synthetic, covariates=covs, categorical=cfg.categorical_covariates
    )
    assert len(res) == 4 and (res["covariates"] == ", ".join(covs["service_users"])).all()
    one = select(scores, measure="STAR-P", subscale="Total").dropna(subset=["score"])
    people = synthetic.service_users[["participant_id", *covs["service_users"]]]
    data = one.merge(people, on="participant_id").dropna()
    model = smf.ols(
        "score ~ C(site) + age + C(gender) + C(ethnicity) + C(relationship_status) + years_in_services", data
    ).fit()
    table = anova_lm(model, typ=2)
    row = res[res["subscale"] == "Total"].iloc[0]
    assert row["F"] == pytest.approx(table.loc["C(site)", "F"])
    assert row["p"] == pytest.approx(table.loc["C(site)", "PR(>F)"])
    assert (row["n"], row["df_resid"]) == (len(data), int(model.df_resid))
    ss = table.loc["C(site)", "sum_sq"]
    assert row["partial_eta_squared"] == pytest.approx(ss / (ss + table.loc["Residual", "sum_sq"]))


def test_ancova_categorical_list_changes_the_model(scores, synthetic, cfg):
    starp = select(scores, measure="STAR-P", subscale="Total")
    covs = {"service_users": ["age", "years_in_services"]}
    numeric = ancova_by_outcome(starp, synthetic, covariates=covs, categorical=[])
    as_factor = ancova_by_outcome(starp, synthetic, covariates=covs, categorical=["years_in_services"])
    analysed = starp.dropna(subset=["score"]).merge(synthetic.service_users, on="participant_id")
    levels = analysed.dropna(subset=["age", "years_in_services"])["years_in_services"].nunique()
    assert numeric.loc[0, "n"] == as_factor.loc[0, "n"]
    assert numeric.loc[0, "df_resid"] - as_factor.loc[0, "df_resid"] == levels - 2
    with pytest.raises(KeyError, match="care_coordinators"):
        ancova_by_outcome(select(scores, group="care_coordinators"), synthetic, covariates=covs, categorical=[])


def test_outcome_tests_flags(small_scores, cfg):
    tests = outcome_tests(anova_by_outcome(small_scores), None, alpha=cfg.alpha)
    flags = tests.set_index("subscale")["flag"]
    assert flags["Total"] == "unadjusted only" and flags["Flat"] == "neither"
    assert tests["p_adj"].isna().all() and not tests["significant_adj"].any()
    adjusted = anova_by_outcome(small_scores).rename(columns={"df_between": "df", "df_within": "df_resid"})
    adjusted = adjusted.assign(partial_eta_squared=adjusted["eta_squared"], p=[0.5, 0.001])
    both = outcome_tests(anova_by_outcome(small_scores), adjusted, alpha=cfg.alpha).set_index("subscale")
    assert both.loc["Total", "flag"] == "unadjusted only" and both.loc["Flat", "flag"] == "adjusted only"
    strict = outcome_tests(anova_by_outcome(small_scores), None, alpha=1e-300)
    assert not strict["significant"].any()


def test_outcome_tests_beside_published(scores, synthetic, cfg, published):
    anova = anova_by_outcome(scores)
    ancova = ancova_by_outcome(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    tests = outcome_tests(anova, ancova, alpha=cfg.alpha, published=published)
    assert tests["published_F"].notna().all() and len(tests) == 22
    expected = [bool(p < cfg.alpha) for p in tests["published_p"]]
    assert tests["published_significant"].tolist() == expected
