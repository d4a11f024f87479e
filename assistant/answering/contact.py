"""Contact answers: the person, role, e-mail and phone printed together in the document the question is about.

"Vem kan jag kontakta om …?" is answered by the contact block of the best passage tied to the question's
subject: the lines around an e-mail address or phone number (the name and role above them, "E-post"/"Mobil"
labels joined with their values), or the sentence naming the person ("… välkommen att kontakta Greta
Isaksson.") with the address after it. A block from a passage not tied to the subject is never used: a
person from another project is worse than no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.answering.features import Candidate
from assistant.answering.quoting import Quote, collapsed
from assistant.answering.values import EMAIL, PHONE, has_person_name

# How many lines above an address the name and role may stand.
LINES_ABOVE = 3
LINES_BELOW = 4
MAX_LINE_CHARS = 160
# A label line ("E-post", "Mobil", "Telefon:") is shown with the value on the next line.
_LABEL = re.compile(r"^(?:e-?post|mejl|mail|e-mail|mobil|mobiltelefon|telefon|tel|direkt|växel|phone)\.?:?$", re.I)


@dataclass(frozen=True)
class ContactBlock:
    passage: Passage
    lines: list[Quote]  # each shown line: a name/role line, a labelled address, a number
    score: float


def find_contact(ranked: list[Candidate]) -> ContactBlock | None:
    """The contact block of the best-scoring candidate's passage that has one, or None."""
    seen = set()
    for c in ranked:
        if c.passage.chunk.id in seen:
            continue
        seen.add(c.passage.chunk.id)
        block = _block(c.passage, c.score)
        if block is not None:
            return block
    return None


def _block(passage: Passage, score: float) -> ContactBlock | None:
    """The lines around the passage's first address (e-mail or phone) with a person's name near it."""
    text = passage.text
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for i, (start, end) in enumerate(lines):
        if not (EMAIL.search(text[start:end]) or PHONE.search(text[start:end])):
            continue
        first = max(0, i - LINES_ABOVE)
        around = range(first, min(len(lines), i + LINES_BELOW + 1))
        chosen = [j for j in around if _contact_line(text[lines[j][0] : lines[j][1]])]
        named = [j for j in chosen if j <= i and has_person_name(text[lines[j][0] : lines[j][1]])]
        if not named:
            continue
        # A role or organisation line between the name and the address belongs to the block too.
        between = [j for j in range(named[0], i) if j not in chosen and _short_line(text[lines[j][0] : lines[j][1]])]
        chosen = sorted({*chosen, *between})
        return ContactBlock(passage, _shown_lines(passage, [lines[j] for j in chosen]), score)
    return None


def _short_line(line: str) -> bool:
    """A line that can be a role or an organisation: short, not a question or a sentence."""
    line = line.strip()
    return 0 < len(line) <= MAX_LINE_CHARS // 2 and not line.endswith(("?", ".", ":"))


def _contact_line(line: str) -> bool:
    """A line that belongs to a contact block: a name/role, a label, an address or a number — short."""
    line = line.strip()
    if len(line) > MAX_LINE_CHARS or line.startswith("mailto:"):
        return False
    return bool(has_person_name(line) or _LABEL.match(line) or EMAIL.search(line) or PHONE.search(line))


def _shown_lines(passage: Passage, spans: list[tuple[int, int]]) -> list[Quote]:
    """The block's lines as quotes, a label joined with the value on the line after it."""
    out: list[Quote] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        if _LABEL.match(passage.text[start:end].strip()) and i + 1 < len(spans):
            end = spans[i + 1][1]
            i += 1
        out.append(Quote(passage, start, end, collapsed(passage.text[start:end])))
        i += 1
    return out
