"""Feasibility of each analysis, and the survey loops that run only what is estimable."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

from helpers import survey
from helpers.survey.feasibility import compare_units, model_parameters


@pytest.fixture(scope="module")
def degenerate(synthetic):
    """The synthetic data with Dauphine reduced to one service user and Champagne without STAR-P answers."""
    users = synthetic.service_users.copy()
    at_dauphine = users.index[users["site"] == "Dauphine"]
    users = users.drop(at_dauphine[1:]).reset_index(drop=True)
    starp = [c for c in users.columns if c.startswith("starp_")]
    users.loc[users["site"] == "Champagne", starp] = np.nan
    return replace(synthetic, service_users=users)


@pytest.fixture(scope="module")
def degenerate_scores(degenerate, instruments, cfg):
    return survey.outcome_scores(degenerate, instruments, max_missing=cfg.max_missing)


def test_every_analysis_is_estimable_on_the_synthetic_data(scores, synthetic, cfg):
    table = survey.feasibility(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    assert table["estimable"].all() and (table["reason"] == "").all()
    assert len(table) == 5 * 22 and set(table["units"]) == {6}
    assert tuple(dict.fromkeys(table["analysis"])) == survey.ANALYSES
    assert (table["excluded_units"] == "").all() and (table["covariates_dropped"] == "").all()


def test_sites_too_small_or_without_scores_are_named_with_their_rows(degenerate, degenerate_scores, cfg):
    table = survey.feasibility(
        degenerate_scores, degenerate, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    row = table[(table["analysis"] == "anova") & (table["measure"] == "STAR-P") & (table["subscale"] == "Total")]
    row = row.iloc[0]
    assert bool(row["estimable"]) and row["units"] == 4
    assert row["excluded_units"] == "Champagne (0); Dauphine (1)"
    dauphine_row = int(degenerate.service_users.index[degenerate.service_users["site"] == "Dauphine"][0]) + 2
    assert row["rows"] == f"row {dauphine_row} (spreadsheet numbering, header = row 1)"
    assert row["file"] == "service_users.csv"
    # the care coordinators keep every site
    cc = table[(table["analysis"] == "anova") & (table["group"] == "care_coordinators")]
    assert (cc["units"] == 6).all() and (cc["excluded_units"] == "").all()


def test_anova_leaves_out_small_sites_and_matches_pingouin(degenerate_scores):
    anova = survey.anova_by_outcome(degenerate_scores)
    got = anova[(anova["measure"] == "STAR-P") & (anova["subscale"] == "Total")].iloc[0]
    one = degenerate_scores[(degenerate_scores["measure"] == "STAR-P") & (degenerate_scores["subscale"] == "Total")]
    one = one.dropna(subset=["score"])
    kept = one[~one["site"].isin(["Dauphine"])]
    expected = pg.anova(data=kept, dv="score", between="site").iloc[0]
    assert got["k"] == 4 and got["df_between"] == 3
    assert got["F"] == pytest.approx(expected["F"]) and got["p"] == pytest.approx(expected["p-unc"])


def test_one_site_leaves_nothing_to_compare(synthetic, scores, cfg):
    one = replace(synthetic, sites=synthetic.sites[synthetic.sites["site"] == "Artois"].reset_index(drop=True))
    artois = scores[scores["site"] == "Artois"]
    table = survey.feasibility(artois, one, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    assert not table["estimable"].any()
    reasons = set(table.loc[table["analysis"] == "anova", "reason"])
    assert reasons == {"fewer than 2 sites with at least 2 respondents (1: Artois)"}
    assert survey.anova_by_outcome(artois).empty
    assert list(survey.anova_by_outcome(artois).columns[:4]) == ["group", "measure", "subscale", "n"]
    assert survey.ancova_by_outcome(
        artois, one, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    ).empty
    assert survey.tukey_by_outcome(artois, alpha=0.05, confidence=0.95).empty


def test_a_scale_without_variance_is_not_estimable():
    frame = pd.DataFrame({"site": list("aabbcc"), "score": 3.0})
    assert compare_units(frame).reason == "every respondent gave the same score"
    # different site means but no spread within any site: F would be infinite
    frame = pd.DataFrame({"site": list("aabbcc"), "score": [1.0, 1, 2, 2, 3, 3]})
    assert compare_units(frame).reason == "the score does not vary within any of the sites"


def test_blank_covariates_are_dropped_from_the_ancova_with_the_reason(synthetic, scores, cfg):
    users = synthetic.service_users.assign(years_in_services=np.nan, relationship_status=pd.NA)
    data = replace(synthetic, service_users=users)
    table = survey.feasibility(scores, data, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    row = table[(table["analysis"] == "ancova") & (table["measure"] == "ES") & (table["subscale"] == "Total")].iloc[0]
    assert bool(row["estimable"])
    assert row["covariates_dropped"] == (
        "relationship_status: blank for everyone (not collected); years_in_services: blank for everyone (not collected)"
    )
    adjusted = survey.ancova_by_outcome(
        scores, data, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    got = adjusted[(adjusted["measure"] == "ES") & (adjusted["subscale"] == "Total")].iloc[0]
    # cross-check with statsmodels on the covariates that remain
    es = scores[(scores["measure"] == "ES") & (scores["subscale"] == "Total")].dropna(subset=["score"])
    merged = es.merge(users[["participant_id", "age", "gender", "ethnicity"]], on="participant_id").dropna()
    fit = smf.ols("score ~ C(site) + age + C(gender) + C(ethnicity)", data=merged).fit()
    expected = anova_lm(fit, typ=2).loc["C(site)"]
    assert got["n"] == len(merged) and got["F"] == pytest.approx(expected["F"])


def test_too_few_complete_cases_for_the_model():
    data = pd.DataFrame({"site": list("aabb"), "age": [1.0, 2, 3, 4], "sex": list("fmfm")})
    assert model_parameters(data, "site", ["age"], ["sex"]) == 4
    assert model_parameters(data, "site", [], []) == 2


def test_country_needs_two_labels_with_two_sites_each(synthetic, scores, cfg):
    table = survey.feasibility(scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    assert table.loc[table["analysis"] == "country", "estimable"].all()
    sites = synthetic.sites.assign(country=["England", "Wales", "England", "England", "England", "England"])
    lone = survey.feasibility(
        scores, replace(synthetic, sites=sites), covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    reasons = set(lone.loc[lone["analysis"] == "country", "reason"])
    assert reasons == {"only one compared site carries the label 'Wales', so the label cannot be told apart from it"}
    one_label = replace(synthetic, sites=synthetic.sites.assign(country="Ontario"))
    table = survey.feasibility(scores, one_label, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates)
    assert set(table.loc[table["analysis"] == "country", "reason"]) == {
        "the compared sites carry 1 grouping label, not two"
    }


def test_sensitivity_runs_only_estimable_comparisons(degenerate, instruments):
    sens = survey.sensitivity_by_outcome(degenerate, instruments, thresholds=[0.0, 0.5])
    total = sens[(sens["measure"] == "STAR-P") & (sens["subscale"] == "Total")]
    assert len(total) == 2 and (total["df_between"] == 3).all()
    empty = survey.sensitivity_compact(sens.iloc[:0], alpha=0.05)
    assert empty.empty and "decision" in empty.columns


def test_lookup_names_the_reason(degenerate, degenerate_scores, cfg):
    table = survey.feasibility(
        degenerate_scores, degenerate, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    assert survey.lookup(table, "anova", "service_users", "STAR-P", "Total") == ""
    assert not survey.not_estimable(table).empty or table["estimable"].all()
