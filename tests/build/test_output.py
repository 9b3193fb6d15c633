"""The output folder: replaced only when cocapp wrote it, never inside the data folder nor holding it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.build import BookError, cli, run_book
from helpers.build import execute as execute_module
from helpers.build.output import (
    OutputFolderError,
    check_locations,
    check_out_dir,
    folder_files,
    record_problem,
    replace_dir,
)
from helpers.build.record import OUTPUT_MARKER, OUTPUT_MARKER_KEY, RUN_RECORD, TOOL
from helpers.io import SYNTHETIC_DIR


def cocapp_record(files: list[str], **changes) -> dict:
    """A run record as cocapp writes it (only the keys the output check reads), with changes."""
    record = {"tool": TOOL, "version": "1.0", OUTPUT_MARKER_KEY: OUTPUT_MARKER, "files": files}
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


def make_result(folder: Path, record: dict | str | None = None) -> Path:
    """A folder as a run leaves it: two files, and a run record listing them (or the given one)."""
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (folder / "html").mkdir()
    (folder / "html" / ".buildinfo").write_text("sphinx\n", encoding="utf-8")
    if record is None:
        record = cocapp_record(["html/.buildinfo", "tables/a.csv"])
    text = record if isinstance(record, str) else json.dumps(record)
    (folder / RUN_RECORD).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def nothing_runs(monkeypatch) -> list:
    """Records every chapter execution (and executes nothing)."""
    calls: list = []
    monkeypatch.setattr(execute_module, "execute_chapter", lambda *args, **kwargs: calls.append(args))
    return calls


def test_folder_files_lists_hidden_files_and_links_without_following_them(tmp_path):
    make_result(tmp_path / "out")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "thesis.docx").write_text("draft\n", encoding="utf-8")
    (tmp_path / "out" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert folder_files(tmp_path / "out") == ["html/.buildinfo", "linked", RUN_RECORD, "tables/a.csv"]


def test_new_empty_and_cocapp_folders_may_be_replaced(tmp_path):
    check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty")
    assert record_problem(make_result(tmp_path / "result")) is None
    check_out_dir(tmp_path / "result")
    (tmp_path / "result" / "tables" / "a.csv").unlink()  # a file the run wrote may be gone
    check_out_dir(tmp_path / "result")


def add_thesis(folder: Path) -> None:
    (folder / "thesis.docx").write_text("draft\n", encoding="utf-8")


def link_record(folder: Path) -> None:
    (folder / "elsewhere.json").write_text(json.dumps(cocapp_record([])), encoding="utf-8")
    (folder / RUN_RECORD).unlink()
    (folder / RUN_RECORD).symlink_to(folder / "elsewhere.json")


@pytest.mark.parametrize(
    ("record", "change", "reason"),
    [
        pytest.param({"tool": "x"}, add_thesis, "was not written by cocapp", id="foreign run.json (the issue's case)"),
        pytest.param("{not json", None, "not readable as JSON", id="not JSON"),
        pytest.param("[1, 2]", None, "was not written by cocapp", id="not an object"),
        pytest.param(cocapp_record([], tool="other"), None, "was not written by cocapp", id="another tool"),
        pytest.param(cocapp_record([], cocapp_output="yes"), None, "'cocapp_output' marker", id="wrong marker"),
        pytest.param(cocapp_record([], cocapp_output=None), None, "'cocapp_output' marker", id="no marker"),
        pytest.param(cocapp_record(["tables/a.csv"], version=None), None, "lacks the version", id="no version"),
        pytest.param(cocapp_record(None), None, "list of files", id="no list of files"),
        pytest.param(cocapp_record("tables/a.csv"), None, "list of files", id="files not a list"),
        pytest.param(
            None, add_thesis, "1 file(s) that the run recorded in its run.json did not write: thesis.docx", id="added"
        ),
        pytest.param(
            {"data_files": {}, "instrument_files": {}, "notebook_seconds": {}, "python_executable": "python"},
            None,
            "comes from an older cocapp, which did not list the files it wrote; if the folder holds nothing of "
            "yours, delete it (rm -r ",
            id="record of an older cocapp",
        ),
        pytest.param(None, link_record, f"holds no {RUN_RECORD} written by cocapp", id="run.json a link"),
        pytest.param(None, lambda f: (f / RUN_RECORD).unlink(), f"holds no {RUN_RECORD}", id="no run.json"),
    ],
)
def test_other_folders_are_refused(tmp_path, record, change, reason):
    out = make_result(tmp_path / "out", record)
    if change:
        change(out)
    before = {name: (out / name).read_bytes() for name in folder_files(out)}
    with pytest.raises(OutputFolderError) as err:
        check_out_dir(out)
    message = str(err.value)
    assert message.startswith(f"refusing to replace {out}: ") and reason in message
    assert "choose another folder, or move your files out of this one" in message
    assert {name: (out / name).read_bytes() for name in folder_files(out)} == before


def test_many_unexpected_files_are_counted(tmp_path):
    out = make_result(tmp_path / "out")
    for k in range(12):
        (out / f"note{k:02d}.txt").write_text("mine\n", encoding="utf-8")
    message = record_problem(out)
    assert message.startswith("it holds 12 file(s)") and "note09.txt and 2 more" in message


def test_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="exists and is not a folder"):
        check_out_dir(tmp_path / "file")


def test_locations_inside_or_holding_the_data_are_refused(tmp_path):
    data = tmp_path / "project" / "data"
    data.mkdir(parents=True)
    check_locations(tmp_path / "results", data)
    check_locations(tmp_path / "project" / "results", data)  # beside the data is fine
    for out in (data, data / "results", data / "a" / "b"):
        with pytest.raises(OutputFolderError, match=f"{out}: it is inside the data folder {data}"):
            check_locations(out, data)
    for out in (tmp_path / "project", tmp_path):
        with pytest.raises(OutputFolderError, match=f"{out}: it holds the data folder {data}, which replacing it"):
            check_locations(out, data)
    with pytest.raises(OutputFolderError, match="it holds .*book"):
        check_locations(tmp_path / "results", data, [tmp_path / "results" / "book"])


def test_locations_are_compared_after_resolving_links(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "data-link").symlink_to(data, target_is_directory=True)
    with pytest.raises(OutputFolderError, match="inside the data folder"):
        check_locations(tmp_path / "data-link" / "results", data)
    with pytest.raises(OutputFolderError, match="inside the data folder"):
        check_locations(tmp_path / "results", tmp_path / "data-link" / "..")  # the data folder is tmp_path
    (tmp_path / "holder").mkdir()
    (tmp_path / "holder" / "data").symlink_to(data, target_is_directory=True)
    (tmp_path / "out-link").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(OutputFolderError, match="holds the data folder"):
        check_locations(tmp_path / "out-link", tmp_path / "holder" / "data")


def test_replace_dir(tmp_path):
    new, target = tmp_path / "new", tmp_path / "target"
    new.mkdir()
    (new / "a.txt").write_text("new", encoding="utf-8")
    replace_dir(new, target)
    assert not new.exists() and (target / "a.txt").read_text(encoding="utf-8") == "new"
    new.mkdir()
    (new / "b.txt").write_text("newer", encoding="utf-8")
    replace_dir(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_the_issues_wiped_folder_is_refused_by_the_command(tmp_path, nothing_runs, capsys):
    mywork = tmp_path / "mywork"
    mywork.mkdir()
    (mywork / "run.json").write_text('{"tool": "x"}\n', encoding="utf-8")
    (mywork / "thesis.docx").write_text("draft\n", encoding="utf-8")
    assert cli.main(["run", "--data", str(SYNTHETIC_DIR), "--out", str(mywork)]) == 1
    err = capsys.readouterr().err
    assert f"cocapp: refusing to replace {mywork}: its run.json was not written by cocapp" in err
    assert f"cocapp: {mywork} was left as it was." in err and "Traceback" not in err
    assert (mywork / "thesis.docx").read_text(encoding="utf-8") == "draft\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mywork"]  # no staging, no lock file left
    assert nothing_runs == []


@pytest.mark.parametrize("where", ["inside", "holding", "inside through a link"])
def test_the_command_refuses_an_out_inside_or_holding_the_data(tmp_path, nothing_runs, capsys, where):
    data = tmp_path / "study" / "data"
    shutil.copytree(SYNTHETIC_DIR, data)
    before = folder_files(data)
    (tmp_path / "link").symlink_to(data, target_is_directory=True)
    out = {
        "inside": data / "results",
        "holding": tmp_path / "study",
        "inside through a link": tmp_path / "link" / "results",
    }[where]
    assert cli.main(["run", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    expected = "it is inside the data folder" if "inside" in where else "it holds the data folder"
    assert f"cocapp: refusing to write the results to {out.resolve()}: {expected} {data}" in err
    assert folder_files(data) == before and not (data / "results").exists()
    assert sorted(p.name for p in (tmp_path / "study").iterdir()) == ["data"]
    assert nothing_runs == []


@pytest.mark.parametrize("where", ["root", "nonempty"])
def test_run_book_refuses_a_folder_that_is_not_a_result(make_book, fine, tmp_path, nothing_runs, where):
    root = make_book({"01-fine": fine})
    if where == "root":
        out = root
    else:
        out = tmp_path / "documents"
        out.mkdir()
        (out / "thesis.tex").write_text("precious\n", encoding="utf-8")
    with pytest.raises(BookError, match="refusing"):
        run_book(SYNTHETIC_DIR, out, root=root, progress=False)
    assert (root / "_toc.yml").is_file()
    if where == "nonempty":
        assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious\n"
    assert nothing_runs == []
