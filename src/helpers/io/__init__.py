"""Input layer of the analysis: everything read from disk, checked and typed.

Project paths and the analysis settings; the questionnaire definitions (instruments);
the data contract of a dataset folder, its readers, validation (a report naming file,
column and spreadsheet rows of every problem) and the typed :class:`Dataset`; the
qualitative strand's contract, code book, validation, typed tables, :class:`QualData`
and NVivo framework-matrix import and export; and the article's published values.
This layer imports nothing from the rest of the package.
"""

from .codebook import (
    Code,
    CodeBook,
    CodeBookError,
    Divergence,
    Indicator,
    PlanField,
    Theme,
    TriadItem,
    load_codebook,
)
from .config import AnalysisConfig, ConfigError, load_config, setting_names
from .contract import (
    AGE_RANGE,
    FORMATS,
    GROUPING_COLUMN,
    GROUPS,
    ID_COLUMN,
    MANIFEST,
    NO_GROUPING_LABEL,
    OPTIONAL_GROUP_COLUMNS,
    OPTIONAL_SITE_COLUMNS,
    OUTCOME,
    SITE_COLUMN,
    SITE_COLUMNS,
    TABLES,
    GroupContract,
)
from .dataset import Dataset, load_dataset, snapshot_dataset, write_dataset
from .instruments import (
    STORED_DIRECTIONS,
    Instrument,
    InstrumentDefinitionError,
    Reference,
    load_instrument,
    load_instruments,
)
from .nvivo import long_to_nvivo, nvivo_to_long, parse_bracketed_codes, read_nvivo_matrix
from .paths import (
    CONFIG_FILE,
    DATA_DIR,
    INSTRUMENTS_DIR,
    NOTEBOOKS_DIR,
    PROJECT_ROOT,
    QUALITATIVE_DIR,
    REFERENCE_DIR,
    SYNTHETIC_DIR,
)
from .problems import DATA_PROBLEM_KINDS, FIRST_DATA_ROW, DataValidationError, Problem, ValidationReport, format_rows
from .published import (
    RETURNS_COLUMN,
    TABLE1_COLUMNS,
    Published,
    allocate,
    analysed_site_ns,
    article_text_values,
    load_published,
    load_text_values,
    printed_decimals,
    rounding_interval,
)
from .qual_contract import (
    CARE_PLAN_KEYS,
    CODE_SEPARATOR,
    FRAMEWORK_COLUMNS,
    INTERVIEW_COLUMNS,
    NO,
    NVIVO_TABLE,
    QUAL_PROBLEM_KINDS,
    QUAL_TABLES,
    ROLE_ORDER,
    ROLE_PLURALS,
    ROLES,
    SENIOR_ROLES,
    STAFF_ROLES,
    TRIAD_SEPARATOR,
    USER_ROLES,
    YES,
    YES_NO,
    join_codes,
    participant_label,
    site_initial,
    split_codes,
    split_triads,
)
from .qual_validation import QualitativeInspection, inspect_qualitative
from .qualdata import QualData, empty_tables, from_dataset, typed_tables
from .readers import manifest_doubts, proven_synthetic, read_manifest, read_table, recode_items
from .snapshot import SNAPSHOT_ENV
from .validation import validate_dataset

__all__ = [
    # paths
    "PROJECT_ROOT",
    "DATA_DIR",
    "INSTRUMENTS_DIR",
    "REFERENCE_DIR",
    "SYNTHETIC_DIR",
    "NOTEBOOKS_DIR",
    "CONFIG_FILE",
    "QUALITATIVE_DIR",
    # settings
    "AnalysisConfig",
    "ConfigError",
    "load_config",
    "setting_names",
    # instruments
    "STORED_DIRECTIONS",
    "Instrument",
    "InstrumentDefinitionError",
    "Reference",
    "load_instrument",
    "load_instruments",
    # data contract
    "GroupContract",
    "GROUPS",
    "SITE_COLUMNS",
    "GROUPING_COLUMN",
    "NO_GROUPING_LABEL",
    "OPTIONAL_SITE_COLUMNS",
    "OPTIONAL_GROUP_COLUMNS",
    "ID_COLUMN",
    "SITE_COLUMN",
    "TABLES",
    "FORMATS",
    "MANIFEST",
    "AGE_RANGE",
    "OUTCOME",
    # reading, validation, datasets
    "Problem",
    "ValidationReport",
    "DataValidationError",
    "DATA_PROBLEM_KINDS",
    "FIRST_DATA_ROW",
    "format_rows",
    "read_table",
    "recode_items",
    "read_manifest",
    "manifest_doubts",
    "proven_synthetic",
    "validate_dataset",
    "Dataset",
    "load_dataset",
    "write_dataset",
    "snapshot_dataset",
    "SNAPSHOT_ENV",
    # qualitative contract
    "ROLES",
    "ROLE_ORDER",
    "ROLE_PLURALS",
    "STAFF_ROLES",
    "SENIOR_ROLES",
    "USER_ROLES",
    "QUAL_TABLES",
    "NVIVO_TABLE",
    "INTERVIEW_COLUMNS",
    "FRAMEWORK_COLUMNS",
    "CARE_PLAN_KEYS",
    "CODE_SEPARATOR",
    "TRIAD_SEPARATOR",
    "YES",
    "NO",
    "YES_NO",
    "QUAL_PROBLEM_KINDS",
    "site_initial",
    "participant_label",
    "split_codes",
    "join_codes",
    "split_triads",
    # code book
    "Theme",
    "Code",
    "Indicator",
    "Divergence",
    "TriadItem",
    "PlanField",
    "CodeBook",
    "CodeBookError",
    "load_codebook",
    # qualitative tables
    "QualitativeInspection",
    "inspect_qualitative",
    "typed_tables",
    "empty_tables",
    "QualData",
    "from_dataset",
    "read_nvivo_matrix",
    "nvivo_to_long",
    "long_to_nvivo",
    "parse_bracketed_codes",
    # published values
    "Published",
    "load_published",
    "load_text_values",
    "article_text_values",
    "printed_decimals",
    "rounding_interval",
    "allocate",
    "analysed_site_ns",
    "RETURNS_COLUMN",
    "TABLE1_COLUMNS",
]
