"""Covariates exchanged within sites until the ANCOVA decides every site effect as the ANOVA does."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.synthetic.adjustment import align_adjusted_decisions
from helpers.synthetic.conclusions import ancova_mismatches


def _shuffled(synthetic, columns, seed):
    """The synthetic data with service users' covariates permuted within each site."""
    rng = np.random.default_rng(seed)
    su = synthetic.service_users.copy()
    for _, rows in su.groupby("site").groups.items():
        order = rng.permutation(len(rows))
        for column in columns:
            su.loc[rows, column] = su.loc[rows, column].to_numpy()[order]
    return dataclasses.replace(synthetic, service_users=su)


@pytest.mark.slow
def test_exchanges_restore_the_anova_decisions_and_move_nothing_else(synthetic, scores, cfg):
    columns = {"service_users": list(cfg.su_covariates), "care_coordinators": list(cfg.cc_covariates)}
    # one within-site permutation of the covariates makes an ANCOVA-only effect appear
    broken = _shuffled(synthetic, columns["service_users"], seed=1)
    assert ancova_mismatches(scores, broken, cfg) != []

    aligned, order = align_adjusted_decisions(scores, broken, cfg, columns, np.random.default_rng(1))
    assert ancova_mismatches(scores, aligned, cfg) == []

    before, after = broken.service_users, aligned.service_users
    items = [c for c in before.columns if c not in columns["service_users"]]
    pd.testing.assert_frame_equal(after[items], before[items])  # answers, ids and sites untouched
    for _site, rows in before.groupby("site").groups.items():
        for column in columns["service_users"]:  # each site keeps the same covariate values
            assert sorted(after.loc[rows, column].astype(str)) == sorted(before.loc[rows, column].astype(str))
    # the returned order turns the table as written into the aligned one
    rebuilt = before[columns["service_users"]].iloc[order["service_users"]].to_numpy()
    np.testing.assert_array_equal(rebuilt.astype(str), after[columns["service_users"]].to_numpy().astype(str))
    assert (order["care_coordinators"] == np.arange(len(synthetic.care_coordinators))).all()
