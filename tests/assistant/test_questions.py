"""Reading a question: the shape of answer it asks for, the value it wants, what it is about, its words;
and reading a sentence: which kinds of value it holds."""

from __future__ import annotations

import pytest

from assistant.answering.questions import read_question, subjects_of
from assistant.answering.values import has_person_name, holds, numbers_in, period_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Vilka partners är med i North Sweden Green Deal?", "list"),
        ("Vilka kommuner deltar i delprojektet?", "list"),
        ("Vilka är målen med projektet?", "list"),
        ("Which partners take part in the project?", "list"),
        ("Vad handlar projektet SAM om?", "overview"),
        ("Vad är syftet med HSO?", "overview"),
        ("Varför startades projektet?", "overview"),
        ("Sammanfatta återrapporteringen för 2022", "overview"),
        ("What is the HRU project about?", "overview"),
        ("Vem kan jag kontakta om insatsområdet finansiering?", "contact"),
        ("Vilken e-postadress har projektledaren?", "contact"),
        ("Vilket telefonnummer har Greta Isaksson?", "contact"),
        ("Hur når jag jämställdhetsstrategen?", "contact"),
        ("Vad står HSO för?", "definition"),
        ("What does ESF+ stand for?", "definition"),
        ("Hur stor är budgeten för SAM?", "fact"),
        ("Vem äger projektet?", "fact"),
        ("När slutar HSO?", "fact"),
        ("Vilken kommun är projektägare?", "fact"),  # one thing asked for: a fact
        # Contact words further on are the question's topic, and a compound starting "kontakt" is no contact.
        ("Vad innebär det att vara kontaktperson till en patient?", "fact"),
        ("Vilken terapimetod kräver intensiv kontakt med patienten?", "fact"),
        ("I vilket fall vänder sig skyddsombudet till arbetsgivaren?", "fact"),
        ("Vad handlar en kontaktledningsmontörs arbete om?", "overview"),
        ("Vart vänder man sig för frågor om sjukvård?", "contact"),
    ],
)
def test_the_form_of_a_question_gives_the_shape_of_its_answer(question, kind):
    assert read_question(question).kind == kind


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("Hur stor är budgeten för SAM?", {"amount"}),
        ("Vad kostar projektet?", {"amount"}),
        ("How much does the project cost?", {"amount"}),
        ("När kör projektet igång?", {"date", "condition"}),
        ("När ska uppgiftsfördelningen dokumenteras?", {"date", "condition"}),  # a time, or the case in which
        ("Vilket år startade projektet?", {"date"}),
        ("Under vilka år pågår projektet?", {"date"}),
        ("Hur många jobbar i spelbolagen?", {"count"}),
        ("Hur stor andel fick avslag?", {"share"}),
        ("Hur stort är regionens anslag för 2025?", {"amount"}),  # how big, and a sum further on
        ("Hur stor del av anslaget gick till projekt?", {"share"}),
        ("Vad är budgeten för projektet?", {"amount"}),  # the budget's sum, not what a budget is
        ("What is the budget of the pilot?", {"amount"}),
        ("Vad är en budget?", {"amount", "definition"}),  # indefinite: what a budget is stays asked
        ("Hur länge pågår utbildningen?", {"duration", "date"}),
        ("Vem är tillväxtchef i Kramfors?", {"person_name"}),  # a role: a name answers, not an owner
        ("Var ligger kontoret?", {"place"}),
        ("Var kan jag läsa mer om Digidel på nätet?", {"web"}),  # on the web: an address, not a place
        ("Vilken webbplats har projektet?", {"web"}),
        ("Vilket bankgiro betalar du till om du inte ansöker på webben?", set()),  # the web in passing
        ("Varför görs hjulinställningar?", {"reason"}),
        ("Vad innebär uppsikt?", {"definition"}),
        ("Vilka mål har projektet?", set()),
        # A value word past the question's head is its topic, not what it asks for.
        ("Vad gör idrottstränare som har budgetansvar?", set()),
        ("Vilken terapimetod kräver intensiv kontakt med patienten?", set()),
        ("Vad börjar monteringsarbetet med?", set()),
        ("Vad har däckmontörer under perioderna för däckbyte?", set()),
        ("Vilken period gäller projektet?", {"date"}),
        ("Varför startades projekten?", {"reason"}),
        # "när det gäller" means "regarding": no time is asked for.
        ("Vilken plats har länet när det gäller export?", set()),
        ("Hur ligger vi till när det kommer till rekrytering?", set()),
        ("Vad gäller när man söker stöd?", {"date", "condition"}),
    ],
)
def test_the_question_words_say_what_kind_of_value_is_wanted(question, wants):
    assert read_question(question).wants == wants


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("Hur stor är budgeten för The North Sweden Green Deal?", [("north", "sweden", "green", "deal")]),
        ("Vem äger SAM?", [("sam",)]),
        ("HSO?", [("hso",)]),  # a question's first word is a subject when it is an acronym
        ("Hur stor är EU-finansieringen av Green Deal?", [("green", "deal")]),  # EU is everywhere
        ("Hur många ansökningar kom in till Region Norrbotten 2023?", [("region", "norrbotten"), ("2023",)]),
        ("Vad kostar projektet i Skåne?", [("skåne",)]),
        ("Vilka mål har projektet?", []),
        ("Kramfors då, vem är tillväxtchef där?", [("kramfors",)]),  # a name set apart before the question
        ("Och När slutar det?", []),  # a question word written with a capital is no name
        ("Tack, och när slutar det?", []),  # nor is a word that answers rather than names
        ("Vad gör en testledare? Ge en kort översikt.", []),  # a later sentence opens with a capital too
        ("Var kan man jobba som optiker? Lista arbetsplatserna.", []),
        ("Vad är HSO? Och SAM?", [("hso",), ("sam",)]),
        ("Vad kostar det? North Sweden Green Deal alltså.", [("north", "sweden", "green", "deal")]),
    ],
)
def test_the_subjects_are_the_names_acronyms_and_years_a_question_is_about(question, subjects):
    assert subjects_of(question) == subjects


