"""The analysis settings: one file, one typed object.

Every setting of the analysis (significance and confidence levels, the mean-replacement
threshold, covariates, the reference site and the decision rules) is read from
``config/analysis.yaml``. Chapters and the runner take their values from here; a run may
override keys for itself (``cocapp run --param alpha=0.01``) without editing the file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from .paths import CONFIG_FILE

__all__ = ["AnalysisConfig", "ConfigError", "load_config", "setting_names"]

POSTHOC_RULES = ("either", "anova", "both")
LEVENE_CENTERS = ("median", "mean")
EMM_ADJUSTMENTS = ("tukey", "sidak")
MULTIPLICITY_METHODS = ("none", "holm", "fdr_bh")


class ConfigError(ValueError):
    """An analysis setting is unknown, missing or of the wrong kind; lists every problem."""


@dataclass(frozen=True)
class AnalysisConfig:
    """The settings in force for one run (see ``config/analysis.yaml`` for each one's meaning)."""

    alpha: float
    confidence: float
    max_missing: float
    sensitivity_thresholds: tuple[float, ...]
    acceptable_reliability: float
    normality_limits: tuple[float, float]
    su_covariates: tuple[str, ...]
    cc_covariates: tuple[str, ...]
    categorical_covariates: tuple[str, ...]
    posthoc_when: str
    reference_site: str | None
    correlation_sizes: Mapping[str, float]
    difference_sizes: Mapping[str, float]
    target_power: float
    starp_reference: Mapping[str, Any] | None
    es_reference: Mapping[str, Any] | None
    collaboration_margin: float
    collaboration_word_threshold: float
    frequency_thresholds: tuple[float, float]
    plan_use_threshold: float
    max_exact_sites: int
    suppress_below: int
    round_counts_to: int
    publish_quotations: bool
    identifier_names: str | None
    levene_center: str
    emm_adjustment: str
    multiplicity: str
    cluster_levels: tuple[str, ...]

    def covariates(self, group: str) -> list[str]:
        """The ANCOVA covariates of ``group`` (``"service_users"`` or ``"care_coordinators"``)."""
        return list({"service_users": self.su_covariates, "care_coordinators": self.cc_covariates}[group])

    @property
    def covariate_sets(self) -> dict[str, list[str]]:
        """Covariates per participant group."""
        return {"service_users": list(self.su_covariates), "care_coordinators": list(self.cc_covariates)}

    @property
    def confidence_label(self) -> str:
        """The confidence level as a table header reads it, e.g. ``"95 % CI"``."""
        return f"{100 * self.confidence:g} % CI"

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain Python values (lists for tuples), in file order."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def setting_names() -> list[str]:
    """The names of every analysis setting, in file order."""
    return [f.name for f in fields(AnalysisConfig)]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _share(value: Any, low_open: bool = True) -> bool:
    return _number(value) and (0 < value < 1 if low_open else 0 <= value < 1)


def _texts(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value)


def _sizes(value: Any, upper: float | None) -> bool:
    if not (isinstance(value, Mapping) and set(value) == {"small", "medium", "large"}):
        return False
    sizes = [value["small"], value["medium"], value["large"]]
    in_range = all(_number(x) and x > 0 and (upper is None or x < upper) for x in sizes)
    return in_range and sizes[0] < sizes[1] < sizes[2]


def _reference(value: Any) -> bool:
    return value is None or (isinstance(value, Mapping) and {"mean", "sd", "n"} <= set(value))


#: Each setting's check and the words naming what it must be.
_CHECKS = {
    "alpha": (_share, "a number between 0 and 1"),
    "confidence": (_share, "a number between 0 and 1"),
    "max_missing": (lambda v: _share(v, low_open=False), "a share from 0 up to (not including) 1"),
    "sensitivity_thresholds": (
        lambda v: isinstance(v, list | tuple) and len(v) > 0 and all(_share(t, low_open=False) for t in v),
        "a list of shares from 0 up to 1",
    ),
    "acceptable_reliability": (_share, "a number between 0 and 1"),
    "normality_limits": (
        lambda v: isinstance(v, list | tuple) and len(v) == 2 and all(_number(x) and x > 0 for x in v),
        "two positive numbers",
    ),
    "su_covariates": (_texts, "a list of column names"),
    "cc_covariates": (_texts, "a list of column names"),
    "categorical_covariates": (_texts, "a list of column names"),
    "posthoc_when": (lambda v: v in POSTHOC_RULES, f"one of {', '.join(POSTHOC_RULES)}"),
    "reference_site": (lambda v: v is None or (isinstance(v, str) and v != ""), "a site name or null"),
    "correlation_sizes": (
        lambda v: (
            isinstance(v, Mapping)
            and set(v) == {"small", "medium", "large"}
            and all(_share(x) for x in v.values())
            and v["small"] < v["medium"] < v["large"]
        ),
        "small, medium and large as increasing numbers between 0 and 1",
    ),
    "starp_reference": (_reference, "null or a mapping with mean, sd and n"),
    "es_reference": (_reference, "null or a mapping with mean, sd and n"),
    "collaboration_margin": (lambda v: _number(v) and 0 <= v <= 2, "a number from 0 to 2"),
    "collaboration_word_threshold": (lambda v: _number(v) and 0 < v <= 1, "a number above 0, at most 1"),
    "frequency_thresholds": (
        lambda v: isinstance(v, list | tuple) and len(v) == 2 and all(_share(x) for x in v) and v[0] < v[1],
        "two increasing shares between 0 and 1",
    ),
    "plan_use_threshold": (_share, "a number between 0 and 1"),
    "suppress_below": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "a whole number, at least 1 (1 suppresses nothing)",
    ),
    "round_counts_to": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "a whole number, at least 1 (1 leaves counts as they are)",
    ),
    "publish_quotations": (lambda v: isinstance(v, bool), "true or false"),
    "identifier_names": (lambda v: v is None or (isinstance(v, str) and v != ""), "a file path or null"),
    "max_exact_sites": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and 3 <= v <= 10,
        "a whole number from 3 to 10",
    ),
    "levene_center": (lambda v: v in LEVENE_CENTERS, f"one of {', '.join(LEVENE_CENTERS)}"),
    "emm_adjustment": (lambda v: v in EMM_ADJUSTMENTS, f"one of {', '.join(EMM_ADJUSTMENTS)}"),
    "multiplicity": (lambda v: v in MULTIPLICITY_METHODS, f"one of {', '.join(MULTIPLICITY_METHODS)}"),
    "cluster_levels": (
        lambda v: isinstance(v, list | tuple) and all(isinstance(x, str) and x for x in v),
        "a list of column names (may be empty)",
    ),
}


