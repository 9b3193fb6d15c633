"""The table of contents, the chapter sources, their conversion and their parameters cells."""

from __future__ import annotations

import subprocess
import sys

import jupytext
import nbformat
import pytest

from helpers.build import BookError, chapter_sources, check_parameter_cells, load_chapters, run_book, toc_files
from helpers.build import execute as execute_module
from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR

CHAPTERS = [
    "notebooks/01-data-and-quality",
    "notebooks/02-recovery",
    "notebooks/03-therapeutic-relationship",
    "notebooks/04-empowerment",
    "notebooks/05-cross-site",
    "notebooks/06-views-and-experiences",
    "notebooks/07-synthesis",
    "notebooks/08-reproduction",
]


def test_toc_lists_the_agreed_chapters_in_order():
    files = toc_files()
    assert files[0] == "intro"
    assert [f for f in files if f.startswith("notebooks/")] == CHAPTERS
    assert {"docs/data_dictionary", "docs/synthetic_data"} <= set(files[len(CHAPTERS) + 1 :])
    assert [p.relative_to(PROJECT_ROOT).as_posix() for p in chapter_sources()] == [f"{c}.md" for c in CHAPTERS]


def test_config_renders_stored_outputs_only():
    text = (PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "execute_notebooks: 'off'" in text
    assert "only_build_toc_files: true" in text
    assert '"notebooks/*.md"' in text
    assert "synthetic" in text.lower()


def test_toc_with_pages_and_suffixes(make_book, fine):
    root = make_book({"01-fine": fine}, pages={"about": "# About\n"})
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8").replace("file: about", "file: about.md"), encoding="utf-8")
    assert toc_files(root) == ["intro", "notebooks/01-fine", "about"]
    assert chapter_sources(root) == [root / "notebooks" / "01-fine.md"]


def test_missing_toc_or_chapter_source_is_reported(make_book, fine, tmp_path):
    root = make_book({"01-fine": fine})
    (root / "notebooks" / "01-fine.md").unlink()
    with pytest.raises(BookError, match="without a source: notebooks/01-fine.md"):
        chapter_sources(root)
    with pytest.raises(BookError, match="without a source: notebooks/01-fine.md"):
        run_book(SYNTHETIC_DIR, tmp_path / "out", root=root, progress=False)
    with pytest.raises(BookError, match="_toc.yml: no such file"):
        toc_files(tmp_path)


def test_chapters_are_converted_with_their_parameters(make_book, fine, broken, tmp_path):
    chapters = load_chapters(make_book({"01-fine": fine, "02-broken": broken}), tmp_path / "staging")
    assert [c.name for c in chapters] == ["01-fine", "02-broken"]
    assert [c.docname for c in chapters] == ["notebooks/01-fine", "notebooks/02-broken"]
    assert {name: p["default"] for name, p in chapters[0].parameters.items()} == {
        "data_dir": '""',
        "output_dir": '""',
        "settings": "{}",
    }
    assert list(chapters[1].parameters) == ["data_dir"]
    nb = nbformat.read(chapters[1].notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 4 and code[0].metadata.tags == ["parameters"]
    assert nb.metadata.kernelspec.name == "python3"
    check_parameter_cells(chapters)


def test_a_chapter_declaring_a_setting_of_its_own_is_rejected(make_book, chapter, fine, previous_result, monkeypatch):
    executed = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda *args, **kwargs: executed.append(args))
    own = chapter("Old style", 'data_dir = ""\nalpha = 0.05\nseed = 1', "print(alpha)")
    root = make_book({"01-fine": fine, "02-own": own})
    with pytest.raises(BookError, match="chapters declare parameters the runner never sets") as err:
        run_book(SYNTHETIC_DIR, previous_result.path, {"alpha": 0.01}, root=root, progress=False)
    assert str(err.value).splitlines()[-1] == "  02-own: alpha, seed"
    assert executed == []
    previous_result.assert_untouched()


def test_the_chapters_take_every_setting_from_the_settings_file(tmp_path):
    """No chapter declares a setting of its own: each reads ``config/analysis.yaml``
    through ``load_config(overrides=settings)``, so a chapter and the file cannot disagree."""
    chapters = load_chapters(None, tmp_path)
    check_parameter_cells(chapters)
    for chapter in chapters:
        assert list(chapter.parameters) == ["data_dir", "output_dir", "settings"], chapter.name
        source = chapter.source.read_text(encoding="utf-8")
        assert "load_config(overrides=settings)" in source, chapter.name


def test_the_chapters_code_passes_the_linter(tmp_path):
    """Every chapter's code cells pass ruff with the project's rules, less three notebook
    conventions: imports follow the parameters cell (E402), a bare expression displays its
    value (B018), and import lists stay wrapped in a few lines (I001)."""
    for source in chapter_sources():
        jupytext.write(jupytext.read(source), tmp_path / f"{source.stem}.ipynb")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--config",
            str(PROJECT_ROOT / "pyproject.toml"),
            "--ignore",
            "E402,B018,I001",
            "--output-format",
            "concise",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
