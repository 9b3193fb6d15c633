"""Generic statistics, one test per function and a tidy DataFrame out (one row per effect):
scale scoring with person-mean replacement, reliability (Cronbach's alpha), missing data,
distribution shape, descriptive statistics by group, one-way ANOVA and ANCOVA, Tukey-Kramer
post hoc tests, comparisons of two means from summary statistics (between groups and with a
published reference), correlations with Cohen's size labels and an exact permutation test of
Spearman's rho, the exact r x c contingency test, the sensitivity analysis of the missing-item
threshold, and the significance decision; beyond the article, assumption checks (Levene /
Brown-Forsythe, slopes, residuals), Welch's ANOVA and Games-Howell pairs, effect sizes with
noncentral-F intervals, adjusted (estimated marginal) means and their pairwise comparisons,
multiplicity corrections, intraclass correlations and random-intercept models. Settings (levels,
thresholds) are always passed in."""

from .anova import ancova, oneway_anova
from .assumptions import levene_test, residual_checks, slopes_homogeneity
from .clustering import clustered_site_test, icc_oneway, site_variance_test
from .columns import as_list
from .comparisons import compare_with_reference, two_group_comparison
from .contingency import fisher_exact_rxc
from .correlation import cohen_label, pearson_table, spearman_permutation
from .descriptives import summary_by_group
from .distribution import normality_table, shape_statistics
from .effectsize import anova_effect_sizes, noncentrality_interval
from .emmeans import adjusted_means, adjusted_pairwise
from .missing import missing_share_summary, missing_summary, missing_table, non_answer_table
from .multiplicity import adjust_pvalues
from .posthoc import tukey_hsd
from .reliability import cronbach_alpha, cronbach_alpha_table
from .robust import games_howell, welch_anova
from .scoring import item_matrix, max_missing_items, score_long, score_scales
from .sensitivity import SENSITIVITY_COLUMNS, sensitivity_analysis
from .significance import is_significant

__all__ = [
    "adjust_pvalues",
    "adjusted_means",
    "adjusted_pairwise",
    "ancova",
    "anova_effect_sizes",
    "clustered_site_test",
    "games_howell",
    "icc_oneway",
    "levene_test",
    "noncentrality_interval",
    "residual_checks",
    "site_variance_test",
    "slopes_homogeneity",
    "welch_anova",
    "as_list",
    "cohen_label",
    "compare_with_reference",
    "cronbach_alpha",
    "cronbach_alpha_table",
    "fisher_exact_rxc",
    "is_significant",
    "item_matrix",
    "max_missing_items",
    "missing_share_summary",
    "missing_summary",
    "missing_table",
    "non_answer_table",
    "normality_table",
    "oneway_anova",
    "pearson_table",
    "score_long",
    "score_scales",
    "sensitivity_analysis",
    "SENSITIVITY_COLUMNS",
    "shape_statistics",
    "spearman_permutation",
    "summary_by_group",
    "tukey_hsd",
    "two_group_comparison",
]
