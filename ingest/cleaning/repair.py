"""Repair Swedish text damaged by PDF extraction: detached diacritics, spurious Å, and other artefacts.

PDF text extraction often turns each å/ä/ö into its base letter followed by a space
(`fo r ha llbar` for `för hållbar`, `pa  de` for `på de`), and some fonts render every
capital A as Å (`Årbetet`, `ÅB`). `repair_text` detects such damage per document and
undoes it with a Swedish lexicon, the document's own vocabulary and a little context;
undamaged documents come back unchanged. Line count is always preserved, because ingest
maps page numbers by line index.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from typing import TextIO

from ingest.cleaning.artefacts import fix_glyphs, mend_hyphenation
from ingest.cleaning.likelihood import WordLikelihood
from ingest.swedish.lexicon import frequencies
from ingest.swedish.patterns import LETTERS

# The letter a detached diacritic leaves behind, and what it may have been.
_ACCENTED = {
    "a": ("ä", "å"),
    "o": ("ö",),
    "e": ("é",),
    "A": ("Ä", "Å"),
    "O": ("Ö",),
    "E": ("É",),
    "Å": ("Ä", "Å"),  # fonts that draw every capital A as Å also do so for the base of Ä
}
# URLs, e-mail addresses, domain names and path-like codes are never touched.
_PROTECTED = re.compile(r"\S*(?:://|www\.|mailto:|@|[/\\]\S*[/\\])\S*|[\w.-]+\.(?:se|nu|com|org|net|eu|fi|no|dk|io)\b")
_MAYBE_PROTECTED = re.compile(r"[@/\\]|www\.|\w\.[a-z]{2,3}\b")
# After a word-final detached diacritic comes the real separator: space, punctuation or line end
# (where ingest cleaning may already have stripped the detached space).
_FINAL_SLOT = re.compile(r" (?:[ ,.;:!?)\]/–”’»\"'-]|$)|$")

JOIN_COST = 0.5  # log10 prior against joining two fragments
# ... more when the left fragment is a common word by itself: a split word rarely leaves one.
LEFT_WORD_COST = 2.0
LEFT_WORD_LOGP = -5.5
FINAL_COST = 0.5  # ... against accenting a word's last letter
SPURIOUS_BONUS = 1.0  # ... for A over Å in a document whose font draws A as Å
CAPITAL_VOTE_MARGIN = 2.0  # log10: an Å-word votes on the font only when one reading is 100x likelier
STRONG_MARGIN = 3.0  # a change is strong evidence of damage if it is 1000x likelier than no change
MAX_WORD_FRAGMENTS = 6
PIECE_LOGP = -5.5  # rarer than zipf 3.5: may be a piece of a word split by a detached diacritic
DAMAGE_THRESHOLD = 0.01  # share of words with strong evidence of damage


@dataclass(frozen=True)
class DamageReport:
    """How damaged a document looks; `damaged` decides whether diacritics are repaired."""

    words: int
    detached: int  # word pieces that only make Swedish when joined or accented
    spurious_capitals: int  # Å-words that are A-words (Årbetet)
    genuine_capitals: int  # Å-words that are real (Återrapportering)

    @property
    def spurious_mode(self) -> bool:
        """Whether this document's font draws capital A as Å."""
        return _spurious_font(self.spurious_capitals, self.genuine_capitals)

    @property
    def score(self) -> float:
        evidence = self.detached + (self.spurious_capitals if self.spurious_mode else 0)
        return evidence / max(self.words, 1)

    @property
    def damaged(self) -> bool:
        return self.score >= DAMAGE_THRESHOLD


@dataclass
class _Fragment:
    """A run of letters in a line, with what may follow it."""

    start: int
    end: int
    text: str
    joins_next: bool = False  # a single space to a lowercase continuation: maybe a detached diacritic
    final_slot: bool = False  # followed by the space a word-final detached diacritic leaves


