"""Typed qualitative tables and the QualData bundle."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from helpers.io import (
    CARE_PLAN_KEYS,
    FRAMEWORK_COLUMNS,
    INTERVIEW_COLUMNS,
    QualData,
    empty_tables,
    from_dataset,
    load_dataset,
    typed_tables,
    validate_dataset,
)


def test_small_dataset_is_typed(tmp_path, qual_tables, qual):
    data = load_dataset(qual.write(tmp_path / "d", qual_tables))
    assert data.has_qualitative
    assert data.interviews["triad_id"].tolist()[:3] == [None, "A-T01; A-T02", "A-T01"]
    assert str(data.care_plans["su_involved"].dtype) == "boolean"
    assert data.care_plans.loc[2, "copy_held"]  # "YES" is yes
    assert not data.care_plans.loc[1, "copy_held"]
    assert pd.isna(data.care_plans.loc[1, "review_date"])  # blank: the reviewer could not tell
    assert data.framework.loc[2, "codes"] == "risk_discussed; risk_central"


def test_theme_labels_become_ids_and_codes_are_normalised(tmp_path, qual_tables, qual):
    qual_tables["framework"].loc[1, "theme"] = "Care planning and coordination"
    qual_tables["framework"].loc[2, "codes"] = " risk_discussed;risk_central ; risk_discussed"
    data = load_dataset(qual.write(tmp_path / "d", qual_tables))
    assert data.framework.loc[1, "theme"] == "care_planning"
    assert data.framework.loc[2, "codes"] == "risk_discussed; risk_central"


def test_typed_tables_of_raw_frames(book, qual_tables):
    typed = typed_tables({"interviews": qual_tables["interviews"]}, book)
    assert list(typed) == ["interviews"]
    assert typed["interviews"]["triad_id"].tolist()[0] is None


def test_folder_without_qualitative_files_is_unchanged(tmp_path, qual):
    folder = qual.write(tmp_path / "d")
    assert validate_dataset(folder).ok
    data = load_dataset(folder)
    assert data.interviews is None and data.framework is None and data.care_plans is None
    assert not data.has_qualitative


def test_empty_tables_have_the_contract_columns(book):
    empty = empty_tables(book)
    assert tuple(empty["interviews"].columns) == INTERVIEW_COLUMNS
    assert tuple(empty["framework"].columns) == FRAMEWORK_COLUMNS
    assert tuple(empty["care_plans"].columns) == (*CARE_PLAN_KEYS, *book.plan_field_ids)
    assert all(len(t) == 0 for t in empty.values())
    assert str(empty["care_plans"][book.plan_field_ids[0]].dtype) == "boolean"


def test_from_dataset(synthetic, book):
    q = from_dataset(synthetic, book)
    assert isinstance(q, QualData) and q.available and q.synthetic
    assert q.site_list == ["Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"]
    assert list(q.sites.columns) == ["site", "country"] and q.sites["country"].map(type).eq(str).all()
    assert q.interviews is synthetic.interviews and len(q.framework) == 908 and len(q.care_plans) == 33
    assert q.codebook is book


def test_from_dataset_without_qualitative_tables(synthetic, book):
    q = from_dataset(replace(synthetic, interviews=None, framework=None, care_plans=None), book)
    assert not q.available and q.synthetic
    assert len(q.interviews) == len(q.framework) == len(q.care_plans) == 0
    assert len(q.sites) == 6
