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
