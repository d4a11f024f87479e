"""What kind of value a text holds: an amount of money, a date, a count, a share, a name, an e-mail address.

The detectors are Swedish (with the English forms Swedish texts also use) and general: they recognise
"112,5 miljoner kronor", "1 januari 2024 – 30 april 2027", "tio bolag", "Anna Berg, projektledare" or
"070-123 45 67" in any document. The answer scorer uses them as features — whether a sentence holds the
kind of value a question asks for — and the composer uses them to check numbers and to find contact details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.swedish.lexicon import stem
from ingest.swedish.patterns import MONTH, NUMBER, YEAR

_I = re.IGNORECASE

_NUMBER_RE = re.compile(NUMBER)
_AMOUNT = re.compile(
    rf"(?:{NUMBER})\s*(?:miljoner|miljon|miljarder|miljard|mnkr|mkr|mdkr|msek|tkr|kkr|kronor|kr\b|sek\b|euro|eur\b|€)",
    _I,
)
_PERCENT = re.compile(
    rf"(?:{NUMBER})\s*(?:%|procent)|\b(?:hälften|halva|tredjedel(?:ar)?|fjärdedel(?:ar)?|femtedel(?:ar)?|"
    r"majoriteten|merparten|flertalet)\b",
    _I,
)
_YEAR_RE = re.compile(YEAR)
# Swedish months, and the English ones Swedish texts also use.
MONTHS = rf"{MONTH}|january|february|march|may|june|july|august|october"
_DATE = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS})\b|\b(?:{MONTHS}) (?:19|20)\d\d|\b(?:19|20)\d\d-\d\d-\d\d\b|"
    r"\b(?:19|20)\d\d ?[-–/] ?(?:(?:19|20)?\d\d)\b|\b(?:våren|hösten|sommaren|vintern|början av|slutet av|"
    r"mitten av|kvartal\w*)\b",
    _I,
)
_NUMBER_WORDS = (
    r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton|arton|nitton|tjugo|"
    r"trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra|tusen|tiotal|dussin|hundratal|tusentals|hundratals"
)
_COUNT = re.compile(rf"(?<![\w,.:])\d+(?:[ \u00a0]\d{{3}})*(?![\d:,.]\d)|\b(?:{_NUMBER_WORDS})\b", _I)
_DURATION = re.compile(
    rf"(?:\b\d+(?:[,.]\d+)?|\b(?:ett|en|{_NUMBER_WORDS}))\s*(?:år|månader|månad|veckor|vecka|dagar|dygn|dag|timmar|"
    r"timme|minuter|terminer|termin)\b",
    _I,
)
_REASON = re.compile(r"\bför att\b|\beftersom\b|\bdärför\b|\bsyft\w*|\bså att\b|\bmed målet\b|\bi syfte\b", _I)
# A place: a preposition before a capitalised name ("i Kiruna", "vid Umeå universitet"), or a place noun.
_PLACE = re.compile(
    r"\b(?i:i|på|vid|hos|inom|från|till) [A-ZÅÄÖ][a-zåäöé]+|"
    r"\b(?i:\w*(?:kommun|stad|län|land|region|ort))(?:en|er|erna)?\b"
)
# A circumstance: "När ska … dokumenteras?" is answered by "om det finns minst tio arbetstagare" as often as by a date.
_CONDITION = re.compile(
    r"\b(?:om|ifall|när|då|innan|förrän|så länge|så snart|i samband med|vid|i de fall|in case|if|when|before)\b", _I
)
_DEFINES = re.compile(r"\b(?:är|innebär|betyder|kallas|avser|står för|definieras)\b", _I)
PHONE = re.compile(r"(?<!\d)(?:\+46[ -]?|0)\d{1,3}[- ]?\d{2,3}[ -]?\d{2}[ -]?\d{2}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A web address: a URL, or a domain under a common top-level domain ("utvecklanorrbotten.se"), not an e-mail's.
WEB = re.compile(
    r"(?<![@\w.-])(?:https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:se|nu|com|org|net|eu|fi|no|dk|info|io)\b)(?!@)",
    re.IGNORECASE,
)
ORGANISATION = re.compile(
    r"\b(?:Region|Regionala|Länsstyrelsen|\w*[Kk]ommun(?:er|en)?|\w*[Uu]niversitet\w*|\w*[Vv]erket|"
    r"\w*[Nn]ämnden|\w*[Kk]ontoret|\w*[Ff]ond(?:en)?|[A-ZÅÄÖ]{2,})\b"
)
ROLE_NOUNS = re.compile(
    r"\w*(?:chef|direktör|strateg|ansvarig|ledare|ordförande|samordnare|handläggare|koordinator|rådgivare|"
    r"hövding\w*|sekreterare|utvecklare|företrädare|tjänsteperson\w*|projektledare|kontaktperson)(?:er|en|ar|na)?\b",
    _I,
)
_CAPITAL = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
PERSON_NAME = re.compile(rf"\b({_CAPITAL}) ({_CAPITAL})\b")
# Capitalised words of organisation and place names, never part of a person's name ("Region Västerbotten").
_NOT_NAMES = frozenset(
    """region regionala regionen länsstyrelsen kommun kommuner kommunen landsting sveriges sverige svenska norra
    södra västra östra mellersta övre nedre europeiska nordiska the of and projekt projektet insatsområde
    delprojekt eu interreg universitet stiftelsen föreningen förbundet""".split()
)

# An organisation answers "vem" as well as a person does ("Härnösands kommun är projektägare").
ORGANISATION = re.compile(
    r"\b[A-ZÅÄÖ][\w-]+ (?:kommun|region|län|landsting)\b|\bRegion [A-ZÅÄÖ][\w-]+|\bLänsstyrelsen\b|"
    r"\b[A-ZÅÄÖ][\w-]*(?:verket|myndigheten|universitet|högskolan|kommun|regionen)\b|\b[A-ZÅÄÖ][\w&-]* AB\b"
)

# The kinds of value a question may ask for; `holds(kind, text)` tells whether a text has one.
VALUE_KINDS = (
    "count",
    "amount",
    "share",
    "duration",
    "date",
    "condition",
    "person",
    "person_name",
    "place",
    "web",
    "reason",
    "definition",
)


def _holds_count(text: str) -> bool:
    """Whether a number in `text` counts something: not a year, and not part of a date ("1 januari 2024",
    "2024-01-31": "Projektperiod: 1 januari 2024 – 30 april 2027" holds no count of work packages)."""
    dates = [d.span() for d in _DATE.finditer(text)]
    return any(
        not _YEAR_RE.fullmatch(m.group().strip()) and not any(a <= m.start() and m.end() <= b for a, b in dates)
        for m in _COUNT.finditer(text)
    )


def holds(kind: str, text: str, role: str = "") -> bool:
    """Whether `text` holds a value of `kind` (one of VALUE_KINDS); for a person's name asked for by `role`
    ("Vem är landshövding …?"), a name next to that role: "samlar … H2 Green Steel" after "landshövdingen" names
    no governor."""
    if kind == "count":
        return _holds_count(text)
    if kind == "amount":
        return bool(_AMOUNT.search(text))
    if kind == "share":
        return bool(_PERCENT.search(text))
    if kind == "duration":
        return bool(_DURATION.search(text))
    if kind == "date":
        return bool(_DATE.search(text) or _YEAR_RE.search(text))
    if kind == "condition":
        return bool(_CONDITION.search(text))
    if kind == "person":
        return has_person_name(text) or bool(EMAIL.search(text) or ORGANISATION.search(text))
    if kind == "person_name":
        return names_role(text, role) if role else has_person_name(text) or bool(EMAIL.search(text))
    if kind == "place":
        return bool(_PLACE.search(text))
    if kind == "web":
        return bool(WEB.search(text))
    if kind == "reason":
        return bool(_REASON.search(text))
    if kind == "definition":
        return bool(_DEFINES.search(text))
    raise ValueError(f"unknown value kind {kind!r}; use one of {', '.join(VALUE_KINDS)}")


def numbers_in(text: str) -> list[str]:
    """The numbers written in a text ("112,5", "250 000", "2024"), as written."""
    return [m.group() for m in _NUMBER_RE.finditer(text)]


def years_in(text: str) -> list[str]:
    return _YEAR_RE.findall(text)


def names(text: str) -> list[str]:
    """The names a text holds: acronyms, and capitalised words inside a sentence (ESF, Region Värmland)."""
    return re.findall(r"\b[A-ZÅÄÖ]{2,}\b|(?<=[^.!?:\s] )[A-ZÅÄÖ][a-zåäö]+", text)


def person_names(text: str) -> list[re.Match[str]]:
    """Capitalised first name + surname pairs that are not words of organisation or place names."""
    return [m for m in PERSON_NAME.finditer(text) if _is_name(m)]


def has_person_name(text: str) -> bool:
    return bool(person_names(text))


def _is_name(m: re.Match[str]) -> bool:
    first, last = m.group(1), m.group(2)
    return first.casefold() not in _NOT_NAMES and last.casefold() not in _NOT_NAMES


def names_role(text: str, role: str) -> bool:
    """Whether a role word ("tillväxtchef") stands within a few words of a person's name in `text`."""
    words = list(re.finditer(r"[\w-]+", text))
    wanted = stem(role.casefold())
    roles = [i for i, w in enumerate(words) if stem(w.group().casefold()) == wanted]
    for m in person_names(text):
        first = next(i for i, w in enumerate(words) if w.start() >= m.start())
        if any(first - 4 <= r <= first + 5 for r in roles):
            return True
    return False


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


