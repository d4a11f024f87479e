"""Indexing and storing chunks: the embedder, the BM25 index and the store (Chroma + catalog)."""
