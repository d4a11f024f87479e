"""Follow-up questions: carry the subject of the conversation into a question that only refers to it.

"Vem äger SAM?" then "Och när slutar det?" → retrieval sees "Och när slutar det? SAM". The rule is small
and predictable on purpose: a question that names its own subject is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words that point back to something named earlier (Swedish and English).
_REFERRING = {
    "det", "den", "dess", "detta", "denna", "dessa", "de", "dem", "deras", "där", "då", "projektet", "projektets",
    "satsningen", "insatsen", "programmet", "it", "its", "they", "their", "them", "this", "that", "there",
}
_WORD = re.compile(r"[\wÅÄÖåäö][\wÅÄÖåäö:+\-]*")
_ACRONYM = re.compile(r"\b[A-ZÅÄÖ]{2,}[+]?(?=\W|$)")
# Capitalised words after the first one (Swedish capitalises names only); runs of them form a name.
_NAME = re.compile(r"(?<=\s)(?:[A-ZÅÄÖ][\wåäö\-]+)(?:\s+(?:[A-ZÅÄÖ][\wåäö\-]+|och|of|and))*(?:\s+[A-ZÅÄÖ][\wåäö\-]+)?")


def subject_of(question: str) -> str:
    """The named subject of a question (acronyms and proper names), or '' if it names none."""
    names = [m.group(0).strip() for m in _NAME.finditer(" " + question.strip(" ?!.")[0:1].lower() + question.strip(" ?!.")[1:])]
    acronyms = _ACRONYM.findall(question)
    parts = []
    for item in names + acronyms:
        if item not in parts and not any(item in p for p in parts):
            parts.append(item)
    return " ".join(parts)


def resolve_followup(question: str, history: Sequence[str]) -> str:
    """`question`, with the latest named subject from `history` appended when the question refers back to it."""
    if not history or subject_of(question):
        return question
    words = {w.lower() for w in _WORD.findall(question)}
    if not (words & _REFERRING or question.lower().startswith(("och ", "and ", "men ", "but "))):
        return question
    for earlier in reversed(history):
        subject = subject_of(earlier)
        if subject:
            return f"{question} {subject}"
    return question
