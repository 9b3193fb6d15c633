"""Two groups rating the same instrument: side by side and their agreement on the ranking of sites."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.survey import rank_agreement, rater_comparison, select, site_summaries


@pytest.fixture(scope="module")
def raters(scores, cfg):
    return rater_comparison(site_summaries(select(scores, measure="RSA"), confidence=cfg.confidence), "RSA")


def test_rater_comparison(raters, scores, cfg):
    assert len(raters) == 6 * 6
    summaries = site_summaries(select(scores, measure="RSA", subscale="Total"), confidence=cfg.confidence)
    su = summaries[summaries.group == "service_users"].set_index("site")["mean"]
    cc = summaries[summaries.group == "care_coordinators"].set_index("site")["mean"]
    total = raters[raters["subscale"] == "Total"].set_index("site")
    np.testing.assert_allclose(total["diff"], (cc - su).loc[total.index])
    flipped = rater_comparison(summaries, "RSA", groups=("care_coordinators", "service_users"))
    np.testing.assert_allclose(flipped.set_index("site")["diff"], -total["diff"])


def test_rank_agreement_matches_enumeration(raters, cfg):
    agreement = rank_agreement(raters, alpha=cfg.alpha, max_exact=cfg.max_exact_sites).set_index("subscale")
    total = raters[raters["subscale"] == "Total"]
    assert agreement.loc["Total", "n_second_higher"] == int((total["diff"] > 0).sum())
    x, y = total["mean_1"].to_numpy(), total["mean_2"].to_numpy()
    rho = stats.spearmanr(x, y).statistic
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    perms = [stats.spearmanr(rx, perm).statistic for perm in itertools.permutations(ry)]
    assert agreement.loc["Total", "rho"] == pytest.approx(rho)
    assert agreement.loc["Total", "p"] == pytest.approx(np.mean(np.abs(perms) >= abs(rho) - 1e-12))
    assert agreement.loc["Total", "mean_diff"] == pytest.approx(total["diff"].mean())


def test_rank_agreement_of_too_few_sites_is_undefined(cfg):
    two = pd.DataFrame({"measure": "M", "subscale": "T", "site": ["a", "b"], "mean_1": [1.0, 2.0],
                        "mean_2": [2.0, 1.0], "diff": [1.0, -1.0]})  # fmt: skip
    row = rank_agreement(two, alpha=cfg.alpha, max_exact=cfg.max_exact_sites).iloc[0]
    assert np.isnan(row["rho"]) and np.isnan(row["p"]) and row["n_sites"] == 2
