"""Triads (helpers.interviews.triads)."""

from __future__ import annotations

from helpers.interviews import (
    VERDICTS,
    answer,
    triad_agreement,
    triad_agreement_summary,
    triad_composition,
    triad_members,
    triad_positions,
)
from helpers.io import TriadItem


def test_answer_rule():
    item = TriadItem("x", "?", ("yes_a", "yes_b"), ("no_a",))
    assert [answer(c, item) for c in ({"yes_b"}, {"no_a"}, {"yes_a", "no_a"}, {"other"})] == [
        "yes",
        "no",
        "both",
        "not mentioned",
    ]


def test_triad_agreement_rules(small_q, book):
    positions = triad_positions(small_q)
    agreement = triad_agreement(positions).set_index(["triad_id", "item"])
    # A-T01, risk: care coordinator yes (discussed), service user no, carer no, plan no -> disagree.
    row = agreement.loc[("A-T01", "risk_discussed")]
    assert (row["yes"], row["no"], row["verdict"], row["su_position"]) == (1, 3, "disagree", "no")
    # A-T01, carer: the carer and the plan say yes, nobody says no -> agree.
    assert agreement.loc[("A-T01", "carer_involved"), "verdict"] == "agree"
    # A-T02, plan made together: service user yes, coordinator yes, plan no -> disagree.
    assert agreement.loc[("A-T02", "plan_together"), "verdict"] == "disagree"
    # B-T01 has no coordinator or carer: only the plan answers on risk -> one source.
    assert agreement.loc[("B-T01", "risk_discussed"), "verdict"] == "one source"
    assert agreement.loc[("B-T01", "plan_in_use"), "verdict"] == "no answer"
    summary = triad_agreement_summary(triad_agreement(positions), book).set_index("item")
    assert summary.loc["risk_discussed", "su_no_others_yes"] == 1
    assert summary.loc["risk_discussed", list(VERDICTS)].tolist() == [0, 2, 1, 0]


def test_plan_positions(small_q):
    positions = triad_positions(small_q).set_index(["triad_id", "item", "source"])["position"]
    assert positions[("A-T02", "risk_discussed", "carer")] == "no interview"
    assert positions[("A-T01", "plan_together", "written plan")] == "yes"  # su_involved
    assert positions[("A-T01", "plan_in_use", "written plan")] == "not in template"


def test_members_and_composition(small_q, q):
    members = triad_members(small_q.interviews)
    assert sorted(members.loc[members["participant_id"] == "A-CC-001", "triad_id"]) == ["A-T01", "A-T02"]
    assert triad_composition(small_q) == {"triads": 3, "with_care_coordinator": 2, "with_carer": 1, "with_plan": 3}
    members = triad_members(q.interviews)
    assert members["triad_id"].nunique() == 33
    assert (members.groupby("triad_id")["role"].apply(lambda r: (r == "SU").sum()) == 1).all()
    assert set(members.loc[members["role"] == "CA", "participant_id"]) == set(
        q.interviews.loc[q.interviews["role"] == "CA", "participant_id"]
    )


def test_triads_without_interviews(empty_q, book):
    positions = triad_positions(empty_q)
    assert positions.empty
    summary = triad_agreement_summary(triad_agreement(positions), book)
    assert len(summary) == len(book.triad_items) and (summary["n_triads"] == 0).all()
    assert triad_composition(empty_q)["triads"] == 0
