"""Which questions ask what the knowledge base holds, rather than something in it."""

from __future__ import annotations

import pytest

from assistant.answering.inventory import asks_inventory
from assistant.answering.questions import read_question


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Vilka projekt finns?", "sv"),
        ("Vilka dokument finns det?", "sv"),
        ("Vad handlar dokumenten om?", "sv"),
        ("Vad finns i kunskapsbasen?", "sv"),
        ("What documents are there?", "en"),
        ("Which documents do you have?", "en"),
        ("Vilka projekt finns i Norrbotten?", "sv"),  # the documents whose metadata names Norrbotten
    ],
)
def test_a_question_for_the_documents_asks_for_the_inventory(question, language):
    assert asks_inventory(read_question(question, language))


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Vilka projekt finansieras av ERUF?", "sv"),  # asks about something the texts say
        ("Vad handlar projektet om?", "sv"),  # one project, named before: a follow-up
        ("What is the project about?", "en"),
        ("Vad innebär det att projektera?", "sv"),  # shares a stem with "projekt", not a word
        ("Vilka dokument behövs?", "sv"),  # asks about documents in the texts, not the base
        ("Sammanfatta dokumenten", "sv"),
    ],
)
def test_a_question_about_something_in_the_documents_does_not(question, language):
    assert not asks_inventory(read_question(question, language))
