"""The checks of the qualitative tables, one function per table.

Each check returns the problems of one file in the format of the questionnaire
tables' report: file, column, spreadsheet rows and the offending values.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import CodeBook
from .problems import (
    BLANK_VALUE,
    DUPLICATE_VALUE,
    FIRST_DATA_ROW,
    MISSING_COLUMN,
    UNKNOWN_SITE,
    Problem,
    format_rows,
    missing_column_text,
    quote_values,
)
from .qual_contract import (
    FRAMEWORK_COLUMNS,
    INTERVIEW_COLUMNS,
    LABEL_MISMATCH,
    LABEL_PATTERN,
    MALFORMED_LABEL,
    MISSING_INTERVIEW,
    NOT_SERVICE_USER,
    NOT_YES_NO,
    ROLE_ORDER,
    ROLES,
    SENIOR_ROLES,
    SITE_MISMATCH,
    TRIAD_PROBLEM,
    TRIAD_SEPARATOR,
    UNKNOWN_CODE,
    UNKNOWN_ROLE,
    UNKNOWN_THEME,
    YES_NO,
    cell_text,
    is_blank,
    message_text,
    site_initial,
    split_codes,
    split_triads,
)

__all__ = ["Reporter", "check_interviews", "check_framework", "check_care_plans", "interview_lookup"]


class Reporter:
    """Collects the problems of one qualitative file, naming file, column and spreadsheet rows.

    Parameters
    ----------
    path : Path
        The file checked.
    case_column : str, optional
        For a framework converted from an NVivo matrix: the header of the case column
        (problems then point at the matrix's own rows and columns).
    """

    def __init__(self, path: Path, case_column: str | None = None):
        self.path = path
        self.problems: list[Problem] = []
        self.case_column = case_column

    def whole_file(self, kind: str, text: str) -> None:
        """A problem of the whole file."""
        self.problems.append(Problem(self.path, None, kind, [], f"{self.path.name}: {text}"))

    def add(
        self,
        frame: pd.DataFrame,
        column: str,
        kind: str,
        mask,
        text: str,
        values: pd.Series | None = None,
        quote: bool = True,
    ) -> None:
        """One problem per displayed column for the rows of ``frame`` where ``mask`` holds."""
        mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
        if not mask.any():
            return
        sel = frame.loc[mask]
        shown = values.loc[mask] if isinstance(values, pd.Series) else sel.get(column)
        if "_row" in frame.columns:  # converted from an NVivo matrix: point at the matrix's cells
            if column in ("theme", "summary", "codes"):
                parts = [(str(c), g) for c, g in sel.groupby("_column", sort=False)]
            else:
                parts = [(self.case_column or column, sel)]
            for display, part in parts:
                rows = sorted({int(r) for r in part["_row"]})
                vals = shown.loc[part.index] if shown is not None else None
                self._append(display, kind, rows, text, vals, quote)
            return
        rows = sorted({int(i) + FIRST_DATA_ROW for i in sel.index})
        self._append(column, kind, rows, text, shown, quote)

    def _append(self, column, kind, rows, text, values, quote):
        found = quote_values(pd.Series(list(values), dtype=object)) if (quote and values is not None) else ""
        where = f"{self.path.name}, column {column!r}" + (f", {format_rows(rows)}" if rows else "")
        self.problems.append(Problem(self.path, column, kind, rows, f"{where}: {text}{found}"))

    def missing_columns(self, frame: pd.DataFrame, required: Sequence[str]) -> list[str]:
        """Report each required column absent from the header; return their names."""
        missing = [c for c in required if c not in frame.columns]
        for column in missing:
            text = f"{self.path.name}, column {column!r}: {missing_column_text(column, frame.columns)}"
            self.problems.append(Problem(self.path, column, MISSING_COLUMN, [], text))
        return missing

    def blanks(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        """Report blank cells of columns that need a value in every row."""
        for column in columns:
            if column in frame.columns:
                self.add(
                    frame,
                    column,
                    BLANK_VALUE,
                    is_blank(frame[column]),
                    "blank, but every row needs a value",
                    quote=False,
                )


def _ids_and_sites(
    rep: Reporter, frame: pd.DataFrame, known_sites: set[str] | None, sites_file: str, duplicate_text: str
) -> tuple[pd.Series | None, pd.Series | None]:
    """The ``participant_id`` and ``site`` cells (None where the column is missing), reporting repeated ids
    (with ``duplicate_text``) and sites not listed in ``sites_file``."""
    ids = cell_text(frame["participant_id"]) if "participant_id" in frame else None
    sites = cell_text(frame["site"]) if "site" in frame else None
    if ids is not None:
        rep.add(
            frame,
            "participant_id",
            DUPLICATE_VALUE,
            ids.notna() & ids.duplicated(keep=False),
            duplicate_text,
            ids,
        )
    if sites is not None and known_sites is not None:
        rep.add(
            frame,
            "site",
            UNKNOWN_SITE,
            sites.notna() & ~sites.isin(sorted(known_sites)),
            f"site code not listed in {sites_file}",
            sites,
        )
    return ids, sites


def check_interviews(path: Path, frame: pd.DataFrame, known_sites: set[str] | None, sites_file: str) -> list:
    rep = Reporter(path)
    missing = rep.missing_columns(frame, INTERVIEW_COLUMNS[:3])
    rep.blanks(frame, INTERVIEW_COLUMNS[:3])
    ids, sites = _ids_and_sites(rep, frame, known_sites, sites_file, "participant id used more than once")
    roles = cell_text(frame["role"]) if "role" in frame else None
    if roles is not None:
        rep.add(
            frame,
            "role",
            UNKNOWN_ROLE,
            roles.notna() & ~roles.isin(ROLE_ORDER),
            "role is not one of " + ", ".join(f"{k} ({v})" for k, v in ROLES.items()),
            roles,
        )
    if ids is not None:
        parts = ids.str.extract(LABEL_PATTERN.pattern)
        well_formed = parts[0].notna()
        rep.add(
            frame,
            "participant_id",
            MALFORMED_LABEL,
            ids.notna() & ~well_formed,
            "not in the label form site initial-role-number, e.g. 'B-SU-001'",
            ids,
        )
        if sites is not None:
            initial = sites.map(lambda s: site_initial(s) if isinstance(s, str) else np.nan)
            bad_site = well_formed & sites.notna() & (parts[0].str.upper() != initial)
            rep.add(
                frame,
                "participant_id",
                LABEL_MISMATCH,
                bad_site,
                "label's initial does not match the site in column 'site' (the label starts with the site's "
                "first letter)",
                message_text(ids) + " (site " + message_text(sites) + ")",
            )
        if roles is not None:
            bad_role = well_formed & roles.isin(ROLE_ORDER) & (parts[1].str.upper() != roles)
            rep.add(
                frame,
                "participant_id",
                LABEL_MISMATCH,
                bad_role,
                "label's role part does not match column 'role'",
                message_text(ids) + " (role " + message_text(roles) + ")",
            )
    if "triad_id" in frame.columns and not missing:
        _check_triads(rep, frame, sites, roles)
    return rep.problems


def _check_triads(rep: Reporter, frame: pd.DataFrame, sites: pd.Series, roles: pd.Series) -> None:
    triads = frame["triad_id"].map(split_triads)
    has = triads.map(len) > 0
    rep.add(
        frame,
        "triad_id",
        TRIAD_PROBLEM,
        has & roles.isin(SENIOR_ROLES),
        "senior managers and senior practitioners are not members of triads; leave the cell blank",
        frame["triad_id"],
    )
    rep.add(
        frame,
        "triad_id",
        TRIAD_PROBLEM,
        (triads.map(len) > 1) & roles.eq("SU"),
        f"a service user belongs to one triad only (several ids separated by {TRIAD_SEPARATOR!r})",
        frame["triad_id"],
    )
    long = pd.DataFrame([(i, t) for i, ts in triads.items() for t in ts], columns=["row", "triad"])
    if long.empty:
        return
    long["role"] = long["row"].map(roles)
    long["site"] = long["row"].map(sites)
    no_su, many_su, many_cc, spread = [], [], [], []
    for triad, g in long.groupby("triad", sort=False):
        n_su = int((g["role"] == "SU").sum())
        if n_su == 0:
            no_su.append(triad)
        elif n_su > 1:
            many_su.append(triad)
        if int((g["role"] == "CC").sum()) > 1:
            many_cc.append(triad)
        if g["site"].dropna().nunique() > 1:
            spread.append(triad)
    checks = (
        (
            no_su,
            MISSING_INTERVIEW,
            (
                "triad points at a service-user interview that is not in the file (every "
                "triad needs the interview of its service user)"
            ),
        ),
        (many_su, TRIAD_PROBLEM, "triad holds more than one service user"),
        (many_cc, TRIAD_PROBLEM, "triad holds more than one care coordinator"),
        (spread, TRIAD_PROBLEM, "triad members are at different sites"),
    )
    for triads_hit, kind, text in checks:
        if triads_hit:
            rows = long.loc[long["triad"].isin(triads_hit), "row"].unique()
            mask = frame.index.isin(rows)
            shown = pd.Series([", ".join(t for t in ts if t in triads_hit) for ts in triads], index=frame.index)
            rep.add(frame, "triad_id", kind, mask, text, shown)


def interview_lookup(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Typed id -> site, role, triads of a readable interviews table (None if unusable)."""
    if frame is None or not {"participant_id", "site", "role"} <= set(frame.columns):
        return None
    out = pd.DataFrame(
        {
            "participant_id": cell_text(frame["participant_id"]),
            "site": cell_text(frame["site"]),
            "role": cell_text(frame["role"]),
        }
    )
    triads = frame["triad_id"] if "triad_id" in frame.columns else pd.Series(np.nan, index=frame.index)
    out["triads"] = triads.map(split_triads)
    out = out.dropna(subset=["participant_id"]).drop_duplicates("participant_id")
    return out.set_index("participant_id")


def check_framework(
    path: Path,
    frame: pd.DataFrame,
    interviews: pd.DataFrame | None,
    interviews_name: str,
    codebook: CodeBook,
    case_column: str | None = None,
) -> list:
    rep = Reporter(path, case_column)
    required = FRAMEWORK_COLUMNS if case_column is None else ("participant_id", "theme")
    rep.missing_columns(frame, required)
    rep.blanks(frame, ("participant_id", "theme"))
    ids = cell_text(frame["participant_id"]) if "participant_id" in frame else None
    themes = cell_text(frame["theme"]) if "theme" in frame else None
    if ids is not None and interviews is not None:
        rep.add(
            frame,
            "participant_id",
            MISSING_INTERVIEW,
            ids.notna() & ~ids.isin(interviews.index),
            f"no interview with this participant id in {interviews_name}",
            ids,
        )
    if themes is not None:
        lookup = codebook.theme_lookup()
        known = themes.map(lambda t: lookup.get(str(t).casefold()) if isinstance(t, str) else None)
        allowed = ", ".join(codebook.theme_ids)
        rep.add(
            frame,
            "theme",
            UNKNOWN_THEME,
            themes.notna() & known.isna(),
            f"theme not in the theme list (data/qualitative/themes.yaml: {allowed})",
            themes,
        )
        if ids is not None:
            key = message_text(ids) + "|" + message_text(known)
            dup = ids.notna() & known.notna() & key.duplicated(keep=False)
            rep.add(
                frame,
                "theme",
                DUPLICATE_VALUE,
                dup,
                "the same participant and theme appear in more than one row",
                message_text(ids) + " / " + message_text(themes),
            )
    if "codes" in frame.columns:
        cells = frame["codes"].map(split_codes)
        unknown = cells.map(lambda cs: [c for c in cs if c not in codebook.codes])
        rep.add(
            frame,
            "codes",
            UNKNOWN_CODE,
            unknown.map(len) > 0,
            "code not in the code book (data/qualitative/codebook.yaml; separate codes with ';')",
            unknown.map(lambda cs: ", ".join(cs)),
        )
    return rep.problems


def check_care_plans(
    path: Path,
    frame: pd.DataFrame,
    interviews: pd.DataFrame | None,
    interviews_name: str,
    known_sites: set[str] | None,
    sites_file: str,
    codebook: CodeBook,
) -> list:
    rep = Reporter(path)
    rep.missing_columns(frame, ("participant_id", "site", *codebook.plan_field_ids))
    rep.blanks(frame, ("participant_id", "site"))
    ids, sites = _ids_and_sites(rep, frame, known_sites, sites_file, "more than one plan for the same service user")
    if ids is not None and interviews is not None:
        found = ids.isin(interviews.index)
        rep.add(
            frame,
            "participant_id",
            MISSING_INTERVIEW,
            ids.notna() & ~found,
            f"no interview with this participant id in {interviews_name} (a plan belongs to an interviewed "
            "service user)",
            ids,
        )
        role = ids.map(lambda i: interviews.at[i, "role"] if i in interviews.index else np.nan)
        rep.add(
            frame,
            "participant_id",
            NOT_SERVICE_USER,
            found & role.ne("SU"),
            f"the interview with this id in {interviews_name} is not a service user's",
            message_text(ids) + " (role " + message_text(role) + ")",
        )
        if sites is not None:
            their_site = ids.map(lambda i: interviews.at[i, "site"] if i in interviews.index else np.nan)
            rep.add(
                frame,
                "site",
                SITE_MISMATCH,
                found & sites.notna() & their_site.notna() & (sites != their_site),
                f"differs from the site of this service user's interview in {interviews_name}",
                message_text(sites) + " (interview: " + message_text(their_site) + ")",
            )
        if "triad_id" in frame.columns:
            triad = cell_text(frame["triad_id"])
            all_triads = {t for ts in interviews["triads"] for t in ts}
            rep.add(
                frame,
                "triad_id",
                MISSING_INTERVIEW,
                triad.notna() & ~triad.isin(sorted(all_triads)),
                f"triad not found in {interviews_name}",
                triad,
            )
            own = ids.map(lambda i: interviews.at[i, "triads"] if i in interviews.index else [])
            wrong = (
                triad.notna()
                & triad.isin(sorted(all_triads))
                & found
                & pd.Series([t not in o for t, o in zip(triad, own)], index=frame.index)
            )
            rep.add(
                frame,
                "triad_id",
                TRIAD_PROBLEM,
                wrong,
                f"not the triad of this service user in {interviews_name}",
                triad,
            )
    for name in codebook.plan_field_ids:
        if name in frame.columns:
            values = cell_text(frame[name])
            rep.add(
                frame,
                name,
                NOT_YES_NO,
                values.notna() & ~values.str.lower().isin(list(YES_NO)),
                "must be yes or no (or blank when the plan does not tell)",
                values,
            )
    return rep.problems
