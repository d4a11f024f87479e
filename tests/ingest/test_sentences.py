"""Swedish sentences: the ends chunking cuts at, and the units the assistant reads a passage in."""

from __future__ import annotations

from ingest.swedish.sentences import sentence_spans, split_sentences

GREEN_DEAL = (
    "Projektet The North Sweden Green Deal arbetar med den gröna omställningen. Den totala budgeten är "
    "112,5 miljoner kronor, bl.a. från EU.\n\nParter i projektet:\n\n  • Delprojekt Västerbotten: Region "
    "Västerbotten och Skellefteå kommun.\n  • Delprojekt Norrbotten: Region Norrbotten, Boden och Piteå."
)
PDF = (
    "Under 2022 fördelades anslaget enligt\nföljande: 61 % till projekt, 34 % till\nföretagsstöd samt 5 % till "
    "kommersiell service.\n\nHållbar samhällsomställning (HSO)\n\nProjektperiod: 1 januari 2024 – 30 april 2027."
)


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


# --- a passage read for answers --------------------------------------------------------------------------


def test_a_paragraph_is_cut_into_sentences_and_abbreviations_do_not_end_one():
    texts = [s.text for s in split_sentences(GREEN_DEAL)][:2]
    assert texts == [
        "Projektet The North Sweden Green Deal arbetar med den gröna omställningen.",
        "Den totala budgeten är 112,5 miljoner kronor, bl.a. från EU.",
    ]


def test_list_items_are_candidates_of_their_own_with_the_lead_in_as_context():
    items = [s for s in split_sentences(GREEN_DEAL) if s.kind == "item"]
    assert [s.text[:26] for s in items] == ["Delprojekt Västerbotten: R", "Delprojekt Norrbotten: Reg"]
    assert all("Parter i projektet:" in s.near for s in items)


def test_a_paragraph_right_after_a_list_is_no_part_of_its_last_item():
    text = (
        "Arbetsuppgifterna handlar om att:\n• Bygga nya kraftledningar\n• Installera elmätare i hushåll\n"
        "I jobbet ingår att åtgärda akuta fel. Det sker ofta på natten."
    )
    units = [(s.kind, s.text) for s in split_sentences(text)]
    assert units[1:] == [
        ("item", "Bygga nya kraftledningar"),
        ("item", "Installera elmätare i hushåll"),
        ("sentence", "I jobbet ingår att åtgärda akuta fel."),
        ("sentence", "Det sker ofta på natten."),
    ]
    # An item wrapped onto the next line goes on there, also when that line starts with a name.
    wrapped = "Parter:\n• Luleå tekniska universitet och\nRegion Norrbotten\n• Umeå kommun, som leder\narbetet"
    assert [s.text for s in split_sentences(wrapped) if s.kind == "item"] == [
        "Luleå tekniska universitet och Region Norrbotten",
        "Umeå kommun, som leder arbetet",
    ]


def test_lines_broken_inside_a_sentence_are_joined_and_spans_point_into_the_text():
    sentences = split_sentences(PDF)
    assert sentences[0].text == (
        "Under 2022 fördelades anslaget enligt följande: 61 % till projekt, 34 % till företagsstöd samt 5 % till "
        "kommersiell service."
    )
    for s in sentences:
        assert " ".join(PDF[s.start : s.end].split()) == s.text


def test_a_heading_in_the_passage_is_the_context_of_what_follows_it():
    period = next(s for s in split_sentences(PDF) if s.text.startswith("Projektperiod"))
    assert period.near == ("Hållbar samhällsomställning (HSO)",)


def test_the_earlier_sentences_of_a_paragraph_are_its_nearest_context():
    budget = split_sentences(GREEN_DEAL)[1]
    assert budget.near[0].startswith("Projektet The North Sweden Green Deal")
