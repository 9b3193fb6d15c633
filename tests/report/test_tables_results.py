"""The standard result tables: columns named after the data and the article, interval headers from the level."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.audit import reproduction_table
from helpers.io import SYNTHETIC_DIR
from helpers.report.tables_results import (
    correlation_table,
    country_table,
    f_with_df,
    outcome_tests_table,
    reference_table,
    reproduced_text,
    reproduction_detail_table,
    site_means_table,
    tukey_table,
)
from helpers.survey import site_summaries, site_summaries_with_published


def header(styled) -> list[str]:
    return repr(styled).splitlines()[0].split(" | ")


def test_outcome_tests_table_beside_the_article(tests_all):
    t = outcome_tests_table(tests_all, "t-x", "cap", with_group=True)
    html = t._repr_html_()
    assert "F (df): published" in header(t) and "3.45 (5, 429)" in html
    assert (
        'colspan="2" scope="colgroup">F (df)</th>' in html
        and '<th class="col_heading level1 pair" scope="col"><abbr title="published">article</abbr></th>' in html
    )
    assert header(t)[:3] == ["group", "instrument", "scale"]
    assert "service users" in repr(t) and "service_users" not in repr(t)
    # the article's F carries the article's degrees of freedom, whatever this dataset's are
    fewer_sites = tests_all.assign(df_between=3)
    assert "3.45 (5, 429)" in outcome_tests_table(fewer_sites, "t-x3", "cap")._repr_html_()
    own = outcome_tests_table(tests_all.drop(columns=["published_F"]), "t-x2", "cap", "mine", "theirs")
    assert "F (df): mine" in header(own) and not any("theirs" in h for h in header(own))


@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_interval_headers_follow_the_confidence(scores, published, confidence):
    label = f"{100 * confidence:g} % CI"
    summaries = site_summaries_with_published(site_summaries(scores, confidence=confidence), published)
    t = site_means_table(summaries, "t-y", "cap", confidence=confidence)
    assert label in header(t) and "mean: published" in header(t)
    tukey = pd.DataFrame(
        {
            "subscale": ["Total"],
            "group_a": ["A"],
            "group_b": ["B"],
            "mean_a": [1.0],
            "mean_b": [2.0],
            "diff": [-1.0],
            "ci_low": [-1.5],
            "ci_high": [-0.5],
            "p_tukey": [0.01],
            "significant": [True],
        }
    )
    assert label in header(tukey_table(tukey, "t-z", "cap", confidence=confidence))
    ref = pd.DataFrame(
        {
            "site": ["All sites"],
            "n": [10],
            "mean": [3.0],
            "sd": [1.0],
            "ref_mean": [2.5],
            "diff": [0.5],
            "ci_low": [0.1],
            "ci_high": [0.9],
            "t": [2.5],
            "df": [20.4],
            "p": [0.02],
            "hedges_g": [0.4],
            "significant": [True],
        }
    )
    shown = reference_table(ref, "t-r", "cap", confidence=confidence)
    assert label in header(shown) and "2.50 (20.4)" in repr(shown)
    corr = pd.DataFrame(
        {
            "x": ["RSA"],
            "y": ["ES"],
            "n": [100],
            "r": [0.3],
            "ci_low": [0.1],
            "ci_high": [0.5],
            "p": [0.002],
            "strength": ["medium"],
        }
    )
    shown = correlation_table(corr, "t-c", "cap", confidence=confidence)
    assert label in header(shown) and "RSA and ES" in repr(shown)


def test_country_table_names_the_countries():
    c = pd.DataFrame(
        {
            "group": ["service_users"],
            "measure": ["RSA"],
            "subscale": ["Total"],
            "country_1": ["North"],
            "country_2": ["South"],
            "n_sites_1": [3],
            "site_mean_1": [3.4],
            "n_sites_2": [2],
            "site_mean_2": [3.6],
            "diff": [0.2],
            "ci_low": [float("nan")],
            "ci_high": [float("nan")],
            "t": [float("nan")],
            "df": [3],
            "p": [float("nan")],
        }
    )
    t = country_table(c, "t-k", "cap", confidence=0.9)
    assert header(t)[3:5] == ["North: sites", "North: mean of site means"]
    assert "difference (South − North)" in header(t) and "90 % CI" in header(t)
    assert repr(t).splitlines()[1].endswith("0.20 | — | — | —")


def test_f_with_df():
    assert f_with_df(3.4512, 5, 429) == "3.45 (5, 429)" and f_with_df(None, 5, 429) == "—"


def test_reproduced_values_carry_one_more_decimal():
    assert reproduced_text(3.4567, "3.46") == "3.457"
    assert reproduced_text(0.6912, "69.1 %") == "69.12 %"
    assert reproduced_text(12.0, "12") == "12" and reproduced_text(12.4, "12") == "12.4"
    assert reproduced_text(0.5, "n/a") == "0.500" and reproduced_text(float("nan"), "1") == "—"


def test_reproduction_detail_table(published, instruments, cfg):
    rep = reproduction_table(SYNTHETIC_DIR, published, instruments, settings=cfg)
    t = reproduction_detail_table(rep, "t-rep", "cap", "this data (synthetic)", "published")
    assert header(t) == [
        "source",
        "group",
        "instrument",
        "scale",
        "site",
        "statistic",
        "published",
        "this data (synthetic)",
        "rule",
        "status",
        "reason",
    ]
    assert len(repr(t).splitlines()) == len(rep) + 1
    assert "2 dp" in repr(t) and "exact" in repr(t)  # the rule, short: the printed value stands beside it
    assert "rounds to 3.48" not in repr(t)
