"""The qualitative contract: roles, participant labels, code and triad cells."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import (
    ROLE_ORDER,
    ROLE_PLURALS,
    ROLES,
    SENIOR_ROLES,
    STAFF_ROLES,
    USER_ROLES,
    YES_NO,
    join_codes,
    participant_label,
    site_initial,
    split_codes,
    split_triads,
)
from helpers.io.qual_contract import LABEL_PATTERN, cell_text, is_blank, message_text


def test_roles():
    assert ROLE_ORDER == ("SM", "SP", "CC", "SU", "CA") == tuple(ROLE_PLURALS)
    assert set(STAFF_ROLES) | set(USER_ROLES) == set(ROLES) and set(SENIOR_ROLES) < set(STAFF_ROLES)
    assert YES_NO == {"yes": True, "no": False}


def test_labels():
    assert participant_label("Burgundy", "SU", 1) == "B-SU-001"
    assert participant_label("kestrel vale", "CA", 12) == "K-CA-012"
    assert site_initial("  (north) moor") == "N" and site_initial("") == ""
    assert LABEL_PATTERN.match("B-SU-001").groups() == ("B", "SU", "001")
    assert LABEL_PATTERN.match("B-SU-") is None


def test_code_cells():
    assert split_codes(" a ;b; ;a") == ["a", "b"]
    assert split_codes(None) == split_codes(pd.NA) == split_codes(np.nan) == []
    assert join_codes(split_codes("a;b")) == "a; b" and join_codes([]) == ""
    assert split_triads("A-T01;A-T02") == ["A-T01", "A-T02"]


def test_cell_helpers():
    values = pd.Series([" x ", "", None, np.nan, 3])
    text = cell_text(values)
    assert text.dtype == object and text[0] == "x" and text[4] == "3"
    assert text.isna().tolist() == [False, True, True, True, False]
    assert is_blank(values).tolist() == [False, True, True, True, False]
    assert message_text(pd.Series(["a", np.nan, None])).tolist() == ["a", "", ""]
