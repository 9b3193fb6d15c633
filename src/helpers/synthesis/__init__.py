"""Mixed-methods synthesis: the survey and the interviews brought together, site by site and by country.

The study was a convergent design: the two strands were analysed separately and then
integrated, each site a case. This subpackage does the integration with explicit rules, so
that every judgement follows from the numbers and the analysis settings: each site's survey
result (site means, ANOVA and Tukey's test) and interview summary (collaboration score,
risk discussion, plan use) with the rules that turn them into positions and words; the
joint display with a convergence judgement per site and measure; the study's hypothesis as
an exact permutation test of Spearman's rho across sites; and the meta-inference for
England and Wales. Results are tidy tables of numbers and categories; their wording and
figures are in :mod:`helpers.report.synthesis_text` and :mod:`helpers.report.synthesis_figures`.
"""

from .countries import DOMAINS, SURVEY_STATUSES, Domain, country_contrasts, country_meta_inference
from .hypothesis import hypothesis_tests
from .joint import joint_display
from .rules import (
    JUDGEMENTS,
    POSITIONS,
    QUAL_POSITIONS,
    collaboration_position,
    collaboration_words,
    frequency_word,
    judge,
    judgement_rules,
    plan_use_words,
)
from .strands import MEASURE_NAMES, SURVEY_MEASURES, qualitative_by_site, survey_by_site

__all__ = [
    "DOMAINS",
    "JUDGEMENTS",
    "MEASURE_NAMES",
    "POSITIONS",
    "QUAL_POSITIONS",
    "SURVEY_MEASURES",
    "SURVEY_STATUSES",
    "Domain",
    "collaboration_position",
    "collaboration_words",
    "country_contrasts",
    "country_meta_inference",
    "frequency_word",
    "hypothesis_tests",
    "joint_display",
    "judge",
    "judgement_rules",
    "plan_use_words",
    "qualitative_by_site",
    "survey_by_site",
]
