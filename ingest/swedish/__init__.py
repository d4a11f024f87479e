"""Swedish text knowledge shared by ingest and the assistant: the lexicon and stems, compounds, the BM25 analyser,
the language detector, sentences, and the patterns several stages look for (years, numbers, page markers)."""
