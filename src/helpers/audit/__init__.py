"""Audit of the article's published statistics and the reproduction table: p values
recomputed from the printed test statistics (statcheck), F values recomputed from the
printed site means and SEMs, SEMs that no data on the scale could give, the flags these
checks raise and what they imply, and every published number beside the value a dataset
gives, with counts by status."""

from .checks import (
    audit_f_from_means,
    audit_sems,
    classify_p,
    f_from_summary,
    f_interval,
    max_possible_sd,
    p_interval_from_f,
    p_interval_from_r,
    statcheck,
)
from .flags import FLAG_COLUMNS, audit_flags, flag_consequences
from .reproduction import (
    EXCLUDED,
    EXCLUSION_RULES,
    NOT_REPRODUCED,
    REPRODUCED,
    RULE,
    STATUSES,
    reproduced_at_printed_precision,
    reproduction_counts,
    reproduction_exclusions,
    reproduction_problems,
    reproduction_summary,
    reproduction_table,
    rule_text,
)

__all__ = [
    "max_possible_sd",
    "f_from_summary",
    "f_interval",
    "p_interval_from_f",
    "p_interval_from_r",
    "classify_p",
    "audit_sems",
    "audit_f_from_means",
    "statcheck",
    "FLAG_COLUMNS",
    "audit_flags",
    "flag_consequences",
    "REPRODUCED",
    "NOT_REPRODUCED",
    "EXCLUDED",
    "EXCLUSION_RULES",
    "RULE",
    "STATUSES",
    "reproduced_at_printed_precision",
    "rule_text",
    "reproduction_exclusions",
    "reproduction_table",
    "reproduction_summary",
    "reproduction_counts",
    "reproduction_problems",
]
