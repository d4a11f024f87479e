"""Resource limits for reading one file, and the checks that enforce them before a parser can run away.

A hostile or broken file must cost bounded time and memory: a .docx that unpacks to gigabytes, a PDF stream
that inflates a thousandfold, a 30 MB text on one line. Each limit is a setting (`REGIONKUNSKAP_<NAME>`) and
each refusal is a `LoadError` whose reason names the limit, the value found and the setting that raises it.
The deadline and memory cap for a whole file are enforced by the reader process (`reading.sandbox`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from regionkunskap.errors import LoadError

MB = 1_000_000
# Zip-based formats (.docx) need a few dozen parts; a huge part count is an attack on the central directory.
MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may cost to read; the defaults suit reports of a few thousand pages."""

    max_file_mb: float = 50
    max_unpacked_mb: float = 100  # a .docx's parts, unpacked
    max_elements: int = 100_000  # paragraphs and table cells in a .docx; pages in a PDF
    max_pdf_stream_mb: float = 75  # one PDF stream, inflated
    max_text_chars: int = 5_000_000  # the text of one file (≈ 1,500 pages)
    max_line_chars: int = 100_000  # one line of that text
    read_timeout_s: float = 120  # reading, cleaning, repairing and chunking one file
    read_memory_mb: int = 1536  # the reader process's extra memory for one file

    @classmethod
    def from_settings(cls, settings) -> ReadLimits:
        """The limits set in a `Settings` object (fields of the same names)."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


def _refuse(path: Path, what: str, limit: str, setting: str, fix: str = "") -> LoadError:
    return LoadError(
        path,
        f"{what} — over the limit of {limit} (REGIONKUNSKAP_{setting.upper()})",
        fix or f"split the file, or raise REGIONKUNSKAP_{setting.upper()} if it is genuine",
    )


def check_file_size(path: Path, limits: ReadLimits) -> None:
    """Refuse missing, empty and oversized files before any parser sees them."""
    if not path.is_file():
        raise LoadError(path, "no such file", "check the path")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(path, "empty file (0 bytes)", "check that the file was saved or downloaded completely")
    if size > limits.max_file_mb * MB:
        raise _refuse(path, f"file is too large ({size / MB:.1f} MB)", f"{limits.max_file_mb:g} MB", "max_file_mb")


def check_text(path: Path, text: str, limits: ReadLimits) -> None:
    """Refuse text longer than the per-file limit, or with a line longer than the per-line limit."""
    if len(text) > limits.max_text_chars:
        raise _refuse(path, f"the text has {len(text):,} characters", f"{limits.max_text_chars:,}", "max_text_chars")
    longest = max(map(len, text.split("\n")), default=0) if len(text) > limits.max_line_chars else 0
    if longest > limits.max_line_chars:
        raise _refuse(
            path,
            f"a line has {longest:,} characters",
            f"{limits.max_line_chars:,}",
            "max_line_chars",
            "break the text into lines and paragraphs, or raise REGIONKUNSKAP_MAX_LINE_CHARS",
        )


def check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip container (.docx) with too many parts or parts that unpack beyond the limit.

    The entry count comes from the end-of-central-directory record, before `zipfile` builds one object per
    entry; unpacked sizes are the declared ones, which `zipfile` also enforces while inflating.
    """
    import zipfile

    entries = _zip_entry_count(path)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise LoadError(
            path,
            f"the archive holds {entries:,} parts (at most {MAX_ZIP_ENTRIES:,})",
            "a Word document has a few dozen; save it again from Word or LibreOffice",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(
            path,
            f"not a readable Word document ({type(exc).__name__}: {exc})",
            "open it in Word or LibreOffice and save it again as .docx",
        ) from exc
    if unpacked > limits.max_unpacked_mb * MB:
        raise _refuse(
            path,
            f"its parts unpack to {unpacked / MB:,.0f} MB (a zip bomb, or huge embedded media)",
            f"{limits.max_unpacked_mb:g} MB",
            "max_unpacked_mb",
        )


def _zip_entry_count(path: Path) -> int | None:
    """Total entries declared in the end-of-central-directory record (None when it cannot be found)."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65_557))  # the record (22 bytes) plus a comment of at most 65,535
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    (total,) = struct.unpack_from("<H", tail, at + 10)
    return None if total == 0xFFFF else total  # 0xFFFF: a zip64 archive keeps the count elsewhere


def count_docx_elements(path: Path, limits: ReadLimits) -> int:
    """Paragraphs and table cells in word/document.xml, counted by a streaming parse that stops at the limit."""
    import zipfile

    from lxml import etree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tags = (namespace + "p", namespace + "tc")
    count = 0
    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as xml:
        for _, element in etree.iterparse(xml, events=("end",), tag=tags, huge_tree=False):
            count += 1
            if count > limits.max_elements:
                raise _refuse(
                    path,
                    f"the document has more than {limits.max_elements:,} paragraphs and table cells",
                    f"{limits.max_elements:,}",
                    "max_elements",
                )
            element.clear(keep_tail=True)
    return count
