"""What a question asks: the shape of its answer, the kind of value it wants, what it is about, its words.

`read_question` turns a question into a `Question`:

- `kind` — the shape the answer takes: a *fact* (one sentence), a *list* of items ("Vilka partners …"), an
  *overview* of a few sentences ("Vad handlar … om?", "Varför …", "Sammanfatta …"), a *contact* block
  ("Vem kan jag kontakta om …?"), or an acronym's *definition* ("Vad står HSO för?"). The kind decides how
  the answer is composed, not which sentences answer: that is the learned scorer's job.
- `wants` — the kinds of value the question asks for (an amount, a date, a count …; `values.VALUE_KINDS`).
  They are features of the scorer ("does this sentence hold the kind of value asked for?"), whose learned
  weights decide how much they count; no sentence is ruled out for lacking one.
- `subjects` — the names, acronyms and years the question is about ("North Sweden Green Deal", "SAM",
  "2023"): an answer must be about them, or a sentence about another project's budget would answer.
- `details` — the contact details it asks for by name ("Vilket telefonnummer har …?" → phone, "… e-post …" →
  email): an answer without one is no answer to it, however well it names the person.
- `words` — its topic words as index terms (stems, compound parts), each weighted by how rare the word is in
  Swedish, so "budget" counts more than "projekt".

Everything is read from the question's form (Swedish and English question words), so it applies to questions
and documents never seen before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.acronyms import ACRONYM_TOKEN
from assistant.answering.values import ROLE_NOUNS
from ingest.swedish.analysis import QUESTION_FILLER, terms_of, tokenize
from ingest.swedish.lexicon import ENGLISH_MARGIN, STOP_WORDS, english_words, lexicon, stem, zipf_sv
from ingest.swedish.patterns import NEGATION, YEAR_RE

FACT, LIST, OVERVIEW, CONTACT, DEFINITION = "fact", "list", "overview", "contact", "definition"

_I = re.IGNORECASE
_ACRONYM_QUESTION = re.compile(
    rf"(?i:vad står) (?P<a>{ACRONYM_TOKEN}) (?i:för)|(?i:vad betyder) (?P<b>{ACRONYM_TOKEN})\b|"
    rf"(?i:what does) (?:the )?(?P<c>{ACRONYM_TOKEN}) (?:stand|mean)|^(?i:vad|vem) är (?P<d>{ACRONYM_TOKEN})\W*$|"
    rf"^(?i:what is) (?:the )?(?P<e>{ACRONYM_TOKEN})\W*$|(?i:förkortning(?:en)?) (?P<f>{ACRONYM_TOKEN})\b"
)
# Whole contact words, for the shape and for the value asked for: a "kontaktledningsmontör" is no contact.
_CONTACT_WORD = r"\bkontakt(?:a|as|ar|at|en|er|erna|person\w*|uppgift\w*|info\w*)?\b|\bcontact\w*"
# The shape of the answer, from the question's form; tried in this order, the first that matches wins.
_CONTACT = re.compile(
    _CONTACT_WORD + r"|"
    r"\be-?post\w*|\bmejl\w*|\bmail\w*|\btelefon\w*|\bringa\b|\bnår? (?:jag|någon|projektet|dem)\b|"
    r"\bvänd(?:a|er) (?:mig|man|jag)\b|\be-?mail\b|\bphone\b|\breach\b|\bwho (?:can|should) i\b",
    _I,
)
# Contact details a question asks for by name: an answer must hold one of them.
_DETAILS = {
    "phone": re.compile(
        r"\btelefon(?:nummer|numret|nr)?\b|\bmobil(?:nummer|numret|telefon)?\b|\bringa\b|\bphone\b", _I
    ),
    "email": re.compile(r"\be-?post(?:adress\w*)?\b|\bmejl(?:adress\w*)?\b|\be-?mail(?:adress\w*)?\b", _I),
}
_OVERVIEW = re.compile(
    r"\bvad handlar\b|\bhandlar\b.*\bom\b|\bsyfte\w*|\bsyftar\b|\b(?:målet|målsättningen|avsikten) (?:med|för)\b|"
    r"^varför\b|\bvarför (?:startade|startades|finns|behövs|görs|gjordes|har|är)\b|\bsammanfatt\w*|\bbeskriv\w*|"
    r"\bberätta\b|\böversikt\w*|\bvad (?:gör|gjorde|görs|gjordes) (?:regionen|projektet|kommunen|man|de|vi)\b.*"
    r"\b(?:inom|för|med|kring)\b|\bvad (?:är|var) (?:projektet|satsningen|programmet) \S+\b|"
    r"\bwhat is .+ about\b|\bpurpose\b|^why\b|\bsummar\w*|\bdescribe\b|\boverview\b|\bwhat did .+ do\b",
    _I,
)
_SUMMARY = re.compile(r"\bsammanfatt\w*|\böversikt\w*|\bsummar(?:y|i[sz]e\w*)\b|\boverview\b", _I)
_LIST = re.compile(
    r"^(?:och |men )?(?:vilka|which|what are|list|lista|nämn|räkna upp|ge exempel)\b|"
    r"\b(?:vilka|which) (?:\w+ )?(?:partners?|parter\w*|kommuner\w*|företag\w*|medlem\w*|mål\w*|"
    r"arbetspaket\w*|aktivitet\w*|insats\w*|områden\w*|målgrupp\w*|finansiär\w*|organisation\w*|"
    r"projekt\w*|delar|steg|exempel|åtgärd\w*|regioner\w*|län\w*)\b",
    _I,
)
# "När"/"when" asks when, except in "när det gäller …" ("regarding …"): "Vilken plats har Norrbotten bland
# Sveriges regioner när det gäller varuexport?" asks for a rank, not a time.
_WHEN = r"\bnär\b(?! det (?:gäller|kommer till|handlar om)\b)|\bwhen\b(?! it comes to\b)"
# What kind of value a question wants (`values.VALUE_KINDS`), from its question words.
_WANTS = {
    "count": re.compile(r"\bhur många\b|\bhow many\b", _I),
    # "Hur stort är regionens anslag för 2025?" asks for a sum, whatever words stand between.
    "amount": re.compile(
        r"\bhur mycket\b|\bhow much\b|\bhur stor[ta]?\b(?!\s+(?:andel|del)\b).*\b(?:budget\w*|anslag\w*|kostnad\w*|"
        r"belopp\w*|bidrag\w*|summa\w*|omsättning\w*|lön\w*)|"
        r"\bhow (?:big|large)\b.*\b(?:budget|grant|appropriation|cost)s?\b",
        _I,
    ),
    "share": re.compile(r"\bandel\w*|\bprocent\w*|\bpercent\w*|\bshare\b|\bhur stor del\b", _I),
    "duration": re.compile(r"\bhur länge\b|\bhur lång\b|\bhow long\b", _I),
    "date": re.compile(_WHEN + r"|\bvilke[nt]? (?:år|datum|månad)\b|\bvilka år\b|\bdatum\b|\bwhat year\b", _I),
    # "När …?" asks for a time or for the case in which something happens.
    "condition": re.compile(
        _WHEN + r"|\bi vilke[nt] (?:fall|situation\w*)\b|\bunder vilka (?:omständigheter|förutsättningar)\b", _I
    ),
    "person": re.compile(r"^vem\b|\bvem\b|\bvilka personer\b|\bwho\b|\bvad heter\b", _I),
    "place": re.compile(
        r"^var\b|\bvar (?:finns|ligger|kan|ska|arbetar|sker|hittar|bor)\b|\bvart\b|\bwhere\b|"
        r"\bi vilke[nt] (?:stad|kommun|ort|län|region|land)\b",
        _I,
    ),
    # "Var kan jag läsa mer om Digidel på nätet?": a web address, and the "where" is not a place then. Only a
    # where-question or one naming an address: "… om du inte ansöker på webben?" asks for something else.
    "web": re.compile(
        r"^(?:var|where)\b.*\b(?:på (?:webben|nätet|internet|hemsidan|webbplatsen)|online|on the (?:web|internet))\b|"
        r"\bwebbadress\w*|\bvilke[nt] (?:webbplats|hemsida|webbsida|länk)\w*|\blänk(?:en)? till\b|\burl\b|"
        r"\bwhich website\b|\bweb address\b",
        _I,
    ),
    "reason": re.compile(r"\bvarför\b|\bwhy\b|\bsyfte\w*|\bpurpose\b", _I),
    "definition": re.compile(r"^vad (?:är|betyder|innebär|menas|kallas)\b|\bstår \S+ för\b|^what (?:is|does)\b", _I),
}
# Nouns and verbs that name the value asked for only when they head the question ("Vad kostar …?", "Vilken
# budget har …?", "Vilken kontaktperson …?"); further on they are its topic: "Vad gör idrottstränare som har
# budgetansvar?" asks for no sum, "Vilken terapimetod kräver intensiv kontakt …?" for no person.
_HEAD_WANTS = {
    # "Hur finansieras …?", "Vilken fond finansierar …?" ask for a source, not a sum: no funding words here.
    "amount": re.compile(r"\bkost\w*|\bbudget\w*|\bbelopp\w*|\bpengar\b|\bcosts?\b|\bmoney\b", _I),
    "count": re.compile(r"\bantal\w*|\bnumber of\b", _I),
    # "Vilken period gäller …?" asks for a period; "Vad har däckmontörer under perioderna för däckbyte?" does not.
    "date": re.compile(r"\bperiod\w*", _I),
    "person": re.compile(_CONTACT_WORD, _I),
}
# A value asked for by its noun in the definite form: the question is for the value, not a definition.
_DEFINITE_VALUE = re.compile(
    r"\b(?:budget(?:en|arna)|kostnad(?:en|erna)|belopp(?:et|en)|antalet|summan|the (?:budget|cost|amount|number))\b",
    _I,
)
# How many words open a question: its question word, verb and the noun they ask about.
_HEAD_WORDS = 4
# What runs, starts or ends: with a how-long question, a period answers it ("Hur länge pågår SAM?" by
# "2024–2026"); with a what- or why-question it is the topic ("Vad börjar monteringsarbetet med?").
_EVENT = re.compile(r"\bpågå\w*|\bstart\w*|\bslut\w*|\bbörja\w*|\bavslut\w*|\brun\w*|\blast\w*", _I)


# English question words and names that carry no subject: never a gate for an answer.
_EN_FUNCTION = frozenset(
    """what who whom whose which when where why how is are was were does do did the a an of and for to in on at
    with from by about many much there can could should will would has have had not or it its this that""".split()
)
# Modal and auxiliary verbs of questions ("Vad ska …", "Vad kan …") and light verbs ("När tar SAM slut?"):
# no topic, yet not Snowball stop words.
_AUXILIARIES = frozenset(
    "ska skall kan kunna kunde får fått fick måste bör borde vill ville behöver står stod gör görs gjorde "
    "sker kommer ta tar tog tagit tagits tas togs".split()
)
# What an overview question asks the assistant to do ("Sammanfatta …", "Beskriv …"): its form, not its topic —
# a sentence saying "sammanfattande beskrivning" is no summary.
_COMMANDS = frozenset(
    "sammanfatta sammanfattning sammanfattningsvis beskriv beskriva berätta förklara översikt översiktligt "
    "summarize summarise summary describe explain overview tell".split()
)
# What a message's later sentence asks the assistant to do ("… ? Ge en kort översikt.", "Lista dem.").
_REQUESTS = _COMMANDS | frozenset("ge lista nämn ange visa skriv jämför redogör svara give list name show".split())
# Pronouns that stand for something named earlier: a question ending in one names nothing by itself.
_PRONOUNS = frozenset("det den dess detta denna dessa de dem deras it its they them their this that".split())
# Words that point back to something named earlier (Swedish and English): the pronouns, and the nouns and
# adverbs a follow-up uses for it.
REFERRING = _PRONOUNS | frozenset("där då projektet projektets satsningen insatsen programmet there".split())
# Words that open a reply or a turn rather than name something ("Tack, och när slutar det?").
_INTERJECTIONS = frozenset(
    "hej hejsan hallå tack okej ok okay ja nej jaha jo precis bra förresten alltså dessutom också även sen "
    "annars apropå slutligen hi hello thanks yes no anyway also besides well".split()
)
# Names so widespread in regional-development texts that requiring them would only reject good answers.
GENERIC_NAMES = frozenset("eu eus sverige sveriges sweden swedish europa europe european region regionen the".split())

# Common English words of regional development → Swedish, so an English question's topic still meets the
# Swedish sentences (the quotes stay Swedish). Names are never translated.
EN_SV = {
    "budget": "budget",
    "budgets": "budget",
    "fund": "fond",
    "funds": "fond",
    "funding": "finansiering",
    "finance": "finansiering",
    "finances": "finansierar",
    "financed": "finansierad",
    "co-finances": "medfinansiering",
    "co-financed": "medfinansierad",
    "cost": "kostnad",
    "costs": "kostnad",
    "money": "pengar",
    "grant": "stöd",
    "grants": "stöd",
    "support": "stöd",
    "appropriation": "anslag",
    "allocation": "anslag",
    "project": "projekt",
    "projects": "projekt",
    "document": "dokument",
    "documents": "dokument",
    "reports": "rapporter",
    "source": "källa",
    "sources": "källor",
    "file": "fil",
    "files": "filer",
    "subproject": "delprojekt",
    "owner": "ägare",
    "owns": "äger",
    "own": "äger",
    "partner": "part",
    "partners": "parter",
    "cooperate": "samarbete",
    "cooperation": "samarbete",
    "collaborate": "samverkan",
    "collaboration": "samverkan",
    "municipality": "kommun",
    "municipalities": "kommuner",
    "county": "län",
    "region": "region",
    "regions": "regioner",
    "company": "företag",
    "companies": "företag",
    "business": "företag",
    "businesses": "företag",
    "organisation": "organisation",
    "organisations": "organisationer",
    "organization": "organisation",
    "organizations": "organisationer",
    "university": "universitet",
    "training": "utbildning",
    "education": "utbildning",
    "efforts": "insatser",
    "effort": "insats",
    "international": "internationellt",
    "period": "period",
    "year": "år",
    "years": "år",
    "start": "startar",
    "starts": "startar",
    "started": "startade",
    "begin": "börjar",
    "begins": "börjar",
    "began": "började",
    "end": "slutar",
    "ends": "slutar",
    "ended": "slutade",
    "finish": "slutar",
    "finishes": "slutar",
    "finished": "slutade",
    "run": "pågår",
    "last": "pågår",
    "lasts": "pågår",
    "contact": "kontakta",
    "manager": "chef",
    "director": "direktör",
    "strategy": "strategi",
    "labour": "arbetsmarknad",
    "labor": "arbetsmarknad",
    "market": "marknad",
    "pilot": "pilot",
    "inhabitants": "invånare",
    "residents": "invånare",
    "population": "befolkning",
    "employees": "anställda",
    "applications": "ansökningar",
    "investment": "investering",
    "investments": "investeringar",
    "export": "export",
    "network": "nätverk",
    "railway": "järnväg",
    "food": "livsmedel",
    "transport": "transport",
    "infrastructure": "infrastruktur",
    "energy": "energi",
    "climate": "klimat",
    "environment": "miljö",
    "innovation": "innovation",
    "research": "forskning",
    "skills": "kompetens",
    "competence": "kompetens",
    "housing": "bostäder",
    "tourism": "turism",
    "goal": "mål",
    "goals": "mål",
    "activities": "aktiviteter",
    "sustainable": "hållbar",
    "sustainability": "hållbarhet",
    "development": "utveckling",
    "regional": "regional",
    "green": "grön",
    "transition": "omställning",
    "tool": "verktyg",
    "plan": "plan",
    "work": "arbete",
    "women": "kvinna",
    "men": "man",
    "share": "andel",
    "jobs": "arbetstillfällen",
    "decision": "beslut",
    "report": "rapport",
}


@dataclass(frozen=True)
class Question:
    """A question read for answering (see the module docstring)."""

    text: str
    language: str
    kind: str
    wants: frozenset[str]
    # The topic words as index terms, one group per word: its stem, then its compound parts' stems
    # ("finansieringsstrategin" → finansieringsstrategi, finansiering, strategi). English words translated.
    words: tuple[tuple[str, ...], ...]
    # How much each word of `words` carries the topic: rare words more (from their frequency in Swedish).
    weights: tuple[float, ...]
    # Names, acronyms and years the answer must be about, each as case-folded tokens.
    subjects: tuple[tuple[str, ...], ...]
    acronym: str = ""  # the acronym asked about, for definition questions
    # Subjects named side by side ("HSO och SAM"), as groups of indices into `subjects`: a unit about any one
    # of a group is about the question (each other subject stands alone, in a group of its own).
    subject_groups: tuple[tuple[int, ...], ...] = ()
    # Which end of a period a when-question asks for ("När slutar …?" → "end"), or "" for none.
    edge: str = ""
    # The contact details asked for by name ("phone", "email"); an answer must hold one of them.
    details: frozenset[str] = frozenset()
    # The role whose holder is asked for ("Vem är landshövding …?" → "landshövding"), or "".
    role: str = ""
    # Whether it asks for a summary ("Sammanfatta …", "Ge en översikt av …"): of a whole document, if it names one.
    summary: bool = False
    # Whether it ends in a pronoun for something it does not name ("Och när slutar det?" with nothing before it).
    dangling: bool = False
    # Whether it is negated ("Vad kan operativt arbete inte handla om?"): a sentence without a negation that
    # restates it answers the opposite.
    negated: bool = False

    @property
    def contentless(self) -> bool:
        """Whether it names nothing and asks about nothing ("?", "Vem är"), or asks about something it only points
        back to ("När slutar det?" on its own: a follow-up gets the conversation's subject appended first)."""
        if self.subjects:
            return False
        return self.dangling or not any(any(ch.isalpha() for ch in g[0]) for g in self.words)


def read_question(text: str, language: str = "sv") -> Question:
    """Kind, wanted values, subjects and weighted topic terms of a question (see the module docstring)."""
    text = " ".join(text.split())
    acronym = _asked_acronym(text)
    words = _topic_words(text, language)
    wants = _wanted(text)
    phrases = subject_phrases(text)
    return Question(
        text=text,
        language=language,
        kind=DEFINITION if acronym else question_kind(text),
        wants=wants,
        words=tuple(group for group, _ in words),
        weights=tuple(weight for _, weight in words),
        subjects=tuple(_subject_tokens(phrase) for phrase in phrases),
        subject_groups=_grouped(text, phrases),
        acronym=acronym,
        edge=_edge(text, wants),
        details=frozenset(name for name, pattern in _DETAILS.items() if pattern.search(text)),
        summary=bool(_SUMMARY.search(text)),
        role=_role(text) if "person_name" in wants else "",
        dangling=_last_word(text) in _PRONOUNS,
        negated=bool(NEGATION.search(text)),
    )


# When something begins or ends: a period's start or its end answers, however it is worded ("När drar X
# igång?" is answered by "Projektperiod: 1 februari 2024 – 21 december 2026").
_EDGES = {
    "start": re.compile(r"\b(?:start\w*|börja\w*|inled\w*|påbörja\w*|igång|begin\w*|began|kick\w*)\b", _I),
    "end": re.compile(r"\b(?:slut\w*|avslut\w*|upphör\w*|färdig\w*|klar\b|end(?:s|ed)?|finish\w*)\b", _I),
}


def _edge(text: str, wants: frozenset[str]) -> str:
    """The end of a period a when-question asks for: "start", "end", or "" (neither, or not a when-question)."""
    if "date" not in wants:
        return ""
    found = [edge for edge, pattern in _EDGES.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else ""


def _last_word(text: str) -> str:
    words = re.findall(r"[\wÅÄÖåäö]+", text.casefold())
    return words[-1] if words else ""


def _role(text: str) -> str:
    found = ROLE_NOUNS.search(text)
    return found.group().casefold() if found else ""


def _wanted(text: str) -> frozenset[str]:
    """The value kinds a question asks for; "Vem är landshövding …?" asks for a person's name, not any owner."""
    wants = {kind for kind, pattern in _WANTS.items() if pattern.search(text)}
    head = _head(text)
    wants |= {kind for kind, pattern in _HEAD_WANTS.items() if pattern.search(head)}
    if _DEFINITE_VALUE.search(head):  # "Vad är budgeten för …?" asks for the sum, not what a budget is
        wants.discard("definition")
    if "duration" in wants and _EVENT.search(text):
        wants.add("date")
    if "person" in wants and ROLE_NOUNS.search(text):
        wants = (wants - {"person"}) | {"person_name"}
    if "web" in wants:
        wants.discard("place")
    return frozenset(wants)


def _head(text: str) -> str:
    """The question's first words (`_HEAD_WORDS`), after a leading "och"/"men": its question word, verb and noun."""
    return " ".join(re.findall(r"[\w/-]+", re.sub(r"^(?:och|men|and|but)\s+", "", text, flags=_I))[:_HEAD_WORDS])


def question_kind(text: str) -> str:
    """The shape of the answer a question asks for: contact, overview, list or fact.

    Contact words ask for a contact only at the question's head ("Vem kan jag kontakta …", "Vilken e-postadress
    …"); further on they are its topic: "Vad innebär det att vara kontaktperson till en patient?" asks what the
    role means, "Vad handlar en kontaktledningsmontörs arbete om?" about the work."""
    if _CONTACT.search(_head(text)):
        return CONTACT
    if _OVERVIEW.search(text):
        return OVERVIEW
    if _LIST.search(text):
        return LIST
    return FACT


def _asked_acronym(text: str) -> str:
    match = _ACRONYM_QUESTION.search(text)
    if not match:
        return ""
    return next(v for v in match.groupdict().values() if v)


def _translate(text: str) -> str:
    """English domain words replaced by their Swedish counterparts, names ("Green Deal") and Swedish words kept.
    Other English words are left out: Swedish text never holds "aimed" or "starting point", and looking for them
    only makes every sentence look unlike the question (its meaning still reaches the e5 features)."""
    kept = []
    for w in re.findall(r"[\w'’-]+", text):
        if w[:1].isupper():
            kept.append(w)
        elif (swedish := EN_SV.get(w.casefold())) is not None:
            kept.append(swedish)
        elif not _english_only(w.casefold()):
            kept.append(w)
    return " ".join(kept)


def _english_only(word: str) -> bool:
    """A common English word clearly more common in English than in Swedish ("aimed", "be"; not "budget")."""
    english = english_words().get(word, 0.0)
    return english > 0.0 and english > zipf_sv(word) + ENGLISH_MARGIN


def _topic_words(text: str, language: str) -> list[tuple[tuple[str, ...], float]]:
    """Term groups of the question's topic words, each with its weight; question and filler words left out."""
    # "Hur stor/länge/ofta …", "how large": the frame of the question, not its topic.
    text = re.sub(r"\b(?:hur|how) \w+", " ", text, flags=_I)
    if language == "en":
        text = _translate(text)
    groups: dict[str, tuple[tuple[str, ...], float]] = {}
    for token in tokenize(text):
        if token in STOP_WORDS or token in QUESTION_FILLER or token in _EN_FUNCTION or token in _AUXILIARIES:
            continue
        if token in _INTERJECTIONS or token in _COMMANDS:
            continue
        group = tuple(terms_of(token))
        if group:
            groups.setdefault(group[0], (group, word_weight(token)))
    return list(groups.values())


def word_weight(token: str) -> float:
    """How much a word carries a question's topic: 1 for the commonest Swedish words, up to 7 for rare ones
    and words Swedish dictionaries do not know (names, compounds), from wordfreq's Zipf frequency."""
    zipf = lexicon().zipf(token)
    return 7.0 if not zipf else 1.0 + max(0.0, 6.0 - zipf)


# A name: a run of capitalised words, acronyms and the numbers that go with them ("Konkurrenskraft 2030",
# "Arctic 6G"); lowercase words end it ("Klivet vidare 2.0" gives "Klivet").
_CAPITALISED = r"[A-ZÅÄÖÉ][\w&.]*(?:-[A-ZÅÄÖ][\w&.]*)*(?:['’]s)?"
_NAME = re.compile(rf"{_CAPITALISED}(?:\s+(?:{_CAPITALISED}|\d+(?:\.\d+)?[A-Za-z]?\b))*")
# What follows a name that opens a question set apart from it: "då" or a comma, dash or colon.
_SET_APART = re.compile(r"(?:\s+(?:då|then)\b|\s*[,:]|\s+[–—-]\s)", _I)
# Where a message's earlier sentence ends, so that the next one starts with a capital.
_SENTENCE_END = re.compile(r"[.?!]\s+$")


def subjects_of(text: str) -> list[tuple[str, ...]]:
    """The names, acronyms and years a question is about, each as case-folded tokens.

    Generic names (EU, Sverige, Region) are left out: they are everywhere and decide nothing.
    """
    return [_subject_tokens(phrase) for phrase in subject_phrases(text)]


# What joins two subjects named side by side: "HSO och SAM", "Luleå, Piteå eller Boden".
_JOINED = re.compile(r"\s*(?:,\s*|\s(?:och|and|eller|or|samt)\s|\s?&\s?)\s*", _I)


def _grouped(text: str, phrases: list[str]) -> tuple[tuple[int, ...], ...]:
    """The indices of `phrases` (the question's subjects as written), grouped where `_JOINED` joins them."""
    groups: list[list[int]] = []
    at, end = 0, -1
    for i, phrase in enumerate(phrases):
        start = text.find(phrase, at)
        if start < 0:  # a year found apart from the names, or a phrase rewritten: a group of its own
            groups.append([i])
            continue
        if end >= 0 and _JOINED.fullmatch(text[end:start]):
            groups[-1].append(i)
        else:
            groups.append([i])
        at = end = start + len(phrase)
    return tuple(tuple(g) for g in groups)


def subject_phrases(text: str) -> list[str]:
    """The names, acronyms and years a question is about, as written ("North Sweden Green Deal", "SAM").

    The question's first word is a name only when it is an acronym or stands apart before the question
    proper ("Kramfors då, vem …"): questions start with a capital. A later sentence of a message starts with one
    too, so its first word is no name when it is a request or a function word ("Vad gör en testledare? Ge en kort
    översikt."; "Vad kostar det? North Sweden Green Deal alltså." names the project). Question and function
    words written with a capital ("Och När slutar det?") are no names.
    """
    out: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        if match.start() == 0 and not _leading_name(words[0], text[match.end() :]):
            words = words[1:]
        elif _SENTENCE_END.search(text[: match.start()]) and _opening_word(words[0]):
            words = words[1:]
        words = [re.sub(r"['’]s$", "", w).rstrip("?.,:;") for w in words]
        if len(words) > 2 and YEAR_RE.fullmatch(words[-1]):  # "Region Norrbotten 2022": a name, then a year
            words = words[:-1]
        tokens = _subject_tokens(" ".join(words))
        if tokens and not all(t in GENERIC_NAMES or t in STOP_WORDS or t in _INTERJECTIONS for t in tokens):
            out.append(" ".join(words))
    for year in YEAR_RE.findall(text):
        if not any(year in phrase.split() for phrase in out):
            out.append(year)
    return out


def _leading_name(first: str, rest: str) -> bool:
    """Whether a question's capitalised first word is a name: an acronym, or a name set apart before
    the question ("Kramfors då, vem är tillväxtchef där?", "Green Deal – när slutar det?")."""
    return bool(re.fullmatch(ACRONYM_TOKEN, first.rstrip("?.,")) or _SET_APART.match(rest))


def _opening_word(word: str) -> bool:
    """Whether a capitalised word opening a later sentence of a message is a request or a function word."""
    token = word.rstrip("?.,:;!").casefold()
    return token in _REQUESTS or token in STOP_WORDS or token in _INTERJECTIONS


def _subject_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(phrase) if t not in _EN_FUNCTION)


def subject_stems(subject: tuple[str, ...]) -> tuple[str, ...]:
    """A subject's tokens as stems, so "Norrbottens" meets "Norrbotten" and "Härnösand" meets "Härnösands"."""
    return tuple(stem(t) for t in subject)
