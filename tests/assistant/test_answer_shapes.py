"""The shapes of an answer, whatever the learned weights: a list's items, an overview's points, a contact block.

Candidates are built from hand-made passages and ordered by how much of the question they hold (`lex_ctx`),
so each case shows what the shape-finding does with a ranking, not what the ranker learned.
"""

from __future__ import annotations

import math
import re

import pytest

from assistant.answer import Passage
from assistant.answering.compose import (
    alternatives,
    compose,
    explains,
    lacks_measure,
    preferred,
    usable_candidates,
)
from assistant.answering.contact import find_contact
from assistant.answering.features import FEATURES, build_candidates
from assistant.answering.lists import find_list
from assistant.answering.overview import EXPLANATION_MAX_CHARS, MAX_CHARS, choose_overview, overview_quotes
from assistant.answering.questions import CONTACT, FACT, LIST, OVERVIEW, read_question
from assistant.answering.scorer import confidence_features
from ingest.types import Chunk, DocumentMeta

PARTNERS = (
    "The North Sweden Green Deal pågår under 2022 och 2023.\n\nParter i projektet:\n\n"
    "  • Delprojekt Västerbotten: Region Västerbotten och Skellefteå kommun.\n"
    "  • Delprojekt Norrbotten: Region Norrbotten, Boden, Piteå, Luleå, Kiruna och Gällivare kommun.\n"
)
MORE_PARTNERS = (
    "Parter i projektet:\n\n"
    "  • Delprojekt Norrbotten: Region Norrbotten, Boden, Piteå, Luleå, Kiruna och Gällivare kommun.\n"
    "  • Samarbete: LTU och Swedish Lapland.\n"
)
ENUMERATION = "Nätverket samlar Region Norrbotten, Svenska kraftnät, Vattenfall, SSAB och LKAB."
SAM = (
    "Projektet SAM syftar till att skapa en regional struktur för att attrahera kompetens till länet. "
    "Projektet SAM syftar till att skapa en regional struktur för att attrahera kompetens till hela länet. "
    "Metoden ska stärka lokala funktioner och branschnätverk i deras arbete med kompetensförsörjning. "
    "Projektet drivs av Sundsvalls kommun tillsammans med kommunerna i Höga Kusten."
)
CONTACT_BLOCK = (
    "Vill du veta mer om projektet SAM?\n\nAnna Berg\nProjektledare, Sundsvalls kommun\n"
    "E-post\nanna.berg@sundsvall.se\nMobil: 070-123 45 67\n"
)
PRIORITIES = (
    "Parter i projektet:\n\n"
    "  • Delprojekt Norrbotten: Region Norrbotten, Boden och Luleå.\n"
    "  • Delprojekt Västerbotten: Region Västerbotten och Skellefteå kommun.\n\n"
    "För Norrbottens delprojekt prioriteras dessa områden:\n\n"
    "  • Attraktion.\n  • Kompetens.\n  • Energi.\n"
)
TWO_PRIORITIES = (
    "För Västerbottens delprojekt prioriteras dessa områden:\n\n"
    "  • Omvandlingskontoret.\n  • Kompetensförsörjning.\n  • Samhällsplanering.\n\n"
    "För Norrbottens delprojekt prioriteras dessa områden:\n\n"
    "  • Attraktion.\n  • Kompetens.\n  • Energi.\n"
)
OTHER_CONTACT = "Kontakt för projektet HSO:\n\nPer Lind\nProjektledare\nper.lind@harnosand.se\n"


def passage(text: str, title: str, rank: int = 1) -> Passage:
    doc_id = re.sub(r"\W+", "-", title.casefold())
    meta = DocumentMeta(doc_id=doc_id, title=title)
    chunk = Chunk(Chunk.make_id(doc_id, text), doc_id, text, (), 0, len(text), None, None, "sv", meta)
    return Passage(chunk=chunk, score=1.0 / rank, rank=rank)


def ranked(question: str, *passages: Passage):
    read = read_question(question)
    candidates = build_candidates(read, list(passages))
    for c in candidates:
        c.score = c.features["lex_ctx"] + 0.1 * c.features["passage_rank"]
    return read, sorted(candidates, key=lambda c: -c.score)


def with_lead_in_second(candidates):
    """Candidates ranked with an item of PRIORITIES' partners' list first (it names the subject, Norrbottens
    delprojekt) and the priorities' lead-in second."""
    scores = {"Delprojekt Norrbotten": 2.0, "För Norrbottens": 1.8, "Delprojekt Västerbotten": 0.5}
    for c in candidates:
        c.score = next((v for k, v in scores.items() if c.text.startswith(k)), 0.2)
    return sorted(candidates, key=lambda c: -c.score)


