"""Sentence ends, shared by chunking and the assistant's reading of a passage."""

from __future__ import annotations

from ingest.swedish.sentences import sentence_spans


def test_sentences_are_not_split_at_abbreviations_numbers_or_dates():
    text = (
        "Budgeten är 112,5 miljoner kronor, bl.a. från EU. Projektet har t.ex. ca. 45 butiker och nr. 5 är störst. "
        "Regionala 1:1-medel används sedan 2024-02-06. Enligt A. Svensson (Skr. 2020/21:133) gäller det. Vad händer nu?"
    )
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Budgeten är 112,5 miljoner kronor, bl.a. från EU.",
        "Projektet har t.ex. ca. 45 butiker och nr. 5 är störst.",
        "Regionala 1:1-medel används sedan 2024-02-06.",
        "Enligt A. Svensson (Skr. 2020/21:133) gäller det.",
        "Vad händer nu?",
    ]
