"""What an answer of each question type looks like: an amount of money, a date, a name, a count.

`answer_evidence` rates how clearly a sentence holds the kind of answer a question's type asks for; the
patterns are Swedish (with the English forms a Swedish text also uses), and general: they recognise
"112,5 miljoner kronor", "1 januari 2024 – 30 april 2027", "Sundsvalls kommun är projektägare" or
"säger Uno Jonsson, tillväxtchef" in any document, not particular wordings of the bundled ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.questions import (
    AMOUNT,
    CONTACT,
    COUNT,
    OWNER,
    PARTNER,
    PERIOD,
    PERSON,
    ROLE,
    SHARE,
    TOGETHER_WORDS,
    Question,
    role_named,
)
from ingest.swedish.analysis import tokenize
from ingest.swedish.lexicon import stem

_I = re.IGNORECASE

_NUM = r"(?<![\w,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|(?<![\w,.])\d+(?:[,.]\d+)?(?![\d])"
_AMOUNT_RE = re.compile(
    rf"(?:{_NUM})\s*(?:miljoner|miljon|miljarder|miljard|mnkr|mkr|mdkr|msek|tkr|kkr|kronor|kr\b|sek\b|euro|eur\b|€)",
    _I,
)
_PERCENT_RE = re.compile(
    rf"(?:{_NUM})\s*(?:%|procent)|\b(?:hälften|halva|tredjedel(?:ar)?|fjärdedel(?:ar)?|femtedel(?:ar)?|"
    r"majoriteten|merparten|flertalet)\b",
    _I,
)
_YEAR_RE = re.compile(r"(?<![\d:.,])(?:19|20)\d\d(?![\d,])")
_MONTHS = (
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|"
    r"jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|august|october"
)
_DATE_RE = re.compile(
    rf"\b\d{{1,2}} (?:{_MONTHS})\b|\b(?:{_MONTHS}) (?:19|20)\d\d|\b(?:19|20)\d\d-\d\d-\d\d\b|"
    r"\b(?:19|20)\d\d ?[-–/] ?(?:(?:19|20)?\d\d)\b|\b(?:våren|hösten|sommaren|vintern|början av|slutet av|"
    r"mitten av|kvartal\w*)\b",
    _I,
)
_NUMBER_WORDS = frozenset(
    """två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton arton nitton tjugo
    trettio fyrtio femtio sextio sjuttio åttio nittio hundra tusen tiotal dussin""".split()
)
# A rank: an ordinal with what it ranks by ("sjätte största", "andra plats", "3:e högsta") or "plats 6".
# An ordinal alone is no rank: "andra" is mostly "other" ("våra andra sociala kanaler"), "första" "first time".
_RANK_WORDS = r"plats\w*|placering\w*|rang\w*|störst\w*|högst\w*|lägst\w*|bäst\w*|sämst\w*|mest|minst|främst\w*"
_ORDINALS = re.compile(
    r"\b(?:första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde|\d+:(?:a|e))\s+(?:\w+\s+)?"
    rf"(?:{_RANK_WORDS})\b|\bplats(?:en)?\s+(?:nummer\s+)?\d+\b|\bnummer\s+\d+\s+(?:i|bland)\b",
    _I,
)
# "X äger", "projektägare", "drivs av X", and the genitive "Energikontor norrs projekt Y".
_OWNER_CUES = re.compile(
    r"\bäg(?:er|s|de|t)\b|ägare\b|\bdriv(?:er|s|it|na)\b|huvudman|\w{3,}s (?:projekt|satsning|program)\b", _I
)
_LEAD_CUES = re.compile(r"\bansvar(?:ar|ig|et)\b|\bleds av\b|\bleder\b|\bsamordna(?:r|s)\b", _I)
# Unlike a question's cue, any form of "delta" (deltagare) and "part" itself count in an answer.
_PARTNER_CUES = re.compile(rf"\bpart(?:er|erna|ner\w*)?\b|{TOGETHER_WORDS}|\bdelta\w*|\bbidrar\b|\bmellan\b", _I)
_ORG_WORDS = re.compile(
    r"\b(?:Region|Regionala|Länsstyrelsen|\w*[Kk]ommun(?:er|en)?|\w*[Uu]niversitet\w*|\w*[Vv]erket|"
    r"\w*[Nn]ämnden|\w*[Kk]ontoret|\w*[Ff]ond(?:en)?|[A-ZÅÄÖ]{2,})\b"
)
_ROLE_NOUNS = re.compile(
    r"\w*(?:chef|direktör|strateg|ansvarig|ledare|ordförande|samordnare|handläggare|koordinator|rådgivare|"
    r"hövding\w*|sekreterare|utvecklare|beslutsfattare|företrädare|tjänsteperson\w*)(?:er|en|ar|na)?\b",
    _I,
)
_CAPITAL = r"[A-ZÅÄÖÉ][a-zåäöéüA-ZÅÄÖ-]+"
_PERSON_NAME = re.compile(rf"\b({_CAPITAL}) ({_CAPITAL})\b")
# Capitalised words of organisation and place names, never part of a person's name ("Region Västerbotten").
_NOT_NAMES = frozenset(
    """region regionala regionen länsstyrelsen kommun kommuner kommunen landsting sveriges sverige svenska norra
    södra västra östra mellersta övre nedre europeiska nordiska the of and projekt projektet insatsområde
    delprojekt eu interreg universitet stiftelsen föreningen förbundet""".split()
)
NAME_ROLE_DISTANCE = 4
_PHONE = re.compile(r"(?<!\d)(?:\+46|0)\d{1,3}[- ]?\d{2,3}[ -]?\d{2}[ -]?\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@dataclass(frozen=True)
class Period:
    """The years a sentence gives for a period: a range (both ends), a start, an end, or plain years."""

    kind: str  # "range", "start", "end" or "years"
    years: tuple[str, ...]  # (start, end) for a range, one year for a start or an end, else every year

    @property
    def start(self) -> str | None:
        return self.years[0] if self.kind in ("range", "start") else None

    @property
    def end(self) -> str | None:
        return self.years[-1] if self.kind in ("range", "end") else None


_Y = r"(?<![\d:.,])(?:19|20)\d\d(?![\d,])"
# "2019-2023", "mellan 2024 och 2026", "1 januari 2024 – 30 april 2027", "från 2022 till 2024".
_RANGE_RE = re.compile(
    rf"(?P<a>{_Y})(?:\s*[-–—/]\s*|\s+(?:och|till|to|and|until)\s+)"
    rf"(?:\d{{1,2}}\.?\s+)?(?:(?:{_MONTHS})\s+)?(?P<b>{_Y})",
    _I,
)
# A year said to begin or end something: "från mars 2022", "startar i februari 2024", "avslutas 2026".
_START_RE = re.compile(
    rf"\b(?:från|fr\.o\.m\.|sedan|start\w*|börja\w*|inled\w*|påbörja\w*|from|since|beg[iau]n\w*)\b"
    rf"(?:\s+\S+){{0,3}}?\s+(?P<y>{_Y})",
    _I,
)
_END_RE = re.compile(
    rf"\b(?:till|t\.o\.m\.|slut\w*|avslut\w*|until|end(?:s|ed|ing)?|finish\w*)\b(?:\s+\S+){{0,3}}?\s+(?P<y>{_Y})", _I
)


def period_in(text: str) -> Period | None:
    """The period a sentence states: its first range, else a start or an end, else its years (None: no year)."""
    found = _RANGE_RE.search(text)
    if found:
        return Period("range", (found.group("a"), found.group("b")))
    start, end = _START_RE.search(text), _END_RE.search(text)
    if start and end and start.start() < end.start():  # "startade 2022 och avslutas 2024"
        return Period("range", (start.group("y"), end.group("y")))
    if start or end:
        return Period("start", (start.group("y"),)) if start else Period("end", (end.group("y"),))
    years = tuple(dict.fromkeys(re.findall(_Y, text)))
    return Period("years", years) if years else None


def numbers_in(text: str) -> list[str]:
    """The numbers written in a text ("112,5", "250 000", "2024"), as written."""
    return [m.group() for m in re.finditer(_NUM, text)]


def names(text: str) -> list[str]:
    """The names a text holds: acronyms, and capitalised words inside a sentence (ESF, Region Värmland)."""
    return re.findall(r"\b[A-ZÅÄÖ]{2,}\b|(?<=[^.!?:\s] )[A-ZÅÄÖ][a-zåäö]+", text)


def has_person_name(text: str) -> bool:
    """A capitalised first name and surname that are not words of organisation or place names."""
    return any(_is_name(m) for m in _PERSON_NAME.finditer(text))


def _is_name(m: re.Match[str]) -> bool:
    first, last = m.group(1), m.group(2)
    if first.isupper() or last.isupper():  # "Nätverket AGON": an acronym is no name
        return False
    return first.casefold() not in _NOT_NAMES and last.casefold() not in _NOT_NAMES


def _name_near_role(text: str, role_stem: str) -> bool:
    """Whether a person's name stands within `NAME_ROLE_DISTANCE` words of the role word."""
    words = list(re.finditer(r"[\w-]+", text))
    roles = [i for i, w in enumerate(words) if stem(w.group().casefold()) == role_stem]
    for m in _PERSON_NAME.finditer(text):
        if not _is_name(m):
            continue
        first = next(i for i, w in enumerate(words) if w.start() >= m.start())
        last = first + 1
        if any(first - NAME_ROLE_DISTANCE <= r <= last + NAME_ROLE_DISTANCE for r in roles):
            return True
    return False


