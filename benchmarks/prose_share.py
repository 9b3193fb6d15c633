"""How much of each chapter's prose is written by code: the share of glued words.

Reads the built HTML book and, for every chapter page, counts the words of its prose
(paragraphs, list items, admonitions and captions written in Markdown; code cells and
their outputs are not prose) and the words among them that were inserted with myst-nb
``glue`` (``<span class="pasted-text">`` and ``<span class="pasted-inline">``).

    python benchmarks/prose_share.py [_build/book/html]

prints one line per chapter and exits 1 when a chapter's share is above ``LIMIT``. It
also reports sentences that appear word for word in more than one chapter.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

#: The largest share of a chapter's prose words that may come from code.
LIMIT = 0.25
#: Sentences shorter than this (in words) are not checked for repetition.
MIN_SENTENCE_WORDS = 8

_WORD = re.compile(r"[\w'’.,%-]*\w[\w'’.,%-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class Share:
    """Prose and glued word counts of one page."""

    page: str
    prose_words: int
    glued_words: int
    sentences: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.glued_words / self.prose_words if self.prose_words else 0.0


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _prose_blocks(article) -> list:
    """The Markdown prose of a page: every text block outside code cells."""
    for cell in article.select("div.cell"):
        cell.decompose()
    for node in article.select("div.highlight, pre, table, script, style, a.headerlink"):
        node.decompose()
    return article.select("p, li, dt, dd, figcaption")


def measure_page(path: Path) -> Share:
    """Prose and glued words of one built HTML page."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    blocks = [b for b in _prose_blocks(article) if not b.find(["p", "li", "dt", "dd"])]
    prose, glued, sentences = 0, 0, []
    for block in blocks:
        text = " ".join(block.get_text(" ").split())
        prose += _words(text)
        glued += sum(_words(s.get_text(" ")) for s in block.select("span.pasted-text, span.pasted-inline"))
        sentences += [s for s in _SENTENCE.split(text) if _words(s) >= MIN_SENTENCE_WORDS]
    return Share(path.stem, prose, glued, tuple(sentences))


def measure_book(html_dir: Path) -> list[Share]:
    """One :class:`Share` per chapter page (``notebooks/*.html``) of a built book."""
    return [measure_page(p) for p in sorted((Path(html_dir) / "notebooks").glob("*.html"))]


def repeated_sentences(shares: list[Share]) -> dict[str, list[str]]:
    """Sentences that appear in more than one chapter, with the chapters they appear in."""
    where: dict[str, set[str]] = defaultdict(set)
    for share in shares:
        for sentence in share.sentences:
            where[sentence].add(share.page)
    return {s: sorted(pages) for s, pages in where.items() if len(pages) > 1}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    html_dir = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "_build" / "book" / "html"
    shares = measure_book(html_dir)
    if not shares:
        print(f"no chapter pages under {html_dir}/notebooks", file=sys.stderr)
        return 1
    print(f"{'chapter':34} {'prose words':>11} {'glued':>6} {'share':>6}")
    for s in shares:
        flag = "" if s.share <= LIMIT else f"  above {LIMIT:.0%}"
        print(f"{s.page:34} {s.prose_words:11d} {s.glued_words:6d} {s.share:6.1%}{flag}")
    total_prose = sum(s.prose_words for s in shares)
    total_glued = sum(s.glued_words for s in shares)
    print(f"{'whole book':34} {total_prose:11d} {total_glued:6d} {total_glued / total_prose:6.1%}")
    repeats = repeated_sentences(shares)
    for sentence, pages in repeats.items():
        print(f"repeated in {', '.join(pages)}: {sentence}")
    return 0 if all(s.share <= LIMIT for s in shares) and not repeats else 1


if __name__ == "__main__":
    sys.exit(main())
