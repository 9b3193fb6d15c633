"""Checks, robust alternatives, adjusted comparisons, multiplicity and clustering over every outcome."""

import numpy as np
import pandas as pd
import pytest

from helpers import survey
from helpers.io import load_dataset, write_dataset
from helpers.io.paths import SYNTHETIC_DIR
from helpers.stats import adjusted_pairwise, anova_effect_sizes, icc_oneway, levene_test, welch_anova


@pytest.fixture(scope="module")
def clustered(tmp_path_factory, instruments):
    """The synthetic data with the optional team and care_coordinator_id columns added (4 teams per site)."""
    folder = tmp_path_factory.mktemp("clustered") / "data"
    tables = {
        n: pd.read_csv(SYNTHETIC_DIR / f"{n}.csv", dtype={"participant_id": str})
        for n in ("sites", "service_users", "care_coordinators")
    }
    rng = np.random.default_rng(9)
    cc = tables["care_coordinators"]
    cc["team"] = cc["site"] + " team " + pd.Series(rng.integers(1, 5, len(cc))).astype(str)
    su = tables["service_users"]
    chosen = [rng.choice(cc.loc[cc["site"] == s, "participant_id"].to_numpy()) for s in su["site"]]
    su["care_coordinator_id"] = chosen
    su["team"] = su["care_coordinator_id"].map(dict(zip(cc["participant_id"], cc["team"])))
    write_dataset(folder, tables["sites"], su, cc)
    return load_dataset(folder, instruments)


def test_assumption_checks_per_outcome_repeat_the_single_functions(scores, cfg):
    checks = survey.assumption_checks(scores, center=cfg.levene_center, confidence=cfg.confidence)
    assert len(checks) == scores.groupby(["group", "measure", "subscale"]).ngroups == 22
    example = survey.select(scores, group="care_coordinators", subscale="Choice").dropna(subset=["score"])
    row = survey.select(checks, group="care_coordinators", subscale="Choice").iloc[0]
    assert row["levene_W"] == levene_test(example, "score", "site", center="median").iloc[0]["W"]
    assert row["welch_p"] == welch_anova(example, "score", "site").iloc[0]["p"]
    es = anova_effect_sizes(example, "score", "site", confidence=0.95).iloc[0]
    assert (row["omega_squared"], row["es_ci_high"]) == (es["omega_squared"], es["ci_high"])
    assert (checks["reason"] == "").all()