def test_every_candidate_has_every_feature_and_the_sentences_vectors_are_optional():
    _, candidates = ranked("Vilka parter är med i North Sweden Green Deal?", passage(PARTNERS, "NSGD"))
    assert candidates and all(set(c.features) == set(FEATURES) for c in candidates)
    assert all(c.features["e5"] == 0.0 for c in candidates)  # no query vector, no stored sentence vectors


def test_a_unit_that_asks_rather_than_tells_is_marked_for_the_ranker():
    form = "Vad ingår i kortet? Beskriv i punktform hur anslaget har bidragit. Kortet innehåller foto på dig."
    _, candidates = ranked("Vad innehåller kortet?", passage(form, "Kortet"))
    asks = {c.text: c.features["asks"] for c in candidates}

    assert asks == {
        "Vad ingår i kortet?": 1.0,
        "Beskriv i punktform hur anslaget har bidragit.": 1.0,
        "Kortet innehåller foto på dig.": 0.0,
    }


def test_a_sentence_in_the_questions_word_order_follows_its_wording_more_closely_than_one_with_the_same_words():
    text = "Därefter matchas personliga egenskaper mot kravprofilen. Kravprofilen ska sedan matchas mot kandidater."
    _, candidates = ranked("Vad ska kravprofilen matchas mot?", passage(text, "Rekrytering"))
    reordered, follows = sorted(candidates, key=lambda c: c.unit.start)

    for name in ("bigrams", "phrase"):
        assert follows.features[name] > reordered.features[name], name


def test_the_same_sentence_in_two_overlapping_passages_counts_once_for_the_confidence():
    text = "Under 2022 gick 5 % av anslaget till kommersiell service."
    question = "Hur stor andel av anslaget gick till kommersiell service?"
    read, once = ranked(question, passage(text + " Regionen beviljade stöd.", "Återrapportering"))
    _, twice = ranked(
        question,
        passage(text + " Regionen beviljade stöd.", "Återrapportering"),
        passage("Avslagen var många. " + text, "Återrapportering", rank=2),
    )
    for candidates in (once, twice):
        for c in candidates:
            c.score = 2.0 if c.text == text else 0.0
    [single], [double] = alternatives(read, once, once), alternatives(read, twice, twice)

    assert confidence_features(read, twice, double)["top_probability"] == pytest.approx(
        2 * math.e**2 / (2 * math.e**2 + 2)
    )
    assert confidence_features(read, once, single)["top_probability"] == pytest.approx(math.e**2 / (math.e**2 + 1))


def test_an_overview_is_as_sure_as_the_sentences_it_quotes_together():
    text = (
        "Projektet ska stärka kompetensförsörjningen i länet. Det riktar sig till små företag. "
        "Arbetet sker tillsammans med kommunerna. Projektet pågår i tre år."
    )
    read, candidates = ranked("Vad handlar projektet om?", passage(text, "Projektbeskrivning"))
    for c in candidates:
        c.score = 1.0  # four sentences alike: each one alone is a quarter of the probability
    [overview] = [a for a in alternatives(read, candidates, candidates) if a.kind == OVERVIEW]
    row = confidence_features(read, candidates, overview)

    assert row["shaped_probability"] == pytest.approx(0.25)
    quoted = sum(c.text in overview.text for c in candidates)
    assert quoted >= 2
    assert row["shaped_mass"] == pytest.approx(quoted / 4)


def test_the_same_sentence_from_two_overlapping_passages_shares_its_ranks():
    text = "Under 2022 gick 5 % av anslaget till kommersiell service."
    _, candidates = ranked(
        "Hur stor andel av anslaget gick till kommersiell service?",
        passage(text + " Regionen beviljade stöd.", "Återrapportering"),
        passage("Avslagen var många. " + text, "Återrapportering", rank=2),
    )
    copies = [c for c in candidates if c.text == text]

    assert len(copies) == 2
    assert all(c.features["lex_rank"] == c.features["lex_ctx_rank"] == 1.0 for c in copies)
    assert max(c.features["lex_rank"] for c in candidates if c.text != text) <= 1 / 3


def test_a_sentence_about_one_of_two_projects_named_side_by_side_is_about_the_question():
    text = "HSO syftar till att stärka företagen.\n\nSAM syftar till att attrahera kompetens.\n\nAGON samlar länet."
    _, candidates = ranked("Varför startades HSO och SAM?", passage(text, "Västernorrland"))
    tied = {c.text[:4]: c.features["subject_ok"] for c in candidates}

    assert tied == {"HSO ": 1.0, "SAM ": 1.0, "AGON": 0.0}


