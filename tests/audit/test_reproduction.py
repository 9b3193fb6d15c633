"""The reproduction table: every published number beside the value a dataset gives."""

import pandas as pd
import pytest

from helpers.audit import (
    EXCLUDED,
    EXCLUSION_RULES,
    NOT_REPRODUCED,
    REPRODUCED,
    STATUSES,
    reproduced_at_printed_precision,
    reproduction_counts,
    reproduction_exclusions,
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
    counts = table["status"].value_counts()
    # the synthetic data reproduce every published number the audit does not exclude
    assert counts[EXCLUDED] == 4 and counts[REPRODUCED] == 477 and NOT_REPRODUCED not in counts
    assert (table.loc[table["status"] != REPRODUCED, "reason"] != "").all()


def test_the_audit_excludes_by_named_rule(table):
    excluded = reproduction_exclusions(table)
    assert set(excluded["exclusion"]) <= set(EXCLUSION_RULES)
    named = excluded.groupby("exclusion")["statistic"].apply(sorted).to_dict()
    expected = {"impossible SEM": ["SEM", "SEM"], "F inconsistent with its row": ["F"], "p of an excluded F": ["p"]}
    assert named == expected
    assert set(excluded["published_text"]) == {"0.97", "1.00", "1.72", "0.129"}


def test_each_row_is_judged_by_rounding_to_its_printed_decimals(table):
    judged = table[table["status"] != EXCLUDED].dropna(subset=["reproduced"])
    values = zip(judged["reproduced"], judged["published"], judged["decimals"])
    rounds = [round(v, d) == round(p, d) for v, p, d in values]
    assert rounds == (judged["status"] == REPRODUCED).tolist()
    decimals = table.groupby("statistic")["decimals"].agg(set).to_dict()
    assert decimals["mean"] == decimals["SEM"] == {2} and decimals["F"] == {2, 3}
    assert decimals["p"] == {3} and decimals["Cronbach's alpha"] == {2} and decimals["r"] == {3}
    assert decimals["complete cases"] == decimals["analysed N"] == {0}
    p_zero = table[(table["statistic"] == "p") & (table["published"] == 0)]
    assert len(p_zero) == 2 and p_zero["rule"].eq("p < 0.0005 (printed 0.000)").all()
    assert table.loc[table["statistic"] == "mean", "rule"].str.match(r"rounds to \d+\.\d\d at 2 decimals").all()


def test_the_rule_compares_at_the_printed_precision():
    # service users' RSA Life Goals: p .6622 does not print as .659; .6594 does
    assert not reproduced_at_printed_precision(0.6622, 0.659, 3)
    assert reproduced_at_printed_precision(0.6594, 0.659, 3)
    # an alpha of .9624 prints as .96, not .97
    assert not reproduced_at_printed_precision(0.9624, 0.97, 2)
    assert reproduced_at_printed_precision(0.0004999, 0.0, 3) and not reproduced_at_printed_precision(0.0005001, 0.0, 3)
    assert not reproduced_at_printed_precision(float("nan"), 1.0, 2)


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
            "status": [REPRODUCED, NOT_REPRODUCED, NOT_REPRODUCED, EXCLUDED, REPRODUCED],
            "reason": ["", "differs by +0.5", "not computable from the data", "printed value impossible", ""],
        }
    )
    overall = reproduction_counts(t)
    assert overall.iloc[0][["total", *STATUSES, "judged"]].tolist() == [5, 2, 2, 1, 4]
    assert overall.loc[0, "share_reproduced"] == pytest.approx(0.5)
    by_source = reproduction_counts(t, by="source")
    assert by_source["source"].tolist() == ["A", "B"]
    assert by_source["total"].tolist() == [2, 3]
    assert by_source["share_reproduced"].tolist() == pytest.approx([0.5, 0.5])
    problems = reproduction_problems(t)
    assert problems["status"].tolist() == [EXCLUDED, NOT_REPRODUCED, NOT_REPRODUCED]
    assert problems["statistic"].tolist() == ["y", "y", "x"]
    text = reproduction_summary(t)
    assert text.splitlines()[0].startswith("Rule: A published number is reproduced when")
    assert text.splitlines()[1] == (
        "5 published numbers; 1 excluded by the audit; of the 4 judged, 2 reproduced (50.0 %) and 2 not reproduced."
    )
    assert "B | g m s All sites | x: published 3, here n/a. not computable from the data" in text
    assert "A | g m s All sites | y: published 2, here 2.5. differs by +0.5" in text
