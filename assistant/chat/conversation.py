"""Conversations: the turns of one chat (or of one API client), and the few a browser keeps.

A turn holds the question, the answer given to it and the filters it was asked under, so each turn's
citations stay with that turn's answer, and follow-up questions ("Och när slutar det?") are resolved
against the questions before them. Only answered turns are kept: a refused question (empty, too long, or
failed) is shown once and forgotten, so nothing a client sends can grow a session beyond the caps below.

A `ChatSession` is what one browser tab holds on the server: the open conversation and the saved form of
up to MAX_CONVERSATIONS earlier ones (`saved.py`), which the page also keeps in the browser's storage.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from assistant.answer import Answer
from assistant.chat.text import one_line

MAX_TURNS = 30  # turns kept per conversation; older ones are dropped
MAX_CONVERSATIONS = 8  # conversations a browser keeps, the open one included


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class Turn:
    """One answered question, and the filters it was asked under."""

    question: str
    answer: Answer
    filters: dict[str, list] | None = None


@dataclass
class Conversation:
    """The turns of one conversation, oldest first. Message i of the chat window belongs to turn i // 2."""

    id: str = field(default_factory=new_id)
    turns: list[Turn] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    shown: int | None = None  # the turn whose sources the panel shows (None: the latest)

    @property
    def title(self) -> str:
        """The first question, for the list of earlier conversations."""
        return one_line(self.turns[0].question, 60) if self.turns else "Ny konversation"

    def history(self) -> list[str]:
        """Earlier questions as retrieval saw them (follow-ups resolved), for resolving the next one."""
        return [t.answer.resolved_question or t.question for t in self.turns]

    def add(self, question: str, answer: Answer, filters: Mapping[str, list] | None = None) -> Turn:
        """Record an answered turn; only the cited passages are kept (they are all the sources need)."""
        answer.passages = [c.passage for c in answer.citations]
        turn = Turn(question=question, answer=answer, filters=dict(filters) if filters else None)
        self.turns.append(turn)
        del self.turns[:-MAX_TURNS]
        self.shown = None
        return turn

    def turn_of_message(self, index: int | tuple | list) -> int | None:
        """The turn a chat-window message index belongs to, or None if there is no such turn."""
        if isinstance(index, (tuple, list)):
            index = index[0] if index else -1
        turn = int(index) // 2 if isinstance(index, int) and index >= 0 else -1
        return turn if 0 <= turn < len(self.turns) else None

    def answer_of(self, turn: int | None) -> Answer | None:
        """The answer given in `turn` (the latest turn's when `turn` is None)."""
        if not self.turns:
            return None
        index = len(self.turns) - 1 if turn is None else turn
        return self.turns[index].answer if 0 <= index < len(self.turns) else None

    def shown_turn(self) -> int | None:
        """The 0-based turn the sources panel shows (the latest unless another was picked)."""
        if not self.turns:
            return None
        return self.shown if self.shown is not None and 0 <= self.shown < len(self.turns) else len(self.turns) - 1


@dataclass
class ChatSession:
    """One browser tab's state on the server: the open conversation, the saved earlier ones (newest
    first, in their browser form), and the rating waiting for an optional comment."""

    current: Conversation = field(default_factory=Conversation)
    saved: list[dict] = field(default_factory=list)
    pending_rating: dict | None = None


def filters_from(
    documents: list[str] | None, regions: list[str] | None, years: list | None
) -> Mapping[str, list] | None:
    """The retrieval filters chosen in the chat (an empty choice means no filter on that field)."""
    chosen = {"document": documents, "region": regions, "year": [str(y) for y in years or []]}
    filters = {k: list(v) for k, v in chosen.items() if v}
    return filters or None
