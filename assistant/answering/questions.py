"""What a question asks for: its type, its subject (the names it is about) and its topic words.

`read_question` turns a question into a `Question`. The type decides what an answering sentence must
contain (`assistant.answering.evidence`): a budget question wants an amount of money, a period question a year or
a date, a person question a name. The subjects are the names, acronyms and years the question is about
("North Sweden Green Deal", "SAM", "2023"): an answer must be about them, or a sentence about another
project's budget would answer the question. Everything here is worked out from cue words and patterns,
Swedish and English, so it applies to questions and documents never seen before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.acronyms import ACRONYM_TOKEN
from ingest.swedish.analysis import QUESTION_FILLER, content_terms, terms_of, tokenize
from ingest.swedish.lexicon import STOP_WORDS, stem

AMOUNT = "amount"
SHARE = "share"
COUNT = "count"
PERIOD = "period"
OWNER = "owner"
PARTNER = "partner"
PERSON = "person"
ROLE = "role"
CONTACT = "contact"
ACRONYM = "acronym"
YESNO = "yesno"
OTHER = "other"

# Types whose answer is a short fact: the answer text is kept within `FACT_MAX_CHARS`.
FACTUAL = frozenset({AMOUNT, SHARE, COUNT, PERIOD, OWNER, PARTNER, PERSON, ROLE, CONTACT, ACRONYM})

_I = re.IGNORECASE
_ACRONYM_QUESTION = re.compile(
    rf"(?i:vad står) (?P<a>{ACRONYM_TOKEN}) (?i:för)|(?i:vad betyder) (?P<b>{ACRONYM_TOKEN})\b|"
    rf"(?i:what does) (?:the )?(?P<c>{ACRONYM_TOKEN}) (?:stand|mean)|^(?i:vad|vem) är (?P<d>{ACRONYM_TOKEN})\W*$|"
    rf"^(?i:what is) (?:the )?(?P<e>{ACRONYM_TOKEN})\W*$|(?i:förkortning(?:en)?) (?P<f>{ACRONYM_TOKEN})\b"
)

# Cue patterns per type, tried in this order; the first type whose cue comes earliest in the question wins
# (so "Hur mycket … och till hur många projekt?" is an amount question that also wants a count).
_MONEY_NOUNS = (
    r"budget\w*|pengar|kronor|belopp|kostnad\w*|finansier\w*|\w*stöd\w*|\w*investering\w*|anslag\w*|medel|"
    r"bidrag\w*|\w*fond\w*|money|funding|budget|grant\w*|appropriation|cost\w*|investment\w*"
)
# Words saying that some do a thing together: a partner question's cue, and a partner answer's (evidence).
TOGETHER_WORDS = r"samverka\w*|samarbet\w*|medverka\w*|tillsammans med|\bbakom\b|\bingår\b"
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CONTACT, re.compile(r"telefon\w*|e-?post\w*|mejl\w*|\bmail\w*|\badress\w*|phone|e-?mail", _I)),
    (SHARE, re.compile(r"\bandel\w*|procent\w*|hur stor del\b|\bshare\b|percent\w*|proportion", _I)),
    (COUNT, re.compile(r"hur många|\bantal\w*|how many|number of|vilken plats\b|what rank", _I)),
    (AMOUNT, re.compile(
        rf"hur mycket|how much|\bkost(?:ar|ade|at)\b|\bcost|\bbudget\w*|"
        rf"hur (?:stor|stort|stora)\b(?:\s+\S+){{0,3}}?\s+\S*?(?:{_MONEY_NOUNS})",
        _I,
    )),
    (PERIOD, re.compile(
        r"\bnär\b(?! det gäller)|\bperiod\w*|\bpågå\w*|\bstart(?!ing point)\w*|\bslut\w*|\bavslut\w*|\bbörja\w*|"
        r"vilke?[nt]? år\b|"
        r"vilka år|\bdatum\w*|hur länge|\bwhen\b|which years?|what years?|\bdate\b|\buntil\b|how long",
        _I,
    )),
    (OWNER, re.compile(
        r"\bäg(?:er|s|de|t)\b|\bägare\b|projektägare|\bdriv(?:er|s|it)\b|\bhuvudman\w*|\bansvar(?:ar|ig)\w*|"
        r"\bleds\b|\bowns?\b|\bowned\b|\bowner|\bruns\b|who runs|\bin charge\b|responsible",
        _I,
    )),
    (ROLE, re.compile(
        r"vilken (?:roll|titel|befattning|tjänst)|vad arbetar|\bwhat is .{1,40}?['’]s (?:job|role|title)|"
        r"what (?:role|position|job)",
        _I,
    )),
    (PARTNER, re.compile(
        rf"\bparter\w*|\bpartner\w*|{TOGETHER_WORDS}|\bdelta(?:r|git|ger|ga|gande|ande)\b|cooperat\w*|"
        r"collaborat\w*|take part|work with|\binvolved\b",
        _I,
    )),
    (PERSON, re.compile(r"^(?:vem|vilka personer|who(?:m)?)\b|\bvem\b|\bwho\b|vad heter (?:den|hon|han)|kontakta", _I)),
)
# Which end of a period a question asks for ("När startade …", "When does … end?", "När tar … slut?").
_START_CUE = re.compile(r"\b(?:start\w*|börja\w*|inled\w*|påbörja\w*|beg[iau]n\w*|since)", _I)
_END_CUE = re.compile(r"\b(?:slut\w*|avslut\w*|end(?:s|ed|ing)?\b|finish\w*|until)", _I)
# "Hur stor sysselsättningsökning …" asks for a quantity when no other cue says what kind.
_SIZE = re.compile(r"hur (?:stor|stort|stora)\b|how (?:large|big)", _I)
_YESNO = re.compile(
    r"^(?:har|hade|är|var|finns|fanns|kan|ska|skulle|får|gäller|ingår|blir|does|do|did|is|are|was|were|has|have|"
    r"can|will|should)\b",
    _I,
)
# "Vem är tillväxtchef i …": the words between "vem är" and the preposition name the role sought.
_WANTED_ROLE = re.compile(
    r"^(?:vem|vilka) (?:är|var|blir|blev) (?:den |det |de )?"
    r"(?P<role>.+?)(?:\s(?:i|för|på|vid|hos|inom|av|till)\s|\?|$)|"
    r"^who (?:is|was|are) (?:the )?(?P<en>.+?)(?:\s(?:in|of|for|at)\s|\?|$)",
    _I,
)
_FOCUS = re.compile(r"\b(?:vilke[nt]|vilka|which|what)\s+(?P<noun>[^\W\d_]+(?:\s+[^\W\d_]+)?)", _I)
_COUNTED = re.compile(r"(?:hur många|antal(?:et)?|how many|number of)\s+(?P<noun>[^\W\d_]+(?:\s+[^\W\d_]+)?)", _I)

# English question words and names that carry no subject: never a gate for an answer.
_EN_FUNCTION = frozenset(
    """what who whom whose which when where why how is are was were does do did the a an of and for to in on at
    with from by about many much there can could should will would has have had not or it its this that""".split()
)
# Modal and auxiliary verbs of questions ("Vad ska …", "Vad kan …"): no topic, yet not Snowball stop words.
_AUXILIARIES = frozenset(
    "ska skall kan kunna kunde får fått fick måste bör borde vill ville behöver står stod gör görs gjorde "
    "sker kommer".split()
)
# Light verbs whose particle or noun carries the meaning ("När tar SAM slut?", "ta fram"): no topic.
_LIGHT_VERBS = frozenset("ta tar tog tagit tagits tas togs".split())
# Words that open a reply or a turn rather than name something ("Tack, och när slutar det?",
# "Förresten, vem äger SAM?"): interjections and discourse adverbs.
_INTERJECTIONS = frozenset(
    "hej hejsan hallå tack okej ok okay ja nej jaha jo precis bra förresten alltså dessutom också även sen "
    "annars apropå slutligen hi hello thanks yes no anyway also besides well".split()
)
# Names so widespread in regional-development texts that requiring them would only reject good answers.
GENERIC_NAMES = frozenset("eu eus sverige sveriges sweden swedish europa europe european region regionen the".split())

# Common English words of regional development → Swedish, so an English question's topic still meets the
# Swedish sentences (the quotes stay Swedish). Names are never translated.
EN_SV = {
    "budget": "budget", "budgets": "budget", "fund": "fond", "funds": "fond", "funding": "finansiering",
    "finance": "finansiering", "finances": "finansierar", "financed": "finansierad", "co-finances": "medfinansiering",
    "co-financed": "medfinansierad", "cost": "kostnad", "costs": "kostnad", "money": "pengar", "grant": "stöd",
    "grants": "stöd", "support": "stöd", "appropriation": "anslag", "allocation": "anslag", "project": "projekt",
    "projects": "projekt", "subproject": "delprojekt", "owner": "ägare", "owns": "äger", "own": "äger",
    "partner": "part", "partners": "parter", "cooperate": "samarbete", "cooperation": "samarbete",
    "collaborate": "samverkan", "collaboration": "samverkan", "municipality": "kommun", "municipalities": "kommuner",
    "county": "län", "region": "region", "regions": "regioner", "company": "företag", "companies": "företag",
    "business": "företag", "businesses": "företag", "organisation": "organisation", "organisations": "organisationer",
    "organization": "organisation", "organizations": "organisationer", "university": "universitet",
    "training": "utbildning", "education": "utbildning", "efforts": "insatser", "effort": "insats",
    "international": "internationellt", "period": "period", "year": "år", "years": "år", "start": "startar",
    "starts": "startar", "started": "startade", "begin": "börjar", "begins": "börjar", "began": "började",
    "end": "slutar", "ends": "slutar", "ended": "slutade", "finish": "slutar", "finishes": "slutar",
    "finished": "slutade", "run": "pågår", "last": "pågår", "lasts": "pågår",
    "contact": "kontakta", "manager": "chef",
    "director": "direktör", "strategy": "strategi", "labour": "arbetsmarknad", "labor": "arbetsmarknad",
    "market": "marknad", "pilot": "pilot", "inhabitants": "invånare", "residents": "invånare",
    "population": "befolkning", "employees": "anställda", "applications": "ansökningar", "investment": "investering",
    "investments": "investeringar", "export": "export", "network": "nätverk", "railway": "järnväg",
    "food": "livsmedel", "transport": "transport", "infrastructure": "infrastruktur", "energy": "energi",
    "climate": "klimat", "environment": "miljö", "innovation": "innovation", "research": "forskning",
    "skills": "kompetens", "competence": "kompetens", "housing": "bostäder", "tourism": "turism",
    "goal": "mål", "goals": "mål", "activities": "aktiviteter", "sustainable": "hållbar",
    "sustainability": "hållbarhet", "development": "utveckling", "regional": "regional", "green": "grön",
    "transition": "omställning", "tool": "verktyg", "plan": "plan", "work": "arbete", "women": "kvinna",
    "men": "man", "share": "andel", "jobs": "arbetstillfällen", "decision": "beslut", "report": "rapport",
}


@dataclass(frozen=True)
class Question:
    """A question read for answering: type, what it is about, and what a sentence answering it needs."""

    text: str
    language: str
    type: str
    # The topic words as index terms, one group per word: its stem, then its compound parts' stems
    # ("finansieringsstrategin" → finansieringsstrategi, finansiering, strategi). English words translated.
    words: tuple[tuple[str, ...], ...]
    # Names, acronyms and years the answer must be about, each as case-folded tokens.
    subjects: tuple[tuple[str, ...], ...]
    # Further types a multi-part question asks for ("how much … and to how many projects").
    also: tuple[str, ...] = ()
    acronym: str = ""  # the acronym asked about, for ACRONYM questions
    wants_name: bool = False  # a PERSON question asking for someone's name ("Vem är tillväxtchef i …")
    role_terms: tuple[tuple[str, ...], ...] = ()  # the role a name is wanted for, one term group per word
    counted: tuple[str, ...] = ()  # index terms of what a COUNT question counts ("kommuner")
    # Terms of the words that gave the type away ("budget", "äger", "procent"): the answer's kind, which
    # `answer_evidence` checks, more than its topic.
    cue_terms: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()  # index terms of the noun asked for in "Vilket universitet …", "Which fund …"
    # Index terms of what an amount, count or share question measures ("budget", "anställda", "andel").
    measured: tuple[str, ...] = ()
    # The end of a period a question asks for: "start" ("När startar …"), "end" ("När slutar …"), or ""
    # for the whole period ("Mellan vilka år pågår …", "När …").
    period_end: str = ""

    @property
    def factual(self) -> bool:
        return self.type in FACTUAL

    @property
    def contentless(self) -> bool:
        """Whether it names nothing and asks about nothing ("?", "Vem är", "När slutar det?" on its own):
        no subject, and no topic word with a letter beyond its cue words ("{{7*7}}" names no topic)."""
        cues = set(self.cue_terms)
        return not self.subjects and not any(g[0] not in cues and _has_letter(g[0]) for g in self.words)


def _has_letter(term: str) -> bool:
    return any(ch.isalpha() for ch in term)


def read_question(text: str, language: str = "sv") -> Question:
    """Type, subjects and topic terms of a question (see the module docstring)."""
    text = " ".join(text.split())
    acronym = _asked_acronym(text)
    types = [ACRONYM] if acronym else question_types(text)
    qtype = types[0] if types else OTHER
    role = _wanted_role(text) if qtype == PERSON else ()
    counted = _counted(text) if COUNT in types else ()
    return Question(
        text=text, language=language, type=qtype, words=_topic_words(text, language),
        subjects=tuple(subjects_of(text)), also=tuple(t for t in types[1:] if t != qtype), acronym=acronym,
        wants_name=bool(role) or bool(re.search(r"vad heter|kontakta|\bcontact\b", text, _I)),
        role_terms=role, counted=counted, cue_terms=tuple(_cue_terms(text, types, language)),
        focus=_focus(text), measured=_measured(text, qtype, counted, language),
        period_end=_period_end(text) if qtype == PERIOD else "",
    )


def question_types(text: str) -> list[str]:
    """The types a question asks for, in the order their cues appear; [YESNO] or [OTHER] when none does."""
    found: dict[str, int] = {}
    for qtype, pattern in _CUES:
        match = pattern.search(text)
        if match and qtype not in found:
            found[qtype] = match.start()
    if PERSON in found and len(found) > 1 and not _wanted_role(text):
        # "Vem äger …", "Vem ansvarar för …": the verb's type is what the question is about.
        del found[PERSON]
    if ROLE in found and PERSON in found:
        del found[PERSON]
    if SHARE in found:  # "hur många procent", "hur stor andel av anslaget": a share
        found.pop(COUNT, None)
        found.pop(AMOUNT, None)
    size = _SIZE.search(text)
    if not found and size:
        found[COUNT] = size.start()
    if found:
        return sorted(found, key=lambda t: (found[t], _priority(t)))
    return [YESNO] if _YESNO.match(text) else [OTHER]


def _cue_terms(text: str, types: list[str], language: str) -> list[str]:
    """Index terms of the cue words that matched for the question's types.

    An English question is matched as its topic words are read, translated too: "When does SAM end?"
    holds the cue "end" as "slutar", which must count as a cue (half met by a date) like the Swedish one.
    """
    texts = [text, _translate(text)] if language == "en" else [text]
    patterns = [pattern for qtype, pattern in _CUES if qtype in types]
    words = [_cue_word(m.group()) for t in texts for pattern in patterns for m in pattern.finditer(t)]
    return list(dict.fromkeys(content_terms(_translate(" ".join(words))))) if words else []


def _cue_word(match: str) -> str:
    """The cue in a matched span: "Hur stor är Region Norrbottens budget" is cued by "budget" alone."""
    return match.split()[-1] if _SIZE.match(match) else match


def _measured(text: str, qtype: str, counted: tuple[str, ...], language: str) -> tuple[str, ...]:
    """What a measuring question measures: the thing counted, or the cue word of an amount or a share."""
    if qtype == COUNT:
        return counted
    return tuple(_cue_terms(text, [qtype], language)) if qtype in (AMOUNT, SHARE) else ()


def _period_end(text: str) -> str:
    """"start" or "end" when a period question asks for one end only, else ""."""
    start, end = bool(_START_CUE.search(text)), bool(_END_CUE.search(text))
    return "" if start == end else "start" if start else "end"


def _priority(qtype: str) -> int:
    return [t for t, _ in _CUES].index(qtype)


def _asked_acronym(text: str) -> str:
    match = _ACRONYM_QUESTION.search(text)
    if not match:
        return ""
    return next(v for v in match.groupdict().values() if v)


def _wanted_role(text: str) -> tuple[tuple[str, ...], ...]:
    """The role in "Vem är <role> i …?" as term groups, one per word (stem, then compound parts);
    () when the words are a name or an owner word rather than a role."""
    match = _WANTED_ROLE.match(text)
    if not match:
        return ()
    words = match.group("role") or match.group("en") or ""
    if not words or any(w[:1].isupper() for w in words.split()) or re.search(r"\bansvar|ägare", words, _I):
        return ()
    tokens = [t for t in tokenize(_translate(words)) if t not in STOP_WORDS and t not in _EN_FUNCTION]
    return tuple(tuple(terms_of(t)) for t in tokens)


def role_named(question: Question, terms: frozenset[str]) -> bool:
    """Whether a text's index terms name every word of the wanted role ("regional utvecklingsdirektör")."""
    return all(group[0] in terms for group in question.role_terms)


