"""Cut a document into chunks: sections → sentence-aware pieces with heading path, page, offsets, language.

How a document becomes chunks (`chunk_document`):

1. `ingest.chunking.sections` finds the headings and cuts the text into sections with heading paths.
2. Each section body is cut into units: sentences of paragraphs (`ingest.swedish.sentences`: abbreviations like
   `bl.a.`, `t.ex.`, `ca.` do not end a sentence; `1:1`, `112,5` and dates contain no break), and items of
   lists and table rows. A list with its lead-in sentence ("Parter i projektet:") forms one atom that is kept
   whole when it fits in a chunk; otherwise the lead-in stays with the first item.
3. Units are packed into chunks of at most `max_words` words; each section starts a new chunk, and
   consecutive chunks of one section overlap by about `overlap_words` words of whole sentences. A chunk
   with fewer than `min_words` new words is then merged into the previous chunk (the first one into the
   next) of its top-level section; chunks never cross a top-level section. A chunk never starts with its
   own heading (the heading path carries it) but contains the heading of a small section it absorbed.
4. Every chunk's text is exactly `doc.text[start:end]`; the heading path, title and text together
   (`Chunk.embed_text`) stay under `MAX_EMBED_WORDS`, what the e5 embedder's 512 tokens hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from ingest.chunking.sections import Section, split_sections
from ingest.swedish.language import detect_language
from ingest.swedish.sentences import BLOCK, sentence_spans
from ingest.types import Chunk, Document
from regionkunskap.errors import ConfigError

# ~1.9 XLM-R tokens per Swedish word: 350 words of embed text stay inside e5's 512-token window.
MAX_EMBED_WORDS = 350
# A document is taken to be Swedish unless it clearly is not; each chunk then has its document's language as prior.
DOCUMENT_PRIOR = "sv"
_ITEM_LINE = re.compile(r"^(?:• |\d{1,2}[.)] )|^.* \| ", re.M)


@dataclass(frozen=True)
class _Unit:
    """A span the packer never cuts: a sentence, a list item or a table row."""

    start: int
    end: int
    words: int
    section: int
    item: bool = False  # a list item or table row
    lead_in: bool = False  # a sentence ending in ":" that introduces what follows


@dataclass
class _Piece:
    """A packed chunk before it becomes a `Chunk`: its units and where the overlap ends."""

    units: list[_Unit]
    fresh: int  # index of the first unit not repeated from the previous chunk

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end

    def words(self, first: int = 0) -> int:
        return sum(u.words for u in self.units[first:])


def chunk_document(
    doc: Document, *, max_words: int = 160, overlap_words: int = 30, min_words: int | None = None
) -> list[Chunk]:
    """Cut `doc` into chunks (see the module docstring).

    `min_words` (default a quarter of `max_words`) is the size below which a chunk is merged with a
    neighbour in its top-level section. Identical chunk texts within a document are kept once.
    """
    if max_words < 20 or not 0 <= overlap_words < max_words:
        raise ConfigError(
            f"chunk size {max_words} words with overlap {overlap_words}: need a size of at least 20 words "
            "and an overlap smaller than the size"
        )
    min_words = max_words // 4 if min_words is None else min_words
    sections = split_sections(doc.text, title=doc.meta.title)
    doc_language = detect_language(doc.text[:20_000], prior=DOCUMENT_PRIOR)
    title_words = len(doc.meta.title.split())
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for group in _top_level_groups(sections):
        prefix = title_words + max(sum(len(h.split()) for h in sections[i].heading_path) for i in group)
        room = MAX_EMBED_WORDS - prefix - 5  # a little slack for the separators
        limit = max(20, min(max_words, room))
        units = [u for i in group for u in _section_units(doc.text, sections[i], i, limit)]
        pieces = _pack(units, limit, overlap_words)
        for piece in _merge_small(doc.text, pieces, min_words, max(limit, min(limit + min_words, room))):
            chunk = _make_chunk(doc, sections, piece, doc_language)
            if chunk.id not in seen:
                seen.add(chunk.id)
                chunks.append(chunk)
    return chunks


def _top_level_groups(sections: list[Section]) -> list[list[int]]:
    """Indices of sections, grouped by the top-level heading they sit under."""
    groups: list[list[int]] = []
    for i, section in enumerate(sections):
        if groups and sections[groups[-1][0]].top == section.top:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


# --- units ---------------------------------------------------------------------------------------------------


def _section_units(text: str, section: Section, index: int, limit: int) -> list[_Unit]:
    """The units of a section's body, block by block."""
    units: list[_Unit] = []
    for block_start, block_end in _blocks(text, section.start, section.end):
        units.extend(_block_units(text, block_start, block_end, index, limit))
    return units


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of non-blank lines between blank lines, trimmed of surrounding whitespace."""
    spans = []
    for m in BLOCK.finditer(text, start, end):
        spans.append((m.start(), m.start() + len(m.group(0).rstrip())))
    return spans


def _block_units(text: str, start: int, end: int, section: int, limit: int) -> list[_Unit]:
    """Units of one block: sentences of its prose, then one unit per list item or table row."""
    block = text[start:end]
    first_item = _ITEM_LINE.search(block)
    split = first_item.start() if first_item else len(block)
    spans = [(s, e, False) for s, e in sentence_spans(block[:split].rstrip())]
    spans += [(split + s, split + e, True) for s, e in _item_spans(block[split:])]
    units = []
    for s, e, is_item in spans:
        lead_in = not is_item and block[s:e].endswith(":")
        for ps, pe in _fit(block, s, e, limit):
            units.append(_Unit(start + ps, start + pe, len(block[ps:pe].split()), section, is_item, lead_in))
    return units


def _item_spans(block: str) -> list[tuple[int, int]]:
    """One span per item line and the lines continuing it (lines that start no new item)."""
    starts = [m.start() for m in _ITEM_LINE.finditer(block)]
    return [(s, s + len(block[s:e].rstrip())) for s, e in pairwise([*starts, len(block)])]


def _fit(block: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split a span longer than `limit` words: into runs of whole lines, and a line still too long by words."""
    if len(block[start:end].split()) <= limit:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"\S[^\n]*", block[start:end]):
        for run in re.finditer(rf"\S+(?:[ \t]+\S+){{0,{limit - 1}}}", line.group()):
            s, e = start + line.start() + run.start(), start + line.start() + run.end()
            if pieces and len(block[pieces[-1][0] : e].split()) <= limit:
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
    return pieces


