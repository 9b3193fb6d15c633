"""A small Sphinx extension that keeps the book's pages self-contained, free of console errors and of
the build machine's paths.

Jupyter Book 1 always loads ``sphinx-thebe``, whose set-up script is added to every page twice
(``Identifier 'THEBE_JS_URL' has already been declared``) and points at a script on a CDN. The
book runs no live code, so every thebe asset is dropped from the pages here. The extension is
listed in ``_config.yml`` (``sphinx.extra_extensions``).

The cell of a run's parameters (injected by papermill) names the data and output folders with
absolute paths, which the executed notebook keeps (it re-runs where the run record says). The page
shows them relative to the project, or by their names alone (:func:`helpers.report.shown_path`).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes

from helpers.io import PROJECT_ROOT
from helpers.report import escape, shown_path

from .downloads import ARCHIVE, RESULTS, WORKBOOK, chapter_files, publish_results
from .record import RUN_RECORD

__all__ = [
    "THEBE_MARKERS",
    "without_thebe",
    "first_of_each",
    "drop_thebe",
    "downloads_html",
    "add_downloads",
    "publish_downloads",
    "shown_parameters",
    "hide_paths",
    "setup",
]

#: A parameter assigned an absolute path in quotes: ``data_dir = "/srv/data"``.
_ABSOLUTE = re.compile(r"""(?m)^(?P<name>\w+) = (?P<q>["'])(?P<path>/[^"'\n]*)(?P=q)$""")

#: Text that identifies a thebe script or style sheet (by its file name or inline body).
THEBE_MARKERS = ("thebe",)


def _is_thebe(asset) -> bool:
    text = f"{getattr(asset, 'filename', '') or ''} {getattr(asset, 'attributes', {}).get('body', '')}"
    return any(marker in text.lower() for marker in THEBE_MARKERS)


def without_thebe(assets) -> list:
    """``assets`` (scripts or style sheets of a page) without those of thebe.

    Examples
    --------
    >>> from types import SimpleNamespace as A
    >>> kept = without_thebe([A(filename="sphinx-thebe.js", attributes={}),
    ...                       A(filename=None, attributes={"body": 'const THEBE_JS_URL = "x"'}),
    ...                       A(filename="book.js", attributes={})])
    >>> [a.filename for a in kept]
    ['book.js']
    """
    return [asset for asset in assets if not _is_thebe(asset)]


def first_of_each(assets) -> list:
    """``assets`` with every file listed once (the first time; a ``?v=`` query ignored).

    MathJax, given a local ``mathjax_path``, is otherwise added to the pages twice and fails the
    second time ("Cannot set property Package").

    Examples
    --------
    >>> from types import SimpleNamespace as A
    >>> kept = first_of_each([A(filename="m.js", attributes={"defer": "defer"}), A(filename="m.js", attributes={}),
    ...                       A(filename=None, attributes={"body": "x"}), A(filename=None, attributes={"body": "y"})])
    >>> [(a.filename, a.attributes) for a in kept]
    [('m.js', {'defer': 'defer'}), (None, {'body': 'x'}), (None, {'body': 'y'})]
    """
    seen, kept = set(), []
    for asset in assets:
        name = str(getattr(asset, "filename", "") or "").split("?")[0]
        if name and name in seen:
            continue
        seen.add(name)
        kept.append(asset)
    return kept


#: Markup of the pages that accessibility checkers (axe-core) reject, and its replacement: the
#: deprecated ARIA role of bibliography entries (docutils) inside a list, and the empty corner
#: heading of a DataFrame shown as it is (pandas), which names no column to a screen reader.
ACCESSIBLE_MARKUP = (
    (' role="doc-biblioentry"', ' role="listitem"'),
    ("<th></th>", '<th><span class="visually-hidden">row</span></th>'),
)


def accessible(body: str) -> str:
    """``body`` with every :data:`ACCESSIBLE_MARKUP` replaced.

    Examples
    --------
    >>> accessible('<div role="doc-biblioentry"><table><tr><th></th></tr></table></div>')
    '<div role="listitem"><table><tr><th><span class="visually-hidden">row</span></th></tr></table></div>'
    """
    for old, new in ACCESSIBLE_MARKUP:
        body = body.replace(old, new)
    return body


def drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` handler: the page's scripts and style sheets without thebe's, each once;
    its body :func:`accessible`."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = first_of_each(without_thebe(context[key]))
    if isinstance(context.get("body"), str):
        context["body"] = accessible(context["body"])


def shown_parameters(source: str) -> str:
    """The source of a parameters cell with every absolute path shown as :func:`shown_path` shows it.

    Examples
    --------
    >>> print(shown_parameters('# Parameters\\ndata_dir = "/srv/studies/mine"\\nalpha = 0.01\\n'))
    # Parameters
    data_dir = "mine"
    alpha = 0.01
    <BLANKLINE>
    """
    return _ABSOLUTE.sub(lambda m: f'{m["name"]} = "{shown_path(m["path"], PROJECT_ROOT)}"', source)


def hide_paths(app, doctree) -> None:
    """``doctree-read`` handler: the injected parameters cell of a chapter without absolute paths."""
    for cell in doctree.findall(nodes.container):
        if "tag_injected-parameters" not in cell.get("classes", []):
            continue
        for block in cell.findall(nodes.literal_block):
            text = shown_parameters(block.astext())
            block.children = [nodes.Text(text)]
            block.rawsource = text


#: Chapter documents (``notebooks/02-recovery``) and their number.
_CHAPTER = re.compile(r"^notebooks/(\d\d)-")
_LABELS = {
    ".csv": "CSV",
    ".png": "PNG",
    ".svg": "SVG",
    ".zip": "ZIP",
    ".xlsx": "XLSX workbook",
    ".json": "run record, JSON",
}


def results_dir(app) -> Path:
    """The run's results (``tables/``, ``figures/``): beside the staged book, as the runner lays them out."""
    return Path(app.srcdir).parent / "results"


def downloads_html(files: dict[str, list[str]], prefix: str) -> str:
    """A list of links to result files (``{"tables": [...], "figures": [...]}``), ``prefix`` before each path.

    Examples
    --------
    >>> print(downloads_html({"tables": ["tables/02-a.csv"], "figures": ["figures/02-f.svg"]}, "../"))
    ... # doctest: +NORMALIZE_WHITESPACE
    <ul class="cocapp-downloads"><li>Tables:
    <a href="../results/tables/02-a.csv" download>02-a (CSV)</a></li><li>Figures:
    <a href="../results/figures/02-f.svg" download>02-f (SVG)</a></li></ul>
    """
    items = []
    for kind, paths in files.items():
        links = [
            f'<a href="{escape(prefix + RESULTS + "/" + path)}" download>{escape(Path(path).stem)} '
            f"({_LABELS.get(Path(path).suffix, Path(path).suffix)})</a>"
            for path in paths
        ]
        if links:
            items.append(f"<li>{kind.capitalize()}: {', '.join(links)}</li>")
    return f'<ul class="cocapp-downloads">{"".join(items)}</ul>' if items else ""


def _section(doctree, title: str, markup: str, intro: str) -> None:
    """Append a block headed ``title`` (a rubric: outside the page's contents and numbering) holding
    ``intro`` and the HTML ``markup`` to the page's first section. The block is marked as a cell, as
    the outputs of code are: it is written by the build, not by the authors."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or not markup:
        return
    block = nodes.container(classes=["cell", "cocapp-downloads-block"], ids=["downloads-of-this-page"])
    block += nodes.rubric(text=title)
    block += nodes.paragraph(text=intro)
    block += nodes.raw("", markup, format="html")
    top += block


def add_downloads(app, doctree) -> None:
    """``doctree-read`` handler: a chapter ends with links to its tables and figures; the root page
    with the zip of everything, the workbook and the run record."""
    results = results_dir(app)
    if not results.is_dir():
        return
    docname = app.env.docname
    chapter = _CHAPTER.match(docname)
    if chapter:
        markup = downloads_html(chapter_files(results, chapter[1]), "../")
        _section(doctree, "Downloads", markup, "The result tables and figures of this chapter, as files of this run.")
    elif docname == app.config.root_doc:
        everything = {
            "all results": [ARCHIVE, WORKBOOK, RUN_RECORD],
        }
        markup = downloads_html(everything, "").replace("All results: ", "")
        _section(
            doctree,
            "Downloads",
            markup,
            "Every result table and figure of this build in one zip; every table in one workbook (a sheet per "
            "table and a codebook sheet describing every column); the run record (data, settings, versions).",
        )


def publish_downloads(app, exception) -> None:
    """``build-finished`` handler: the run's tables and figures, workbook and zip under ``html/results``."""
    results = results_dir(app)
    if exception is None and results.is_dir() and app.builder.format == "html":
        publish_results(results, Path(app.outdir))


def redirect_page(target: str, title: str, icon: str) -> str:
    """A complete HTML page that sends the reader on to ``target``, with a title, a language and an icon.

    Examples
    --------
    >>> 'content="0; url=intro.html"' in redirect_page("intro.html", "A & B", "_static/i.svg")
    True
    """
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<link rel="icon" href="{escape(icon)}"><meta http-equiv="Refresh" content="0; url={escape(target)}">'
        f'</head><body><p><a href="{escape(target)}">{escape(title)}</a></p></body></html>\n'
    )


def write_index(app, exception) -> None:
    """``build-finished`` handler (before sphinx-external-toc writes a bare one): ``index.html`` that
    redirects to the root page, with an icon, so that a browser asks for no ``/favicon.ico``."""
    index = Path(app.outdir) / "index.html"
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index" or index.exists():
        return
    icon = f"_static/{Path(app.config.html_favicon).name}" if app.config.html_favicon else ""
    index.write_text(redirect_page(f"{app.config.root_doc}.html", app.config.project, icon), encoding="utf-8")


def setup(app) -> dict:
    """Register :func:`drop_thebe` (after the other handlers, so that nothing adds thebe back) and
    :func:`hide_paths`."""
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("doctree-read", hide_paths)
    app.connect("doctree-read", add_downloads)
    app.connect("build-finished", publish_downloads)
    app.connect("build-finished", write_index, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
