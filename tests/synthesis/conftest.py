"""Fixtures of the synthesis tests: the settings and small hand-made examples of both strands."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.io import FRAMEWORK_COLUMNS, INTERVIEW_COLUMNS, QualData, empty_tables


def make_scores(values: dict[str, list[float]], measure: str = "STAR-P") -> pd.DataFrame:
    """Service users' scores on one measure's total, per site."""
    rows = [
        ("service_users", measure, "Total", f"{site}{k}", site, v)
        for site, vs in values.items()
        for k, v in enumerate(vs)
    ]
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])


@pytest.fixture
def scores_of():
    """:func:`make_scores` as a fixture."""
    return make_scores


@pytest.fixture
def country_example(book):
    """Two sites per country; Wales higher on STAR-P and on collaboration at every site.

    Returns a function of the code the Welsh senior managers carry on personal budgets.
    """

    def make(pb_wales: str) -> tuple[pd.DataFrame, QualData]:
        sites = pd.DataFrame({"site": ["E1", "E2", "W1", "W2"], "country": ["England", "England", "Wales", "Wales"]})
        scores = make_scores(
            {"E1": [30, 31, 32], "E2": [30.5, 31.5, 32.5], "W1": [38, 39, 40], "W2": [38.5, 39.5, 40.5]}
        )
        rows, cells = [], []
        for site in sites["site"]:
            initial = site[0]
            for k, role in enumerate(["SM", "SU", "CC"], start=1):
                rows.append((f"{initial}-{role}-{site[1]}{k:02d}", site, role, None))
            wales = site.startswith("W")
            cells += [
                (f"{initial}-SM-{site[1]}01", "personalisation", "", pb_wales if wales else "pb_promoted"),
                (
                    f"{initial}-SU-{site[1]}02",
                    "care_planning",
                    "",
                    "cp_collaborative" if wales else "cp_professional_led",
                ),
                (f"{initial}-CC-{site[1]}03", "care_planning", "", "cp_collaborative"),
            ]
        interviews = pd.DataFrame(rows, columns=list(INTERVIEW_COLUMNS))
        framework = pd.DataFrame(cells, columns=list(FRAMEWORK_COLUMNS))
        q = QualData(interviews, framework, empty_tables(book)["care_plans"], sites, book, True)
        return scores, q

    return make
