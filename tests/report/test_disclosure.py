"""Disclosure control: small-number suppression, rounding, withheld free text, and the policy per dataset."""

from __future__ import annotations

import dataclasses
import io
import shutil

import pandas as pd
import pytest

from helpers.io import SNAPSHOT_ENV, SYNTHETIC_DIR, load_config, load_dataset, snapshot_dataset
from helpers.io.identifiers import IdentifierNamesError
from helpers.report import disclosure as disclosure_module
from helpers.report.disclosure import (
    SUPPRESSED,
    WITHHELD,
    DisclosurePolicy,
    disclosure_policy,
    suppress_count,
    suppress_fractions,
    suppress_table,
    withhold_text,
)

NHS = {"suppress_below": 8, "round_to": 5}
POLICY = NHS


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, 0), (1, SUPPRESSED), (7, SUPPRESSED), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (448, 450)],
)
def test_default_policy_suppresses_1_to_7_and_rounds_to_the_nearest_5(n, shown):
    cfg = load_config()  # the defaults live in config/analysis.yaml: NHS practice for sub-national tables
    assert suppress_count(n, cfg.suppress_below, cfg.round_counts_to) == shown


def test_policy_follows_its_settings():
    assert suppress_count(4, suppress_below=3, round_to=1) == 4
    assert suppress_count(2, suppress_below=3, round_to=1) == SUPPRESSED
    assert suppress_count(14, suppress_below=10, round_to=10) == 10
    assert suppress_count(float("nan"), 8, 5) != suppress_count(float("nan"), 8, 5)  # missing stays missing


def test_table_suppresses_counts_and_the_statistics_of_small_groups():
    frame = pd.DataFrame(
        {"site": ["A", "B", "C"], "n": [3, 23, 0], "k": [2, 4, 0], "share": [2 / 3, 4 / 23, float("nan")]}
    )
    out = suppress_table(frame, ["n", "k"], {"n": ["k", "share"]}, **NHS)
    assert out["n"].tolist() == [SUPPRESSED, 25, 0]
    assert out["k"].tolist() == [SUPPRESSED, SUPPRESSED, 0]
    assert out["share"].iloc[0] == SUPPRESSED and out["share"].iloc[1] == pytest.approx(4 / 23)
    assert frame["n"].tolist() == [3, 23, 0]  # the input is left unchanged


def test_html_and_csv_show_the_same_marker():
    frame = pd.DataFrame({"site": ["A"], "n": [5]})
    out = suppress_table(frame, ["n"], **NHS)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    assert buffer.getvalue().splitlines()[1] == f"A,{SUPPRESSED}"
    assert SUPPRESSED in out.to_html()


def test_fractions_in_text_cells_and_headers():
    frame = pd.DataFrame(
        {"theme": ["risk"], "staff (12)": ["risk central 9/12; positive risk 3/12"], "users (4)": ["calm 3/4"]}
    )
    out = suppress_fractions(frame, 8, 5)
    assert list(out.columns) == ["theme", "staff (10)", f"users ({SUPPRESSED})"]
    assert out.iloc[0].tolist() == ["risk", f"risk central 10/10; positive risk {SUPPRESSED}/10", SUPPRESSED]
    big = suppress_fractions(pd.DataFrame({"cell": ["risk central 9/12", "a 12/20; b 9/20", "—"]}), 8, 5)
    assert big["cell"].tolist() == ["risk central 10/10", "a 10/20; b 10/20", "—"]


def test_withhold_text_replaces_only_non_blank_cells():
    out = withhold_text(pd.DataFrame({"summary": ["Said X.", "", None], "codes": ["a", "b", "c"]}), ["summary"])
    assert out["summary"].tolist()[:2] == [WITHHELD, ""] and out["codes"].tolist() == ["a", "b", "c"]


def test_an_inactive_policy_returns_its_input_itself():
    policy = DisclosurePolicy(active=False, **POLICY)
    frame = pd.DataFrame({"n": [3], "summary": ["Said X."]})
    assert policy.counts(frame, ["n"]) is frame
    assert policy.fractions(frame) is frame
    assert policy.text(frame, ["summary"]) is frame
    assert policy.count(3) == 3 and policy.quote("Said X.") == "Said X."


@pytest.fixture
def cfg():
    return load_config()


@pytest.fixture
def own_data(tmp_path):
    """The synthetic data without its manifest: not proven synthetic."""
    folder = tmp_path / "own"
    shutil.copytree(SYNTHETIC_DIR, folder)
    (folder / "manifest.json").unlink()
    return folder


