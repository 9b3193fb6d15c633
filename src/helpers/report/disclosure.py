"""Disclosure control for what a chapter publishes from data that are not proven synthetic.

Two rules, applied to a table before it is shown (HTML) or saved (CSV), so that both
carry the same values:

- **Small numbers.** A count from 1 to ``suppress_below - 1`` is replaced by
  :data:`SUPPRESSED` (``"[suppressed]"``); every other count is rounded to the nearest
  ``round_to`` (halves up; 0 stays 0). The statistics of a group (a share, a mean, a
  test) are suppressed with the group's size when that size is from 1 to
  ``suppress_below - 1``. The defaults (8 and 5) follow NHS practice for sub-national
  tables: 1 to 7 suppressed, other counts rounded to the nearest 5.
- **Free text.** Interview summaries and notes are replaced by :data:`WITHHELD`
  (``"[withheld]"``) unless the setting ``publish_quotations`` is true **and** the
  identifier scan (:mod:`helpers.io.identifiers`) finds nothing in the dataset's files.

On proven synthetic data (``Dataset.synthetic``) nothing is changed: the policy is
inactive and every method returns its input as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io import AnalysisConfig, Dataset
from helpers.io.identifiers import HIT_COLUMNS, load_names, scan_files
from helpers.io.snapshot import read_scan

from .tables import MARKERS

__all__ = [
    "SUPPRESSED",
    "WITHHELD",
    "DisclosurePolicy",
    "disclosure_policy",
    "suppress_count",
    "suppress_table",
    "suppress_fractions",
    "suppress_site_statistics",
    "suppress_pairs",
    "small_sites",
    "withhold_text",
]

#: What a suppressed count or statistic shows, in HTML and CSV alike.
SUPPRESSED = MARKERS[0]
#: What a withheld piece of free text shows.
WITHHELD = MARKERS[1]


_FRACTION = re.compile(r"(?<![\w./])(\d+)/(\d+)(?![\w./])")
#: Counts written out in a cell: "n = 4", "of 6 accounts".
_WORDED = re.compile(r"(\bn = |\bof )(\d+)(?=\b)")
_HEADER_N = re.compile(r"\((\d+)\)$")


def suppress_count(n, suppress_below: int, round_to: int):
    """One count under the policy: ``SUPPRESSED``, or rounded to the nearest ``round_to``.

    Missing values stay missing; 0 stays 0.

    Examples
    --------
    >>> [suppress_count(n, 8, 5) for n in (0, 1, 7, 8, 12, 13, 70)]
    [0, '[suppressed]', '[suppressed]', 10, 10, 15, 70]
    >>> suppress_count(12, suppress_below=1, round_to=1)
    12
    """
    if n is None or pd.isna(n) or n == SUPPRESSED:
        return n
    n = int(n)
    if 0 < n < suppress_below:
        return SUPPRESSED
    return int((n + round_to // 2) // round_to * round_to) if round_to > 1 else n


def _small(n, suppress_below: int) -> bool:
    return n is not None and not pd.isna(n) and n != SUPPRESSED and 0 < int(n) < suppress_below


def suppress_table(
    frame: pd.DataFrame,
    counts: Sequence[str],
    statistics: Mapping[str, Sequence[str]] | None = None,
    *,
    suppress_below: int,
    round_to: int,
) -> pd.DataFrame:
    """A copy of a result table with the small-number policy applied.

    Parameters
    ----------
    frame : DataFrame
        A tidy result table (left unchanged).
    counts : sequence of str
        Columns of counts of people or accounts (group sizes included): each is
        suppressed or rounded (:func:`suppress_count`).
    statistics : mapping of str to sequence of str, optional
        A group-size column to the columns computed from that group (shares, means, p
        values, the group's own counts): these are :data:`SUPPRESSED` in every row where
        the group size, before rounding, is from 1 to ``suppress_below - 1``.
    suppress_below, round_to : int

    Returns
    -------
    DataFrame
        Same rows and columns; a column that had a value suppressed holds text and numbers
        (``object``), so that HTML and CSV show the same marker.

    Examples
    --------
    >>> t = pd.DataFrame({"site": ["A", "B"], "n": [4, 23], "k": [2, 11], "share": [0.5, 11 / 23]})
    >>> suppress_table(t, ["n", "k"], {"n": ["k", "share"]}, suppress_below=8, round_to=5)
      site             n             k         share
    0    A  [suppressed]  [suppressed]  [suppressed]
    1    B            25            10      0.478261
    """
    out = frame.copy()
    for size, columns in (statistics or {}).items():
        small = frame[size].map(lambda n: _small(n, suppress_below)).to_numpy(dtype=bool)
        for column in columns:
            if small.any():
                out[column] = out[column].astype(object)
                out.loc[small, column] = SUPPRESSED
    for column in counts:
        values = [suppress_count(n, suppress_below, round_to) for n in out[column]]
        if any(v == SUPPRESSED for v in values) or round_to > 1:
            out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def small_sites(frame: pd.DataFrame, n: str, site: str, suppress_below: int) -> list:
    """The sites of ``frame`` with a group size ``n`` from 1 to ``suppress_below - 1`` (sorted).

    Examples
    --------
    >>> small_sites(pd.DataFrame({"site": ["A", "B", "A"], "n": [4, 23, 30]}), "n", "site", 8)
    ['A']
    """
    if site not in frame or n not in frame:
        return []
    small = frame[n].map(lambda v: _small(v, suppress_below)).to_numpy(dtype=bool)
    return sorted({str(s) for s in frame.loc[small, site]})


def suppress_site_statistics(
    frame: pd.DataFrame,
    n: str = "n",
    statistics: Sequence[str] = (),
    *,
    suppress_below: int,
    round_to: int,
) -> pd.DataFrame:
    """A copy of a per-group table: the ``statistics`` of a row whose ``n`` is small are
    :data:`SUPPRESSED` with that ``n``; every other ``n`` is rounded (:func:`suppress_table`).

    Columns of ``statistics`` that the frame lacks are skipped.

    Examples
    --------
    >>> t = pd.DataFrame({"site": ["A", "B"], "n": [5, 23], "mean": [3.1, 3.4]})
    >>> suppress_site_statistics(t, "n", ["mean"], suppress_below=8, round_to=5).to_dict("records")
    [{'site': 'A', 'n': '[suppressed]', 'mean': '[suppressed]'}, {'site': 'B', 'n': 25, 'mean': 3.4}]
    """
    if n not in frame:
        return frame.copy()
    present = [c for c in statistics if c in frame and c != n]
    return suppress_table(frame, [n], {n: present}, suppress_below=suppress_below, round_to=round_to)


def suppress_pairs(
    frame: pd.DataFrame, small: Sequence[str], columns: Sequence[str] = ("group_a", "group_b"), keep: Sequence[str] = ()
) -> pd.DataFrame:
    """A copy of a pairwise table (Tukey) with every row involving a site of ``small``
    suppressed: all its cells but ``columns`` and ``keep`` become :data:`SUPPRESSED`.

    Examples
    --------
    >>> t = pd.DataFrame({"group_a": ["A", "B"], "group_b": ["C", "C"], "diff": [0.1, 0.2]})
    >>> suppress_pairs(t, ["A"]).to_dict("records")
    [{'group_a': 'A', 'group_b': 'C', 'diff': '[suppressed]'}, {'group_a': 'B', 'group_b': 'C', 'diff': 0.2}]
    """
    out = frame.copy()
    names = {str(s) for s in small}
    present = [c for c in columns if c in frame]
    if not names or not present:
        return out
    hit = frame[present].astype(str).isin(names).any(axis=1).to_numpy(dtype=bool)
    if hit.any():
        for column in out.columns:
            if column in present or column in keep:
                continue
            out[column] = out[column].astype(object)
            out.loc[hit, column] = SUPPRESSED
    return out


def _fraction_cell(value, suppress_below: int, round_to: int):
    if not isinstance(value, str):
        return value
    pairs = _FRACTION.findall(value)
    worded = [n for _, n in _WORDED.findall(value)]
    if any(_small(n, suppress_below) for _, n in pairs) or any(_small(n, suppress_below) for n in worded):
        return SUPPRESSED
    value = _WORDED.sub(lambda m: f"{m.group(1)}{suppress_count(int(m.group(2)), suppress_below, round_to)}", value)
    return _FRACTION.sub(
        lambda m: "/".join(str(suppress_count(int(x), suppress_below, round_to)) for x in m.groups()), value
    )


def suppress_fractions(frame: pd.DataFrame, suppress_below: int, round_to: int) -> pd.DataFrame:
    """A copy of a display table whose text cells hold ``"k/n"`` counts, with the policy applied.

    A cell with a denominator from 1 to ``suppress_below - 1`` becomes :data:`SUPPRESSED`
    whole (its words are a statistic of that small group); otherwise each ``k`` and ``n`` is
    suppressed or rounded. A column headed ``"label (n)"`` (the group's size) is treated the
    same way: a small ``n`` suppresses the column's cells and its header count.

    Examples
    --------
    >>> t = pd.DataFrame({"theme": ["risk"], "staff (12)": ["risk central 9/12"], "users (4)": ["calm 3/4"]})
    >>> suppress_fractions(t, 8, 5).to_dict("records")
    [{'theme': 'risk', 'staff (10)': 'risk central 10/10', 'users ([suppressed])': '[suppressed]'}]
    """
    out = frame.copy()
    names = {}
    for column in out.columns:
        match = _HEADER_N.search(str(column))
        if match and _small(match.group(1), suppress_below):
            out[column] = SUPPRESSED
        if match:
            shown = suppress_count(int(match.group(1)), suppress_below, round_to)
            names[column] = _HEADER_N.sub(f"({shown})", str(column))
        out[column] = out[column].map(lambda v: _fraction_cell(v, suppress_below, round_to))
    return out.rename(columns=names)


def withhold_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A copy with every non-blank cell of ``columns`` replaced by :data:`WITHHELD`.

    Examples
    --------
    >>> withhold_text(pd.DataFrame({"summary": ["Said X.", ""], "codes": ["a", "b"]}), ["summary"])["summary"].tolist()
    ['[withheld]', '']
    """
    out = frame.copy()
    for column in columns:
        out[column] = [WITHHELD if isinstance(v, str) and v.strip() else v for v in out[column]]
    return out


@dataclass(frozen=True, eq=False)
class DisclosurePolicy:
    """What a chapter may publish from one dataset (see the module's description).

    Attributes
    ----------
    active : bool
        False on proven synthetic data: then nothing is suppressed or withheld.
    suppress_below, round_to : int
        The small-number rule (settings ``suppress_below`` and ``round_counts_to``).
    quotations : bool
        Whether free text may be published as it is.
    hits : DataFrame
        The identifier scan's hits (:data:`~helpers.io.identifiers.HIT_COLUMNS`, masked);
        empty when the data are synthetic or the scan found nothing.
    reason : str
        Why free text is withheld: ``""`` (it is not), ``"setting"`` (``publish_quotations``
        is false) or ``"identifiers"`` (the scan found some).
    """

    active: bool
    suppress_below: int
    round_to: int
    quotations: bool = True
    hits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HIT_COLUMNS))
    reason: str = ""

    def count(self, n):
        """One count as published (:func:`suppress_count`), unchanged when inactive."""
        return suppress_count(n, self.suppress_below, self.round_to) if self.active else n

    def counts(
        self, frame: pd.DataFrame, counts: Sequence[str], statistics: Mapping[str, Sequence[str]] | None = None
    ) -> pd.DataFrame:
        """:func:`suppress_table` with this policy; ``frame`` itself when inactive."""
        if not self.active:
            return frame
        return suppress_table(frame, counts, statistics, suppress_below=self.suppress_below, round_to=self.round_to)

    def site_statistics(self, frame: pd.DataFrame, n: str = "n", statistics: Sequence[str] = ()) -> pd.DataFrame:
        """:func:`suppress_site_statistics` with this policy; ``frame`` itself when inactive."""
        if not self.active:
            return frame
        return suppress_site_statistics(
            frame, n, statistics, suppress_below=self.suppress_below, round_to=self.round_to
        )

    def small_sites(self, frame: pd.DataFrame, n: str = "n", site: str = "site") -> list:
        """:func:`small_sites` with this policy; ``[]`` when inactive."""
        return small_sites(frame, n, site, self.suppress_below) if self.active else []

    def published(self, frame: pd.DataFrame, small: Sequence[str] = ()) -> pd.DataFrame:
        """Any result table as a chapter may show it: the generic form of the policy for a
        worked example's output.

        Every column named ``n``, ``n_*`` or ``*_n`` is a group size: a small one suppresses the row's
        numbers, the others are rounded. With ``small`` (sites), a pairwise row naming one of
        them in ``group_a`` or ``group_b`` is suppressed too. ``frame`` itself when inactive.

        Examples
        --------
        >>> t = pd.DataFrame({"site": ["A", "B"], "n": [5, 23], "mean": [3.1, 3.4]})
        >>> DisclosurePolicy(active=True, suppress_below=8, round_to=5).published(t).to_dict("records")
        [{'site': 'A', 'n': '[suppressed]', 'mean': '[suppressed]'}, {'site': 'B', 'n': 25, 'mean': 3.4}]
        """
        if not self.active:
            return frame
        counts = [c for c in frame.columns if str(c) == "n" or str(c).startswith("n_") or str(c).endswith("_n")]
        numbers = [c for c in frame.select_dtypes("number").columns if c not in counts]
        out = self.counts(frame, counts, {c: numbers for c in counts})
        return self.pairs(out, small, keep=[c for c in out.columns if c not in numbers]) if len(small) else out

    def drop_names(self, frame: pd.DataFrame, columns: Sequence[str], small: Sequence[str]) -> pd.DataFrame:
        """A copy whose comma-separated lists of sites in ``columns`` no longer name a site of
        ``small`` (a comparison with a small group is a statistic of it). ``frame`` itself when
        inactive or nothing is small.

        Examples
        --------
        >>> t = pd.DataFrame({"site": ["B"], "higher_than": ["A, C"]})
        >>> DisclosurePolicy(active=True, suppress_below=8, round_to=5).drop_names(t, ["higher_than"], ["A"])
          site higher_than
        0    B           C
        """
        if not self.active or not len(small):
            return frame
        names = {str(s) for s in small}
        out = frame.copy()
        for column in columns:
            out[column] = [
                ", ".join(n for n in v.split(", ") if n not in names) if isinstance(v, str) else v for v in out[column]
            ]
        return out

    def without_small(self, frame: pd.DataFrame, *counts: str) -> pd.DataFrame:
        """The rows of ``frame`` none of whose group sizes ``counts`` is small: what a figure or a
        sentence may show per site. ``frame`` itself when inactive.

        Examples
        --------
        >>> t = pd.DataFrame({"site": ["A", "B"], "n": [5, 23], "mean": [3.1, 3.4]})
        >>> DisclosurePolicy(active=True, suppress_below=8, round_to=5).without_small(t, "n")["site"].tolist()
        ['B']
        """
        if not self.active:
            return frame
        small = np.zeros(len(frame), dtype=bool)
        for column in counts:
            small |= frame[column].map(lambda v: _small(v, self.suppress_below)).to_numpy(dtype=bool)
        return frame[~small]

    def pairs(self, frame: pd.DataFrame, small: Sequence[str], **kwargs) -> pd.DataFrame:
        """:func:`suppress_pairs`; ``frame`` itself when inactive or nothing is small."""
        return suppress_pairs(frame, small, **kwargs) if self.active and len(small) else frame

    def count_dict(self, counts: Mapping[str, int]) -> dict:
        """Every value of a mapping of counts as published (:meth:`count`)."""
        return {k: self.count(v) for k, v in counts.items()}

    def suppressed(self, value) -> bool:
        """Whether one published cell is a marker (:data:`SUPPRESSED` or :data:`WITHHELD`)."""
        return isinstance(value, str) and value in MARKERS

    def drawable(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """A published table for a figure: the markers of ``columns`` become missing (drawn blank).

        Examples
        --------
        >>> t = pd.DataFrame({"share": [0.5, SUPPRESSED]})
        >>> DisclosurePolicy(active=True, suppress_below=8, round_to=5).drawable(t, ["share"])["share"].tolist()
        [0.5, nan]
        """
        out = frame.copy()
        for column in columns:
            out[column] = pd.to_numeric(out[column].map(lambda v: None if self.suppressed(v) else v), errors="coerce")
        return out

    def fractions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """:func:`suppress_fractions` with this policy; ``frame`` itself when inactive."""
        return suppress_fractions(frame, self.suppress_below, self.round_to) if self.active else frame

    def text(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """:func:`withhold_text` unless quotations may be published; then ``frame`` itself."""
        return frame if self.quotations else withhold_text(frame, columns)

    def quote(self, value: str) -> str:
        """One piece of free text as published: itself, or :data:`WITHHELD`."""
        return value if self.quotations or not str(value).strip() else WITHHELD


def disclosure_policy(dataset: Dataset, cfg: AnalysisConfig) -> DisclosurePolicy:
    """The policy for a dataset: inactive when proven synthetic; otherwise scan and decide.

    On data that are not proven synthetic, every file of the dataset is scanned for
    identifiers (with the names of the setting ``identifier_names``, a path read relative
    to the dataset folder); free text may be published only when ``publish_quotations`` is
    true and the scan finds nothing. A dataset read from a run's snapshot takes the scan the run
    made of the same files with the same names (:func:`helpers.io.snapshot.read_scan`) instead
    of reading and scanning every file again.

    Raises
    ------
    helpers.io.identifiers.IdentifierNamesError
        If ``identifier_names`` names a file that cannot be read.
    """
    if dataset.synthetic:
        return DisclosurePolicy(active=False, suppress_below=cfg.suppress_below, round_to=cfg.round_counts_to)
    names = load_names(cfg.identifier_names, base=dataset.folder)
    hits = read_scan(dataset.snapshot, names)
    if hits is None:
        hits = scan_files(dataset.files.values(), names)
    reason = "" if cfg.publish_quotations and hits.empty else ("identifiers" if len(hits) else "setting")
    return DisclosurePolicy(
        active=True,
        suppress_below=cfg.suppress_below,
        round_to=cfg.round_counts_to,
        quotations=reason == "",
        hits=hits,
        reason=reason,
    )
