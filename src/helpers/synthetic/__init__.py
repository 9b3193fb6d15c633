"""Synthetic data: a SYNTHETIC COCAPP dataset whose item-level questionnaire answers
reproduce the article's published aggregates (targets taken from the published tables and
their audit, a missing-answer plan, a latent start and an annealed discrete search), and
synthetic interviews, framework summaries and care-plan reviews that carry the article's
qualitative findings. No row is a real participant; the same seed gives the same files."""

from .conclusions import CONCLUSIONS, manifest_conclusions, stated_conclusions
from .generate import GENERATOR, GENERATOR_VERSION, generate, write_synthetic
from .latent import ASSUMPTIONS_FILE
from .qualitative import (
    COUNTRY_WORDS,
    PATTERNS_FILE,
    PERSPECTIVE,
    QUALITATIVE_GENERATOR,
    QUALITATIVE_GENERATOR_VERSION,
    QUALITATIVE_STREAM,
    TEMPLATES_FILE,
    generate_qualitative,
    templates_for,
    write_qualitative,
)
from .targets import ScaleTarget, Targets, build_targets, targets_for

__all__ = [
    "CONCLUSIONS",
    "stated_conclusions",
    "manifest_conclusions",
    "GENERATOR",
    "GENERATOR_VERSION",
    "ASSUMPTIONS_FILE",
    "ScaleTarget",
    "Targets",
    "build_targets",
    "targets_for",
    "generate",
    "write_synthetic",
    "QUALITATIVE_STREAM",
    "QUALITATIVE_GENERATOR",
    "QUALITATIVE_GENERATOR_VERSION",
    "PATTERNS_FILE",
    "TEMPLATES_FILE",
    "COUNTRY_WORDS",
    "PERSPECTIVE",
    "templates_for",
    "generate_qualitative",
    "write_qualitative",
]
