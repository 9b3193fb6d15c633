"""Data-derived strings are published safely: escaped in HTML, literal in figures, inert in spreadsheets.

A site, a country or a summary may hold anything a user typed. In HTML it is escaped (no live
``<img>`` or ``<script>``); in a figure it is drawn as written (matplotlib would read
``$...$`` as mathematics); in a CSV a text cell that a spreadsheet would run as a formula gets
a single quote in front (OWASP), while numbers stay numbers. The last test runs the whole book
on a copy of the synthetic data whose sites carry hostile names.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.text import Text

from helpers.io import SYNTHETIC_DIR, write_dataset
from helpers.report import (
    figures_audit,
    figures_cross_site,
    figures_quality,
    figures_sites,
    interviews_figures,
    synthesis_figures,
)
from helpers.report import glue as glue_module
from helpers.report.glue import FORMULA_STARTS, formula_text, glue_text, neutralise_formulas, save_table, save_tables
from helpers.report.html import admonition, data_banner, escape
from helpers.report.style import figure_text, figure_texts
from helpers.report.tables import table
from helpers.report.tables_results import country_table, site_means_table, tukey_table

IMG = "Artois<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
HOSTILE = [IMG, SCRIPT, '=HYPERLINK("x")', "@SUM(1)", "+1", "-cmd", "$x$"]
#: Names matplotlib would draw as mathematics, or fail on (``\foo`` is no mathtext command).
MATH = ["$x$", "a_b", r"$\foo$", "cost $5"]
#: Matplotlib's own tick labels (powers of ten on a log axis) are mathematics by design.
TICK_MATH = r"$\mathdefault{"
LIVE_MARKUP = re.compile(r"<img src=x|<script>alert", re.IGNORECASE)


def live(markup: str) -> list[str]:
    """Live markup that came from the data."""
    return LIVE_MARKUP.findall(markup)


# --------------------------------------------------------------------------- HTML: tables


def test_table_escapes_cells_headers_and_caption():
    df = pd.DataFrame({"site": HOSTILE, IMG: range(len(HOSTILE)), "p": np.linspace(0.001, 0.5, len(HOSTILE))})
    t = table(df, "hostile", caption=f"Sites incl. {SCRIPT}", formats={"p": "p"})
    markup = t._repr_html_()
    assert not live(markup)
    assert all(name in html.unescape(markup) for name in HOSTILE)
    # The text form is what a reader sees: unescaped.
    assert IMG in repr(t) and SCRIPT in repr(t)


@pytest.mark.parametrize(
    "options",
    [
        {"text": True},
        {"text": True, "text_columns": ["summary"]},
        {"formats": {"site": "text", "summary": lambda v: f"{v}!"}},
        {"columns": {"site": SCRIPT, "summary": "summary"}, "text": True},
    ],
)
def test_tables_of_words_and_formatted_columns_are_escaped(options):
    df = pd.DataFrame({"site": [IMG, SCRIPT], "summary": [f"said {SCRIPT}", f"<b>{IMG}</b>"], "n": [1, 2]})
    markup = table(df, "words", caption=IMG, **options)._repr_html_()
    assert not live(markup) and "<b>" not in markup
    assert escape(IMG) in markup


def test_standard_result_tables_escape_sites_and_countries():
    sites = pd.DataFrame(
        {
            "subscale": "Total",
            "site": [IMG, SCRIPT],
            "n": [10, 12],
            "mean": [3.1, 3.4],
            "sd": [0.5, 0.6],
            "sem": [0.16, 0.17],
            "ci_low": [2.8, 3.0],
            "ci_high": [3.4, 3.8],
            "published_mean": [3.0, 3.5],
            "published_sem": [0.1, 0.1],
        }
    )
    assert not live(site_means_table(sites, "sm", IMG, confidence=0.95)._repr_html_())
    countries = pd.DataFrame(
        {
            "group": ["service_users"],
            "measure": ["RSA"],
            "subscale": ["Total"],
            "country_1": [IMG],
            "country_2": [SCRIPT],
            "n_sites_1": [3],
            "site_mean_1": [3.2],
            "n_sites_2": [2],
            "site_mean_2": [3.4],
            "diff": [0.2],
            "ci_low": [-0.1],
            "ci_high": [0.5],
            "t": [1.5],
            "df": [3],
            "p": [0.2],
        }
    )
    markup = country_table(countries, "cc", "Countries", confidence=0.95)._repr_html_()
    assert not live(markup) and f'scope="colgroup">{escape(IMG)}</th>' in markup and ">sites</th>" in markup
    tukey = pd.DataFrame(
        {
            "subscale": ["Total"],
            "group_a": [IMG],
            "group_b": [SCRIPT],
            "mean_a": [3.0],
            "mean_b": [3.5],
            "diff": [-0.5],
            "ci_low": [-0.9],
            "ci_high": [-0.1],
            "p_tukey": [0.01],
            "significant": [True],
        }
    )
    assert not live(tukey_table(tukey, "tk", "Pairs", confidence=0.95)._repr_html_())


# --------------------------------------------------------------------------- HTML: notices and glued text


def test_notices_escape_titles_and_folders():
    note = admonition("note", SCRIPT, f"About <code>{escape(IMG)}</code>.")
    assert not live(note._repr_html_()) and repr(note) == f"About {IMG}."
    banner = data_banner(SimpleNamespace(synthetic=False, folder=f"/data/{IMG}"))
    assert not live(banner._repr_html_()) and escape(IMG) in banner._repr_html_()
    assert repr(banner) == f"Results computed from the dataset in the folder {IMG}."


def test_glued_text_is_plain_text_only(monkeypatch):
    """``glue:text`` pastes the text/plain form as a text node: a glued string must carry no HTML form."""
    glued = {}
    monkeypatch.setattr(glue_module, "glue", lambda name, value, display: glued.update({name: value}))
    assert glue_text("site", SCRIPT) == SCRIPT
    data, _ = DisplayFormatter().format(glued["site"])
    assert set(data) == {"text/plain"}


# --------------------------------------------------------------------------- figures: literal text


def test_figure_text_makes_mathtext_literal():
    assert figure_text("Artois") == "Artois" and figure_text(12) == "12"
    assert figure_texts(["$x$", "a_b"]) == [r"\$x\$", "a_b"]
    for name in MATH:
        shown, is_math = Text(text=figure_text(name))._preprocess_math(figure_text(name))
        assert (shown, is_math) == (name, False)
    # Without escaping, matplotlib reads the name as mathematics.
    assert Text(text="$x$")._preprocess_math("$x$")[1] is True


def drawn(fig) -> list[str]:
    """Every text the figure shows, as shown; fails if any is read as mathematics or cannot be drawn."""
    fig.savefig(io.BytesIO(), format="png")
    shown = []
    for artist in fig.findobj(Text):
        if artist.get_text() and artist.get_visible() and not artist.get_text().startswith(TICK_MATH):
            text, is_math = artist._preprocess_math(artist.get_text())
            assert not is_math, f"drawn as mathematics: {artist.get_text()!r}"
            shown.append(text)
    plt.close(fig)
    return shown


def assert_shows(fig, names) -> None:
    shown = [" ".join(text.split()) for text in drawn(fig)]  # long labels are wrapped onto several lines
    for name in names:
        assert any(name in text for text in shown), f"{name!r} not drawn literally in {shown}"


@pytest.fixture
def math_summaries() -> pd.DataFrame:
    """Site summaries of two scales at four sites named like mathematics."""
    rows = []
    for scale in ("Total", "$s$"):
        for k, site in enumerate(MATH):
            rows.append((scale, site, 30, 3.0 + 0.1 * k, 2.8 + 0.1 * k, 3.2 + 0.1 * k))
    frame = pd.DataFrame(rows, columns=["subscale", "site", "n", "mean", "ci_low", "ci_high"])
    return frame.assign(group="service_users", measure="RSA")


def test_site_figures_draw_names_literally(math_summaries):
    total = math_summaries[math_summaries["subscale"] == "Total"]
    fig = figures_sites.site_means_plot(total, "Means at $x$", "$y$", reference="a_b", flags={"$x$": "$*$"}, note="$n$")
    assert_shows(fig, [*MATH, "Means at $x$", "$y$", "$*$", "$n$"])
    assert_shows(figures_sites.subscale_means_plot(math_summaries, "$t$", "Mean"), [*MATH, "$s$", "$t$"])
    raters = math_summaries.assign(
        mean_1=math_summaries["mean"],
        ci_low_1=math_summaries["ci_low"],
        ci_high_1=math_summaries["ci_high"],
        mean_2=math_summaries["mean"] + 0.2,
        ci_low_2=math_summaries["ci_low"] + 0.2,
        ci_high_2=math_summaries["ci_high"] + 0.2,
    )
    fig = figures_sites.rater_plot(raters, "$users$", "$staff$", "$r$", confidence=0.95)
    assert_shows(fig, [*MATH, "$users$", "$staff$", "$r$", "$s$"])


def test_cross_site_figures_draw_names_literally(math_summaries):
    reference = pd.DataFrame({"site": ["All sites", *MATH], "n": 30, "diff": 0.1, "ci_low": -0.2, "ci_high": 0.4})
    assert_shows(figures_cross_site.reference_plot(reference, "$STAR$", 0.95), [*MATH, "$STAR$"])
    assert_shows(figures_cross_site.reference_plot(reference.iloc[0:0], "$ES$", 0.95), ["$ES$"])
    countries = dict(zip(MATH, ["$E$", "$E$", "W_x", "W_x"]))
    fig = figures_cross_site.country_site_plot(math_summaries, countries, confidence=0.95)
    assert_shows(fig, [*MATH, "$E$", "W_x"])
    z = math_summaries.assign(z=np.linspace(-1, 1, len(math_summaries)))
    fig = figures_cross_site.standardised_heatmap(z, countries=countries)
    assert_shows(fig, [*MATH, "$E$", "$s$"])
    by_site = pd.DataFrame({"site": MATH, "x": "$a$", "y": "b_c", "r": 0.3, "ci_low": 0.1, "ci_high": 0.5})
    overall = by_site.iloc[[0]].drop(columns="site")
    fig = figures_cross_site.correlation_plot(
        by_site, overall, confidence=0.95, sizes={"small": 0.1, "medium": 0.3, "large": 0.5}
    )
    assert_shows(fig, [*MATH, "$a$ and b_c"])


def test_quality_and_audit_figures_draw_labels_literally():
    outcomes = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "$M$",
            "subscale": ["Total", "$s$"],
            "share_missing": [0.1, 0.2],
            "published_share_missing": [0.1, 0.3],
            "alpha": [0.8, 0.7],
            "ci_low": [0.7, 0.6],
            "ci_high": [0.9, 0.8],
            "published_alpha": [0.8, 0.7],
        }
    )
    assert_shows(figures_quality.missing_plot(outcomes, "$pub$"), ["$M$ total", "$M$ $s$", "$pub$"])
    assert_shows(figures_quality.alpha_plot(outcomes, 0.7, "$pub$", confidence=0.95), ["$M$ $s$", "$pub$"])
    sens = pd.concat([outcomes.assign(threshold=t, p=0.01 + t) for t in (0.0, 0.5)])
    assert_shows(figures_quality.sensitivity_plot(sens, 0.05, 0.5), ["$M$", "$s$"])
    counts = pd.DataFrame({"source": ["$Table 1$", "a_b"], "reproduced": [3, 4]})
    assert_shows(figures_audit.reproduction_status_plot(counts, ["reproduced"]), ["$Table 1$", "a_b"])
    rep = pd.DataFrame(
        {"statistic": ["$F$", "$F$", "a_b"], "published": 1.0, "reproduced": [1.0, 1.1, 0.9], "tolerance": 0.05}
    ).assign(status=["reproduced", "not reproduced", "reproduced"])
    assert_shows(figures_audit.reproduction_deviation_plot(rep), ["$F$", "a_b"])


def test_interview_and_synthesis_figures_draw_names_literally():
    div = pd.DataFrame(
        {"comparison": "c", "question": "$q$", "site": MATH, "staff_share": 0.5, "users_share": [0.1, 0.2, 0.3, 0.4]}
    )
    assert_shows(interviews_figures.divergence_plot(div, "$d$"), [*MATH, "$q$", "$d$"])
    review = pd.DataFrame({"label": ["$field$"] * 4, "site": MATH, "share": [0.1, 0.5, 0.7, 1.0]})
    assert_shows(interviews_figures.care_plan_heatmap(review, "$plans$"), [*MATH, "$field$", "$plans$"])
    assert_shows(interviews_figures.placeholder_figure("No data at $x$."), ["No data at $x$."])
    joint = pd.DataFrame(
        {
            "site": MATH,
            "country": ["$E$", "$E$", "W_x", "W_x"],
            "collaboration": [-0.5, 0.0, 0.3, 0.6],
            **{
                f"{m}_{k}": v
                for m in ("STAR-P", "RSA", "ES")
                for k, v in (("mean", 3.0), ("ci_low", 2.8), ("ci_high", 3.2))
            },
        }
    )
    assert_shows(synthesis_figures.hypothesis_plot(joint, confidence=0.95), [*MATH, "$E$", "W_x"])


# --------------------------------------------------------------------------- CSV: formulas neutralised


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "@SUM(1)", "+1", "-cmd", "\tx", "\rx", "=", "-", "-1+2", "+0.5"])
def test_formula_text_is_recognised(text):
    assert text.startswith(FORMULA_STARTS) and formula_text(text)


@pytest.mark.parametrize("value", ["Artois", "", " =x", "a-b", "-3", "-0.25", "-1e-05", "-.5", "-2E+3", -2.5, -3, None])
def test_numbers_and_plain_text_are_not_formulas(value):
    assert not formula_text(value)


def test_neutralise_formulas_quotes_text_cells_only():
    frame = pd.DataFrame(
        {
            "site": HOSTILE,
            "diff": np.linspace(-1, 1, len(HOSTILE)),
            "n": range(-3, len(HOSTILE) - 3),
            "ok": [True, False] * 3 + [True],
            "mixed": [-1.5, "-cmd", None, "x", "-2", "@a", 3],
            "kind": pd.Categorical(["=a", "b", "=a", "b", "b", "b", "b"]),
        }
    )
    before = frame.copy()
    out = neutralise_formulas(frame)
    assert out["site"].tolist() == [IMG, SCRIPT, '\'=HYPERLINK("x")', "'@SUM(1)", "'+1", "'-cmd", "$x$"]
    for column in ("diff", "n", "ok"):  # numeric columns are never touched
        pd.testing.assert_series_equal(out[column], frame[column])
    assert out["mixed"].tolist()[:2] == [-1.5, "'-cmd"] and out["mixed"].tolist()[3:] == ["x", "-2", "'@a", 3]
    assert out["mixed"].isna().tolist()[2] and isinstance(out["mixed"][0], float)
    assert out["kind"].tolist() == ["'=a", "b", "'=a", "b", "b", "b", "b"]
    pd.testing.assert_frame_equal(frame, before)  # the frame given is left unchanged


def test_neutralise_formulas_quotes_headers_and_leaves_safe_frames_alone():
    out = neutralise_formulas(pd.DataFrame({"=x": ["a"], "site": ["b"]}))
    assert list(out.columns) == ["'=x", "site"]
    safe = pd.DataFrame({"site": ["Artois", "a-b"], "diff": [-1.0, 2.0], "text": ["-0.5", "x"]})
    assert neutralise_formulas(safe) is safe


def test_saved_tables_are_inert_in_a_spreadsheet(tmp_path):
    frame = pd.DataFrame({"site": ["=1+1", "\tx", "Artois"], "diff": [-0.5, 0.25, -2.0]})
    path = save_table(frame, "t", tmp_path)
    assert path.read_text(encoding="utf-8") == "site,diff\n'=1+1,-0.5\n'\tx,0.25\nArtois,-2\n"
    save_tables({"u": frame}, tmp_path)
    assert (tmp_path / "tables" / "u.csv").read_bytes() == path.read_bytes()
    # A table with nothing to neutralise is written exactly as pandas writes it.
    plain = pd.DataFrame({"site": ["Artois", "Burgundy"], "diff": [-0.5, 1 / 3]})
    expected = plain.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    assert save_table(plain, "p", tmp_path).read_text(encoding="utf-8") == expected


# --------------------------------------------------------------------------- the whole book on hostile names

#: New name of every synthetic site; half of Provence's participants go to a seventh site, ``$x$``.
HOSTILE_SITES = dict(zip(("Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"), HOSTILE[:6]))
SEVENTH = HOSTILE[6]
#: The interviews kept, re-lettered: a label starts with the first letter or digit of its site's name.
INTERVIEW_INITIALS = {"A": "A", "B": "S", "C": "H", "P": "C"}


def _relabel(labels: pd.Series) -> pd.Series:
    return labels.str.replace(
        r"(^|; )(SYN-)?([A-Z])-",
        lambda m: m.group(1) + (m.group(2) or "") + INTERVIEW_INITIALS.get(m.group(3), m.group(3)) + "-",
        regex=True,
    )


def make_hostile_dataset(folder: Path) -> Path:
    """The synthetic data with hostile site names, a seventh site and markup in an interview summary.

    The questionnaires keep every participant; the interviews keep the four sites whose new
    names start with distinct letters. No manifest: the data are not marked synthetic.
    """

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(SYNTHETIC_DIR / f"{name}.csv", dtype=str, keep_default_na=False)

    sites = read("sites")
    seventh = sites[sites["site"] == "Provence"].assign(site=SEVENTH)
    sites = pd.concat([sites.assign(site=sites["site"].map(HOSTILE_SITES)), seventh], ignore_index=True)
    groups = {}
    for name in ("service_users", "care_coordinators"):
        table = read(name)
        renamed = table["site"].map(HOSTILE_SITES)
        renamed[(table["site"] == "Provence") & (table.index % 2 == 1)] = SEVENTH
        groups[name] = table.assign(site=renamed)
    write_dataset(folder, sites, groups["service_users"], groups["care_coordinators"])
    for name in ("interviews", "care_plans", "framework"):
        table = read(name)
        site_letter = table["participant_id"].str.removeprefix("SYN-").str[0]
        table = table[site_letter.isin(list(INTERVIEW_INITIALS))].reset_index(drop=True)
        for column in ("participant_id", "triad_id"):
            if column in table:
                table[column] = _relabel(table[column])
        if "site" in table:
            table["site"] = table["site"].map(HOSTILE_SITES)
        if name == "framework":
            table.loc[0, "summary"] = f"{SCRIPT} and {IMG}"
        table.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return folder


def number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.pipeline
def test_book_on_hostile_site_names_publishes_no_live_markup_or_formula(tmp_path):
    data = make_hostile_dataset(tmp_path / "data")
    out = tmp_path / "book"
    cocapp = Path(sys.executable).parent / "cocapp"
    run = subprocess.run(
        [str(cocapp), "run", "--data", str(data), "--out", str(out)], capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stdout + run.stderr
    pages = sorted((out / "html").rglob("*.html"))
    assert pages
    for page in pages:
        assert not live(page.read_text(encoding="utf-8")), f"live markup from the data in {page.name}"
    chapters = "".join(p.read_text(encoding="utf-8") for p in (out / "html" / "notebooks").glob("*.html"))
    for name in HOSTILE:
        assert name in html.unescape(chapters), f"{name!r} is not shown in any chapter"
    # The executed notebooks too: no HTML output holds live markup.
    for notebook in sorted((out / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                markup = output.get("data", {}).get("text/html", "")
                assert not live("".join(markup)), f"live markup in an output of {notebook.name}"
    quoted = set()
    for path in sorted((out / "tables").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for k, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    assert not (cell.startswith(FORMULA_STARTS) and not number(cell)), f"{path.name} row {k}: {cell!r}"
                    quoted.update(cell for cell in row if cell.startswith("'"))
    assert {'\'=HYPERLINK("x")', "'@SUM(1)", "'+1", "'-cmd"} <= quoted
