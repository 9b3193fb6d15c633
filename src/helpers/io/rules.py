"""What each required column of the questionnaire tables must satisfy.

A :class:`Rule` names a column, whether it may be blank and its checks; the rules of
a table are built from the data contract and the instrument definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contract import (
    AGE_RANGE,
    ID_COLUMN,
    OPTIONAL_GROUP_COLUMNS,
    OPTIONAL_SITE_COLUMNS,
    SITE_COLUMN,
    SITE_COLUMNS,
    GroupContract,
)
from .instruments import Instrument
from .problems import (
    DUPLICATE_VALUE,
    NON_FINITE,
    NON_NUMERIC,
    OUT_OF_RANGE,
    UNKNOWN_SITE,
    as_text,
)

__all__ = ["Rule", "site_rules", "group_rules", "item_rules", "optional_rules", "UNKNOWN_COORDINATOR"]

#: Problem kind: a service user's ``care_coordinator_id`` that no care coordinator has.
UNKNOWN_COORDINATOR = "unknown care coordinator"

#: A check: (problem kind, description, function returning True where a value is fine).
Check = tuple[str, str, Callable[[pd.Series], pd.Series]]


@dataclass(frozen=True)
class Rule:
    """What one required column must satisfy.

    ``checks`` holds ``(kind, description, function)``; a function takes the
    column (blanks already removed) and returns a boolean Series, True = fine.
    """

    column: str
    blank_allowed: bool = True
    checks: tuple[Check, ...] = ()


#: Texts that parse as "not a number"; reported as non-finite, like ``inf``.
NAN_TEXTS = ("nan", "+nan", "-nan")


def by_value(test: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """``test``, a check of each value on its own, evaluated once per distinct value of the column;
    blank values (NaN) pass (whether a column may hold blanks is checked apart).

    A questionnaire column of a million answers holds a handful of distinct texts: the test
    runs on those, and each row takes the result of its value (the same result as the test on
    the whole column, in a fraction of the time). A categorical column gives its categories
    directly.

    Examples
    --------
    >>> by_value(lambda v: v.str.len() > 1)(pd.Series(["ab", "c", "ab", None], index=[3, 1, 2, 0])).tolist()
    [True, False, True, True]
    """

    def check(values: pd.Series) -> pd.Series:
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, distinct = values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object)
        elif pd.api.types.infer_dtype(values, skipna=True) == "string":  # numbers: 1 and 1.0 would merge
            codes, distinct = pd.factorize(values, use_na_sentinel=True)
        else:
            return test(values) | values.isna()
        if len(distinct) * 2 > len(values):  # mostly distinct: no gain
            return test(values.astype(object)) | values.isna()
        passed = np.append(test(pd.Series(distinct, dtype=object)).to_numpy(dtype=bool, na_value=False), True)
        return pd.Series(passed[np.where(codes < 0, len(distinct), codes)], index=values.index)

    return check


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _nan_text(values: pd.Series) -> pd.Series:
    return as_text(values).str.strip().str.lower().isin(NAN_TEXTS).fillna(False).astype(bool)


def _is_number(values: pd.Series) -> pd.Series:
    return _numbers(values).notna() | _nan_text(values)


def _is_finite(values: pd.Series) -> pd.Series:
    """False for infinities and ``nan`` written as a value (non-numbers pass: reported elsewhere)."""
    numbers = _numbers(values).astype(float)
    return ~(_nan_text(values) | pd.Series(np.isinf(numbers.to_numpy()), index=values.index))


def _passes(test: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """A numeric test that lets non-numbers and non-finite numbers through (reported as such)."""

    def check(values: pd.Series) -> pd.Series:
        numbers = _numbers(values).astype(float)
        return numbers.isna() | ~pd.Series(np.isfinite(numbers.to_numpy()), index=values.index) | test(numbers)

    return by_value(check)


_NUMBER: Check = (NON_NUMERIC, "not a number", by_value(_is_number))
_FINITE: Check = (
    NON_FINITE,
    "not a finite number (infinity and 'nan' are not values; leave the cell blank when the value is missing)",
    by_value(_is_finite),
)


def _unique(values: pd.Series) -> pd.Series:
    text = as_text(values.astype(object)) if isinstance(values.dtype, pd.CategoricalDtype) else as_text(values)
    return text.isna() | ~text.duplicated(keep=False)


def _member_of(allowed: Iterable[str]) -> Callable[[pd.Series], pd.Series]:
    allowed = list(allowed)

    def check(values: pd.Series) -> pd.Series:
        return as_text(values).isin(allowed)

    return by_value(check)


def item_rules(inst: Instrument) -> list[Rule]:
    """Every item of ``inst``: a number, one of the responses or a missing code."""
    codes = list(range(inst.min, inst.max + 1)) + list(inst.missing_codes)
    allowed = f"whole numbers {inst.min}-{inst.max}"
    if inst.missing_codes:
        allowed += " or missing code " + ", ".join(f"{k} = {v}" for k, v in inst.missing_codes.items())
    describe = f"not a valid {inst.id} response (allowed: {allowed})"
    out_of_range = (OUT_OF_RANGE, describe, _passes(lambda n: n.isin(codes)))
    return [Rule(item, True, (_NUMBER, _FINITE, out_of_range)) for item in inst.items]


def _covariate_rule(column: str) -> Rule:
    if column == "age":
        lo, hi = AGE_RANGE
        in_range = (OUT_OF_RANGE, f"age outside {lo}-{hi} years", _passes(lambda n: n.between(lo, hi)))
    else:
        in_range = (OUT_OF_RANGE, "negative number of years", _passes(lambda n: n >= 0))
    return Rule(column, True, (_NUMBER, _FINITE, in_range))


def site_rules() -> list[Rule]:
    """The ``sites`` table: unique, non-blank site codes (the grouping label is free text)."""
    duplicated = (DUPLICATE_VALUE, "site code listed more than once", _unique)
    rules = {SITE_COLUMN: Rule(SITE_COLUMN, False, (duplicated,))}
    return [rules.get(column, Rule(column)) for column in SITE_COLUMNS]


def _count_rule(column: str) -> Rule:
    whole = (OUT_OF_RANGE, "not a whole number of people (0 or more)", _passes(lambda n: (n >= 0) & (n % 1 == 0)))
    return Rule(column, True, (_NUMBER, _FINITE, whole))


def optional_rules(table: str, present: Iterable[str], coordinators: set[str] | None = None) -> list[Rule]:
    """Rules of the optional columns of ``table`` that its file holds.

    The counts invited (``sites``) must be whole numbers; a service user's
    ``care_coordinator_id`` must be a ``participant_id`` of the care coordinators' table when
    ``coordinators`` (those ids) is given. A team and the grouping label are free text.

    Examples
    --------
    >>> [r.column for r in optional_rules("sites", ["site", "country", "invited_service_users"])]
    ['country', 'invited_service_users']
    >>> rule = optional_rules("service_users", ["care_coordinator_id"], {"C1"})[0]
    >>> rule.checks[0][2](pd.Series(["C1", "C9"])).tolist()
    [True, False]
    """
    present = set(present)
    if table == "sites":
        optional = [c for c in OPTIONAL_SITE_COLUMNS if c in present]
        return [_count_rule(c) if c.startswith("invited_") else Rule(c) for c in optional]
    rules = []
    for column in OPTIONAL_GROUP_COLUMNS.get(table, ()):
        if column not in present:
            continue
        checks = ()
        if column == "care_coordinator_id" and coordinators is not None:
            describe = "not the participant_id of any care coordinator"
            checks = ((UNKNOWN_COORDINATOR, describe, _member_of(sorted(coordinators))),)
        rules.append(Rule(column, True, checks))
    return rules


def group_rules(
    contract: GroupContract, instruments: Iterable[Instrument], known_sites: set[str] | None, sites_file: str
) -> list[Rule]:
    """One participant group's table: ids, sites, covariates and the items of its instruments.

    Parameters
    ----------
    contract : GroupContract
    instruments : iterable of Instrument
        Only those the group completed contribute item rules.
    known_sites : set of str or None
        Site codes of the ``sites`` table; sites are not checked when None.
    sites_file : str
        Name of the sites file, for messages.
    """
    duplicated = (DUPLICATE_VALUE, "participant id used more than once", _unique)
    site_checks = ()
    if known_sites is not None:
        site_checks = ((UNKNOWN_SITE, f"site code not listed in {sites_file}", _member_of(sorted(known_sites))),)
    rules = [Rule(ID_COLUMN, False, (duplicated,)), Rule(SITE_COLUMN, False, site_checks)]
    for column in contract.covariates:
        numeric = column in contract.numeric_covariates
        rules.append(_covariate_rule(column) if numeric else Rule(column))
    for inst in instruments:
        if contract.name in inst.groups:
            rules.extend(item_rules(inst.for_group(contract.name)))
    return rules
