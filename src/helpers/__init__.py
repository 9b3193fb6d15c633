"""Analysis package of the COCAPP re-analysis book, in layers (lowest first):

- ``helpers.io``: paths, the analysis settings, instruments, the data contract, readers,
  validation, datasets, the qualitative tables and the article's published values;
- ``helpers.stats``: one statistic per function, tidy DataFrames out (pingouin style);
- ``helpers.survey`` and ``helpers.interviews``: the analyses the chapters run over every
  outcome, site and interview;
- ``helpers.audit`` and ``helpers.synthesis``: the reproduction of the published values and
  the mixed-methods synthesis;
- ``helpers.synthetic`` and ``helpers.report``: the synthetic-data generator; formatting,
  tables, figures and glue for the book;
- ``helpers.build``: the runner that executes the chapters and builds the book, and the
  ``cocapp`` command.

A module imports only from its own layer or a lower one (``tests/test_architecture.py``).
"""

__version__ = "0.1.0"
