"""The article's published values (``data/reference``)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.io import (
    OUTCOME,
    TABLE1_COLUMNS,
    allocate,
    analysed_site_ns,
    article_text_values,
    load_published,
    load_text_values,
    printed_decimals,
    rounding_interval,
)


@pytest.fixture(scope="module")
def published():
    return load_published()


def test_tables_and_group_sizes(published):
    assert published.group_sizes == {"service_users": 448, "care_coordinators": 201}
    assert len(published.outcomes) == 22 and list(published.outcomes.columns) == OUTCOME
    assert published.site_returns("care_coordinators").sum() == 201
    # values are kept as printed beside their numbers
    assert {"F", "F_text", "p_as_printed", "p_as_printed_text"} <= set(published.anova.columns)
    assert published.anova["F_text"].map(lambda t: float(t)).equals(published.anova["F"])


def test_table1_interview_columns(published):
    assert set(TABLE1_COLUMNS) == {"SM", "SP", "CC", "SU", "CA"}
    counts = {role: int(published.sites[column].sum()) for role, column in TABLE1_COLUMNS.items()}
    assert counts == {"SM": 12, "SP": 27, "CC": 28, "SU": 33, "CA": 17}


def test_text_values():
    values = load_text_values()
    assert (values["n_outcomes"], values["missing_mean"], values["beyond_1"], values["beyond_2"]) == (22, 0.199, 3, 0)
    assert values["printed"]["missing_min"] == "6.5 %"
    assert "missing_text" not in values


def test_article_text_values_adds_the_missing_data_as_printed():
    assert article_text_values() == {
        "n_outcomes": 22,
        "missing_mean": 0.199,
        "missing_min": 0.065,
        "missing_max": 0.69,
        "beyond_1": 3,
        "beyond_2": 0,
        "printed": {
            "n_outcomes": "22",
            "missing_mean": "19.9 %",
            "missing_min": "6.5 %",
            "missing_max": "69 %",
            "beyond_1": "3",
            "beyond_2": "0",
        },
        "missing_text": {"mean": "19.9 %", "min": "6.5 %", "max": "69 %"},
    }
    assert article_text_values() is not article_text_values()  # a fresh dict each call


@pytest.mark.parametrize(
    "text, minimum, expected", [("0.997", 0, 3), ("2.8", 2, 2), ("12", 0, 0), ("0.10", 0, 2), ("1e-3", 0, 3)]
)
def test_printed_decimals(text, minimum, expected):
    assert printed_decimals(text, minimum) == expected


def test_rounding_interval():
    assert rounding_interval(3.45, 2) == (3.445, 3.455)
    assert rounding_interval(12.0, 0) == (11.5, 12.5)


def test_allocate_is_largest_remainder():
    assert allocate(10, pd.Series({"a": 5, "b": 3, "c": 3})).tolist() == [4, 3, 3]
    assert allocate(2, pd.Series({"a": 1, "b": 1, "c": 1})).tolist() == [1, 1, 0]  # ties: first wins
    assert allocate(0, pd.Series({"a": 2, "b": 1})).tolist() == [0, 0]
    with pytest.raises(ValueError, match="cannot allocate 5"):
        allocate(5, pd.Series({"a": 2, "b": 1}))


def test_analysed_site_ns_add_up_to_the_analysed_totals(published):
    plan = analysed_site_ns(published)
    assert list(plan.columns) == [*OUTCOME, "site", "n"] and len(plan) == 22 * 6
    totals = plan.groupby(OUTCOME, sort=False)["n"].sum().to_numpy()
    expected = (published.anova["df_within"] + published.anova["df_between"] + 1).astype(int).to_numpy()
    assert (totals == expected).all()
    first = plan.head(6)
    assert first["n"].tolist() == [63, 67, 64, 54, 82, 70]
    assert plan["n"].sum() == 7997