def test_a_list_question_gets_the_items_of_the_bullet_list_with_its_lead_in():
    read, candidates = ranked("Vilka parter är med i North Sweden Green Deal?", passage(PARTNERS, "NSGD"))
    found = find_list(candidates)

    assert read.kind == LIST
    assert found is not None and found.lead_in is not None and found.lead_in.text == "Parter i projektet:"
    assert [q.text[:22] for q in found.items] == ["Delprojekt Västerbotte", "Delprojekt Norrbotten:"]


def test_items_of_the_same_list_in_two_passages_are_merged_without_duplicates():
    _, candidates = ranked(
        "Vilka parter är med i North Sweden Green Deal?",
        passage(PARTNERS, "NSGD", rank=1),
        passage(MORE_PARTNERS, "NSGD", rank=2),
    )
    found = find_list(candidates)

    texts = [q.text for q in found.items]
    assert len(texts) == len(set(texts)) == 3
    assert any("Swedish Lapland" in t for t in texts)


def test_a_list_is_chosen_as_a_whole_by_a_lead_in_naming_what_is_asked_not_by_one_item_naming_the_subject():
    _, candidates = ranked("Vilka områden prioriteras i Norrbottens delprojekt?", passage(PRIORITIES, "NSGD"))
    found = find_list(with_lead_in_second(candidates))

    assert found is not None and found.lead_in.text == "För Norrbottens delprojekt prioriteras dessa områden:"
    assert [q.text for q in found.items] == ["Attraktion.", "Kompetens.", "Energi."]


def test_a_list_answering_a_question_about_one_subject_is_tied_to_it_however_well_another_lists_items_score():
    read, candidates = ranked("Vilka områden prioriteras i Norrbottens delprojekt?", passage(TWO_PRIORITIES, "NSGD"))
    # Västerbotten's items first, as a ranker reading only "prioriteras … områden" may put them.
    for c in candidates:
        c.score += 2.0 if c.text in ("Omvandlingskontoret.", "Kompetensförsörjning.", "Samhällsplanering.") else 0.0
    candidates.sort(key=lambda c: -c.score)
    shapes = alternatives(read, usable_candidates(read, candidates), candidates)

    assert shapes[0].kind == LIST and shapes[0].lead.text == "För Norrbottens delprojekt prioriteras dessa områden:"
    assert [q.text for q in shapes[0].quotes] == ["Attraktion.", "Kompetens.", "Energi."]


def test_a_list_question_may_be_answered_as_a_list_or_as_an_explanation_from_its_best_sentences():
    read, candidates = ranked("Vilka parter är med i North Sweden Green Deal?", passage(PARTNERS, "NSGD"))
    shapes = alternatives(read, candidates, candidates)

    assert [s.kind for s in shapes] == [LIST, OVERVIEW]
    assert shapes[0].support is not None and shapes[0].basis is not None


def test_a_list_question_is_answered_by_its_list_when_the_list_is_sure_enough_though_another_answer_is_surer():
    read, candidates = ranked("Vilka parter är med i North Sweden Green Deal?", passage(PARTNERS, "NSGD"))
    listed, explained = alternatives(read, candidates, candidates)

    assert preferred(read, [(0.7, listed), (0.9, explained)], threshold=0.6)[1] is listed
    assert preferred(read, [(0.5, listed), (0.9, explained)], threshold=0.6)[1] is explained


def test_a_fact_question_near_a_lead_in_may_be_answered_by_the_list_it_introduces():
    read, candidates = ranked("Vad prioriteras i Norrbottens delprojekt?", passage(PRIORITIES, "NSGD"))
    shapes = alternatives(read, *[with_lead_in_second(candidates)] * 2)

    assert read.kind == FACT and not read.wants
    listed = [s for s in shapes if s.kind == LIST]
    assert len(listed) == 1 and listed[0].lead.text == "För Norrbottens delprojekt prioriteras dessa områden:"
    assert [q.text for q in listed[0].quotes] == ["Attraktion.", "Kompetens.", "Energi."]
    assert listed[0].basis is not None and listed[0].basis.text == listed[0].lead.text


PILOT = (
    "Insatsområde 2: Hållbara platser\n\n"
    "• Vilhelmina kommun arbetar som pilotkommun inom ramen för insatsområdet. Fokus för arbetet är att ta fram en "
    "arbetsmarknadsstrategi och en handlingsplan.\n"
    "• Inom insatsområdet ska även en plattform tas fram som visar upp länet.\n"
)


