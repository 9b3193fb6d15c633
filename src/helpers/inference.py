"""Inference: site comparisons, post-hoc tests, correlations and reference comparisons.

Every function takes a tidy DataFrame plus column names and returns a tidy
DataFrame, one row per effect or comparison, with plain float and int columns.
The arithmetic is delegated to pingouin, scipy and statsmodels.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pingouin as pg
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm

from ._columns import as_list
from .instruments import Instrument
from .scoring import score_scales

__all__ = [
    "ancova",
    "cohen_label",
    "compare_with_reference",
    "oneway_anova",
    "pearson_table",
    "sensitivity_analysis",
    "summary_by_group",
    "tukey_hsd",
]

#: Cohen's (1988) benchmarks for the size of a correlation, largest first.
COHEN_R_LABELS = ((0.50, "large"), (0.30, "medium"), (0.10, "small"), (0.0, "negligible"))


@contextmanager
def _quiet():
    """Silence the FutureWarnings/RuntimeWarnings pingouin and statsmodels raise with recent pandas."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _q(column: str) -> str:
    """A column name quoted for a patsy formula."""
    return f"Q({column!r})"


def oneway_anova(data: pd.DataFrame, dv: str, between: str) -> pd.DataFrame:
    """One-way between-groups ANOVA (rows with a missing ``dv`` or group are dropped).

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per participant.
    dv : str
        Outcome column.
    between : str
        Grouping column (e.g. ``"site"``).

    Returns
    -------
    DataFrame
        One row: ``n, k, df_between, df_within, F, p, eta_squared`` where ``k`` is the
        number of groups with data and eta squared is SS_between / SS_total.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> print(oneway_anova(df, "y", "site").round(3).to_string(index=False))
     n  k  df_between  df_within    F     p  eta_squared
     9  3           2          6 13.0 0.007        0.812
    """
    clean = data.loc[:, [dv, between]].dropna()
    with _quiet():
        aov = pg.anova(data=clean, dv=dv, between=between, detailed=True)
    ss_between, ss_within = float(aov.at[0, "SS"]), float(aov.at[1, "SS"])
    return pd.DataFrame({
        "n": [int(len(clean))],
        "k": [int(clean[between].nunique())],
        "df_between": [int(aov.at[0, "DF"])],
        "df_within": [int(aov.at[1, "DF"])],
        "F": [float(aov.at[0, "F"])],
        "p": [float(aov.at[0, "p-unc"])],
        "eta_squared": [ss_between / (ss_between + ss_within)],
    })


def ancova(
    data: pd.DataFrame,
    dv: str,
    between: str,
    covariates: Sequence[str] = (),
    categorical: Sequence[str] = (),
) -> pd.DataFrame:
    """Between-groups ANCOVA with Type II sums of squares (statsmodels OLS).

    The model is ``dv ~ C(between) + covariates`` with the covariates named in
    ``categorical`` entered as factors. Participants missing the outcome, the group
    or any covariate are dropped (complete cases).

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping factor (e.g. ``"site"``).
    covariates : sequence of str
        Covariate columns, numeric or categorical.
    categorical : sequence of str
        Those covariates to treat as categorical (text columns are categorical anyway).

    Returns
    -------
    DataFrame
        One row per effect (the factor, then each covariate): ``source, SS, df, F, p,
        partial_eta_squared, df_resid, n``.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7],
    ...                    "age": [30, 41, 35, 52, 28, 44, 39, 61, 47]})
    >>> print(ancova(df, "y", "site", ["age"]).round(3).to_string(index=False))
    source     SS  df     F     p  partial_eta_squared  df_resid  n
      site 17.197   2 7.215 0.034                0.743         5  9
       age  0.041   1 0.035 0.860                0.007         5  9
    """
    covariates = as_list(covariates)
    unknown = [c for c in categorical if c not in covariates]
    if unknown:
        raise ValueError(f"categorical names columns that are not covariates: {', '.join(unknown)}")
    clean = data.loc[:, [dv, between, *covariates]].dropna()
    terms = {between: f"C({_q(between)})"}
    for c in covariates:
        terms[c] = f"C({_q(c)})" if c in categorical else _q(c)
    formula = f"{_q(dv)} ~ " + " + ".join(terms.values())
    with _quiet():
        fit = smf.ols(formula, data=clean).fit()
        table = anova_lm(fit, typ=2)
    resid_ss = float(table.loc["Residual", "sum_sq"])
    rows = []
    for column, term in terms.items():
        ss = float(table.loc[term, "sum_sq"])
        rows.append({
            "source": column, "SS": ss, "df": int(round(table.loc[term, "df"])),
            "F": float(table.loc[term, "F"]), "p": float(table.loc[term, "PR(>F)"]),
            "partial_eta_squared": ss / (ss + resid_ss),
            "df_resid": int(round(fit.df_resid)), "n": int(fit.nobs),
        })
    return pd.DataFrame(rows)


