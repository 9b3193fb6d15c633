"""Site patterns (helpers.interviews.patterns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.interviews import site_pattern_tests
from helpers.io import QualData


def _two_sites(book, coded: tuple[int, int], totals: tuple[int, int]) -> QualData:
    """Service users at two sites; ``coded`` of them carry ``rel_valued``."""
    rows, cells = [], []
    for site, k, n in zip(("Artois", "Burgundy"), coded, totals):
        for j in range(n):
            pid = f"{site[0]}-SU-{j + 1:03d}"
            rows.append((pid, site, "SU", None))
            cells.append((pid, "relationship", "", "rel_valued" if j < k else "rel_disrupted"))
    sites = pd.DataFrame({"site": ["Artois", "Burgundy"], "country": ["England", "Wales"]})
    interviews = pd.DataFrame(rows, columns=["participant_id", "site", "role", "triad_id"])
    framework = pd.DataFrame(cells, columns=["participant_id", "theme", "summary", "codes"])
    return QualData(interviews, framework, pd.DataFrame(), sites, book, True)


@pytest.mark.parametrize(("coded", "totals"), [((3, 0), (3, 3)), ((4, 1), (6, 7)), ((0, 5), (5, 6))])
def test_two_sites_give_fishers_exact_test(book, coded, totals):
    q = _two_sites(book, coded, totals)
    row = site_pattern_tests(q, "SU", ["rel_valued"], alpha=0.05).iloc[0]
    expected = stats.fisher_exact([[coded[0], totals[0] - coded[0]], [coded[1], totals[1] - coded[1]]]).pvalue
    assert row["p"] == pytest.approx(expected)
    assert row["n_sites"] == 2 and row["n_accounts"] == sum(totals) and row["n_coded"] == sum(coded)
    assert row["min_share"] == min(c / n for c, n in zip(coded, totals))
    assert row["site_pattern"] == (expected < 0.05)


def test_alpha_decides_the_site_pattern(book):
    q = _two_sites(book, (5, 0), (5, 5))  # p = 2/252
    assert site_pattern_tests(q, "SU", ["rel_valued"], alpha=0.05)["site_pattern"].item()
    assert not site_pattern_tests(q, "SU", ["rel_valued"], alpha=0.001)["site_pattern"].item()


def test_default_codes_are_those_the_role_carries(small_q):
    tests = site_pattern_tests(small_q, "SU", alpha=0.05)
    assert set(tests["code"]) == {
        "cp_collaborative",
        "cp_professional_led",
        "risk_not_discussed",
        "rel_valued",
        "rel_over_documents",
    }
    assert (tests["n_sites"] == 2).all() and (tests["p"] <= 1).all()


def test_no_clear_site_pattern_in_the_synthetic_service_users(q):
    tests = site_pattern_tests(q, "SU", alpha=0.05)
    assert not tests["site_pattern"].any() and (tests["n_sites"] == 6).all()


def test_without_accounts_every_code_is_untestable(empty_q, book):
    tests = site_pattern_tests(empty_q, alpha=0.05)
    assert len(tests) == len(book.codes) and tests["p"].isna().all() and not tests["site_pattern"].any()
    assert np.isnan(tests["share"]).all()