@pytest.mark.parametrize(
    ("question", "groups"),
    [
        ("Varför startades projekten HSO och SAM i Västernorrland?", ((0, 1), (2,))),
        ("Hur mycket kostar HSO, SAM eller Green Deal 2024?", ((0, 1, 2), (3,))),
        ("Vem äger SAM i Västernorrland?", ((0,), (1,))),  # a project and where it is: both must hold
        ("Vem äger SAM?", ((0,),)),
    ],
)
def test_subjects_named_side_by_side_form_a_group_any_one_of_which_a_sentence_may_be_about(question, groups):
    assert read_question(question).subject_groups == groups


@pytest.mark.parametrize(
    ("question", "details"),
    [
        ("Vilket telefonnummer har Greta Isaksson?", {"phone"}),
        ("Vem kan jag ringa om SAM?", {"phone"}),
        ("Vilket mobilnummer har projektledaren?", {"phone"}),
        ("Vad är projektledarens e-postadress?", {"email"}),
        ("What is her phone number or e-mail?", {"phone", "email"}),
        ("Vem kan jag kontakta om SAM?", set()),
        ("Vad innebär regional mobilisering?", set()),
        ("Vad gör en telefonist?", set()),
    ],
)
def test_the_contact_details_a_question_names_are_read(question, details):
    assert read_question(question).details == details


def test_rare_words_weigh_more_than_common_ones():
    q = read_question("Hur stor är budgeten för kompetensförsörjningen i projektet?")
    weight = {group[0]: w for group, w in zip(q.words, q.weights, strict=True)}
    assert weight["kompetensförsörjning"] > weight["budget"] > 1.0


def test_question_words_exclude_its_frame_and_auxiliaries():
    words = [g[0] for g in read_question("Hur stor är budgeten för SAM och vad ska den räcka till?").words]
    assert "budget" in words and "stor" not in words and "ska" not in words


def test_an_english_question_is_read_in_swedish_words():
    words = [g[0] for g in read_question("Who owns the project?", "en").words]
    assert "äg" in words or "äger" in words


def test_english_words_left_untranslated_are_not_looked_for_in_swedish_text():
    words = [g[0] for g in read_question("What does the HRU project take as its starting point?", "en").words]
    assert "hru" in words and not {"starting", "point", "take", "as"} & set(words)


def test_an_english_question_keeps_words_swedish_shares_and_drops_only_its_frame():
    words = [g[0] for g in read_question("How large is the budget of the project?", "en").words]
    assert "budget" in words and "larg" not in words and "large" not in words


