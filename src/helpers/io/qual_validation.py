"""Validation of the qualitative tables of a dataset folder.

:func:`inspect_qualitative` finds, reads and checks the optional ``interviews``,
``framework`` (or an NVivo ``framework_matrix``) and ``care_plans`` tables and reports
every problem at once, in the format of the questionnaire tables' report (file,
column and spreadsheet rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .codebook import CodeBook, load_codebook
from .nvivo import nvivo_to_long
from .problems import AMBIGUOUS_FILE, MISSING_FILE, Problem
from .qual_checks import check_care_plans, check_framework, check_interviews, interview_lookup
from .qual_contract import FRAMEWORK_COLUMNS, INTERVIEW_COLUMNS, NVIVO_TABLE, QUAL_TABLES
from .readers import locate, read_checked

__all__ = ["QualitativeInspection", "inspect_qualitative"]


@dataclass
class QualitativeInspection:
    """What :func:`inspect_qualitative` found in a dataset folder.

    Attributes
    ----------
    problems : list of Problem
    files : dict of str to Path
        The file read for each qualitative table (``framework`` may be an NVivo export).
    frames : dict of str to DataFrame
        Raw tables (the framework in long form); only tables that could be read.
    nvivo : bool
        Whether the framework came from an NVivo matrix export.
    """

    problems: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    frames: dict = field(default_factory=dict)
    nvivo: bool = False


def inspect_qualitative(
    folder: str | Path, known_sites: set[str] | None = None, sites_file: str = "sites", codebook: CodeBook | None = None
) -> QualitativeInspection:
    """Find, read and check the optional qualitative tables of a dataset folder.

    Parameters
    ----------
    folder : str or Path
        The dataset folder.
    known_sites : set of str, optional
        Site codes of the ``sites`` table (not checked when None).
    sites_file : str
        Name of the sites file, for messages.
    codebook : CodeBook, optional
        Default :func:`load_codebook`.

    Returns
    -------
    QualitativeInspection
        Nothing is reported for a folder without qualitative files. Problems name the
        file, the column and the rows (spreadsheet numbering) like
        :func:`~helpers.io.validation.validate_dataset`: unknown role, malformed label, label not
        matching its site or role, duplicate ids, triads without their service user's
        interview (or with two), framework or care-plan rows pointing at a missing
        interview, unknown themes and codes, yes/no fields holding anything else.
    """
    folder = Path(folder)
    codebook = codebook or load_codebook()
    out = QualitativeInspection()
    located = {}
    for table in (*QUAL_TABLES, NVIVO_TABLE):
        path, problems = locate(folder, table, required=False)
        out.problems.extend(problems)
        if path is not None:
            located[table] = path
    if "framework" in located and NVIVO_TABLE in located:
        out.problems.append(
            Problem(
                located[NVIVO_TABLE],
                None,
                AMBIGUOUS_FILE,
                [],
                f"{located['framework'].name} and {located[NVIVO_TABLE].name} both found; keep "
                "the framework either in long form or as an NVivo matrix, not both",
            )
        )
        located.pop(NVIVO_TABLE)
    expected = {
        "interviews": INTERVIEW_COLUMNS[:3],
        "framework": FRAMEWORK_COLUMNS,
        "care_plans": ("participant_id", "site", *codebook.plan_field_ids),
    }
    raw = {}
    for table, path in located.items():
        frame, problems = read_checked(path, set(), expected.get(table, ()))
        out.problems.extend(problems)
        if frame is not None:
            raw[table] = frame
    if not located:
        return out
    for table, path in located.items():
        key = "framework" if table == NVIVO_TABLE else table
        out.files[key] = path
    interviews_path = located.get("interviews")
    interviews_name = interviews_path.name if interviews_path else "interviews.csv"
    if interviews_path is None:
        for table in ("framework", NVIVO_TABLE, "care_plans"):
            if table in located:
                out.problems.append(
                    Problem(
                        folder / "interviews",
                        None,
                        MISSING_FILE,
                        [],
                        f"interviews: no file found, but {located[table].name} needs it; "
                        f"expected interviews.csv, interviews.xlsx or interviews.sav in {folder}",
                    )
                )
                break
    if "interviews" in raw:
        out.problems.extend(check_interviews(interviews_path, raw["interviews"], known_sites, sites_file))
        out.frames["interviews"] = raw["interviews"]
    lookup = interview_lookup(raw.get("interviews"))
    if "framework" in raw:
        out.problems.extend(check_framework(located["framework"], raw["framework"], lookup, interviews_name, codebook))
        out.frames["framework"] = raw["framework"]
    elif NVIVO_TABLE in raw:
        path = located[NVIVO_TABLE]
        long, case_column, problems = nvivo_to_long(raw[NVIVO_TABLE], path=path, codebook=codebook, keep_positions=True)
        out.problems.extend(problems)
        if long is not None:
            out.problems.extend(check_framework(path, long, lookup, interviews_name, codebook, case_column))
            out.frames["framework"] = long.drop(columns=["_row", "_column"])
            out.nvivo = True
    if "care_plans" in raw:
        out.problems.extend(
            check_care_plans(
                located["care_plans"], raw["care_plans"], lookup, interviews_name, known_sites, sites_file, codebook
            )
        )
        out.frames["care_plans"] = raw["care_plans"]
    return out