@dataclass
class _Choice:
    """A reading of a chain of fragments: its words, log10 score and number of changes."""

    words: list[str]
    score: float
    changes: int
    final_used: bool


def repair_text(text: str, context: str | None = None) -> str:
    """Repair PDF damage in `text`; return `text` itself (the same object) when nothing needs repair.

    Steps: ligatures, private-use bullets and spacing accents become plain text; if the
    document shows detached diacritics or a font that draws A as Å (see `damage_report`),
    every line is repaired with the lexicon, the document's own vocabulary and context;
    words hyphenated across a line end are joined onto the first line. Names, English,
    numbers, codes, URLs and e-mail addresses are left as they are.

    `context` is the whole document when `text` is a part of it (defaults to `text`):
    damage detection and the document vocabulary come from it. The number of lines is
    always preserved, since ingest maps pages by line index. Keep double spaces until
    after the repair: `pa  de` (for `på de`) is the clue to a word-final diacritic.
    """
    fixed = fix_glyphs(text)
    if context is None:
        repairer = _Repairer(fixed)
        repaired, report = repairer.run(fixed)
    else:
        repairer, report = _surveyed(context)
        repaired = repairer.run(fixed)[0]
    if report.damaged:
        fixed = repaired
    fixed = mend_hyphenation(fixed, repairer.likelihood.known)
    return text if fixed == text else fixed


def damage_report(text: str) -> DamageReport:
    """Detection statistics for `text` (see DamageReport)."""
    return _surveyed(text)[1]


@lru_cache(maxsize=4)
def _surveyed(document: str) -> tuple[_Repairer, DamageReport]:
    """A document's repairer and damage report, kept for repeated calls with the same context."""
    fixed = fix_glyphs(document)
    repairer = _Repairer(fixed)
    return repairer, repairer.run(fixed)[1]


def damage_score(text: str) -> float:
    """Share of words in `text` with strong evidence of detached diacritics or spurious Å."""
    return damage_report(text).score


def repair_stream(stdin: TextIO, stdout: TextIO) -> None:
    """Read all of `stdin` as one document, write the repaired text line for line."""
    stdout.write(repair_text(stdin.read()))
    stdout.flush()


