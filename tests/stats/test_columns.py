"""as_list: one column name, several or none."""

from helpers.stats import as_list


def test_as_list_of_a_name_a_sequence_and_none():
    assert as_list("site") == ["site"]
    assert as_list(("measure", "subscale")) == ["measure", "subscale"]
    assert as_list(x for x in "ab") == ["a", "b"]
    assert as_list(None) == []


def test_as_list_returns_a_new_list():
    names = ["a", "b"]
    out = as_list(names)
    out.append("c")
    assert names == ["a", "b"]
