"""The bundled corpus, ingested for real: five documents with manifest metadata, pages and heading paths."""

from __future__ import annotations

import re

import pytest

# The corpus ingested with the real e5 model, once per session.
pytestmark = pytest.mark.slow

REPORT = "region-norrbotten-aterrapportering-2022.txt"
# Fragments PDF extraction leaves when it detaches å/ä/ö from their base letter.
DETACHED = re.compile(r"\b(fo r|a r|pa|fra n|sa|ha llbar|la net|a ret|mo jlighet\w*|Tillva xtverket)\b(?= )")


def test_the_store_holds_the_five_documents_with_their_manifest_metadata(corpus_store, store_invariants):
    docs = {d.doc_id: d for d in corpus_store.documents()}
    assert len(docs) == 5
    report = docs[REPORT].meta
    assert report["doc_type"] == "återrapportering" and report["organisation"] == "Region Norrbotten"
    assert report["year"] == 2022 and report["inferred"] == ""
    assert all(d.chunk_ids for d in docs.values())
    store_invariants(corpus_store)


def test_the_aterrapportering_chunks_carry_pages_and_heading_paths(corpus_store):
    chunks = [c for c in corpus_store.chunks().values() if c.doc_id == REPORT]
    assert all(c.page is not None and 1 <= c.page <= 45 for c in chunks)
    assert len({c.page for c in chunks}) > 30, "pages must spread over the document"
    marker = re.compile(r"^\s*\d{1,2}\(45\)\s*$", re.M)
    assert not any(marker.search(c.text) for c in chunks), "page markers stay out of the text"
    paths = {c.heading_path for c in chunks}
    assert any(len(p) >= 3 and p[0].startswith("Återrapportering 1") for p in paths)
    servicenat = next(c for c in chunks if "ca 45 butiker" in c.text)
    assert servicenat.page == 5
    assert any("1.2.1" in h for h in servicenat.heading_path)
    assert servicenat.embed_text.startswith(servicenat.meta.title)


def test_the_aterrapportering_is_stored_without_detached_diacritics(corpus_store):
    chunks = [c for c in corpus_store.chunks().values() if c.doc_id == REPORT]
    text = "\n".join(c.text for c in chunks)
    found = DETACHED.findall(text)
    assert not found, f"detached-diacritic fragments remain: {sorted(set(found))[:20]}"
    assert "för hållbar regional utveckling" in text
    assert "Tillväxtverket" in text


def test_chunk_offsets_point_into_the_cleaned_document(corpus_store):
    for chunk in list(corpus_store.chunks().values())[:50]:
        assert 0 <= chunk.start < chunk.end
        assert chunk.language in {"sv", "en"} or chunk.language