class _Repairer:
    """Repairs the lines of one document with that document's word likelihoods and capital-Å profile."""

    def __init__(self, document: str) -> None:
        self.likelihood = WordLikelihood.for_document(document)
        votes = [self._capital_vote(w) for w in LETTERS.findall(document) if w[0] == "Å"]
        self.spurious_votes = votes.count(1)
        self.genuine_votes = votes.count(-1)
        self.spurious = _spurious_font(self.spurious_votes, self.genuine_votes)

    def run(self, text: str) -> tuple[str, DamageReport]:
        """The repaired text and the damage statistics gathered while repairing it."""
        lines: list[str] = []
        words = strong = 0
        previous = ""
        for line in text.split("\n"):
            repaired, line_words, line_strong = self.repair_line(line, previous)
            lines.append(repaired)
            words, strong = words + line_words, strong + line_strong
            previous = (repaired.split() or [previous])[-1]
        report = DamageReport(words, strong, self.spurious_votes, self.genuine_votes)
        return "\n".join(lines), report

    def _capital_vote(self, word: str) -> int:
        """+1 if an Å-initial word is far likelier with A, -1 if far likelier as it is, else 0."""
        if len(word) < 2 or not word[1:].islower():
            return 0
        margin = self.likelihood.logp("A" + word[1:]) - self.likelihood.logp(word)
        return int(margin > CAPITAL_VOTE_MARGIN) - int(margin < -CAPITAL_VOTE_MARGIN)

    def repair_line(self, line: str, previous: str = "") -> tuple[str, int, int]:
        """One line with its detached diacritics joined and spurious Å mended.

        `previous` is the last word before the line, for context. Returns the line, its number
        of words and its number of strong repairs (for damage detection).
        """
        fragments = _fragments(line, self.likelihood)
        edits: list[tuple[int, int, str]] = []
        strong = 0
        last_end, last_word = -1, ""
        for chain in _chains(fragments, include_capitals=self.spurious):
            start = chain[0].start
            # Context is the repaired previous word when it directly precedes this chain.
            adjacent = last_end >= 0 and not line[last_end:start].strip()
            before = last_word if adjacent else _word_before(line, start) or previous
            choice, keep = self._solve(chain, before, _word_after(line, chain[-1].end))
            end = chain[-1].end + (1 if choice.final_used else 0)
            last_end, last_word = end, choice.words[-1]
            if choice.changes:
                edits.append((start, min(end, len(line)), " ".join(choice.words)))
                if choice.score - keep.score >= STRONG_MARGIN:
                    strong += choice.changes
        for start, end, new in reversed(edits):
            line = line[:start] + new + line[end:]
        return line, len(fragments), strong

    def _solve(self, chain: list[_Fragment], previous: str, following: str) -> tuple[_Choice, _Choice]:
        """Best segmentation and accenting of a chain (Viterbi over words), and the unchanged one.

        Every fragment but the last joins the next, so any span of the chain may be one word.
        """
        n = len(chain)
        word_like = [self._word_like(f.text) for f in chain]
        best: list[_Choice | None] = [_Choice([], 0.0, 0, False)] + [None] * n
        for k in range(1, n + 1):
            for j in range(max(0, k - MAX_WORD_FRAGMENTS), k):
                # A piece between two detached diacritics is never a common word by itself.
                if any(word_like[j + 1 : k - 1]):
                    continue
                start = best[j]
                assert start is not None, "a prefix can always end in a word of one fragment"
                prev_word = start.words[-1] if start.words else previous
                final = k == n and chain[-1].final_slot
                next_word = following if k == n else chain[k].text
                for word, cost, changes, used in self._candidates(chain[j:k], final, word_like[j]):
                    score = start.score + self.likelihood.logp(word) + cost
                    score += self.likelihood.context_bonus(prev_word, word, next_word)
                    current = best[k]
                    if current is None or score > current.score:
                        best[k] = _Choice(
                            start.words + [word], score, start.changes + changes, start.final_used or used
                        )
        keep_words = [f.text for f in chain]
        keep_score = sum(self.likelihood.logp(w) for w in keep_words)
        keep_score += sum(
            self.likelihood.context_bonus(p, w, f)
            for p, w, f in zip([previous, *keep_words[:-1]], keep_words, [*keep_words[1:], following], strict=True)
        )
        solved = best[n]
        assert solved is not None, "a chain can always be read fragment by fragment"
        return solved, _Choice(keep_words, keep_score, 0, False)

    def _candidates(
        self, parts: list[_Fragment], final: bool, first_word_like: bool
    ) -> Iterator[tuple[str, float, int, bool]]:
        """Yield (word, log10 prior cost, changes, final accent used) for one word made of `parts`."""
        stems = [""]
        for part in parts[:-1]:
            options = _ACCENTED[part.text[-1]]
            stems = [s + part.text[:-1] + a for s in stems for a in options]
        joins = len(parts) - 1
        # A split word rarely leaves a common word as its first piece; later pieces were checked.
        join_cost = JOIN_COST * joins + (LEFT_WORD_COST if joins and first_word_like else 0.0)
        last = parts[-1].text
        endings = [(last, False)]
        if final:
            endings += [(last[:-1] + a, True) for a in _ACCENTED.get(last[-1], ())]
        for stem in stems:
            for ending, used in endings:
                word = stem + ending
                # é is rare in Swedish: restore it only where it makes a listed word (idé, kommittéer).
                if "é" in word.casefold() and not _ends_in_listed(word) and word != _plain(parts):
                    continue
                cost = -join_cost - (FINAL_COST if used else 0.0)
                changes = joins + used
                yield word, cost, changes, used
                if self.spurious and "Å" in word and _may_be_spurious(word):
                    yield word.replace("Å", "A"), cost + SPURIOUS_BONUS, changes + 1, used

    def _word_like(self, fragment: str) -> bool:
        """A common word of four letters or more: unlikely to be a piece of a split word."""
        return len(fragment) >= 4 and self.likelihood.logp(fragment) >= LEFT_WORD_LOGP


