"""Reading a question: what kind of answer it wants, what it is about, and what an answer looks like."""

from __future__ import annotations

import pytest

from assistant.answering.evidence import answer_evidence, has_person_name, numbers_in, period_in
from assistant.answering.questions import read_question, subjects_of
from ingest.swedish.analysis import analyze


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("Hur stor är budgeten för SAM?", "amount"),
        ("Vad kostar projektet?", "amount"),
        ("Hur mycket finansierar EU:s regionala fond?", "amount"),
        ("How much does the project cost?", "amount"),
        ("När startar HSO?", "period"),
        ("Vilket år slutar projektet?", "period"),
        ("Under vilka år pågår North Sweden Green Deal?", "period"),
        ("When does SAM end?", "period"),
        ("Vem äger projektet SAM?", "owner"),
        ("Vem är projektägare för HSO?", "owner"),
        ("Vilken organisation driver projektet?", "owner"),
        ("Who owns the project?", "owner"),
        ("Vilka parter samverkar i projektet?", "partner"),
        ("Vilken kommun deltar i delprojektet?", "partner"),
        ("Vem är tillväxtchef i Kramfors kommun?", "person"),
        ("Vem kan jag kontakta om insatsområdet?", "person"),
        ("Vilken roll har Fredrik Holmgren?", "role"),
        ("Hur många kommuner ingår?", "count"),
        ("How many municipalities take part?", "count"),
        ("Hur stor andel av anslaget gick till projekt?", "share"),
        ("Hur många procent gick till kommersiell service?", "share"),
        ("Vad står HSO för?", "acronym"),
        ("Vad betyder ERUF?", "acronym"),
        ("What does ESF+ stand for?", "acronym"),
        ("Vilket telefonnummer har Greta Isaksson?", "contact"),
        ("Har anslaget bidragit till målen?", "yesno"),
        ("Vad gör Omvandlingskontoret?", "other"),
        ("Vilken plats har Norrbotten när det gäller varuexport?", "count"),  # "när det gäller" is no "när"
    ],
)
def test_a_question_is_typed_by_its_cue_words(question, qtype):
    assert read_question(question).type == qtype


def test_a_question_in_two_parts_wants_both_kinds_of_answer():
    q = read_question("Hur mycket beslutade regionen om, och till hur många projekt?")
    assert q.type == "amount" and q.also == ("count",)


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("Hur stor är budgeten för The North Sweden Green Deal?", [("north", "sweden", "green", "deal")]),
        ("Vem äger SAM?", [("sam",)]),
        ("HSO?", [("hso",)]),  # a question's first word is a subject when it is an acronym
        ("Hur stor är EU-finansieringen av Green Deal?", [("green", "deal")]),  # EU is everywhere
        ("Hur många ansökningar kom in till Region Norrbotten 2023?", [("region", "norrbotten"), ("2023",)]),
        ("What is Björn Wigge's job?", [("björn", "wigge")]),
        ("Vad kostar projektet i Skåne?", [("skåne",)]),
        ("Vilka mål har projektet?", []),
    ],
)
def test_the_subjects_are_the_names_acronyms_and_years_a_question_is_about(question, subjects):
    assert subjects_of(question) == subjects


def test_the_role_asked_for_is_what_a_named_answer_must_hold():
    q = read_question("Vem är regional utvecklingsdirektör i Region Västernorrland?")
    assert q.wants_name and [g[0] for g in q.role_terms] == ["regional", "utvecklingsdirektör"]


def test_question_words_exclude_its_frame_and_auxiliaries():
    words = [g[0] for g in read_question("Hur stor är budgeten för SAM och vad ska den räcka till?").words]
    assert "budget" in words and "stor" not in words and "ska" not in words


def evidence(question: str, sentence: str) -> float:
    return answer_evidence(read_question(question), sentence, frozenset(analyze(sentence)))


@pytest.mark.parametrize(
    ("question", "good", "bad"),
    [
        (
            "Hur stor är budgeten?",
            "Budgeten är 112,5 miljoner kronor.",
            "Projektet har medfinansiering från ERUF och regionala 1:1-medel.",
        ),
        ("När slutar HSO?", "Projektperiod: 1 januari 2024 – 30 april 2027.", "Projektet har fyra arbetspaket."),
        ("Vem äger SAM?", "Sundsvalls kommun är projektägare.", "Sundsvall är en kommun i Västernorrland."),
        (
            "Hur många kommuner deltar?",
            "Samverkan omfattar Sveriges 29 nordligaste kommuner.",
            "Arbetet pågår sedan 2022.",
        ),
        ("Hur stor andel fick avslag?", "Andelen avslag ligger på cirka 24 procent.", "Av dessa har 125 beviljats."),
        (
            "Vem är tillväxtchef i Kramfors?",
            "I Kramfors kommun arbetar Susanne Königson som tillväxtchef.",
            "Kommunen saknar tillväxtchef.",
        ),
        (
            "Vem är landshövding i Norrbotten?",
            "Landshövding Lotta Svensson leder arbetet.",
            "Nätverket AGON sammankallas av landshövdingen och samlar Region Norrbotten och Peter Larsson.",
        ),
        ("Vilket telefonnummer har Sara Pejok?", "Mobil 070-597 37 11", "E-post sara.pejok@regionvasterbotten.se"),
    ],
)
def test_answer_evidence_tells_a_sentence_with_the_kind_of_answer_from_one_without(question, good, bad):
    assert evidence(question, good) >= 0.5 > evidence(question, bad)


