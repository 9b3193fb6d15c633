"""The latent starting values and the covariates drawn from the stated assumptions."""

import numpy as np
import pytest
import yaml

from helpers.synthetic import ASSUMPTIONS_FILE
from helpers.synthetic.latent import covariates


@pytest.fixture(scope="module")
def assumptions():
    return yaml.safe_load(ASSUMPTIONS_FILE.read_text(encoding="utf-8"))


def test_covariates_follow_the_assumptions(assumptions):
    sites = ["Artois"] * 2000 + ["Dauphine"] * 2000
    frame = covariates("service_users", sites, assumptions, np.random.default_rng(0))
    spec = assumptions["covariates"]["service_users"]
    assert list(frame.columns) == list(spec)
    age = frame["age"].dropna()
    assert age.between(spec["age"]["min"], spec["age"]["max"]).all()
    assert age.mean() == pytest.approx(spec["age"]["mean"], abs=1.0)
    assert frame.isna().mean().mean() == pytest.approx(assumptions["covariate_missing_share"], abs=0.01)
    # A site with its own distribution draws from it.
    white = frame.groupby(np.array(sites))["ethnicity"].apply(lambda s: (s == "White").mean())
    assert white["Artois"] == pytest.approx(spec["ethnicity"]["categories"]["White"], abs=0.03)
    assert white["Dauphine"] == pytest.approx(spec["ethnicity"]["by_site"]["Dauphine"]["categories"]["White"], abs=0.03)


def test_years_as_care_coordinator_never_exceed_years_in_mental_health(assumptions):
    frame = covariates("care_coordinators", ["Artois"] * 500, assumptions, np.random.default_rng(1))
    both = frame[["years_as_care_coordinator", "years_in_mental_health"]].dropna()
    assert (both["years_as_care_coordinator"] <= both["years_in_mental_health"]).all()


def test_the_same_generator_state_gives_the_same_draw(assumptions):
    a = covariates("care_coordinators", ["Artois"] * 50, assumptions, np.random.default_rng(9))
    b = covariates("care_coordinators", ["Artois"] * 50, assumptions, np.random.default_rng(9))
    assert a.equals(b)
