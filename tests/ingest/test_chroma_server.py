"""Server mode against a real `chroma run` on a free loopback port: the same ingest and reads; each store in a
namespace of its own; the catalog, generation and lease in the server; timeouts toward it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest

from ingest.indexing.store import Store
from ingest.pipeline import Ingestor
from regionkunskap.errors import LeaseHeld, ServerUnavailable, StoreError

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SAM = (
    "Stärkt attraktionskraft\n\nProjektet SAM pågår 1 februari 2024 – 21 december 2026. "
    "Sundsvalls kommun är projektägare.\n"
)
HSO = (
    "Hälsosam omställning\n\nProjektet HSO leds av Region Västernorrland. Budgeten är 12 miljoner kronor "
    "och projektet slutar i juni 2026.\n"
)


def ingestor(store: Store, embedder) -> Ingestor:
    return Ingestor(store, embedder_spec="e5-small", model_cache=Path("unused"), embedder=embedder, progress=False)


def folder(path: Path, **files: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / f"{name}.txt").write_text(text, encoding="utf-8")
    return path


def test_ingest_and_read_through_a_chroma_server(chroma_server, tmp_path, e5_embedder, store_invariants):
    docs = folder(tmp_path / "docs", sam=SAM)
    store = Store(tmp_path / "local", chroma_url=chroma_server.url)
    report = Ingestor(
        store, embedder_spec="e5-small", model_cache=Path("unused"), embedder=e5_embedder, progress=False
    ).run([docs])
    assert report.ok and report.added == ["sam.txt"]
    assert not (tmp_path / "local" / "chroma").exists(), "server mode keeps no local Chroma database"

    reader = Store(tmp_path / "local", chroma_url=chroma_server.url)
    assert reader.stats()["chunks"] == len(reader.chunks()) >= 1
    hits = reader.vector_store().query(_query(e5_embedder.get_query_embedding("Vem äger SAM?")))
    assert "Sundsvalls kommun" in hits.nodes[0].get_content()
    store_invariants(reader)


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match="chroma run"):
        Store(tmp_path, chroma_url=url).stats()


def test_two_stores_on_one_server_never_touch_each_others_chunks(
    chroma_server, tmp_path, e5_embedder, store_invariants
):
    """Issue 12's repro: store A holds the corpus; store B, another folder on the same server, ingests one file."""
    a = Store(tmp_path / "A", chroma_url=chroma_server.url)
    assert ingestor(a, e5_embedder).run([REPO / "corpus"], prune=True).ok
    a_ids = set(Store(tmp_path / "A", chroma_url=chroma_server.url).chunks())
    assert len(a_ids) > 100

    b = Store(tmp_path / "B", chroma_url=chroma_server.url)
    report = ingestor(b, e5_embedder).run([folder(tmp_path / "one", sam=SAM)], prune=True)
    assert report.ok and report.added == ["sam.txt"]

    a_after = Store(tmp_path / "A", chroma_url=chroma_server.url)
    assert set(a_after.chunks()) == a_ids, "B's ingest must leave every chunk of A in place"
    assert (a_after.stats()["documents"], a_after.stats()["chunks"]) == (5, len(a_ids))
    b_after = Store(tmp_path / "B", chroma_url=chroma_server.url)
    assert [d.doc_id for d in b_after.documents()] == ["sam.txt"] and b_after.stats()["chunks"] >= 1
    assert {"A", "B"} <= set(a_after.namespaces())
    store_invariants(a_after)
    store_invariants(b_after)


def test_a_reader_elsewhere_serves_the_catalog_and_bm25_from_the_server_and_follows_commits(
    chroma_server, tmp_path, e5_embedder
):
    writer = Store(tmp_path / "ingest-machine", chroma_url=chroma_server.url, namespace="team")
    docs = folder(tmp_path / "docs", sam=SAM)
    ingestor(writer, e5_embedder).run([docs])
    reader = Store(tmp_path / "chat-machine", chroma_url=chroma_server.url, namespace="team", follow_interval=0)
    assert [d.doc_id for d in reader.documents()] == ["sam.txt"]
    assert reader.bm25().search("Vem är projektägare för SAM?", k=1)[0][0] in reader.chunks()
    assert reader.refresh() is False, "nothing was committed since it loaded"

    generations_seen_mid_ingest = []
    second = Store(tmp_path / "ingest-machine", chroma_url=chroma_server.url, namespace="team")
    write = second.write_document
    second.write_document = lambda *a, **k: (write(*a, **k), generations_seen_mid_ingest.append(reader.generation()))
    before = reader.generation()
    folder(docs, hso=HSO)
    ingestor(second, e5_embedder).run([docs])
    assert generations_seen_mid_ingest == [before], "the generation moves when the ingest commits, not per document"

    assert reader.refresh() is True
    assert {d.doc_id for d in reader.documents()} == {"sam.txt", "hso.txt"}
    best = reader.bm25().search("Vem leder projektet HSO?", k=1)[0][0]
    assert reader.chunks()[best].doc_id == "hso.txt"


