"""The build cache: chapter keys, entries, and a rebuild that executes only what changed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import nbformat
import pandas as pd

from helpers.build import run_book
from helpers.build.cache import BuildCache, cache_folder, chapter_key, tree_digest
from helpers.io import SYNTHETIC_DIR

#: A chapter writing the snapshot its kernel was given and the folder its dataset says it came from.
SNAPSHOT_PROBE = """
from pathlib import Path
import os
import pandas as pd
from helpers.io import SNAPSHOT_ENV, load_dataset
ds = load_dataset(data_dir)
(Path(output_dir) / "tables").mkdir(parents=True, exist_ok=True)
pd.DataFrame({"snapshot": [os.environ.get(SNAPSHOT_ENV, "")], "folder": [str(ds.folder)],
              "rows": [len(ds.service_users)]}).to_csv(Path(output_dir) / "tables" / "probe.csv", index=False)
"""


def test_chapter_key_follows_source_parameters_and_inputs_but_not_the_staging_folder(tmp_path):
    source = tmp_path / "01-a.md"
    source.write_text("# A\n", encoding="utf-8")
    params = {"data_dir": "/data", "output_dir": "/staging-1/results/01-a", "settings": {}}
    inputs = {"snapshot": "s1", "project": "p1"}
    key = chapter_key(source, params, inputs)
    assert chapter_key(source, {**params, "output_dir": "/staging-2/results/01-a"}, inputs) == key
    assert chapter_key(source, {**params, "settings": {"alpha": 0.01}}, inputs) != key
    assert chapter_key(source, {**params, "data_dir": "/other"}, inputs) != key
    assert chapter_key(source, params, {**inputs, "snapshot": "s2"}) != key
    assert chapter_key(source, params, {**inputs, "project": "p2"}) != key
    source.write_text("# A, edited\n", encoding="utf-8")
    assert chapter_key(source, params, inputs) != key


def test_tree_digest_sees_content_and_names_but_not_compiled_files(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n", encoding="utf-8")
    first = tree_digest([tmp_path / "pkg"], tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert tree_digest([tmp_path / "pkg"], tmp_path) == first
    (tmp_path / "pkg" / "a.py").rename(tmp_path / "pkg" / "b.py")
    assert tree_digest([tmp_path / "pkg"], tmp_path) != first


def test_cache_entries_are_found_only_under_their_key(tmp_path):
    cache = BuildCache(cache_folder(tmp_path / "out"))
    assert cache.folder == tmp_path / ".out.cache"
    notebook, results = tmp_path / "n.ipynb", tmp_path / "results"
    notebook.write_text("{}", encoding="utf-8")
    (results / "tables").mkdir(parents=True)
    (results / "tables" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    assert cache.chapter("01-a", "k1") is None
    cache.store_chapter("01-a", "k1", notebook, results)
    entry = cache.chapter("01-a", "k1")
    assert (entry / "results" / "tables" / "t.csv").read_text(encoding="utf-8") == "a\n1\n"
    assert cache.chapter("01-a", "k2") is None
    cache.store_chapter("01-a", "k2", notebook, tmp_path / "nothing")  # replaces the entry
    assert cache.chapter("01-a", "k1") is None and not (cache.chapter("01-a", "k2") / "results").exists()
    assert [p.name for p in (cache.folder / "chapters").iterdir()] == ["01-a"]  # no temporary folder left
    cache.clear()
    assert not cache.folder.exists()


def test_a_rebuild_executes_only_the_chapters_whose_key_changed(make_book, fine, chapter, tmp_path):
    probe = chapter("Probe", 'data_dir = ""\noutput_dir = ""', SNAPSHOT_PROBE)
    root = make_book({"01-fine": fine, "02-probe": probe})
    out = tmp_path / "out"

    first = run_book(SYNTHETIC_DIR, out, root=root, jobs=1, progress=False).record
    assert first["cached_chapters"] == [] and first["html_cached"] is False
    assert len(first["snapshot_sha256"]) == 64
    table = pd.read_csv(out / "tables" / "probe.csv")
    # The kernel read the run's snapshot, and the dataset still names the user's folder.
    assert table.loc[0, "snapshot"].endswith("snapshot") and ".out.staging-" in table.loc[0, "snapshot"]
    assert table.loc[0, "folder"] == str(SYNTHETIC_DIR.resolve()) and table.loc[0, "rows"] == 448
    tables = {p.name: p.read_bytes() for p in (out / "tables").iterdir()}
    notebook = (out / "notebooks" / "01-fine.ipynb").read_bytes()

    lines = io.StringIO()
    second = run_book(SYNTHETIC_DIR, out, root=root, jobs=1, progress=lines).record
    assert lines.getvalue().splitlines()[:4] == [
        f"Dataset files unchanged since their validation: snapshot {first['snapshot_sha256'][:12]} from the cache",
        "[cached] 01-fine",
        "[cached] 02-probe",
        "No chapter changed: all 2 notebooks taken from the cache",
    ]
    assert second["cached_chapters"] == ["01-fine", "02-probe"] and second["html_cached"] is True
    assert second["snapshot_sha256"] == first["snapshot_sha256"]
    assert {p.name: p.read_bytes() for p in (out / "tables").iterdir()} == tables
    assert (out / "notebooks" / "01-fine.ipynb").read_bytes() == notebook
    assert (out / "html" / "index.html").is_file()

    source = root / "notebooks" / "02-probe.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    third = run_book(SYNTHETIC_DIR, out, root=root, jobs=1, progress=False, html=False).record
    assert third["cached_chapters"] == ["01-fine"]
    executed = nbformat.read(out / "notebooks" / "02-probe.ipynb", as_version=4)
    assert "An added sentence." in executed.cells[-1].source

    forced = run_book(SYNTHETIC_DIR, out, root=root, jobs=1, progress=False, html=False, force=True).record
    assert forced["cached_chapters"] == []


def test_changed_settings_or_data_execute_again(make_book, fine, second_dataset, tmp_path):
    root, out = make_book({"01-fine": fine}), tmp_path / "out"
    run_book(SYNTHETIC_DIR, out, root=root, jobs=1, progress=False, html=False)
    assert (
        run_book(SYNTHETIC_DIR, out, {"alpha": 0.01}, root=root, jobs=1, progress=False, html=False).record[
            "cached_chapters"
        ]
        == []
    )
    assert pd.read_csv(out / "tables" / "settings.csv").loc[0, "alpha"] == 0.01
    record = run_book(second_dataset.folder, out, root=root, jobs=1, progress=False, html=False).record
    assert record["cached_chapters"] == [] and record["synthetic"] is False


def test_cache_folder_sits_beside_the_output_and_is_not_published(make_book, fine, tmp_path):
    out = tmp_path / "out"
    run_book(SYNTHETIC_DIR, out, root=make_book({"01-fine": fine}), jobs=1, progress=False, html=False)
    assert (tmp_path / ".out.cache" / "chapters" / "01-fine" / "notebook.ipynb").is_file()
    assert not [p for p in Path(out).rglob("*") if "cache" in p.name]


def test_an_edited_data_file_is_validated_again(make_book, fine, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(SYNTHETIC_DIR, data)
    root = make_book({"01-fine": fine})
    first = run_book(data, out, root=root, jobs=1, progress=False, html=False).record
    path = data / "care_plans.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same rows, other bytes
    lines = io.StringIO()
    second = run_book(data, out, root=root, jobs=1, progress=lines, html=False).record
    assert lines.getvalue().startswith(f"Validating the dataset in {data} ...")
    assert second["cached_chapters"] == []  # the data files are part of every chapter's key
    assert first["synthetic"] is True and second["synthetic"] is False  # the manifest no longer matches