def _spurious_font(spurious: int, genuine: int) -> bool:
    """Enough Å-words that only make sense with A, and clearly more than real Å-words."""
    return spurious >= 3 and spurious > 2 * genuine


def _plain(parts: list[_Fragment]) -> str:
    return "".join(p.text for p in parts)


def _ends_in_listed(word: str) -> bool:
    """Whether the word, or a last part of it that holds its é, is in the frequency list."""
    key = word.casefold()
    freqs = frequencies()
    return any(key[i:] in freqs for i in range(key.rfind("é") + 1))


def _may_be_spurious(word: str) -> bool:
    """Å that a font may have drawn for A: the initial of a word, or anywhere in an acronym."""
    if len(word) < 2:
        return False
    return word.isupper() or (word[0] == "Å" and word[1:].islower())


def _fragments(line: str, likelihood: WordLikelihood) -> list[_Fragment]:
    """Letter runs of a line outside URLs and e-mail addresses, with their gap flags set."""
    protected = [m.span() for m in _PROTECTED.finditer(line)] if _MAYBE_PROTECTED.search(line) else []
    runs = [m for m in LETTERS.finditer(line) if not any(s <= m.start() < e for s, e in protected)]
    fragments = [_Fragment(m.start(), m.end(), m.group()) for m in runs]
    for frag, nxt in zip_longest(fragments, fragments[1:]):
        if frag.text[-1] not in _ACCENTED:
            continue
        if nxt is not None and nxt.start == frag.end + 1 and line[frag.end] == " ":
            frag.joins_next = _continues(frag.text, nxt.text, likelihood)
        frag.final_slot = not frag.joins_next and len(frag.text) > 1 and bool(_FINAL_SLOT.match(line, frag.end))
    return fragments


def _continues(left: str, right: str, likelihood: WordLikelihood) -> bool:
    """Whether `right` may be the rest of a word that `left` begins.

    Case must agree, and one side must look like a piece rather than a word, or the two
    must join into a listed word: two common words in a row are not weighed as one.
    """
    if not (right[0].islower() or (left.isupper() and right.isupper() and len(left) > 1)):
        return False
    if min(len(left), len(right)) <= 2 or min(likelihood.logp(left), likelihood.logp(right)) < PIECE_LOGP:
        return True
    freqs = frequencies()
    return any((left[:-1] + accent + right).casefold() in freqs for accent in _ACCENTED[left[-1]])


def _chains(fragments: list[_Fragment], include_capitals: bool = False) -> list[list[_Fragment]]:
    """Maximal runs of fragments linked by possible detached diacritics; only runs worth solving."""
    chains: list[list[_Fragment]] = []
    current: list[_Fragment] = []
    for frag in fragments:
        current.append(frag)
        if frag.joins_next:
            continue
        if len(current) > 1 or frag.final_slot or (include_capitals and "Å" in frag.text):
            chains.append(current)
        current = []
    return chains


def _word_before(line: str, start: int) -> str:
    """The whitespace-delimited word just before position `start` (for context cues)."""
    words = line[:start].split()
    return words[-1].strip(".,;:()") if words else ""


def _word_after(line: str, end: int) -> str:
    """The whitespace-delimited word just after position `end` (for context cues)."""
    words = line[end:].split()
    return words[0].strip(".,;:()") if words else ""


def main() -> None:
    """`python -m ingest.cleaning.repair < in.txt > out.txt` (UTF-8 whatever the locale)."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")
    repair_stream(sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
