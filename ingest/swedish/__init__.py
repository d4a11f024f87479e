"""Swedish text knowledge shared by ingest and the assistant: words, stems, compounds, sentences, language."""