def _counted(text: str) -> tuple[str, ...]:
    match = _COUNTED.search(text)
    return _noun_terms(match.group("noun")) if match else ()


def _focus(text: str) -> tuple[str, ...]:
    """Index terms of the noun a "vilken/vilket/vilka X" question asks for ("Vilket universitet …")."""
    match = _FOCUS.search(text)
    if not match or match.group("noun").split()[0].casefold() in STOP_WORDS | _AUXILIARIES | _EN_FUNCTION:
        return ()  # "Vilka står bakom …", "Vilka är …": a verb follows, not the noun asked for
    return _noun_terms(match.group("noun"))


def _noun_terms(words: str) -> tuple[str, ...]:
    """Terms of a noun phrase's first word, and of the second when the first looks like a plural
    adjective (nya företag, beviljade projekt, tekniska lösningar) rather than the noun itself."""
    first, *rest = _translate(words).split()
    adjective = rest and re.search(r"[ae]$", first) and rest[0].casefold() not in STOP_WORDS
    phrase = f"{first} {rest[0]}" if adjective else first
    return tuple(content_terms(phrase))


def _translate(text: str) -> str:
    """English domain words replaced by their Swedish counterparts; names ("Green Deal") and other words
    kept: an English word no Swedish sentence holds lowers every sentence's overlap, so an English question
    whose topic the glossary cannot carry over is rather not answered than answered at random."""
    return " ".join(w if w[:1].isupper() else EN_SV.get(w.casefold(), w) for w in re.findall(r"[\w'’-]+", text))


