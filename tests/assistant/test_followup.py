"""Follow-up questions: what retrieval and reading see when a question leans on the ones before it."""

from __future__ import annotations

import pytest

from assistant.answering.followup import resolve_followup, subject_of


def test_a_question_that_refers_back_gets_the_latest_subject():
    assert resolve_followup("Och när slutar det?", ["Vem äger SAM?"]) == "Och när slutar det? SAM"


def test_a_question_word_written_with_a_capital_is_not_taken_for_a_subject():
    assert resolve_followup("Och När slutar det?", ["Vem äger SAM?"]) == "Och När slutar det? SAM"


def test_a_question_naming_its_own_subject_is_left_alone():
    question = "Kramfors då, vem är tillväxtchef där?"
    assert resolve_followup(question, ["Vem äger SAM?"]) == question


@pytest.mark.parametrize("question", ["Och HSO?", "HSO då?", "Men för HSO?"])
def test_a_bare_new_subject_asks_the_previous_question_about_it(question):
    assert resolve_followup(question, ["Vem äger SAM?"]) == "Vem äger HSO?"


def test_a_bare_new_subject_in_english_asks_the_previous_question_about_it():
    assert resolve_followup("What about HSO?", ["Who owns SAM?"]) == "Who owns HSO?"


def test_a_bare_year_takes_the_place_of_the_previous_questions_year():
    earlier = "Hur många ansökningar kom in till Region Norrbotten 2023?"
    assert resolve_followup("Och 2022?", [earlier]) == "Hur många ansökningar kom in till Region Norrbotten 2022?"


def test_the_subject_comes_from_the_latest_question_that_names_one():
    history = ["Vem äger SAM?", "Vad står HSO för?", "Och vad gör de?"]
    assert resolve_followup("Och när slutar det?", history) == "Och när slutar det? HSO"


@pytest.mark.parametrize("history", [[], ["Vilka mål har projektet?"]])
def test_without_an_earlier_subject_the_question_is_left_alone(history):
    assert resolve_followup("Och när slutar det?", history) == "Och när slutar det?"


def test_a_full_question_naming_a_new_subject_is_left_alone():
    question = "Vilka mål har Region Norrbotten?"
    assert resolve_followup(question, ["Vem äger SAM?"]) == question


def test_a_full_question_without_a_subject_keeps_the_conversations_subject():
    assert resolve_followup("Vem är projektägare?", ["När startar SAM?"]) == "Vem är projektägare? SAM"


def test_a_full_question_about_a_new_subject_is_not_rewritten():
    assert resolve_followup("Vad är HSO?", ["Vem äger SAM?"]) == "Vad är HSO?"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Hur stor är budgeten för North Sweden Green Deal?", "North Sweden Green Deal"),
        ("Vem äger SAM?", "SAM"),
        ("Vad är FRO?", "FRO"),
        ("Vilka mål har projektet?", ""),
    ],
)
def test_the_subject_of_a_question_is_named_as_written(question, subject):
    assert subject_of(question) == subject


@pytest.mark.parametrize("question", ["Vilka projekt finns?", "Vilka dokument finns?", "What documents are there?"])
def test_a_question_for_the_documents_is_not_narrowed_to_the_last_subject(question):
    assert resolve_followup(question, ["Vem äger projektet SAM?"]) == question
