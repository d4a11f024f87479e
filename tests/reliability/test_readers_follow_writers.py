"""A running chat follows ingests made by another process into the embedded store: asked while the ingest runs,
it keeps answering, and answers about the new document within 5 s of the ingest's end (issue 12)."""

from __future__ import annotations

import subprocess
import time

from ingest.indexing.store import Store

SAM = (
    "Stärkt attraktionskraft\n\nProjektet SAM pågår 1 februari 2024 – 21 december 2026. "
    "Sundsvalls kommun är projektägare.\n"
)
HSO = (
    "Hälsosam omställning i Västernorrland\n\nProjektet HSO leds av Region Västernorrland. Projektet får "
    "12 miljoner kronor från Europeiska socialfonden och pågår till juni 2026.\n"
)
QUESTION, FACT = "Vem leder projektet HSO?", "Region Västernorrland"


def test_a_chat_asked_during_an_ingest_answers_about_the_new_document_within_5_s_of_its_end(
    tmp_path,
    default_embedder,
    ingest_here,
    regionkunskap_cli,
):
    from assistant.assistant import Assistant
    from regionkunskap.settings import Settings

    cli, cli_env = regionkunskap_cli
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sam.txt").write_text(SAM, encoding="utf-8")
    setup = Store(tmp_path / "store")
    ingest_here(setup, [docs])
    setup.close()  # from here on, only the chat has the embedded database open in this process

    chat = Assistant(Settings(store=tmp_path / "store", follow_interval=0.5), embedder=default_embedder)
    assert FACT not in chat.ask(QUESTION).text

    (docs / "hso.txt").write_text(HSO, encoding="utf-8")
    ingest = subprocess.Popen(
        [str(cli), "ingest", "--no-progress", str(docs)],
        env=cli_env(store=tmp_path / "store"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers: list[tuple[float, bool]] = []
    ended = None
    while ended is None or time.monotonic() < ended + 6:
        answers.append((time.monotonic(), FACT in chat.ask(QUESTION).text))  # never raises mid-ingest
        if ended is None and ingest.poll() is not None:
            ended = time.monotonic()
        time.sleep(0.2)
    assert ingest.returncode == 0, ingest.stderr.read()

    first = next((t for t, ok in answers if ok), None)
    assert first is not None, "the chat never answered about the document ingested while it ran"
    assert first - ended <= 5, f"answered {first - ended:.1f} s after the ingest ended"
    assert all(ok for t, ok in answers if t >= first), "once answered, always answered"
    assert "hso.txt" in {d.doc_id for d in chat.store.documents()}
    hits = chat.store.vector_store().query(_query(default_embedder.get_query_embedding(QUESTION)))
    assert any(n.metadata.get("doc_id") == "hso.txt" for n in hits.nodes), "the new vectors are visible to dense search"


def _query(embedding):
    from llama_index.core.vector_stores.types import VectorStoreQuery

    return VectorStoreQuery(query_embedding=embedding, similarity_top_k=3)
