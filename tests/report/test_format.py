"""Number formatters: one p style for prose and tables, one percentage, intervals and their headers."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.report.format import MISSING, ci_label, fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct, is_missing


@pytest.mark.parametrize(
    ("p", "prose", "cell"),
    [
        (0.0049, "p = 0.005", "0.005"),
        (0.001, "p = 0.001", "0.001"),
        (0.000999, "p < 0.001", "< 0.001"),
        (1e-12, "p < 0.001", "< 0.001"),
        (0.5, "p = 0.500", "0.500"),
        (1.0, "p = 1.000", "1.000"),
        (float("nan"), f"p = {MISSING}", MISSING),
        (None, f"p = {MISSING}", MISSING),
    ],
)
def test_one_p_formatter_in_two_forms(p, prose, cell):
    assert fmt_p(p) == prose
    assert fmt_p(p, label=False) == cell


def test_percentages_with_chosen_decimals():
    assert fmt_pct(0.199) == "19.9 %"
    assert fmt_pct(0.199, 0) == "20 %"
    assert fmt_pct(0.5, 0) == "50 %" and fmt_pct(0.123, 1) == "12.3 %"
    assert fmt_pct(1 / 3, 2) == "33.33 %"
    assert fmt_pct(np.float64(0.25)) == "25.0 %"
    assert fmt_pct(float("nan")) == MISSING and fmt_pct(None, 0) == MISSING and fmt_pct(np.inf) == MISSING


def test_numbers_counts_and_intervals():
    assert fmt_num(3.14159) == "3.14" and fmt_num(3.14159, 3) == "3.142" and fmt_num(-0.004) == "-0.00"
    assert fmt_num(None) == MISSING and fmt_num(float("nan")) == MISSING
    assert fmt_int(12.0) == "12" and fmt_int(11.6) == "12" and fmt_int(np.int64(7)) == "7"
    assert fmt_int(float("nan")) == MISSING
    assert fmt_ci(3.2377, 3.7207) == "[3.24, 3.72]" and fmt_ci(-1.25, 0.5, 1) == "[-1.2, 0.5]"
    assert fmt_ci(float("nan"), 1.0) == f"[{MISSING}, 1.00]"
    assert fmt_ci("[suppressed]", "[suppressed]") == "[suppressed]"  # a suppressed interval shows the marker once


@pytest.mark.parametrize(
    ("level", "header"), [(0.95, "95 % CI"), (0.9, "90 % CI"), (0.99, "99 % CI"), (0.999, "99.9 % CI")]
)
def test_interval_header_follows_the_level(level, header, cfg):
    assert ci_label(level) == header
    assert ci_label(cfg.confidence) == cfg.confidence_label


def test_missing_values():
    assert is_missing(None) and is_missing(np.nan) and is_missing(-np.inf) and is_missing("text")
    assert not is_missing(0) and not is_missing(np.float32(1.5))
