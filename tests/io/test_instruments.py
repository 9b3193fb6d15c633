"""Instrument definitions read from ``data/instruments/*.yaml``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.io import INSTRUMENTS_DIR, InstrumentDefinitionError, load_instrument, load_instruments


def test_shipped_definitions_match_the_documented_structure(instruments):
    assert list(instruments) == ["RSA", "STAR-P", "ES"]
    rsa, starp, es = instruments["RSA"], instruments["STAR-P"], instruments["ES"]
    assert (len(rsa.items), rsa.min, rsa.max, rsa.scoring, len(rsa.subscales)) == (36, 1, 5, "mean", 5)
    assert 9 in rsa.missing_codes
    assert (len(starp.items), starp.min, starp.max, starp.scoring) == (12, 0, 4, "sum")
    assert [len(starp.scales[s]) for s in starp.subscales] == [6, 3, 3]
    assert set(starp.reversed) == set(starp.scales["Non-Supportive Clinician Input"])
    assert starp.score_range["Total"] == (0.0, 48.0)
    assert rsa.score_range["Total"] == (1.0, 5.0)
    assert (len(es.items), es.min, es.max, es.scoring, len(es.subscales)) == (28, 1, 4, "mean", 5)
    assert rsa.groups == ("service_users", "care_coordinators") and es.groups == ("service_users",)
    # Keys are placeholders until checked against the manuals, and the files say so.
    assert not any(i.key_verified for i in instruments.values())
    ref = starp.reference_for("Total")
    assert (ref.mean, ref.sd, ref.n) == (37.0, 8.7, 167)
    assert es.reference_for("Total") is None


def _write_variant(tmp_path: Path, edit) -> Path:
    raw = yaml.safe_load((INSTRUMENTS_DIR / "starp.yaml").read_text())
    edit(raw)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda r: r["subscales"]["Positive Collaboration"].append("starp_99"), "unknown items: starp_99"),
        (lambda r: r["reversed"].append("starp_42"), "reversed items not in the item list: starp_42"),
        (
            lambda r: r.update(items=r["items"] + ["starp_13"], total={"name": "Total", "items": r["items"]}),
            "items in no scale: starp_13",
        ),
        (lambda r: r.update(scoring="median"), "scoring must be 'mean' or 'sum'"),
        (lambda r: r["response"].update(min=4, max=0), "integer min < max"),
        (lambda r: r.update(missing_codes={2: "refused"}), "missing codes inside the response range"),
        (lambda r: r["reference"][0].pop("source"), "needs its source"),
        (lambda r: r.pop("provenance"), "missing key 'provenance'"),
        (lambda r: r.update(items=r["items"] + ["starp_01"]), "items listed twice: starp_01"),
    ],
)
def test_inconsistent_definitions_are_rejected(tmp_path, edit, expected):
    path = _write_variant(tmp_path, edit)
    with pytest.raises(InstrumentDefinitionError, match=expected) as err:
        load_instrument(path)
    assert str(path) in str(err.value)


def test_every_problem_of_a_definition_is_listed_at_once(tmp_path):
    def edit(raw):
        raw["subscales"]["Positive Collaboration"].append("starp_99")
        raw["reversed"].append("starp_42")
        raw["scoring"] = "median"

    with pytest.raises(InstrumentDefinitionError, match="3 problem") as err:
        load_instrument(_write_variant(tmp_path, edit))
    for part in ("starp_99", "starp_42", "median"):
        assert part in str(err.value)


def test_a_corrected_key_is_picked_up_from_the_file_alone(tmp_path):
    def edit(raw):
        raw["subscales"]["Positive Collaboration"] = [f"starp_{i:02d}" for i in (1, 2, 3, 4, 5, 7)]
        raw["subscales"]["Positive Clinician Input"] = ["starp_06", "starp_08", "starp_09"]

    inst = load_instrument(_write_variant(tmp_path, edit))
    assert inst.scales["Positive Clinician Input"] == ("starp_06", "starp_08", "starp_09")
    assert "starp_06" not in inst.scales["Positive Collaboration"]
    assert inst.scales["Total"] == tuple(f"starp_{i:02d}" for i in range(1, 13))


def test_a_folder_without_definitions_is_an_error(tmp_path):
    with pytest.raises(InstrumentDefinitionError, match="no instrument definition files"):
        load_instruments(tmp_path)


def test_a_file_that_is_not_a_mapping_is_an_error(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError, match="not a mapping"):
        load_instrument(path)


def test_es_reverses_the_negatively_worded_items():
    # by the public item wording (the key itself is unverified): items 4, 7, 8, 10, 16, 17, 21, 22, 23
    es = load_instruments()["ES"]
    assert list(es.reversed) == [f"es_{k:02d}" for k in (4, 7, 8, 10, 16, 17, 21, 22, 23)]
    assert not es.key_verified
