"""The measure of generated prose (``benchmarks/prose_share.py``) on pages made by hand."""

from __future__ import annotations

import importlib.util
import sys

from helpers.io import PROJECT_ROOT

spec = importlib.util.spec_from_file_location("prose_share", PROJECT_ROOT / "benchmarks" / "prose_share.py")
prose_share = sys.modules["prose_share"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prose_share)

PAGE = """<html><body><article class="bd-article">
<h1>Title</h1>
<p>Sites differed on <span class="pasted-text">three</span> of the twelve scales we tested here.</p>
<ul><li>A list item of six words.</li></ul>
<div class="cell"><div class="cell_output"><p>Output text is not prose at all.</p></div></div>
<table><tr><td>table words</td></tr></table>
</article></body></html>"""


def test_prose_and_glued_words_are_counted(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01-a.html").write_text(PAGE, encoding="utf-8")
    (share,) = prose_share.measure_book(tmp_path)
    assert (share.page, share.prose_words, share.glued_words) == ("01-a", 17, 1)
    assert share.share == 1 / 17


def test_a_sentence_in_two_chapters_is_reported(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("01-a", "02-b"):
        (tmp_path / "notebooks" / f"{name}.html").write_text(PAGE, encoding="utf-8")
    repeats = prose_share.repeated_sentences(prose_share.measure_book(tmp_path))
    assert list(repeats.values()) == [["01-a", "02-b"]]
    assert prose_share.main([str(tmp_path)]) == 1
