"""One conversation: the turns of a chat session (or of one API client), kept per session by the chat.

A turn holds the question and the answer given to it, so each turn's citations stay with that turn's
answer, and follow-up questions ("Och när slutar det?") are resolved against the questions before them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.answer import Answer

MAX_TURNS = 50  # answers kept per conversation; older turns keep only their question


@dataclass
class Turn:
    """One question and what came of it: an answer, or the reason it was refused."""

    question: str
    answer: Answer | None = None
    refusal: str = ""


@dataclass
class Conversation:
    """The turns of one session, oldest first. Message i of the chat window belongs to turn i // 2."""

    turns: list[Turn] = field(default_factory=list)
    shown: int | None = None  # the turn whose sources the panel shows (None: the latest)

    def history(self) -> list[str]:
        """Earlier questions as retrieval saw them (follow-ups resolved), for resolving the next one."""
        return [t.answer.resolved_question or t.question for t in self.turns if t.answer is not None]

    def add(self, question: str, answer: Answer) -> Turn:
        """Record an answered turn; only the cited passages are kept (they are all the sources panel needs)."""
        answer.passages = [c.passage for c in answer.citations]
        turn = Turn(question=question, answer=answer)
        self.turns.append(turn)
        self.shown = None
        if len(self.turns) > MAX_TURNS:
            self.turns[-MAX_TURNS - 1].answer = None
        return turn

    def refuse(self, question: str, reason: str) -> Turn:
        """Record a question that was not asked (empty, too long, failed), with the message shown for it."""
        turn = Turn(question=question, refusal=reason)
        self.turns.append(turn)
        return turn

    def turn_of_message(self, index: int | tuple | list) -> int | None:
        """The turn a chat-window message index belongs to, or None if there is no such turn."""
        if isinstance(index, (tuple, list)):
            index = index[0] if index else -1
        turn = int(index) // 2 if isinstance(index, int) and index >= 0 else -1
        return turn if 0 <= turn < len(self.turns) else None

    def answer_of(self, turn: int | None) -> Answer | None:
        """The answer given in `turn` (None for the latest turn's when `turn` is None)."""
        if not self.turns:
            return None
        index = len(self.turns) - 1 if turn is None else turn
        return self.turns[index].answer if 0 <= index < len(self.turns) else None

    def shown_answer(self) -> tuple[Answer | None, int | None]:
        """The answer the sources panel shows, and its 1-based turn number."""
        index = len(self.turns) - 1 if self.shown is None else self.shown
        return self.answer_of(index), (index + 1 if self.turns else None)


def filters_from(
    documents: list[str] | None, regions: list[str] | None, years: list | None
) -> Mapping[str, list] | None:
    """The retrieval filters chosen in the chat (an empty choice means no filter on that field)."""
    chosen = {"document": documents, "region": regions, "year": [str(y) for y in years or []]}
    filters = {k: list(v) for k, v in chosen.items() if v}
    return filters or None
