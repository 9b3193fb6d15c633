"""The qualitative strand (helpers.qualitative, helpers.synth_qual): contract, validation,
NVivo import, analyses and the committed synthetic material."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import qualitative as ql
from helpers.dataio import DataValidationError, load_dataset, validate_dataset
from helpers.paths import SYNTHETIC_DIR
from helpers.published import load_published
from helpers.synth_qual import generate_qualitative, write_qualitative

NOTE = "(spreadsheet numbering, header = row 1)"
BOOK = ql.load_codebook()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def synthetic():
    return load_dataset(SYNTHETIC_DIR)


@pytest.fixture(scope="module")
def q(synthetic):
    return ql.from_dataset(synthetic)


def small_tables() -> dict[str, pd.DataFrame]:
    """A valid, hand-made qualitative dataset at two of the synthetic sites."""
    interviews = pd.DataFrame([
        ("A-SM-001", "Artois", "SM", ""),
        ("A-CC-001", "Artois", "CC", "A-T01; A-T02"),
        ("A-SU-001", "Artois", "SU", "A-T01"),
        ("A-SU-002", "Artois", "SU", "A-T02"),
        ("A-CA-001", "Artois", "CA", "A-T01"),
        ("B-SP-001", "Burgundy", "SP", ""),
        ("B-SU-001", "Burgundy", "SU", "B-T01"),
    ], columns=["participant_id", "site", "role", "triad_id"])
    framework = pd.DataFrame([
        ("A-SM-001", "risk_safety", "Risk first.", "risk_central"),
        ("A-SM-001", "care_planning", "Plans are records.", "cp_valued_record"),
        ("A-CC-001", "risk_safety", "Shares the risk plan.", "risk_discussed; risk_central"),
        ("A-CC-001", "care_planning", "Writes plans together.", "cp_collaborative"),
        ("A-SU-001", "risk_safety", "Nobody mentioned risk.", "risk_not_discussed"),
        ("A-SU-001", "care_planning", "Plan handed over.", "cp_professional_led"),
        ("A-SU-002", "care_planning", "Made it together.", "cp_collaborative"),
        ("A-CA-001", "carer_involvement", "Goes to reviews.", "carer_involved"),
        ("A-CA-001", "risk_safety", "Never asked about risk.", "risk_not_discussed"),
        ("B-SP-001", "personalisation", "Wary of budgets.", "pb_resisted"),
        ("B-SU-001", "relationship", "Trusts the worker.", "rel_valued; rel_over_documents"),
    ], columns=["participant_id", "theme", "summary", "codes"])
    fields = {f: "no" for f in BOOK.plan_field_ids}
    plans = pd.DataFrame([
        {"participant_id": "A-SU-001", "triad_id": "A-T01", "site": "Artois",
         **fields, "su_involved": "yes", "risk_assessment_present": "yes", "carer_involved": "yes"},
        {"participant_id": "A-SU-002", "triad_id": "A-T02", "site": "Artois", **fields, "review_date": ""},
        {"participant_id": "B-SU-001", "triad_id": "B-T01", "site": "Burgundy", **fields, "copy_held": "YES"},
    ])
    return {"interviews": interviews, "framework": framework, "care_plans": plans}


def write_folder(folder: Path, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """The synthetic survey files plus the given qualitative tables (CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sites", "service_users", "care_coordinators"):
        shutil.copy2(SYNTHETIC_DIR / f"{name}.csv", folder / f"{name}.csv")
    for name, frame in (tables or {}).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


@pytest.fixture
def tables():
    return small_tables()


def problems_of(folder: Path, file: str | None = None):
    report = validate_dataset(folder)
    return [p for p in report.problems if file is None or p.file.name == file]


def one_problem(folder: Path, file: str, kind: str):
    found = [p for p in problems_of(folder, file) if p.kind == kind]
    assert len(found) == 1, [p.message for p in problems_of(folder)]
    return found[0]


# --------------------------------------------------------------------------- the code book


def test_codebook_is_consistent():
    assert BOOK.theme_ids == ("organisational_context", "care_planning", "risk_safety", "recovery",
                              "personalisation", "carer_involvement", "relationship", "recommendations", "other")
    assert all(code.theme in BOOK.theme_ids for code in BOOK.codes.values())
    assert {d.id for d in BOOK.divergences} == {"risk_centrality", "risk_discussed", "plan_together"}
    assert all(item.yes and item.no for item in BOOK.triad_items)


def test_codebook_errors_name_the_problem(tmp_path):
    for name in ("themes.yaml", "codebook.yaml", "care_plan_template.yaml"):
        shutil.copy2(ql.QUALITATIVE_DIR / name, tmp_path / name)
    text = (tmp_path / "codebook.yaml").read_text(encoding="utf-8").replace("positive: [risk_central]",
                                                                           "positive: [risk_centre]")
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ql.CodeBookError, match="unknown code 'risk_centre'"):
        ql.load_codebook(tmp_path)


