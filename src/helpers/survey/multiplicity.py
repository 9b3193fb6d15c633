"""The optional correction for multiple testing, applied to every family of site comparisons.

A family is the set of scales of one instrument in one participant group (for example the
service users' six RSA scales): the tests whose conclusions a chapter reads together.
The unadjusted ANOVA and the ANCOVA are corrected separately, each within its families.
"""

from __future__ import annotations

import pandas as pd

from helpers.stats import adjust_pvalues

__all__ = ["FAMILY", "corrected_tests"]

#: The columns that identify one family of tests.
FAMILY = ["group", "measure"]


def corrected_tests(tests: pd.DataFrame, *, method: str, alpha: float) -> pd.DataFrame:
    """The site tests of every outcome with their p values corrected within each family.

    Parameters
    ----------
    tests : DataFrame
        From :func:`helpers.survey.outcome_tests` (``p`` and, if present, ``p_adj``).
    method : {"none", "holm", "fdr_bh"}
        ``AnalysisConfig.multiplicity``; ``"none"`` keeps the p values as they are.
    alpha : float
        Significance level.

    Returns
    -------
    DataFrame
        ``group, measure, subscale, family_size, p, p_corrected, significant_corrected,
        p_adj, p_adj_corrected, significant_adj_corrected, correction``.

    Examples
    --------
    >>> t = pd.DataFrame({"group": "g", "measure": "m", "subscale": ["a", "b"],
    ...                   "p": [0.01, 0.04], "p_adj": [0.03, 0.2]})
    >>> corrected_tests(t, method="holm", alpha=0.05)[["p_corrected", "p_adj_corrected"]].round(2).values.tolist()
    [[0.02, 0.06], [0.04, 0.2]]
    """
    base = tests[["group", "measure", "subscale", "p"]].assign(p_adj=tests.get("p_adj", float("nan")))
    first = adjust_pvalues(base, "p", method=method, family=FAMILY, alpha=alpha)
    second = adjust_pvalues(base, "p_adj", method=method, family=FAMILY, alpha=alpha)
    return first.assign(
        p_adj_corrected=second["p_corrected"], significant_adj_corrected=second["significant_corrected"]
    )[
        [
            "group",
            "measure",
            "subscale",
            "family_size",
            "p",
            "p_corrected",
            "significant_corrected",
            "p_adj",
            "p_adj_corrected",
            "significant_adj_corrected",
            "correction",
        ]
    ]
