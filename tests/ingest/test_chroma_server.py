"""Server mode: the same ingest and reads against a real `chroma run` on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.indexing.store import Store
from ingest.pipeline import Ingestor
from regionkunskap.errors import StoreError

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"chroma did not answer at {url}")


@pytest.fixture
def chroma_server(tmp_path: Path):
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_and_read_through_a_chroma_server(chroma_server, tmp_path, e5_embedder, store_invariants):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sam.txt").write_text(
        "Stärkt attraktionskraft\n\nProjektet SAM pågår 1 februari 2024 – 21 december 2026. "
        "Sundsvalls kommun är projektägare.\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "local", chroma_url=chroma_server)
    report = Ingestor(store, embedder_spec="e5-small", model_cache=Path("unused"), embedder=e5_embedder,
                      progress=False).run([docs])
    assert report.ok and report.added == ["sam.txt"]
    assert not (tmp_path / "local" / "chroma").exists(), "server mode keeps no local Chroma database"

    reader = Store(tmp_path / "local", chroma_url=chroma_server)
    assert reader.stats()["chunks"] == len(reader.chunks()) >= 1
    hits = reader.vector_store().query(_query(e5_embedder.get_query_embedding("Vem äger SAM?")))
    assert "Sundsvalls kommun" in hits.nodes[0].get_content()
    store_invariants(reader)


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="chroma run"):
        Store(tmp_path, chroma_url=url).stats()


def _query(embedding):
    from llama_index.core.vector_stores.types import VectorStoreQuery

    return VectorStoreQuery(query_embedding=embedding, similarity_top_k=1)
