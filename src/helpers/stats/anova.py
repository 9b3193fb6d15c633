"""Between-groups analysis of variance: one-way ANOVA and ANCOVA with Type II sums of squares."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .columns import as_list
from .grouped import group_codes, grouped_moments
from .linear import extra_sum_of_squares, fit_linear
from .quiet import quiet

__all__ = ["ancova", "oneway_anova"]


def quoted(column: str) -> str:
    """A column name quoted for a patsy formula, so that any name (spaces, dashes) works.

    Examples
    --------
    >>> quoted("years in services")
    "Q('years in services')"
    """
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

    Notes
    -----
    :math:`F = MS_{between} / MS_{within}` on :math:`(k - 1, n - k)` degrees of freedom
    (Fisher, 1925), from the grouped sums of squares of one sweep over the data
    (:func:`helpers.stats.grouped.grouped_moments`); the same values as :func:`pingouin.anova`
    and :func:`scipy.stats.f_oneway`, to rounding. Eta squared is the share of the
    total sum of squares between groups (Cohen, 1988, chapter 8).

    References
    ----------
    .. [1] Fisher, R. A. (1925). *Statistical Methods for Research Workers*. Oliver and Boyd.
    .. [2] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*
       (2nd ed.). Lawrence Erlbaum.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> print(oneway_anova(df, "y", "site").round(3).to_string(index=False))
     n  k  df_between  df_within    F     p  eta_squared
     9  3           2          6 13.0 0.007        0.812
    """
    clean = data.loc[:, [dv, between]].dropna()
    codes, groups = group_codes(clean[between])
    y = clean[dv].to_numpy(dtype=float)
    count, means, ss = grouped_moments(y, codes, len(groups))
    n, k = int(len(y)), len(groups)
    with quiet():
        ss_between = np.sum((means - y.mean()) ** 2 * count) if n else np.float64(np.nan)
        ss_within = np.sum(ss) if n else np.float64(np.nan)
        df_between, df_within = k - 1, n - k
        f_value = (ss_between / np.float64(df_between)) / (ss_within / np.float64(df_within))
        p_value = float(stats.f(df_between, df_within).sf(f_value))
        eta_squared = ss_between / (ss_between + ss_within)
    return pd.DataFrame(
        {
            "n": [n],
            "k": [k],
            "df_between": [int(df_between)],
            "df_within": [int(df_within)],
            "F": [float(f_value)],
            "p": [p_value],
            "eta_squared": [float(eta_squared)],
        }
    )


def ancova(
    data: pd.DataFrame,
    dv: str,
    between: str,
    *,
    covariates: Sequence[str],
    categorical: Sequence[str],
) -> pd.DataFrame:
    """Between-groups ANCOVA with Type II sums of squares (OLS from one QR decomposition).

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
        Covariate columns; empty for the one-way ANOVA.
    categorical : sequence of str
        Those covariates to enter as factors (text columns enter as factors anyway);
        every name must be one of ``covariates``.

    Returns
    -------
    DataFrame
        One row per effect (the factor, then each covariate): ``source, SS, df, F, p,
        partial_eta_squared, df_resid, n``.

    Raises
    ------
    ValueError
        If ``categorical`` names a column that is not a covariate.

    Notes
    -----
    Type II sums of squares test each term after every other term that does not contain
    it (Langsrud, 2003), so the site effect is adjusted for all covariates and each
    covariate for the site and the other covariates. In a model of main effects only this
    is the drop in the residual sum of squares when the term is left out, the same as the
    Wald F of the term that :func:`statsmodels.stats.anova.anova_lm` (``typ=2``) reports.
    The model is fitted by :func:`helpers.stats.linear.fit_linear` (one Householder QR of
    ``[X y]``); each term's sum of squares comes from re-triangularising its small
    :math:`R` factor, so the n rows are read once. A column aliased with those before it
    (a factor level found at one site only, a covariate constant in the complete cases) is
    left out, as R's ``lm`` does, and the term's ``df`` is the number of its columns that
    remain (the difference of the ranks). Partial eta squared is
    :math:`SS_{effect} / (SS_{effect} + SS_{residual})` (Cohen, 1973).

    References
    ----------
    .. [1] Langsrud, Ø. (2003). ANOVA for unbalanced data: use Type II instead of Type III
       sums of squares. *Statistics and Computing*, 13(2), 163-167.
    .. [2] Cohen, J. (1973). Eta-squared and partial eta-squared in fixed factor ANOVA
       designs. *Educational and Psychological Measurement*, 33(1), 107-112.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 4, 5, 6, 7],
    ...                    "age": [30, 41, 35, 52, 28, 44, 39, 61, 47]})
    >>> print(ancova(df, "y", "site", covariates=["age"], categorical=[]).round(3).to_string(index=False))
    source     SS  df     F     p  partial_eta_squared  df_resid  n
      site 17.197   2 7.215 0.034                0.743         5  9
       age  0.041   1 0.035 0.860                0.007         5  9
    """
    covariates = as_list(covariates)
    categorical = as_list(categorical)
    unknown = [c for c in categorical if c not in covariates]
    if unknown:
        raise ValueError(f"categorical names columns that are not covariates: {', '.join(unknown)}")
    clean = data.loc[:, [dv, between, *covariates]].dropna()
    fit = fit_linear(clean, dv, between, covariates=covariates, categorical=categorical)
    every = range(fit.p)
    _, _, resid_ss, rank = extra_sum_of_squares(fit, every, [])
    df_resid = fit.n - rank
    rows = []
    for column in [between, *covariates]:
        columns = fit.terms[column]
        ss, df, _, _ = extra_sum_of_squares(fit, [j for j in every if j not in columns], columns)
        with quiet():
            f_value = (np.float64(ss) / df) / (np.float64(resid_ss) / df_resid)
            p_value = float(stats.f.sf(f_value, df, df_resid))
            partial = np.float64(ss) / (ss + resid_ss)
        rows.append(
            {
                "source": column,
                "SS": ss,
                "df": int(df),
                "F": float(f_value),
                "p": p_value,
                "partial_eta_squared": float(partial),
                "df_resid": int(df_resid),
                "n": int(fit.n),
            }
        )
    return pd.DataFrame(rows)
