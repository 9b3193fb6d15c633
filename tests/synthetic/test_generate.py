"""The committed synthetic dataset reproduces the published numbers, and the generator
writes it again byte for byte.

Every check recomputes from the item-level files with the project's own scoring and
statistics; the published values are read from ``data/reference``.
"""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from helpers.audit import audit_f_from_means, audit_sems
from helpers.io import OUTCOME, SYNTHETIC_DIR, load_config, printed_decimals, validate_dataset
from helpers.survey import (
    alpha_by_outcome,
    anova_by_outcome,
    missing_by_outcome,
    normality_by_outcome,
    site_summaries,
    total_correlations,
)
from helpers.synthetic import GENERATOR, GENERATOR_VERSION, write_synthetic
from helpers.synthetic.conclusions import CONCLUSIONS, stated_conclusions


def _keyed(frame, *extra):
    return frame.set_index([*OUTCOME, *extra])


def test_dataset_is_valid_labelled_synthetic_and_checksummed():
    assert validate_dataset(SYNTHETIC_DIR).ok
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    assert manifest["synthetic"] is True
    assert manifest["unmet_targets"] == []
    assert manifest["generator_version"] == GENERATOR_VERSION
    for name, info in manifest["files"].items():
        assert hashlib.sha256((SYNTHETIC_DIR / name).read_bytes()).hexdigest() == info["sha256"], name


def test_site_counts_follow_table1(synthetic, published):
    for group in ("service_users", "care_coordinators"):
        got = synthetic.group(group)["site"].value_counts().sort_index()
        pd.testing.assert_series_equal(got, published.site_returns(group).sort_index(), check_names=False)


def test_analysed_counts_equal_df_within_plus_sites(scores, published):
    anova = _keyed(anova_by_outcome(scores))
    expected = _keyed(published.anova)
    n_expected = expected["df_within"] + expected["df_between"] + 1
    assert (anova.loc[expected.index, "n"] == n_expected).all()
    assert (anova.loc[expected.index, "df_within"] == expected["df_within"]).all()


def test_complete_cases_and_missing_summary(synthetic, instruments, published):
    missing = _keyed(missing_by_outcome(synthetic, instruments, max_missing=0.5))
    rel = _keyed(published.reliability)
    assert (missing.loc[rel.index, "n_complete"] == rel["n_complete_cases"]).all()
    share = missing.loc[rel.index, "share_missing"]
    assert round(100 * share.mean(), 1) == 19.9
    assert (round(100 * share.min(), 1), round(100 * share.max(), 1)) == (6.5, 69.0)


def test_site_means_and_sems_round_to_the_printed_values(scores, published, instruments):
    got = _keyed(site_summaries(scores, confidence=0.95), "site")
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
    assert flagged == [
        ("service_users", "RSA", "Life Goals", "Champagne"),
        ("service_users", "RSA", "Individually Tailored Services", "Artois"),
    ]


def test_anova_f_and_p_print_as_published_except_the_excluded_row(scores, published, instruments):
    got = _keyed(anova_by_outcome(scores))
    consistent = _keyed(audit_f_from_means(published, instruments))["consistent"]
    assert consistent.sum() == 21  # only the service users' RSA Individually Tailored Services row
    for rec in published.anova.itertuples(index=False):
        key = (rec.group, rec.measure, rec.subscale)
        if consistent[key]:
            decimals = printed_decimals(rec.F_text, 2)
            assert round(got.loc[key, "F"], decimals) == round(rec.F, decimals), key
            assert round(got.loc[key, "p"], 3) == round(rec.p_as_printed, 3), key
        else:  # the F its row allows, decided as the printed p decides (not significant)
            assert got.loc[key, "p"] >= 0.05 and round(got.loc[key, "F"], 2) != round(rec.F, 2)


def test_cronbach_alpha_prints_as_published(synthetic, instruments, published):
    got = _keyed(alpha_by_outcome(synthetic, instruments, confidence=0.95, acceptable=0.7))
    rel = _keyed(published.reliability)
    rounded = got.loc[rel.index, "alpha"].round(2)
    assert (rounded == rel["cronbach_alpha"].round(2)).all(), rounded[rounded != rel["cronbach_alpha"].round(2)]


def test_correlations_print_as_published(scores, published):
    got = total_correlations(scores, confidence=0.95, sizes={"small": 0.1, "medium": 0.3, "large": 0.5})
    for rec in published.correlations.itertuples(index=False):
        row = got[(got["x"] == rec.measure_a) & (got["y"] == rec.measure_b)].iloc[0]
        assert row["n"] == rec.n
        assert round(row["r"], 3) == round(rec.r, 3)
        assert round(row["p"], 3) == round(rec.p_as_printed, 3)


def test_participant_codes_are_visibly_synthetic(synthetic):
    for frame in (synthetic.service_users, synthetic.care_coordinators, synthetic.interviews):
        assert frame["participant_id"].str.startswith("SYN-").all()
    quoted = {"A-SU-002", "B-SM-001", "A-SM-002"}
    assert not quoted & set(synthetic.interviews["participant_id"])


def test_manifest_lists_every_stated_conclusion_as_met():
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    found = {c["conclusion"]: c["met"] for c in manifest["conclusions"]}
    assert found == dict.fromkeys(CONCLUSIONS, True)


def test_normality_summary(scores):
    shape = normality_by_outcome(scores, limits=(1, 2))
    assert len(shape) == 22
    assert shape["beyond_1"].sum() == 3
    assert shape["beyond_2"].sum() == 0


def test_data_are_not_a_copy_of_the_published_summaries(synthetic):
    """Item-level answers vary within sites: scores are not constant at the published means."""
    su = synthetic.service_users
    spread = su.groupby("site")["rsa_01"].std()
    assert (spread > 0.5).all()
    assert np.isin(su["starp_01"].dropna().unique(), [0, 1, 2, 3, 4]).all()


@pytest.mark.slow
def test_same_seed_gives_byte_identical_files(tmp_path):
    manifest = write_synthetic(tmp_path / "again", seed=2016, settings=load_config())
    committed = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    assert manifest["files"] == committed["files"]
    assert manifest["generator"] == GENERATOR and manifest["unmet_targets"] == []
    for name in manifest["files"]:
        assert (tmp_path / "again" / name).read_bytes() == (SYNTHETIC_DIR / name).read_bytes()


def test_manifest_conclusions_are_what_the_book_finds(synthetic, instruments, published):
    found = stated_conclusions(synthetic, instruments, published, load_config())
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text())
    assert found.to_dict("records") == manifest["conclusions"]
