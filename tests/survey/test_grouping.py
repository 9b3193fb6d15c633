"""The outcome split and participant join of the survey loops equal pandas' groupby and merge."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.io import OUTCOME
from helpers.survey.grouping import outcome_frames, outcomes_in, participant_join


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.equals(b) and list(a.columns) == list(b.columns) and a.index.equals(b.index)


def _shuffled(scores: pd.DataFrame) -> pd.DataFrame:
    """The rows in a random order, so that every outcome is split into many runs."""
    return scores.sample(frac=1.0, random_state=1)


@pytest.mark.parametrize("arrange", ["as scored", "shuffled", "missing key"])
def test_outcome_frames_equal_groupby(scores, arrange):
    data = scores if arrange == "as scored" else _shuffled(scores)
    if arrange == "missing key":
        data = data.copy()
        data.iloc[::7, data.columns.get_loc("subscale")] = None
    expected = list(data.groupby(OUTCOME, sort=False))
    got = list(outcome_frames(data))
    assert [k for k, _ in got] == [k for k, _ in expected]
    assert all(_same(g, e) for (_, g), (_, e) in zip(got, expected))


def test_outcome_frames_of_an_empty_table(scores):
    assert list(outcome_frames(scores.iloc[:0])) == []


@pytest.mark.parametrize("arrange", ["as scored", "shuffled"])
def test_outcomes_in_equals_an_inner_merge(scores, arrange):
    data = scores if arrange == "as scored" else _shuffled(scores)
    keys = data[OUTCOME].drop_duplicates().iloc[[5, 0, 17, 3]]
    assert _same(outcomes_in(data, keys), data.merge(keys, on=OUTCOME, how="inner"))
    assert _same(outcomes_in(data, keys.iloc[:0]), data.merge(keys.iloc[:0], on=OUTCOME, how="inner"))
    doubled = pd.concat([keys, keys.iloc[:1]])
    assert _same(outcomes_in(data, doubled), data.merge(doubled, on=OUTCOME, how="inner"))


def _merged(frame, people, columns):
    return frame.dropna(subset=["score"]).merge(people[["participant_id", *columns]], on="participant_id", how="left")


def test_participant_join_equals_a_left_merge(scores, synthetic, cfg):
    join = participant_join(synthetic)
    rng = np.random.default_rng(3)
    for key, frame in outcome_frames(scores):
        people = synthetic.group(key[0])
        columns = list(cfg.covariate_sets[key[0]])
        assert _same(join(frame, key[0], columns), _merged(frame, people, columns))
        # rows out of the table's order, or a subset of them, must be matched by identifier
        for other in (frame[::-1], frame.iloc[rng.permutation(len(frame))], frame.iloc[1:]):
            assert _same(join(other, key[0], columns), _merged(other, people, columns))


def test_participant_join_does_not_match_by_position_when_identifiers_differ(scores, synthetic):
    frame = next(f for k, f in outcome_frames(scores) if k[0] == "service_users").copy()
    people = synthetic.group("service_users")
    ids = frame["participant_id"].to_numpy(dtype=object)
    frame["participant_id"] = np.roll(ids, 1)  # same people, shifted by one row
    assert _same(participant_join(synthetic)(frame, "service_users", ["age"]), _merged(frame, people, ["age"]))
