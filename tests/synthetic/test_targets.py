"""The published tables and their audit turned into search targets."""

import itertools

import numpy as np
import pytest
from scipy import stats

from helpers.audit import audit_sems
from helpers.synthetic import build_targets, targets_for
from helpers.synthetic.targets import country_safe_means, f_band, loosened, r_band


@pytest.fixture(scope="module")
def targets(published, instruments):
    return build_targets(published, instruments, alpha=0.05)


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
    row = published.anova.query("group == 'service_users' and measure == 'RSA' and subscale == 'Total'").iloc[0]
    # F 0.86 with p .509 on (5, 410): every F in the band prints as 0.86 and gives p .509
    for f in np.linspace(*t.f, 5):
        assert round(f, 2) == row["F"]
        assert round(float(stats.f.sf(f, row["df_between"], row["df_within"])), 3) == row["p_as_printed"]
    assert t.alpha[1] - t.alpha[0] == pytest.approx(0.98 * 0.01)
    wide = targets_for(loosened(targets["service_users"]), "RSA", "Total")
    assert wide.f[1] - wide.f[0] == pytest.approx(0.016) and wide.alpha[1] - wide.alpha[0] == pytest.approx(0.016)


def test_f_band_meets_both_printed_numbers():
    lo, hi = f_band(2.10, "2.10", 0.068, "0.068", 5, 195)
    assert 2.095 <= lo < hi <= 2.105
    for f in (lo, hi):
        assert round(float(stats.f.sf(f, 5, 195)), 3) == 0.068


def test_r_band_meets_the_printed_r_and_p():
    lo, hi = r_band(0.138, "0.138", 0.004, "0.004", 431)
    for r in (lo, hi):
        t = r * np.sqrt(429 / (1 - r * r))
        assert round(r, 3) == 0.138 and round(float(2 * stats.t.sf(t, 429)), 3) == 0.004
    lo, hi = r_band(0.607, "0.607", 0.0, "0.000", 409)
    assert (lo, hi) == pytest.approx((0.607 - 0.00049, 0.607 + 0.00049))


def test_country_safe_means_keep_every_corner_above_alpha(published, targets):
    # service users' ES Community Activism and Autonomy: at the printed means the site-mean t test
    # of England against Wales gives p = .026, but a corner of the rounding box allows p > .05
    rows = published.site_means.query("group == 'service_users' and subscale == 'Community Activism and Autonomy'")
    means = dict(zip(rows["site"], rows["mean"]))
    countries = dict(zip(published.sites["site"], published.sites["country"]))
    safe = country_safe_means(means, 0.005, countries, 0.05)
    assert safe is not None
    first = np.array([countries[s] == "England" for s in means])
    for corner in itertools.product(*(safe[s] for s in means)):
        m = np.array(corner)
        assert stats.ttest_ind(m[first], m[~first]).pvalue >= 0.05
    for s in means:
        assert means[s] - 0.005 <= safe[s][0] < safe[s][1] <= means[s] + 0.005
    # the corner is narrow (the printed means themselves give p = .026) but wider than the finest
    # step of a site mean, so the search aims at it
    assert 0.05 * 0.01 <= min(hi - lo for lo, hi in safe.values()) < 0.3 * 0.01
    aimed = targets_for(targets["service_users"], "ES", "Community Activism and Autonomy").mean
    assert aimed == safe
    # an outcome whose printed means are safe in part of the box keeps a wide interval
    cc = published.site_means.query("group == 'care_coordinators' and subscale == 'Individually Tailored Services'")
    wide = country_safe_means(dict(zip(cc["site"], cc["mean"])), 0.005, countries, 0.05)
    assert min(hi - lo for lo, hi in wide.values()) > 0.5 * 0.01
    assert country_safe_means({"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}, 0.005, dict(zip("ABCD", "EEWW")), 0.05) is None


def test_targets_follow_the_audit_rule(targets, published, instruments):
    su = targets["service_users"]
    its = targets_for(su, "RSA", "Individually Tailored Services")
    # the printed F cannot follow from its own row: aimed at the F its row allows, not significant
    assert its.f is not None and its.f[1] < stats.f.isf(0.05, 5, 405) and not its.significant
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
