"""The staged book: the data statement, outputs that must not be published and the HTML build, each failure
leaving the output folder as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.build import BookBuildError, run_book
from helpers.build.staging import DATA_STATEMENT_MARKER, data_statement, stage_intro
from helpers.io import SYNTHETIC_DIR


def test_data_statement_names_the_data_and_the_changed_settings():
    synthetic = data_statement(Path("/data/synthetic"), True, {})
    assert synthetic.startswith(":::{admonition} This build: synthetic data\n:class: warning\n")
    assert "SYNTHETIC dataset in `synthetic`" in synthetic and "settings" not in synthetic
    assert synthetic.endswith("\n:::\n")
    own = data_statement(Path("/data/my`data"), False, {"alpha": 0.01, "reference_site": "Artois"})
    assert own.startswith(":::{admonition} This build: your data\n:class: note\n")
    assert "dataset in `my'data`, which is not marked synthetic" in own
    assert "changed from `config/analysis.yaml` for this build: `alpha = 0.01`, `reference_site = 'Artois'`." in own


def test_data_statement_shows_no_absolute_path():
    assert "dataset in `data/synthetic`." in data_statement(SYNTHETIC_DIR, True, {})
    assert "/srv" not in data_statement(Path("/srv/studies/own"), False, {})


def test_stage_intro_replaces_the_marker(tmp_path):
    (tmp_path / "intro.md").write_text(f"# Title\n\n{DATA_STATEMENT_MARKER}\n\nText.\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("# Other\n", encoding="utf-8")
    stage_intro(tmp_path, Path("/d"), True, {"alpha": 0.1})
    text = (tmp_path / "intro.md").read_text(encoding="utf-8")
    assert DATA_STATEMENT_MARKER not in text
    assert text == "# Title\n\n" + data_statement(Path("/d"), True, {"alpha": 0.1}) + "\n\nText.\n"
    assert (tmp_path / "other.md").read_text(encoding="utf-8") == "# Other\n"


def test_warning_in_a_notebook_fails_the_run(make_book, chapter, previous_result):
    noisy = chapter("A noisy chapter", 'data_dir = ""', "import warnings\nwarnings.warn('careful')")
    with pytest.raises(BookBuildError, match=r"notebook 01-noisy, cell 2: output on stderr: .*UserWarning: careful"):
        run_book(SYNTHETIC_DIR, previous_result.path, root=make_book({"01-noisy": noisy}), progress=False)
    previous_result.assert_untouched()


def test_stray_figure_repr_fails_the_run(make_book, chapter, previous_result):
    stray = chapter(
        "A sloppy chapter",
        'data_dir = ""',
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])",
    )
    with pytest.raises(BookBuildError, match=r"cell 2: bare object repr '\[<matplotlib.lines.Line2D"):
        run_book(SYNTHETIC_DIR, previous_result.path, root=make_book({"01-sloppy": stray}), progress=False)
    previous_result.assert_untouched()


def test_sphinx_warning_fails_the_build(make_book, mended, previous_result, tmp_path, no_staging_left):
    page = "# Broken links\n\nSee {doc}`nowhere` and {ref}`no-such-label`.\n"
    root = make_book({"02-mended": mended}, pages={"links": page})
    with pytest.raises(BookBuildError) as err:
        run_book(SYNTHETIC_DIR, previous_result.path, root=root, progress=False)
    message = str(err.value)
    assert message.startswith("the HTML build failed (jupyter-book exit status")
    assert "links.md" in message and "nowhere" in message and "no-such-label" in message
    assert str(tmp_path) not in message  # staging paths are not shown
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)
