"""Instrument forms, the declared stored direction of answers and codes that are not answers:
definitions, recoding when a dataset is read, and the count of each kind of gap."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal

from helpers import survey
from helpers.io import (
    INSTRUMENTS_DIR,
    SYNTHETIC_DIR,
    InstrumentDefinitionError,
    load_dataset,
    load_instrument,
    load_instruments,
    validate_dataset,
)
from helpers.stats import non_answer_table

SU_FILE = "service_users.csv"


def _definition(name: str) -> dict:
    return yaml.safe_load((INSTRUMENTS_DIR / name).read_text(encoding="utf-8"))


def _instruments_dir(tmp_path: Path, changes: dict[str, callable]) -> Path:
    """A copy of data/instruments with some definitions changed by a function of their mapping."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    for path in INSTRUMENTS_DIR.glob("*.yaml"):
        raw = _definition(path.name)
        if path.name in changes:
            changes[path.name](raw)
        (folder / path.name).write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def _dataset_copy(tmp_path: Path) -> Path:
    """The synthetic dataset's files without its manifest (so: the user's own data)."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in SYNTHETIC_DIR.iterdir():
        if path.suffix == ".csv":
            shutil.copy(path, folder / path.name)
    return folder


def _raw(folder: Path, name: str = SU_FILE) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- definitions


def test_rsa_forms_share_the_structure_and_say_what_is_not_verified():
    rsa = load_instrument(INSTRUMENTS_DIR / "rsa.yaml")
    person, provider = rsa.for_group("service_users"), rsa.for_group("care_coordinators")
    assert (person.form, provider.form) == ("person-in-recovery version", "provider version")
    assert person.groups == ("service_users",) and provider.groups == ("care_coordinators",)
    for form in (person, provider):
        assert form.items == rsa.items and form.scales == rsa.scales and form.reversed == rsa.reversed
        assert form.missing_codes == {9: "Not applicable (N/A)"}
        assert form.stored == "as_labelled" and form.key_verified is False
        assert "NOT verified" in form.status
    assert person.status != provider.status


def test_an_instrument_without_forms_is_its_own_form_and_other_groups_are_refused():
    starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    assert starp.for_group("service_users") is starp
    with pytest.raises(KeyError, match="STAR-P is not completed by 'care_coordinators'"):
        starp.for_group("care_coordinators")


def test_a_form_adds_codes_and_sets_its_own_direction_and_key(tmp_path):
    def change(raw):
        raw["forms"]["service_users"].update(missing_codes={8: "Don't know"}, stored="reversed", reversed=["rsa_01"])

    rsa = load_instruments(_instruments_dir(tmp_path, {"rsa.yaml": change}))["RSA"]
    person, provider = rsa.for_group("service_users"), rsa.for_group("care_coordinators")
    assert person.missing_codes == {9: "Not applicable (N/A)", 8: "Don't know"}
    assert (person.stored, person.reversed) == ("reversed", ("rsa_01",))
    assert (provider.missing_codes, provider.stored, provider.reversed) == (
        {9: "Not applicable (N/A)"},
        "as_labelled",
        (),
    )
    assert rsa.missing_codes == {9: "Not applicable (N/A)"} and rsa.stored == "as_labelled"


def test_every_problem_of_the_forms_and_the_direction_is_listed_at_once(tmp_path):
    def change(raw):
        raw["response"]["stored"] = "upside down"
        raw["forms"]["service_users"]["items"] = ["rsa_01"]
        raw["forms"]["carers"] = {"name": "carer version"}
        raw["forms"]["care_coordinators"]["missing_codes"] = {9: "again"}
        del raw["forms"]["care_coordinators"]["name"]

    folder = _instruments_dir(tmp_path, {"rsa.yaml": change})
    with pytest.raises(InstrumentDefinitionError) as err:
        load_instrument(folder / "rsa.yaml")
    message = str(err.value)
    assert "rsa.yaml" in message
    assert "response.stored must be one of as_labelled, reversed, got 'upside down'" in message
    assert "form of service_users: unknown keys items" in message
    assert "form of carers: 'carers' is not one of the instrument's groups" in message
    assert "form of care_coordinators: name is required" in message
    assert "form of care_coordinators: missing codes already declared for every form: [9]" in message


# --------------------------------------------------------------------------- reading a dataset


def test_answers_stored_one_as_strongly_agree_score_as_the_default_once_declared(tmp_path, synthetic, cfg):
    folder = _dataset_copy(tmp_path)
    raw = _raw(folder)
    es = [c for c in raw.columns if c.startswith("es_")]
    answered = raw[es] != ""
    flipped = raw[es].where(~answered, (5 - raw[es].where(answered, "0").astype(int)).astype(str))
    raw[es] = flipped
    raw.to_csv(folder / SU_FILE, index=False)

    def declare(raw):
        raw["response"]["stored"] = "reversed"

    default = survey.outcome_scores(synthetic, load_instruments(), max_missing=cfg.max_missing)
    declared = load_instruments(_instruments_dir(tmp_path, {"es.yaml": declare}))
    scores = survey.outcome_scores(load_dataset(folder, declared), declared, max_missing=cfg.max_missing)
    assert_frame_equal(scores, default)
    # Without the declaration the same file scores differently: the recoding is what matches.
    undeclared = survey.outcome_scores(load_dataset(folder), load_instruments(), max_missing=cfg.max_missing)
    es_rows = undeclared["measure"] == "ES"
    assert not np.allclose(undeclared.loc[es_rows, "score"].dropna(), default.loc[es_rows, "score"].dropna())
    total = (scores["measure"] == "ES") & (scores["subscale"] == "Total")
    assert np.allclose(undeclared.loc[total, "score"].dropna(), 5 - default.loc[total, "score"].dropna())


def test_dont_know_codes_are_missing_and_counted_apart_from_blanks_and_na(tmp_path, cfg):
    folder = _dataset_copy(tmp_path)
    raw = _raw(folder)
    rsa = [c for c in raw.columns if c.startswith("rsa_")]
    answered = np.argwhere((raw[rsa].isin(["1", "2", "3", "4", "5"])).to_numpy())[::40]
    for row, col in answered:
        raw.iat[row, raw.columns.get_loc(rsa[col])] = "8"
    raw.to_csv(folder / SU_FILE, index=False)
    blanks, na = int((raw[rsa] == "").to_numpy().sum()), int((raw[rsa] == "9").to_numpy().sum())

    def declare(raw):
        raw["forms"]["service_users"]["missing_codes"] = {8: "Don't know"}

    instruments = load_instruments(_instruments_dir(tmp_path, {"rsa.yaml": declare}))
    assert validate_dataset(folder, load_instruments()).ok is False  # 8 is no answer the shared form knows
    data = load_dataset(folder, instruments)
    kinds = survey.non_answers_by_instrument(data, instruments)
    su = kinds[(kinds["group"] == "service_users") & (kinds["measure"] == "RSA")].set_index("label")
    assert su.loc["Don't know", ["n_cells", "n_participants"]].tolist() == [len(answered), len(set(answered[:, 0]))]
    assert su.loc["Not applicable (N/A)", "n_cells"] == na
    assert su.loc["left blank", "n_cells"] == blanks
    cc = kinds[(kinds["group"] == "care_coordinators") & (kinds["measure"] == "RSA")]
    assert "Don't know" not in set(cc["label"])
    # A "Don't know" counts as missing: the scores are those of the same cells left blank.
    raw.loc[:, rsa] = raw[rsa].replace("8", "")
    raw.to_csv(folder / SU_FILE, index=False)
    blanked = load_dataset(folder, instruments)
    assert_frame_equal(
        survey.outcome_scores(data, instruments, max_missing=cfg.max_missing),
        survey.outcome_scores(blanked, instruments, max_missing=cfg.max_missing),
    )


def test_a_form_specific_code_is_refused_on_the_other_form(tmp_path):
    folder = _dataset_copy(tmp_path)
    raw = _raw(folder, "care_coordinators.csv")
    raw.loc[2, "rsa_04"] = "8"
    raw.to_csv(folder / "care_coordinators.csv", index=False)

    def declare(raw):
        raw["forms"]["service_users"]["missing_codes"] = {8: "Don't know"}

    report = validate_dataset(folder, load_instruments(_instruments_dir(tmp_path, {"rsa.yaml": declare})))
    assert not report.ok
    text = str(report)
    assert "care_coordinators.csv" in text and "rsa_04" in text


def test_na_is_reported_apart_from_blanks_with_the_exact_counts_of_the_files(synthetic, instruments):
    kinds = survey.non_answers_by_instrument(synthetic, instruments)
    for group in ("service_users", "care_coordinators"):
        raw = _raw(SYNTHETIC_DIR, f"{group}.csv")
        rows = kinds[(kinds["group"] == group) & (kinds["measure"] == "RSA")].set_index("kind")
        rsa = raw[[c for c in raw.columns if c.startswith("rsa_")]]
        assert rows.at["code", "n_cells"] == int((rsa == "9").to_numpy().sum()) > 0
        assert rows.at["blank", "n_cells"] == int((rsa == "").to_numpy().sum()) > 0
        assert rows.at["code", "n_participants"] == int((rsa == "9").any(axis=1).sum())
    assert set(kinds.loc[kinds["measure"] != "RSA", "kind"]) == {"blank"}


def test_non_answer_table_without_recorded_codes_counts_every_gap_as_blank():
    rsa = load_instrument(INSTRUMENTS_DIR / "rsa.yaml")
    items = pd.DataFrame([dict.fromkeys(rsa.items, 2.0)] * 4)
    items.iloc[0, :3] = np.nan
    items.iloc[3, 5] = np.nan
    table = non_answer_table(items, None, rsa).set_index("kind")
    assert table.loc["blank", ["n_cells", "n_participants"]].tolist() == [4, 2]
    assert table.loc["blank", "share_participants"] == pytest.approx(0.5)
    assert table.loc["blank", "share_cells"] == pytest.approx(4 / (4 * 36))
    assert table.loc["code", ["n_cells", "n_participants"]].tolist() == [0, 0]
