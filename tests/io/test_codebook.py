"""The code book of the qualitative strand (``data/qualitative/*.yaml``)."""

from __future__ import annotations

import shutil

import pytest

from helpers.io import QUALITATIVE_DIR, CodeBookError, load_codebook


def test_codebook_is_consistent(book):
    assert book.theme_ids == (
        "organisational_context",
        "care_planning",
        "risk_safety",
        "recovery",
        "personalisation",
        "carer_involvement",
        "relationship",
        "recommendations",
        "other",
    )
    assert all(code.theme in book.theme_ids for code in book.codes.values())
    assert {d.id for d in book.divergences} == {"risk_centrality", "risk_discussed", "plan_together"}
    assert all(item.yes and item.no for item in book.triad_items)
    assert book.indicators["collaboration"].kind == "balance"
    assert book.folder == QUALITATIVE_DIR


def test_labels_and_lookup(book):
    assert book.theme_label("risk_safety") == "Risk and safety"
    assert book.theme_label("nonexistent") == "nonexistent"
    assert book.code_label("nonexistent") == "nonexistent"
    lookup = book.theme_lookup()
    assert lookup["risk and safety"] == lookup["risk_safety"] == "risk_safety"
    assert book.field_label(book.plan_field_ids[0]) == book.plan_fields[0].label


@pytest.fixture
def book_copy(tmp_path):
    for name in ("themes.yaml", "codebook.yaml", "care_plan_template.yaml"):
        shutil.copy2(QUALITATIVE_DIR / name, tmp_path / name)
    return tmp_path


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_codebook_errors_name_the_problem(book_copy):
    _replace(book_copy / "codebook.yaml", "positive: [risk_central]", "positive: [risk_centre]")
    with pytest.raises(CodeBookError, match="unknown code 'risk_centre'"):
        load_codebook(book_copy)


def test_unreadable_codebook_file(book_copy):
    (book_copy / "themes.yaml").unlink()
    with pytest.raises(CodeBookError, match="themes.yaml: cannot be read"):
        load_codebook(book_copy)


def test_a_code_must_name_a_known_theme(book_copy):
    _replace(book_copy / "codebook.yaml", "theme: risk_safety", "theme: risks")
    with pytest.raises(CodeBookError, match="names unknown theme 'risks'"):
        load_codebook(book_copy)
