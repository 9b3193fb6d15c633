"""Sample characteristics by site and response rates."""

import numpy as np
import pandas as pd
import pytest

from helpers import survey
from helpers.io import load_dataset, write_dataset
from helpers.io.paths import SYNTHETIC_DIR


def test_characteristics_by_site_count_every_respondent(synthetic):
    t = survey.sample_characteristics(synthetic)
    assert set(t["group"]) == {"service_users", "care_coordinators"}
    su = synthetic.service_users
    age = t[(t["group"] == "service_users") & (t["characteristic"] == "age")].set_index("site")
    assert age.loc["Artois", "mean"] == pytest.approx(su.loc[su["site"] == "Artois", "age"].mean())
    assert age.loc[survey.ALL_SITES, "n"] + age.loc[survey.ALL_SITES, "missing"] == len(su)
    gender = t[(t["group"] == "care_coordinators") & (t["characteristic"] == "gender")]
    per_site = gender[gender["site"] != survey.ALL_SITES].groupby("site")["percent"].sum()
    np.testing.assert_allclose(per_site, 100.0)
    counts = gender[gender["site"] == survey.ALL_SITES].set_index("level")["count"]
    assert counts.to_dict() == synthetic.care_coordinators["gender"].value_counts().to_dict()
    assert "relationship_status" in set(t.loc[t["group"] == "service_users", "characteristic"])
    assert "relationship_status" not in set(t.loc[t["group"] == "care_coordinators", "characteristic"])
    assert "years_as_care_coordinator" in set(t["characteristic"])


def test_response_rates_without_invited_counts_say_why(synthetic):
    r = survey.response_rates(synthetic)
    assert r["rate"].isna().all()
    assert r.loc[0, "reason"] == "the sites table has no invited_service_users column"
    returned = r[(r["group"] == "service_users") & (r["site"] != survey.ALL_SITES)]["returned"].sum()
    assert returned == len(synthetic.service_users)


def test_response_rates_with_invited_counts(tmp_path, instruments):
    tables = {
        n: pd.read_csv(SYNTHETIC_DIR / f"{n}.csv", dtype={"participant_id": str})
        for n in ("sites", "service_users", "care_coordinators")
    }
    sites = tables["sites"]
    returned = tables["service_users"]["site"].value_counts()
    sites["invited_service_users"] = [2 * returned[s] for s in sites["site"]]
    sites.loc[0, "invited_service_users"] = 0
    sites["invited_care_coordinators"] = 50
    write_dataset(tmp_path, sites, tables["service_users"], tables["care_coordinators"])
    r = survey.response_rates(load_dataset(tmp_path, instruments))
    su = r[r["group"] == "service_users"].set_index("site")
    assert su.loc[sites.loc[1, "site"], "rate"] == pytest.approx(0.5)
    assert np.isnan(su.loc[sites.loc[0, "site"], "rate"]) and "blank or zero" in su.loc[sites.loc[0, "site"], "reason"]
    assert su.loc[survey.ALL_SITES, "rate"] == pytest.approx(0.5)
    cc = r[(r["group"] == "care_coordinators") & (r["site"] != survey.ALL_SITES)]
    assert cc["rate"].tolist() == pytest.approx((cc["returned"] / 50).tolist())