def test_synthetic_data_get_an_inactive_policy_and_no_scan(cfg):
    policy = disclosure_policy(load_dataset(SYNTHETIC_DIR), cfg)
    assert not policy.active and policy.quotations and policy.hits.empty


def test_own_data_withhold_text_by_default(own_data, cfg):
    policy = disclosure_policy(load_dataset(own_data), cfg)
    assert policy.active and not policy.quotations and policy.reason == "setting"
    assert policy.quote("Said X.") == WITHHELD and policy.count(3) == SUPPRESSED


def test_own_data_may_publish_quotations_when_the_scan_is_clean(own_data, cfg):
    policy = disclosure_policy(load_dataset(own_data), dataclasses.replace(cfg, publish_quotations=True))
    assert policy.quotations and policy.reason == "" and policy.hits.empty


def test_a_hit_blocks_quotations_even_when_allowed(own_data, cfg):
    frame = pd.read_csv(own_data / "framework.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "summary"] = "Talked with Ms Okafor about it."
    frame.to_csv(own_data / "framework.csv", index=False, lineterminator="\n")
    (own_data / "names.txt").write_text("Okafor\n", encoding="utf-8")
    settings = dataclasses.replace(cfg, publish_quotations=True, identifier_names="names.txt")
    policy = disclosure_policy(load_dataset(own_data), settings)
    assert not policy.quotations and policy.reason == "identifiers"
    assert policy.hits[["file", "column", "row", "kind", "excerpt"]].values.tolist() == [
        ["framework.csv", "summary", 2, "name", "O*****"]
    ]


def test_a_missing_names_file_is_a_clear_error(own_data, cfg):
    with pytest.raises(IdentifierNamesError, match="identifier_names: no file"):
        disclosure_policy(load_dataset(own_data), dataclasses.replace(cfg, identifier_names="nope.txt"))


def test_site_statistics_suppresses_a_small_sites_n_and_statistics_and_rounds_the_rest():
    from helpers.report.disclosure import DisclosurePolicy

    t = pd.DataFrame({"site": ["A", "B"], "n": [5, 23], "mean": [3.1, 3.4], "sd": [1.0, 0.9], "ci_low": [2.0, 3.0]})
    out = DisclosurePolicy(active=True, **POLICY).site_statistics(t, "n", ["mean", "sd", "ci_low", "absent"])
    assert out.loc[0, ["n", "mean", "sd", "ci_low"]].tolist() == ["[suppressed]"] * 4
    assert out.loc[1, ["n", "mean"]].tolist() == [25, 3.4]
    assert DisclosurePolicy(active=False, **POLICY).site_statistics(t, "n", ["mean"]) is t
    assert DisclosurePolicy(active=True, **POLICY).small_sites(t) == ["A"]
    assert DisclosurePolicy(active=False, **POLICY).small_sites(t) == []


def test_pairs_suppresses_every_row_that_involves_a_small_site():
    from helpers.report.disclosure import DisclosurePolicy

    t = pd.DataFrame({"group_a": ["A", "B", "C"], "group_b": ["B", "C", "A"], "diff": [0.1, 0.2, 0.3]})
    out = DisclosurePolicy(active=True, **POLICY).pairs(t, ["A"])
    assert out["diff"].tolist() == ["[suppressed]", 0.2, "[suppressed]"]
    assert out["group_a"].tolist() == ["A", "B", "C"]
    assert DisclosurePolicy(active=True, **POLICY).pairs(t, []) is t
    assert DisclosurePolicy(active=False, **POLICY).pairs(t, ["A"]) is t


def test_without_small_drops_the_rows_of_small_groups_only_when_active():
    t = pd.DataFrame({"site": ["A", "B", "C"], "n_1": [5, 23, 30], "n_2": [40, 40, 3]})
    assert DisclosurePolicy(active=True, **POLICY).without_small(t, "n_1")["site"].tolist() == ["B", "C"]
    assert DisclosurePolicy(active=True, **POLICY).without_small(t, "n_1", "n_2")["site"].tolist() == ["B"]
    assert DisclosurePolicy(active=False, **POLICY).without_small(t, "n_1") is t


def test_published_suppresses_small_groups_rounds_counts_and_pairs_with_small_sites():
    policy = DisclosurePolicy(active=True, **POLICY)
    t = pd.DataFrame({"site": ["A", "B"], "n_1": [40, 23], "n_2": [5, 31], "mean_1": [3.0, 3.2], "mean_2": [3.5, 3.6]})
    out = policy.published(t)
    assert out["n_2"].tolist() == [SUPPRESSED, 30] and out["n_1"].tolist() == [40, 25]
    assert out.loc[0, "mean_1"] == SUPPRESSED and out.loc[1, "mean_2"] == pytest.approx(3.6)
    pairs = pd.DataFrame({"group_a": ["A", "B"], "group_b": ["C", "C"], "diff": [0.1, 0.2], "p_tukey": [0.01, 0.5]})
    shown = policy.published(pairs, ["A"])
    assert shown.loc[0, "diff"] == SUPPRESSED and shown.loc[0, "p_tukey"] == SUPPRESSED
    assert shown.loc[1, "diff"] == pytest.approx(0.2) and shown.loc[0, "group_a"] == "A"
    assert DisclosurePolicy(active=False, **POLICY).published(pairs, ["A"]) is pairs


def test_drop_names_removes_small_sites_from_lists_of_sites():
    t = pd.DataFrame({"site": ["B", "C"], "higher_than": ["A, C", "A"], "lower_than": ["", "B"]})
    out = DisclosurePolicy(active=True, **POLICY).drop_names(t, ["higher_than", "lower_than"], ["A"])
    assert out["higher_than"].tolist() == ["C", ""] and out["lower_than"].tolist() == ["", "B"]
    assert DisclosurePolicy(active=False, **POLICY).drop_names(t, ["higher_than"], ["A"]) is t


def test_counts_written_in_words_are_suppressed_or_rounded():
    t = pd.DataFrame({"cell": ["shared (+0.5, n = 4); middle", "often: 60 % of 12 accounts; plans 9/12 shared"]})
    out = suppress_fractions(t, 8, 5)["cell"].tolist()
    assert out == [SUPPRESSED, "often: 60 % of 10 accounts; plans 10/10 shared"]


def test_published_treats_columns_ending_in_n_as_group_sizes():
    t = pd.DataFrame({"site": ["A", "B"], "collab_n": [6, 12], "collaboration": [-0.17, 0.25]})
    out = DisclosurePolicy(active=True, **POLICY).published(t)
    assert out["collab_n"].tolist() == [SUPPRESSED, 10] and out.loc[0, "collaboration"] == SUPPRESSED


def _with_identifiers(folder):
    """A name in a framework summary and a date in a service user's text column."""
    frame = pd.read_csv(folder / "framework.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "summary"] = "Talked with Ms Okafor about it."
    frame.to_csv(folder / "framework.csv", index=False, lineterminator="\n")
    people = pd.read_csv(folder / "service_users.csv", dtype=str, keep_default_na=False)
    people.loc[3, "participant_id"] = "SU 12/03/1961"
    people.to_csv(folder / "service_users.csv", index=False, lineterminator="\n")
    (folder / "names.txt").write_text("Okafor\n", encoding="utf-8")


def test_a_run_snapshot_carries_the_scan_the_chapters_would_make(own_data, cfg, tmp_path, monkeypatch):
    _with_identifiers(own_data)
    settings = dataclasses.replace(cfg, publish_quotations=True, identifier_names="names.txt")
    scanned = disclosure_policy(load_dataset(own_data), settings)  # no snapshot: the files are scanned
    assert set(scanned.hits["kind"]) == {"name", "date"}
    snapshot_dataset(own_data, tmp_path / "snap", names=["Okafor"])
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "snap"))
    data = load_dataset(own_data)
    assert data.snapshot == tmp_path / "snap"
    monkeypatch.setattr(disclosure_module, "scan_files", lambda *a, **k: pytest.fail("scanned again"))
    stored = disclosure_policy(data, settings)
    pd.testing.assert_frame_equal(stored.hits, scanned.hits, check_exact=True)
    assert (stored.reason, stored.quotations) == (scanned.reason, scanned.quotations) == ("identifiers", False)


def test_a_snapshot_scanned_with_other_names_is_scanned_again(own_data, cfg, tmp_path, monkeypatch):
    _with_identifiers(own_data)
    snapshot_dataset(own_data, tmp_path / "snap", names=[])  # scanned without the list of names
    monkeypatch.setenv(SNAPSHOT_ENV, str(tmp_path / "snap"))
    settings = dataclasses.replace(cfg, publish_quotations=True, identifier_names="names.txt")
    policy = disclosure_policy(load_dataset(own_data), settings)
    assert set(policy.hits["kind"]) == {"name", "date"}  # the name is found: not the stored scan
    stored = disclosure_policy(load_dataset(own_data), dataclasses.replace(settings, identifier_names=None))
    assert set(stored.hits["kind"]) == {"date"}
