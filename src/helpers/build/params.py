"""Parameters of a run: parsing ``NAME=VALUE``, checking them against the analysis settings, and what each
chapter receives.

A run's parameters are analysis settings (``config/analysis.yaml``) overridden for that run only.
They are checked with :func:`helpers.io.load_config` before anything executes. Every chapter's
``parameters`` cell declares exactly::

    data_dir = ""
    output_dir = ""
    settings = {}

and the runner sets the three: the dataset folder, the result folder and the overridden settings
(name to value), which the chapter hands to ``load_config(overrides=settings)``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.io import (
    GROUPS,
    ID_COLUMN,
    SITE_COLUMN,
    AnalysisConfig,
    ConfigError,
    load_config,
    load_instruments,
    setting_names,
)
from helpers.io.readers import locate, read_checked

from .errors import BookError, ParameterError, UnknownParameterError

__all__ = [
    "CHAPTER_PARAMETERS",
    "RESERVED_PARAMETERS",
    "parse_param",
    "check_parameters",
    "dataset_columns",
    "meaning_problems",
    "notebook_parameters",
    "jsonable",
]

#: The names a chapter's ``parameters`` cell declares, all set by the runner.
CHAPTER_PARAMETERS = ("data_dir", "output_dir", "settings")
#: Chapter parameters that ``--param`` cannot set, and why.
RESERVED_PARAMETERS = {
    "data_dir": "the dataset folder is given with --data (run_book's data_dir)",
    "output_dir": "the output folder is set by the runner (--out / run_book's out_dir)",
    "settings": "give each analysis setting as its own --param NAME=VALUE",
}


def parse_param(text: str) -> tuple[str, Any]:
    """Parse one ``NAME=VALUE`` command-line parameter.

    ``VALUE`` is read as a Python literal (number, string in quotes, list, tuple,
    dict, ``True``, ``False``, ``None``); anything that is not a literal is kept as
    text, so ``reference_site=Artois`` needs no quotes.

    Raises
    ------
    ParameterError
        If there is no ``=`` or ``NAME`` is not a Python identifier.

    Examples
    --------
    >>> parse_param("alpha=0.01")
    ('alpha', 0.01)
    >>> parse_param("reference_site=Artois")
    ('reference_site', 'Artois')
    >>> parse_param("su_covariates=['age', 'gender']")
    ('su_covariates', ['age', 'gender'])
    >>> parse_param("starp_reference=None"), parse_param("label='3'"), parse_param("note=")
    (('starp_reference', None), ('label', '3'), ('note', ''))
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep:
        raise ParameterError(f"parameter {text!r} is not of the form NAME=VALUE")
    if not name.isidentifier():
        raise ParameterError(f"parameter name {name!r} is not a valid Python name (in {text!r})")
    raw = raw.strip()
    try:
        value = ast.literal_eval(raw) if raw else ""
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = raw
    return name, value


