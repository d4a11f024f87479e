"""Sentence vectors stored with each chunk: packed small, read back close to what the model gave, one per unit."""

from __future__ import annotations

import numpy as np

from ingest.indexing.store import Store
from ingest.indexing.unit_vectors import pack, unit_texts, unpack
from ingest.pipeline import Ingestor
from ingest.swedish.sentences import split_sentences


def test_packed_vectors_read_back_normalised_and_within_a_rounding_of_the_original():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(7, 384)).astype(np.float32)
    rows = unpack(pack(vectors), 384)

    assert rows.shape == (7, 384)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    original = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert (np.sum(rows * original, axis=1) > 0.999).all()
    assert len(pack(vectors)) == 4 * -(-7 * (2 + 384) // 3)  # base64 of 386 bytes per unit


def test_no_vectors_and_vectors_of_another_size_read_as_none():
    assert pack([]) == "" and unpack("", 384) is None
    assert unpack(pack(np.ones((2, 64))), 384) is None


def test_an_ingested_chunk_holds_one_vector_per_unit_in_the_order_the_answer_step_reads_them(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Projekt Alfa\n\nProjektet Alfa ägs av Kiruna kommun. Det pågår 2024–2026.\n\nParter:\n\n"
        "- Luleå kommun\n- Bodens kommun\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "store")
    Ingestor(store, embedder_spec="hash:64", model_cache=tmp_path, progress=False).run([docs])

    chunks = list(Store(tmp_path / "store").chunks().values())
    assert chunks
    for chunk in chunks:
        rows = unpack(chunk.unit_vectors, 64)
        assert rows is not None and len(rows) == len(split_sentences(chunk.text)) == len(unit_texts(chunk.text))


def test_a_sentence_repeated_in_a_document_is_embedded_once(tmp_path, monkeypatch):
    from ingest.indexing.embedder import SentenceTransformerEmbedding

    docs = tmp_path / "docs"
    docs.mkdir()
    repeated = "Kontakta projektledaren för mer information."
    (docs / "a.txt").write_text(
        f"Projekt Alfa\n\nAlfa ägs av Kiruna kommun. {repeated}\n\n"
        f"Projekt Beta\n\nBeta ägs av Luleå kommun. {repeated}\n",
        encoding="utf-8",
    )
    embedded: list[str] = []
    real = SentenceTransformerEmbedding.embed_passages

    def recording(self, texts, **kwargs):
        embedded.extend(texts)
        return real(self, texts, **kwargs)

    monkeypatch.setattr(SentenceTransformerEmbedding, "embed_passages", recording)
    Ingestor(Store(tmp_path / "store"), embedder_spec="hash:64", model_cache=tmp_path, progress=False).run([docs])

    assert embedded.count(repeated) == 1
    chunks = list(Store(tmp_path / "store").chunks().values())
    assert sum(unit_texts(c.text).count(repeated) for c in chunks) == 2, "both places still get its vector"
    for chunk in chunks:
        assert len(unpack(chunk.unit_vectors, 64)) == len(unit_texts(chunk.text))
