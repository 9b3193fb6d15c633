"""The data contract of the questionnaire tables."""

from __future__ import annotations

from helpers.io import FORMATS, GROUPS, OUTCOME, TABLES


def test_groups_and_their_covariates():
    su, cc = GROUPS["service_users"], GROUPS["care_coordinators"]
    assert su.covariates == ("age", "gender", "ethnicity", "years_in_services", "relationship_status")
    assert cc.covariates == ("age", "gender", "ethnicity", "years_in_mental_health", "years_as_care_coordinator")
    assert su.required_columns[:2] == ("participant_id", "site")
    assert su.label == "Service users" and cc.name == "care_coordinators"


def test_tables_formats_and_outcome_key():
    assert TABLES == ("sites", "service_users", "care_coordinators")
    assert FORMATS == (".csv", ".xlsx", ".sav")
    assert OUTCOME == ["group", "measure", "subscale"] and isinstance(OUTCOME, list)
