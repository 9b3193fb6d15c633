"""Project locations, anchored on the package, never on the current directory.

papermill, nbval and jupyter-book start kernels in different working directories;
every path the analysis uses is built from here. ``COCAPP_ROOT`` overrides the root.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "DATA_DIR",
    "INSTRUMENTS_DIR",
    "REFERENCE_DIR",
    "SYNTHETIC_DIR",
    "NOTEBOOKS_DIR",
    "CONFIG_FILE",
    "QUALITATIVE_DIR",
]

PROJECT_ROOT = Path(os.environ.get("COCAPP_ROOT", Path(__file__).resolve().parents[3])).resolve()
DATA_DIR = PROJECT_ROOT / "data"
INSTRUMENTS_DIR = DATA_DIR / "instruments"
REFERENCE_DIR = DATA_DIR / "reference"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
QUALITATIVE_DIR = DATA_DIR / "qualitative"
CONFIG_FILE = PROJECT_ROOT / "config" / "analysis.yaml"
