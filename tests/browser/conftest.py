"""The built book in a real browser: Debian's Chromium driven by Playwright, pages served over local HTTP.

The book is executed and built once per session on the default (synthetic) data, or taken from
``COCAPP_BROWSER_BOOK`` (a finished ``cocapp run`` output folder) when that variable is set. Playwright
never downloads a browser: it drives the ``chromium`` on the ``PATH`` (``make test`` installs it).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright import sync_api

from helpers.build import run_book

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

VENDOR = Path(__file__).parent / "vendor"


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that logs nothing."""

    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    """A local HTTP server that ignores a browser closing its connection early."""

    def handle_error(self, request, client_address):
        pass


@pytest.fixture(scope="session")
def book_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of the default book (its output folder: ``html/``, ``tables/``, ``run.json``)."""
    given = os.environ.get("COCAPP_BROWSER_BOOK")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("browser-book") / "book"
    run_book(out_dir=out, progress=False)
    return out


@pytest.fixture(scope="session")
def server(book_dir: Path) -> Iterator[str]:
    """The book's ``html/`` folder served on a free local port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(book_dir / "html"))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()
