"""Acronyms: how well words spell one, and the definitions a text states, with their spans."""

from __future__ import annotations

from assistant.answering.acronyms import find_definitions, implied_expansion, is_acronym, spelling_score, spells


def test_acronym_definitions_are_found_before_after_and_between_commas():
    text = (
        "Projektet Hållbar samhällsomställning, HSO, pågår. Programmet Europeiska regionala utvecklingsfonden "
        "(ERUF) Övre Norrland. Nätverket LINN (Lärcentrum i norra Norrland) samlar lärcentra. "
        "Europeiska socialfonden plus (ESF+) pågår. Fonden för en rättvis omställning (FRO) är ny."
    )
    found = {d.acronym: d.expansion for d in find_definitions(text)}
    assert found == {
        "HSO": "Hållbar samhällsomställning",
        "ERUF": "Europeiska regionala utvecklingsfonden",
        "LINN": "Lärcentrum i norra Norrland",
        "ESF+": "Europeiska socialfonden plus",
        "FRO": "Fonden för en rättvis omställning",
    }
    for d in find_definitions(text):
        assert d.acronym in text[d.start : d.end] and d.expansion.split()[0] in text[d.start : d.end]


def test_an_acronym_is_spelled_by_word_initials_and_compound_parts_not_by_any_letter():
    assert spells("HSO", ["Hållbar", "samhällsomställning"])  # samhälls|omställning gives S and O
    assert spells("SAM", ["Stärkt", "attraktionskraft", "och", "mottagningskapacitet"])
    assert not spells("MYH", ["Myndigheten"])  # y and h inside one word are no initials
    assert not spells("FRO", ["för", "en", "rättvis", "omställning"])  # an expansion starts with a content word


def test_compound_parts_count_as_initials_and_full_initials_score_best():
    assert spelling_score("HSO", ["Hållbar", "samhällsomställning"]) > 0.6
    assert spelling_score("ERUF", ["regionala", "utvecklingsfonden"]) is None  # no E: cannot spell it
    assert spelling_score("HRU", ["Hållbar", "regional", "utveckling"]) == 1.0
    assert spelling_score("HSO", ["Hållbar", "samhällsomställning"]) < 1.0


def test_roman_numerals_and_single_letters_are_not_acronyms():
    assert not is_acronym("II") and not is_acronym("XIV") and not is_acronym("A")
    assert is_acronym("HSO") and is_acronym("ERUF")


def test_an_expansion_the_passages_using_an_acronym_write_again_but_never_state_is_implied():
    passages = [
        "Arbetet utgår från den regionala utvecklingsstrategin. Insatserna är kopplade till RUS.",
        "Uppföljningen av den regionala utvecklingsstrategin och RUS sker årligen.",
    ]
    n, words, start, end = implied_expansion(passages, "RUS")
    assert words == "regionala utvecklingsstrategin" and passages[n][start:end] == words and n == 0


def test_a_chance_spelling_is_not_an_implied_expansion():
    assert implied_expansion(["Samverkansparter arbetat med frågan, SAM."], "SAM") is None  # written once
    twice = ["Eventuella utmaningar och eventuella utmaningar till. EU stöder."]
    assert implied_expansion(twice, "EU") is None  # two letters are spelled by chance everywhere
    unused = ["den regionala utvecklingsstrategin", "den regionala utvecklingsstrategin", "RUS"]
    assert implied_expansion(unused, "RUS") is None  # not written where the acronym is used
    function_words = ["Serviceseminarier och utbildningar, SOU.", "Serviceseminarier och utbildningar, SOU."]
    assert implied_expansion(function_words, "SOU") is None  # "och" gives no letter of a name
