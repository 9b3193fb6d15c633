"""Qualitative analyses: the interviews, the framework matrix, triads and the care-plan review.

Every function takes the typed qualitative tables (:class:`helpers.io.QualData`, with the
code book) and returns a tidy table of counts, shares and categories: the codes each
account carries, interviews per site and role, the framework matrix by interview and by
site and role, code frequencies, the code book's indicators per site or country, staff
against service-user accounts, agreement within triads, the care-plan review and exact
tests of site patterns. Nothing here writes prose: the wording, figures and display tables
are built from these results in :mod:`helpers.report.interviews_text` and
:mod:`helpers.report.interviews_figures`. An empty dataset (no qualitative files) gives
each table's skeleton: every site, role, code or field with zero counts and NaN shares.
"""

from .accounts import account_codes, interview_counts, interview_counts_with_published
from .care_plans import care_plan_coverage, care_plan_review
from .framework import code_frequencies, framework_cells, framework_matrix, framework_top_codes
from .indicators import (
    ALL_SITES,
    carer_variation,
    country_site_means,
    divergence_table,
    indicator_values,
    site_indicators,
)
from .patterns import site_pattern_tests
from .triads import (
    SOURCES,
    VERDICTS,
    answer,
    triad_agreement,
    triad_agreement_summary,
    triad_composition,
    triad_members,
    triad_positions,
)

__all__ = [
    "ALL_SITES",
    "SOURCES",
    "VERDICTS",
    "account_codes",
    "answer",
    "care_plan_coverage",
    "care_plan_review",
    "carer_variation",
    "code_frequencies",
    "country_site_means",
    "divergence_table",
    "framework_cells",
    "framework_matrix",
    "framework_top_codes",
    "indicator_values",
    "interview_counts",
    "interview_counts_with_published",
    "site_indicators",
    "site_pattern_tests",
    "triad_agreement",
    "triad_agreement_summary",
    "triad_composition",
    "triad_members",
    "triad_positions",
]
