"""What is the article's and what is the project's: the "Beyond the article" admonition is used
the same way in every chapter, and the wording does not claim for the article what it did not do."""

from __future__ import annotations

import re

import pytest

from helpers.io.paths import PROJECT_ROOT

CHAPTERS = sorted((PROJECT_ROOT / "notebooks").glob("0[1-7]-*.md"))
PAGES = [PROJECT_ROOT / "intro.md", *CHAPTERS]
ADMONITION = re.compile(r"```\{admonition\} Beyond the article\n:class: beyond-article\n(?P<body>.*?)```", re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_beyond_the_article_is_always_the_admonition(page):
    text = page.read_text(encoding="utf-8")
    assert "**Beyond the article.**" not in text
    assert not re.search(r"^Beyond the article\.", text, re.M)
    for match in re.finditer(r"\{(\w+)\}[^\n]*\n(?::class: (\S+)\n)?(?:\*\*)?Beyond the article", text):
        assert match.group(1) == "admonition" and match.group(2) == "beyond-article", match.group(0)


def test_every_listed_extension_is_marked_in_its_chapter():
    bodies = {p.name[:2]: " ".join(m["body"] for m in ADMONITION.finditer(p.read_text("utf-8"))) for p in CHAPTERS}
    expected = {
        "02": ["care-coordinator comparison"],
        "03": ["reference value and its source"],
        "05": ["England against Wales t tests"],
        "06": ["code book", "care-plan template", "exact test"],
        "07": ["joint display", "collaboration score", "permutation test", "England against"],
    }
    for chapter, phrases in expected.items():
        for phrase in phrases:
            assert phrase in bodies[chapter], (chapter, phrase)


def test_the_book_does_not_claim_the_article_tested_its_hypothesis_or_that_reproduction_proves_the_code():
    intro = (PROJECT_ROOT / "intro.md").read_text("utf-8")
    synthesis = (PROJECT_ROOT / "notebooks" / "07-synthesis.md").read_text("utf-8")
    synthetic = (PROJECT_ROOT / "docs" / "synthetic_data.md").read_text("utf-8")
    assert "implements both strands and the synthesis" not in intro
    assert "Testing the hypothesis" not in synthesis
    assert "did not test" in synthesis
    assert "strongest available test" not in synthetic
    assert "does not show" in synthetic.lower() or "it does not show" in synthetic.lower()


def test_the_article_cross_strand_inference_stays_in_the_synthesis_with_glued_numbers():
    synthesis = (PROJECT_ROOT / "notebooks" / "07-synthesis.md").read_text("utf-8")
    section = synthesis.split("## The article's own cross-strand reading", 1)[1].split("\n## ", 1)[0]
    for key in ("syn-rel-corr", "syn-rel-pub", "syn-rel-valued", "syn-rel-verdict"):
        assert f"{{glue:text}}`{key}`" in section
    prose = re.sub(r"```.*?```", "", section, flags=re.S)
    assert not re.search(r"\b0\.\d", prose), "numbers in the prose must be glued"
