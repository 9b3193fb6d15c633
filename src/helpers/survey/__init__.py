"""Survey analyses shared by the chapters: every outcome scored, checked, compared and set beside the article.

An outcome is one scale of one instrument in one participant group (``group, measure,
subscale``). The functions loop over outcomes, sites and countries and call the statistics
of :mod:`helpers.stats`; each returns one tidy table. The settings of a run (significance
and confidence levels, the mean-replacement threshold, covariates, the post hoc rule, the
limits and sizes) are passed in by the caller from :class:`helpers.io.AnalysisConfig`, so the
book, the audit and the synthesis apply the same rules.
"""

from __future__ import annotations

from .adjusted import ADJUSTED_PAIR_COLUMNS, adjusted_means_by_outcome, adjusted_pairs_where_significant
from .checks import (
    ancova_residuals_by_outcome,
    assumption_checks,
    games_howell_by_outcome,
    slopes_by_outcome,
    with_covariates,
)
from .clustering import cluster_levels_present, icc_by_outcome, multilevel_by_outcome
from .correlations import correlation_strength_counts, correlations_with_published, total_correlations, wide_totals
from .countries import (
    countries_with_data,
    country_comparison,
    country_summaries,
    site_countries,
    site_spread,
    standardised_site_means,
)
from .feasibility import (
    ANALYSES,
    comparable,
    compare_units,
    feasibility,
    lookup,
    not_estimable,
    usable_covariates,
)
from .measures import compact_items, instrument_table, scale_table, site_counts, with_total_row
from .multiplicity import FAMILY, corrected_tests
from .outcomes import (
    ancova_by_outcome,
    anova_by_outcome,
    factor_covariates,
    outcome_scores,
    outcome_tests,
    select,
    site_summaries,
    site_summaries_with_published,
)
from .posthoc import (
    posthoc_outcomes,
    posthoc_table,
    posthoc_wanted,
    resolve_reference_site,
    tukey_by_outcome,
    tukey_where_significant,
)
from .quality import (
    alpha_by_outcome,
    alpha_with_published,
    missing_by_outcome,
    missing_overview,
    missing_with_published,
    non_answers_by_instrument,
    normality_by_outcome,
    normality_overview,
)
from .raters import MIN_RANKED_SITES, rank_agreement, rater_comparison
from .reference import reference_comparison, resolve_reference
from .sample import ALL_SITES, INVITED, response_rates, sample_characteristics
from .sensitivity import (
    sensitivity_by_outcome,
    sensitivity_compact,
    sensitivity_decisions,
    sensitivity_thresholds,
    sensitivity_wide,
)

__all__ = [
    # feasibility
    "ANALYSES",
    "feasibility",
    "not_estimable",
    "lookup",
    "compare_units",
    "comparable",
    "usable_covariates",
    # outcomes
    "outcome_scores",
    "select",
    "site_summaries",
    "site_summaries_with_published",
    "anova_by_outcome",
    "factor_covariates",
    "ancova_by_outcome",
    "outcome_tests",
    # post hoc
    "posthoc_wanted",
    "posthoc_outcomes",
    "resolve_reference_site",
    "tukey_by_outcome",
    "tukey_where_significant",
    "posthoc_table",
    # quality
    "alpha_by_outcome",
    "alpha_with_published",
    "missing_by_outcome",
    "non_answers_by_instrument",
    "missing_with_published",
    "missing_overview",
    "normality_by_outcome",
    "normality_overview",
    # sensitivity
    "sensitivity_thresholds",
    "sensitivity_by_outcome",
    "sensitivity_decisions",
    "sensitivity_wide",
    "sensitivity_compact",
    # measures
    "site_counts",
    "with_total_row",
    "compact_items",
    "instrument_table",
    "scale_table",
    # raters
    "rater_comparison",
    "rank_agreement",
    "MIN_RANKED_SITES",
    # reference values
    "resolve_reference",
    "reference_comparison",
    # countries
    "site_countries",
    "countries_with_data",
    "country_summaries",
    "country_comparison",
    "standardised_site_means",
    "site_spread",
    # correlations
    "wide_totals",
    "total_correlations",
    "correlations_with_published",
    "correlation_strength_counts",
    # checks and robust alternatives (beyond the article)
    "assumption_checks",
    "games_howell_by_outcome",
    "with_covariates",
    "slopes_by_outcome",
    "ancova_residuals_by_outcome",
    "ADJUSTED_PAIR_COLUMNS",
    "adjusted_means_by_outcome",
    "adjusted_pairs_where_significant",
    "FAMILY",
    "corrected_tests",
    "cluster_levels_present",
    "icc_by_outcome",
    "multilevel_by_outcome",
    # the sample
    "ALL_SITES",
    "INVITED",
    "sample_characteristics",
    "response_rates",
]