# "2019-2023", "mellan 2024 och 2026", "1 januari 2024 – 30 april 2027", "från 2022 till 2024".
_RANGE = re.compile(
    rf"(?P<a>{YEAR})(?:\s*[-–—/]\s*|\s+(?:och|till|to|and|until)\s+)"
    rf"(?:\d{{1,2}}\.?\s+)?(?:(?:{MONTHS})\s+)?(?P<b>{YEAR})",
    _I,
)
# A year said to begin or end something: "från mars 2022", "startar i februari 2024", "avslutas 2026".
_START = re.compile(
    rf"\b(?:från|fr\.o\.m\.|sedan|start\w*|börja\w*|inled\w*|påbörja\w*|from|since|beg[iau]n\w*)\b"
    rf"(?:\s+\S+){{0,3}}?\s+(?P<y>{YEAR})",
    _I,
)
_END = re.compile(
    rf"\b(?:till|t\.o\.m\.|slut\w*|avslut\w*|until|end(?:s|ed|ing)?|finish\w*)\b(?:\s+\S+){{0,3}}?\s+(?P<y>{YEAR})", _I
)


def period_in(text: str) -> Period | None:
    """The period a sentence states: its first range, else a start or an end, else its years (None: no year)."""
    found = _RANGE.search(text)
    if found:
        return Period("range", (found.group("a"), found.group("b")))
    start, end = _START.search(text), _END.search(text)
    if start and end and start.start() < end.start():  # "startade 2022 och avslutas 2024"
        return Period("range", (start.group("y"), end.group("y")))
    if start:
        return Period("start", (start.group("y"),))
    if end:
        return Period("end", (end.group("y"),))
    years = tuple(dict.fromkeys(_YEAR_RE.findall(text)))
    return Period("years", years) if years else None
