"""The chat's view of the store follows ingests: a document ingested after the chat started shows up in the
Dokument and Förkortningar tabs, the filters and "Visa dokumentet" — without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.corpus import CorpusView
from assistant.chat.tables import documents_table, glossary_table
from ingest.indexing.store import Store
from ingest.pipeline import Ingestor

pytestmark = pytest.mark.slow

FIRST = (
    "# Projekt Fjällvind\n\nProjektet Fjällvind bygger vindkraft i fjällen. Projektet leds av "
    "Region Jämtland Härjedalen och pågår 2024–2026.\n"
)
SECOND = (
    "# Projekt Kustbuss\n\nRegionala kollektivtrafikmyndigheten (RKM) driver projektet Kustbuss. Bussarna går "
    "längs kusten från Umeå till Luleå varje timme.\n"
)


def ingest(store_dir: Path, folder: Path, embedder) -> None:
    report = Ingestor(
        Store(store_dir), embedder_spec="e5-small", model_cache=Path("unused"), embedder=embedder, progress=False
    ).run([folder])
    assert report.ok, report.skipped


def test_tabs_filters_and_documents_follow_a_later_ingest(tmp_path, e5_embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "fjallvind.md").write_text(FIRST, encoding="utf-8")
    ingest(tmp_path / "store", folder, e5_embedder)
    corpus = CorpusView(Store(tmp_path / "store"))
    assert [r[0] for r in corpus.document_rows()] == ["Projekt Fjällvind"]
    assert "RKM" not in glossary_table(corpus.glossary_rows())

    (folder / "kustbuss.md").write_text(SECOND, encoding="utf-8")
    ingest(tmp_path / "store", folder, e5_embedder)

    assert [r[0] for r in corpus.document_rows()] == ["Projekt Fjällvind", "Projekt Kustbuss"]
    assert "Kustbuss" in documents_table(corpus.document_rows())
    assert "Regionala kollektivtrafikmyndigheten" in glossary_table(corpus.glossary_rows())
    documents, _, _ = corpus.filter_choices()
    assert [title for title, _ in documents] == ["Projekt Fjällvind", "Projekt Kustbuss"]
    doc_id = next(doc_id for title, doc_id in documents if title == "Projekt Kustbuss")
    assert any("Umeå till Luleå" in c.text for c in corpus.chunks_of(doc_id))


def test_the_tables_show_every_row_and_search_narrows_them(chat_assistant):
    corpus = CorpusView(chat_assistant.store)
    rows = corpus.glossary_rows()
    table = glossary_table(rows)
    assert table.count("<tr>") == len(rows) + 1 and f"({len(rows)} st.)" in table
    narrowed = glossary_table(rows, "regionala utvecklingsfonden")
    assert "ERUF" in narrowed and "HSO" not in narrowed and "visas" in narrowed
    assert "Inget matchar" in glossary_table(rows, "xyzzy")
    documents = documents_table(corpus.document_rows(), "green deal")
    assert documents.count('class="rk-doc-open"') == 1 and 'data-doc="north-sweden-green-deal.txt"' in documents
