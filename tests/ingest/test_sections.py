"""Headings and sections: which lines are headings, at what level, and the heading paths they give."""

from __future__ import annotations

from ingest.chunking.sections import find_headings, split_sections


def headings(text: str, title: str = "") -> list[tuple[int, str]]:
    return [(h.level, h.text) for h in find_headings(text, title=title)]


def test_markdown_headings_take_their_level_from_the_hashes():
    assert headings("# Rubrik\n\nText.\n\n## Under\n\nMer text.") == [(1, "Rubrik"), (2, "Under")]


def test_numbered_sections_nest_by_depth_and_wrapped_headings_are_joined():
    text = (
        "Återrapportering 1 – Regionalt utvecklingsarbete\n\n"
        "Inledande text om året.\n\n"
        "1.1 Den regionala utvecklingsstrategin\n"
        "1.1.1 Beskriv hur det strategiskt viktigaste arbetet med den regionala\n"
        "utvecklingsstrategin har bedrivits under året.\n\n"
        "Coronapandemin har påverkat arbetet.\n\n"
        "1.2 Nationell strategi för hållbar regional utveckling i hela\n"
        "landet 2021–2030\n\n"
        "Text.\n\n"
        "Återrapportering 2 – Fördelning av anslag 1:1 Regionala\n"
        "utvecklingsåtgärder\n\n"
        "2.1 Beskriv hur regionen har fördelat anslaget.\n\n"
        "Text."
    )
    assert headings(text) == [
        (1, "Återrapportering 1 – Regionalt utvecklingsarbete"),
        (2, "1.1 Den regionala utvecklingsstrategin"),
        (
            3,
            "1.1.1 Beskriv hur det strategiskt viktigaste arbetet med den regionala "
            "utvecklingsstrategin har bedrivits under året.",
        ),
        (2, "1.2 Nationell strategi för hållbar regional utveckling i hela landet 2021–2030"),
        (1, "Återrapportering 2 – Fördelning av anslag 1:1 Regionala utvecklingsåtgärder"),
        (2, "2.1 Beskriv hur regionen har fördelat anslaget."),
    ]


def test_numbers_that_do_not_continue_the_numbering_are_not_headings():
    text = (
        "1 Inledning\n\nText.\n\n"
        "1.1 Bakgrund\n\nText.\n\n"
        "3.4 Ett tal som hoppar\n\nText.\n\n"
        "2 SME som introducerar\nnya produkter eller\ninnovationer.\n\n"
        "2.0 (ESF)\n\n"
        "9 Hållbar industri,\n\n"
        "2 Resultat\n\nText."
    )
    assert headings(text) == [(1, "1 Inledning"), (2, "1.1 Bakgrund"), (1, "2 Resultat")]


def test_numbered_list_items_are_not_headings():
    text = "Projektet har fyra arbetspaket:\n\n1. Fysiska förutsättningar\n2. Samverkan\n3. Påverkansarbete\n"
    assert headings(text) == []


def test_short_title_lines_between_blank_lines_are_headings_one_level_below_the_numbered_ones():
    text = (
        "2 Resultat\n\n"
        "Grön omställning\n\n"
        "I Örnsköldsvik händer det mycket inom den gröna omställningen, specifikt gröna bränslen.\n\n"
        "Vad är nästa steg?\n\n"
        "• Utbildningar erbjuds under våren.\n"
    )
    assert headings(text) == [(1, "2 Resultat"), (2, "Grön omställning"), (2, "Vad är nästa steg?")]


def test_lead_ins_quotes_dates_bullets_and_table_cells_are_not_headings():
    text = (
        "Parter i projektet:\n\n"
        "• Delprojekt Västerbotten\n\n"
        "2024-02-06 10:10\n\n"
        "- Det är viktigt att satsningarna kompletterar varandra, säger hon.\n\n"
        "Namn på insats och\n\n"
        "kort beskrivning\n\n"
        "RUS: Attraktiva\nlivsmiljöer\nSmart specialisering:\n\n"
        "Energiteknik\n\n"
        "Förstudierapport som\nvisar om det är möjligt\natt bygga ett\n\n"
        "Ja ☒\n\n"
        "Beskriv i punktform hur anslaget har bidragit till målen i strategin.\n"
    )
    assert headings(text) == []


def test_the_documents_own_title_is_level_zero_and_stays_out_of_heading_paths():
    text = "Vägar till hållbar utveckling\n\nInsatsområde 3: Finansiering\n\nInsatsområdet handlar om hållbarhet.\n"
    assert headings(text, title="Vägar till hållbar utveckling") == [
        (0, "Vägar till hållbar utveckling"),
        (1, "Insatsområde 3: Finansiering"),
    ]
    paths = [s.heading_path for s in split_sections(text, title="Vägar till hållbar utveckling")]
    assert paths == [(), ("Insatsområde 3: Finansiering",)]


def test_sections_cover_the_text_and_carry_paths_and_top_level_groups():
    text = "Förord utan rubrik.\n\n# Del A\n\nText A.\n\n## A.1\n\nText A1.\n\n# Del B\n\nText B."
    sections = split_sections(text)
    assert [(s.heading_path, text[s.start : s.end].strip()) for s in sections] == [
        ((), "Förord utan rubrik."),
        (("Del A",), "Text A."),
        (("Del A", "A.1"), "Text A1."),
        (("Del B",), "Text B."),
    ]
    assert [s.top for s in sections][1] == sections[2].top != sections[3].top
    assert sections[0].top == -1


def test_a_stray_number_does_not_derail_the_numbering_that_follows():
    text = "3 Tabellrad med belopp\n\nText.\n\n1 Inledning\n\nText.\n\n1.1 Bakgrund\n\nText.\n\n2 Metod\n\nText."
    assert headings(text) == [(1, "1 Inledning"), (2, "1.1 Bakgrund"), (1, "2 Metod")]
