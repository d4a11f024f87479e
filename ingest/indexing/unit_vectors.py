"""Sentence vectors stored with each chunk: what lets the answer step compare a question with every sentence.

The answer step scores each unit of a retrieved passage (a sentence, a list item, a table line, a heading —
`ingest.swedish.sentences.split_sentences`) partly by its e5 similarity to the question. Embedding those
units at question time would cost seconds per answer on a CPU, so ingest embeds them once, beside the chunk,
and stores them in the chunk's metadata as one compact string:

    base64( for each unit: float16 scale, then `dimension` int8 components )

with each unit vector normalised and quantised to int8 on its own scale (cosine to the float vector
≥ 0.999 for e5's 384 dimensions). 384 dimensions take 512 characters per unit.
"""

from __future__ import annotations

import base64
from functools import lru_cache

import numpy as np

from ingest.swedish.sentences import split_sentences


def unit_texts(chunk_text: str) -> list[str]:
    """The units of a chunk's text, in the order their vectors are stored."""
    return [unit.text for unit in split_sentences(chunk_text)]


def pack(vectors: np.ndarray | list[list[float]]) -> str:
    """Normalised int8 vectors with a float16 scale each, as one base64 string ("" for no vectors)."""
    rows = np.asarray(vectors, dtype=np.float32)
    if rows.size == 0:
        return ""
    rows = rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-12)
    scale = np.abs(rows).max(axis=1, keepdims=True) / 127 + 1e-12
    ints = np.round(rows / scale).astype(np.int8)
    record = np.dtype([("scale", "<f2"), ("v", "i1", (rows.shape[1],))])
    out = np.empty(len(rows), dtype=record)
    out["scale"], out["v"] = scale[:, 0], ints
    return base64.b64encode(out.tobytes()).decode("ascii")


@lru_cache(maxsize=4096)
def unpack(packed: str, dimension: int) -> np.ndarray | None:
    """The normalised float32 vectors of `pack`, one row per unit; None for "" or a string of another size."""
    if not packed:
        return None
    raw = base64.b64decode(packed)
    record = np.dtype([("scale", "<f2"), ("v", "i1", (dimension,))])
    if len(raw) % record.itemsize:
        return None
    data = np.frombuffer(raw, dtype=record)
    rows = data["v"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
    rows /= np.linalg.norm(rows, axis=1, keepdims=True) + 1e-12
    rows.flags.writeable = False
    return rows
