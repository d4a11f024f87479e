"""How closely a sentence is tied to what the question is about: the subject check.

A question about SAM's owner must not be answered by a sentence about HSO's owner, however well it
matches otherwise. Each subject of the question (a name, an acronym, a year) is looked for in layers,
nearest first: the sentence itself; its context (earlier sentences of its paragraph, a list's lead-in, the
headings above it); the document's publisher (for who-questions: the people a document names speak for it) and
its title; anywhere in the passage. The nearest layer naming it gives the strength. A layer that names another
project — an acronym or expansion defined in the passages that is not the subject — but not the subject stops
the search:
"Projektet startar i februari" after a sentence about SAM is about SAM, whatever the heading says.

An acronym and its expansion defined in the passages are one name ("HSO" ~ "Hållbar samhällsomställning").
Subjects the question names side by side ("HSO och SAM") are one group: a sentence tied to either is tied.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.answer import Passage
from assistant.answering.acronyms import Definition, find_definitions
from assistant.answering.questions import CONTACT, Question, subject_stems
from ingest.swedish.analysis import tokenize
from ingest.swedish.lexicon import stem
from ingest.swedish.patterns import WITHOUT_DIACRITICS
from ingest.swedish.sentences import Sentence

IN_SENTENCE, IN_CONTEXT, IN_TITLE, IN_PASSAGE = 1.0, 0.8, 0.7, 0.4
# The weakest tie that still lets a sentence answer a question about a subject.
SUBJECT_GATE = IN_TITLE
# A context naming the subject and another project as well ties the sentence to neither.
AMBIGUITY_PENALTY = 0.15
# In the sentence itself only a rival it opens with counts ("SAM startar …", not "… medfinansiering från ERUF").
OPENING_WORDS = 3
_ARTICLES = frozenset({"the", "den", "det", "de", "en", "ett"})


class SubjectTies:
    """The question's subjects, with their aliases and rivals in a set of passages."""

    def __init__(self, question: Question, passages: list[Passage]):
        self.question = question
        definitions = [d for p in passages for d in find_definitions(p.text)]
        self.aliases = [_aliases(subject_stems(s), definitions) for s in question.subjects]
        self.rivals = [_rivals(aliases, definitions) for aliases in self.aliases]
        # Every group must be tied to a unit; a group of subjects named side by side ("HSO och SAM") by any one.
        self.groups = question.subject_groups or tuple((i,) for i in range(len(self.aliases)))
        # The people a document names speak for its publisher ("Vem är utvecklingsdirektör i Region
        # Västernorrland?" is answered in Region Västernorrland's news about HSO and SAM); its figures need not
        # be the publisher's (the game companies' employees in the same news are not the region's).
        self._by_publisher = question.kind == CONTACT or bool(question.wants & {"person", "person_name"})

    def strength(self, passage: Passage, unit: Sentence) -> float:
        """How closely every subject is tied to the unit (the weakest one counts); 1 with no subjects."""
        if not self.aliases:
            return 1.0
        meta = passage.chunk.meta
        layers = [
            (IN_SENTENCE, token_stems(unit.text)),
            *((IN_CONTEXT, token_stems(text)) for text in (*unit.near, *reversed(passage.chunk.heading_path))),
            *([(IN_TITLE, token_stems(meta.organisation))] if self._by_publisher else []),
            (IN_TITLE, token_stems(meta.title)),
        ]
        whole = token_stems(passage.text)
        ties = [_nearest(a, r, layers, whole) for a, r in zip(self.aliases, self.rivals, strict=True)]
        return min(max(ties[i] for i in group) for group in self.groups)

    def names_subject(self, text: str) -> bool:
        """Whether `text` names every subject (or an alias of it)."""
        stems = token_stems(text)
        return all(any(_contiguous(alias, stems) for alias in aliases) for aliases in self.aliases)


def _aliases(own: tuple[str, ...], definitions: list[Definition]) -> list[tuple[str, ...]]:
    """A subject's stems, and those of the acronym or expansion it is defined as in the passages; each also
    spelled without diacritics, as addresses write names (ulrika.aberg@tillvaxtverket.se, www.hoga-kusten.se)."""
    own = tuple(t for t in own if t not in _ARTICLES) or own
    found = [own]
    for d in definitions:
        acronym, expansion = token_stems(d.acronym), token_stems(d.expansion)
        if own == acronym:
            found.append(expansion)
        elif _contiguous(own, expansion) and 2 * len(own) >= len(expansion):
            found += [acronym, expansion]
    found += [tuple(t.translate(WITHOUT_DIACRITICS) for t in alias) for alias in found]
    return list(dict.fromkeys(found))


def _rivals(aliases: list[tuple[str, ...]], definitions: list[Definition]) -> list[tuple[str, ...]]:
    """Other projects named in the passages: defined acronyms and expansions that are not the subject."""
    named = {name for d in definitions for name in (token_stems(d.acronym), token_stems(d.expansion))}
    return [r for r in named if not any(_contiguous(a, r) or _contiguous(r, a) for a in aliases)]


def _nearest(
    aliases: list[tuple[str, ...]],
    rivals: list[tuple[str, ...]],
    layers: list[tuple[float, tuple[str, ...]]],
    passage: tuple[str, ...],
) -> float:
    """The strength of the nearest layer naming the subject (see the module docstring)."""
    for strength, stems in layers:
        named = any(_contiguous(alias, stems) for alias in aliases)
        opening = strength == IN_SENTENCE
        rival = any(_contiguous(r, stems[: len(r) + OPENING_WORDS] if opening else stems) for r in rivals)
        if named:
            return strength if opening or not rival else strength - AMBIGUITY_PENALTY
        if rival:
            break
    return IN_PASSAGE if any(_contiguous(alias, passage) for alias in aliases) else 0.0


@lru_cache(maxsize=8192)
def token_stems(text: str) -> tuple[str, ...]:
    """The stems of a text's tokens, in order: what names are matched on."""
    return tuple(stem(t) for t in tokenize(text))


def _contiguous(needle: tuple[str, ...], hay: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))
