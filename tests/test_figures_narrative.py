"""Tests of the chapter helpers: the additions to ``helpers.analysis`` and ``helpers.report``,
``helpers.narrative`` (results into words) and ``helpers.figures``.

Expected values are computed independently (scipy, numpy, itertools) where a helper
computes; wording is checked for the choice it must make from the numbers, and for
following the data (site names, counts) rather than the synthetic defaults.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import analysis, audit, figures, narrative, report
from helpers.dataio import load_dataset, write_dataset
from helpers.inference import compare_with_reference
from helpers.paths import SYNTHETIC_DIR
from helpers.reproduce import STATUSES, reproduction_table

matplotlib.use("Agg")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tests_all(scores, synthetic, published):
    return analysis.outcome_tests(analysis.anova_by_outcome(scores), analysis.ancova_by_outcome(scores, synthetic),
                                  0.05, published)


@pytest.fixture(scope="module")
def other_dataset(tmp_path_factory, instruments):
    """The synthetic data with one site renamed and one dropped, not marked synthetic."""
    folder = tmp_path_factory.mktemp("other") / "data"
    tables = {n: pd.read_csv(SYNTHETIC_DIR / f"{n}.csv", dtype={"participant_id": str})
              for n in ("sites", "service_users", "care_coordinators")}
    for name, frame in tables.items():
        frame = frame[frame["site"] != "Champagne"].copy()
        frame["site"] = frame["site"].replace({"Artois": "Gascony"})
        tables[name] = frame.reset_index(drop=True)
    write_dataset(folder, tables["sites"], tables["service_users"], tables["care_coordinators"])
    return load_dataset(folder, instruments)


@pytest.fixture
def small_scores():
    """Three sites with a clear difference on one outcome and none on another."""
    rng = np.random.default_rng(11)
    rows = []
    for site, shift in (("North", 0.0), ("South", 0.0), ("West", 1.5)):
        for k in range(30):
            rows.append(("service_users", "X", "Total", f"{site}-{k}", site, 3 + shift + rng.normal(0, 0.5)))
            rows.append(("service_users", "X", "Flat", f"{site}-{k}", site, 3 + rng.normal(0, 0.5)))
    return pd.DataFrame(rows, columns=["group", "measure", "subscale", "participant_id", "site", "score"])


# --------------------------------------------------------------------------- analysis additions


def test_site_counts_follow_the_data(synthetic, other_dataset, published):
    counts = analysis.site_counts(synthetic, published)
    assert counts["service_users"].sum() == len(synthetic.service_users)
    assert (counts["service_users"] == counts["published_service_users"]).all()
    other = analysis.site_counts(other_dataset, published)
    gascony = other.set_index("site").loc["Gascony"]
    assert gascony["in_data"] and not gascony["in_article"] and np.isnan(gascony["published_service_users"])
    absent = other[~other["in_data"]]["site"].tolist()
    assert sorted(absent) == ["Artois", "Champagne"]
    sentence = narrative.site_count_sentence(other)
    assert "Gascony" in sentence and "Champagne" in sentence
    assert narrative.site_count_sentence(counts) == "The counts match the article's Table 1 at every site."


def test_instrument_and_scale_tables_show_key_status(instruments):
    table = analysis.instrument_table(instruments)
    assert table["measure"].tolist() == list(instruments)
    assert table["key_verified"].tolist() == [i.key_verified for i in instruments.values()]
    assert table["status"].str.len().gt(0).all()
    scales = analysis.scale_table(instruments)
    assert len(scales) == sum(len(i.scales) for i in instruments.values())
    starp_total = scales[(scales["measure"] == "STAR-P") & (scales["scale"] == "Total")].iloc[0]
    assert (starp_total["score_min"], starp_total["score_max"]) == (0.0, 48.0)


def test_compact_items():
    assert analysis._compact_items(["a_01", "a_02", "a_03", "a_05", "b"]) == "a_01–a_03, a_05, b"


def test_missing_and_alpha_beside_published(synthetic, instruments, published):
    missing = analysis.missing_with_published(analysis.missing_by_outcome(synthetic, instruments), published)
    assert missing["published_n_complete"].notna().all()
    expected = 1 - missing["published_n_complete"] / missing["n"]
    np.testing.assert_allclose(missing["published_share_missing"], expected)
    overview = analysis.missing_overview(missing)
    assert overview["source"].tolist() == ["this data", "article"]
    assert overview.loc[0, "mean"] == pytest.approx(missing["share_missing"].mean())
    alphas = analysis.alpha_with_published(analysis.alpha_by_outcome(synthetic, instruments), published)
    assert alphas["published_alpha"].notna().sum() == 22


def test_normality_overview_counts(scores):
    normality = analysis.normality_by_outcome(scores)
    overview = analysis.normality_overview(normality).set_index("criterion")
    assert overview.loc["beyond ±1", "this_data"] == normality["beyond_1"].sum()
    assert overview.loc["beyond ±2", "article"] == 0


def test_sensitivity_decisions_detect_a_change():
    sens = pd.DataFrame({"group": "g", "measure": "m", "subscale": ["a"] * 3 + ["b"] * 3,
                         "threshold": [0.0, 0.2, 0.5] * 2, "n": [10, 11, 12] * 2,
                         "p": [0.01, 0.03, 0.2, 0.5, 0.6, 0.7], "eta_squared": [0.3, 0.2, 0.1] * 2,
                         "df_between": 2, "df_within": 9, "F": 1.0})
    dec = analysis.sensitivity_decisions(sens, 0.05).set_index("subscale")
    assert dec.loc["a", "changes"] and dec.loc["a", "significant_at"] == (0.0, 0.2)
    assert dec.loc["b", "decision"] == "not significant throughout"
    compact = analysis.sensitivity_compact(sens, 0.05)
    assert [c for c in compact.columns if isinstance(c, float)] == [0.0, 0.2, 0.5]
    assert compact.loc[0, "n_range"] == "10–12"
    sentence = narrative.sensitivity_sentence(analysis.sensitivity_decisions(sens, 0.05), 0.05)
    assert "changed" in sentence and "m a (significant at 0 % and 20 %, not at 50 %)" in sentence
    assert narrative.sensitivity_verdict(dec.reset_index()) == "changed the inference for 1 of the 2 outcomes"
    assert analysis.sensitivity_thresholds(0.35) == [0.0, 0.2, 0.3, 0.35, 0.4, 0.5]


def test_outcome_tests_flags_and_tukey(small_scores):
    tests = analysis.outcome_tests(analysis.anova_by_outcome(small_scores), None, 0.05)
    flags = tests.set_index("subscale")["flag"]
    assert flags["Total"] == "unadjusted only" and flags["Flat"] == "neither"
    tukey = analysis.tukey_where_significant(small_scores, tests, 0.05)
    assert set(tukey["subscale"]) == {"Total"}
    post = analysis.posthoc_table(tukey, tests)
    assert post.groupby("subscale")["posthoc_run"].first().to_dict() == {"Flat": False, "Total": True}
    ref = analysis.tukey_where_significant(small_scores, tests, 0.05, reference="West")
    assert set(ref["group_b"]) == {"West"} and len(ref) == 2
    # an absent reference falls back to every pair rather than failing
    assert len(analysis.tukey_where_significant(small_scores, tests, 0.05, reference="Nowhere")) == 3
    none = analysis.tukey_where_significant(small_scores, tests.assign(significant=False), 0.05)
    assert none.empty and list(none.columns)[:3] == analysis.OUTCOME
    assert not analysis.posthoc_table(none, tests).empty


def test_spearman_exact_matches_enumeration():
    x, y = [3.1, 2.9, 3.4, 3.0, 2.5, 3.3], [3.4, 3.3, 3.6, 3.2, 3.1, 3.2]
    rho, p = analysis.spearman_exact(x, y)
    assert rho == pytest.approx(stats.spearmanr(x, y).statistic)
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    perms = [stats.spearmanr(rx, perm).statistic for perm in itertools.permutations(ry)]
    assert p == pytest.approx(np.mean(np.abs(perms) >= abs(rho) - 1e-12))
    assert all(np.isnan(v) for v in analysis.spearman_exact([1, 2], [2, 1]))


def test_rater_comparison_and_rank_agreement(scores):
    summaries = analysis.site_summaries(analysis.select(scores, measure="RSA"))
    raters = analysis.rater_comparison(summaries, "RSA")
    assert len(raters) == 6 * 6
    su = summaries[(summaries.group == "service_users") & (summaries.subscale == "Total")].set_index("site")["mean"]
    cc = summaries[(summaries.group == "care_coordinators") & (summaries.subscale == "Total")].set_index("site")["mean"]
    total = raters[raters["subscale"] == "Total"].set_index("site")
    np.testing.assert_allclose(total["diff"], (cc - su).loc[total.index])
    agreement = analysis.rank_agreement(raters).set_index("subscale")
    assert agreement.loc["Total", "n_second_higher"] == int(((cc - su) > 0).sum())


def test_resolve_reference(instruments):
    starp, es = instruments["STAR-P"], instruments["ES"]
    ref = analysis.resolve_reference(starp)
    assert (ref.mean, ref.sd, ref.n) == (37.0, 8.7, 167) and "12:145" in ref.source
    assert analysis.resolve_reference(es) is None
    own = analysis.resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50, "source": "x"})
    assert own.scale == "Total" and own.n == 50
    with pytest.raises(ValueError, match="source"):
        analysis.resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50})
    with pytest.raises(ValueError, match="scale"):
        analysis.resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50, "source": "x", "scale": "Nope"})


def test_reference_comparison(scores, instruments):
    ref = analysis.resolve_reference(instruments["STAR-P"])
    cmp = analysis.reference_comparison(scores, ref, "service_users", "STAR-P", 0.05)
    assert cmp["site"].iloc[0] == "All sites" and len(cmp) == 7
    values = analysis.select(scores, group="service_users", measure="STAR-P", subscale="Total")["score"].dropna()
    t, p = stats.ttest_ind_from_stats(values.mean(), values.std(ddof=1), len(values), 37.0, 8.7, 167, equal_var=False)
    assert cmp.loc[0, "t"] == pytest.approx(t) and cmp.loc[0, "p"] == pytest.approx(p)
    expected = compare_with_reference(values.mean(), values.std(ddof=1), len(values), 37.0, 8.7, 167)
    assert cmp.loc[0, "hedges_g"] == pytest.approx(expected.loc[0, "hedges_g"])
    assert analysis.reference_comparison(scores, None, "service_users", "ES").empty
    sentence = narrative.reference_sentence(cmp, ref, "STAR-P total", 0.05)
    assert ref.source in sentence
    assert ("significantly lower" in sentence) == bool(cmp.loc[0, "p"] < 0.05 and cmp.loc[0, "diff"] < 0)


def test_country_comparison_uses_sites_as_units(scores, synthetic, other_dataset, instruments):
    countries = analysis.site_countries(synthetic)
    cmp = analysis.country_comparison(scores, countries, 0.05)
    assert len(cmp) == 22 and cmp["testable"].all()
    total = analysis.select(scores, group="service_users", measure="STAR-P", subscale="Total").dropna(subset=["score"])
    site_means = total.groupby("site")["score"].mean()
    england = site_means[countries[site_means.index] == "England"]
    wales = site_means[countries[site_means.index] == "Wales"]
    res = stats.ttest_ind(wales, england)
    row = analysis.select(cmp, group="service_users", measure="STAR-P", subscale="Total").iloc[0]
    assert row["t"] == pytest.approx(res.statistic) and row["p"] == pytest.approx(res.pvalue)
    assert row["df"] == len(site_means) - 2
    other_scores = analysis.outcome_scores(other_dataset, instruments)
    lone = analysis.country_comparison(other_scores, analysis.site_countries(other_dataset))
    assert not lone["testable"].any() and "only one site in Wales" in lone["note"].iloc[0]
    assert "only one site in Wales" in narrative.country_caveat(pd.Series({"England": 4, "Wales": 1}))
    summaries = analysis.country_summaries(scores, countries)
    assert set(summaries["country"]) == {"England", "Wales"}
    assert summaries.groupby(analysis.OUTCOME)["n_sites"].sum().eq(6).all()


def test_standardised_means_and_spread(scores):
    z = analysis.standardised_site_means(scores)
    one = analysis.select(z, group="care_coordinators", measure="RSA", subscale="Choice").set_index("site")
    data = analysis.select(scores, group="care_coordinators", measure="RSA", subscale="Choice")["score"].dropna()
    site = analysis.select(scores, group="care_coordinators", measure="RSA", subscale="Choice")
    expected = (site.groupby("site")["score"].mean() - data.mean()) / data.std(ddof=1)
    np.testing.assert_allclose(one["z"], expected.loc[one.index])
    spread = analysis.site_spread(z)
    assert spread["z_range"].is_monotonic_decreasing
    assert spread.loc[0, "site_max"] in set(z["site"])


def test_correlations_with_published(scores, published):
    corr = analysis.correlations_with_published(analysis.total_correlations(scores), published)
    assert corr["published_r"].notna().all()
    by_site = analysis.total_correlations(scores, by_site=True)
    counts = analysis.correlation_strength_counts(by_site)
    assert (counts[["large", "medium", "small", "negligible"]].sum(axis=1) == counts["n_sites"]).all()


def test_reproduction_counts_and_audit_flags(synthetic, published, instruments):
    rep = reproduction_table(synthetic, published, instruments)
    overall = analysis.reproduction_counts(rep)
    assert overall.loc[0, "total"] == len(rep) == overall.loc[0, list(STATUSES)].sum()
    by_source = analysis.reproduction_counts(rep, by="source")
    assert by_source["total"].sum() == len(rep)
    problems = analysis.reproduction_problems(rep)
    assert (problems["status"] != STATUSES[0]).all()
    checks = audit.statcheck(published)
    f_audit = audit.audit_f_from_means(published, instruments)
    sems = audit.audit_sems(published, instruments)
    flags = analysis.audit_flags(sems, f_audit, checks)
    expected = (~sems["possible"]).sum() + (~f_audit["consistent"]).sum() + (checks["status"] != "consistent").sum()
    assert len(flags) == expected
    full = analysis.flag_consequences(flags, f_audit, published, 0.05)
    f_rows = full[full["check"].str.startswith("F ")]
    for r in f_rows.itertuples():
        df = published.anova.set_index(analysis.OUTCOME).loc[(r.group, r.measure, r.subscale)]
        assert r.p_low == pytest.approx(stats.f.sf(r.expected_high, df["df_between"], df["df_within"]))
    explanations = narrative.audit_explanations(flags, published.site_means)
    assert len(explanations) == len(flags) and all(explanations)


def test_with_total_row_and_select():
    frame = pd.DataFrame({"site": ["A", "B"], "n": [1, 2], "group": "g", "measure": "m", "subscale": ["s", "t"]})
    total = analysis.with_total_row(frame, "site", columns=["n"])
    assert total["n"].tolist() == [1, 2, 3]
    assert len(analysis.select(frame, subscale="t")) == 1


# --------------------------------------------------------------------------- narrative: wording chosen by the numbers


def test_significance_wording_flips_with_the_data(small_scores):
    tests = analysis.outcome_tests(analysis.anova_by_outcome(small_scores), None, 0.05)
    text = narrative.significant_outcomes_sentence(tests, 0.05)
    assert text.startswith("1 of the 2 scales differed significantly") and "X total" in text
    calm = narrative.significant_outcomes_sentence(tests[tests["subscale"] == "Flat"], 0.05)
    assert calm.startswith("The scale did not differ significantly")
    assert "no decision" in narrative.adjustment_sentence(tests.assign(p_adj=tests["p"],
                                                                       significant_adj=tests["significant"]), 0.05)


def test_tukey_sentence_names_the_data_sites(small_scores):
    tests = analysis.outcome_tests(analysis.anova_by_outcome(small_scores), None, 0.05)
    tukey = analysis.tukey_where_significant(small_scores, tests, 0.05, reference="North")
    text = narrative.tukey_sentence(tukey, tests, 0.05, reference="North")
    assert text.startswith("Against North") and "West higher" in text
    assert narrative.site_marks(tukey, 0.05) == {"West": "**"}


def test_rank_agreement_phrase_is_cautious():
    assert "could easily arise by chance" in narrative.rank_agreement_phrase(0.6, 0.3, 6, 0.05)
    assert "say little" in narrative.rank_agreement_phrase(0.0, 1.0, 5, 0.05)
    assert "opposite" in narrative.rank_agreement_phrase(-0.8, 0.05, 6, 0.05)
    assert "unlikely to be chance" in narrative.rank_agreement_phrase(0.95, 0.003, 6, 0.05)


def test_chance_and_country_sentences():
    assert "no more than chance" in narrative.chance_sentence(22, 1, 0.05)
    assert "no more than chance" not in narrative.chance_sentence(22, 5, 0.05)
    caveat = narrative.country_caveat(pd.Series({"England": 3, "Wales": 2}))
    assert "3 sites in England and 2 in Wales" in caveat and "3 degrees of freedom" in caveat


def test_labels_for_synthetic_and_own_data():
    assert narrative.published_label(False) == "article (published)"
    assert narrative.data_label(True).endswith("(synthetic)")
    assert narrative.outcome_label("care_coordinators", "RSA", "Choice") == "care coordinators' RSA Choice"


def test_reproduction_sentence_depends_on_the_kind_of_data():
    counts = pd.DataFrame([{"total": 10, "reproduced": 2, "not reproduced": 8, "published value inconsistent": 0,
                            "share_reproduced": 0.2}])
    own = narrative.reproduction_sentence(counts, synthetic=False)
    assert "Only a minority" in own and "how far this dataset is from the article" in own
    assert "generated to reproduce" in narrative.reproduction_sentence(counts, synthetic=True)


def test_key_status_sentences(instruments):
    table = analysis.instrument_table(instruments)
    unverified = narrative.key_status_sentence(table.assign(key_verified=False))
    assert unverified.startswith("None of the 3 instrument files")
    assert "verified" in narrative.key_status_sentence(table.assign(key_verified=True))
    assert "STAR-P" in narrative.key_consequence_sentence(table.assign(key_verified=False))


# --------------------------------------------------------------------------- report additions


def test_table_is_stable_and_formatted():
    frame = pd.DataFrame({"site": ["A"], "n": [3], "p": [0.0001], "share": [0.25], "ok": [True]})
    t1 = report.table(frame, "t-test", caption="Cap", formats={"p": "p", "share": "pct"})
    t2 = report.table(frame, "t-test", caption="Cap", formats={"p": "p", "share": "pct"})
    html = t1._repr_html_()
    assert html == t2._repr_html_() and 'id="T_t-test"' in html and "Cap" in html
    assert "< 0.001" in html and "25.0 %" in html and "yes" in html
    assert "0x" not in repr(t1)
    renamed = report.table(frame, "t-test2", columns={"site": "Site", "p": "p value"}, formats={"p": "p"})
    assert "Site" in renamed._repr_html_() and "n</th>" not in renamed._repr_html_()


def test_standard_tables_render(tests_all, scores, published):
    html = report.outcome_tests_table(tests_all, "t-x", "cap", with_group=True)._repr_html_()
    assert "F (df): published" in html and "3.45 (5, 429)" in html
    summaries = analysis.site_summaries_with_published(analysis.site_summaries(scores), published)
    assert "mean: published" in report.site_means_table(summaries, "t-y", "cap")._repr_html_()


def test_glue_figure_saves_and_closes(tmp_path, capsys):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert report.glue_figure("fig-x", fig, tmp_path, "x") is None
    path = tmp_path / "figures" / "x.png"
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert not plt.fignum_exists(fig.number)
    assert report.save_tables({"t": pd.DataFrame({"a": [1]})}, tmp_path) is None
    assert (tmp_path / "tables" / "t.csv").is_file()


# --------------------------------------------------------------------------- figures


def _check(fig, title_part: str | None = None):
    assert isinstance(fig, matplotlib.figure.Figure)
    titles = [ax.get_title() for ax in fig.axes] + ([fig._suptitle.get_text()] if fig._suptitle else [])
    if title_part:
        assert any(title_part in t for t in titles), titles
    plt.close(fig)


def test_figures_draw_any_sites(small_scores, tests_all, scores, synthetic, instruments, published):
    summaries = analysis.site_summaries(small_scores)
    total = summaries[summaries["subscale"] == "Total"]
    fig = figures.site_means_plot(total, "Title here", "Mean", reference="North", flags={"West": "*"},
                                  score_range=(0, 48), note="note")
    assert fig.axes[0].get_ylabel() == "Mean" and "0–48" in fig.axes[0].get_xlabel()
    _check(fig, "Title here")
    _check(figures.subscale_means_plot(summaries, "Panels", "Mean"), "Panels")
    sens = analysis.sensitivity_by_outcome(synthetic, instruments, (0.0, 0.5))
    _check(figures.sensitivity_plot(sens, 0.05, 0.5), "mean-replacement")
    missing = analysis.missing_with_published(analysis.missing_by_outcome(synthetic, instruments), published)
    _check(figures.missing_plot(missing), "Missing")
    alphas = analysis.alpha_with_published(analysis.alpha_by_outcome(synthetic, instruments), published)
    _check(figures.alpha_plot(alphas), "Internal consistency")
    z = analysis.standardised_site_means(scores)
    _check(figures.standardised_heatmap(z, tests_all, countries=analysis.site_countries(synthetic).to_dict()),
           "Standardised")
    totals = analysis.select(analysis.site_summaries(scores), subscale="Total")
    _check(figures.country_site_plot(totals, analysis.site_countries(synthetic).to_dict()), "country")
    by_site = analysis.total_correlations(scores, by_site=True)
    _check(figures.correlation_plot(by_site, analysis.total_correlations(scores)), "Correlations")
    raters = analysis.rater_comparison(analysis.site_summaries(analysis.select(scores, measure="RSA")))
    _check(figures.rater_plot(raters, "a", "b", "Raters"), "Raters")
    ref = analysis.resolve_reference(instruments["STAR-P"])
    cmp = analysis.reference_comparison(scores, ref, "service_users", "STAR-P")
    _check(figures.reference_plot(cmp, "STAR-P total"), "STAR-P total")
    _check(figures.reference_plot(cmp.iloc[0:0], "ES total"))


def test_reproduction_figures(synthetic, published, instruments):
    rep = reproduction_table(synthetic, published, instruments)
    _check(figures.reproduction_status_plot(analysis.reproduction_counts(rep, by="source"), STATUSES), "status")
    _check(figures.reproduction_deviation_plot(rep), "Distance")


def test_site_colours_are_stable():
    a = figures.site_colours(["B", "A", "C"])
    b = figures.site_colours(["C", "A", "B"])
    assert a == b and list(a) == ["A", "B", "C"]


def test_nothing_names_the_synthetic_sites():
    """The chapter helpers take site names from the data only."""
    src = Path(narrative.__file__).parent
    for module in ("narrative.py", "figures.py"):
        text = (src / module).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith((">>>", "...")))
        for site in ("Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence"):
            assert site not in code, f"{module} names {site}"
