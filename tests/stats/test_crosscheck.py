"""The vectorised statistics against pingouin and scipy on the book's (synthetic) data, to 1e-12."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.io import SYNTHETIC_DIR, load_dataset, load_instruments
from helpers.stats import (
    cronbach_alpha,
    cronbach_alpha_table,
    item_matrix,
    oneway_anova,
    pearson_table,
    score_long,
    score_scales,
    tukey_hsd,
)
from helpers.stats.quiet import quiet

TOLERANCE = {"rtol": 1e-12, "atol": 1e-12}


@pytest.fixture(scope="module")
def book():
    data = load_dataset(SYNTHETIC_DIR)
    instruments = load_instruments()
    scores = pd.concat(
        [score_long(data.group(g), instruments, g, max_missing=0.3) for g in ("service_users", "care_coordinators")],
        ignore_index=True,
    )
    return data, instruments, scores


def outcomes(scores):
    return [frame for _, frame in scores.groupby(["group", "measure", "subscale"], sort=False)]


def test_scores_equal_person_mean_replacement_written_with_pandas(book):
    data, instruments, _ = book
    for inst in instruments.values():
        items = item_matrix(data.service_users, inst)
        scored = score_scales(data.service_users, inst, max_missing=0.3)
        for scale, members in inst.scales.items():
            sub = items[list(members)]
            allowed = int(np.floor(len(members) * 0.3 + 1e-9))
            mean = sub.mean(axis=1).where(sub.isna().sum(axis=1) <= allowed)
            expected = mean * len(members) if inst.scoring == "sum" else mean
            np.testing.assert_allclose(scored[scale], expected, **TOLERANCE)


def test_alpha_equals_pingouin_on_every_scale_and_site(book):
    data, instruments, _ = book
    checked = 0
    for group in ("service_users", "care_coordinators"):
        frame = data.group(group)
        for inst in (i for i in instruments.values() if group in i.groups):
            items = item_matrix(frame, inst)
            for by in (None, "site"):
                table = cronbach_alpha_table(frame, inst, by, confidence=0.95, acceptable=0.7)
                for row in table.itertuples():
                    rows = items if by is None else items[frame["site"] == row.site]
                    complete = rows[list(inst.scales[row.subscale])].dropna()
                    alpha, (low, high) = pg.cronbach_alpha(data=complete, ci=0.95)
                    assert row.n_complete == len(complete)
                    assert row.alpha == pytest.approx(alpha, rel=1e-12)
                    assert (row.ci_low, row.ci_high) == (low, high)
                    checked += 1
    assert checked == 22 * 7


def test_alpha_interval_contains_alpha_when_narrower_than_its_rounding():
    # The same eight answers a hundred thousand times: alpha 0.94488..., a very narrow interval that
    # pingouin rounds to [0.945, 0.945], above alpha (a negative error bar in a figure).
    base = [[5, 5], [3, 3], [2, 2], [1, 2], [1, 1], [4, 5], [3, 4], [5, 4]]
    items = pd.DataFrame(np.tile(np.array(base, dtype=float), (100_000, 1)), columns=["a", "b"])
    with quiet():
        alpha, (low, high) = pg.cronbach_alpha(data=items, ci=0.95)
    assert low > alpha  # the rounding that crossed
    res = cronbach_alpha(items, confidence=0.95)
    assert res["alpha"] == pytest.approx(alpha, rel=1e-12)
    assert (res["ci_low"], res["ci_high"]) == (0.944, 0.945)
    assert res["ci_low"] <= res["alpha"] <= res["ci_high"]


def test_oneway_anova_equals_pingouin_and_scipy(book):
    _, _, scores = book
    for frame in outcomes(scores):
        ours = oneway_anova(frame, "score", "site").iloc[0]
        clean = frame[["score", "site"]].dropna()
        theirs = pg.anova(data=clean, dv="score", between="site", detailed=True)
        f, p = stats.f_oneway(*(g.to_numpy() for _, g in clean.groupby("site")["score"]))
        assert (ours.n, ours.k, ours.df_between, ours.df_within) == (len(clean), 6, 5, len(clean) - 6)
        np.testing.assert_allclose([ours.F, ours.p], [theirs.at[0, "F"], theirs.at[0, "p-unc"]], **TOLERANCE)
        np.testing.assert_allclose([ours.F, ours.p], [f, p], **TOLERANCE)
        ss = theirs["SS"].to_numpy()
        assert ours.eta_squared == pytest.approx(ss[0] / ss.sum(), rel=1e-12)


def test_tukey_equals_pingouin_and_scipy(book):
    _, _, scores = book
    for frame in outcomes(scores[scores.subscale == "Total"]):  # four outcomes: the distribution is slow
        ours = tukey_hsd(frame, "score", "site", alpha=0.05, confidence=0.95)
        clean = frame[["score", "site"]].dropna()
        theirs = pg.pairwise_tukey(data=clean, dv="score", between="site")
        groups = clean.groupby("site")["score"]
        labels = list(groups.groups)
        ci = stats.tukey_hsd(*(groups.get_group(g).to_numpy() for g in labels)).confidence_interval(0.95)
        a, b = theirs["A"].map(labels.index).to_numpy(), theirs["B"].map(labels.index).to_numpy()
        assert ours["group_a"].tolist() == theirs["A"].tolist() and ours["group_b"].tolist() == theirs["B"].tolist()
        for column, expected in [
            ("mean_a", theirs["mean(A)"]),
            ("mean_b", theirs["mean(B)"]),
            ("diff", theirs["diff"]),
            ("se", theirs["se"]),
            ("p_tukey", theirs["p-tukey"]),
            ("ci_low", ci.low[a, b]),
            ("ci_high", ci.high[a, b]),
        ]:
            np.testing.assert_allclose(ours[column].to_numpy(float), np.asarray(expected, float), **TOLERANCE)


def test_tukey_against_a_reference_keeps_the_same_values(book):
    _, _, scores = book
    frame = outcomes(scores)[0]
    every = tukey_hsd(frame, "score", "site", alpha=0.05, confidence=0.95)
    reference = every["group_a"].iloc[0]
    against = tukey_hsd(frame, "score", "site", reference, alpha=0.05, confidence=0.95)
    assert len(against) == 5 and set(against["group_b"]) == {reference}
    for row in against.itertuples():
        match = every[(every.group_a == reference) & (every.group_b == row.group_a)]
        assert row.p_tukey == match["p_tukey"].iloc[0] and row.diff == -match["diff"].iloc[0]


def test_correlations_equal_scipy(book):
    _, _, scores = book
    su = scores[(scores.group == "service_users") & (scores.subscale == "Total")]
    wide = su.pivot(index="participant_id", columns="measure", values="score")
    table = pearson_table(
        wide,
        [("RSA", "STAR-P"), ("RSA", "ES"), ("STAR-P", "ES")],
        confidence=0.95,
        sizes={"small": 0.1, "medium": 0.3, "large": 0.5},
    )
    for row in table.itertuples():
        clean = wide[[row.x, row.y]].dropna()
        r, p = stats.pearsonr(clean[row.x], clean[row.y])
        z, half = np.arctanh(r), stats.norm.ppf(0.975) / np.sqrt(len(clean) - 3)
        np.testing.assert_allclose([row.r, row.p], [r, p], **TOLERANCE)
        np.testing.assert_allclose([row.ci_low, row.ci_high], np.tanh([z - half, z + half]), **TOLERANCE)
