"""Analysis helpers of the COCAPP book: instruments, data loading and validation,
scoring, data quality, inference, synthetic data and the reproduction audit.

Notebooks import from here and never re-implement an analysis step.
"""

__version__ = "0.1.0"
