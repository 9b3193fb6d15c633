"""The run scans data not proven synthetic for identifiers once and keeps the hits with its snapshot."""

import dataclasses
import shutil

import pandas as pd

from helpers.build import runner
from helpers.io import PROJECT_ROOT, SYNTHETIC_DIR, load_config
from helpers.io.identifiers import scan_folder
from helpers.io.snapshot import read_scan


def _run(data, tmp_path, name):
    staging = tmp_path / name
    staging.mkdir()
    return runner._Run(PROJECT_ROOT, data, tmp_path / "out", staging, {}, 1, None, False, False)


def test_the_snapshot_holds_the_scan_of_the_runs_names_also_when_taken_from_the_cache(tmp_path):
    data = tmp_path / "own"
    shutil.copytree(SYNTHETIC_DIR, data)
    (data / "manifest.json").unlink()  # not proven synthetic
    frame = pd.read_csv(data / "framework.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "summary"] = "Seen by Dr Okafor on 3 March 2014."
    frame.to_csv(data / "framework.csv", index=False, lineterminator="\n")
    (data / "names.txt").write_text("Okafor\n", encoding="utf-8")
    cfg = load_config()

    first = _run(data, tmp_path, "s1")
    runner._snapshot(first, cfg)  # validated: scanned without names
    hits = read_scan(first.staging / "snapshot", [])
    pd.testing.assert_frame_equal(hits, scan_folder(data), check_exact=True)
    assert hits["kind"].tolist() == ["date"]

    second = _run(data, tmp_path, "s2")
    runner._snapshot(second, dataclasses.replace(cfg, identifier_names="names.txt"))  # from the cache
    assert second.snapshot == first.snapshot
    hits = read_scan(second.staging / "snapshot", ["Okafor"])
    pd.testing.assert_frame_equal(hits, scan_folder(data, ["Okafor"]), check_exact=True)
    assert sorted(hits["kind"]) == ["date", "name"]


def test_synthetic_data_are_not_scanned(tmp_path):
    run = _run(SYNTHETIC_DIR, tmp_path, "s")
    runner._snapshot(run, load_config())
    assert not (run.staging / "snapshot" / "scans").exists()
