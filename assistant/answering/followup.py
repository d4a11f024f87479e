"""Follow-up questions: carry the subject of the conversation into a question that only refers to it.

Three cases, small and predictable on purpose (subjects are read by `assistant.answering.questions.subject_phrases`,
the same reader that decides what an answer must be about):

- "Vem äger SAM?" then "Och när slutar det?" or "Vem är projektägare?": a question that names nothing but
  asks something gets the latest subject appended → "Vem är projektägare? SAM". Whether it points back
  ("det", "projektet") or not, a question without a subject in a conversation about SAM is about SAM; a
  turn that asks nothing ("Tack!") is left alone.
- "Vem äger SAM?" then "Och HSO?": a bare new subject asks the previous question again about it →
  "Vem äger HSO?" (a year swaps a year: "… 2023?" then "Och 2022?" → "… 2022?").
- A question that names its own subject ("Kramfors då, vem är tillväxtchef där?") is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.inventory import asks_inventory
from assistant.answering.questions import REFERRING, Question, read_question, subject_phrases
from ingest.swedish.patterns import YEAR_RE

_CONTINUING = ("och ", "and ", "men ", "but ")
_WORD = re.compile(r"[\wÅÄÖåäö][\wÅÄÖåäö:+\-]*")
# What may stand around a bare new subject: "Och HSO?", "HSO då?", "Men för HSO?", "What about HSO?".
_BARE = re.compile(
    r"(?:och|men|samt|eller|and|but|or)?\s*(?:vad gäller|hur är det med|what about|how about|för|om|med|"
    r"angående|beträffande|gällande|about|regarding|for)?\s*(?P<subject>.+?)\s*(?:då|också|även|then|too|also)?",
    re.IGNORECASE,
)


def subject_of(question: str) -> str:
    """The named subjects of a question (names, acronyms, years) as written, or '' if it names none."""
    return " ".join(subject_phrases(question))


def resolve_followup(question: str, history: Sequence[str]) -> str:
    """`question` as retrieval and reading should see it, given the earlier questions in `history`."""
    named = subject_phrases(question)
    earlier = _latest_with_subject(history)
    if earlier is None:
        return question
    if named:
        bare = _bare_subject(question, named)
        return _swapped(earlier, bare) if bare else question
    # "Vilka dokument finns?" asks about the knowledge base, whatever was asked before it.
    read = read_question(question)
    if not _asks_something(question, read) or asks_inventory(read):
        return question
    return f"{question} {subject_of(earlier)}"


def _latest_with_subject(history: Sequence[str]) -> str | None:
    return next((q for q in reversed(history) if subject_phrases(q)), None)


def _asks_something(question: str, read: Question) -> bool:
    """Whether a turn asks about something (a topic word), or points back to the last one ("Och det?")."""
    words = {w.lower() for w in _WORD.findall(question)}
    return bool(read.words) or bool(words & REFERRING) or question.lower().startswith(_CONTINUING)


def _bare_subject(question: str, named: list[str]) -> str:
    """The subject of a question that is nothing but a new subject ("Och HSO?"), else ''."""
    match = _BARE.fullmatch(question.strip(" ?!."))
    subject = match.group("subject") if match else ""
    return subject if subject in named else ""


def _swapped(earlier: str, subject: str) -> str:
    """The earlier question about `subject` instead: a year in place of its year, a name in place of its
    first name; the subject appended when it has none of the kind."""
    kind = [p for p in subject_phrases(earlier) if bool(YEAR_RE.fullmatch(p)) == bool(YEAR_RE.fullmatch(subject))]
    if not kind:
        return f"{earlier} {subject}"
    return re.sub(rf"(?<!\w){re.escape(kind[0])}(?!\w)", subject, earlier, count=1)
