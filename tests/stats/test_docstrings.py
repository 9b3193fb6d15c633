"""Every statistic is documented as pingouin documents its functions: what goes in, what
comes out, how it is computed (Notes), where the method comes from (References) and a
runnable example (run by the doctests)."""

from __future__ import annotations

import inspect

import pytest

import helpers.stats as stats

#: Helpers that shape data rather than compute a statistic: no method to cite.
DATA_HELPERS = {"as_list", "item_matrix", "max_missing_items", "missing_share_summary", "missing_table", "score_long"}
SECTIONS = ("Parameters", "Returns", "Notes", "References", "Examples")


#: Exported functions (column lists and other constants are documented where they are defined).
FUNCTIONS = {name for name in stats.__all__ if callable(getattr(stats, name))}


@pytest.mark.parametrize("name", sorted(FUNCTIONS - DATA_HELPERS))
def test_each_statistic_has_every_section(name):
    doc = inspect.getdoc(getattr(stats, name)) or ""
    missing = [s for s in SECTIONS if f"{s}\n{'-' * len(s)}" not in doc]
    assert not missing, f"helpers.stats.{name} lacks {missing}"


@pytest.mark.parametrize("name", sorted(DATA_HELPERS))
def test_each_data_helper_has_an_example(name):
    assert "Examples\n--------" in (inspect.getdoc(getattr(stats, name)) or "")
