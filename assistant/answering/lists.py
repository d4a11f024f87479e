"""List answers: the items a question asks for, gathered from a bullet list, a table or an enumerating sentence.

"Vilka partners är med i …?" is answered by the items of the list they are in, with the list's lead-in:

    Parter i projektet:
    - Region Västerbotten [1]
    - Luleå tekniska universitet [1]

A list is found around the best-scoring candidates: the items of one list block in a passage (units of kind
"item" or "line" that share a block), or an enumerating sentence ("… Region Norrbotten, Region Västerbotten och
Luleå tekniska universitet."), whose items are the short phrases between its commas up to its last join (its
"samt", else the first "och"/"eller" after its last comma), begun after the last word that introduces them. Items
of the same list in two passages (chunks overlap) are merged without duplicates.

Which list is meant is decided by the list as a whole: the average score of its items (an item counts by its
best sentence), or its lead-in's score when the lead-in names what is asked for ("För Norrbottens delprojekt
prioriteras dessa områden:") — not by one item that happens to name the question's subject.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.answering.features import Candidate
from assistant.answering.quoting import Quote, collapsed, window

MAX_ITEMS = 15
# How many of the best candidates are looked at for a list they belong to or introduce.
SEARCHED = 20
MAX_ITEM_CHARS = 220
# An enumeration's items are short noun phrases; a "list" of long clauses is prose, not a list.
MAX_ENUMERATED_WORDS = 8
MIN_ENUMERATED = 3
# Words that open an enumeration wherever they stand ("bland annat A, B och C"), and are never inside one of its
# items; the ones written in Swedish also introduce its first item.
_OPENING_WORDS = r"bland annat|bl\.a\.|t\.ex\.|till exempel|exempelvis|såsom|inklusive"
_OPENERS = re.compile(rf"(?:[:;]|\b(?:{_OPENING_WORDS}|such as|including))\s+", re.IGNORECASE)
# Words after which an enumeration's first item begins ("Partners är A, B och C").
_INTRODUCERS = re.compile(
    rf"(?:[:]|\b(?:är|var|vara|blir|bli|av|med|som|mellan|{_OPENING_WORDS}|"
    r"omfattar|består av|ingår|deltar|medverkar|samt|och|för|inom|i|på|till|från|har))\s+",
    re.IGNORECASE,
)
# Verbs that make a piece of an enumerating sentence a clause, not an item.
_CLAUSE_VERBS = frozenset("är var blir blev har hade kan ska skall måste bör is are was were has have can must".split())
# The join before an enumeration's last item; not the "och" after a word cut short by a hyphen, which shares the
# next word's ending: "skolan, kriminalvården och hälso- och sjukvården" has three items.
_LAST_JOIN = re.compile(r"(?<!-),?\s+(?:och|samt|eller|and|or)\s+", re.IGNORECASE)
# Such a pair's "och"/"eller": in "ledning, underrättelse- och säkerhetstjänst" the list's only join.
_SUSPENDED_JOIN = re.compile(r"\w-\s+(?:och|eller)\s+\w", re.IGNORECASE)


@dataclass(frozen=True)
class ListAnswer:
    """A lead-in (quoted, or empty) and the quoted items, in order."""

    lead_in: Quote | None
    items: list[Quote]
    score: float
    best: Candidate  # its best-scoring unit: what the confidence model reads


def find_list(ranked: list[Candidate], seeds: list[Candidate] | None = None) -> ListAnswer | None:
    """The best list among the candidates (best first) that one of `seeds` (default: the candidates) is an item
    or the lead-in of, or None. Seeds tied to the question's subject keep a list about another part of the
    document out ("För Västerbottens delprojekt …" for a question about Norrbotten's), while its items may be
    any units of the passage: they rarely name the subject themselves."""
    best: ListAnswer | None = None
    for c in (ranked if seeds is None else seeds)[:SEARCHED]:
        found = _block_list(c, ranked) or _enumeration(c)
        if found and (best is None or found.score > best.score):
            best = found
    if best is None:
        return None
    return _merged(best, ranked)


def introduced_by(lead: Candidate, ranked: list[Candidate]) -> ListAnswer | None:
    """The list a lead-in ending in ":" introduces in its passage (with its items in other passages), or None."""
    found = _block_list(lead, ranked) if lead.text.endswith(":") else None
    return _merged(found, ranked) if found is not None else None


def _block_list(c: Candidate, ranked: list[Candidate]) -> ListAnswer | None:
    """The list block a candidate is an item of, or introduces (a lead-in ending in ":")."""
    same_passage = sorted((o for o in ranked if o.passage is c.passage), key=lambda o: o.unit.start)
    if c.unit.kind in ("item", "line"):
        block = c.unit.block
        items = [o for o in same_passage if o.unit.block == block and o.unit.kind == c.unit.kind]
        lead = _lead_in_before(same_passage, items[0])
    elif c.text.endswith(":"):
        lead = c
        after = [o for o in same_passage if o.unit.start > c.unit.start]
        kind = after[0].unit.kind if after else ""
        if kind not in ("item", "line"):
            return None
        items = []
        for o in after:
            if o.unit.kind != kind:
                break
            items.append(o)
    else:
        return None
    if len(items) < 2:
        return None
    grouped = _by_item(items)[:MAX_ITEMS]
    # A list answers when its lead-in names what is asked for ("För Norrbottens delprojekt prioriteras dessa
    # områden:"), or when its items are what is asked for: each item's score (its best sentence's) says how likely
    # it is one, so the items count on average — not by the one best item, which may answer another question.
    scores = [max(o.score for o in group) for group in grouped]
    score = max(sum(scores) / len(scores), lead.score if lead else -math.inf)
    best = max([*(o for g in grouped for o in g), *([lead] if lead else [])], key=lambda o: o.score)
    quotes = [_item_quote(group[0]) for group in grouped]
    return ListAnswer(_quote_of(lead) if lead else None, quotes, score, best)


def _lead_in_before(units: list[Candidate], first_item: Candidate) -> Candidate | None:
    before = [o for o in units if o.unit.end <= first_item.unit.start]
    return before[-1] if before and before[-1].text.endswith(":") else None


def _by_item(items: list[Candidate]) -> list[list[Candidate]]:
    """The units of each item, in order: an item cut into sentences comes back as one unit per sentence."""
    out: list[list[Candidate]] = []
    for o in items:
        if out and o.unit.near and out[-1][-1].text in o.unit.near:  # a later sentence of the same item
            out[-1].append(o)
        else:
            out.append([o])
    return out


def _enumeration(c: Candidate) -> ListAnswer | None:
    """An enumerating sentence's items ("A, B och C"), with the words before them as the lead-in."""
    text = c.passage.text
    body = text[c.unit.start : c.unit.end]
    last = _last_join(body)
    if last is None:
        return None
    found = _first_item(body[: last.start()])
    if found is None:
        return None
    intro_end, pieces = found
    pieces.append(re.split(r"[.;:!?]|,\s", body[last.end() :])[0])
    if len(pieces) < MIN_ENUMERATED or not all(_item_like(p, last=n == len(pieces) - 1) for n, p in enumerate(pieces)):
        return None
    quotes, at = [], c.unit.start + intro_end
    for piece in pieces:
        start = text.index(piece, at)
        quotes.append(Quote(c.passage, start, start + len(piece), collapsed(piece.strip(" .,"))))
        at = start + len(piece)
    lead = collapsed(body[:intro_end])
    lead_quote = Quote(c.passage, c.unit.start, c.unit.start + intro_end, lead) if lead else None
    return ListAnswer(lead_quote, quotes, c.score, c)


def _item_like(piece: str, *, last: bool) -> bool:
    """Whether a piece of an enumeration may be an item: a short phrase, not a clause ("Huvudmannen ska, liksom
    för …, ge …" is no list). The last item may run on into the sentence's end ("… och gassvetsning beroende på
    det arbete som ska utföras"), so only its length counts."""
    words = piece.casefold().split()
    return 0 < len(words) <= MAX_ENUMERATED_WORDS and (last or not _CLAUSE_VERBS & set(words))


def _first_item(head: str) -> tuple[int, list[str]] | None:
    """Where an enumeration's first item begins in the words before its last join, and its items up to there.

    The items are the short pieces between the commas, read back from the last; the piece where that run stops —
    the sentence's first, a long one, or one with a word like "bland annat" or ":" that opens an enumeration —
    holds the first item after its last introducer: "Även om arbetet är självständigt, är det vanligt att
    audionomen ingår i team med läkare, hörselpedagoger, psykologer och tekniker" lists four people, not the
    clause before them."""
    commas = [0, *(m.end() for m in re.finditer(r",\s+", head))]
    pieces = [head[a:b].rstrip(", \n") for a, b in zip(commas, [*commas[1:], len(head)], strict=True)]
    opening = len(pieces) - 1
    while opening > 0 and len(pieces[opening].split()) <= MAX_ENUMERATED_WORDS and not _OPENERS.search(pieces[opening]):
        opening -= 1
    piece = pieces[opening]
    cut = _after_introducer(piece)
    if not cut and opening == 0 and all(p[:1].isupper() for p in pieces[1:]):
        # "Nätverket samlar Region Norrbotten, …": names listed after a verb no introducer knows
        cut = _trailing_name(piece)
    elif not cut and (opening > 0 or len(piece.split()) > MAX_ENUMERATED_WORDS):
        return None
    return commas[opening] + cut, [piece[cut:], *pieces[opening + 1 :]]


def _after_introducer(piece: str) -> int:
    """Where the words that introduce an enumeration end in `piece`: after its last opener ("bland annat", ":"),
    with an introducer right after it ("bland annat med strid"), else after its last introducer; 0 if none."""
    openers = [m.end() for m in _OPENERS.finditer(piece)]
    if openers:
        follows = _INTRODUCERS.match(piece, openers[-1])
        return follows.end() if follows else openers[-1]
    return ([m.end() for m in _INTRODUCERS.finditer(piece)] or [0])[-1]


def _last_join(body: str) -> re.Match[str] | None:
    """Where an enumeration's last item begins: the "samt", else the first "och"/"eller", after its last comma
    ("Framtidens städer och Framtidens djur och hälsa" ends a list with "Framtidens djur och hälsa"), or, when the
    only one follows a hyphen ("ledning, underrättelse- och säkerhetstjänst"), the comma before that pair."""
    joins = [m for m in _LAST_JOIN.finditer(body) if "," in body[: m.start()]]
    if joins:
        last_comma = body.rfind(",", 0, joins[-1].start() + 1)
        after = [m for m in joins if m.start() >= last_comma]
        return next((m for m in after if m.group().strip(" ,").casefold() == "samt"), after[0])
    suspended = _SUSPENDED_JOIN.search(body)
    commas = list(re.finditer(r",\s+", body[: suspended.start()])) if suspended else []
    return commas[-1] if len(commas) >= 2 else None


def _trailing_name(piece: str) -> int:
    """Where the run of capitalised words that ends `piece` starts (0 when the whole piece is that run)."""
    words = list(re.finditer(r"\S+", piece))
    start = len(words)
    while start > 0 and words[start - 1].group()[:1].isupper():
        start -= 1
    return words[start].start() if 0 < start < len(words) else 0


def _merged(found: ListAnswer, ranked: list[Candidate]) -> ListAnswer:
    """The list with the items of the same list in other passages (same lead-in) added, without duplicates."""
    if found.lead_in is None:
        return found
    key = found.lead_in.text.casefold()
    items = list(found.items)
    seen = {q.text.casefold() for q in items}
    for c in ranked:
        if c.passage is found.lead_in.passage or c.text.casefold() != key:
            continue
        other = _block_list(c, ranked)
        for q in other.items if other else []:
            if q.text.casefold() not in seen and len(items) < MAX_ITEMS:
                seen.add(q.text.casefold())
                items.append(q)
    return ListAnswer(found.lead_in, items, found.score, found.best)


def _quote_of(c: Candidate) -> Quote:
    return Quote(c.passage, c.unit.start, c.unit.end, c.text)


def _item_quote(c: Candidate) -> Quote:
    """An item; a very long one by its first words."""
    return window(c.passage, c.unit.start, c.unit.end, MAX_ITEM_CHARS, lambda word: 1.0)