def test_a_second_ingester_is_refused_while_the_first_holds_the_lease(chroma_server, tmp_path, e5_embedder):
    docs = folder(tmp_path / "docs", sam=SAM)
    first = Store(tmp_path / "m1", chroma_url=chroma_server.url, namespace="team")
    second = Store(tmp_path / "m2", chroma_url=chroma_server.url, namespace="team")
    with first.writing():
        started = time.monotonic()
        with pytest.raises(LeaseHeld, match=r"another ingest is writing store 'team' \(.*pid") as refused:
            ingestor(second, e5_embedder).run([docs])
        assert time.monotonic() - started < 5 and "\n" not in str(refused.value)
        assert second.documents() == []
    assert ingestor(second, e5_embedder).run([docs]).added == ["sam.txt"], "once released, the next ingest runs"


def test_a_lease_whose_holder_died_or_expired_is_taken_over(chroma_server, tmp_path, e5_embedder):
    store = Store(tmp_path / "m1", chroma_url=chroma_server.url, namespace="team")
    with store.writing():
        catalog = store._backend._collection()
    dead = subprocess.Popen(["true"])
    dead.wait()
    leases = {
        "lease:dead-here": {
            "holder": "x",
            "host": socket.gethostname(),
            "pid": dead.pid,
            "expires_at": time.time() + 600,
        },
        "lease:expired-elsewhere": {"holder": "y", "host": "elsewhere", "pid": 1, "expires_at": time.time() - 1},
    }
    catalog.upsert(
        ids=list(leases),
        embeddings=[[1.0]] * 2,
        documents=[json.dumps(v) for v in leases.values()],
        metadatas=[{"kind": "lease"}] * 2,
    )
    report = ingestor(Store(tmp_path / "m2", chroma_url=chroma_server.url, namespace="team"), e5_embedder).run(
        [folder(tmp_path / "docs", sam=SAM)]
    )
    assert report.added == ["sam.txt"]
    assert catalog.get(where={"kind": "lease"})["ids"] == [], "stale leases are removed and ours is released"


def test_a_store_refuses_a_collection_it_did_not_create(chroma_server, tmp_path, e5_embedder):
    import chromadb

    from ingest.indexing.chroma import Chroma, ServerOptions

    Chroma(server=ServerOptions(chroma_server.url, "team")).client(create=True)  # the namespace exists…
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port, database="rk-team")
    foreign = client.create_collection("regionkunskap", embedding_function=None)  # …with someone else's collection
    foreign.add(ids=["theirs"], embeddings=[[0.1] * 384], documents=["their data"])
    store = Store(tmp_path / "m", chroma_url=chroma_server.url, namespace="team")
    with pytest.raises(StoreError, match="not created by this store.*REGIONKUNSKAP_NAMESPACE"):
        ingestor(store, e5_embedder).run([folder(tmp_path / "docs", sam=SAM)])
    assert foreign.get()["ids"] == ["theirs"]


def test_a_reader_of_a_missing_namespace_is_told_which_stores_the_server_holds(chroma_server, tmp_path, e5_embedder):
    ingestor(Store(tmp_path / "team", chroma_url=chroma_server.url), e5_embedder).run([folder(tmp_path / "d", sam=SAM)])
    stray = Store(tmp_path / "elsewhere", chroma_url=chroma_server.url)
    assert stray.documents() == []
    message = str(stray.empty_error())
    assert "'elsewhere'" in message and "'team'" in message and "REGIONKUNSKAP_NAMESPACE" in message


def test_a_frozen_server_fails_within_the_timeout_with_one_line_naming_it(chroma_server, tmp_path, e5_embedder):
    store = Store(tmp_path / "m", chroma_url=chroma_server.url, read_timeout=1.5, connect_timeout=1, follow_interval=0)
    ingestor(store, e5_embedder).run([folder(tmp_path / "d", sam=SAM)])
    chroma_server.freeze()
    for call in (
        lambda: store.refresh(),
        lambda: Store(tmp_path / "m", chroma_url=chroma_server.url, read_timeout=1.5, connect_timeout=1).stats(),
    ):
        started = time.monotonic()
        with pytest.raises(ServerUnavailable, match="did not answer within 1.5 s") as failed:
            call()
        assert time.monotonic() - started < 1.5 + 3
        assert chroma_server.url in str(failed.value) and "\n" not in str(failed.value)
    chroma_server.thaw()
    assert Store(tmp_path / "m", chroma_url=chroma_server.url).stats()["documents"] == 1


def _query(embedding):
    from llama_index.core.vector_stores.types import VectorStoreQuery

    return VectorStoreQuery(query_embedding=embedding, similarity_top_k=1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
