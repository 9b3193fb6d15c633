"""The care-plan review (helpers.interviews.care_plans)."""

from __future__ import annotations

import numpy as np

from helpers.interviews import care_plan_coverage, care_plan_review


def test_care_plan_review_counts(small_q):
    review = care_plan_review(small_q).set_index(["site", "field"])
    assert review.loc[("Artois", "su_involved"), ["n_plans", "n_recorded", "n_yes"]].tolist() == [2, 2, 1]
    assert review.loc[("Artois", "su_involved"), "share"] == 0.5
    assert review.loc[("Artois", "review_date"), "n_recorded"] == 1  # one blank
    assert review.loc[("All sites", "copy_held"), "n_yes"] == 1
    assert np.isnan(review.loc[("Provence", "su_involved"), "share"])


def test_review_skeleton_without_plans(empty_q, book):
    review = care_plan_review(empty_q)
    assert len(review) == 7 * len(book.plan_fields)
    assert (review["n_plans"] == 0).all() and review["share"].isna().all()


def test_coverage(small_q, q):
    assert care_plan_coverage(small_q) == {"service_users": 3, "plans": 3, "with_plan": 3}
    assert care_plan_coverage(q) == {"service_users": 33, "plans": 33, "with_plan": 33}
    assert sorted(q.care_plans["participant_id"]) == sorted(
        q.interviews.loc[q.interviews["role"] == "SU", "participant_id"]
    )
