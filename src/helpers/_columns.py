"""Small argument-normalising helper shared by the statistics modules."""

from __future__ import annotations


def as_list(columns) -> list[str]:
    """One column name, several, or none, as a list.

    Examples
    --------
    >>> as_list(None), as_list("site"), as_list(("measure", "subscale"))
    ([], ['site'], ['measure', 'subscale'])
    """
    if columns is None:
        return []
    if isinstance(columns, str):
        return [columns]
    return list(columns)
