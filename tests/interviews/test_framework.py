"""The framework matrix and code frequencies (helpers.interviews.framework)."""

from __future__ import annotations

import numpy as np

from helpers.interviews import code_frequencies, framework_cells, framework_matrix, framework_top_codes


def test_framework_matrix_one_row_per_interview(small_q, book):
    matrix = framework_matrix(small_q)
    assert list(matrix.columns[:3]) == ["participant_id", "site", "role"]
    assert list(matrix.columns[3:]) == [t.label for t in book.themes]
    # Site order of the dataset, then role order SM, SP, CC, SU, CA.
    assert matrix["participant_id"].tolist() == [
        "A-SM-001",
        "A-CC-001",
        "A-SU-001",
        "A-SU-002",
        "A-CA-001",
        "B-SP-001",
        "B-SU-001",
    ]
    assert matrix.loc[0, "role"] == "senior manager"
    risk = book.theme_label("risk_safety")
    assert matrix.loc[0, risk] == "Risk first." and matrix.loc[3, risk] == ""


def test_framework_matrix_with_code_labels_for_one_site(small_q, book):
    matrix = framework_matrix(small_q, "Burgundy", with_codes=True)
    assert matrix["participant_id"].tolist() == ["B-SP-001", "B-SU-001"]
    cell = matrix.loc[1, book.theme_label("relationship")]
    assert cell == "Trusts the worker. [relationship valued; relationships before documents]"


def test_top_codes_rank_by_accounts_then_code_book(small_q, book):
    top = framework_top_codes(small_q, 2)
    su = top[(top["site"] == "Artois") & (top["role"] == "SU") & (top["theme"] == "care_planning")]
    # One service user each: made together and made for the person, tied -> code-book order.
    assert su["code"].tolist() == ["cp_collaborative", "cp_professional_led"]
    assert su["n_coded"].tolist() == [1, 1] and (su["n_accounts"] == 2).all() and su["rank"].tolist() == [1, 2]
    cc = top[(top["site"] == "Artois") & (top["role"] == "CC") & (top["theme"] == "risk_safety")]
    assert cc["code"].tolist() == ["risk_central", "risk_discussed"]
    assert (
        len(framework_top_codes(small_q, 1).query("site == 'Artois' and role == 'CC' and theme == 'risk_safety'")) == 1
    )
    assert set(top["site"]) == {"Artois", "Burgundy"}


def test_framework_cells_in_reading_order(small_q, book):
    cells = framework_cells(small_q, "Artois")
    assert cells["participant_id"].tolist()[:3] == ["A-SM-001", "A-SM-001", "A-CC-001"]
    # Themes in the order of the theme list within a participant.
    order = {t.label: k for k, t in enumerate(book.themes)}
    sm = cells[cells["participant_id"] == "A-SM-001"]["theme"].map(order)
    assert sm.is_monotonic_increasing
    assert cells.loc[cells["summary"] == "Shares the risk plan.", "codes"].item() == (
        "risk discussed with the person, risk central"
    )
    assert len(framework_cells(small_q)) == 11


def test_code_frequencies_by_role_and_site(small_q, book):
    by_role = code_frequencies(small_q, "role").set_index(["role", "code"])
    assert len(by_role) == 5 * len(book.codes)
    assert by_role.loc[("SU", "cp_collaborative"), ["n_accounts", "n_coded"]].tolist() == [3, 1]
    assert by_role.loc[("SU", "cp_collaborative"), "share"] == 1 / 3
    both = code_frequencies(small_q, ["site", "role"]).set_index(["site", "role", "code"])
    assert both.loc[("Artois", "SU", "risk_not_discussed"), "share"] == 0.5
    assert np.isnan(both.loc[("Provence", "SU", "risk_not_discussed"), "share"])


def test_empty_qualitative_data_gives_skeletons(empty_q, book):
    assert not empty_q.available
    assert len(code_frequencies(empty_q, "role")) == 5 * len(book.codes)
    assert (code_frequencies(empty_q, "site")["n_accounts"] == 0).all()
    assert framework_top_codes(empty_q, 2).empty
    assert framework_matrix(empty_q).empty and framework_cells(empty_q).empty