def test_a_person_name_is_two_capitalised_words_that_are_no_organisation():
    assert has_person_name("säger Uno Jonsson, tillväxtchef")
    assert not has_person_name("Region Norrbotten och Region Västerbotten äger projektet")
    assert not has_person_name("Nätverket AGON samlar aktörer")


def test_numbers_are_read_as_written_with_digit_groups_and_decimal_commas():
    assert numbers_in("112,5 miljoner kronor, 250 000 invånare, 2024–2026") == ["112,5", "250 000", "2024", "2026"]


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("Kramfors då, vem är tillväxtchef där?", [("kramfors",)]),  # a name set apart before the question
        ("Green Deal – när slutar det?", [("green", "deal")]),
        ("Och När slutar det?", []),  # a question word written with a capital is no name
        ("Och HSO?", [("hso",)]),
        ("Tack, och när slutar det?", []),  # nor is a word that answers rather than names
        ("Förresten, när slutar SAM?", [("sam",)]),
    ],
)
def test_a_name_opening_a_question_is_a_subject_when_it_stands_apart(question, subjects):
    assert subjects_of(question) == subjects


@pytest.mark.parametrize(
    "question",
    ["?", "...", "Vem är", "När?", "Varför?", "hur många", "{{7*7}}", "Vad betyder", "Och när slutar det?"],
)
def test_a_question_without_a_subject_or_a_topic_word_asks_about_nothing(question):
    assert read_question(question).contentless


@pytest.mark.parametrize("question", ["Vem äger SAM?", "Hur många kommuner ingår?", "Vilka mål har projektet?"])
def test_a_question_with_a_subject_or_a_topic_word_asks_about_something(question):
    assert not read_question(question).contentless


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("When does SAM end?", "en"), ("When does SAM finish?", "en"), ("När slutar SAM?", "sv"),
        ("När tar SAM slut?", "sv"),
    ],
)
def test_the_end_asked_for_is_a_cue_in_english_as_in_swedish(question, language):
    q = read_question(question, language)
    assert q.type == "period" and q.period_end == "end"
    assert "slut" in q.cue_terms  # half met by any date, like "När slutar …"
    assert {g[0] for g in q.words} - {"slut", "sam"} == set()  # "tar", "does" are no topic


@pytest.mark.parametrize(
    ("question", "end"),
    [("När startar HSO?", "start"), ("Vilket år startade HRU?", "start"), ("När slutar HSO?", "end"),
     ("Mellan vilka år pågår HSO?", ""), ("How long does HSO run?", "")],
)
def test_a_period_question_asks_for_its_start_its_end_or_the_whole(question, end):
    assert read_question(question, "en" if question.startswith("How") else "sv").period_end == end


def test_the_cue_of_a_size_question_is_its_noun_not_the_words_between():
    assert read_question("Hur stor är Region Norrbottens budget?").cue_terms == ("budget",)


@pytest.mark.parametrize(
    ("text", "kind", "years"),
    [
        ("Projektet pågår under 2019-2023.", "range", ("2019", "2023")),
        ("HSO pågår mellan 2024 och 2026.", "range", ("2024", "2026")),
        ("Projektperiod: 1 januari 2024 – 30 april 2027.", "range", ("2024", "2027")),
        ("Projektet startade 2022 och avslutas 2024.", "range", ("2022", "2024")),
        ("Utbildningen genomförs från mars 2022.", "start", ("2022",)),
        ("Projektet avslutas i december 2026.", "end", ("2026",)),
        ("Under 2022 fördelades anslaget.", "years", ("2022",)),
    ],
)
def test_a_period_is_read_as_a_range_a_start_an_end_or_plain_years(text, kind, years):
    period = period_in(text)
    assert (period.kind, period.years) == (kind, years)


@pytest.mark.parametrize(
    ("sentence", "rank"),
    [
        ("Norrbotten är den sjätte största regionen för varuexport.", True),
        ("Länet hamnade på andra plats i mätningen.", True),
        ("Webbplatsen och våra andra sociala kanaler bidrar till målen.", False),  # "andra" = other
        ("För första gången deltog alla kommuner.", False),
    ],
)
def test_an_ordinal_is_a_rank_only_with_what_it_ranks_by(sentence, rank):
    assert (evidence("Vilken plats har Norrbotten?", sentence) >= 0.5) is rank


def test_a_start_is_no_answer_to_when_something_ends():
    assert evidence("När slutar SAM?", "Projektet startar i februari 2024.") < 0.5
    assert evidence("När slutar SAM?", "Projektperioden är 1 februari 2024 – 21 december 2026.") >= 0.5
