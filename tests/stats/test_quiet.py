"""The numerical warnings silenced by ``quiet`` are the harmless ones, and only those."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.integrate import IntegrationWarning

from helpers.stats.quiet import quiet

# A Tukey comparison of six sites with 6,330 residual degrees of freedom and nearly equal means.
Q, K, DF = 0.013223060817513694, 6, 6330.0


def test_the_studentized_range_warns_near_zero_but_is_right():
    with pytest.warns(IntegrationWarning, match="probably divergent"):
        p = stats.studentized_range.sf(Q, K, DF)
    assert p == pytest.approx(1.0, abs=1e-10)
    assert p == pytest.approx(stats.studentized_range.sf(Q, K, np.inf), abs=1e-10)


def test_quiet_silences_that_warning_and_keeps_others():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with quiet():
            assert stats.studentized_range.sf(Q, K, DF) == pytest.approx(1.0, abs=1e-10)
        with pytest.raises(IntegrationWarning, match="maximum number of subdivisions"), quiet():
            warnings.warn("The maximum number of subdivisions (50) has been reached.", IntegrationWarning, stacklevel=1)
