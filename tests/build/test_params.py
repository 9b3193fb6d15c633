"""Parameters of a run: ``NAME=VALUE`` parsing, checking against the analysis settings, what a chapter receives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.build import BookError, ParameterError, UnknownParameterError, check_parameters, parse_param
from helpers.build.params import CHAPTER_PARAMETERS, jsonable, notebook_parameters
from helpers.io import CONFIG_FILE, load_config, setting_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alpha=0.01", ("alpha", 0.01)),
        ("seed=7", ("seed", 7)),
        ("reference_site=Artois", ("reference_site", "Artois")),
        ("reference_site='Artois'", ("reference_site", "Artois")),
        ("reference_site=Bryn Glas", ("reference_site", "Bryn Glas")),
        ("label='3'", ("label", "3")),
        ("su_covariates=['age', 'gender']", ("su_covariates", ["age", "gender"])),
        ("su_covariates=[]", ("su_covariates", [])),
        ("starp_reference=None", ("starp_reference", None)),
        ("flag=True", ("flag", True)),
        ("es_reference={'mean': 2.9, 'sd': 0.4}", ("es_reference", {"mean": 2.9, "sd": 0.4})),
        ("note=", ("note", "")),
        ("expr=1+", ("expr", "1+")),
        (" alpha = 0.1 ", ("alpha", 0.1)),
        ("path=/data/x=1", ("path", "/data/x=1")),
    ],
)
def test_parse_param(text, expected):
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["alpha", "=1", "1alpha=2", "my-param=3"])
def test_parse_param_rejects_bad_names(text):
    with pytest.raises(ParameterError):
        parse_param(text)


def test_no_parameters_give_the_settings_file():
    assert check_parameters({}) == load_config()


def test_parameters_override_the_settings_file():
    config = check_parameters(
        {"alpha": 0.01, "reference_site": "Artois", "su_covariates": ["age"], "normality_limits": (1.5, 3)}
    )
    assert config.alpha == 0.01 and config.reference_site == "Artois"
    assert config.su_covariates == ("age",)
    assert config.normality_limits == (1.5, 3.0)
    assert config.max_missing == load_config().max_missing  # untouched settings keep the file's value
    assert check_parameters({"reference_site": None}).reference_site is None


def test_every_problem_and_the_known_settings_are_listed():
    with pytest.raises(UnknownParameterError) as err:
        check_parameters({"alpah": 0.01, "data_dir": "/elsewhere", "alpha": "small", "posthoc_when": "never"})
    message = str(err.value)
    assert err.value.unknown == ["alpah"]
    assert "unknown parameter 'alpah' (did you mean 'alpha'?)" in message
    assert "parameter 'data_dir' cannot be set" in message
    assert "parameter 'alpha' is 'small'; it must be a number between 0 and 1" in message
    assert "parameter 'posthoc_when' is 'never'; it must be one of either, anova, both" in message
    assert len(err.value.problems) == 4
    assert err.value.known == setting_names()
    assert message.splitlines()[-1] == "known parameters: " + ", ".join(setting_names())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"data_dir": "/elsewhere"}, "'data_dir' cannot be set"),
        ({"output_dir": "/elsewhere"}, "'output_dir' cannot be set"),
        ({"settings": {"alpha": 0.1}}, "'settings' cannot be set: give each analysis setting as its own --param"),
        ({"alpha": [0.1]}, "'alpha' is \\[0.1\\]; it must be a number between 0 and 1"),
        ({"alpha": 1}, "'alpha' is 1; it must be a number between 0 and 1"),
        ({"reference_site": 3}, "'reference_site' is 3; it must be a site name or null"),
        ({"max_exact_sites": 9.5}, "'max_exact_sites' is 9.5; it must be a whole number"),
        ({"correlation_sizes": {"small": 0.5, "medium": 0.3, "large": 0.1}}, "'correlation_sizes'"),
    ],
)
def test_reserved_and_invalid_parameters_are_rejected(params, message):
    with pytest.raises(ParameterError, match=message) as err:
        check_parameters(params)
    assert not isinstance(err.value, UnknownParameterError)
    assert str(err.value).splitlines()[-1].startswith("known parameters: alpha, confidence, ")


def test_a_broken_settings_file_is_not_a_parameter_problem(tmp_path):
    config = tmp_path / "analysis.yaml"
    config.write_text(CONFIG_FILE.read_text(encoding="utf-8").replace("alpha: 0.05", "alpha: 5"), encoding="utf-8")
    with pytest.raises(BookError, match="'alpha' is 5") as err:
        check_parameters({"alpha": 0.01}, config)
    assert not isinstance(err.value, ParameterError)


def test_each_chapter_receives_only_what_it_declares():
    data, out = Path("/data/set"), Path("/out/results")
    params = {"alpha": 0.01, "normality_limits": (1.5, 3.0)}
    every = {name: {} for name in CHAPTER_PARAMETERS}
    assert notebook_parameters(every, params, data, out) == {
        "data_dir": "/data/set",
        "output_dir": "/out/results",
        "settings": {"alpha": 0.01, "normality_limits": [1.5, 3.0]},
    }
    assert notebook_parameters({"data_dir": {}}, params, data, out) == {"data_dir": "/data/set"}
    assert notebook_parameters({}, params, data, out) == {}
    assert notebook_parameters(every, {}, data, out)["settings"] == {}


def test_jsonable():
    assert jsonable({"a": (1, 2.5), 3: {"b": None, "c": {True}}, "d": Path("/x")}) == {
        "a": [1, 2.5],
        "3": {"b": None, "c": [True]},
        "d": repr(Path("/x")),
    }


# --------------------------------------------------------------------------- meaning, against the dataset


def test_parameters_must_name_what_the_dataset_holds(second_dataset):
    params = {
        "su_covariates": ["age", "gendr"],
        "cc_covariates": ["age", "shoe_size"],
        "categorical_covariates": ["gender", "colour"],
        "reference_site": "Burgundy",
    }
    with pytest.raises(ParameterError) as caught:
        check_parameters(params, data_dir=second_dataset.folder)
    text = "\n".join(caught.value.problems)
    assert "'gendr', not a column of the service_users table; valid: age, gender, ethnicity" in text
    assert "'shoe_size', not a column of the care_coordinators table" in text
    assert "'colour', not a covariate of this run" in text
    # the second dataset renames every site: Burgundy is not one of them, and the valid ones are listed
    assert "'Burgundy', not a site of the sites table; valid: Kestrel Vale, Afon Cymru, Bryn Glas" in text
    assert "rsa_01" not in text and "participant_id" not in text


def test_meaning_and_type_problems_are_listed_together(second_dataset):
    with pytest.raises(ParameterError) as caught:
        check_parameters({"alpha": 1.5, "reference_site": "Nowhere"}, data_dir=second_dataset.folder)
    text = str(caught.value)
    assert "'alpha' is 1.5" in text and "'Nowhere', not a site" in text


def test_defaults_are_not_held_against_a_dataset(second_dataset):
    # the settings file's reference site (Burgundy) is absent from the second dataset: the chapters say so
    config = check_parameters({"alpha": 0.01, "reference_site": "Afon Cymru"}, data_dir=second_dataset.folder)
    assert (config.alpha, config.reference_site) == (0.01, "Afon Cymru")
    assert check_parameters({}, data_dir=second_dataset.folder).reference_site == "Burgundy"


def test_covariates_beyond_the_contract_are_accepted_when_the_file_has_them(tmp_path, second_dataset):
    folder = tmp_path / "data"
    shutil.copytree(second_dataset.folder, folder)
    users = pd.read_csv(folder / "service_users.csv", dtype=str, keep_default_na=False)
    users.assign(team="North").to_csv(folder / "service_users.csv", index=False, lineterminator="\n")
    config = check_parameters({"su_covariates": ["age", "team"]}, data_dir=folder)
    assert config.su_covariates == ("age", "team")
