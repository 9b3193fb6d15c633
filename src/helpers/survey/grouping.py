"""The rows of each outcome of a long scores table, and the participants' columns joined to them.

The long table of :func:`helpers.survey.outcome_scores` holds every outcome as one block of
rows, the participants of its group in the order of the group's table. The functions here
use that layout when it holds and fall back to pandas' ``groupby`` and ``merge`` when it
does not, so the result never depends on it: :func:`outcome_frames` yields what
``scores.groupby(OUTCOME, sort=False)`` yields, and :func:`participant_join` returns what a
left merge on ``participant_id`` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from helpers.io import OUTCOME, Dataset

__all__ = ["outcome_positions", "outcome_frames", "outcomes_in", "participant_join"]


def outcome_positions(scores: pd.DataFrame) -> dict[tuple, np.ndarray] | None:
    """Row positions of each outcome ``(group, measure, subscale)``, outcomes in the order of their first row.

    None when an outcome column holds a missing value (``groupby`` would drop those rows).
    """
    n = len(scores)
    columns = [scores[c].to_numpy(dtype=object) for c in OUTCOME]
    if any(pd.isna(c).any() for c in columns):
        return None
    change = np.zeros(n, dtype=bool)
    change[:1] = True
    for values in columns:
        change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    runs: dict[tuple, list[np.ndarray]] = {}
    for start, end in zip(starts, ends):
        key = tuple(values[start] for values in columns)
        runs.setdefault(key, []).append(np.arange(start, end))
    return {key: np.concatenate(parts) for key, parts in runs.items()}


def outcomes_in(scores: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``scores`` whose outcome is a row of ``keys``: ``scores.merge(keys[OUTCOME], on=OUTCOME)``.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": ["m", "n", "m"], "subscale": "s", "score": [1.0, 2, 3]})
    >>> outcomes_in(s, pd.DataFrame({"group": ["g"], "measure": ["m"], "subscale": ["s"]}))["score"].tolist()
    [1.0, 3.0]
    """
    keys = keys[OUTCOME]
    positions = outcome_positions(scores)
    if positions is None or keys.duplicated().any():
        return scores.merge(keys, on=OUTCOME, how="inner")
    wanted = set(keys.itertuples(index=False, name=None))
    parts = [rows for key, rows in positions.items() if key in wanted]
    rows = np.sort(np.concatenate(parts)) if parts else np.array([], dtype=int)
    return scores.take(rows).reset_index(drop=True)


def outcome_frames(scores: pd.DataFrame) -> Iterator[tuple[tuple, pd.DataFrame]]:
    """Each outcome's key ``(group, measure, subscale)`` and rows, as ``scores.groupby(OUTCOME, sort=False)``.

    Outcomes come in the order of their first row, the rows of each in table order with
    their index labels. Runs of equal outcome values are found by comparing neighbouring
    rows, which avoids hashing every row of a long table.

    Examples
    --------
    >>> s = pd.DataFrame({"group": "g", "measure": ["m", "m", "n", "m"], "subscale": "s", "score": [1.0, 2, 3, 4]})
    >>> [(k[1], f.index.tolist()) for k, f in outcome_frames(s)]
    [('m', [0, 1, 3]), ('n', [2])]
    """
    positions = outcome_positions(scores)
    if positions is None:
        yield from scores.groupby(OUTCOME, sort=False)
        return
    for key, rows in positions.items():
        yield key, scores.take(rows)


def participant_join(dataset: Dataset) -> Callable[[pd.DataFrame, str, Sequence[str]], pd.DataFrame]:
    """A function ``join(frame, group, columns)``: the scored rows of ``frame`` with ``columns`` of ``group``'s table.

    ``join(frame, group, columns)`` equals ``frame.dropna(subset=["score"]).merge(people[["participant_id",
    *columns]], on="participant_id", how="left")`` with ``people = dataset.group(group)``. When
    ``frame`` holds the rows of the group's table in its order (one outcome of a scores
    table), they are matched by position instead of by hashing the identifiers again for
    every outcome; otherwise the merge is made.

    Examples
    --------
    >>> from helpers.io import SYNTHETIC_DIR, load_dataset, load_instruments
    >>> ds = load_dataset(SYNTHETIC_DIR, load_instruments())
    >>> people = ds.group("service_users")
    >>> frame = people[["participant_id", "site"]].assign(score=np.where(people.index % 3 == 0, np.nan, 1.0))
    >>> merged = frame.dropna(subset=["score"]).merge(people[["participant_id", "age"]], how="left")
    >>> join = participant_join(ds)
    >>> join(frame, "service_users", ["age"]).equals(merged), join(frame[::-1], "service_users", ["age"]).equals(merged)
    (True, False)
    """
    unique: dict[str, bool] = {}

    def join(frame: pd.DataFrame, group: str, columns: Sequence[str]) -> pd.DataFrame:
        people = dataset.group(group)
        right = people[["participant_id", *columns]]
        if _same_people(frame, people) and not set(columns) & set(frame.columns):
            if group not in unique:
                unique[group] = bool(people["participant_id"].is_unique)
            if unique[group]:
                rows = np.flatnonzero(frame["score"].notna().to_numpy())
                scored = frame.take(rows).reset_index(drop=True)
                added = right.drop(columns="participant_id").take(rows).reset_index(drop=True)
                return pd.concat([scored, added], axis=1)
        return frame.dropna(subset=["score"]).merge(right, on="participant_id", how="left")

    return join


def _same_people(frame: pd.DataFrame, people: pd.DataFrame) -> bool:
    """Whether ``frame`` holds the participants of ``people``, one row each, in the same order."""
    if len(frame) != len(people):
        return False
    same = frame["participant_id"].to_numpy(dtype=object) == people["participant_id"].to_numpy(dtype=object)
    return isinstance(same, np.ndarray) and same.dtype == bool and bool(same.all())
