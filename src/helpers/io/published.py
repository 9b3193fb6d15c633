"""The article's published numbers, read from ``data/reference/``.

Values are kept exactly as printed (as text too, so that the number of printed
decimals, and hence the rounding interval of each value, is known).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import OUTCOME
from .paths import REFERENCE_DIR

__all__ = [
    "Published",
    "load_published",
    "printed_decimals",
    "rounding_interval",
    "allocate",
    "analysed_site_ns",
    "load_text_values",
    "article_text_values",
    "RETURNS_COLUMN",
    "TABLE1_COLUMNS",
]

#: Questionnaire-return columns of Table 1, by group.
RETURNS_COLUMN = {
    "service_users": "questionnaires_service_users",
    "care_coordinators": "questionnaires_care_coordinators",
}
#: Table 1 columns of interviews per role.
TABLE1_COLUMNS = {
    "SM": "interviews_senior_managers",
    "SP": "interviews_senior_practitioners",
    "CC": "interviews_care_coordinators",
    "SU": "interviews_service_users",
    "CA": "interviews_carers",
}


@dataclass(frozen=True)
class Published:
    """The article's tables (see ``data/reference/README.md``)."""

    sites: pd.DataFrame
    site_means: pd.DataFrame
    anova: pd.DataFrame
    correlations: pd.DataFrame
    reliability: pd.DataFrame

    @property
    def group_sizes(self) -> dict[str, int]:
        """Questionnaire returns per group (448 service users, 201 care coordinators)."""
        return {g: int(self.sites[c].sum()) for g, c in RETURNS_COLUMN.items()}

    def site_returns(self, group: str) -> pd.Series:
        """Questionnaire returns per site for one group, indexed by site."""
        return self.sites.set_index("site")[RETURNS_COLUMN[group]].astype(int)

    @property
    def outcomes(self) -> pd.DataFrame:
        """The 22 scale outcomes in the article's order."""
        return self.anova[OUTCOME].reset_index(drop=True)


def printed_decimals(text: str, minimum: int = 0) -> int:
    """Number of decimals a value was printed with (trailing zeros lost in a CSV are
    restored by ``minimum``).

    Examples
    --------
    >>> printed_decimals("0.997"), printed_decimals("2.8", minimum=2), printed_decimals("12")
    (3, 2, 0)
    """
    exponent = Decimal(str(text).strip()).as_tuple().exponent
    return max(minimum, -int(exponent) if isinstance(exponent, int) and exponent < 0 else 0)


def rounding_interval(value: float, decimals: int) -> tuple[float, float]:
    """Interval of true values that print as ``value`` at ``decimals`` decimals.

    Examples
    --------
    >>> rounding_interval(3.45, 2)
    (3.445, 3.455)
    """
    half = 0.5 * 10.0 ** (-decimals)
    return (round(value - half, decimals + 2), round(value + half, decimals + 2))


def _read(folder: Path, name: str, text_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(folder / name, dtype={c: str for c in text_columns}, keep_default_na=False)
    for c in text_columns:
        frame[f"{c}_text"] = frame[c]
        frame[c] = frame[c].astype(float)
    return frame


def load_published(folder: str | Path | None = None) -> Published:
    """Read the published tables.

    Parameters
    ----------
    folder : str or Path, optional
        Defaults to ``data/reference``.

    Returns
    -------
    Published
        Numeric columns as floats plus ``<column>_text`` copies as printed.

    Examples
    --------
    >>> pub = load_published()
    >>> pub.group_sizes
    {'service_users': 448, 'care_coordinators': 201}
    """
    folder = Path(folder) if folder is not None else REFERENCE_DIR
    sites = pd.read_csv(folder / "table1_sites.csv", keep_default_na=False)
    return Published(
        sites=sites,
        site_means=_read(folder, "site_means.csv", ("mean", "sem_as_printed")),
        anova=_read(folder, "anova.csv", ("F", "p_as_printed")),
        correlations=_read(folder, "correlations.csv", ("r", "p_as_printed")),
        reliability=_read(folder, "reliability.csv", ("cronbach_alpha",)),
    )


def load_text_values(folder: str | Path | None = None) -> dict:
    """Numbers the article states in its text rather than in a table (``text_values.csv``).

    Returns
    -------
    dict
        Statistic name to value, plus ``"printed"``: statistic name to the text as printed.

    Examples
    --------
    >>> values = load_text_values()
    >>> values["missing_mean"], values["printed"]["missing_max"], values["beyond_1"]
    (0.199, '69 %', 3)
    """
    folder = Path(folder) if folder is not None else REFERENCE_DIR
    frame = pd.read_csv(folder / "text_values.csv", dtype={"printed": str})
    values = {
        r.statistic: int(r.value) if float(r.value).is_integer() else float(r.value)
        for r in frame.itertuples(index=False)
    }
    values["printed"] = dict(zip(frame["statistic"], frame["printed"]))
    return values


def article_text_values(folder: str | Path | None = None) -> dict:
    """The article's in-text figures with the missing-data figures also as printed.

    The values of :func:`load_text_values` (the share of participants with missing data
    per outcome, its range across the 22 outcomes, the number of outcomes whose skewness
    or kurtosis lies beyond +/-1 and +/-2, ...) plus ``"missing_text"``: ``mean``,
    ``min`` and ``max`` of the missing-data share as the article prints them.

    Examples
    --------
    >>> values = article_text_values()
    >>> values["missing_text"]["max"], values["missing_max"]
    ('69 %', 0.69)
    """
    values = load_text_values(folder)
    printed = values["printed"]
    values["missing_text"] = {k: printed[f"missing_{k}"] for k in ("mean", "min", "max")}
    return values


def allocate(total: int, weights: pd.Series) -> pd.Series:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    Examples
    --------
    >>> allocate(10, pd.Series({"a": 5, "b": 3, "c": 3})).tolist()
    [4, 3, 3]
    """
    weights = weights.astype(float)
    if total > weights.sum():
        raise ValueError(f"cannot allocate {total} among counts summing to {weights.sum():.0f}")
    exact = total * weights / weights.sum()
    base = np.floor(exact).astype(int)
    remainder = (exact - base).sort_values(ascending=False, kind="stable")
    for key in remainder.index[: total - int(base.sum())]:
        base[key] += 1
    return base


def analysed_site_ns(published: Published) -> pd.DataFrame:
    """Participants analysed per outcome and site, as this project assumes them.

    The article prints only the total analysed per outcome (``df_within + 6``).
    The per-site split is taken proportional to each site's questionnaire returns
    (largest remainder). The synthetic data is generated to this plan and the audit
    of the printed F values uses it.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, site, n``.
    """
    rows = []
    for rec in published.anova.itertuples(index=False):
        n_total = int(rec.df_within + rec.df_between + 1)
        returns = published.site_returns(rec.group)
        for site, n in allocate(n_total, returns).items():
            rows.append((rec.group, rec.measure, rec.subscale, site, int(n)))
    return pd.DataFrame(rows, columns=[*OUTCOME, "site", "n"])
