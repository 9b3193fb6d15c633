"""Fixtures of the runner's tests: throwaway books of tiny chapters, an invalid dataset, and the default
book executed by :func:`helpers.build.run_book` once per session.

The tiny chapters declare the parameters cell every chapter has (``data_dir``, ``output_dir``,
``settings``, or a part of it) and write their tables and figures with pandas and matplotlib
directly, so that the runner is tested on its own.
"""

from __future__ import annotations

import csv
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from helpers.build import RunResult, run_book
from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR

NOTEBOOK_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---
"""


def notebook_text(title: str, parameters: str, *cells: str, markdown: str = "") -> str:
    """A MyST Markdown notebook: title, a ``parameters`` cell, then code cells."""
    parts = [NOTEBOOK_HEADER, f"# {title}\n", markdown]
    parts.append("```{code-cell} ipython3\n:tags: [parameters]\n\n" + textwrap.dedent(parameters).strip() + "\n```\n")
    for cell in cells:
        parts.append("```{code-cell} ipython3\n" + textwrap.dedent(cell).strip() + "\n```\n")
    return "\n".join(parts)


#: A chapter that reads the data and the settings in force and writes one table and one figure.
FINE = notebook_text(
    "A fine chapter",
    """
    data_dir = ""
    output_dir = ""
    settings = {}
    """,
    """
    import os
    import sys
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from myst_nb import glue

    from helpers.io import load_config, load_dataset
    """,
    """
    cfg = load_config(overrides=settings)
    dataset = load_dataset(data_dir)
    print("SYNTHETIC DATA" if dataset.synthetic else "your data")
    """,
    """
    (Path(output_dir) / "tables").mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame({"alpha": [cfg.alpha], "reference_site": [cfg.reference_site],
                          "max_missing": [cfg.max_missing], "python": [sys.executable],
                          "omp_threads": [os.environ.get("OMP_NUM_THREADS", "unset")]})
    table.to_csv(Path(output_dir) / "tables" / "settings.csv", index=False)
    print(sys.executable)
    """,
    """
    (Path(output_dir) / "figures").mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [cfg.alpha, 1])
    fig.savefig(Path(output_dir) / "figures" / "line.png")
    glue("line", fig, display=False)
    plt.close(fig)
    """,
    markdown="Some prose.\n",
)

#: A chapter that declares only ``data_dir`` and fails in its third code cell with ``ValueError: boom 2017``.
BROKEN = notebook_text(
    "A broken chapter",
    """
    data_dir = ""
    """,
    """
    seed = 2016
    value = seed + 1
    """,
    """
    raise ValueError(f"boom {value}")
    """,
    """
    print("never reached")
    """,
)

#: :data:`BROKEN` without its failure.
MENDED = BROKEN.replace('raise ValueError(f"boom {value}")', "value")


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    """Factory of a throwaway book root: the project's ``_config.yml``, ``_static`` and bibliography, a small
    ``intro.md`` and ``_toc.yml``, and the given chapters and pages (name to text)."""

    def make(chapters: Mapping[str, str], pages: Mapping[str, str] | None = None) -> Path:
        root = tmp_path / "book"
        (root / "notebooks").mkdir(parents=True)
        shutil.copy2(PROJECT_ROOT / "_config.yml", root / "_config.yml")
        if (PROJECT_ROOT / "references.bib").is_file():
            shutil.copy2(PROJECT_ROOT / "references.bib", root / "references.bib")
        shutil.copytree(PROJECT_ROOT / "_static", root / "_static")  # the theme's icon, style and scripts
        (root / "intro.md").write_text(
            "# A tiny book\n\n<!-- build-data-statement -->\n\nA test book.\n", encoding="utf-8"
        )
        toc = ["format: jb-book", "root: intro", "chapters:"]
        for name, text in chapters.items():
            (root / "notebooks" / f"{name}.md").write_text(text, encoding="utf-8")
            toc.append(f"  - file: notebooks/{name}")
        for name, text in (pages or {}).items():
            (root / f"{name}.md").write_text(text, encoding="utf-8")
            toc.append(f"  - file: {name}")
        (root / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
        return root

    return make


@pytest.fixture
def chapter() -> Callable[..., str]:
    """:func:`notebook_text`: a chapter's text from its title, parameters cell and code cells."""
    return notebook_text


@pytest.fixture
def fine() -> str:
    """:data:`FINE`."""
    return FINE


@pytest.fixture
def broken() -> str:
    """:data:`BROKEN`."""
    return BROKEN


@pytest.fixture
def mended() -> str:
    """:data:`MENDED`."""
    return MENDED


@pytest.fixture
def invalid_dataset(tmp_path: Path) -> Path:
    """The synthetic dataset with one service user's answer out of range."""
    folder = tmp_path / "bad-data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    path = folder / "service_users.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("rsa_01")] = "7"  # out of range (1-5, N/A code 9)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder


@pytest.fixture
def no_staging_left() -> Callable[[Path], bool]:
    """Whether no staging or old-output folder of the runner is left in a folder."""

    def check(parent: Path) -> bool:
        return not [p for p in parent.iterdir() if ".staging-" in p.name or ".old-" in p.name]

    return check


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The default book (synthetic data, the settings of ``config/analysis.yaml``) executed and built once."""
    out = tmp_path_factory.mktemp("default-run") / "book"
    return run_book(out_dir=out, progress=False)
