"""The analysis settings: one file, read into one frozen object, every problem listed."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from helpers.io import CONFIG_FILE, AnalysisConfig, ConfigError, load_config, setting_names


def test_the_file_holds_every_setting_and_nothing_else():
    raw = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    assert list(raw) == setting_names()


def test_the_article_settings():
    cfg = load_config()
    assert (cfg.alpha, cfg.confidence, cfg.max_missing, cfg.acceptable_reliability) == (0.05, 0.95, 0.5, 0.7)
    assert cfg.sensitivity_thresholds == (0.0, 0.2, 0.3, 0.4, 0.5)
    assert cfg.normality_limits == (1.0, 2.0)
    assert cfg.covariates("service_users") == ["age", "gender", "ethnicity", "relationship_status", "years_in_services"]
    assert cfg.covariate_sets["care_coordinators"][-1] == "years_as_care_coordinator"
    assert cfg.correlation_sizes == {"small": 0.1, "medium": 0.3, "large": 0.5}


def test_overrides_apply_to_one_run_only():
    cfg = load_config(overrides={"alpha": 0.01, "confidence": 0.99, "su_covariates": ["age"]})
    assert (cfg.alpha, cfg.confidence, cfg.su_covariates) == (0.01, 0.99, ("age",))
    assert cfg.confidence_label == "99 % CI"
    assert load_config().alpha == 0.05


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_config().alpha = 0.1  # type: ignore[misc]


def test_every_problem_is_listed_at_once(tmp_path):
    path = tmp_path / "analysis.yaml"
    raw = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    raw.pop("confidence")
    raw["alpha"] = 1.5
    raw["posthoc_when"] = "always"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, overrides={"alhpa": 0.01})
    message = str(caught.value)
    assert str(path) in message and "4 problem(s)" in message
    for expected in ("'alhpa'", "'confidence' is missing", "'alpha' is 1.5", "'posthoc_when' is 'always'"):
        assert expected in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("alpha", 0),
        ("alpha", True),
        ("max_missing", 1.0),
        ("sensitivity_thresholds", []),
        ("correlation_sizes", {"small": 0.5, "medium": 0.3, "large": 0.1}),
        ("frequency_thresholds", [0.6, 0.3]),
        ("reference_site", ""),
        ("starp_reference", {"mean": 37.0}),
        ("max_exact_sites", 12),
        ("su_covariates", "age"),
        ("multiplicity", "bonferroni"),
        ("levene_center", "trimmed"),
        ("emm_adjustment", "scheffe"),
        ("cluster_levels", "team"),
    ],
)
def test_invalid_values_are_refused(name, value):
    with pytest.raises(ConfigError, match=repr(name)):
        load_config(overrides={name: value})


def test_an_unreadable_file_names_itself(tmp_path):
    path = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError, match="missing.yaml"):
        load_config(path)
    assert isinstance(load_config(), AnalysisConfig)
