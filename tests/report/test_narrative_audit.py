"""Sentences about the reproduction and the audit of the article's values."""

from __future__ import annotations

import pandas as pd

from helpers.report.narrative_audit import (
    audit_explanation,
    audit_explanations,
    f_audit_sentence,
    flag_consequence_sentence,
    reproduction_sentence,
    sem_audit_sentence,
    statcheck_sentence,
)


def test_reproduction_sentence_depends_on_the_kind_of_data():
    counts = pd.DataFrame(
        [
            {
                "total": 10,
                "reproduced": 2,
                "not reproduced": 8,
                "published value inconsistent": 0,
                "share_reproduced": 0.2,
            }
        ]
    )
    own = reproduction_sentence(counts, synthetic=False)
    assert own.startswith("Of the 10 published numbers, 2 (20.0 %) are reproduced")
    assert "Only a minority" in own and "how far this dataset is from the article" in own
    assert "generated to reproduce" in reproduction_sentence(counts, synthetic=True)


def test_p_flag_names_the_level():
    flag = {
        "check": "p decision inconsistency",
        "group": "service_users",
        "measure": "RSA",
        "subscale": "Total",
        "site": "All sites",
        "printed": 0.04,
        "statistic": "F(5, 400) = 1.5",
        "expected_low": 0.18,
        "expected_high": 0.19,
    }
    text = audit_explanation(flag, alpha=0.01)
    assert text.endswith("p between 0.1800 and 0.1900. The two lead to different decisions at α = 0.01.")
    flags = pd.DataFrame([flag])
    assert audit_explanations(flags, alpha=0.05) == [audit_explanation(flag, alpha=0.05)]
    assert "at α = 0.05" in audit_explanations(flags, alpha=0.05)[0]


def test_audit_explanations_show_the_other_sites_sems():
    flag = {
        "check": "impossible SEM",
        "group": "service_users",
        "measure": "RSA",
        "subscale": "Choice",
        "site": "A",
        "printed": 0.97,
        "implied_sd": 7.76,
        "max_sd": 2.02,
        "n": 64,
        "suggested": 0.097,
    }
    means = pd.DataFrame(
        {
            "group": "service_users",
            "measure": "RSA",
            "subscale": "Choice",
            "site": ["A", "B", "C"],
            "sem_as_printed": [0.97, 0.08, 0.11],
        }
    )
    (text,) = audit_explanations(pd.DataFrame([flag]), means, alpha=0.05)
    assert "The other sites' SEMs on this scale lie between 0.08 and 0.11." in text


def test_audit_summaries():
    checks = pd.DataFrame(
        {"source": ["anova", "correlations"], "status": ["consistent", "inconsistent"], "outcome": ["X", "Y"]}
    )
    assert statcheck_sentence(checks) == (
        "1 of the 2 printed p values (1 from F tests and 1 from correlations) do not agree with their test "
        "statistics: Y (inconsistent)."
    )
    f = pd.DataFrame(
        {
            "group": "g",
            "measure": "M",
            "subscale": ["A"],
            "F_printed": [1.0],
            "F_min": [0.9],
            "F_max": [1.1],
            "consistent": [True],
        }
    )
    assert (
        f_audit_sentence(f) == "All 1 printed F values lie within the range their own rows' site means and SEMs allow."
    )
    s = pd.DataFrame(
        {"group": "g", "measure": "M", "subscale": "A", "site": ["x"], "sem_printed": [0.1], "possible": [True]}
    )
    assert sem_audit_sentence(s) == "Every one of the 1 printed SEMs is possible on its scale."
    assert flag_consequence_sentence(pd.DataFrame({"check": pd.Series([], dtype=str)}), 0.05) == (
        "The audit flags no published value."
    )


def test_flag_consequences_use_the_level():
    f = pd.DataFrame(
        {
            "check": ["F not implied by the row's means"],
            "group": "g",
            "measure": "M",
            "subscale": ["A"],
            "site": ["All sites"],
            "row_f_consistent": [None],
            "p_low": [0.02],
            "p_high": [0.04],
            "decision_open": [False],
            "printed": [2.0],
        }
    )
    assert "all below α = 0.05" in flag_consequence_sentence(f, 0.05)
    assert "all above α = 0.01" in flag_consequence_sentence(f, 0.01)
