"""Normalising a column argument: one name, several, or none."""

from __future__ import annotations

__all__ = ["as_list"]


def as_list(columns) -> list[str]:
    """One column name, several, or none, as a list.

    Parameters
    ----------
    columns : str, iterable of str or None

    Returns
    -------
    list of str

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
