"""The mixed-methods synthesis (helpers.synthesis): rules, the exact permutation test,
the joint display and the country meta-inference, on hand-made examples."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import qualitative as ql
from helpers import synthesis as sy

BOOK = ql.load_codebook()


# --------------------------------------------------------------------------- rules


def test_judgement_rules_table():
    expected = {
        ("higher", "higher"): "agreement", ("lower", "lower"): "agreement",
        ("higher", "lower"): "dissonance", ("lower", "higher"): "dissonance",
        ("higher", "similar"): "partial agreement", ("lower", "similar"): "partial agreement",
        ("not different", "higher"): "partial agreement", ("mixed", "lower"): "partial agreement",
        ("not different", "similar"): "agreement", ("mixed", "similar"): "agreement",
    }
    rules = sy.judgement_rules().set_index(["survey position", "interview position"])["judgement"]
    assert len(rules) == len(sy.POSITIONS) * len(sy.QUAL_POSITIONS)
    for key, judgement in expected.items():
        assert rules[key] == judgement, key
    silent = rules[[s == "no data" or q == "no data" for s, q in rules.index]]
    assert (silent == "silence").all() and len(silent) == len(sy.POSITIONS) + len(sy.QUAL_POSITIONS) - 1


def test_collaboration_position_and_words():
    scores = pd.Series({"a": 0.5, "b": 0.0, "c": 0.1, "d": -0.4, "e": float("nan")})
    # Mean of the others: a 1/30 -> +0.47 higher; b 0.0667 -> -0.07 similar; c 0.0333 -> similar;
    # d 0.2 -> -0.6 lower; e no data.
    assert sy.collaboration_position(scores).to_dict() == {
        "a": "higher", "b": "similar", "c": "similar", "d": "lower", "e": "no data"}
    assert sy.collaboration_position(pd.Series({"a": 0.9, "b": float("nan")})).tolist() == ["no data", "no data"]
    assert [sy.collaboration_words(s) for s in (1 / 3, 0.33, -1 / 3)] == [
        "mostly collaborative", "mixed", "mostly professional-led"]


def _scores(values: dict[str, list[float]], measure: str = "STAR-P") -> pd.DataFrame:
    rows = [("service_users", measure, "Total", f"{site}{k}", site, v)
            for site, vs in values.items() for k, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])


def test_survey_position_rule():
    high = _scores({"A": [10, 11, 12, 10, 11, 12], "B": [1, 2, 3, 1, 2, 3], "C": [1.5, 2, 2.5, 1.5, 2, 2.5]})
    survey = sy.survey_by_site(high, ["A", "B", "C", "D"], measures=[("service_users", "STAR-P", "Total", "x")])
    got = survey.set_index("site")
    assert got["position"].to_dict() == {"A": "higher", "B": "lower", "C": "lower", "D": "no data"}
    assert got.loc["A", "higher_than"] == "B, C" and got.loc["B", "lower_than"] == "A"
    flat = _scores({"A": [1, 2, 3, 4], "B": [1, 2, 3, 4.5], "C": [1, 2, 3.5, 4]})
    survey = sy.survey_by_site(flat, ["A", "B", "C"], measures=[("service_users", "STAR-P", "Total", "x")])
    assert (survey["position"] == "not different").all() and survey["anova_p"].iloc[0] > 0.05


def test_joint_display_judgements_follow_the_rules():
    """A hand-made example: one site in each situation the rules distinguish."""
    survey = pd.DataFrame({
        "site": list("ABCDE"), "measure": "STAR-P", "label": "STAR-P total", "n": [20, 20, 20, 20, 0],
        "mean": [40.0, 30.0, 35.0, 36.0, np.nan], "ci_low": [38, 28, 33, 34, np.nan],
        "ci_high": [42, 32, 37, 38, np.nan], "anova_p": 0.001,
        "higher_than": ["B", "", "", "", ""], "lower_than": ["", "A", "", "", ""],
        "position": ["higher", "lower", "not different", "not different", "no data"],
    })
    qual = pd.DataFrame({
        "site": list("ABCDE"), "country": ["England"] * 3 + ["Wales"] * 2, "n_interviews": 10,
        "collab_n": [8, 8, 8, 8, 8], "collaboration": [0.6, 0.5, 0.0, -0.5, 0.1],
        "collab_position": ["higher", "higher", "similar", "lower", "similar"],
        "collab_words": "mixed", "risk_n": 4, "risk_share": 0.25, "risk_words": "rarely", "plans_n": 2,
        "plans_risk_shared": 0, "record_share": 0.8, "unused_share": 0.7,
        "plan_use": "valued as records, seldom consulted",
    })
    joint = sy.joint_display(survey, qual)
    assert joint["STAR-P_judgement"].tolist() == [
        "agreement",          # A: survey higher, interviews higher
        "dissonance",         # B: survey lower, interviews higher
        "agreement",          # C: neither strand sets it apart
        "partial agreement",  # D: only the interviews set it apart
        "silence",            # E: no survey data
    ]
    assert joint.loc[0, "STAR-P_versus"] == "above B" and joint.loc[2, "STAR-P_versus"] == "no significant difference"
    shown = sy.joint_display_table(joint, measures=("STAR-P",))
    assert shown.loc[0, "STAR-P"] == "40.00 [38.00, 42.00]; above B"
    assert shown.loc[4, "STAR-P"] == "no data"
    assert shown["judgement (STAR-P)"].tolist() == joint["STAR-P_judgement"].tolist()
    assert sy.judgement_sentence(joint, "STAR-P") == (
        "On STAR-P: agreement at 2 sites, partial agreement at 1 (D), dissonance at 1 (B) and silence at 1 (E).")


# --------------------------------------------------------------------------- the exact permutation test


def test_permutation_p_is_exact_for_perfect_concordance():
    r = sy.spearman_permutation([1, 2, 3, 4], [5, 6, 7, 8])
    assert r.rho == 1.0 and r.n_orderings == 24
    assert r.p_greater == 1 / 24          # only the identity ordering reaches rho = 1
    assert r.p_two_sided == 2 / 24        # ... and its mirror reaches rho = -1
    assert r.p_less == 1.0
    r6 = sy.spearman_permutation(range(6), [0.1, 0.5, 0.9, 1.3, 2.0, 2.2])
    assert r6.n_orderings == 720 and r6.p_greater == 1 / 720 and r6.min_p == 1 / 720


def test_permutation_p_for_perfect_discordance_and_n3():
    r = sy.spearman_permutation([1, 2, 3, 4], [8, 7, 6, 5])
    assert r.rho == -1.0 and r.p_less == 1 / 24 and r.p_greater == 1.0
    r3 = sy.spearman_permutation([1, 2, 3], [1, 2, 3])
    assert r3.p_greater == 1 / 6 and math.isnan(r3.critical_rho)  # no ordering of 3 can reach p < 0.05


def test_permutation_p_by_hand_n4():
    """x ranks 1..4, y ranks (1, 2, 4, 3): sum d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8. Orderings with
    sum d^2 <= 2 are the identity (0) and the three adjacent swaps (2): p = 4/24."""
    r = sy.spearman_permutation([1, 2, 3, 4], [1, 2, 4, 3])
    assert r.rho == pytest.approx(0.8)
    assert r.p_greater == pytest.approx(4 / 24)


def test_permutation_matches_brute_force_with_ties():
    x = [0.2, 0.2, -0.1, 0.5, 0.0, 0.5]
    y = [33.5, 36.1, 32.3, 38.5, 34.1, 34.5]
    r = sy.spearman_permutation(x, y)
    rho_obs = stats.spearmanr(x, y).statistic
    rhos = [stats.spearmanr(x, perm).statistic for perm in itertools.permutations(y)]
    assert r.rho == pytest.approx(rho_obs)
    assert r.p_greater == pytest.approx(np.mean([v >= rho_obs - 1e-9 for v in rhos]))
    assert r.p_two_sided == pytest.approx(np.mean([abs(v) >= abs(rho_obs) - 1e-9 for v in rhos]))


def test_critical_rho_for_six_sites():
    """Without ties, the exact one-sided 5 % critical value of Spearman's rho for n = 6 is 0.829."""
    r = sy.spearman_permutation(range(6), [3, 1, 4, 0, 5, 2])
    assert round(r.critical_rho, 3) == 0.829


