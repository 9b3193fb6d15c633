"""The figures draw whatever sites and outcomes the tables hold, and label intervals with their level."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from helpers.audit import STATUSES, reproduction_counts, reproduction_table
from helpers.io import SYNTHETIC_DIR
from helpers.report import figures_audit, figures_cross_site, figures_quality, figures_sites
from helpers.survey import (
    alpha_by_outcome,
    alpha_with_published,
    missing_by_outcome,
    missing_with_published,
    rater_comparison,
    reference_comparison,
    resolve_reference,
    select,
    sensitivity_by_outcome,
    site_countries,
    site_summaries,
    standardised_site_means,
    total_correlations,
)

SYNTHETIC_SITES = ("Artois", "Burgundy", "Champagne", "Dauphine", "Languedoc", "Provence")


def titles(fig) -> list[str]:
    return [ax.get_title() for ax in fig.axes] + ([fig._suptitle.get_text()] if fig._suptitle else [])


def check(fig, title_part: str | None = None) -> None:
    assert isinstance(fig, matplotlib.figure.Figure)
    if title_part:
        assert any(title_part in t for t in titles(fig)), titles(fig)
    plt.close(fig)


def test_site_means_figures_draw_any_sites(small_scores, cfg):
    summaries = site_summaries(small_scores, confidence=cfg.confidence)
    total = summaries[summaries["subscale"] == "Total"]
    fig = figures_sites.site_means_plot(
        total, "Title here", "Mean", reference="North", flags={"West": "*"}, score_range=(0, 48), note="note"
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Mean" and "0–48" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["North", "South", "West"]
    assert sorted(t.get_text() for t in ax.texts) == ["#", "*"]
    check(fig, "Title here")
    fig = figures_sites.subscale_means_plot(summaries, "Panels", "Mean")
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["Total", "Flat"]
    check(fig, "Panels")


@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_interval_labels_follow_the_confidence(
    scores, synthetic, instruments, published, confidence, cfg, overlapping_labels
):
    label = f"{100 * confidence:g} % CI"
    summaries = site_summaries(scores, confidence=confidence)
    raters = rater_comparison(select(summaries, measure="RSA"))
    fig = figures_sites.rater_plot(raters, "a", "b", "Raters", confidence=confidence)
    assert all(label in a.get_xlabel() for a in fig.axes if a.get_visible() and a.get_xlabel())
    check(fig, "Raters")
    alphas = alpha_with_published(
        alpha_by_outcome(synthetic, instruments, confidence=confidence, acceptable=cfg.acceptable_reliability),
        published,
    )
    fig = figures_quality.alpha_plot(alphas, cfg.acceptable_reliability, confidence=confidence)
    assert f"this data ({label})" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(alphas) == 22 and overlapping_labels(fig.axes[0]) == []
    assert cfg.acceptable_reliability in [line.get_xdata()[0] for line in fig.axes[0].get_lines()]
    check(fig, "Internal consistency")
    totals = select(summaries, subscale="Total")
    fig = figures_cross_site.country_site_plot(totals, site_countries(synthetic).to_dict(), confidence=confidence)
    assert fig.axes[0].get_ylabel() == f"Site mean ({label})"
    check(fig, "country")
    sizes = {"small": 0.2, "medium": 0.4, "large": 0.6}
    by_site = total_correlations(scores, confidence=confidence, sizes=sizes, by_site=True)
    overall = total_correlations(scores, confidence=confidence, sizes=sizes)
    fig = figures_cross_site.correlation_plot(by_site, overall, confidence=confidence, sizes=sizes)
    assert fig.axes[0].get_xlabel() == f"Pearson's r ({label})"
    assert "Cohen's 0.2, 0.4, 0.6" in fig._suptitle.get_text()
    assert {0.2, 0.4, 0.6} <= {line.get_xdata()[0] for line in fig.axes[0].get_lines()}
    check(fig, "Correlations")
    ref = resolve_reference(instruments["STAR-P"])
    comparison = reference_comparison(scores, ref, "service_users", "STAR-P", alpha=cfg.alpha, confidence=confidence)
    fig = figures_cross_site.reference_plot(comparison, "STAR-P total", confidence)
    assert fig.axes[0].get_xlabel() == f"Difference from the reference mean ({label})"
    check(fig, "STAR-P total")
    check(figures_cross_site.reference_plot(comparison.iloc[0:0], "ES total", confidence))


def test_quality_and_cross_site_figures(scores, synthetic, instruments, published, tests_all, cfg, overlapping_labels):
    sens = sensitivity_by_outcome(synthetic, instruments, thresholds=(0.0, 0.5))
    fig = figures_quality.sensitivity_plot(sens, cfg.alpha, 0.5)
    assert cfg.alpha in [line.get_ydata()[0] for line in fig.axes[0].get_lines()]
    check(fig, "mean-replacement")
    missing = missing_with_published(missing_by_outcome(synthetic, instruments, max_missing=cfg.max_missing), published)
    fig = figures_quality.missing_plot(missing, "the article")
    assert len(fig.axes[0].get_yticklabels()) == len(missing)
    assert overlapping_labels(fig.axes[0]) == []
    check(fig, "Missing")
    z = standardised_site_means(scores)
    fig = figures_cross_site.standardised_heatmap(z, tests_all, countries=site_countries(synthetic).to_dict())
    marked = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text().endswith(" *")]
    assert len(marked) == int((tests_all["flag"] != "neither").sum())
    assert overlapping_labels(fig.axes[0]) == []
    check(fig, "Standardised")


def test_reproduction_figures(published, instruments, cfg, overlapping_labels):
    rep = reproduction_table(SYNTHETIC_DIR, published, instruments, settings=cfg)
    fig = figures_audit.reproduction_status_plot(reproduction_counts(rep, by="source"), STATUSES)
    assert sum(len(c) for c in fig.axes[0].containers) == len(STATUSES) * rep["source"].nunique()
    check(fig, "status")
    fig = figures_audit.reproduction_deviation_plot(rep)
    assert overlapping_labels(fig.axes[0]) == []
    check(fig, "Distance")


def test_nothing_names_the_synthetic_sites():
    """The figures, labels and tables take site names from the data only."""
    folder = Path(figures_sites.__file__).parent
    modules = sorted(folder.glob("figures_*.py"))
    modules += [folder / "labels.py", folder / "tables_results.py"]
    for path in modules:
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith((">>>", "...")))
        for site in SYNTHETIC_SITES:
            assert site not in code, f"{path.name} names {site}"
