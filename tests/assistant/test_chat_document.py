"""The whole document ("Visa dokumentet") rebuilt from stored chunks: overlapping chunks shown once, a
heading wherever the heading path changes, page marks, the cited sentence marked; and from the real store."""

from __future__ import annotations

import re

import pytest

from assistant.chat.document import document_html
from ingest.types import Chunk, DocumentMeta

DOC = (
    "Inledning om projektet. Det startar 2024.\n\n"
    "Budgeten är 10 miljoner kronor. Den delas av två regioner.\n\n"
    "Projektet slutar 2026. Sedan utvärderas det."
)


def chunk(start: int, end: int, path: tuple[str, ...], page: int | None = None) -> Chunk:
    meta = DocumentMeta(doc_id="d.txt", title="Dokumentet")
    return Chunk(
        id=f"c{start}",
        doc_id="d.txt",
        text=DOC[start:end],
        heading_path=path,
        start=start,
        end=end,
        page=page,
        page_end=page,
        language="sv",
        meta=meta,
    )


def paragraphs(html: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", html)


def test_overlapping_chunks_show_the_text_once_with_headings_and_pages():
    budget, end = DOC.index("Budgeten"), DOC.index("Projektet slutar")
    chunks = [
        chunk(0, DOC.index("\n\nBudgeten"), (), page=1),
        chunk(budget, DOC.index("Den delas") + 9, ("Ekonomi",), page=1),
        chunk(DOC.index("Den delas"), DOC.index("regioner.") + 9, ("Ekonomi",), page=2),  # overlaps the previous
        chunk(end, len(DOC), ("Tidplan",), page=2),
    ]
    html = document_html("Dokumentet", chunks)
    text = re.sub(r"<[^>]+>", "", html)
    assert text.count("Den delas") == 1 and text.count("Budgeten") == 1
    assert re.findall(r"<h3 class=\"rk-doc-h\">(.*?)</h3>", html) == ["Ekonomi", "Tidplan"]
    # a page mark where a chunk starts on a new page; the overlap was shown already, what is new follows it
    assert (
        html.index("— s. 1 —")
        < html.index("Inledning")
        < html.index("Den delas")
        < html.index("— s. 2 —")
        < html.index("av två regioner")
    )
    assert html.startswith('<dialog class="rk-dialog" aria-labelledby="rk-doc-title"')
    assert '<h2 id="rk-doc-title">Dokumentet</h2>' in html and ">Stäng</button>" in html


def test_the_cited_sentence_is_marked_in_its_section():
    start = DOC.index("Projektet slutar")
    html = document_html(
        "Dokumentet",
        [chunk(0, start - 2, ()), chunk(start, len(DOC), ("Tidplan",))],
        focus=(start, start + len("Projektet slutar 2026.")),
    )
    assert re.search(
        r'<h3 class="rk-doc-h">Tidplan</h3><p><mark class="rk-hit">Projektet slutar 2026\.</mark> '
        r"Sedan utvärderas det\.</p>",
        html,
    )


def test_nested_headings_open_only_below_what_they_share():
    chunks = [chunk(0, 10, ("A", "A1")), chunk(20, 30, ("A", "A2")), chunk(40, 50, ("B",))]
    html = document_html("Dokumentet", chunks)
    assert re.findall(r"<h(\d) class=\"rk-doc-h\">(.*?)</h\d>", html) == [
        ("3", "A"),
        ("4", "A1"),
        ("4", "A2"),
        ("3", "B"),
    ]


def test_a_document_the_store_no_longer_holds_says_so():
    assert "finns inte längre" in document_html("Borta", [])


def test_markup_in_titles_and_headings_is_text():
    html = document_html("<b>T</b>", [chunk(0, 10, ("<img src=x>",))])
    assert "<b>T</b>" not in html and "&lt;img src=x&gt;" in html


@pytest.mark.slow
def test_every_stored_document_is_rebuilt_with_all_its_chunk_text(corpus_store):
    by_doc: dict[str, list[Chunk]] = {}
    for c in corpus_store.chunks().values():
        by_doc.setdefault(c.doc_id, []).append(c)
    for doc_id, chunks in by_doc.items():
        html = re.sub(r'<p class="rk-page">.*?</p>', " ", document_html(doc_id, chunks))  # marks split lines
        shown = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())
        for c in chunks:
            for line in c.text.splitlines():
                line = re.sub(r"^\s*[•▪◦‣∙·*–—-]\s+", "", line)  # a list item's bullet is drawn by <li>
                words = " ".join(line.split()[:6])
                if words and "<" not in line and ">" not in line:
                    assert words in shown, (doc_id, words)