def jsonable(value: Any) -> Any:
    """``value`` as JSON types: mappings with text keys, lists for tuples and sets, ``repr`` of anything else.

    Examples
    --------
    >>> jsonable({"limits": (1.0, 2.0), 3: None})
    {'limits': [1.0, 2.0], '3': None}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def _config_problems(error: ConfigError) -> list[str]:
    """The listed problems of a :class:`~helpers.io.ConfigError` (its whole message if it lists none)."""
    listed = [line.strip()[2:] for line in str(error).splitlines() if line.startswith("  - ")]
    return listed or [str(error)]


#: The settings naming covariates of each participant group.
COVARIATE_SETTINGS = {"su_covariates": "service_users", "cc_covariates": "care_coordinators"}
#: The settings whose values must name something the dataset holds.
MEANING_SETTINGS = (*COVARIATE_SETTINGS, "categorical_covariates", "reference_site")


def dataset_columns(data_dir: str | Path) -> dict[str, list[str]]:
    """The columns of each questionnaire table of ``data_dir`` that could be covariates, and the site codes.

    Identifiers, sites and item columns are left out; the site codes are under the key
    ``"site codes"``. A table that cannot be read is left out (validation reports why); the
    required covariates of each group are always included.
    """
    found: dict[str, list[str]] = {group: list(contract.covariates) for group, contract in GROUPS.items()}
    not_covariates = {ID_COLUMN, SITE_COLUMN, *(i for inst in load_instruments().values() for i in inst.items)}
    for table in ("sites", *GROUPS):
        path, _ = locate(Path(data_dir), table)
        frame = read_checked(path, set())[0] if path is not None else None
        if frame is None:
            continue
        if table == "sites" and SITE_COLUMN in frame.columns:
            found["site codes"] = [str(v) for v in frame[SITE_COLUMN].dropna()]
        elif table != "sites":
            columns = [str(c) for c in frame.columns if str(c) not in not_covariates]
            found[table] = list(dict.fromkeys([*found[table], *columns]))
    return found


def meaning_problems(params: Mapping[str, Any], config: AnalysisConfig, columns: Mapping[str, list[str]]) -> list[str]:
    """What the parameters given for a run name that the dataset does not hold, with the valid values.

    Only settings given as parameters are checked: the settings file's own defaults (the
    article's reference site, say) may name what a dataset lacks, and the chapters then say so.

    Examples
    --------
    >>> cols = {"service_users": ["age", "gender"], "care_coordinators": ["age"], "site codes": ["A", "B"]}
    >>> cfg = load_config(overrides={"su_covariates": ["age", "gendr"], "reference_site": "C"})
    >>> for p in meaning_problems({"su_covariates": ["age", "gendr"], "reference_site": "C"}, cfg, cols):
    ...     print(p)
    parameter 'su_covariates' names 'gendr', not a column of the service_users table; valid: age, gender
    parameter 'reference_site' is 'C', not a site of the sites table; valid: A, B
    """
    problems = []
    for name, group in COVARIATE_SETTINGS.items():
        if name not in params:
            continue
        valid = columns.get(group, [])
        wrong = [c for c in getattr(config, name) if c not in valid]
        if wrong:
            listed = ", ".join(repr(c) for c in wrong)
            problems.append(
                f"parameter {name!r} names {listed}, not a column of the {group} table; valid: {', '.join(valid)}"
            )
    if "categorical_covariates" in params:
        covariates = list(dict.fromkeys([*config.su_covariates, *config.cc_covariates]))
        wrong = [c for c in config.categorical_covariates if c not in covariates]
        if wrong:
            listed = ", ".join(repr(c) for c in wrong)
            problems.append(
                f"parameter 'categorical_covariates' names {listed}, not a covariate of this run; "
                f"valid: {', '.join(covariates)}"
            )
    sites = columns.get("site codes")
    if params.get("reference_site") is not None and sites is not None and config.reference_site not in sites:
        problems.append(
            f"parameter 'reference_site' is {config.reference_site!r}, not a site of the sites table; "
            f"valid: {', '.join(sites)}"
        )
    return problems


def check_parameters(
    params: Mapping[str, Any], config_file: str | Path | None = None, data_dir: str | Path | None = None
) -> AnalysisConfig:
    """Check a run's parameters and return the analysis settings in force.

    Every name must be an analysis setting and every value must pass that
    setting's check (:func:`helpers.io.load_config` with ``overrides=params``).
    All problems are reported at once.

    Parameters
    ----------
    params : mapping
        Setting name to value for this run, e.g. ``{"alpha": 0.01}``.
    config_file : str or Path, optional
        The settings file; ``config/analysis.yaml`` of the project by default.
    data_dir : str or Path, optional
        The dataset folder: the covariates and the reference site given as parameters must
        then be columns and a site of it (:func:`meaning_problems`).

    Returns
    -------
    AnalysisConfig
        The file's settings with ``params`` on top.

    Raises
    ------
    UnknownParameterError
        If a name is not an analysis setting (the message lists every other problem too).
    ParameterError
        If a name is reserved for the runner or a value is not acceptable.
    BookError
        If the settings file itself has problems.

    Examples
    --------
    >>> check_parameters({"alpha": 0.01, "reference_site": "Artois"}).alpha
    0.01
    """
    try:
        load_config(config_file)
    except ConfigError as error:
        raise BookError(str(error)) from None
    known = setting_names()
    problems = [
        f"parameter {name!r} cannot be set: {why}" for name, why in RESERVED_PARAMETERS.items() if name in params
    ]
    unknown = [name for name in params if name not in known and name not in RESERVED_PARAMETERS]
    overrides = {name: value for name, value in params.items() if name in known}
    try:
        config = load_config(config_file, overrides=overrides)
    except ConfigError as error:
        problems += [
            f"parameter {p.removeprefix('setting ')}" if p.startswith("setting ") else p
            for p in _config_problems(error)
        ]
    if data_dir is not None:
        named = {k: v for k, v in overrides.items() if k in MEANING_SETTINGS}
        try:
            typed = load_config(config_file, overrides=named)
        except ConfigError:
            typed = None  # their types are wrong, reported above
        if typed is not None:
            problems += meaning_problems(named, typed, dataset_columns(data_dir))
    if unknown:
        raise UnknownParameterError(unknown, known, problems)
    if problems:
        raise ParameterError(problems, known)
    return config


def notebook_parameters(
    declared: Mapping[str, Any], params: Mapping[str, Any], data_dir: Path, output_dir: Path
) -> dict[str, Any]:
    """The parameters one chapter receives: those of :data:`CHAPTER_PARAMETERS` it declares.

    Parameters
    ----------
    declared : mapping
        The chapter's declared parameters by name (``papermill.inspect_notebook``).
    params : mapping
        The run's analysis settings overrides; passed as ``settings``.
    data_dir, output_dir : Path
        The dataset folder and the folder the chapter writes its tables and figures to.

    Examples
    --------
    >>> notebook_parameters({"data_dir": {}, "settings": {}}, {"alpha": 0.01}, Path("/d"), Path("/o"))
    {'data_dir': '/d', 'settings': {'alpha': 0.01}}
    """
    given = {"data_dir": str(data_dir), "output_dir": str(output_dir), "settings": jsonable(dict(params))}
    return {name: value for name, value in given.items() if name in declared}
