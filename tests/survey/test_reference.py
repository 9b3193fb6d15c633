"""Comparison with a published reference value."""

from __future__ import annotations

import pytest
from scipy import stats

from helpers.stats import compare_with_reference
from helpers.survey import reference_comparison, resolve_reference, select


def test_resolve_reference(instruments):
    starp, es = instruments["STAR-P"], instruments["ES"]
    ref = resolve_reference(starp)
    assert (ref.mean, ref.sd, ref.n) == (37.0, 8.7, 167) and "12:145" in ref.source
    assert resolve_reference(es) is None
    own = resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50, "source": "x"})
    assert own.scale == "Total" and own.n == 50
    with pytest.raises(ValueError, match="source"):
        resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50})
    with pytest.raises(ValueError, match="scale"):
        resolve_reference(es, {"mean": 2.8, "sd": 0.4, "n": 50, "source": "x", "scale": "Nope"})
    with pytest.raises(ValueError, match="sd > 0"):
        resolve_reference(es, {"mean": 2.8, "sd": 0, "n": 50, "source": "x"})


def test_reference_comparison(scores, instruments, cfg):
    ref = resolve_reference(instruments["STAR-P"])
    kw = {"alpha": cfg.alpha, "confidence": cfg.confidence}
    cmp = reference_comparison(scores, ref, "service_users", "STAR-P", **kw)
    assert cmp["site"].iloc[0] == "All sites" and len(cmp) == 7
    values = select(scores, group="service_users", measure="STAR-P", subscale="Total")["score"].dropna()
    t, p = stats.ttest_ind_from_stats(values.mean(), values.std(ddof=1), len(values), 37.0, 8.7, 167, equal_var=False)
    assert cmp.loc[0, "t"] == pytest.approx(t) and cmp.loc[0, "p"] == pytest.approx(p)
    expected = compare_with_reference(values.mean(), values.std(ddof=1), len(values), 37.0, 8.7, 167, confidence=0.95)
    assert cmp.loc[0, "hedges_g"] == pytest.approx(expected.loc[0, "hedges_g"])
    assert cmp["significant"].tolist() == (cmp["p"] < cfg.alpha).tolist()
    assert reference_comparison(scores, None, "service_users", "ES", **kw).empty


def test_reference_comparison_separates_significance_and_confidence(scores, instruments, cfg):
    ref = resolve_reference(instruments["STAR-P"])
    base = reference_comparison(scores, ref, "service_users", "STAR-P", alpha=cfg.alpha, confidence=0.95)
    wide = reference_comparison(scores, ref, "service_users", "STAR-P", alpha=cfg.alpha, confidence=0.99)
    assert (wide["ci_high"] - wide["ci_low"] > base["ci_high"] - base["ci_low"]).all()
    assert wide["significant"].tolist() == base["significant"].tolist()
