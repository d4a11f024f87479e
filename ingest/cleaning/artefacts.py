"""PDF artefacts besides detached diacritics: ligatures, private-use bullets, spacing accents, hyphenation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Symbol and Wingdings glyphs that PDF extraction leaves in the Private Use Area.
_PRIVATE_GLYPHS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf0a8": "□",
    "\uf06e": "■",
    "\uf0d8": "➢",
    "\uf0e0": "→",
    "\uf0fc": "✓",
    "\uf02d": "–",
    "\uf0b0": "°",
}
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# An unknown private-use glyph standing alone is a bullet; inside a word it is left alone.
_LONE_PRIVATE_USE = re.compile("(?<!\\S)[\ue000-\uf8ff](?!\\S)")
# A base letter followed by a spacing accent (fo¨r, ha˚llbar, ide´): compose it into one letter.
_SPACING_ACCENT = re.compile("([A-Za-z]) ?([\u00a8\u02da\u00b4])")
_COMBINING = {
    "\u00a8": "\u0308",  # diaeresis: ä ö
    "\u02da": "\u030a",  # ring: å
    "\u00b4": "\u0301",  # acute: é
}
_SOFT_HYPHEN = "\u00ad"
# Line ends in a hyphenated word part: "kompetens-" or "kompetens\u00ad" (trailing blanks allowed).
_BROKEN_END = re.compile(r"([^\W_]+)([-\u00ad])[ \t]*$")
_NEXT_WORD = re.compile(r"^([ \t]*)(\S+)[ \t]*")
# Suspended compounds keep their hyphen and their line: "lands- och glesbygd", "kort- eller".
_COORDINATORS = frozenset({"och", "eller", "samt", "som", "respektive", "resp", "liksom", "men"})


def fix_glyphs(text: str) -> str:
    """Expand ligatures, turn private-use bullets into real ones, compose spacing accents."""
    if not _needs_glyph_fix(text):
        return text
    for lig, plain in _LIGATURES.items():
        text = text.replace(lig, plain)
    for glyph, plain in _PRIVATE_GLYPHS.items():
        text = text.replace(glyph, plain)
    text = _LONE_PRIVATE_USE.sub("•", text)
    text = _SPACING_ACCENT.sub(_compose_accent, text)
    # A soft hyphen inside a line is invisible in the source; at a line end it is hyphenation.
    return re.sub(f"{_SOFT_HYPHEN}(?![ \t]*\n)", "", text)


def _needs_glyph_fix(text: str) -> bool:
    return bool(
        any(lig in text for lig in _LIGATURES)
        or _PRIVATE_USE.search(text)
        or _SPACING_ACCENT.search(text)
        or _SOFT_HYPHEN in text
    )


def _compose_accent(match: re.Match) -> str:
    composed = unicodedata.normalize("NFC", match.group(1) + _COMBINING[match.group(2)])
    # Only accept a real precomposed letter (ö, å, é…); otherwise the mark was text.
    return composed if len(composed) == 1 else match.group(0)


def mend_hyphenation(text: str, known: Callable[[str], bool]) -> str:
    """Join words hyphenated across a line break onto the first line, keeping the line count.

    `known(word)` says whether a joined word is Swedish; a real hyphen after an acronym,
    a digit or a single letter ("HRU-projektet", "6G-nät", "e-post") is kept.
    """
    lines = text.split("\n")
    changed = False
    for i in range(len(lines) - 1):
        mended = _mend_pair(lines[i], lines[i + 1], known)
        if mended:
            lines[i], lines[i + 1] = mended
            changed = True
    return "\n".join(lines) if changed else text


def _mend_pair(first: str, second: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """The two lines with the continuation moved up, or None when they should stay as they are."""
    end = _BROKEN_END.search(first)
    nxt = _NEXT_WORD.match(second)
    if not end or not nxt:
        return None
    head, hyphen, token = end.group(1), end.group(2), nxt.group(2)
    tail = re.match(r"[^\W\d_]+", token)
    if not tail or not tail.group()[0].islower() or tail.group() in _COORDINATORS:
        return None
    keeps_hyphen = hyphen == "-" and (head.isupper() or len(head) == 1 or not head.isalpha())
    if keeps_hyphen:
        joined = first[: end.start(2)] + "-" + token
    elif known(head + tail.group()):
        joined = first[: end.start(2)] + token
    else:
        return None
    return joined, second[nxt.end() :]
