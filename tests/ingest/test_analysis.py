"""The Swedish analyser: what BM25 indexes for a text, and what a query is matched on."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.swedish.analysis import analyze, analyze_query, content_terms, terms_of, tokenize
from ingest.swedish.compounds import decompound
from ingest.swedish.lexicon import STOP_WORDS, stem


def terms(word: str) -> set[str]:
    return set(analyze(word))


# --- tokens -------------------------------------------------------------------------------------


def test_tokens_are_case_folded_words_with_swedish_letters_intact():
    assert tokenize("Skellefteå, Västernorrland och Örnsköldsvik") == [
        "skellefteå",
        "västernorrland",
        "och",
        "örnsköldsvik",
    ]


def test_decomposed_letters_are_composed_before_tokenising():
    decomposed = unicodedata.normalize("NFD", "Härnösand")
    assert tokenize(decomposed) == ["härnösand"]


def test_an_acronym_loses_its_colon_inflection():
    assert tokenize("EU:s regionala fond och HSO:n") == ["eu", "regionala", "fond", "och", "hso"]


def test_hyphens_and_dashes_separate_words_and_years():
    assert tokenize("HRU-projektet pågår 2021–2030") == ["hru", "projektet", "pågår", "2021", "2030"]


def test_numbers_keep_their_inner_separators():
    assert tokenize("anslag 1:1 gav 112,5 miljoner") == ["anslag", "1:1", "gav", "112,5", "miljoner"]


def test_a_soft_hyphen_does_not_split_a_word():
    assert tokenize("kompe\u00adtens") == ["kompetens"]


def test_single_letters_are_dropped_but_single_digits_kept():
    assert tokenize("a och 3 b") == ["och", "3"]


# --- stop words and stems -----------------------------------------------------------------------


def test_stop_words_produce_no_terms():
    assert analyze("och det är att som för på en ett") == []
    assert {"och", "är", "för", "vad", "hur", "vem"} <= STOP_WORDS


@pytest.mark.parametrize(
    "forms",
    [
        ("kommunerna", "kommuner", "kommun", "kommunens"),
        ("projektet", "projekt", "projekten", "projektets"),
        ("regionen", "region", "regionens"),
        ("strategin", "strategi", "strategier"),
        ("kompetens", "kompetensen"),
        ("samhället", "samhälle"),
        ("arbetet", "arbete"),
    ],
)
def test_inflected_forms_share_one_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


def test_a_word_is_not_confused_with_a_shorter_one_that_is_far_more_common():
    # "internet" looks like intern + the definite -et, but it is a word of its own.
    assert stem("internet") != stem("intern")


# --- compounds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("kompetensförsörjning", ("kompetens", "försörjning")),
        ("kompetensförsörjningen", ("kompetens", "försörjning")),
        ("samhällsomställning", ("samhälle", "omställning")),
        ("hållbarhetsarbete", ("hållbarhet", "arbete")),
        ("arbetsmarknadsstrategi", ("arbetsmarknad", "strategi")),
        ("företagsstöd", ("företag", "stöd")),
        ("utvecklingsstrategin", ("utveckling", "strategi")),
    ],
)
def test_a_compound_is_indexed_by_its_stem_and_its_parts(compound, parts):
    found = terms(compound)
    assert stem(compound) in found
    for part in parts:
        assert terms(part) <= found, f"{compound}: {part} → {terms(part)} missing from {found}"


def test_an_inflected_compound_meets_its_base_form_and_a_paraphrase():
    query = terms("kompetensförsörjningen")
    assert terms("kompetensförsörjning") <= query
    assert terms("försörjning av kompetens") <= query


def test_linking_letters_are_not_part_of_the_part():
    # hållbarhet-s-arbete, samhälle → samhälls-: the parts stem like the standalone words.
    assert decompound("hållbarhetsarbete") == ("hållbarhet", "arbete")
    assert stem(decompound("samhällsomställning")[0]) == stem("samhälle")


@pytest.mark.parametrize(
    "word",
    [
        "regionen",
        "projektet",
        "norrbotten",
        "norrbottens",
        "arbete",
        "skellefteå",
        "västerbotten",
        "kommunerna",
        "länsstyrelsen",
        "utveckling",
        "pandemin",  # not panda + emin
        "fotografering",  # fotograf + -ering is a derivation, not a compound
        "analyserats",
        "tillsammans",
    ],
)
def test_ordinary_words_are_not_split(word):
    assert decompound(word) == ()
    assert terms_of(word) == (stem(word),)


def test_common_words_are_units_even_when_built_from_parts():
    # norr + botten, arbets + marknad: frequent enough to be words of their own.
    assert decompound("norrbotten") == ()
    assert decompound("arbetsmarknad") == ()


def test_no_part_is_a_stop_word_or_a_bare_suffix():
    for word in ("företagsfrämjare", "kompetensförsörjning", "befolkningsutvecklingen", "tillväxtverket"):
        for part in decompound(word):
            assert part not in STOP_WORDS and len(part) >= 3, (word, decompound(word))


# --- queries ------------------------------------------------------------------------------------


def test_query_terms_keep_compound_parts_apart_from_words():
    query = analyze_query("Hur går kompetensförsörjningen i kommunerna?")
    assert query.words == (stem("går"), stem("kompetensförsörjningen"), stem("kommunerna"))
    assert set(query.parts) == {stem("kompetens"), stem("försörjning")}


def test_query_parts_already_asked_for_as_words_are_not_repeated():
    query = analyze_query("kompetens och kompetensförsörjning")
    assert stem("kompetens") in query.words
    assert stem("kompetens") not in query.parts


def test_content_terms_drop_question_filler():
    assert content_terms("Hur många kommuner finns i Västernorrland?") == [
        stem("kommuner"),
        stem("västernorrland"),
    ]


def test_content_terms_are_distinct_and_in_question_order():
    assert content_terms("Budget för HRU och budget för HSO?") == ["budget", "hru", "hso"]