def _freeze(name: str, value: Any) -> Any:
    if name in {"sensitivity_thresholds", "normality_limits", "frequency_thresholds"}:
        return tuple(float(v) for v in value)
    if name in {"su_covariates", "cc_covariates", "categorical_covariates", "cluster_levels"}:
        return tuple(value)
    if name in {
        "alpha",
        "confidence",
        "max_missing",
        "acceptable_reliability",
        "collaboration_margin",
        "collaboration_word_threshold",
        "plan_use_threshold",
        "target_power",
    }:
        return float(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def load_config(path: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> AnalysisConfig:
    """Read the analysis settings, with a run's ``overrides`` on top.

    Parameters
    ----------
    path : str or Path, optional
        A settings file; ``config/analysis.yaml`` of the project by default.
    overrides : mapping, optional
        Settings for this run only, by name (as ``cocapp run --param`` passes them).

    Returns
    -------
    AnalysisConfig

    Raises
    ------
    ConfigError
        Naming the file and every unknown, missing or invalid setting at once.

    Examples
    --------
    >>> cfg = load_config(overrides={"alpha": 0.01})
    >>> cfg.alpha, cfg.confidence_label
    (0.01, '95 % CI')
    """
    source = Path(path) if path is not None else CONFIG_FILE
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{source}: cannot read the analysis settings ({error})") from None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: the analysis settings must be a mapping of names to values")
    known = setting_names()
    problems = [f"unknown setting {k!r} in the file" for k in raw if k not in known]
    problems += [f"unknown setting {k!r} given for this run" for k in (overrides or {}) if k not in known]
    values = {**raw, **{k: v for k, v in (overrides or {}).items() if k in known}}
    problems += [f"setting {k!r} is missing" for k in known if k not in values]
    for name, (check, wanted) in _CHECKS.items():
        if name in values and not check(values[name]):
            problems.append(f"setting {name!r} is {values[name]!r}; it must be {wanted}")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(
            f"{source}: {len(problems)} problem(s) with the analysis settings\n{listed}\n"
            f"known settings: {', '.join(known)}"
        )
    return AnalysisConfig(**{name: _freeze(name, values[name]) for name in known})
