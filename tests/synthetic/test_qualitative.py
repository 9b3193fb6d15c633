"""The synthetic interviews, framework summaries and care-plan reviews."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import interviews as iv
from helpers.io import ROLE_ORDER, SYNTHETIC_DIR, TABLE1_COLUMNS, USER_ROLES, load_codebook
from helpers.synthetic import (
    PATTERNS_FILE,
    PERSPECTIVE,
    QUALITATIVE_GENERATOR,
    TEMPLATES_FILE,
    generate_qualitative,
    templates_for,
    write_qualitative,
)

BOOK = load_codebook()


def test_interview_counts_equal_table1(q, published):
    counts = iv.interview_counts(q.interviews, q.site_list).set_index("site")
    table1 = published.sites.set_index("site")
    for role, column in TABLE1_COLUMNS.items():
        pd.testing.assert_series_equal(counts[role], table1[column].astype(int), check_names=False)
    assert counts[list(ROLE_ORDER)].sum().tolist() == [12, 27, 28, 33, 17]
    assert counts["total"].sum() == 117
    assert iv.interview_counts_with_published(q.interviews, q.site_list, published)["match"].all()


def test_one_care_plan_per_interviewed_service_user_and_triads(q):
    service_users = q.interviews.loc[q.interviews["role"] == "SU", "participant_id"]
    assert len(q.care_plans) == 33
    assert sorted(q.care_plans["participant_id"]) == sorted(service_users)
    members = iv.triad_members(q.interviews)
    assert members["triad_id"].nunique() == 33
    assert (members.groupby("triad_id")["role"].apply(lambda r: (r == "SU").sum()) == 1).all()
    # Every carer belongs to a triad, and so does every care coordinator.
    assert set(members.loc[members["role"] == "CA", "participant_id"]) == set(
        q.interviews.loc[q.interviews["role"] == "CA", "participant_id"]
    )


def test_synthetic_material_is_labelled_and_checksummed():
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and manifest["qualitative"]["synthetic"] is True
    for name in ("interviews.csv", "framework.csv", "care_plans.csv"):
        info = manifest["files"][name]
        assert hashlib.sha256((SYNTHETIC_DIR / name).read_bytes()).hexdigest() == info["sha256"], name


def test_generation_is_reproducible(tmp_path):
    about = write_qualitative(tmp_path, seed=2016)
    assert about["qualitative"]["generator"] == QUALITATIVE_GENERATOR
    for name in about["files"]:
        assert (tmp_path / name).read_bytes() == (SYNTHETIC_DIR / name).read_bytes(), name
    other = generate_qualitative(seed=7)
    assert not other["framework"].equals(pd.read_csv(SYNTHETIC_DIR / "framework.csv", keep_default_na=False))


def test_writing_refuses_to_leave_a_second_copy_of_a_table(tmp_path):
    (tmp_path / "interviews.xlsx").write_bytes(b"")
    with pytest.raises(FileExistsError, match="interviews.xlsx"):
        write_qualitative(tmp_path, seed=2016)


def test_synthetic_patterns_carry_the_reported_findings(q):
    ind = iv.site_indicators(q).pivot(index="site", columns="indicator", values="value")
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
    # Carers' involvement varies within every site with two or more carers (5 sites).
    carers = iv.carer_variation(q)
    several = carers[carers["n_carers"] >= 2]
    assert len(several) == 5
    assert (several["n_involved"] >= 1).all() and (several["n_not_involved"] >= 1).all()
    # No clear site pattern in service users' experiences.
    assert not iv.site_pattern_tests(q, "SU", alpha=0.05)["site_pattern"].any()
    # Relationships valued above documents: service users and carers put relationships before the plan
    # far more often than they found the plan itself of practical help.
    overall = iv.site_indicators(q, by=None).set_index("indicator")["value"]
    assert overall["relationship_valued"] > 0.7 and overall["relationship_first"] > 0.5
    freq = iv.code_frequencies(q, "role")
    users = freq[freq["role"].isin(USER_ROLES)].groupby("code")[["n_coded", "n_accounts"]].sum()
    share = users["n_coded"] / users["n_accounts"]
    assert share["rel_over_documents"] > 2 * share["cp_practical_help"]


def test_summaries_are_fresh_text_from_the_templates(q):
    paper = Path(__file__).resolve().parents[3] / "shared" / "reference" / "cocapp-paper.txt"
    summaries = q.framework["summary"]
    assert summaries.str.len().min() > 10
    assert summaries.nunique() > 300
    if paper.is_file():
        text = " ".join(paper.read_text(encoding="utf-8").split()).lower()
        sentences = {s.strip().lower() for cell in summaries for s in cell.split(". ") if len(s) > 30}
        copied = [s for s in sentences if s.rstrip(".") in text]
        assert not copied, copied[:3]


def test_every_template_code_and_perspective_exists():
    patterns = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    templates = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    for group in patterns["groups"]:
        variants = [group["shares"], *group.get("by_country", {}).values()]
        for shares in variants:
            for code, roles in shares.items():
                assert code in BOOK.codes, code
                for role, share in (roles or {}).items():
                    if share:
                        assert templates_for(templates, code, PERSPECTIVE[role]), (code, role)
    for role, spec in patterns["themes"].items():
        perspective = PERSPECTIVE[role]
        for theme in [*spec.get("always", []), *spec.get("sometimes", {})]:
            neutral = templates["neutral"][theme]
            assert neutral.get(perspective) or (perspective == "cc" and neutral.get("staff")), (theme, role)
