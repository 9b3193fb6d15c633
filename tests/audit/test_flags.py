"""The audit's flags in one table and what each means for the article's decisions."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.audit import FLAG_COLUMNS, audit_f_from_means, audit_flags, audit_sems, flag_consequences, statcheck


@pytest.fixture(scope="module")
def audit(published, instruments):
    checks = statcheck(published, alpha=0.05)
    f_audit = audit_f_from_means(published, instruments)
    sems = audit_sems(published, instruments)
    return checks, f_audit, sems


def test_every_flag_of_every_check_is_listed(audit):
    checks, f_audit, sems = audit
    flags = audit_flags(sems, f_audit, checks)
    assert list(flags.columns) == FLAG_COLUMNS
    expected = (~sems["possible"]).sum() + (~f_audit["consistent"]).sum() + (checks["status"] != "consistent").sum()
    assert len(flags) == expected == 3
    sem_rows = flags[flags["check"] == "impossible SEM"]
    assert sem_rows["site"].tolist() == ["Champagne", "Artois"]
    # The largest SEM possible is the largest SD possible over the square root of n.
    assert np.allclose(sem_rows["expected_high"], sem_rows["max_sd"] / np.sqrt(sem_rows["n"]))
    assert sem_rows["suggested"].round(3).tolist() == [0.097, 0.1]
    f_row = flags[flags["check"] == "F not implied by the row's means"].iloc[0]
    assert f_row["subscale"] == "Individually Tailored Services" and f_row["p_status"] == "consistent"
    assert f_row["expected_low"] > f_row["printed"] == 1.72


def test_a_p_flag_names_its_outcome_and_statistic():
    checks = pd.DataFrame(
        [
            ("anova", "service_users", "RSA Total", "F(5, 400) = 9.99", 9.99, 0.30, 1e-8, 2e-8, "inconsistent"),
            (
                "correlations",
                "service_users",
                "RSA and ES",
                "r(398) = 0.50",
                0.5,
                0.04,
                0.1,
                0.2,
                "decision inconsistency",
            ),
        ],
        columns=["source", "group", "outcome", "statistic", "printed", "p_printed", "p_min", "p_max", "status"],
    )
    no_sems = pd.DataFrame(columns=["possible"], dtype=bool)
    no_f = pd.DataFrame(columns=["consistent"], dtype=bool)
    flags = audit_flags(no_sems, no_f, checks)
    assert flags["check"].tolist() == ["p inconsistent", "p decision inconsistency"]
    assert flags[["measure", "subscale"]].values.tolist() == [["RSA", "Total"], ["RSA and ES", "Total"]]
    assert flags["statistic"].tolist() == ["F(5, 400) = 9.99", "r(398) = 0.50"]
    assert flags[["expected_low", "expected_high"]].values.tolist() == [[1e-8, 2e-8], [0.1, 0.2]]


def test_consequences_of_each_flag(audit, published):
    checks, f_audit, sems = audit
    flags = audit_flags(sems, f_audit, checks)
    full = flag_consequences(flags, f_audit, published, alpha=0.05)
    keys = published.anova.set_index(["group", "measure", "subscale"])
    for r in full[full["check"].str.startswith("F ")].itertuples():
        df = keys.loc[(r.group, r.measure, r.subscale)]
        assert r.p_low == pytest.approx(stats.f.sf(r.expected_high, df["df_between"], df["df_within"]))
        assert r.p_high == pytest.approx(stats.f.sf(r.expected_low, df["df_between"], df["df_within"]))
        assert r.decision_open == (r.p_low < 0.05 <= r.p_high)
    sem_rows = full[full["check"] == "impossible SEM"]
    # Once corrected, Life Goals' row is consistent; the ITS row's F still is not.
    assert sem_rows["row_f_consistent"].tolist() == [True, False]
    assert sem_rows["p_low"].isna().all() and not sem_rows["decision_open"].any()


def test_decision_open_follows_alpha(audit, published):
    checks, f_audit, sems = audit
    flags = audit_flags(sems, f_audit, checks)
    f_row = flag_consequences(flags, f_audit, published, alpha=0.05)
    f_row = f_row[f_row["check"].str.startswith("F ")].iloc[0]
    inside = (f_row["p_low"] + f_row["p_high"]) / 2
    moved = flag_consequences(flags, f_audit, published, alpha=inside)
    assert bool(moved.loc[moved["check"].str.startswith("F "), "decision_open"].iloc[0])
    above = flag_consequences(flags, f_audit, published, alpha=min(0.99, f_row["p_high"] + 0.01))
    assert not above.loc[above["check"].str.startswith("F "), "decision_open"].iloc[0]
