"""The display table: stable, formatted, escaped in HTML, and laid out for words on request."""

from __future__ import annotations

import pandas as pd

from helpers.report.tables import LONG_ROWS, SHORT_FORMATS, StyledTable, ci_strings, table


def frame():
    return pd.DataFrame({"site": ["A"], "n": [3], "p": [0.0001], "share": [0.25], "ok": [True]})


def test_table_is_stable_and_formatted():
    t1 = table(frame(), "t-test", caption="Cap", formats={"p": "p", "share": "pct"})
    t2 = table(frame(), "t-test", caption="Cap", formats={"p": "p", "share": "pct"})
    html = t1._repr_html_()
    assert isinstance(t1, StyledTable)
    assert html == t2._repr_html_() and 'id="T_t-test"' in html and "Cap" in html
    assert "&lt; 0.001" in html and "25.0 %" in html and "yes" in html
    assert repr(t1) == "site | n | p | share | ok\nA | 3 | < 0.001 | 25.0 % | yes"
    assert "0x" not in repr(t1)
    renamed = table(frame(), "t-test2", columns={"site": "Site", "p": "p value"}, formats={"p": "p"})
    assert "Site" in renamed._repr_html_() and "n</th>" not in renamed._repr_html_()
    assert repr(renamed) == "Site | p value\nA | < 0.001"


def test_default_formats_by_type_and_missing_values():
    df = pd.DataFrame({"x": [1.23456, None], "k": [1, 2], "flag": [False, True], "word": ["a", None]})
    assert repr(table(df, "u", decimals=3)) == "x | k | flag | word\n1.235 | 1 | no | a\n— | 2 | yes | —"
    assert (
        repr(table(df, "u", formats={"x": "{:+.1f}", "k": lambda v: f"<{v}>"})).splitlines()[1].startswith("+1.2 | <1>")
    )
    assert SHORT_FORMATS["pct0"](0.5) == "50 %" and SHORT_FORMATS["p"](0.2) == "0.200"


def test_every_data_string_is_escaped_in_html_only():
    df = pd.DataFrame({"<site>": ["R&D <b>"], "p": [0.0004]})
    t = table(df, "esc", caption="Sites & <i>teams</i>", formats={"p": "p", "<site>": lambda v: f"{v}!"})
    html = t._repr_html_()
    assert "R&amp;D &lt;b&gt;!" in html and "&lt;site&gt;" in html and "Sites &amp; &lt;i&gt;teams" in html
    assert "<b>" not in html and "<i>" not in html
    assert repr(t) == "<site> | p\nR&D <b>! | < 0.001"


def test_text_tables_wrap_words():
    df = pd.DataFrame({"site": ["A"], "summary": ["many words"], "n": [3]})
    whole = table(df, "w1", text=True)._repr_html_()
    assert "min-width: 9em" in whole and "white-space: normal" in whole
    some = table(df, "w2", text=True, text_columns=["summary"], min_width="12em", columns={"summary": "what", "n": "n"})
    html = some._repr_html_()
    # one rule per word column, as specific as the table's right-aligning "#T_w2 td" rule and later
    rule = html.split("#T_w2 td.col0 {", 1)[1].split("}", 1)[0]
    assert "text-align: left" in rule and "min-width: 12em" in rule and "white-space: normal" in rule
    assert html.index("#T_w2 td {") < html.index("#T_w2 td.col0 {") and "td.col1" not in html
    plain = table(df, "w3")._repr_html_()
    assert "min-width" not in plain and "white-space" not in plain
    assert repr(table(df, "w4", text=True)) == repr(table(df, "w4"))


def test_ci_strings():
    df = pd.DataFrame({"ci_low": [0.1234, -1.0], "ci_high": [0.5, 2.0], "lo": [1.0, 2.0], "hi": [3.0, 4.0]})
    assert ci_strings(df) == ["[0.12, 0.50]", "[-1.00, 2.00]"]
    assert ci_strings(df, "lo", "hi", decimals=1) == ["[1.0, 3.0]", "[2.0, 4.0]"]


def test_markers_pass_through_named_and_string_formats_unformatted():
    frame = pd.DataFrame(
        {
            "n": [12, "[suppressed]"],
            "share": ["[suppressed]", 0.25],
            "p": [0.0004, "[withheld]"],
            "mean": [1.234, "[suppressed]"],
        },
        dtype=object,
    )
    t = table(frame, "t-markers", formats={"n": "int", "share": "pct0", "p": "p", "mean": "{:.1f}"})
    assert repr(t).splitlines()[1:] == [
        "12 | [suppressed] | < 0.001 | 1.2",
        "[suppressed] | 25 % | [withheld] | [suppressed]",
    ]
    assert t._repr_html_().count("[suppressed]") == 3


# --------------------------------------------------------------------------- ours beside the article's


def test_ours_and_the_articles_values_sit_side_by_side_under_one_heading():
    frame = pd.DataFrame({"site": ["A"], "mean": [3.41], "sd": [0.5], "published_mean": [3.40]})
    shown = table(
        frame, "t-pair", columns={"site": "site", "mean": "mean: ours", "sd": "SD", "published_mean": "mean: article"}
    )
    assert repr(shown).splitlines() == ["site | mean: ours | mean: article | SD", "A | 3.41 | 3.40 | 0.50"]
    markup = shown._repr_html_()
    assert '<th class="col_heading level0 pair" colspan="2" scope="colgroup">mean</th>' in markup
    assert markup.index(">ours<") < markup.index(">article<") < markup.index("3.41") < markup.index("3.40")
    assert markup.index("3.40") < markup.index("0.50")


def test_this_data_and_the_article_get_short_headings_with_a_legend():
    frame = pd.DataFrame({"mean: this data (synthetic)": [3.41], "mean: published": [3.40]})
    markup = table(frame, "t-short", "Means")._repr_html_()
    assert (
        '<abbr title="this data (synthetic)">ours</abbr>' in markup
        and '<abbr title="published">article</abbr>' in markup
    )
    assert "Means" in markup and "(ours: this data (synthetic); article: published)</span></caption>" in markup


def test_grouped_headings_are_escaped():
    frame = pd.DataFrame({"<b>x</b>: ours": [1.0], "<b>x</b>: article": [2.0]})
    markup = table(frame, "t-esc")._repr_html_()
    assert "<b>" not in markup and "&lt;b&gt;x&lt;/b&gt;" in markup


def test_a_long_table_is_marked_for_filtering_and_sorting():
    assert 'class="cocapp-long"' in table(pd.DataFrame({"a": range(LONG_ROWS + 1)}), "t-long")._repr_html_()
    assert "cocapp-long" not in table(pd.DataFrame({"a": range(LONG_ROWS)}), "t-short")._repr_html_()