def test_permutation_degenerate_cases():
    assert math.isnan(sy.spearman_permutation([1, 1, 1], [1, 2, 3]).rho)
    assert math.isnan(sy.spearman_permutation([1, np.nan], [1, 2]).rho)
    with pytest.raises(ValueError, match="orderings"):
        sy.spearman_permutation(range(10), range(10))


def test_hypothesis_tests_and_wording():
    joint = pd.DataFrame({"collaboration": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
                          "STAR-P_mean": [30, 31, 32, 33, 34, 35.0], "RSA_mean": [3.3, 3.1, 3.2, 3.0, 3.4, 3.1],
                          "collab_n": [8, 9, 10, 11, 12, 13]})
    tests = sy.hypothesis_tests(joint, measures=("STAR-P", "RSA")).set_index("measure")
    assert tests.loc["STAR-P", "supported"] and tests.loc["STAR-P", "p_one_sided"] == pytest.approx(1 / 720)
    assert not tests.loc["RSA", "supported"]
    text = sy.hypothesis_sentence(tests.reset_index().iloc[0], 0.05)
    assert "consistent with the hypothesis" in text and "720 orderings of 6 sites" in text
    caveat = sy.hypothesis_caveat(tests.reset_index(), joint, 0.05)
    assert "720 ways to order them" in caveat and "ρ = 0.83" in caveat and "8–13 accounts" in caveat


