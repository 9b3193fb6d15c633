"""The reproduction table: every published number beside the value a dataset gives."""

import numpy as np
import pandas as pd
import pytest

from helpers.audit import (
    INCONSISTENT,
    NOT_REPRODUCED,
    REPRODUCED,
    STATUSES,
    Tolerances,
    reproduction_counts,
    reproduction_problems,
    reproduction_summary,
    reproduction_table,
)
from helpers.io import load_config


@pytest.fixture(scope="module")
def table(synthetic, published, instruments):
    return reproduction_table(synthetic, published, instruments, settings=load_config())


def test_reproduction_table_covers_every_published_number(table, published):
    assert set(table["status"]) <= set(STATUSES)
    expected_rows = (
        2 * (6 + 1)  # Table 1 returns per site and in total
        + 5 * (6 + 1)  # Table 1 interviews per role, per site and in total
        + 2 * len(published.site_means)  # means and SEMs
        + 5 * len(published.anova)  # df between, df within, analysed N, F, p
        + 2 * len(published.reliability)  # alpha and complete cases
        + 3 * len(published.correlations)  # r, N, p
        + 5  # missing-data and normality summaries
    )
    assert len(table) == expected_rows == 481
    share = (table["status"] == REPRODUCED).mean()
    assert share >= 0.97
    inconsistent = table[table["status"] == INCONSISTENT]
    assert set(inconsistent["statistic"]) == {"SEM", "F", "p"}
    assert (table.loc[table["status"] != REPRODUCED, "reason"] != "").all()


def test_each_row_is_judged_by_its_tolerance(table):
    judged = table[table["status"] != INCONSISTENT].dropna(subset=["reproduced"])
    close = (judged["reproduced"] - judged["published"]).abs() <= judged["tolerance"] + 1e-9
    assert (close == (judged["status"] == REPRODUCED)).all()
    assert set(table.loc[table["statistic"] == "F", "tolerance"]) == {Tolerances.F}
    means = table[table["statistic"] == "mean"]
    assert np.allclose(means["tolerance"], 0.005)  # half a unit of the printed second decimal


def test_reproduction_table_has_interview_rows(table):
    rows = table[table["statistic"] == "interviews"]
    assert len(rows) == 5 * 7
    assert (rows["status"] == REPRODUCED).all()
    totals = rows[rows["site"] == "All sites"].set_index("measure")["published"]
    assert totals.sum() == 117


def test_the_threshold_changes_the_analysed_counts(synthetic, published, instruments, table):
    strict = reproduction_table(synthetic, published, instruments, settings=load_config(overrides={"max_missing": 0.3}))
    n_default = table.loc[table["statistic"] == "analysed N", "reproduced"]
    n_strict = strict.loc[strict["statistic"] == "analysed N", "reproduced"]
    assert (n_strict.to_numpy() <= n_default.to_numpy()).all() and (n_strict < n_default.to_numpy()).any()


def test_counts_problems_and_summary():
    t = pd.DataFrame(
        {
            "source": ["A", "A", "B", "B", "B"],
            "group": "g",
            "measure": "m",
            "subscale": "s",
            "site": "All sites",
            "statistic": ["x", "y", "x", "y", "z"],
            "published": [1.0, 2.0, 3.0, 4.0, 5.0],
            "published_text": ["1", "2", "3", "4", "5"],
            "reproduced": [1.0, 2.5, None, 4.0, 5.0],
            "tolerance": 0.0,
            "status": [REPRODUCED, NOT_REPRODUCED, NOT_REPRODUCED, INCONSISTENT, REPRODUCED],
            "reason": ["", "differs by +0.5", "not computable from the data", "printed value impossible", ""],
        }
    )
    overall = reproduction_counts(t)
    assert overall.iloc[0][["total", *STATUSES]].tolist() == [5, 2, 2, 1]
    assert overall.loc[0, "share_reproduced"] == pytest.approx(0.4)
    by_source = reproduction_counts(t, by="source")
    assert by_source["source"].tolist() == ["A", "B"]
    assert by_source["total"].tolist() == [2, 3]
    assert by_source["share_reproduced"].tolist() == pytest.approx([0.5, 1 / 3])
    problems = reproduction_problems(t)
    assert problems["status"].tolist() == [INCONSISTENT, NOT_REPRODUCED, NOT_REPRODUCED]
    assert problems["statistic"].tolist() == ["y", "y", "x"]
    text = reproduction_summary(t)
    assert text.startswith("5 published numbers; 2 reproduced (40.0 %), 2 not reproduced, 1 published values")
    assert "B | g m s All sites | x: published 3, here n/a. not computable from the data" in text
    assert "A | g m s All sites | y: published 2, here 2.5. differs by +0.5" in text
