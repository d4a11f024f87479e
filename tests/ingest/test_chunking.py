"""Chunking: structure-aware, sentence-aware chunks with exact offsets, pages, stable ids and a size guard."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from ingest.chunking.chunks import MAX_EMBED_WORDS, chunk_document
from ingest.chunking.sections import find_headings
from ingest.cleaning.clean import clean_pages, join_pages, page_starts_from_lines
from ingest.reading.loaders import guess_title, load
from ingest.swedish.sentences import sentence_spans
from ingest.types import Chunk, Document, DocumentMeta

CORPUS = Path(__file__).parents[2] / "corpus"
ATERRAPPORTERING = CORPUS / "region-norrbotten-aterrapportering-2022.txt"
GREEN_DEAL = CORPUS / "north-sweden-green-deal.txt"
needs_corpus = pytest.mark.skipif(not ATERRAPPORTERING.exists(), reason="corpus/ not present")


def document(path: Path) -> Document:
    """Load and clean a file as the pipeline does (without the diacritic repair, to test chunking alone)."""
    pages = clean_pages(load(path))
    text, line_starts = join_pages(pages)
    meta = DocumentMeta(doc_id=path.stem, title=guess_title(pages))
    return Document(meta, text, "hash", page_starts_from_lines(text, line_starts))


def text_document(text: str, title: str = "Testdokument", pages: list[tuple[int, int]] | None = None) -> Document:
    return Document(DocumentMeta(doc_id="test", title=title), text, "hash", pages or [])


def words(text: str) -> int:
    return len(text.split())


def prose(n_sentences: int, start: int = 0) -> str:
    """`n_sentences` distinct sentences of 12 words each."""
    sentence = "Mening nummer {} handlar om regional utveckling i Norrbottens kommuner och län."
    return " ".join(sentence.format(i) for i in range(start, start + n_sentences))


@pytest.fixture(scope="module")
def report() -> tuple[Document, list[Chunk]]:
    doc = document(ATERRAPPORTERING)
    return doc, chunk_document(doc)


def chunk_with(chunks: list[Chunk], passage: str) -> Chunk:
    return next(c for c in chunks if passage in c.text)


# --- the återrapportering: headings, pages ------------------------------------------------------------------


@needs_corpus
def test_report_chunks_carry_numbered_heading_paths(report):
    _, chunks = report
    chunk = chunk_with(chunks, "Ett antal insatser fo r goda livsmiljo er har identifierats")
    assert chunk.heading_path[:3] == (
        "Återrapportering 1 – Regionalt utvecklingsarbete",
        "1.2 Nationell strategi för hållbar regional utveckling i hela landet 2021–2030",
        "1.2.1 Likvärdiga möjligheter till boende, arbete och välfärd i hela landet",
    )
    assert chunk.heading_path[3].startswith("1.2.1.1 Beskriv hur det strategiskt viktigaste arbetet")
    assert chunk.heading_path[3].endswith("Beskriv a ven eventuella utmaningar i genomfo randet.")
    assert chunk.embed_text.startswith(chunk.meta.title + " > Återrapportering 1 – Regionalt utvecklingsarbete > 1.2 ")


@needs_corpus
def test_report_top_level_sections_come_in_order_and_no_chunk_crosses_one(report):
    doc, chunks = report
    tops = list(dict.fromkeys(c.heading_path[0] for c in chunks if c.heading_path))
    assert [t.split(" –")[0] for t in tops] == [
        "Återrapportering 1",
        "Återrapportering 2",
        "Återrapportering 3",
        "Återrapportering 4",
        "5 Övriga medskick",
    ]
    top_starts = [re.search("^" + re.escape(t[:20]), doc.text, re.M).start() for t in tops]
    assert all(not (c.start < s < c.end) for c in chunks for s in top_starts)


@needs_corpus
def test_report_chunks_know_their_pages(report):
    _, chunks = report
    assert chunk_with(chunks, "Skickas i Wordformat till:").page == 1
    assert chunk_with(chunks, "Coronapandemin har under 2022").page == 3
    assert all(c.page is not None and c.page <= c.page_end for c in chunks)


@needs_corpus
def test_report_sections_start_their_own_chunks_without_repeating_the_heading(report):
    _, chunks = report
    chunk = chunk_with(chunks, "Coronapandemin har under 2022")
    assert chunk.heading_path[-1].startswith("1.1.1 Beskriv hur det strategiskt viktigaste")
    assert chunk.text.startswith("Coronapandemin har under 2022")


# --- invariants on every corpus document --------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_chunk_invariants_hold_on_the_corpus(path):
    doc = document(path)
    chunks = chunk_document(doc, max_words=160, overlap_words=30)
    headings = find_headings(doc.text, title=doc.meta.title)
    assert chunks
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text  # offsets are exact
        assert chunk.text == chunk.text.strip()
        assert words(chunk.text) <= 160 + 40  # a small tail merged in may pass the target by min_words
        assert words(chunk.embed_text) <= MAX_EMBED_WORDS
        assert chunk.language == "sv"
        assert chunk.meta is doc.meta and chunk.doc_id == doc.doc_id
        assert chunk.id == Chunk.make_id(doc.doc_id, chunk.text)
    assert len({c.id for c in chunks}) == len(chunks)
    covered = set().union(*(range(c.start, c.end) for c in chunks), *(range(h.start, h.end) for h in headings))
    assert all(ch.isspace() or i in covered for i, ch in enumerate(doc.text))  # no text is lost
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    assert [c.id for c in chunk_document(document(path))] == [c.id for c in chunks]  # stable across runs


@needs_corpus
def test_bullets_stay_with_their_lead_in():
    chunks = chunk_document(document(GREEN_DEAL))
    chunk = chunk_with(chunks, "Parter i projektet:")
    assert "• Delprojekt Västerbotten: Region Västerbotten och Skellefteå kommun." in chunk.text
    assert "• Delprojekt Norrbotten: Region Norrbotten" in chunk.text
    lead_in = chunk_with(chunks, "För Norrbottens delprojekt prioriteras dessa områden:")
    assert "• Fysisk planering." in lead_in.text


# --- packing rules on small texts ---------------------------------------------------------------------------


def test_long_sections_are_split_at_sentences_with_an_overlap_of_whole_sentences():
    doc = text_document("# Utveckling\n\n" + prose(30))  # 30 sentences of 12 words
    chunks = chunk_document(doc, max_words=60, overlap_words=30)
    assert len(chunks) > 5
    sentences = {doc.text[s:e] for s, e in sentence_spans(doc.text)}
    for before, after in pairwise(chunks):
        assert after.start < before.end  # they overlap ...
        shared = doc.text[after.start : before.end]
        assert words(shared) <= 30 and shared.split(". ")[0].rstrip(".") + "." in sentences  # ... by whole sentences
        assert after.text.startswith("Mening nummer")
    assert all(words(c.text) <= 60 + 15 for c in chunks)


def test_a_tiny_trailing_piece_is_merged_into_the_previous_chunk():
    doc = text_document("# Avsnitt\n\n" + prose(14) + " Kort slut.")  # 14 × 12 words + 2: one sentence too many
    chunks = chunk_document(doc, max_words=160, overlap_words=30)
    assert len(chunks) == 1 and chunks[0].text.endswith("Kort slut.")
    assert words(chunks[0].text) == 170


def test_each_section_starts_a_chunk_and_small_sections_join_their_neighbour():
    doc = text_document(f"# Del A\n\n{prose(5)}\n\n## Liten\n\nBara en rad.\n\n## Stor\n\n{prose(5, 10)}")
    chunks = chunk_document(doc, max_words=70, overlap_words=10)
    assert [c.heading_path for c in chunks] == [("Del A",), ("Del A", "Stor")]
    assert chunks[0].text.endswith("## Liten\n\nBara en rad.")  # the small section's heading travels with it


def test_chunks_never_cross_a_top_level_section():
    doc = text_document(f"# Del A\n\n{prose(2)}\n\n# Del B\n\nEn kort rad.")
    chunks = chunk_document(doc)
    assert [(c.heading_path, c.text) for c in chunks] == [(("Del A",), prose(2)), (("Del B",), "En kort rad.")]


def test_a_list_too_long_for_one_chunk_keeps_its_lead_in_with_the_first_item():
    items = "\n".join(f"• Punkt {i} om kompetensförsörjning och utbildning i hela länet." for i in range(30))
    doc = text_document(f"{prose(3)}\n\nDessa insatser prioriteras:\n\n{items}")
    chunks = chunk_document(doc, max_words=80, overlap_words=20)
    lead = chunk_with(chunks, "Dessa insatser prioriteras:")
    assert "• Punkt 0 om" in lead.text
    assert all("•" not in c.text.split("\n")[0] or c.text.startswith("•") for c in chunks)


def test_identical_passages_are_kept_once():
    same = "Samma text om regional utveckling här."
    doc = text_document(f"# A\n\n{same}\n\n# B\n\n{same}")
    assert len(chunk_document(doc)) == 1


def test_pages_come_from_the_document_page_starts():
    text = f"{prose(8)}\n\n{prose(10, 8)}"  # 18 sentences of 12 words
    second = text.index("Mening nummer 8")
    doc = text_document(text, pages=[(0, 4), (second, 5)])
    chunks = chunk_document(doc, max_words=160, overlap_words=0)  # 13 sentences, then 5
    assert [(c.page, c.page_end) for c in chunks] == [(4, 5), (5, 5)]


def test_unpaged_documents_have_no_page_numbers():
    chunks = chunk_document(text_document(prose(3)))
    assert chunks[0].page is None and chunks[0].page_end is None


def test_language_is_detected_and_short_text_falls_back_to_swedish():
    english = "The project works with the green transition in northern Sweden together with the municipalities."
    doc = text_document(f"# Svenska\n\n{prose(4)}\n\n# English\n\n{english}\n\n# Kort\n\nOK.")
    languages = {c.heading_path[0]: c.language for c in chunk_document(doc)}
    assert languages == {"Svenska": "sv", "English": "en", "Kort": "sv"}


def test_embed_text_stays_within_the_embedder_window_even_with_big_chunks_and_long_headings():
    heading = "Beskriv " + "mycket " * 40 + "utförligt"
    doc = text_document(f"# {heading}\n\n## {heading}\n\n{prose(60)}", title="En lång titel " * 5)
    chunks = chunk_document(doc, max_words=400, overlap_words=30)
    assert all(words(c.embed_text) <= MAX_EMBED_WORDS for c in chunks)


def test_empty_document_gives_no_chunks():
    assert chunk_document(text_document("")) == []


def test_overlap_must_be_smaller_than_the_chunk():
    with pytest.raises(ValueError):
        chunk_document(text_document(prose(2)), max_words=50, overlap_words=50)


def test_chunks_of_a_loaded_word_file_follow_its_headings():
    fixtures = Path(__file__).parents[1] / "fixtures" / "loaders"
    pages = clean_pages(load(fixtures / "project.docx"))
    text, _ = join_pages(pages)
    doc = Document(DocumentMeta(doc_id="projekt", title=guess_title(pages)), text, "hash")
    chunks = chunk_document(doc)
    parter = chunk_with(chunks, "Följande parter deltar:")
    assert parter.heading_path == ("Parter i projektet",)
    assert "• Härnösands kommun är projektägare." in parter.text