def _topic_words(text: str, language: str) -> tuple[tuple[str, ...], ...]:
    """Term groups of the question's topic words (question words, auxiliaries and fillers left out)."""
    if language == "en":
        text = _translate(text)
    # "Hur stor/länge/ofta …", "how large": the frame of the question, not its topic.
    text = re.sub(r"\b(?:hur|how) \w+", " ", text, flags=_I)
    groups: dict[str, tuple[str, ...]] = {}
    for token in tokenize(text):
        if token in STOP_WORDS or token in QUESTION_FILLER or token in _EN_FUNCTION or token in _AUXILIARIES:
            continue
        if token in _LIGHT_VERBS or token in _INTERJECTIONS:
            continue
        group = tuple(terms_of(token))
        groups.setdefault(group[0], group)
    return tuple(groups.values())


# A name: a run of capitalised words, acronyms and the numbers that go with them ("Konkurrenskraft 2030",
# "Arctic 6G"); lowercase words end it ("Klivet vidare 2.0" gives "Klivet").
_CAPITALISED = r"[A-ZÅÄÖÉ][\w&.]*(?:-[A-ZÅÄÖ][\w&.]*)*(?:['’]s)?"
_NAME = re.compile(rf"{_CAPITALISED}(?:\s+(?:{_CAPITALISED}|\d+(?:\.\d+)?[A-Za-z]?\b))*")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# What follows a name that opens a question set apart from it: "då" or a comma, dash or colon.
_SET_APART = re.compile(r"(?:\s+(?:då|then)\b|\s*[,:]|\s+[–—-]\s)", _I)


