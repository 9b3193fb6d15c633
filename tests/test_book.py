"""The book runner (helpers.book) and the ``cocapp book`` / ``cocapp run`` commands.

These tests run the runner on throwaway books of one or two tiny chapters built in
tmp folders, so that they stay fast; the whole book is exercised in
``tests/test_notebooks.py``.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import sys
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import book, cli
from helpers.book import (
    BookBuildError,
    BookError,
    NotebookExecutionError,
    ParameterError,
    UnknownParameterError,
    parse_param,
    run_book,
)
from helpers.dataio import DataValidationError, validate_dataset
from helpers.paths import PROJECT_ROOT, SYNTHETIC_DIR

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


def no_staging_left(parent: Path) -> bool:
    """No staging or old-output folder of the runner is left beside the output."""
    return not [p for p in parent.iterdir() if ".staging-" in p.name or ".old-" in p.name]


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


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

FINE = notebook_text(
    "A fine chapter",
    """
    data_dir = ""
    output_dir = ""
    alpha = 0.05
    reference_site = "Burgundy"
    """,
    """
    import os
    import sys

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from myst_nb import glue

    from helpers.dataio import load_dataset
    from helpers.report import data_banner, resolve_data_dir, save_figure, save_table
    """,
    """
    dataset = load_dataset(resolve_data_dir(data_dir))
    data_banner(dataset)
    """,
    """
    table = pd.DataFrame({"alpha": [alpha], "reference_site": [reference_site], "python": [sys.executable],
                          "omp_threads": [os.environ.get("OMP_NUM_THREADS", "unset")]})
    save_table(table, "settings", output_dir)
    print(sys.executable)
    """,
    """
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [alpha, 1])
    save_figure(fig, "line", output_dir)
    glue("line", fig, display=False)
    plt.close(fig)
    """,
    markdown="Some prose.\n",
)

BROKEN = notebook_text(
    "A broken chapter",
    """
    seed = 2016
    """,
    """
    value = seed + 1
    """,
    """
    raise ValueError(f"boom {value}")
    """,
    """
    print("never reached")
    """,
)


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alpha=0.01", ("alpha", 0.01)),
        ("seed=7", ("seed", 7)),
        ("reference_site=Artois", ("reference_site", "Artois")),
        ("reference_site='Artois'", ("reference_site", "Artois")),
        ("reference_site=Bryn Glas", ("reference_site", "Bryn Glas")),
        ("label='3'", ("label", "3")),
        ("su_covariates=['age', 'gender']", ("su_covariates", ["age", "gender"])),
        ("su_covariates=[]", ("su_covariates", [])),
        ("starp_reference=None", ("starp_reference", None)),
        ("flag=True", ("flag", True)),
        ("es_reference={'mean': 2.9, 'sd': 0.4}", ("es_reference", {"mean": 2.9, "sd": 0.4})),
        ("note=", ("note", "")),
        ("expr=1+", ("expr", "1+")),
        (" alpha = 0.1 ", ("alpha", 0.1)),
        ("path=/data/x=1", ("path", "/data/x=1")),
    ],
)
def test_parse_param(text, expected):
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["alpha", "=1", "1alpha=2", "my-param=3"])
def test_parse_param_rejects_bad_names(text):
    with pytest.raises(ParameterError):
        parse_param(text)


def test_cli_rejects_malformed_param(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--data", "x", "--out", "y", "--param", "alpha"])
    assert exit_info.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_cli_rejects_repeated_param(tmp_path, capsys):
    code = cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(tmp_path / "out"),
                     "--param", "alpha=0.1", "--param", "alpha=0.2"])
    assert code == 2
    assert "more than once: alpha" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_parameter_is_rejected(make_book, tmp_path):
    root = make_book({"01-fine": FINE})
    out = tmp_path / "out"
    with pytest.raises(UnknownParameterError) as err:
        run_book(SYNTHETIC_DIR, out, {"alpah": 0.01, "alpha": 0.1}, root=root, progress=False)
    message = str(err.value)
    assert "unknown parameter 'alpah'" in message
    assert "did you mean 'alpha'" in message
    assert "known parameters: alpha, reference_site" in message
    assert err.value.unknown == ["alpah"]
    assert not out.exists()
    assert no_staging_left(tmp_path)


def test_cli_unknown_parameter_exits_2(make_book, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(book, "PROJECT_ROOT", make_book({"01-fine": FINE}))
    code = cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(tmp_path / "out"), "--param", "sead=1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown parameter 'sead'" in err
    assert "known parameters: alpha, reference_site" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"data_dir": "/elsewhere"}, "'data_dir' cannot be set"),
        ({"output_dir": "/elsewhere"}, "'output_dir' cannot be set"),
        ({"alpha": "small"}, "'alpha' expects a number"),
        ({"alpha": [0.1]}, "'alpha' expects a number"),
        ({"reference_site": 3}, "'reference_site' expects text"),
        ({"seed": 1.5}, "'seed' expects a whole number"),
    ],
)
def test_reserved_and_mistyped_parameters_are_rejected(make_book, tmp_path, params, message):
    root = make_book({"01-fine": FINE, "02-broken": BROKEN})
    with pytest.raises(ParameterError, match=message):
        run_book(SYNTHETIC_DIR, tmp_path / "out", params, root=root, progress=False)
    assert not (tmp_path / "out").exists()


def test_parameters_typed_like_their_defaults_are_accepted(make_book, tmp_path):
    chapters = book.load_chapters(make_book({"01-fine": FINE, "02-broken": BROKEN}), tmp_path / "staging")
    book.check_parameters({"alpha": 1, "reference_site": "Artois", "seed": 3}, chapters)
    book.check_parameters({"alpha": None, "reference_site": None}, chapters)
    assert book.known_parameters(chapters) == {"alpha": ["01-fine"], "reference_site": ["01-fine"],
                                               "seed": ["02-broken"]}


# --------------------------------------------------------------------------- chapters and kernel


def test_toc_lists_the_agreed_chapters_in_order():
    files = book.toc_files()
    assert files[0] == "intro"
    assert [f for f in files if f.startswith("notebooks/")] == CHAPTERS
    assert files[-2:] == ["docs/data_dictionary", "docs/synthetic_data"]


def test_config_renders_stored_outputs_only():
    text = (PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "execute_notebooks: 'off'" in text
    assert "only_build_toc_files: true" in text
    assert '"notebooks/*.md"' in text
    assert "synthetic" in text.lower()


def test_missing_chapter_source_is_reported(make_book, tmp_path):
    root = make_book({"01-fine": FINE})
    (root / "notebooks" / "01-fine.md").unlink()
    with pytest.raises(BookError, match="without a source: notebooks/01-fine.md"):
        run_book(SYNTHETIC_DIR, tmp_path / "out", root=root, progress=False)


def test_kernel_is_this_environment():
    assert Path(book.kernel_python()).resolve() == Path(sys.executable).resolve()


# --------------------------------------------------------------------------- failures leave out_dir alone


@pytest.fixture
def invalid_dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "bad-data"
    shutil.copytree(SYNTHETIC_DIR, folder)
    path = folder / "service_users.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("rsa_01")] = "7"  # out of range (1-5, N/A code 9)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder


def test_invalid_dataset_executes_nothing(make_book, invalid_dataset, previous_result, tmp_path, monkeypatch):
    executed = []
    monkeypatch.setattr(book, "_execute", lambda *args, **kwargs: executed.append(args))
    root = make_book({"01-fine": FINE})
    with pytest.raises(DataValidationError) as err:
        run_book(invalid_dataset, previous_result.path, {"alpha": 0.1}, root=root, progress=False)
    assert not err.value.report.ok
    assert [p.kind for p in err.value.report.problems] == ["out of range"]
    assert executed == []
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)


def test_cli_invalid_dataset_prints_report(invalid_dataset, previous_result, capsys):
    code = cli.main(["run", "--data", str(invalid_dataset), "--out", str(previous_result.path)])
    err = capsys.readouterr().err
    assert code == 1
    assert str(validate_dataset(invalid_dataset)) in err
    assert "nothing was executed" in err
    assert "Traceback" not in err
    previous_result.assert_untouched()


def test_failing_notebook_is_named_with_its_cell(make_book, previous_result, tmp_path):
    root = make_book({"01-fine": FINE, "02-broken": BROKEN})
    with pytest.raises(NotebookExecutionError) as err:
        run_book(SYNTHETIC_DIR, previous_result.path, root=root, progress=False)
    (failure,) = err.value.failures
    assert str(failure) == "notebook 02-broken, cell 3: ValueError: boom 2017"
    assert str(err.value) == str(failure)
    assert (failure.notebook, failure.cell, failure.ename) == ("02-broken", 3, "ValueError")
    lines = (root / "notebooks" / "02-broken.md").read_text(encoding="utf-8").splitlines()
    assert lines[failure.line - 1].startswith("raise ValueError")
    assert failure.location().endswith('02-broken.md, line %d: raise ValueError(f"boom {value}")' % failure.line)
    assert "Traceback" not in str(err.value)
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)


def test_cli_failing_notebook(make_book, previous_result, monkeypatch, capsys):
    monkeypatch.setattr(book, "PROJECT_ROOT", make_book({"02-broken": BROKEN}))
    code = cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(previous_result.path), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert "notebook 02-broken, cell 3: ValueError: boom 2017" in captured.err
    assert "[1/1] 02-broken  FAILED" in captured.out
    assert "Traceback" not in captured.err
    previous_result.assert_untouched()


def test_warning_in_a_notebook_fails_the_run(make_book, previous_result):
    noisy = notebook_text("A noisy chapter", "seed = 1", "import warnings\nwarnings.warn('careful')")
    with pytest.raises(BookBuildError, match=r"notebook 01-noisy, cell 2: output on stderr: .*UserWarning: careful"):
        run_book(SYNTHETIC_DIR, previous_result.path, root=make_book({"01-noisy": noisy}), progress=False)
    previous_result.assert_untouched()


def test_stray_figure_repr_fails_the_run(make_book, previous_result):
    stray = notebook_text("A sloppy chapter", "seed = 1",
                          "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])")
    with pytest.raises(BookBuildError, match=r"cell 2: bare object repr '\[<matplotlib.lines.Line2D"):
        run_book(SYNTHETIC_DIR, previous_result.path, root=make_book({"01-sloppy": stray}), progress=False)
    previous_result.assert_untouched()


def test_sphinx_warning_fails_the_build(make_book, previous_result, tmp_path):
    page = "# Broken links\n\nSee {doc}`nowhere` and {ref}`no-such-label`.\n"
    root = make_book({"02-broken": BROKEN.replace('raise ValueError(f"boom {value}")', "value")},
                     pages={"links": page})
    with pytest.raises(BookBuildError) as err:
        run_book(SYNTHETIC_DIR, previous_result.path, root=root, progress=False)
    message = str(err.value)
    assert "links.md" in message and "nowhere" in message and "no-such-label" in message
    assert str(tmp_path) not in message  # staging paths are not shown
    previous_result.assert_untouched()
    assert no_staging_left(tmp_path)


@pytest.mark.parametrize("where", ["root", "nonempty"])
def test_refuses_to_replace_a_folder_that_is_not_a_result(make_book, tmp_path, where):
    root = make_book({"01-fine": FINE})
    if where == "root":
        out = root
    else:
        out = tmp_path / "documents"
        out.mkdir()
        (out / "thesis.tex").write_text("precious\n", encoding="utf-8")
    with pytest.raises(BookError, match="refusing|not empty"):
        run_book(SYNTHETIC_DIR, out, root=root, progress=False)
    assert (root / "_toc.yml").is_file()
    if where == "nonempty":
        assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious\n"


# --------------------------------------------------------------------------- a successful run


def test_successful_run_replaces_the_previous_result(make_book, previous_result, tmp_path, capsys):
    root = make_book({"01-fine": FINE, "02-broken": BROKEN.replace('raise ValueError(f"boom {value}")', "value")})
    result = run_book(SYNTHETIC_DIR, previous_result.path, {"alpha": 0.01, "reference_site": "Artois"}, root=root)
    out = previous_result.path

    progress = capsys.readouterr().out
    assert "[1/2] " in progress and "[2/2] " in progress
    assert "Done in" in progress and f"Book: {out / 'html' / 'index.html'}" in progress

    assert result.out_dir == out and result.index == out / "html" / "index.html"
    assert sorted(p.name for p in out.iterdir()) == ["figures", "html", "notebooks", "run.json", "tables"]
    assert (out / "html" / "index.html").is_file()
    assert (out / "html" / "notebooks" / "01-fine.html").is_file()
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01-fine.ipynb", "02-broken.ipynb"]
    assert [p.name for p in (out / "figures").iterdir()] == ["line.png"]
    assert no_staging_left(tmp_path)

    # Each notebook received only the parameters it declares, in the environment's kernel.
    settings = pd.read_csv(out / "tables" / "settings.csv")
    assert settings.loc[0, "alpha"] == 0.01 and settings.loc[0, "reference_site"] == "Artois"
    assert Path(settings.loc[0, "python"]).resolve() == Path(sys.executable).resolve()
    # Two notebooks at a time: each kernel's numerical libraries get their share of the cores.
    expected_threads = os.environ.get("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // 2)))
    assert str(settings.loc[0, "omp_threads"]) == expected_threads
    broken = nbformat.read(out / "notebooks" / "02-broken.ipynb", as_version=4)
    assert broken.metadata.papermill.parameters == {}
    fine = nbformat.read(out / "notebooks" / "01-fine.ipynb", as_version=4)
    injected = [c for c in fine.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f'output_dir = "{out}"' in injected[0].source
    assert fine.metadata.papermill.parameters["output_dir"] == str(out)

    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record == result.record
    assert record["parameters"] == {"alpha": 0.01, "reference_site": "Artois"}
    assert record["notebook_parameters"] == {"01-fine": {"alpha": 0.01, "reference_site": "Artois"},
                                             "02-broken": {}}
    assert record["data_dir"] == str(SYNTHETIC_DIR) and record["synthetic"] is True
    manifest = json.loads((SYNTHETIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        assert record["data_files"][name]["sha256"] == info["sha256"]
    assert "manifest.json" in record["data_files"]
    assert record["chapters"] == ["notebooks/01-fine", "notebooks/02-broken"]
    assert record["packages"]["papermill"] and record["packages"]["jupyter-book"]
    assert record["python"] == ".".join(map(str, sys.version_info[:3]))
    assert record["elapsed_seconds"] > 0

    intro = page_text(out / "html" / "intro.html")
    assert "This build: synthetic data" in intro and "alpha = 0.01" in intro
    page = page_text(out / "html" / "notebooks" / "01-fine.html")
    assert "SYNTHETIC DATA" in page
    for html_page in (out / "html").rglob("*.html"):
        text = html_page.read_text(encoding="utf-8")
        assert "output stderr" not in text and "&lt;Figure size" not in text


def test_freeze_backtests_from_a_run(tmp_path):
    run = tmp_path / "run"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (run / "tables" / "b.csv").write_text("x\n2\n", encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"parameters": {}, "data_dir": str(SYNTHETIC_DIR)}), encoding="utf-8")
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    (frozen / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (frozen / "b.csv").write_text("x\n3\n", encoding="utf-8")
    (frozen / "old.csv").write_text("x\n0\n", encoding="utf-8")
    changes = book.freeze_backtests(run, frozen, progress=False)
    assert changes == {"added": [], "removed": ["old.csv"], "changed": ["b.csv"], "unchanged": ["a.csv"]}
    assert sorted(p.name for p in frozen.iterdir()) == ["a.csv", "b.csv"]
    assert (frozen / "b.csv").read_text(encoding="utf-8") == "x\n2\n"

    (run / "run.json").write_text(json.dumps({"parameters": {"alpha": 0.1}, "data_dir": str(SYNTHETIC_DIR)}),
                                  encoding="utf-8")
    with pytest.raises(BookError, match="not a default run"):
        book.freeze_backtests(run, frozen, progress=False)
