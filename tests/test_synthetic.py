"""The committed synthetic dataset reproduces the published numbers.

Every check recomputes from the item-level files with the project's own scoring
and statistics; the published values are read from ``data/reference``.
"""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from helpers import analysis
from helpers.audit import audit_f_from_means, audit_sems
from helpers.dataio import validate_dataset
from helpers.paths import SYNTHETIC_DIR
from helpers.published import OUTCOME
from helpers.reproduce import INCONSISTENT, REPRODUCED, STATUSES, reproduction_table
from helpers.synth import build_targets, write_synthetic


@pytest.fixture(scope="module")
def dataset(synthetic):
    return synthetic


def _keyed(frame, *extra):
    return frame.set_index([*OUTCOME, *extra])


def test_dataset_is_valid_labelled_synthetic_and_checksummed():
    assert validate_dataset(SYNTHETIC_DIR).ok
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    assert manifest["synthetic"] is True
    assert manifest["unmet_targets"] == []
    for name, info in manifest["files"].items():
        assert hashlib.sha256((SYNTHETIC_DIR / name).read_bytes()).hexdigest() == info["sha256"], name


def test_site_counts_follow_table1(dataset, published):
    for group in ("service_users", "care_coordinators"):
        got = dataset.group(group)["site"].value_counts().sort_index()
        pd.testing.assert_series_equal(got, published.site_returns(group).sort_index(), check_names=False)


def test_analysed_counts_equal_df_within_plus_sites(scores, published):
    anova = _keyed(analysis.anova_by_outcome(scores))
    expected = _keyed(published.anova)
    n_expected = expected["df_within"] + expected["df_between"] + 1
    assert (anova.loc[expected.index, "n"] == n_expected).all()
    assert (anova.loc[expected.index, "df_within"] == expected["df_within"]).all()


def test_complete_cases_and_missing_summary(dataset, instruments, published):
    missing = _keyed(analysis.missing_by_outcome(dataset, instruments))
    rel = _keyed(published.reliability)
    assert (missing.loc[rel.index, "n_complete"] == rel["n_complete_cases"]).all()
    share = missing.loc[rel.index, "share_missing"]
    assert round(100 * share.mean(), 1) == 19.9
    assert (round(100 * share.min(), 1), round(100 * share.max(), 1)) == (6.5, 69.0)


def test_site_means_and_sems_round_to_the_printed_values(scores, published, instruments):
    got = _keyed(analysis.site_summaries(scores), "site")
    sems = _keyed(audit_sems(published, instruments), "site")
    for rec in published.site_means.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale, rec.site)
        assert round(got.loc[key, "mean"], 2) == round(rec.mean, 2), key
        if sems.loc[key, "possible"]:
            assert round(got.loc[key, "sem"], 2) == round(rec.sem_as_printed, 2), key
        else:  # targeted at the audit's plausible value instead of the impossible printed one
            assert abs(got.loc[key, "sem"] - sems.loc[key, "sem_target"]) <= 0.005, key
    # The two impossible SEMs are the only ones targeted at another value.
    flagged = sems[~sems["possible"]].index.tolist()
    assert flagged == [("service_users", "RSA", "Life Goals", "Champagne"),
                       ("service_users", "RSA", "Individually Tailored Services", "Artois")]


def test_anova_f_within_tolerance_except_inconsistent_rows(scores, published, instruments):
    got = _keyed(analysis.anova_by_outcome(scores))
    consistent = _keyed(audit_f_from_means(published, instruments))["consistent"]
    assert consistent.sum() == 21  # only the service users' RSA Individually Tailored Services row
    for rec in published.anova.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale)
        if consistent[key]:
            assert abs(got.loc[key, "F"] - rec.F) <= 0.02, key


def test_cronbach_alpha_within_tolerance(dataset, instruments, published):
    got = _keyed(analysis.alpha_by_outcome(dataset, instruments))
    rel = _keyed(published.reliability)
    diff = (got.loc[rel.index, "alpha"] - rel["cronbach_alpha"]).abs()
    assert (diff <= 0.02).all(), diff[diff > 0.02]


def test_correlations_on_the_printed_n(scores, published):
    got = analysis.total_correlations(scores)
    for rec in published.correlations.itertuples(index=False):
        row = got[(got["x"] == rec.measure_a) & (got["y"] == rec.measure_b)].iloc[0]
        assert row["n"] == rec.n
        assert abs(row["r"] - rec.r) <= 0.01


def test_normality_summary(scores):
    shape = analysis.normality_by_outcome(scores)
    assert len(shape) == 22
    assert shape["beyond_1"].sum() == 3
    assert shape["beyond_2"].sum() == 0


def test_reproduction_table_covers_every_published_number(dataset, published):
    table = reproduction_table(dataset, published)
    assert set(table["status"]) <= set(STATUSES)
    expected_rows = (2 * (6 + 1)                       # Table 1 returns per site and in total
                     + 5 * (6 + 1)                     # Table 1 interviews per role, per site and in total
                     + 2 * len(published.site_means)   # means and SEMs
                     + 5 * len(published.anova)        # df between, df within, analysed N, F, p
                     + 2 * len(published.reliability)  # alpha and complete cases
                     + 3 * len(published.correlations)  # r, N, p
                     + 5)                              # missing-data and normality summaries
    assert len(table) == expected_rows == 481
    share = (table["status"] == REPRODUCED).mean()
    assert share >= 0.97
    inconsistent = table[table["status"] == INCONSISTENT]
    assert set(inconsistent["statistic"]) == {"SEM", "F", "p"}
    assert (table.loc[table["status"] != REPRODUCED, "reason"] != "").all()


def test_targets_follow_the_audit_rule(published, instruments):
    targets = build_targets(published, instruments)["service_users"]
    its = next(t for t in targets.scales if t.subscale == "Individually Tailored Services")
    assert its.f is None  # the printed F cannot follow from its own row: not targeted
    assert its.sem_centre["Artois"] == pytest.approx(0.10)  # decimal slip of the printed 1.00
    life_goals = next(t for t in targets.scales if t.subscale == "Life Goals")
    assert life_goals.sem_centre["Champagne"] == pytest.approx(0.097)
    assert life_goals.f is not None


def test_same_seed_gives_byte_identical_files(tmp_path):
    manifest = write_synthetic(tmp_path / "again", seed=2016)
    committed = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    assert manifest["files"] == committed["files"]
    for name in manifest["files"]:
        assert (tmp_path / "again" / name).read_bytes() == (SYNTHETIC_DIR / name).read_bytes()


def test_data_are_not_a_copy_of_the_published_summaries(dataset):
    """Item-level answers vary within sites: scores are not constant at the published means."""
    su = dataset.service_users
    spread = su.groupby("site")["rsa_01"].std()
    assert (spread > 0.5).all()
    assert np.isin(su["starp_01"].dropna().unique(), [0, 1, 2, 3, 4]).all()