def subjects_of(text: str) -> list[tuple[str, ...]]:
    """The names, acronyms and years a question is about, each as case-folded tokens.

    Generic names (EU, Sverige, Region) are left out: they are everywhere and decide nothing.
    """
    return [_subject_tokens(phrase) for phrase in subject_phrases(text)]


def subject_phrases(text: str) -> list[str]:
    """The names, acronyms and years a question is about, as written ("North Sweden Green Deal", "SAM").

    The question's first word is a name only when it is an acronym or stands apart before the question
    proper ("Kramfors då, vem …"): questions start with a capital. Question and function words written
    with a capital ("Och När slutar det?") are no names.
    """
    out: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        if match.start() == 0 and not _leading_name(words[0], text[match.end() :]):
            words = words[1:]
        words = [re.sub(r"['’]s$", "", w).rstrip("?.,:;") for w in words]
        if len(words) > 2 and _YEAR.fullmatch(words[-1]):  # "Region Norrbotten 2022": a name, then a year
            words = words[:-1]
        tokens = _subject_tokens(" ".join(words))
        if tokens and not all(t in GENERIC_NAMES or t in STOP_WORDS or t in _INTERJECTIONS for t in tokens):
            out.append(" ".join(words))
    for year in _YEAR.findall(text):
        if not any(year in phrase.split() for phrase in out):
            out.append(year)
    return out


def _leading_name(first: str, rest: str) -> bool:
    """Whether a question's capitalised first word is a name: an acronym, or a name set apart before
    the question ("Kramfors då, vem är tillväxtchef där?", "Green Deal – när slutar det?")."""
    return bool(re.fullmatch(ACRONYM_TOKEN, first.rstrip("?.,")) or _SET_APART.match(rest))


def _subject_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(phrase) if t not in _EN_FUNCTION)


def subject_stems(subject: tuple[str, ...]) -> tuple[str, ...]:
    """A subject's tokens as stems, so "Norrbottens" meets "Norrbotten" and "Härnösand" meets "Härnösands"."""
    return tuple(stem(t) for t in subject)