def answer_evidence(question: Question, text: str, terms: frozenset[str] = frozenset()) -> float:
    """How clearly `text` holds the kind of answer the question's type asks for, from 0 to 1.

    Untyped questions (other, yes/no) get a neutral 0.5; `terms` are the text's index terms, used to see
    whether a counted thing ("kommuner") or a wanted role ("tillväxtchef") is mentioned.
    """
    score = _evidence(question.type, question, text, terms)
    if question.also and score >= 0.5:  # a multi-part question prefers text that answers every part
        score = (score + sum(_evidence(t, question, text, terms) for t in question.also)) / (1 + len(question.also))
        return max(score, 0.5)
    return score


def _evidence(qtype: str, question: Question, text: str, terms: frozenset[str]) -> float:
    if qtype == AMOUNT:
        return 1.0 if _AMOUNT_RE.search(text) else 0.0
    if qtype == SHARE:
        return 1.0 if _PERCENT_RE.search(text) else 0.0
    if qtype == COUNT:
        return _count_evidence(question, text, terms)
    if qtype == PERIOD:
        return _period_evidence(question, text)
    if qtype == OWNER:
        cue = 1.0 if _OWNER_CUES.search(text) else 0.7 if _LEAD_CUES.search(text) else 0.0
        return cue if _ORG_WORDS.search(text) else cue / 2
    if qtype == PARTNER:
        names = len(_ORG_WORDS.findall(text)) + len(re.findall(r"(?<![.:!?] )(?<!^)\b[A-ZÅÄÖ][a-zåäö]+", text))
        return min(1.0, 0.4 * names + (0.4 if _PARTNER_CUES.search(text) else 0.0))
    if qtype == PERSON:
        return _person_evidence(question, text, terms)
    if qtype == ROLE:
        return 1.0 if _ROLE_NOUNS.search(text) else 0.0
    if qtype == CONTACT:
        wants_phone = re.search(r"telefon|phone|nummer|number", question.text, _I)
        return 1.0 if (_PHONE if wants_phone else _EMAIL).search(text) else 0.0
    return 0.5


