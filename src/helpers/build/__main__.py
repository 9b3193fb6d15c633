"""``python -m helpers.build --freeze-backtests [--from RUN_DIR]``: refresh the frozen result tables."""

import sys

from .backtests import main

if __name__ == "__main__":
    sys.exit(main())