# --------------------------------------------------------------------------- a valid folder


def test_small_dataset_is_valid_and_typed(tmp_path, tables):
    folder = write_folder(tmp_path / "d", tables)
    assert validate_dataset(folder).ok, str(validate_dataset(folder))
    data = load_dataset(folder)
    assert data.has_qualitative
    assert data.interviews["triad_id"].tolist()[:3] == [None, "A-T01; A-T02", "A-T01"]
    assert str(data.care_plans["su_involved"].dtype) == "boolean"
    assert data.care_plans.loc[2, "copy_held"]  # "YES" is yes
    assert pd.isna(data.care_plans.loc[1, "review_date"])  # blank: the reviewer could not tell
    assert data.framework.loc[2, "codes"] == "risk_discussed; risk_central"


def test_folder_without_qualitative_files_is_unchanged(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert validate_dataset(folder).ok
    data = load_dataset(folder)
    assert data.interviews is None and data.framework is None and data.care_plans is None
    assert not data.has_qualitative


# --------------------------------------------------------------------------- interviews.csv


def test_unknown_role(tmp_path, tables):
    tables["interviews"].loc[3, "role"] = "XX"
    p = one_problem(write_folder(tmp_path / "d", tables), "interviews.csv", ql.UNKNOWN_ROLE)
    assert p.column == "role" and p.rows == [5]
    assert p.message.startswith(f"interviews.csv, column 'role', row 5 {NOTE}")
    assert "'XX'" in p.message


def test_label_not_matching_site(tmp_path, tables):
    tables["interviews"].loc[0, "participant_id"] = "B-SM-001"  # at Artois
    p = one_problem(write_folder(tmp_path / "d", tables), "interviews.csv", ql.LABEL_MISMATCH)
    assert p.column == "participant_id" and p.rows == [2]
    assert "initial does not match the site" in p.message and "B-SM-001 (site Artois)" in p.message
    assert p.message.startswith("interviews.csv, column 'participant_id', row 2")


def test_label_not_matching_role(tmp_path, tables):
    tables["interviews"].loc[5, "participant_id"] = "B-SM-001"  # role SP
    p = one_problem(write_folder(tmp_path / "d", tables), "interviews.csv", ql.LABEL_MISMATCH)
    assert p.column == "participant_id" and p.rows == [7]
    assert "role part does not match" in p.message and "B-SM-001 (role SP)" in p.message


def test_malformed_label(tmp_path, tables):
    tables["interviews"].loc[0, "participant_id"] = "Artois manager"
    p = one_problem(write_folder(tmp_path / "d", tables), "interviews.csv", ql.MALFORMED_LABEL)
    assert p.rows == [2] and "'Artois manager'" in p.message


def test_duplicate_interview_ids(tmp_path, tables):
    tables["interviews"].loc[3, "participant_id"] = "A-SU-001"
    folder = write_folder(tmp_path / "d", tables.copy())
    p = one_problem(folder, "interviews.csv", "duplicate value")
    assert p.column == "participant_id" and p.rows == [4, 5]
    assert p.message.startswith(f"interviews.csv, column 'participant_id', rows 4, 5 {NOTE}")


def test_triad_pointing_at_a_missing_interview(tmp_path, tables):
    interviews = tables["interviews"]
    tables["interviews"] = interviews[interviews["participant_id"] != "A-SU-002"].reset_index(drop=True)
    tables["framework"] = tables["framework"][tables["framework"]["participant_id"] != "A-SU-002"]
    tables["care_plans"] = tables["care_plans"][tables["care_plans"]["participant_id"] != "A-SU-002"]
    p = one_problem(write_folder(tmp_path / "d", tables), "interviews.csv", ql.MISSING_INTERVIEW)
    assert p.column == "triad_id" and p.rows == [3]  # the care coordinator's row names A-T02
    assert "'A-T02'" in p.message and "service-user interview that is not in the file" in p.message


def test_inconsistent_triads(tmp_path, tables):
    tables["interviews"].loc[0, "triad_id"] = "A-T01"  # a senior manager in a triad
    tables["interviews"].loc[6, "triad_id"] = "A-T02"  # Burgundy's service user in an Artois triad
    problems = [p for p in problems_of(write_folder(tmp_path / "d", tables), "interviews.csv")
                if p.kind == ql.TRIAD_PROBLEM]
    messages = " | ".join(p.message for p in problems)
    assert "senior managers and senior practitioners are not members of triads" in messages
    assert "more than one service user" in messages and "different sites" in messages
    assert all(p.column == "triad_id" and p.rows for p in problems)


def test_every_problem_is_reported_at_once(tmp_path, tables):
    tables["interviews"].loc[0, "role"] = "XX"
    tables["framework"].loc[0, "theme"] = "risk"
    tables["care_plans"].loc[0, "su_involved"] = "maybe"
    report = validate_dataset(write_folder(tmp_path / "d", tables))
    assert {p.file.name for p in report.problems} == {"interviews.csv", "framework.csv", "care_plans.csv"}
    with pytest.raises(DataValidationError) as err:
        load_dataset(write_folder(tmp_path / "d", tables))
    assert "3 problems in 3 files" in str(err.value)


# --------------------------------------------------------------------------- framework.csv


def test_unknown_theme(tmp_path, tables):
    tables["framework"].loc[1, "theme"] = "care plans"
    p = one_problem(write_folder(tmp_path / "d", tables), "framework.csv", ql.UNKNOWN_THEME)
    assert p.column == "theme" and p.rows == [3] and "'care plans'" in p.message
    assert "themes.yaml" in p.message


def test_theme_label_is_accepted(tmp_path, tables):
    tables["framework"].loc[1, "theme"] = "Care planning and coordination"
    folder = write_folder(tmp_path / "d", tables)
    assert validate_dataset(folder).ok
    assert load_dataset(folder).framework.loc[1, "theme"] == "care_planning"


def test_unknown_code(tmp_path, tables):
    tables["framework"].loc[2, "codes"] = "risk_discussed; risky"
    p = one_problem(write_folder(tmp_path / "d", tables), "framework.csv", ql.UNKNOWN_CODE)
    assert p.column == "codes" and p.rows == [4] and "'risky'" in p.message


def test_framework_row_pointing_at_a_missing_interview(tmp_path, tables):
    tables["framework"].loc[4, "participant_id"] = "A-SU-009"
    p = one_problem(write_folder(tmp_path / "d", tables), "framework.csv", ql.MISSING_INTERVIEW)
    assert p.column == "participant_id" and p.rows == [6] and "'A-SU-009'" in p.message
    assert "interviews.csv" in p.message


def test_duplicate_framework_cell(tmp_path, tables):
    tables["framework"].loc[1, "theme"] = "risk_safety"  # A-SM-001 charted twice under risk
    p = one_problem(write_folder(tmp_path / "d", tables), "framework.csv", "duplicate value")
    assert p.column == "theme" and p.rows == [2, 3]


def test_framework_without_interviews(tmp_path, tables):
    del tables["interviews"]
    problems = problems_of(write_folder(tmp_path / "d", tables))
    assert any(p.kind == "missing file" and "framework.csv needs it" in p.message for p in problems)


# --------------------------------------------------------------------------- care_plans.csv


def test_care_plan_pointing_at_a_missing_interview(tmp_path, tables):
    tables["care_plans"].loc[2, "participant_id"] = "B-SU-002"
    p = one_problem(write_folder(tmp_path / "d", tables), "care_plans.csv", ql.MISSING_INTERVIEW)
    assert p.column == "participant_id" and p.rows == [4] and "'B-SU-002'" in p.message


def test_care_plan_of_someone_not_a_service_user(tmp_path, tables):
    tables["care_plans"].loc[2, "participant_id"] = "B-SP-001"
    tables["care_plans"].loc[2, "triad_id"] = ""
    p = one_problem(write_folder(tmp_path / "d", tables), "care_plans.csv", ql.NOT_SERVICE_USER)
    assert p.rows == [4] and "B-SP-001 (role SP)" in p.message


def test_duplicate_care_plan(tmp_path, tables):
    tables["care_plans"].loc[1, ["participant_id", "triad_id"]] = ["A-SU-001", "A-T01"]
    p = one_problem(write_folder(tmp_path / "d", tables), "care_plans.csv", "duplicate value")
    assert p.column == "participant_id" and p.rows == [2, 3]


def test_care_plan_triad_and_site_must_match_the_interview(tmp_path, tables):
    tables["care_plans"].loc[0, "triad_id"] = "A-T09"
    tables["care_plans"].loc[1, "triad_id"] = "A-T01"
    tables["care_plans"].loc[2, "site"] = "Artois"
    folder = write_folder(tmp_path / "d", tables)
    missing = one_problem(folder, "care_plans.csv", ql.MISSING_INTERVIEW)
    assert missing.column == "triad_id" and missing.rows == [2] and "'A-T09'" in missing.message
    wrong = one_problem(folder, "care_plans.csv", ql.TRIAD_PROBLEM)
    assert wrong.rows == [3]
    site = one_problem(folder, "care_plans.csv", ql.SITE_MISMATCH)
    assert site.column == "site" and site.rows == [4] and "Artois (interview: Burgundy)" in site.message


def test_yes_no_fields(tmp_path, tables):
    tables["care_plans"].loc[1, "crisis_plan"] = "partly"
    p = one_problem(write_folder(tmp_path / "d", tables), "care_plans.csv", ql.NOT_YES_NO)
    assert p.column == "crisis_plan" and p.rows == [3] and "'partly'" in p.message


def test_missing_template_column(tmp_path, tables):
    tables["care_plans"] = tables["care_plans"].drop(columns="first_person")
    p = one_problem(write_folder(tmp_path / "d", tables), "care_plans.csv", "missing column")
    assert p.column == "first_person"


# --------------------------------------------------------------------------- NVivo framework matrix


def test_bracketed_codes():
    assert ql.parse_bracketed_codes("Talks it through. [Codes: risk_discussed ; rel_valued]") == (
        "Talks it through.", ["risk_discussed", "rel_valued"])
    assert ql.parse_bracketed_codes("A [bracket] inside. [codes: ]") == ("A [bracket] inside.", [])
    assert ql.parse_bracketed_codes(None) == ("", [])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_nvivo_round_trip(tmp_path, q, suffix):
    """Long form -> NVivo-style matrix (xlsx or csv) -> long form gives the same cells."""
    wide = ql.long_to_nvivo(q.framework, BOOK)
    path = tmp_path / f"framework_matrix{suffix}"
    if suffix == ".csv":
        wide.to_csv(path, index=False)
    else:
        wide.to_excel(path, index=False)
    back = ql.read_nvivo_matrix(path, BOOK)
    key = ["participant_id", "theme"]
    expected = q.framework[list(ql.FRAMEWORK_COLUMNS)].sort_values(key).reset_index(drop=True)
    got = back.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_nvivo_prefixes_and_paths():
    matrix = pd.DataFrame({
        "Cases": ["1 : Cases\\Participants\\A-SU-001", "2 : A-CC-001"],
        "A : Nodes\\Risk and safety": ["Not asked. [codes: risk_not_discussed]", None],
        "B : care_planning": ["", "Plans written together."],
    })
    long, case_column, problems = ql.nvivo_to_long(matrix, codebook=BOOK)
    assert case_column == "Cases" and not problems
    assert long.to_dict("records") == [
        {"participant_id": "A-SU-001", "theme": "risk_safety", "summary": "Not asked.", "codes": "risk_not_discussed"},
        {"participant_id": "A-CC-001", "theme": "care_planning", "summary": "Plans written together.", "codes": ""},
    ]


def test_dataset_folder_with_an_nvivo_export(tmp_path, tables):
    wide = ql.long_to_nvivo(tables.pop("framework"), BOOK)
    folder = write_folder(tmp_path / "d", tables)
    wide.to_excel(folder / "framework_matrix.xlsx", index=False)
    assert validate_dataset(folder).ok, str(validate_dataset(folder))
    data = load_dataset(folder)
    assert data.files["framework"].name == "framework_matrix.xlsx"
    expected = small_tables()["framework"].sort_values(["participant_id", "theme"]).reset_index(drop=True)
    got = data.framework.sort_values(["participant_id", "theme"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[list(ql.FRAMEWORK_COLUMNS)], expected, check_dtype=False)


def test_nvivo_problems_point_at_the_matrix(tmp_path, tables):
    wide = ql.long_to_nvivo(tables.pop("framework"), BOOK).rename(columns={"Recovery": "Hope"})
    wide["Hope"] = "Something. [codes: hope]"
    wide.loc[2, "Risk and safety"] = "Text. [codes: risk_centrall]"
    folder = write_folder(tmp_path / "d", tables)
    wide.to_csv(folder / "framework_matrix.csv", index=False)
    problems = problems_of(folder, "framework_matrix.csv")
    theme = next(p for p in problems if p.kind == ql.UNKNOWN_THEME)
    assert theme.column == "Hope" and "'Hope'" in theme.message
    code = next(p for p in problems if p.kind == ql.UNKNOWN_CODE and p.column == "Risk and safety")
    assert code.rows == [4] and "'risk_centrall'" in code.message
    assert code.message.startswith(f"framework_matrix.csv, column 'Risk and safety', row 4 {NOTE}")


def test_long_and_nvivo_framework_together_are_ambiguous(tmp_path, tables):
    folder = write_folder(tmp_path / "d", tables)
    ql.long_to_nvivo(tables["framework"], BOOK).to_csv(folder / "framework_matrix.csv", index=False)
    assert any(p.kind == "ambiguous file" for p in problems_of(folder))


# --------------------------------------------------------------------------- analyses on the small example


@pytest.fixture
def small_q(tmp_path, tables):
    return ql.from_dataset(load_dataset(write_folder(tmp_path / "d", tables)))


def test_indicator_rule(small_q):
    collab = ql.indicator_values(small_q, "collaboration", "site").set_index("site")
    # Artois: CC and A-SU-002 made together, A-SU-001 made for them, the carer silent: (2 - 1) / 4.
    assert collab.loc["Artois", ["n_accounts", "n_positive", "n_negative"]].tolist() == [4, 2, 1]
    assert collab.loc["Artois", "value"] == pytest.approx(0.25)
    assert collab.loc["Burgundy", "value"] == 0.0  # one service user, silent on it
    assert np.isnan(collab.loc["Champagne", "value"]) and collab.loc["Champagne", "n_accounts"] == 0


def test_divergence_on_risk(small_q):
    div = ql.divergence_table(small_q)
    risk = div[(div["comparison"] == "risk_centrality")].set_index("site")
    assert risk.loc["Artois", "staff_share"] == 1.0  # the senior manager and the care coordinator
    assert risk.loc["Artois", "users_share"] == 0.0  # neither service user nor the carer
    assert risk.loc["All sites", "staff_n"] == 3


def test_triad_agreement_rules(small_q):
    positions = ql.triad_positions(small_q)
    agreement = ql.triad_agreement(positions).set_index(["triad_id", "item"])
    # A-T01, risk: care coordinator yes (discussed), service user no, carer no, plan no -> disagree.
    row = agreement.loc[("A-T01", "risk_discussed")]
    assert (row["yes"], row["no"], row["verdict"], row["su_position"]) == (1, 3, "disagree", "no")
    # A-T01, carer: the carer and the plan say yes, nobody says no -> agree.
    assert agreement.loc[("A-T01", "carer_involved"), "verdict"] == "agree"
    # A-T02, plan made together: service user yes, coordinator yes, plan no -> disagree.
    assert agreement.loc[("A-T02", "plan_together"), "verdict"] == "disagree"
    # B-T01 has no coordinator or carer: only the plan answers on risk -> one source.
    assert agreement.loc[("B-T01", "risk_discussed"), "verdict"] == "one source"
    assert agreement.loc[("B-T01", "plan_in_use"), "verdict"] == "no answer"
    summary = ql.triad_agreement_summary(ql.triad_agreement(positions), BOOK).set_index("item")
    assert summary.loc["risk_discussed", "su_no_others_yes"] == 1


def test_care_plan_review_counts(small_q):
    review = ql.care_plan_review(small_q).set_index(["site", "field"])
    assert review.loc[("Artois", "su_involved"), ["n_plans", "n_recorded", "n_yes"]].tolist() == [2, 2, 1]
    assert review.loc[("Artois", "review_date"), "n_recorded"] == 1  # one blank
    assert review.loc[("All sites", "copy_held"), "n_yes"] == 1
    assert np.isnan(review.loc[("Provence", "su_involved"), "share"])


def test_exact_site_test_matches_fisher():
    for a, b in [((3, 0), (3, 3)), ((4, 1), (6, 7)), ((0, 5), (5, 6))]:
        expected = stats.fisher_exact([[a[0], b[0] - a[0]], [a[1], b[1] - a[1]]]).pvalue
        assert ql.exact_site_test(a, b) == pytest.approx(expected)


def test_empty_qualitative_data_gives_skeletons(synthetic):
    empty = ql.from_dataset(_no_qual(synthetic))
    assert not empty.available
    assert len(ql.code_frequencies(empty, "role")) == 5 * len(BOOK.codes)
    assert (ql.code_frequencies(empty, "site")["n_accounts"] == 0).all()
    assert len(ql.framework_by_site_role(empty)) == 6 * 5
    assert len(ql.care_plan_review(empty)) == 7 * len(BOOK.plan_fields)
    assert len(ql.triad_agreement_summary(ql.triad_agreement(ql.triad_positions(empty)), BOOK)) == 4
    assert len(ql.site_pattern_tests(empty)) == len(BOOK.codes)
    counts = ql.interview_counts(empty.interviews, empty.site_list)
    assert ql.counts_sentence(counts) == "This dataset holds no interviews."


def _no_qual(dataset):
    from dataclasses import replace

    return replace(dataset, interviews=None, framework=None, care_plans=None)


# --------------------------------------------------------------------------- the synthetic material


def test_interview_counts_equal_table1(q):
    counts = ql.interview_counts(q.interviews, q.site_list).set_index("site")
    table1 = load_published().sites.set_index("site")
    for role, column in ql.TABLE1_COLUMNS.items():
        pd.testing.assert_series_equal(counts[role], table1[column].astype(int), check_names=False)
    assert counts[list(ql.ROLE_ORDER)].sum().tolist() == [12, 27, 28, 33, 17]
    assert counts["total"].sum() == 117
    assert ql.interview_counts_with_published(q.interviews, q.site_list)["match"].all()


def test_one_care_plan_per_interviewed_service_user_and_triads(q):
    service_users = q.interviews.loc[q.interviews["role"] == "SU", "participant_id"]
    assert len(q.care_plans) == 33
    assert sorted(q.care_plans["participant_id"]) == sorted(service_users)
    members = ql.triad_members(q.interviews)
    assert members["triad_id"].nunique() == 33
    assert (members.groupby("triad_id")["role"].apply(lambda r: (r == "SU").sum()) == 1).all()
    # Every carer belongs to a triad, and so does every care coordinator.
    assert set(members.loc[members["role"] == "CA", "participant_id"]) == set(
        q.interviews.loc[q.interviews["role"] == "CA", "participant_id"])


def test_synthetic_material_is_labelled_and_checksummed():
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and manifest["qualitative"]["synthetic"] is True
    for name in ("interviews.csv", "framework.csv", "care_plans.csv"):
        info = manifest["files"][name]
        assert hashlib.sha256((SYNTHETIC_DIR / name).read_bytes()).hexdigest() == info["sha256"], name


def test_generation_is_reproducible(tmp_path):
    about = write_qualitative(tmp_path, seed=2016)
    for name in about["files"]:
        assert (tmp_path / name).read_bytes() == (SYNTHETIC_DIR / name).read_bytes(), name
    other = generate_qualitative(seed=7)
    assert not other["framework"].equals(pd.read_csv(SYNTHETIC_DIR / "framework.csv", keep_default_na=False))


def test_synthetic_patterns_carry_the_reported_findings(q):
    ind = ql.site_indicators(q).pivot(index="site", columns="indicator", values="value")
    country = q.sites.set_index("site")["country"]
    england, wales = country[country == "England"].index, country[country == "Wales"].index
    # Risk central in staff accounts at every site; service users and carers rarely involved.
    assert (ind["risk_central_staff"] >= 0.8).all()
    assert (ind["risk_involved_users"] <= 0.3).all()
    # Plans valued as records by staff but seldom consulted.
    assert (ind["plan_record_staff"] >= 0.5).all() and (ind["plan_unused"] >= 0.5).all()
    # Personal budgets promoted in England and resisted in Wales, at every site.
    assert ind.loc[england, "pb_promoted"].min() > ind.loc[wales, "pb_promoted"].max()
    assert ind.loc[wales, "pb_resisted"].min() > ind.loc[england, "pb_resisted"].max()
    # Carers' involvement varies within every site with two or more carers.
    assert "At all 5 sites with two or more interviewed carers" in ql.carer_variation_sentence(q)
    # No clear site pattern in service users' experiences.
    assert not ql.site_pattern_tests(q, "SU")["site_pattern"].any()
    # Relationships valued above documents: service users and carers put relationships before the plan
    # far more often than they found the plan itself of practical help.
    overall = ql.site_indicators(q, by=None).set_index("indicator")["value"]
    assert overall["relationship_valued"] > 0.7 and overall["relationship_first"] > 0.5
    freq = ql.code_frequencies(q, "role")
    users = freq[freq["role"].isin(ql.USER_ROLES)].groupby("code")[["n_coded", "n_accounts"]].sum()
    share = users["n_coded"] / users["n_accounts"]
    assert share["rel_over_documents"] > 2 * share["cp_practical_help"]


def test_summaries_are_fresh_text_from_the_templates(q):
    paper = (Path(__file__).resolve().parents[2] / "shared" / "reference" / "cocapp-paper.txt")
    summaries = q.framework["summary"]
    assert summaries.str.len().min() > 10
    assert summaries.nunique() > 300
    if paper.is_file():
        text = " ".join(paper.read_text(encoding="utf-8").split()).lower()
        sentences = {s.strip().lower() for cell in summaries for s in cell.split(". ") if len(s) > 30}
        copied = [s for s in sentences if s.rstrip(".") in text]
        assert not copied, copied[:3]


def test_reproduction_table_has_interview_rows(synthetic):
    from helpers.reproduce import REPRODUCED, reproduction_table

    table = reproduction_table(synthetic)
    rows = table[table["statistic"] == "interviews"]
    assert len(rows) == 5 * 7
    assert (rows["status"] == REPRODUCED).all()


def test_every_template_code_and_perspective_exists():
    import yaml

    from helpers.synth_qual import PATTERNS_FILE, PERSPECTIVE, TEMPLATES_FILE, _templates_for

    patterns = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    templates = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    for group in patterns["groups"]:
        variants = [group["shares"], *group.get("by_country", {}).values()]
        for shares in variants:
            for code, roles in shares.items():
                assert code in BOOK.codes, code
                for role, share in (roles or {}).items():
                    if share:
                        assert _templates_for(templates, code, PERSPECTIVE[role]), (code, role)
    for role, spec in patterns["themes"].items():
        perspective = PERSPECTIVE[role]
        for theme in [*spec.get("always", []), *spec.get("sometimes", {})]:
            neutral = templates["neutral"][theme]
            assert neutral.get(perspective) or (perspective == "cc" and neutral.get("staff")), (theme, role)
