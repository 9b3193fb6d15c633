"""The published tables and their audit turned into search targets."""

import pytest

from helpers.audit import audit_sems
from helpers.synthetic import build_targets, targets_for


@pytest.fixture(scope="module")
def targets(published, instruments):
    return build_targets(published, instruments)


def test_every_outcome_and_correlation_has_a_target(targets, published):
    assert {g: len(t.scales) for g, t in targets.items()} == {"service_users": 16, "care_coordinators": 6}
    assert len(targets["service_users"].correlations) == len(published.correlations)
    for group, t in targets.items():
        for scale in t.scales:
            assert sum(scale.site_n.values()) == published.anova.set_index(["group", "measure", "subscale"]).loc[
                (group, scale.measure, scale.subscale), "df_within"
            ] + len(scale.site_n)


def test_intervals_sit_inside_the_printed_rounding(targets, published):
    t = targets_for(targets["service_users"], "RSA", "Total")
    printed = published.site_means.query("group == 'service_users' and measure == 'RSA' and subscale == 'Total'")
    for rec in printed.itertuples(index=False):
        lo, hi = t.mean[rec.site]
        assert hi - lo == pytest.approx(0.98 * 0.01)
        assert (lo + hi) / 2 == pytest.approx(rec.mean)
    f = published.anova.query("group == 'service_users' and measure == 'RSA' and subscale == 'Total'")["F"].item()
    assert t.f == pytest.approx((f - 0.008, f + 0.008))
    assert t.alpha[1] - t.alpha[0] == pytest.approx(0.016)


def test_targets_follow_the_audit_rule(targets, published, instruments):
    su = targets["service_users"]
    its = targets_for(su, "RSA", "Individually Tailored Services")
    assert its.f is None  # the printed F cannot follow from its own row: not targeted
    assert its.sem_centre["Artois"] == pytest.approx(0.10)  # decimal slip of the printed 1.00
    life_goals = targets_for(su, "RSA", "Life Goals")
    assert life_goals.sem_centre["Champagne"] == pytest.approx(0.097)
    assert life_goals.f is not None
    # Every other SEM is targeted at its printed value.
    sems = audit_sems(published, instruments)
    kept = sems[sems["possible"]]
    assert (kept["sem_target"] == kept["sem_printed"]).all()


def test_three_outcomes_are_aimed_beyond_one(targets):
    skewed = [(g, s.measure, s.subscale) for g, t in targets.items() for s in t.scales if s.skew[1] < -1]
    assert len(skewed) == 3