# --- packing -------------------------------------------------------------------------------------------------


def _atoms(units: list[_Unit]) -> list[list[_Unit]]:
    """Group units that belong together: a list's items, with the sentence ending in `:` that leads into it."""
    atoms: list[list[_Unit]] = []
    for unit in units:
        previous = atoms[-1][-1] if atoms else None
        if unit.item and previous and previous.section == unit.section and (previous.item or previous.lead_in):
            atoms[-1].append(unit)
        else:
            atoms.append([unit])
    return atoms


def _pack(units: list[_Unit], limit: int, overlap_words: int) -> list[_Piece]:
    """Pack one top-level group's units into pieces of at most `limit` words, a new piece per section."""
    packer = _Packer(limit, overlap_words)
    for atom in _atoms(units):
        packer.add(atom)
    return packer.finish()


class _Packer:
    """Accumulates atoms into pieces; see `chunk_document` for the rules."""

    def __init__(self, limit: int, overlap_words: int):
        self.limit, self.overlap_words = limit, overlap_words
        self.pieces: list[_Piece] = []
        self.current = _Piece([], 0)

    def add(self, atom: list[_Unit]) -> None:
        if self.current.units and self.current.units[-1].section != atom[0].section:
            self._flush()  # each section starts a new piece; a small one is merged later (`_merge_small`)
        size = sum(u.words for u in atom)
        if self.current.words() + size <= self.limit:
            self.current.units.extend(atom)
        elif size > self.limit:
            for part in _split_atom(atom):
                self.add(part)
        else:
            overlap = self._overlap(atom, size) if self._flush() else []
            self.current = _Piece(overlap + atom, len(overlap))

    def _overlap(self, atom: list[_Unit], size: int) -> list[_Unit]:
        """Whole sentences from the end of the last piece, same section, about `overlap_words` words."""
        if not self.pieces:
            return []
        taken: list[_Unit] = []
        words = 0
        for unit in reversed(self.pieces[-1].units):
            if unit.item or unit.section != atom[0].section:
                break
            if words + unit.words > self.overlap_words or words + unit.words + size > self.limit:
                break
            taken.insert(0, unit)
            words += unit.words
        return taken

    def _flush(self) -> bool:
        """Close the current piece; False if it held nothing new (only overlap)."""
        piece, self.current = self.current, _Piece([], 0)
        if piece.words(piece.fresh) == 0:
            return False
        self.pieces.append(piece)
        return True

    def finish(self) -> list[_Piece]:
        self._flush()
        return self.pieces


def _split_atom(atom: list[_Unit]) -> list[list[_Unit]]:
    """An atom too big for one chunk: its lead-in stays with the first item, the rest go one by one."""
    if len(atom) > 2 and atom[0].lead_in:
        return [atom[:2]] + [[u] for u in atom[2:]]
    return [[u] for u in atom]


def _merge_small(text: str, pieces: list[_Piece], min_words: int, hard_limit: int) -> list[_Piece]:
    """Merge a piece with under `min_words` new words into the previous piece (the first into the next)."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and piece.words(piece.fresh) < min_words and _span_words(text, out[-1], piece) <= hard_limit:
            out[-1] = _union(out[-1], piece)
        else:
            out.append(piece)
    if len(out) >= 2 and out[0].words() < min_words and _span_words(text, out[0], out[1]) <= hard_limit:
        out[:2] = [_union(out[0], out[1])]
    return out


def _span_words(text: str, first: _Piece, second: _Piece) -> int:
    """Words from the start of `first` to the end of `second`, headings between them included."""
    return len(text[first.start : second.end].split())


def _union(first: _Piece, second: _Piece) -> _Piece:
    """The piece covering both, the second's overlap counted once."""
    return _Piece(first.units + [u for u in second.units if u.start >= first.end], first.fresh)


# --- chunks --------------------------------------------------------------------------------------------------


def _make_chunk(doc: Document, sections: list[Section], piece: _Piece, doc_language: str) -> Chunk:
    text = doc.text[piece.start : piece.end]
    return Chunk(
        id=Chunk.make_id(doc.doc_id, text),
        doc_id=doc.doc_id,
        text=text,
        heading_path=sections[piece.units[0].section].heading_path,
        start=piece.start,
        end=piece.end,
        page=doc.page_at(piece.start),
        page_end=doc.page_at(piece.end - 1),
        language=detect_language(text, prior=doc_language),
        meta=doc.meta,
    )