def test_a_fact_answer_from_a_list_item_goes_on_with_the_items_next_sentence_but_not_the_next_item():
    read, candidates = ranked("Vem arbetar som pilotkommun inom insatsområdet?", passage(PILOT, "HRU"))
    candidates.sort(key=lambda c: not c.text.startswith("Vilhelmina"))  # ranked first, as by the learned ranker
    assert candidates[0].unit.kind == "item"

    answer = alternatives(read, candidates, candidates)[0]
    assert answer.kind == FACT and "arbetsmarknadsstrategi" in answer.text
    assert "plattform" not in answer.text


def test_a_question_for_a_value_gets_no_list_in_its_place():
    read, candidates = ranked("När prioriteras Norrbottens delprojekt?", passage(PRIORITIES, "NSGD"))

    assert read.wants
    assert all(s.kind != LIST for s in alternatives(read, *[with_lead_in_second(candidates)] * 2))


def test_a_lead_in_whose_list_went_on_in_the_next_chunk_is_not_an_answer_alone():
    text = "Projektet SAM drivs av Sundsvalls kommun. Projektet SAM leder till:"
    read, candidates = ranked("Vad leder projektet SAM till?", passage(text, "SAM"))
    assert candidates[0].text.endswith(":")

    shapes = alternatives(read, candidates, candidates)

    assert [s.text for s in shapes] == ["Projektet SAM drivs av Sundsvalls kommun."]


def test_a_question_for_a_web_address_is_answered_by_a_sentence_holding_one_or_not_at_all():
    question = "Var kan jag läsa mer om Digidel på nätet?"
    text = "Digidel arbetar för digital delaktighet på nätet. Läs mer på digidel.se. Digidel startade 2022."
    read, candidates = ranked(question, passage(text, "Digidel"))

    shapes = alternatives(read, usable_candidates(read, candidates), candidates)
    assert len(shapes) == 1 and shapes[0].text.startswith("Läs mer på digidel.se.")

    read, candidates = ranked(question, passage(text.replace(" Läs mer på digidel.se.", ""), "Digidel"))
    assert lacks_measure(read, usable_candidates(read, candidates))


def test_an_enumerating_sentence_is_cut_into_its_items():
    _, candidates = ranked("Vilka organisationer samlar nätverket?", passage(ENUMERATION, "AGON"))
    found = find_list(candidates)

    assert [q.text for q in found.items] == ["Region Norrbotten", "Svenska kraftnät", "Vattenfall", "SSAB", "LKAB"]
    for q in found.items:
        assert q.passage.text[q.start : q.end].strip(" .,") == q.text


def test_words_sharing_an_ending_through_a_hyphen_stay_one_item():
    text = "Kuratorn arbetar inom skolan, kriminalvården och hälso- och sjukvården."
    _, candidates = ranked("Inom vilka områden arbetar kuratorn?", passage(text, "Kuratorn"))
    found = find_list(candidates)

    assert [q.text for q in found.items] == ["skolan", "kriminalvården", "hälso- och sjukvården"]
    assert (
        found.items[-1].passage.text[found.items[-1].start : found.items[-1].end].strip(" .,")
        == "hälso- och sjukvården"
    )

    # Without an "och" of its own, the comma before such a pair is where the last item begins.
    text = "Soldaterna arbetar bland annat med strid, teknisk tjänst, ledning, underrättelse- och säkerhetstjänst."
    _, candidates = ranked("Vilka områden arbetar soldaterna med?", passage(text, "Soldaterna"))
    found = find_list(candidates)

    assert [q.text for q in found.items] == ["strid", "teknisk tjänst", "ledning", "underrättelse- och säkerhetstjänst"]


def test_an_enumeration_after_a_clause_begins_at_the_last_introducer_before_its_short_items():
    text = (
        "Även om arbetet oftast sker på egen hand, är det vanligt att tolken ingår i team med lärare, kuratorer "
        "och läkare."
    )
    _, candidates = ranked("Vilka arbetar tolken i team med?", passage(text, "Tolken"))
    found = find_list(candidates)

    assert found is not None and [q.text for q in found.items] == ["lärare", "kuratorer", "läkare"]


def test_an_enumeration_opened_by_a_semicolon_or_bland_annat_keeps_the_och_inside_its_items():
    text = "Skolan har tre inriktningar; språk och kultur, natur och miljö samt teknik och design."
    _, candidates = ranked("Vilka inriktningar har skolan?", passage(text, "Skolan"))
    found = find_list(candidates)

    assert [q.text for q in found.items] == ["språk och kultur", "natur och miljö", "teknik och design"]

    # Without a "samt", the first "och" after the last comma ends the list; its last item may hold an "och".
    text = (
        "Satsningen har fyra delar, bland annat Framtidens skola, Framtidens vård, Framtidens kultur och "
        "Framtidens hälsa och omsorg."
    )
    _, candidates = ranked("Vilka delar har satsningen?", passage(text, "Satsningen"))
    found = find_list(candidates)

    assert [q.text for q in found.items][-2:] == ["Framtidens kultur", "Framtidens hälsa och omsorg"]