def test_games_howell_and_ancova_checks_per_outcome(scores, synthetic, cfg):
    gh = survey.games_howell_by_outcome(survey.select(scores, measure="STAR-P"), confidence=cfg.confidence)
    assert len(gh) == 4 * 15
    slopes = survey.slopes_by_outcome(
        survey.select(scores, measure="ES"),
        synthetic,
        covariates=cfg.covariate_sets,
        categorical=cfg.categorical_covariates,
    )
    assert set(slopes["covariate"]) == {"age", "years_in_services"}
    assert slopes["p"].between(0, 1).all()
    resid = survey.ancova_residuals_by_outcome(
        scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    assert len(resid) == 22 and resid["shapiro_W"].between(0.5, 1).all()


def test_ancova_checks_with_a_missing_covariate_column_say_why(scores, synthetic, cfg):
    covs = {"service_users": ["age", "not_collected"], "care_coordinators": ["age"]}
    slopes = survey.slopes_by_outcome(survey.select(scores, measure="ES"), synthetic, covariates=covs, categorical=[])
    assert slopes["reason"].str.contains("fewer than two groups").all()


def test_adjusted_pairs_only_for_significant_ancovas(scores, synthetic, cfg):
    anova = survey.anova_by_outcome(scores)
    adj = survey.ancova_by_outcome(
        scores, synthetic, covariates=cfg.covariate_sets, categorical=cfg.categorical_covariates
    )
    tests = survey.outcome_tests(anova, adj, alpha=cfg.alpha)
    pairs = survey.adjusted_pairs_where_significant(
        scores,
        synthetic,
        tests,
        covariates=cfg.covariate_sets,
        categorical=cfg.categorical_covariates,
        adjustment="tukey",
        alpha=cfg.alpha,
        confidence=cfg.confidence,
    )
    chosen = tests[tests["significant_adj"]][["group", "subscale"]]
    assert set(map(tuple, pairs[["group", "subscale"]].drop_duplicates().values)) == set(map(tuple, chosen.values))
    # On the synthetic data adjustment changes no decision (the article's finding): the adjusted
    # comparisons are those of the significant one-way ANOVAs, among them care coordinators' Choice.
    assert tests["significant_adj"].tolist() == tests["significant"].tolist()
    assert ("care_coordinators", "Choice") in set(map(tuple, chosen.values))
    one = survey.select(pairs, group="care_coordinators", subscale="Choice")
    frame = survey.with_covariates(
        survey.select(scores, group="care_coordinators", subscale="Choice"),
        synthetic,
        "care_coordinators",
        cfg.cc_covariates,
    )
    direct = adjusted_pairwise(
        frame,
        "score",
        "site",
        covariates=list(cfg.cc_covariates),
        categorical=survey.factor_covariates(cfg.cc_covariates, categorical=cfg.categorical_covariates),
        adjustment="tukey",
        confidence=cfg.confidence,
    )
    np.testing.assert_allclose(one["p_adjusted"], direct["p_adjusted"])
    none = survey.adjusted_pairs_where_significant(
        scores,
        synthetic,
        tests.assign(significant_adj=False),
        covariates=cfg.covariate_sets,
        categorical=cfg.categorical_covariates,
        adjustment="tukey",
        alpha=cfg.alpha,
        confidence=cfg.confidence,
    )
    assert none.empty and list(none.columns) == survey.ADJUSTED_PAIR_COLUMNS


def test_corrected_tests_families_are_instrument_and_group(scores):
    anova = survey.anova_by_outcome(scores)
    tests = survey.outcome_tests(anova, alpha=0.05)
    out = survey.corrected_tests(tests, method="holm", alpha=0.05)
    sizes = out.groupby(["group", "measure"])["family_size"].first().to_dict()
    assert sizes == {
        ("care_coordinators", "RSA"): 6,
        ("service_users", "ES"): 6,
        ("service_users", "RSA"): 6,
        ("service_users", "STAR-P"): 4,
    }
    assert (out["p_corrected"] >= out["p"]).all()
    unchanged = survey.corrected_tests(tests, method="none", alpha=0.05)
    np.testing.assert_array_equal(unchanged["p_corrected"], tests["p"])


def test_icc_and_multilevel_on_the_default_data_use_sites_only(scores, synthetic, cfg):
    assert survey.cluster_levels_present(synthetic, "service_users", cfg.cluster_levels) == []
    icc = survey.icc_by_outcome(scores, synthetic, levels=cfg.cluster_levels, confidence=cfg.confidence)
    assert set(icc["level"]) == {"site"} and len(icc) == 22
    example = survey.select(scores, group="care_coordinators", subscale="Choice").dropna(subset=["score"])
    row = survey.select(icc, group="care_coordinators", subscale="Choice").iloc[0]
    assert row["icc"] == icc_oneway(example, "score", "site", confidence=cfg.confidence).iloc[0]["icc"]
    ml = survey.multilevel_by_outcome(survey.select(scores, measure="STAR-P"), synthetic, levels=cfg.cluster_levels)
    assert set(ml["model"]) == {"random intercepts for sites"}
    assert ml["status"].isin(["", "singular fit: the variance between sites is estimated at zero"]).all()


def test_icc_and_multilevel_read_team_and_coordinator_when_present(clustered, instruments, cfg):
    scores = survey.select(
        survey.outcome_scores(clustered, instruments, max_missing=cfg.max_missing), measure="STAR-P", subscale="Total"
    )
    assert survey.cluster_levels_present(clustered, "service_users", cfg.cluster_levels) == [
        "team",
        "care_coordinator_id",
    ]
    assert survey.cluster_levels_present(clustered, "care_coordinators", cfg.cluster_levels) == ["team"]
    icc = survey.icc_by_outcome(scores, clustered, levels=cfg.cluster_levels, confidence=cfg.confidence)
    assert icc["level"].tolist() == ["site", "team", "care_coordinator_id"]
    assert icc.loc[1, "clusters"] == 24
    ml = survey.multilevel_by_outcome(scores, clustered, levels=cfg.cluster_levels)
    row = ml.iloc[0]
    assert row["model"] == "site fixed; random intercepts for team, care_coordinator_id"
    assert row["df"] == 5 and (row["status"] == "" or row["status"].startswith(("singular", "the model")))


@pytest.mark.parametrize("variant", ["one site", "one respondent per site", "identical scores"])
def test_every_check_survives_degenerate_data_and_says_why(scores, synthetic, cfg, variant):
    part = survey.select(scores, measure="STAR-P").dropna(subset=["score"])
    if variant == "one site":
        part = part[part["site"] == "Artois"]
    elif variant == "one respondent per site":
        part = part.groupby(["subscale", "site"]).head(1)
    else:
        part = part.assign(score=2.0)
    checks = survey.assumption_checks(part, center=cfg.levene_center, confidence=cfg.confidence)
    assert checks["levene_W"].isna().all() and (checks["reason"] != "").all()
    assert survey.games_howell_by_outcome(part, confidence=cfg.confidence).empty
    kw = {"covariates": cfg.covariate_sets, "categorical": cfg.categorical_covariates}
    assert (survey.slopes_by_outcome(part, synthetic, **kw)["reason"] != "").all()
    assert (survey.ancova_residuals_by_outcome(part, synthetic, **kw)["reason"] != "").all()
    emm = survey.adjusted_means_by_outcome(part, synthetic, confidence=cfg.confidence, **kw)
    assert emm["emm"].isna().all() and (emm["reason"] != "").all()
    icc = survey.icc_by_outcome(part, synthetic, levels=cfg.cluster_levels, confidence=cfg.confidence)
    assert icc["icc"].isna().all() and (icc["reason"] != "").all()
    ml = survey.multilevel_by_outcome(part, synthetic, levels=cfg.cluster_levels)
    assert ml["p"].isna().all() and (ml["status"] != "").all()
