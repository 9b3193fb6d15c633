"""The interviews in words (helpers.report.interviews_text): notices and tables of words."""

from __future__ import annotations

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
