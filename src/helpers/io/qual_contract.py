"""The data contract of the qualitative strand: interviews, the framework matrix, care plans.

The study interviewed senior managers (SM), senior practitioners (SP), care
coordinators (CC), service users (SU) and carers (CA) at each site, charted the
transcripts into a framework matrix (one row per interview, one column per theme,
a researcher's summary in each cell) and reviewed each interviewed service user's
written care plan with a template. A dataset folder may hold these three optional
tables; this module names them, their columns, the participant-label form and the
kinds of problem their validation reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "ROLES",
    "ROLE_ORDER",
    "ROLE_PLURALS",
    "STAFF_ROLES",
    "SENIOR_ROLES",
    "USER_ROLES",
    "QUAL_TABLES",
    "NVIVO_TABLE",
    "INTERVIEW_COLUMNS",
    "FRAMEWORK_COLUMNS",
    "CARE_PLAN_KEYS",
    "CODE_SEPARATOR",
    "TRIAD_SEPARATOR",
    "YES",
    "NO",
    "YES_NO",
    "QUAL_PROBLEM_KINDS",
    "LABEL_PATTERN",
    "site_initial",
    "participant_label",
    "split_codes",
    "join_codes",
    "split_triads",
    "cell_text",
    "is_blank",
    "message_text",
]

#: Interview roles: the label's middle part and the role column's values.
ROLES = {
    "SM": "senior manager",
    "SP": "senior practitioner",
    "CC": "care coordinator",
    "SU": "service user",
    "CA": "carer",
}
ROLE_ORDER = tuple(ROLES)
ROLE_PLURALS = {
    "SM": "senior managers",
    "SP": "senior practitioners",
    "CC": "care coordinators",
    "SU": "service users",
    "CA": "carers",
}
STAFF_ROLES = ("SM", "SP", "CC")
SENIOR_ROLES = ("SM", "SP")
USER_ROLES = ("SU", "CA")

#: Optional tables of a dataset folder, in report order.
QUAL_TABLES = ("interviews", "framework", "care_plans")
#: The framework matrix as NVivo exports it (an alternative to ``framework``).
NVIVO_TABLE = "framework_matrix"

INTERVIEW_COLUMNS = ("participant_id", "site", "role", "triad_id")
FRAMEWORK_COLUMNS = ("participant_id", "theme", "summary", "codes")
CARE_PLAN_KEYS = ("participant_id", "triad_id", "site")
#: Separates several codes in one ``codes`` cell, and several triads in one ``triad_id`` cell.
CODE_SEPARATOR = ";"
TRIAD_SEPARATOR = ";"
YES, NO = "yes", "no"
#: Accepted answers of a care-plan field (lower case) and their truth values.
YES_NO = {YES: True, NO: False}

# Problem kinds of the qualitative tables (besides those of the questionnaire tables).
UNKNOWN_ROLE = "unknown role"
MALFORMED_LABEL = "malformed label"
LABEL_MISMATCH = "label mismatch"
MISSING_INTERVIEW = "missing interview"
TRIAD_PROBLEM = "inconsistent triad"
UNKNOWN_THEME = "unknown theme"
UNKNOWN_CODE = "unknown code"
NOT_YES_NO = "not yes/no"
NOT_SERVICE_USER = "not a service user"
SITE_MISMATCH = "site mismatch"
#: Kinds of problem specific to the qualitative tables.
QUAL_PROBLEM_KINDS = (
    UNKNOWN_ROLE,
    MALFORMED_LABEL,
    LABEL_MISMATCH,
    MISSING_INTERVIEW,
    TRIAD_PROBLEM,
    UNKNOWN_THEME,
    UNKNOWN_CODE,
    NOT_YES_NO,
    NOT_SERVICE_USER,
    SITE_MISMATCH,
)

#: A participant label: site initial, role, number (``B-SU-001``), optionally after a
#: prefix of letters (``SYN-B-SU-001``, the synthetic data's form).
LABEL_PATTERN = re.compile(r"^(?:[A-Za-z]{2,}-)?([A-Za-z])-([A-Za-z]{2})-(\d+)$")


def site_initial(site: str) -> str:
    """The initial a participant label uses for a site: its first letter, upper case.

    Examples
    --------
    >>> site_initial("Burgundy"), site_initial(" kestrel vale")
    ('B', 'K')
    """
    text = str(site).strip()
    letters = [ch for ch in text if ch.isalnum()]
    return letters[0].upper() if letters else ""


def participant_label(site: str, role: str, number: int) -> str:
    """The article's label form: site initial, role, three-digit number.

    Examples
    --------
    >>> participant_label("Burgundy", "SU", 1)
    'B-SU-001'
    """
    return f"{site_initial(site)}-{role}-{int(number):03d}"


def split_codes(text) -> list[str]:
    """The codes of one ``codes`` cell, in order, without blanks or repeats.

    Examples
    --------
    >>> split_codes("risk_central; cp_valued_record;;risk_central"), split_codes(float("nan"))
    (['risk_central', 'cp_valued_record'], [])
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return []
    parts = [p.strip() for p in str(text).split(CODE_SEPARATOR)]
    return list(dict.fromkeys(p for p in parts if p))


def join_codes(codes: Iterable[str]) -> str:
    """Codes as one cell: ``"a; b"``.

    Examples
    --------
    >>> join_codes(["a", "b"])
    'a; b'
    """
    return f"{CODE_SEPARATOR} ".join(codes)


def split_triads(text) -> list[str]:
    """The triad ids of one ``triad_id`` cell, in order, without blanks or repeats.

    Examples
    --------
    >>> split_triads("T01; T02"), split_triads(None)
    (['T01', 'T02'], [])
    """
    return split_codes(text)


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or holds only spaces."""
    return values.isna() | values.astype("string").str.strip().eq("").fillna(True)


def message_text(values: pd.Series) -> pd.Series:
    """Cells as text for messages: blanks as ``""``."""
    return values.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))


def cell_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (object dtype, NaN for blanks).

    Examples
    --------
    >>> cell_text(pd.Series([" B-SU-001 ", "", None])).tolist()
    ['B-SU-001', nan, nan]
    """
    out = values.astype("string").str.strip()
    out = out.mask(out.eq("").fillna(False))
    return pd.Series(out.to_numpy(dtype=object, na_value=np.nan), index=values.index, name=values.name, dtype=object)
