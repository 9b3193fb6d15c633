"""Downloads of the book: the workbook (a sheet per table, a codebook), the zip, the links of a chapter."""

from __future__ import annotations

import zipfile

import pandas as pd
from openpyxl import load_workbook

from helpers.build.book_theme import downloads_html
from helpers.build.downloads import ARCHIVE, WORKBOOK, chapter_files, column_description, publish_results


def make_results(root):
    (root / "tables").mkdir(parents=True)
    (root / "figures").mkdir()
    pd.DataFrame({"site": ["=HYPERLINK(1)", "Artois"], "mean": [3.41, -0.5], "published_mean": [3.40, None]}).to_csv(
        root / "tables" / "02-means.csv", index=False
    )
    pd.DataFrame({"n": [1, 2]}).to_csv(root / "tables" / "03-counts.csv", index=False)
    for name in ("02-means.png", "02-means.svg", "02-notes.txt"):
        (root / "figures" / name).write_bytes(b"x")
    return root


def test_workbook_has_a_sheet_per_table_and_a_codebook_of_every_column(tmp_path):
    target = publish_results(make_results(tmp_path / "results"), tmp_path / "html")
    book = load_workbook(target / WORKBOOK)
    assert book.sheetnames == ["codebook", "02-means", "03-counts"]
    rows = list(book["02-means"].iter_rows(values_only=True))
    assert rows == [("site", "mean", "published_mean"), ("'=HYPERLINK(1)", 3.41, 3.4), ("Artois", -0.5, None)]
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert codebook[0] == ("sheet", "column", "type", "description", "values")
    assert [(r[0], r[1], r[2]) for r in codebook[1:]] == [
        ("02-means", "site", "text"),
        ("02-means", "mean", "number"),
        ("02-means", "published_mean", "number"),
        ("03-counts", "n", "integer"),
    ]
    assert codebook[3][3] == "the article's value of: mean score" and codebook[3][4] == 1


def test_zip_holds_every_table_figure_and_the_workbook(tmp_path):
    target = publish_results(make_results(tmp_path / "results"), tmp_path / "html")
    names = zipfile.ZipFile(target / ARCHIVE).namelist()
    assert sorted(names) == [
        "cocapp-results/cocapp-results.xlsx",
        "cocapp-results/figures/02-means.png",
        "cocapp-results/figures/02-means.svg",
        "cocapp-results/tables/02-means.csv",
        "cocapp-results/tables/03-counts.csv",
    ]
    assert not (target / "figures" / "02-notes.txt").exists()


def test_a_chapter_links_only_its_own_files(tmp_path):
    files = chapter_files(make_results(tmp_path / "results"), "02")
    assert files == {"tables": ["tables/02-means.csv"], "figures": ["figures/02-means.png", "figures/02-means.svg"]}
    markup = downloads_html(files, "../")
    assert '<a href="../results/tables/02-means.csv" download>02-means (CSV)</a>' in markup
    assert "03-counts" not in markup


def test_every_column_is_described():
    assert column_description("sem") == "standard error of the mean (SD / sqrt(n))"
    assert column_description("F_adj") == "F statistic, adjusted for the covariates"