def test_an_overview_takes_distinct_sentences_in_the_documents_order_within_the_limit():
    read, candidates = ranked("Vad handlar projektet SAM om?", passage(SAM, "SAM"))
    chosen = choose_overview(candidates)
    quotes = overview_quotes(chosen)

    assert read.kind == OVERVIEW
    assert 2 <= len(chosen) <= 4
    assert sum("syftar till att skapa en regional struktur" in q.text for q in quotes) == 1  # no near-duplicate
    assert [c.unit.start for c in chosen] == sorted(c.unit.start for c in chosen)
    assert sum(len(q.text) for q in quotes) <= MAX_CHARS


AUDIOLOGIST = (
    "Audionomer arbetar på hörcentraler och privata kliniker. "
    "En audionom utreder hörselnedsättningar och gör hörselmätningar på barn och vuxna. "
    "Hon eller han provar också ut hörapparater och lär patienten att använda dem. "
    "Utbildningen är tre år lång och ges vid flera universitet."
)


def test_a_question_for_an_explanation_gets_the_best_sentence_and_what_follows_it_within_the_limit():
    read, candidates = ranked("Vad gör en audionom?", passage(AUDIOLOGIST, "Audionom"))
    candidates.sort(key=lambda c: "utreder" not in c.text)  # ranked first, as by the learned ranker
    shaped = compose(read, usable_candidates(read, candidates), candidates)

    assert read.kind == FACT and explains(read)
    assert shaped.kind == OVERVIEW
    assert "hörselmätningar" in shaped.text and "hörapparater" in shaped.text
    assert sum(len(q.text) for q in shaped.quotes) <= EXPLANATION_MAX_CHARS


def test_a_question_for_a_value_is_answered_by_the_sentence_holding_it_not_an_explanation():
    read, candidates = ranked("Hur lång är utbildningen till audionom?", passage(AUDIOLOGIST, "Audionom"))
    shaped = compose(read, usable_candidates(read, candidates), candidates)

    assert not explains(read)
    assert shaped.kind == FACT and shaped.text.startswith("Utbildningen är tre år lång")


def test_a_contact_question_gets_the_name_role_email_and_phone_printed_together():
    read, candidates = ranked("Vem kan jag kontakta om projektet SAM?", passage(CONTACT_BLOCK, "SAM"))
    block = find_contact(candidates)

    assert read.kind == CONTACT
    shown = " | ".join(q.text for q in block.lines)
    for part in ("Anna Berg", "Projektledare, Sundsvalls kommun", "anna.berg@sundsvall.se", "070-123 45 67"):
        assert part in shown, shown
    assert any(q.text.startswith("E-post") and "anna.berg@" in q.text for q in block.lines)  # label with value


def test_a_contact_is_taken_from_the_best_passage_that_has_one():
    _, candidates = ranked(
        "Vem kan jag kontakta om projektet SAM?",
        passage(CONTACT_BLOCK, "SAM", rank=1),
        passage(OTHER_CONTACT, "HSO", rank=2),
    )
    block = find_contact(candidates)

    assert block.passage.chunk.doc_id == "sam"
    assert "Per Lind" not in " ".join(q.text for q in block.lines)


def test_an_address_asked_for_is_quoted_from_an_address_list_without_names():
    # No name stands near the addresses, so there is no contact block; the sentence about the agency ranks first.
    text = (
        "Återrapporteringen skickas till\n"
        "registrator@regeringskansliet.se kansli@tillvaxtverket.se\n\n"
        "Regionen har deltagit i Tillväxtverkets handläggarträffar under året."
    )
    question = "Vilken e-postadress på Tillväxtverket skickas återrapporteringen till?"
    read, candidates = ranked(question, passage(text, "R"))
    candidates.sort(key=lambda c: "handläggarträffar" not in c.text)
    composed = compose(read, usable_candidates(read, candidates), candidates)

    assert read.kind == CONTACT and read.details == frozenset({"email"})
    # The address names the agency without its diacritics: the sentence holding it is about the agency.
    assert next(c for c in candidates if "kansli@" in c.text).features["subject"] == 1.0
    assert composed is not None and "kansli@tillvaxtverket.se" in composed.text
