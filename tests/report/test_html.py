"""Notices in HTML: markup for notebooks, text elsewhere, data-derived strings escaped."""

from __future__ import annotations

from types import SimpleNamespace

from helpers.io import PROJECT_ROOT
from helpers.report.html import HTML, admonition, data_banner, escape


def test_html_object_shows_markup_and_text():
    note = HTML("<p>x</p>", "x")
    assert note._repr_html_() == "<p>x</p>" and repr(note) == "x"


def test_admonition_escapes_title_and_keeps_code_marks():
    note = admonition("warning", "A <b> title", f"In <code>{escape('a&b')}</code>.")
    assert note._repr_html_() == (
        '<div class="admonition warning"><p class="admonition-title">A &lt;b&gt; title</p>'
        "<p>In <code>a&amp;b</code>.</p></div>"
    )
    assert repr(note) == "In a&b."


def test_data_banner_is_loud_on_synthetic_data(synthetic):
    banner = data_banner(synthetic)
    assert repr(banner).startswith("SYNTHETIC DATA.") and "cocapp run --data PATH --out PATH" in repr(banner)
    assert 'class="admonition warning"' in banner._repr_html_()


def test_data_banner_escapes_the_folder():
    banner = data_banner(SimpleNamespace(synthetic=False, folder="/data/<x>&y"))
    assert "<code>&lt;x&gt;&amp;y</code>" in banner._repr_html_()
    assert repr(banner) == "Results computed from the dataset in the folder <x>&y."


def test_data_banner_never_shows_an_absolute_path():
    inside = data_banner(SimpleNamespace(synthetic=False, folder=PROJECT_ROOT / "data" / "own"))
    outside = data_banner(SimpleNamespace(synthetic=False, folder="/srv/studies/cocapp-2016"))
    assert repr(inside) == "Results computed from the dataset in the folder data/own."
    assert repr(outside) == "Results computed from the dataset in the folder cocapp-2016."
    assert "/srv" not in outside._repr_html_() and str(PROJECT_ROOT) not in inside._repr_html_()
