"""Finding the passages for a question: hybrid dense + BM25 retrieval, filters, an optional rerank stage."""