def tukey_hsd(
    data: pd.DataFrame, dv: str, between: str, reference=None, alpha: float = 0.05
) -> pd.DataFrame:
    """Tukey-Kramer honestly significant difference tests between all pairs of groups.

    Means, differences, standard errors and p values come from
    :func:`pingouin.pairwise_tukey`; simultaneous confidence intervals from
    :func:`scipy.stats.tukey_hsd`. Rows with a missing ``dv`` or group are dropped.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column.
    between : str
        Grouping column.
    reference : optional
        A group label: keep only comparisons with it, oriented as *other - reference*.
    alpha : float, default 0.05
        Familywise error rate: sets the interval's confidence (1 - alpha) and ``significant``.

    Returns
    -------
    DataFrame
        ``group_a, group_b, mean_a, mean_b, diff, se, ci_low, ci_high, p_tukey, significant``
        with ``diff = mean_a - mean_b``.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> print(tukey_hsd(df, "y", "site", reference="a").round(3).to_string(index=False))
    group_a group_b  mean_a  mean_b  diff    se  ci_low  ci_high  p_tukey  significant
          b       a     3.0     2.0   1.0 0.816  -1.505    3.505    0.483        False
          c       a     6.0     2.0   4.0 0.816   1.495    6.505    0.006         True
    """
    clean = data.loc[:, [dv, between]].dropna()
    with _quiet():
        pairs = pg.pairwise_tukey(data=clean, dv=dv, between=between)
        groups = clean.groupby(between, observed=True)[dv]
        labels = list(groups.groups.keys())
        result = stats.tukey_hsd(*(groups.get_group(g).to_numpy(dtype=float) for g in labels))
        ci = result.confidence_interval(confidence_level=1 - alpha)
    position = {g: i for i, g in enumerate(labels)}
    ia = pairs["A"].map(position).to_numpy()
    ib = pairs["B"].map(position).to_numpy()
    out = pd.DataFrame({
        "group_a": pairs["A"].to_numpy(), "group_b": pairs["B"].to_numpy(),
        "mean_a": pairs["mean(A)"].astype(float).to_numpy(), "mean_b": pairs["mean(B)"].astype(float).to_numpy(),
        "diff": pairs["diff"].astype(float).to_numpy(), "se": pairs["se"].astype(float).to_numpy(),
        "ci_low": ci.low[ia, ib].astype(float), "ci_high": ci.high[ia, ib].astype(float),
        "p_tukey": pairs["p-tukey"].astype(float).to_numpy(),
    })
    if reference is not None:
        out = _orient_against(out, reference)
    out["significant"] = (out["p_tukey"] < alpha).astype(bool)
    return out


def _orient_against(pairs: pd.DataFrame, reference) -> pd.DataFrame:
    """Keep comparisons involving ``reference``, written as other minus reference."""
    if reference not in set(pairs["group_a"]) | set(pairs["group_b"]):
        raise KeyError(f"reference group {reference!r} not found")
    keep = pairs[(pairs["group_a"] == reference) | (pairs["group_b"] == reference)].copy()
    flip = (keep["group_a"] == reference).to_numpy()
    swapped = keep.copy()
    swapped["group_a"], swapped["group_b"] = keep["group_b"], keep["group_a"]
    swapped["mean_a"], swapped["mean_b"] = keep["mean_b"], keep["mean_a"]
    swapped["diff"] = -keep["diff"]
    swapped["ci_low"], swapped["ci_high"] = -keep["ci_high"], -keep["ci_low"]
    keep.loc[flip] = swapped.loc[flip]
    return keep.reset_index(drop=True)


def cohen_label(r: float) -> str:
    """Cohen's label for the size of a correlation coefficient.

    ``|r| < 0.10`` negligible, ``>= 0.10`` small, ``>= 0.30`` medium, ``>= 0.50`` large;
    ``"undefined"`` for NaN.

    Examples
    --------
    >>> [cohen_label(r) for r in (0.05, -0.1, 0.3, 0.61)]
    ['negligible', 'small', 'medium', 'large']
    """
    if r is None or np.isnan(r):
        return "undefined"
    size = abs(float(r))
    return next(label for bound, label in COHEN_R_LABELS if size >= bound)


