"""The interviews in words (helpers.report.interviews_text): notices, sentences and tables of words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import interviews as iv
from helpers.io import load_codebook
from helpers.report import interviews_text as it

BOOK = load_codebook()


@pytest.fixture(scope="module")
def small_q(make_qual):
    """Two sites: Artois with two carers (one involved, one not), Burgundy with one service user.

    Another example than the shared ``small_q`` of tests/conftest.py, which it overrides here.
    """
    interviews = pd.DataFrame(
        [
            ("A-CC-001", "Artois", "CC", "A-T01"),
            ("A-SU-001", "Artois", "SU", "A-T01"),
            ("A-CA-001", "Artois", "CA", "A-T01"),
            ("A-CA-002", "Artois", "CA", ""),
            ("B-SU-001", "Burgundy", "SU", "B-T01"),
        ],
        columns=["participant_id", "site", "role", "triad_id"],
    )
    framework = pd.DataFrame(
        [
            ("A-CC-001", "care_planning", "Together.", "cp_collaborative; cp_valued_record"),
            ("A-CC-001", "risk_safety", "Talked it through.", "risk_discussed"),
            ("A-SU-001", "risk_safety", "Never told.", "risk_not_discussed"),
            ("A-SU-001", "care_planning", "Written for me.", "cp_professional_led"),
            ("A-CA-001", "carer_involvement", "At every review.", "carer_involved"),
            ("A-CA-002", "carer_involvement", "Never asked.", "carer_not_involved"),
            ("B-SU-001", "relationship", "Trusts the worker.", "rel_valued; rel_over_documents"),
        ],
        columns=["participant_id", "theme", "summary", "codes"],
    )
    fields = dict.fromkeys(BOOK.plan_field_ids, "no")
    plans = pd.DataFrame(
        [
            {
                "participant_id": "A-SU-001",
                "triad_id": "A-T01",
                "site": "Artois",
                **fields,
                "su_involved": "yes",
                "carer_involved": "yes",
            }
        ]
    )
    return make_qual({"interviews": interviews, "framework": framework, "care_plans": plans})


def test_notices(q, empty_q, small_q):
    (absent,) = it.notices(empty_q)
    assert repr(absent).startswith("This dataset holds no qualitative files (interviews, framework")
    assert '<div class="admonition important">' in absent._repr_html_()
    assert "<code>care_plans</code>" in absent._repr_html_()
    (synthetic,) = it.notices(q)
    assert "SYNTHETIC" in repr(synthetic) and "admonition warning" in synthetic._repr_html_()
    assert it.notices(small_q) == []  # real (not synthetic) interviews: no extra notice
    assert repr(it.synthetic_notice(empty_q)) == ""


def test_sentences_on_the_synthetic_data(q):
    counts = iv.interview_counts(q.interviews, q.site_list)
    assert it.counts_sentence(counts) == (
        "117 interviews at 6 sites: 12 senior managers, 27 senior practitioners, 28 care coordinators, "
        "33 service users and 17 carers."
    )
    comparison = iv.interview_counts_with_published(q.interviews, q.site_list)
    assert it.table1_sentence(comparison) == "The counts match the article's Table 1 in all 30 cells (sites by roles)."
    assert it.care_plans_sentence(q) == "33 care plans reviewed; all 33 interviewed service users have a reviewed plan."
    assert it.triads_sentence(q).startswith("33 triads: 33 with the care coordinator's interview")
    assert "At all 5 sites with two or more interviewed carers" in it.carer_variation_sentence(q)
    pb = it.country_indicator_sentence(q, "pb_promoted")
    assert pb.startswith("Senior-staff accounts promoting personal budgets: ")
    assert pb.endswith("; every site in England lies above every site in Wales.")


def test_sentences_on_a_small_example(small_q):
    assert it.care_plans_sentence(small_q) == (
        "1 care plan reviewed; 1 of the 2 interviewed service users has a reviewed plan."
    )
    assert it.triads_sentence(small_q) == (
        "2 triads: 1 with the care coordinator's interview, 1 with a carer's and 1 with a reviewed plan."
    )
    # Artois has the only two carers: one involved, one not.
    assert it.carer_variation_sentence(small_q) == (
        "50 % of carers' accounts (n = 2) described being involved. At all 1 sites with two or more interviewed "
        "carers, some carers described being involved and others not."
    )
    assert it.relationship_sentence(small_q) == (
        "Service-user and carer accounts valuing the relationship: 25 % (n = 4); service-user and carer accounts "
        "putting relationships before documents: 25 % (n = 4)."
    )
    assert it.plan_use_sentence(small_q).startswith("Staff accounts valuing the plan as a record: 100 % (n = 1); ")
    div = iv.divergence_table(small_q)
    assert it.divergence_sentence(div, "risk_discussed") == (
        "Across all sites, care-coordinator accounts describing risk as discussed with the person: 100 % (n = 1); "
        "service-user accounts describing risk as discussed with them: 0 % (n = 2). The staff share was the higher "
        "at the one site with both kinds of account (staff 100 %, users 0 % per site)."
    )


def test_site_pattern_sentence_chooses_its_words():
    tests = pd.DataFrame(
        {
            "label": ["a", "b", "c"],
            "min_share": [0.0, 0.1, 0.2],
            "max_share": [1.0, 0.5, 0.4],
            "p": [0.0004, 0.03, 0.6],
            "site_pattern": [True, True, False],
        }
    )
    assert it.site_pattern_sentence(tests, alpha=0.05) == (
        "2 of the 3 codes found in service users' accounts differed between sites (p < 0.05): a (0 % to 100 %, "
        "p < 0.001) and b (10 % to 50 %, p = 0.030). With 3 tests, about 0.2 such results are expected by chance "
        "alone."
    )
    none = tests.assign(site_pattern=False)
    assert "smallest p < 0.001" in it.site_pattern_sentence(none, "carers", alpha=0.01)
    empty = tests.assign(p=np.nan)
    assert it.site_pattern_sentence(empty, "carers", alpha=0.05) == (
        "Not available: this dataset holds no interviews with carers."
    )


def test_triad_and_care_plan_sentences():
    summary = pd.DataFrame(
        {
            "item": ["x", "y"],
            "question": ["Was it?", "Is it?"],
            "n_triads": [5, 3],
            "agree": [2, 0],
            "disagree": [3, 0],
            "one source": [0, 3],
            "no answer": [0, 0],
            "su_no_others_yes": [2, 0],
        }
    )
    assert it.triad_sentence(summary, "x") == (
        "Was it? Of the 5 triads in which at least two sources answered, 2 agreed and 3 disagreed; in 2 of the "
        "disagreements the service user said no while the carer, the care coordinator or the plan said yes."
    )
    assert (
        it.triad_sentence(summary, "y") == "Is it? No triad had two sources answering, so agreement cannot be judged."
    )
    review = pd.DataFrame(
        {
            "site": "All sites",
            "field": ["a", "b", "c"],
            "label": ["A", "B", "C"],
            "n_recorded": [4, 4, 4],
            "n_yes": [1, 3, 2],
            "share": [0.25, 0.75, 0.5],
        }
    )
    assert it.care_plan_sentence(review) == (
        "Across all plans the most common features were B (3 of 4) and C (2 of 4); the least common were "
        "A (1 of 4) and C (2 of 4)."
    )


def test_without_interviews(empty_q):
    counts = iv.interview_counts(empty_q.interviews, empty_q.site_list)
    assert it.counts_sentence(counts) == "This dataset holds no interviews."
    assert it.table1_sentence(iv.interview_counts_with_published(empty_q.interviews, empty_q.site_list)) == (
        "With no interviews, there is nothing to compare with the article's Table 1."
    )
    assert it.plan_use_sentence(empty_q) == it.NO_DATA_TEXT
    assert it.care_plan_sentence(iv.care_plan_review(empty_q)).startswith("Not available")
    assert it.divergence_sentence(iv.divergence_table(empty_q), "risk_centrality").startswith("Not available")
    assert it.country_indicator_sentence(empty_q, "pb_promoted") == (
        "Senior-staff accounts promoting personal budgets: not available (no such interviews in this dataset)."
    )
    summary = iv.triad_agreement_summary(iv.triad_agreement(iv.triad_positions(empty_q)), BOOK)
    assert it.triad_sentence(summary, "plan_together") == "Not available: this dataset records no triads."


def test_second_level_matrix_and_site_matrix(small_q):
    by = it.framework_by_site_role(small_q)
    assert len(by) == 6 * 5 and list(by.columns[:3]) == ["site", "role", "n_accounts"]
    row = by[(by["site"] == "Artois") & (by["role"] == "care coordinators")].iloc[0]
    assert row[BOOK.theme_label("care_planning")] == "plan made together 1/1; plan valued as a record 1/1"
    assert row[BOOK.theme_label("recovery")] == "—"
    assert (by.loc[by["site"] == "Provence", BOOK.theme_label("recovery")] == "no interview").all()
    one = it.framework_by_site_role(small_q, top=1)
    assert one.loc[row.name, BOOK.theme_label("care_planning")] == "plan made together 1/1"
    matrix = it.site_matrix(by, "Artois")
    assert list(matrix.columns) == [
        "theme",
        "senior managers (0)",
        "senior practitioners (0)",
        "care coordinators (1)",
        "service users (1)",
        "carers (2)",
    ]
    assert len(matrix) == len(BOOK.themes)


def test_care_plan_review_wide(small_q):
    wide = it.care_plan_review_wide(iv.care_plan_review(small_q))
    assert list(wide.columns) == ["field", *small_q.site_list, "All sites"]
    su = wide.set_index("field").loc[BOOK.field_label("su_involved")]
    assert su["Artois"] == "1/1" and su["Burgundy"] == "—" and su["All sites"] == "1/1"
