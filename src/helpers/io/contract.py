"""The data contract: which files a dataset folder holds and which columns they need.

A dataset folder holds ``sites``, ``service_users`` and ``care_coordinators`` tables
(``.csv``, ``.xlsx`` or SPSS ``.sav``) and optionally a ``manifest.json``. Item columns
are not listed here: they come from the instrument definitions of the instruments each
group completed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "GroupContract",
    "GROUPS",
    "SITE_COLUMNS",
    "OPTIONAL_SITE_COLUMNS",
    "OPTIONAL_GROUP_COLUMNS",
    "GROUPING_COLUMN",
    "NO_GROUPING_LABEL",
    "ID_COLUMN",
    "SITE_COLUMN",
    "TABLES",
    "FORMATS",
    "MANIFEST",
    "AGE_RANGE",
    "OUTCOME",
]

ID_COLUMN = "participant_id"
SITE_COLUMN = "site"

#: Required columns of ``sites``; other columns (population, setting, ...) are kept as they are.
#: A site is any comparison unit: a trust, a team, a service.
SITE_COLUMNS = ("site",)
#: The optional free grouping label of the sites (a country, a region, ...): sites carrying
#: the same label form a group for the between-group comparisons.
GROUPING_COLUMN = "country"
#: The grouping label of a site whose label is blank or whose sites table has no grouping column.
NO_GROUPING_LABEL = "no label given"
#: Optional columns of ``sites``: the grouping label and the numbers invited (whole numbers).
OPTIONAL_SITE_COLUMNS = (GROUPING_COLUMN, "invited_service_users", "invited_care_coordinators")
#: Optional text columns of the questionnaire tables: a respondent's team and, for service
#: users, their care coordinator's ``participant_id``.
OPTIONAL_GROUP_COLUMNS = {"service_users": ("team", "care_coordinator_id"), "care_coordinators": ("team",)}

#: Columns that identify one scale outcome (a list, for ``groupby``).
OUTCOME = ["group", "measure", "subscale"]

#: Accepted file formats, in the order they are looked for.
FORMATS = (".csv", ".xlsx", ".sav")
#: Optional file marking a dataset folder, e.g. ``{"synthetic": true}``.
MANIFEST = "manifest.json"
#: Plausible participant ages in years (inclusive).
AGE_RANGE = (16, 100)


@dataclass(frozen=True)
class GroupContract:
    """Columns one participant group's questionnaire file must hold besides the items.

    Attributes
    ----------
    name : str
        Group name, also the file stem (``service_users.csv``).
    label : str
        Human-readable group name.
    numeric_covariates : tuple of str
        Covariates measured on a numeric scale (ages and durations in years).
    categorical_covariates : tuple of str
        Covariates recorded as categories (text labels).
    """

    name: str
    label: str
    numeric_covariates: tuple[str, ...]
    categorical_covariates: tuple[str, ...]

    @property
    def covariates(self) -> tuple[str, ...]:
        """All ANCOVA covariates, in the order the study listed them."""
        order = {"age": 0, "gender": 1, "ethnicity": 2}
        return tuple(sorted(self.numeric_covariates + self.categorical_covariates, key=lambda c: order.get(c, 3)))

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Participant id, site and covariates (item columns come from the instruments)."""
        return (ID_COLUMN, SITE_COLUMN, *self.covariates)


GROUPS = {
    "service_users": GroupContract(
        name="service_users",
        label="Service users",
        numeric_covariates=("age", "years_in_services"),
        categorical_covariates=("gender", "ethnicity", "relationship_status"),
    ),
    "care_coordinators": GroupContract(
        name="care_coordinators",
        label="Care coordinators",
        numeric_covariates=("age", "years_in_mental_health", "years_as_care_coordinator"),
        categorical_covariates=("gender", "ethnicity"),
    ),
}

#: Table names, also the file stems of a dataset folder.
TABLES = ("sites", *GROUPS)
