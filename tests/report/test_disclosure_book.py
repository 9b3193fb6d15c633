"""The whole book on data that are not proven synthetic, with identifiers planted in a framework summary.

Neither the name nor the NHS number may appear in any page, notebook or result file; the
chapter lists both hits by file, column, row and kind; small counts show as suppressed.
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.build import run_book
from helpers.io import SYNTHETIC_DIR, load_config, load_dataset, load_instruments, load_published
from helpers.report.disclosure import SUPPRESSED, WITHHELD
from helpers.survey import outcome_scores

pytestmark = pytest.mark.pipeline

NAME = "Gwendolyn Pargeter"
NHS_NUMBER = "943 476 5919"
SECRETS = ("Gwendolyn", "Pargeter", NHS_NUMBER, NHS_NUMBER.replace(" ", ""), "943-476-5919")


@pytest.fixture(scope="module")
def leaky_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaky") / "data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    (folder / "manifest.json").unlink()  # the user's own data: nothing proves them synthetic
    framework = pd.read_csv(folder / "framework.csv", dtype=str, keep_default_na=False)
    framework.loc[0, "summary"] = f"Spoke with {NAME}, NHS {NHS_NUMBER}, about the plan."
    framework.to_csv(folder / "framework.csv", index=False, lineterminator="\n")
    (folder / "names.txt").write_text("Pargeter\n", encoding="utf-8")
    params = {"publish_quotations": True, "identifier_names": "names.txt"}
    out = tmp_path_factory.mktemp("leaky-run") / "book"
    return run_book(folder, out, params, progress=False).out_dir


def page_text(path) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_no_identifier_is_published_anywhere(leaky_run):
    kinds = {".html", ".csv", ".ipynb", ".txt", ".json"}
    files = [p for p in leaky_run.rglob("*") if p.is_file() and p.suffix in kinds]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".csv" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} published in {path.relative_to(leaky_run)}"


def test_chapter_6_lists_every_hit_and_withholds_the_summaries(leaky_run):
    page = page_text(leaky_run / "html" / "notebooks" / "06-views-and-experiences.html")
    assert "the scan found 2 possible identifiers" in page
    for shown in ("framework.csv", "summary", "NHS number", "9** *** ****", "P*******"):
        assert shown in page
    assert WITHHELD in page


def test_small_counts_are_suppressed_in_html_and_csv(leaky_run):
    tables = leaky_run / "tables"
    interviews = pd.read_csv(tables / "06-interviews-by-site-and-role.csv", dtype=str)
    assert (interviews["n"] == SUPPRESSED).any()
    assert not interviews["n"].isin([str(k) for k in range(1, 8)]).any()
    codes = pd.read_csv(tables / "06-code-frequencies-by-site.csv", dtype=str)
    assert not codes["n_coded"].isin([str(k) for k in range(1, 8)]).any()
    assert (codes.loc[codes["n_coded"] == SUPPRESSED, "share"] == SUPPRESSED).all()
    assert SUPPRESSED in page_text(leaky_run / "html" / "notebooks" / "06-views-and-experiences.html")
    sites = pd.read_csv(tables / "01-site-counts.csv", dtype=str)
    assert sites["service_users"].map(lambda n: int(n) % 5 == 0).all()  # rounded to the nearest 5
    chapter_1 = page_text(leaky_run / "html" / "notebooks" / "01-data-and-quality.html")
    assert "These data are not proven synthetic" in chapter_1


SMALL = [str(k) for k in range(1, 8)]


def test_chapter_6_tables_4_to_7_suppress_small_counts_and_their_shares(leaky_run):
    tables = leaky_run / "tables"
    divergence = pd.read_csv(tables / "06-staff-user-divergence.csv", dtype=str)
    for n, share in (("staff_n", "staff_share"), ("users_n", "users_share")):
        assert not divergence[n].isin(SMALL).any()
        assert (divergence.loc[divergence[n] == SUPPRESSED, [share, "gap"]] == SUPPRESSED).all().all()
    assert (divergence["users_n"] == SUPPRESSED).any()
    triads = pd.read_csv(tables / "06-triad-agreement.csv", dtype=str)
    for column in ("n_triads", "agree", "disagree", "one source", "no answer", "su_no_others_yes"):
        assert not triads[column].isin(SMALL).any()
    review = pd.read_csv(tables / "06-care-plan-review.csv", dtype=str)
    assert (review.loc[review["n_recorded"] == SUPPRESSED, "share"] == SUPPRESSED).all()
    assert (review["n_recorded"] == SUPPRESSED).any() and not review["n_yes"].isin(SMALL).any()
    patterns = pd.read_csv(tables / "06-site-patterns-service-users.csv", dtype=str)
    assert not patterns["n_coded"].isin(SMALL).any()
    assert (patterns[["min_share", "max_share"]] == SUPPRESSED).all().all()  # fewer than 8 service users per site


def test_chapter_6_page_shows_no_synthetic_warning_and_no_small_count(leaky_run):
    page = page_text(leaky_run / "html" / "notebooks" / "06-views-and-experiences.html")
    assert "The interview material is written for this project" not in page
    assert "left blank in the heat maps" in page
    coverage = re.search(r"\{'service_users': ([^,]+), 'plans': ([^,]+), 'with_plan': ([^}]+)\}", page)
    assert coverage and all(int(v) % 5 == 0 for v in coverage.groups())
    assert "Table 6.6" in page and "/4 " not in page  # no site's k/4 of reviewed plans


SMALL_SITE = "Artois"


@pytest.fixture(scope="module")
def small_site_run(tmp_path_factory):
    """The synthetic data, not proven synthetic, with one site cut to 5 service users."""
    folder = tmp_path_factory.mktemp("small-site") / "small-site-data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    (folder / "manifest.json").unlink()
    users = pd.read_csv(folder / "service_users.csv", dtype=str, keep_default_na=False)
    complete = users.ne("").all(axis=1)  # five with every answer, so each analysis keeps n = 5
    first = users.index.isin(users[complete & (users["site"] == SMALL_SITE)].index[:5])
    keep = (users["site"] != SMALL_SITE) | first
    users[keep].to_csv(folder / "service_users.csv", index=False, lineterminator="\n")
    out = folder.parent / "book"
    return run_book(folder, out, {}, progress=False).out_dir


def test_a_small_sites_n_and_means_are_suppressed_in_chapters_2_to_5_and_7(small_site_run):
    files = sorted((small_site_run / "tables").glob("0[2-57]-*.csv"))
    checked = 0
    for path in files:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "site" in frame and "group" in frame:
            frame = frame[frame["group"] == "service_users"]
        if "site" in frame:
            rows = frame[frame["site"] == SMALL_SITE]
            names = ("n", "mean", "sd", "ci_low", "ci_high", "z", "r", "n_1", "mean_1")
            for column in [c for c in names if c in frame]:
                if len(rows):
                    assert set(rows[column]) <= {SUPPRESSED, ""}, f"{path.name}:{column}"
                    checked += 1
        if {"group_a", "group_b", "diff"} <= set(frame.columns):
            rows = frame[(frame["group_a"] == SMALL_SITE) | (frame["group_b"] == SMALL_SITE)]
            assert set(rows["diff"]) <= {SUPPRESSED}, path.name
        if path.name == "07-joint-display.csv":
            row = frame[frame["site"] == SMALL_SITE]
            assert set(row["STAR-P_mean"]) == {SUPPRESSED}
    assert checked >= 5


def table_rows(page) -> list[list[str]]:
    """The text of every data cell, row by row, of every table on a built page (row labels such as a
    DataFrame's index are header cells and left out)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in soup.find_all("tr")]


def test_a_small_sites_statistics_are_suppressed_in_the_html_of_chapters_2_to_5_and_7(small_site_run):
    folder = small_site_run.parent / "small-site-data"
    instruments = load_instruments()
    data = load_dataset(folder, instruments)
    scores = outcome_scores(data, instruments, max_missing=load_config().max_missing)
    site = scores[scores["site"] == SMALL_SITE]
    means = {
        g: {f"{m:.2f}" for m in s.groupby(["measure", "subscale"])["score"].mean()} for g, s in site.groupby("group")
    }
    secrets = means["service_users"] - means["care_coordinators"]  # the staff's means at the site may be shown
    assert len(secrets) >= 10
    # the article's own values for the site are public and shown beside ours; one may print as one of the secrets
    printed = load_published().site_means.query("site == @SMALL_SITE")
    public = {
        sub: set(f.loc[:, "mean_text"]) | set(f.loc[:, "sem_as_printed_text"]) for sub, f in printed.groupby("subscale")
    }
    pages = small_site_run / "html" / "notebooks"
    rows_seen = 0
    for name in ("02-recovery", "03-therapeutic-relationship", "04-empowerment", "05-cross-site", "07-synthesis"):
        for cells in table_rows(pages / f"{name}.html"):
            if SMALL_SITE not in cells:
                continue
            assert not set(cells) & set(SMALL), f"{name}: a count below the threshold shown in {cells}"
            if SUPPRESSED in cells:  # a row of the small group (the site's care coordinators are not small)
                rows_seen += 1
                shown = set(cells) - set().union(*(public[sub] for sub in public if sub in cells))
                assert not secrets & shown, f"{name}: {SMALL_SITE}'s own mean shown in {cells}"
    assert rows_seen >= 20
