"""The whole book on datasets a new user might bring (tests/build/variants.py builds them).

Each valid variant must build every chapter (``cocapp run`` exits 0, no traceback in any
page) and say in the book what it cannot estimate, and why. The invalid one (an infinite
number) must be refused by validation, naming the file, column and row.
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import PROJECT_ROOT, validate_dataset

_SPEC = importlib.util.spec_from_file_location("cocapp_variants", Path(__file__).with_name("variants.py"))
variants = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(variants)

COCAPP = Path(sys.executable).with_name("cocapp")
CHAPTERS = sorted(p.stem for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.md"))

#: Per variant: (chapter, sentence or row the built page must show), for every page listed.
EXPECTED = {
    "one_site": [
        ("01-data-and-quality", "fewer than 2 sites with at least 2 respondents (1: Artois)"),
        ("02-recovery", "Not estimable on this dataset: fewer than 2 sites with at least 2 respondents"),
        ("03-therapeutic-relationship", "Not estimable on this dataset: fewer than 2 sites"),
        ("05-cross-site", "fewer than 2 sites with at least 2 respondents (1: Artois)"),
        ("08-reproduction", "no F (not estimable)"),
    ],
    "constant_scale": [
        ("01-data-and-quality", "every respondent gave the same score"),
        ("04-empowerment", "Not estimable on this dataset: every respondent gave the same score."),
    ],
    "single_respondent": [
        ("01-data-and-quality", "Dauphine ([suppressed])"),
        ("02-recovery", "Dauphine ([suppressed])"),
        ("03-therapeutic-relationship", "Dauphine ([suppressed])"),
    ],
    "tiny_site": [("02-recovery", "Dauphine")],
    "blank_covariates": [
        ("01-data-and-quality", "years_in_services: blank for everyone (not collected)"),
        ("03-therapeutic-relationship", "covariate age left out: blank for everyone (not collected)"),
        ("02-recovery", "covariate years_as_care_coordinator left out: blank for everyone (not collected)"),
    ],
    "long_name": [("02-recovery", variants.LONG_NAME)],
    "starp_one_site_missing": [
        ("01-data-and-quality", "Champagne (0)"),
        ("03-therapeutic-relationship", "Champagne (0)"),
    ],
    "four_teams": [
        ("02-recovery", "Ashby team"),
        ("05-cross-site", "the compared sites carry 1 grouping label, not two"),
    ],
    "one_country": [("05-cross-site", "the compared sites carry 1 grouping label, not two")],
    "large": [("01-data-and-quality", "Of the 110 analyses of single outcomes, 0 cannot be estimated on this dataset")],
    "non_uk_label": [("05-cross-site", "Ontario"), ("05-cross-site", "Quebec")],
}
BOOK_VARIANTS = list(EXPECTED)


def page_text(path: Path) -> str:
    """The visible words of an HTML page, tags removed and entities decoded, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_every_variant_is_listed():
    assert set(BOOK_VARIANTS) | {"infinite_years"} == set(variants.VARIANTS)


def test_an_infinite_number_is_refused_by_validation(tmp_path):
    folder = variants.build_variant("infinite_years", tmp_path / "data")
    report = validate_dataset(folder)
    (problem,) = report.problems
    assert problem.kind == "non-finite number" and problem.column == "years_in_services" and problem.rows == [4]
    assert problem.message.startswith("service_users.csv, column 'years_in_services', row 4")


def test_cocapp_refuses_the_infinite_number_before_running(tmp_path):
    folder = variants.build_variant("infinite_years", tmp_path / "data")
    done = subprocess.run(
        [str(COCAPP), "run", "--data", str(folder), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "years_in_services" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr and not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", BOOK_VARIANTS)
def test_the_whole_book_builds_on_the_variant(name, tmp_path):
    folder = variants.build_variant(name, tmp_path / "data")
    assert validate_dataset(folder).ok
    out = tmp_path / "out"
    started = time.perf_counter()
    done = subprocess.run(
        [str(COCAPP), "run", "--data", str(folder), "--out", str(out)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    print(f"variant {name}: book built in {seconds:.1f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    pages = {chapter: out / "html" / "notebooks" / f"{chapter}.html" for chapter in CHAPTERS}
    assert all(page.is_file() for page in pages.values())
    texts = {chapter: page_text(page) for chapter, page in pages.items()}
    for chapter, text in texts.items():
        assert "Traceback" not in text, chapter
    for chapter, expected in EXPECTED[name]:
        assert expected in texts[chapter], f"{chapter} does not show {expected!r}"
    feasible = pd.read_csv(out / "tables" / "01-feasibility.csv", keep_default_na=False)
    assert set(feasible["analysis"]) == {"anova", "ancova", "tukey", "sensitivity", "country"}