def _pairs(pairs) -> list[tuple[str, str]]:
    pairs = list(pairs)
    if len(pairs) == 2 and all(isinstance(p, str) for p in pairs):
        pairs = [tuple(pairs)]
    return [(str(x), str(y)) for x, y in pairs]


def pearson_table(
    data: pd.DataFrame, pairs: Iterable[tuple[str, str]], method: str = "pearson"
) -> pd.DataFrame:
    """Correlation of each pair of columns on its pairwise complete cases.

    Parameters
    ----------
    data : DataFrame
        Wide data, one column per variable.
    pairs : iterable of (str, str)
        Column pairs, e.g. ``[("RSA", "STAR-P"), ("RSA", "ES")]``.
    method : str, default "pearson"
        Any method of :func:`pingouin.corr` (``"pearson"``, ``"spearman"``, ...).

    Returns
    -------
    DataFrame
        ``x, y, n, r, ci_low, ci_high, p, strength``; the 95 % interval is Fisher's z
        interval and ``strength`` is :func:`cohen_label` of ``r``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5, None], "b": [2, 1, 4, 3, 5, 6]})
    >>> print(pearson_table(df, [("a", "b")]).round(3).to_string(index=False))
    x y  n   r  ci_low  ci_high     p strength
    a b  5 0.8   -0.28    0.986 0.104    large
    """
    rows = []
    for x, y in _pairs(pairs):
        clean = data.loc[:, [x, y]].dropna().astype(float)
        row = {"x": x, "y": y, "n": int(len(clean)), "r": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan}
        if len(clean) >= 3:
            with _quiet():
                res = pg.corr(clean[x], clean[y], method=method)
            r, n = float(res["r"].iloc[0]), int(res["n"].iloc[0])
            # pingouin rounds its CI95% column to 2 decimals: recompute the same Fisher z interval unrounded.
            low, high = (r, r) if abs(r) == 1 else pg.compute_esci(stat=r, nx=n, ny=n, eftype="r", decimals=12)
            row.update(r=r, ci_low=float(low), ci_high=float(high), p=float(res["p-val"].iloc[0]))
        row["strength"] = cohen_label(row["r"])
        rows.append(row)
    return pd.DataFrame(rows, columns=["x", "y", "n", "r", "ci_low", "ci_high", "p", "strength"])


def _welch_df(v1: float, n1: int, v2: float, n2: int) -> float:
    """Welch-Satterthwaite degrees of freedom for variances of the means ``v1 = s1²/n1``, ``v2``."""
    return (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))


def compare_with_reference(
    mean: float, sd: float, n: int, ref_mean: float, ref_sd: float, ref_n: int, confidence: float = 0.95
) -> pd.DataFrame:
    """Welch's t test of a sample mean against a published reference mean, from summary statistics.

    Parameters
    ----------
    mean, sd, n : float, float, int
        The study sample.
    ref_mean, ref_sd, ref_n : float, float, int
        The reference sample (published mean, SD and size).
    confidence : float, default 0.95
        Confidence level of the interval of the difference.

    Returns
    -------
    DataFrame
        One row: ``mean, sd, n, ref_mean, ref_sd, ref_n, diff, se, df, t, p, ci_low, ci_high,
        hedges_g``; ``diff = mean - ref_mean``, ``df`` Welch-Satterthwaite, ``hedges_g`` the
        standardised difference with the pooled SD and small-sample correction.

    Examples
    --------
    >>> res = compare_with_reference(33.0, 9.0, 400, 37.0, 8.7, 167)
    >>> print(res[["diff", "df", "t", "p", "hedges_g"]].round(3).to_string(index=False))
     diff      df     t   p  hedges_g
     -4.0 320.826 -4.94 0.0    -0.448
    """
    t, p = stats.ttest_ind_from_stats(mean, sd, n, ref_mean, ref_sd, ref_n, equal_var=False)
    v1, v2 = sd**2 / n, ref_sd**2 / ref_n
    se = float(np.sqrt(v1 + v2))
    df = float(_welch_df(v1, n, v2, ref_n))
    diff = float(mean - ref_mean)
    low, high = stats.t.interval(confidence, df, loc=diff, scale=se)
    pooled = np.sqrt(((n - 1) * sd**2 + (ref_n - 1) * ref_sd**2) / (n + ref_n - 2))
    g = pg.convert_effsize(diff / pooled, "cohen", "hedges", nx=n, ny=ref_n)
    return pd.DataFrame({
        "mean": [float(mean)], "sd": [float(sd)], "n": [int(n)],
        "ref_mean": [float(ref_mean)], "ref_sd": [float(ref_sd)], "ref_n": [int(ref_n)],
        "diff": [diff], "se": [se], "df": [df], "t": [float(t)], "p": [float(p)],
        "ci_low": [float(low)], "ci_high": [float(high)], "hedges_g": [float(g)],
    })


