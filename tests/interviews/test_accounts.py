"""Accounts and interview counts (helpers.interviews.accounts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.interviews import account_codes, interview_counts, interview_counts_with_published
from helpers.io import ROLE_ORDER, TABLE1_COLUMNS, load_published


def test_account_codes_count_each_code_once_per_interview(small_q):
    codes = account_codes(small_q.interviews, small_q.framework)
    cc = codes[codes["participant_id"] == "A-CC-001"]
    assert sorted(cc["code"]) == ["cp_collaborative", "risk_central", "risk_discussed"]
    assert not codes.duplicated(["participant_id", "code"]).any()
    assert len(codes) == 13  # 11 cells, two of them with two codes
    assert set(codes.columns) == {"participant_id", "site", "role", "code"}


def test_interview_counts_list_every_site_and_role(small_q):
    counts = interview_counts(small_q.interviews, small_q.site_list).set_index("site")
    assert list(counts.index) == small_q.site_list
    assert counts.loc["Artois", list(ROLE_ORDER)].tolist() == [1, 0, 1, 2, 1]
    assert counts.loc["Burgundy", "total"] == 2 and counts.loc["Provence", "total"] == 0


def test_interview_counts_equal_table1(q):
    counts = interview_counts(q.interviews, q.site_list).set_index("site")
    table1 = load_published().sites.set_index("site")
    for role, column in TABLE1_COLUMNS.items():
        pd.testing.assert_series_equal(counts[role], table1[column].astype(int), check_names=False)
    assert counts[list(ROLE_ORDER)].sum().tolist() == [12, 27, 28, 33, 17]
    assert counts["total"].sum() == 117
    assert interview_counts_with_published(q.interviews, q.site_list)["match"].all()


def test_counts_beside_table1_for_a_site_the_article_does_not_list(small_q):
    comparison = interview_counts_with_published(small_q.interviews, [*small_q.site_list, "Elsewhere"])
    assert len(comparison) == 7 * 5
    other = comparison[comparison["site"] == "Elsewhere"]
    assert other["published"].isna().all() and not other["match"].any() and (other["n"] == 0).all()
    artois = comparison[comparison["site"] == "Artois"].set_index("role")
    assert artois.loc["SU", ["n", "published", "match"]].tolist() == [2, 4.0, False]
    assert artois.loc["CA", "role_label"] == "carers"


def test_counts_without_interviews(empty_q):
    counts = interview_counts(empty_q.interviews, empty_q.site_list)
    assert len(counts) == 6 and (counts[[*ROLE_ORDER, "total"]].to_numpy() == 0).all()
    assert np.isfinite(interview_counts_with_published(empty_q.interviews, empty_q.site_list)["published"]).all()
