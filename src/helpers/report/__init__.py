"""Presentation of results: formatting, tables, notices, glue, figures and labels.

Everything that turns a result into something a reader sees lives here: numbers into
short strings (:mod:`.format`), tidy frames into display tables (:mod:`.tables`, with the
standard layouts in :mod:`.tables_results`), notices in HTML with every data-derived string
escaped (:mod:`.html`), glued texts and figures and the files a run writes (:mod:`.glue`),
one look for every figure (:mod:`.style`), labels and small phrases that carry no finding
(:mod:`.labels`) and the figures by topic (``figures_*``). The chapters write their own
sentences from these pieces. The interviews and the synthesis have their own modules of
this package, imported by module: their notices and tables of words
(:mod:`.interviews_text`, :mod:`.synthesis_text`) and their figures
(:mod:`.interviews_figures`, :mod:`.synthesis_figures`).
"""

from .feasibility_tables import feasibility_published, feasibility_rows, feasibility_table
from .figures_audit import STATUS_COLOURS, reproduction_deviation_plot, reproduction_status_plot
from .figures_cross_site import correlation_plot, country_site_plot, reference_plot, standardised_heatmap
from .figures_quality import alpha_plot, missing_plot, sensitivity_plot
from .figures_sites import means_on_axis, rater_plot, site_means_plot, subscale_means_plot
from .format import MISSING, ci_label, fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct, is_missing, shown_path
from .glue import glue_figure, glue_text, resolve_data_dir, save_figure, save_table, save_tables
from .html import DATA_BANNER_KEY, HTML, admonition, data_banner, escape, glue_data_banner
from .labels import (
    ALL_SITES,
    capital,
    covariate_phrase,
    data_label,
    group_label,
    join_words,
    n_range_phrase,
    outcome_label,
    outcome_labels,
    plural,
    published_label,
    share_word,
    significance_word,
    threshold_label,
    thresholds_text,
)
from .style import PALETTE, set_style, site_colours
from .tables import SHORT_FORMATS, StyledTable, ci_strings, table
from .tables_results import (
    correlation_table,
    country_table,
    outcome_tests_table,
    reference_table,
    reproduction_detail_table,
    site_means_table,
    tukey_table,
)

__all__ = [
    "MISSING",
    "is_missing",
    "shown_path",
    "fmt_num",
    "fmt_int",
    "fmt_pct",
    "fmt_p",
    "fmt_ci",
    "ci_label",
    "SHORT_FORMATS",
    "StyledTable",
    "table",
    "feasibility_rows",
    "feasibility_table",
    "feasibility_published",
    "ci_strings",
    "site_means_table",
    "outcome_tests_table",
    "tukey_table",
    "reference_table",
    "country_table",
    "correlation_table",
    "reproduction_detail_table",
    "HTML",
    "escape",
    "admonition",
    "data_banner",
    "DATA_BANNER_KEY",
    "glue_data_banner",
    "resolve_data_dir",
    "glue_text",
    "glue_figure",
    "save_table",
    "save_tables",
    "save_figure",
    "PALETTE",
    "set_style",
    "site_colours",
    "ALL_SITES",
    "join_words",
    "plural",
    "capital",
    "share_word",
    "group_label",
    "outcome_label",
    "outcome_labels",
    "published_label",
    "data_label",
    "covariate_phrase",
    "n_range_phrase",
    "threshold_label",
    "thresholds_text",
    "significance_word",
    "means_on_axis",
    "site_means_plot",
    "subscale_means_plot",
    "rater_plot",
    "missing_plot",
    "alpha_plot",
    "sensitivity_plot",
    "reference_plot",
    "country_site_plot",
    "standardised_heatmap",
    "correlation_plot",
    "STATUS_COLOURS",
    "reproduction_status_plot",
    "reproduction_deviation_plot",
]