def _period_evidence(question: Question, text: str) -> float:
    """A date is best, a year fair; but a sentence giving only when something starts does not say when
    it ends ("Projektet startar i februari 2024" for "När slutar SAM?"), nor one giving only the end when
    it starts."""
    period = period_in(text)
    other_end = {"start": "end", "end": "start"}.get(question.period_end)
    if period is not None and period.kind == other_end:
        return 0.0
    return 1.0 if _DATE_RE.search(text) else 0.8 if _YEAR_RE.search(text) else 0.0


def _count_evidence(question: Question, text: str, terms: frozenset[str]) -> float:
    """A number next to the thing counted is best; elsewhere in the sentence it is fair; with the thing
    counted missing from the sentence, a number says little (it may count anything)."""
    if re.search(r"vilken plats|what rank", question.text, _I):
        return 1.0 if _ORDINALS.search(text) else 0.0
    tokens = [t for t in tokenize(text) if ":" not in t]  # "1:1" is a name of an appropriation, not a count
    counted = set(question.counted)
    best = 0.0
    for i, token in enumerate(tokens):
        if not (token[0].isdigit() or token in _NUMBER_WORDS or re.fullmatch(r"\d+-?tal", token)):
            continue
        if counted and {stem(t) for t in tokens[i + 1 : i + 4]} & counted:
            return 1.0
        best = max(best, 0.3 if _YEAR_RE.fullmatch(token) else 0.5 if counted else 0.6)
    if counted and not counted & terms:
        best = min(best, 0.3)
    return best


def _person_evidence(question: Question, text: str, terms: frozenset[str]) -> float:
    """A name wanted for a role needs the role with a name next to it ("Uno Jonsson är tillväxtchef",
    "säger regional utvecklingsdirektör Märta Molin"); "Vem sammankallar …" takes a name, body or role."""
    if question.wants_name:
        if not question.role_terms:
            return 1.0 if has_person_name(text) or _EMAIL.search(text) else 0.0
        if not role_named(question, terms):
            return 0.0
        return 1.0 if _name_near_role(text, question.role_terms[-1][0]) else 0.0
    if has_person_name(text) or _ORG_WORDS.search(text) or _ROLE_NOUNS.search(text):
        return 1.0
    return 0.0