def summary_by_group(
    data: pd.DataFrame, dv: str, by: str | Sequence[str], confidence: float = 0.95
) -> pd.DataFrame:
    """Mean, SD, standard error and t-based confidence interval of ``dv`` per group.

    Parameters
    ----------
    data : DataFrame
    dv : str
        Outcome column; missing values are dropped.
    by : str or sequence of str
        Grouping column(s), e.g. ``"site"``.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        ``[by...], n, mean, sd, sem, ci_low, ci_high`` (SD with n - 1; NaN spread for
        groups of one).

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbb"), "y": [1, 2, 3, 2, 4, 6]})
    >>> print(summary_by_group(df, "y", "site").round(3).to_string(index=False))
    site  n  mean  sd   sem  ci_low  ci_high
       a  3   2.0 1.0 0.577  -0.484    4.484
       b  3   4.0 2.0 1.155  -0.968    8.968
    """
    by_cols = as_list(by)
    clean = data.loc[:, [*by_cols, dv]].dropna()
    agg = clean.groupby(by_cols, observed=True, sort=True)[dv].agg(n="count", mean="mean", sd="std").reset_index()
    agg["n"] = agg["n"].astype(int)
    agg["sem"] = agg["sd"] / np.sqrt(agg["n"])
    df = (agg["n"] - 1).where(agg["n"] > 1)
    with _quiet():
        low, high = stats.t.interval(confidence, df, loc=agg["mean"], scale=agg["sem"])
    agg["ci_low"], agg["ci_high"] = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return agg


def sensitivity_analysis(
    data: pd.DataFrame,
    instrument: Instrument,
    between: str = "site",
    thresholds: Sequence[float] = (0.0, 0.2, 0.3, 0.4, 0.5),
) -> pd.DataFrame:
    """One-way ANOVA of every scale across ``between`` at several missing-item thresholds.

    Scale scores are recomputed by :func:`helpers.scoring.score_scales` with
    ``max_missing`` set to each threshold (0 = complete cases only).

    Parameters
    ----------
    data : DataFrame
        One row per participant with the instrument's items and the ``between`` column.
    instrument : Instrument
    between : str, default "site"
    thresholds : sequence of float
        Largest shares of missing items replaced by the person mean.

    Returns
    -------
    DataFrame
        ``measure, subscale, threshold, n, df_between, df_within, F, p, eta_squared``,
        one row per scale and threshold.

    Examples
    --------
    >>> from helpers.instruments import load_instrument
    >>> from helpers.paths import INSTRUMENTS_DIR
    >>> starp = load_instrument(INSTRUMENTS_DIR / "starp.yaml")
    >>> rows = [{f"starp_{i:02d}": (k * i) % 5 for i in range(1, 13)} for k in range(12)]
    >>> df = pd.DataFrame(rows).assign(site=list("abc") * 4)
    >>> df.loc[0, "starp_01"] = None
    >>> res = sensitivity_analysis(df, starp, thresholds=(0.0, 0.5))
    >>> res.loc[res.subscale == "Total", ["threshold", "n"]].to_numpy().tolist()
    [[0.0, 11.0], [0.5, 12.0]]
    """
    rows = []
    for threshold in thresholds:
        scores = score_scales(data, instrument, max_missing=threshold)
        for scale in instrument.scales:
            frame = pd.DataFrame({between: data[between], "score": scores[scale]})
            res = oneway_anova(frame, "score", between).iloc[0]
            rows.append({"measure": instrument.id, "subscale": scale, "threshold": float(threshold),
                         "n": int(res["n"]), "df_between": int(res["df_between"]),
                         "df_within": int(res["df_within"]), "F": float(res["F"]), "p": float(res["p"]),
                         "eta_squared": float(res["eta_squared"])})
    return pd.DataFrame(rows)
