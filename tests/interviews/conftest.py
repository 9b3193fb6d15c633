"""Fixtures of the interview analyses: the synthetic material, a small hand-made example, no interviews."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from helpers.io import QualData, from_dataset, load_codebook, typed_tables


@pytest.fixture(scope="session")
def book():
    """The project's code book."""
    return load_codebook()


@pytest.fixture(scope="session")
def q(synthetic):
    """The synthetic dataset's qualitative tables."""
    return from_dataset(synthetic)


@pytest.fixture(scope="session")
def empty_q(synthetic):
    """The synthetic dataset without its qualitative files."""
    return from_dataset(replace(synthetic, interviews=None, framework=None, care_plans=None))


def small_tables(book) -> dict[str, pd.DataFrame]:
    """A valid, hand-made qualitative dataset at two of the six synthetic sites (raw, as read from files)."""
    interviews = pd.DataFrame(
        [
            ("A-SM-001", "Artois", "SM", ""),
            ("A-CC-001", "Artois", "CC", "A-T01; A-T02"),
            ("A-SU-001", "Artois", "SU", "A-T01"),
            ("A-SU-002", "Artois", "SU", "A-T02"),
            ("A-CA-001", "Artois", "CA", "A-T01"),
            ("B-SP-001", "Burgundy", "SP", ""),
            ("B-SU-001", "Burgundy", "SU", "B-T01"),
        ],
        columns=["participant_id", "site", "role", "triad_id"],
    )
    framework = pd.DataFrame(
        [
            ("A-SM-001", "risk_safety", "Risk first.", "risk_central"),
            ("A-SM-001", "care_planning", "Plans are records.", "cp_valued_record"),
            ("A-CC-001", "risk_safety", "Shares the risk plan.", "risk_discussed; risk_central"),
            ("A-CC-001", "care_planning", "Writes plans together.", "cp_collaborative"),
            ("A-SU-001", "risk_safety", "Nobody mentioned risk.", "risk_not_discussed"),
            ("A-SU-001", "care_planning", "Plan handed over.", "cp_professional_led"),
            ("A-SU-002", "care_planning", "Made it together.", "cp_collaborative"),
            ("A-CA-001", "carer_involvement", "Goes to reviews.", "carer_involved"),
            ("A-CA-001", "risk_safety", "Never asked about risk.", "risk_not_discussed"),
            ("B-SP-001", "personalisation", "Wary of budgets.", "pb_resisted"),
            ("B-SU-001", "relationship", "Trusts the worker.", "rel_valued; rel_over_documents"),
        ],
        columns=["participant_id", "theme", "summary", "codes"],
    )
    fields = dict.fromkeys(book.plan_field_ids, "no")
    plans = pd.DataFrame(
        [
            {
                "participant_id": "A-SU-001",
                "triad_id": "A-T01",
                "site": "Artois",
                **fields,
                "su_involved": "yes",
                "risk_assessment_present": "yes",
                "carer_involved": "yes",
            },
            {"participant_id": "A-SU-002", "triad_id": "A-T02", "site": "Artois", **fields, "review_date": ""},
            {"participant_id": "B-SU-001", "triad_id": "B-T01", "site": "Burgundy", **fields, "copy_held": "YES"},
        ]
    )
    return {"interviews": interviews, "framework": framework, "care_plans": plans}


@pytest.fixture
def small_q(synthetic, book) -> QualData:
    """:func:`small_tables` typed, with the six synthetic sites (four without interviews)."""
    tables = typed_tables(small_tables(book), book)
    sites = synthetic.sites[["site", "country"]].astype(str).reset_index(drop=True)
    return QualData(tables["interviews"], tables["framework"], tables["care_plans"], sites, book, True)
