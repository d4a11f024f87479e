"""Cleaning: each step on a small example, then the whole of `clean_pages` on the PDF-extracted report."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cleaning.clean import (
    clean_pages,
    collapse_spaces,
    drop_navigation_lines,
    join_hyphenated_lines,
    join_pages,
    normalize_bullets,
    normalize_spaces,
    normalize_unicode,
    page_starts_from_lines,
    remove_blank_lines_inside_sentences,
    remove_duplicate_mailto,
    remove_running_lines,
    remove_toc_lines,
    squeeze_blank_lines,
)
from ingest.reading.loaders import load
from ingest.types import Page

ATERRAPPORTERING = Path(__file__).parents[2] / "corpus" / "region-norrbotten-aterrapportering-2022.txt"


def test_unicode_is_composed_and_invisible_characters_go():
    assert normalize_unicode("va\u0308lfa\u030ard") == "välfård"
    assert normalize_unicode("kompe\u00adtens\u200b") == "kompetens"
    assert normalize_unicode("rad ett\r\nrad två\r") == "rad ett\nrad två\n"


def test_odd_spaces_become_one_space_and_lines_are_trimmed():
    text = "  Region\u00a0Norrbotten   och\u2009Luleå  i  länet \t\n\u00a0\n"
    assert normalize_spaces(text) == "Region Norrbotten och Luleå i länet\n\n"


def test_double_spaces_are_kept_for_the_diacritic_repair_and_collapsed_after_it():
    text = normalize_spaces("arbetet pa  en helt ny niva .   Da rfo r", keep_double=True)
    assert text == "arbetet pa  en helt ny niva . Da rfo r"
    assert collapse_spaces(text) == "arbetet pa en helt ny niva . Da rfo r"
    assert clean_pages([Page(1, "pa  en")]) == [Page(1, "pa  en")]
    assert clean_pages([Page(1, "pa  en")], keep_double_spaces=False) == [Page(1, "pa en")]


@pytest.mark.parametrize("glyph", ["•", "▪", "\uf0b7", "\uf0a7", "●", "◦"])
def test_bullet_glyphs_become_one_bullet(glyph):
    assert normalize_bullets(f"{glyph}  Ökad kompetens") == "• Ökad kompetens"


def test_a_bullet_alone_on_its_line_joins_its_text():
    assert normalize_bullets("\uf0b7\nHur arbetet har bedrivits.") == "• Hur arbetet har bedrivits."


def test_dashes_are_bullets_only_in_a_list():
    listed = "Parter i projektet:\n– Region Norrbotten\n– Luleå kommun"
    assert normalize_bullets(listed) == "Parter i projektet:\n• Region Norrbotten\n• Luleå kommun"
    quote = "Målet är tydligt.\n\n- Det är viktigt att satsningarna kompletterar varandra, säger hon.\n\nSlut."
    assert normalize_bullets(quote) == quote


def test_running_headers_and_page_numbers_repeated_on_half_the_pages_are_removed():
    bodies = ["Kompetens i länet.", "Jämställdhet och integration.", "Miljö och klimat.", "Samverkan med kommuner."]
    pages = [
        Page(n, f"Region Testlän\nÅterrapportering 2022\n\n{body}\n\nSida {n} av 4")
        for n, body in enumerate(bodies, start=1)
    ]
    assert [p.text.strip() for p in remove_running_lines(pages)] == bodies


def test_running_line_removal_needs_three_pages():
    pages = [Page(1, "Rubrik\nText ett."), Page(2, "Rubrik\nText två.")]
    assert remove_running_lines(pages) == pages


def test_table_of_contents_lines_their_wraps_and_title_are_removed():
    text = (
        "Innehåll\n"
        "Återrapportering 1 – Regionalt utvecklingsarbete ......................... 3\n"
        "\n"
        "1.1 Den regionala utvecklingsstrategin ....................................... 3\n"
        "1.2.3 Innovation och förnyelse samt entreprenörskap i hela\n"
        "landet ............................................................................. 11\n"
        "1.3 Jämställdhet . . . . . . . . . . 20\n"
        "\n"
        "Återrapportering 1 – Regionalt utvecklingsarbete\n"
        "Texten börjar här."
    )
    assert remove_toc_lines(text).strip() == "Återrapportering 1 – Regionalt utvecklingsarbete\nTexten börjar här."


def test_a_sentence_with_an_ellipsis_is_not_a_contents_line():
    text = "Arbetet fortsätter ... 2023 blir ett viktigt år."
    assert remove_toc_lines(text) == text


def test_mailto_lines_are_dropped_only_when_the_address_is_already_in_the_text():
    pages = [
        Page(1, "Skickas till:\nli.registrator@regeringskansliet.se\n\nmailto:li.registrator@regeringskansliet.se"),
        Page(2, "mailto:annan@example.se"),
    ]
    cleaned = remove_duplicate_mailto(pages)
    assert "mailto:" not in cleaned[0].text
    assert "li.registrator@regeringskansliet.se" in cleaned[0].text
    assert cleaned[1].text == "mailto:annan@example.se"


@pytest.mark.parametrize(
    ("broken", "joined"),
    [
        ("kompetens-\nförsörjning i länet", "kompetensförsörjning i länet"),
        ("ansökningar till EU-\nprogram", "ansökningar till EU-program"),
        ("regionala 1:1-\nmedel", "regionala 1:1-medel"),
        ("i gles-\noch landsbygd", "i gles- och landsbygd"),
        ("Interreg Sverige-\nFinland", "Interreg Sverige-Finland"),
    ],
)
def test_words_broken_at_line_ends_are_joined(broken, joined):
    assert join_hyphenated_lines(broken) == joined


@pytest.mark.parametrize(
    "text",
    [
        "Interreg Sverige–Finland–Norge och HRU-projektet",
        "Hållbar samhällsplanering -\nuppdatera planeringsunderlag",
        "Målet är nått.\n- Det är viktigt, säger hon.",
    ],
)
def test_real_hyphens_and_dashes_are_kept(text):
    assert join_hyphenated_lines(text) == text


def test_blank_lines_are_squeezed_to_one():
    assert squeeze_blank_lines("\n\nEtt.\n\n\n\nTvå.\n\n\n") == "Ett.\n\nTvå."


def test_a_blank_line_cutting_a_sentence_is_removed_but_paragraph_breaks_stay():
    text = "Regionen ska ge en sammanfattande\n\nbeskrivning av året.\n\nNästa stycke.\n\n# Rubrik\n\nnågot"
    assert remove_blank_lines_inside_sentences(text) == (
        "Regionen ska ge en sammanfattande\nbeskrivning av året.\n\nNästa stycke.\n\n# Rubrik\n\nnågot"
    )


def test_lines_made_only_of_site_navigation_are_dropped():
    text = "Öppna sidans huvudnavigering Hoppa till sidans innehåll\nVägar till hållbar utveckling\nTill toppen"
    assert drop_navigation_lines(text) == "Vägar till hållbar utveckling"


def test_clean_pages_keeps_page_numbers_and_paragraph_breaks():
    pages = [Page(1, "Rubrik\u00a0ett  \n\n\n\n\u00a0\nStycke   ett.\n"), Page(2, "Stycke två.")]
    assert clean_pages(pages) == [Page(1, "Rubrik ett\n\nStycke ett."), Page(2, "Stycke två.")]


def test_join_pages_says_on_which_line_each_page_starts():
    text, starts = join_pages([Page(1, "Sida ett.\nRad två."), Page(2, ""), Page(3, "Sida tre.")])
    assert text == "Sida ett.\nRad två.\n\nSida tre."
    assert starts == [(0, 1), (3, 3)]
    # a repair that rewrites characters but keeps lines still finds the pages
    repaired = text.replace("ett", "ETT!!")
    assert page_starts_from_lines(repaired, starts) == [(0, 1), (repaired.index("Sida tre."), 3)]


def test_unnumbered_pages_give_no_page_starts():
    assert join_pages([Page(None, "Text.")]) == ("Text.", [])


@pytest.mark.skipif(not ATERRAPPORTERING.exists(), reason="corpus/ not present")
def test_the_pdf_extracted_report_loses_its_contents_page_and_duplicate_mailto_lines():
    cleaned = clean_pages(load(ATERRAPPORTERING))
    text = "\n".join(p.text for p in cleaned)
    assert "....." not in text
    assert "mailto:" not in text
    assert "Innehåll" not in text.split("Återrapportering 1")[0]
    assert "\u00a0" not in text and "   " not in text and "\n\n\n" not in text
    assert text.count("Återrapportering 1 – Regionalt utvecklingsarbete") == 1  # the body heading, not the TOC
    assert "ulrika.aberg@tillvaxtverket.se" in text


def test_a_line_break_after_a_prefix_swedish_always_hyphenates_keeps_the_hyphen():
    from ingest.cleaning.clean import join_hyphenated_lines

    joined = join_hyphenated_lines("lika möjligheter och icke-\ndiskriminering")
    assert joined == "lika möjligheter och icke-diskriminering"