@pytest.mark.parametrize(
    "question", ["?", "...", "Vem är", "När?", "Varför?", "hur många", "{{7*7}}", "Vad betyder", "Tack!"]
)
def test_a_question_without_a_subject_or_a_topic_word_asks_about_nothing(question):
    assert read_question(question).contentless


@pytest.mark.parametrize("question", ["Och när slutar det?", "Vad kostar det?", "Hur stor är budgeten för den?"])
def test_a_question_about_it_with_nothing_named_before_asks_about_nothing(question):
    # In a conversation the follow-up gets the subject appended first ("Och när slutar det? SAM").
    assert read_question(question).contentless
    assert not read_question(f"{question} SAM").contentless


@pytest.mark.parametrize("question", ["Vem äger SAM?", "Hur många kommuner ingår?", "Vilka mål har projektet?"])
def test_a_question_with_a_subject_or_a_topic_word_asks_about_something(question):
    assert not read_question(question).contentless


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("amount", "Budgeten är 112,5 miljoner kronor.", "Projektet har medfinansiering från ERUF och 1:1-medel."),
        ("date", "Projektperiod: 1 januari 2024 – 30 april 2027.", "Projektet har fyra arbetspaket."),
        ("count", "Samverkan omfattar Sveriges 29 nordligaste kommuner.", "Arbetet pågår sedan 2022."),
        ("count", "I Kramfors finns tio bolag inom spelindustrin.", "Spelbolagen ligger i Kramfors."),
        ("count", "Projektet har fyra arbetspaket.", "Projektperiod: 1 januari 2024 – 30 april 2027."),  # days
        ("share", "Andelen avslag ligger på cirka 24 procent.", "Av dessa har 125 beviljats."),
        ("duration", "Utbildningen till SOS-operatör är ca 20 veckor lång.", "Utbildningen ges i Umeå."),
        ("person", "I Kramfors arbetar Susanne Königson som tillväxtchef.", "Kommunen saknar tillväxtchef."),
        ("place", "Hästskötare arbetar i stall eller vid stuterier i Sverige.", "Arbetet är fysiskt krävande."),
        ("reason", "Det görs för att däcken inte ska slitas ojämnt.", "Hjulinställning görs på verkstad."),
        ("definition", "Visum är ett tillstånd för att resa in i ett land.", "Ansök om visum i god tid."),
        ("web", "Läs mer om Digidel (digidel.se).", "Skriv till anna.berg@sundsvall.se."),
        (
            "condition",
            "Fördelningen dokumenteras om det finns minst tio anställda.",
            "Fördelningen dokumenteras skriftligt.",
        ),
    ],
)
def test_a_sentence_holds_a_kind_of_value_or_not(kind, good, bad):
    assert holds(kind, good) and not holds(kind, bad)


def test_a_person_name_is_two_capitalised_words_that_are_no_organisation():
    assert has_person_name("säger Uno Jonsson, tillväxtchef")
    assert not has_person_name("Region Norrbotten och Region Västerbotten äger projektet")
    assert not has_person_name("Nätverket AGON samlar aktörer")


def test_a_role_asked_for_is_held_only_by_a_name_next_to_that_role():
    asked = read_question("Vem är regional utvecklingsdirektör i Region Västernorrland?")
    assert asked.role == "utvecklingsdirektör"
    assert holds("person_name", "Det är viktigt, säger regional utvecklingsdirektör Märta Molin.", asked.role)
    governor = read_question("Vem är landshövding i Norrbotten?").role
    network = (
        "Nätverket sammankallas av landshövdingen och samlar Region Norrbotten, Svenska kraftnät, Vattenfall, SSAB, "
        "LKAB, H2 Green Steel, Försvarsmakten och Trafikverket."
    )
    assert not holds("person_name", network, governor)
    assert not holds("person_name", "Uno Jonsson är tillväxtchef i Härnösand.", governor)
    assert read_question("Vem äger projektet SAM?").role == ""


def test_numbers_are_read_as_written_with_digit_groups_and_decimal_commas():
    assert numbers_in("112,5 miljoner kronor, 250 000 invånare, 2024–2026") == ["112,5", "250 000", "2024", "2026"]


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
    assert period is not None and (period.kind, period.years) == (kind, years)