# --------------------------------------------------------------------------- countries


def _country_example(pb_wales: str) -> tuple[pd.DataFrame, ql.QualData]:
    sites = pd.DataFrame({"site": ["E1", "E2", "W1", "W2"], "country": ["England", "England", "Wales", "Wales"]})
    scores = _scores({"E1": [30, 31, 32], "E2": [30.5, 31.5, 32.5], "W1": [38, 39, 40], "W2": [38.5, 39.5, 40.5]})
    rows, cells = [], []
    for site in sites["site"]:
        initial = site[0]
        for k, role in enumerate(["SM", "SU", "CC"], start=1):
            pid = f"{initial}-{role}-{site[1]}{k:02d}"
            rows.append((pid, site, role, None))
        wales = site.startswith("W")
        cells += [(f"{initial}-SM-{site[1]}01", "personalisation", "", pb_wales if wales else "pb_promoted"),
                  (f"{initial}-SU-{site[1]}02", "care_planning", "",
                   "cp_collaborative" if wales else "cp_professional_led"),
                  (f"{initial}-CC-{site[1]}03", "care_planning", "", "cp_collaborative")]
    interviews = pd.DataFrame(rows, columns=list(ql.INTERVIEW_COLUMNS))
    framework = pd.DataFrame(cells, columns=list(ql.FRAMEWORK_COLUMNS))
    q = ql.QualData(interviews, framework, ql.empty_tables(BOOK)["care_plans"], sites, BOOK, True)
    return scores, q


def test_country_meta_inference_rules():
    scores, q = _country_example("pb_resisted")
    meta = sy.country_meta_inference(scores, q, domains=sy.DOMAINS[:1] + sy.DOMAINS[2:3]).set_index("domain")
    # Wales higher on the survey (significantly) and on collaboration at every site: agreement.
    assert meta.loc["collaboration", "survey_testable"] and meta.loc["collaboration", "survey_p"] < 0.05
    assert meta.loc["collaboration", "jointly"] == "the strands agree on a country difference"
    assert "higher in every site of Wales" in meta.loc["collaboration", "interviews_say"]
    # No ES scores in this example: the survey cannot speak, the interviews contrast the countries.
    assert meta.loc["personalisation", "survey_says"].startswith("not testable")
    assert meta.loc["personalisation", "jointly"] == "only the interviews separate the countries"


def test_country_meta_inference_opposite_directions():
    scores, q = _country_example("pb_promoted")
    scores = scores.assign(score=-scores["score"])  # England now higher on the survey
    meta = sy.country_meta_inference(scores, q, domains=sy.DOMAINS[:1]).set_index("domain")
    assert meta.loc["collaboration", "jointly"] == "the strands point in opposite directions"


def test_synthesis_without_interviews_is_silent():
    scores, q = _country_example("pb_resisted")
    empty = ql.QualData(*ql.empty_tables(BOOK).values(), q.sites, BOOK, False)
    survey = sy.survey_by_site(scores, empty.site_list, measures=[("service_users", "STAR-P", "Total", "x")])
    joint = sy.joint_display(survey, sy.qualitative_by_site(empty))
    assert (joint["STAR-P_judgement"] == "silence").all()
    tests = sy.hypothesis_tests(joint, measures=("STAR-P",))
    assert tests["n_sites"].iloc[0] == 0 and not tests["supported"].iloc[0]
    assert "no site has" in sy.hypothesis_sentence(tests.iloc[0], 0.05)
    meta = sy.country_meta_inference(scores, empty, domains=sy.DOMAINS[:1])
    assert meta["jointly"].iloc[0] == "no interviews: only the survey strand has data"
