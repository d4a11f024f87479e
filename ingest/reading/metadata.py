"""Document metadata: from a folder's `manifest.toml`, or inferred from the text (and marked as inferred).

A manifest lists documents by file name (relative to the manifest's folder)::

    [documents."north-sweden-green-deal.txt"]
    title = "The North Sweden Green Deal"
    organisation = "Region Norrbotten och Region Västerbotten"
    region = ["Norrbotten", "Västerbotten"]   # county name(s); a list when several
    type = "projektbeskrivning"
    year = 2022
    date = "2022"            # optional, ISO date or year
    source = "https://…"     # where the document comes from
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.swedish.patterns import YEAR_RE
from ingest.types import DocumentMeta
from regionkunskap.errors import ConfigError

MANIFEST_NAME = "manifest.toml"
_FIELDS = {"title", "organisation", "region", "type", "year", "date", "source"}

# The 21 Swedish counties, as the text usually names them (region or county).
_COUNTIES = (
    "Blekinge",
    "Dalarna",
    "Gotland",
    "Gävleborg",
    "Halland",
    "Jämtland",
    "Jönköping",
    "Kalmar",
    "Kronoberg",
    "Norrbotten",
    "Skåne",
    "Stockholm",
    "Södermanland",
    "Uppsala",
    "Värmland",
    "Västerbotten",
    "Västernorrland",
    "Västmanland",
    "Västra Götaland",
    "Örebro",
    "Östergötland",
)
_COUNTY_RE = re.compile(r"\b(" + "|".join(_COUNTIES) + r")")
_ORG_RE = re.compile(r"\b((?:Region|Länsstyrelsen i|Länsstyrelsen) [A-ZÅÄÖ][\wåäö]+|[A-ZÅÄÖ][\wåäö]+ kommun)\b")
# A document's own year: later than a historical reference, earlier than a far-off target year.
_DOCUMENT_YEARS = range(1980, 2050)
_DATE_RE = re.compile(r"\b(20[0-4]\d-[01]\d-[0-3]\d)\b")

# Document types recognised from words in the title or first lines, most specific first.
_TYPE_WORDS = (
    ("återrapportering", "återrapportering"),
    ("årsredovisning", "årsredovisning"),
    ("verksamhetsplan", "verksamhetsplan"),
    ("strategi", "strategi"),
    ("rapport", "rapport"),
    ("projekt", "projektbeskrivning"),
)


class Manifest:
    """The entries of one `manifest.toml` (an empty manifest when the folder has none)."""

    def __init__(self, folder: Path, entries: dict[str, dict]):
        self.folder = folder
        # Keys are compared NFC-normalised: macOS writes file names decomposed.
        self.entries = {unicodedata.normalize("NFC", k): v for k, v in entries.items()}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.is_file():
            return cls(folder, {})
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from exc
        entries = data.get("documents", {})
        if not isinstance(entries, dict):
            raise ConfigError(f'{path}: write entries as [documents."file-name.pdf"] tables (see corpus/manifest.toml)')
        for name, entry in entries.items():
            _check_entry(path, name, entry)
        return cls(folder, entries)

    def entry_for(self, path: Path) -> dict | None:
        """The manifest's entry for `path` (keyed by its path relative to the manifest's folder), or None."""
        try:
            key = Path(os.path.abspath(path)).relative_to(os.path.abspath(self.folder)).as_posix()
        except ValueError:
            return None
        return self.entries.get(unicodedata.normalize("NFC", key))


def _check_entry(path: Path, name: str, entry: object) -> None:
    """Raise ConfigError naming the manifest, the entry and the fix for a malformed entry."""
    where = f"{path}: document {name!r}"
    if not isinstance(entry, dict):
        raise ConfigError(f'{where} must be a table: [documents."{name}"] with title = "…" etc.')
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(f"{where} has unknown keys {sorted(unknown)}; allowed: {sorted(_FIELDS)}")
    for key, value in entry.items():
        if key == "year" and not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
            raise ConfigError(f"{where}: year must be a number like 2022 (got {value!r})")
        if key == "region" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            continue
        if key != "year" and not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be text in quotes (got {value!r})")


def document_meta(path: Path, doc_id: str, text: str, title: str | None, entry: dict | None) -> DocumentMeta:
    """Metadata from the manifest entry where it says something, inferred from the text for the rest."""
    meta = infer_meta(path, doc_id, text, title)
    if not entry:
        return meta
    given: dict[str, Any] = {}
    if "title" in entry:
        given["title"] = entry["title"]
    if "type" in entry:
        given["doc_type"] = entry["type"]
    for key in ("organisation", "source"):
        if key in entry:
            given[key] = entry[key]
    if "region" in entry:
        given["region"] = _join(entry["region"])
    if "year" in entry or "date" in entry:
        year = int(entry["year"]) if "year" in entry else _year_of(str(entry["date"]))
        given.update(year=year, date=str(entry.get("date", year or "")))
    inferred = tuple(f for f in meta.inferred if f not in given)
    return replace(meta, inferred=inferred, **given)


def infer_meta(path: Path, doc_id: str, text: str, title: str | None) -> DocumentMeta:
    """Metadata guessed from the text; every guessed field is listed in `inferred`."""
    head = text[:4000]
    date_match = _DATE_RE.search(head)
    date = date_match.group(1) if date_match else ""
    title = (title or "").strip() or path.stem.replace("_", " ").replace("-", " ")
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        doc_type=_guess_type(title, head, path),
        organisation=_most_common(_ORG_RE.findall(text)),
        region=_guess_region(text),
        date=date,
        year=_year_of(date) or _guess_year(head),
        source=path.name,
        path=str(path),
        inferred=("title", "doc_type", "organisation", "region", "date", "year"),
    )


def regions_of(meta: DocumentMeta) -> list[str]:
    """The county names a document belongs to (the manifest may give several)."""
    return [r.strip() for r in meta.region.split(",") if r.strip()]


def _join(value: str | list[str]) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _guess_type(title: str, head: str, path: Path) -> str:
    lowered = f"{title}\n{head[:600]}".lower()
    for word, doc_type in _TYPE_WORDS:
        if word in lowered:
            return doc_type
    return "webbsida" if path.suffix.lower() in (".html", ".htm") else "dokument"


def _guess_region(text: str) -> str:
    return _most_common(_COUNTY_RE.findall(text))


def _guess_year(head: str) -> int | None:
    years = _years_in(head)
    return Counter(years).most_common(1)[0][0] if years else None


def _year_of(date: str) -> int | None:
    years = _years_in(date or "")
    return years[0] if years else None


def _years_in(text: str) -> list[int]:
    return [year for year in map(int, YEAR_RE.findall(text)) if year in _DOCUMENT_YEARS]


def _most_common(items: list[str]) -> str:
    return Counter(items).most_common(1)[0][0] if items else ""
