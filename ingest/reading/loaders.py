"""Read a file into pages of plain text: .txt, .md, .pdf, .docx, .html/.htm.

Every loader returns text in one convention so that cleaning and chunking need not know the source format:

- paragraphs are separated by a blank line;
- headings whose level the format knows (Word heading styles, HTML `<h1>`…, markdown) are markdown lines
  (`# Rubrik`, `## Underrubrik`);
- list items are `• ` lines, table rows are cells joined by ` | `, one row a line.

PDF text is extracted by pypdf in layout mode, which keeps the vertical gaps between paragraphs as blank
lines. Plain text splits into pages at form feeds or at `N(M)` page-marker lines (`3(45)`), which are removed.

Plain-text encodings: UTF-8 (a BOM is stripped) and UTF-16 with a BOM are read as such. Anything else is
decoded as Windows-1252 (a superset of Latin-1, what Swedish Windows tools write) *if* the result looks
like text, with a logged warning; otherwise `LoadError` says how to convert the file.

Failures raise `LoadError(path, reason, fix)`; no parser exception escapes raw. Every loader works within
`ReadLimits` (file size, unpacked size, element count, PDF stream inflation, text per file and per line; see
`reading.limits`), so a hostile file is refused with the limit named instead of eating memory.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

from ingest.reading.limits import ReadLimits, check_file_size, check_text, check_zip, count_docx_elements
from ingest.swedish.patterns import PAGE_MARKER
from ingest.types import Page
from regionkunskap.errors import LoadError, printable

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
DEFAULT_LIMITS = ReadLimits()

# A scanned PDF often carries a few characters (page numbers, a stamp); below this per page it has no text layer.
_MIN_PDF_CHARS_PER_PAGE = 20
# Titles that tools write for the user, not the author's title.
_PDF_JUNK_TITLES = re.compile(
    r"^(untitled|namnlös|microsoft (word|powerpoint)\b|dokument\d*$)|\.(docx?|pdf|pptx?)$", re.I
)


@dataclass(frozen=True)
class LoadedFile:
    """A loaded file: its pages, and the title its format declares ("" when it declares none)."""

    pages: list[Page]
    title: str = ""
    format: str = ""


def load(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> list[Page]:
    """The pages of a supported file (see `load_file`)."""
    return load_file(path, limits=limits).pages


def load_file(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> LoadedFile:
    """Read `path` into pages, dispatching on its extension.

    `title` is the title stored in the file (HTML `<title>`, PDF or Word document properties); when it is
    empty, fall back to `guess_title` on the cleaned pages.

    Raises `LoadError` for a missing, empty, too large, unsupported, encrypted, corrupt or text-less file, and
    for one over any of `limits`.
    """
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            path,
            f"unsupported file type {path.suffix or '(no extension)'!r}",
            f"supported formats are {', '.join(SUPPORTED_EXTENSIONS)}; convert the file to one of them",
        )
    check_file_size(path, limits)
    loaded = loader(path, limits)
    check_text(path, "\n".join(page.text for page in loaded.pages), limits)
    if not any(page.text.strip() for page in loaded.pages):
        raise LoadError(path, "empty file: no text found", "check that the file has content, then add it again")
    return loaded


# --- plain text and markdown -------------------------------------------------------------------------------


def _load_txt(path: Path, limits: ReadLimits) -> LoadedFile:
    text = read_text(path)
    check_text(path, text, limits)  # before splitting: a 30 MB line must not reach the regexes
    return LoadedFile(split_text_pages(text), format="txt")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.S)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(?P<title>.+?)[\"']?\s*$", re.M)


def _load_md(path: Path, limits: ReadLimits) -> LoadedFile:
    """Markdown; YAML front matter (static-site exports) is metadata, not text: only its title is kept."""
    text = read_text(path)
    check_text(path, text, limits)
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_TITLE.search(front["body"])
        title = found["title"] if found else ""
        # Keep the line count: blank lines where the front matter was.
        text = "\n" * front.group(0).count("\n") + text[front.end() :]
    return LoadedFile([Page(None, normalize_markdown(text))], title=title, format="md")


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252 if that looks like text."""
    data = path.read_bytes()
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if b"\x00" in data[:4096] and len(data) % 2 == 0:
            # UTF-16 without a BOM: ASCII letters alternate with NUL bytes, which UTF-8 would accept.
            text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
            if _looks_like_text(text):
                return text
        text = data.decode("utf-8-sig")
        if "\x00" not in text:
            return text
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or not _looks_like_text(text):
        raise LoadError(
            path,
            "not UTF-8 text (nor Windows-1252; perhaps not a text file at all)",
            "convert it to UTF-8, e.g. `iconv -f <its encoding> -t utf-8 file > file.utf8.txt`",
        )
    log.warning(
        "%s: not UTF-8; read as Windows-1252 (cp1252). Convert it with `iconv -f cp1252 -t utf-8`.", printable(path)
    )
    return text


def _looks_like_text(text: str) -> bool:
    """True if almost all non-ASCII characters are letters or common punctuation (not mojibake or binary)."""
    if "\x00" in text:
        return False
    odd = [ch for ch in text if ord(ch) > 127]
    if not odd:
        return True
    plausible = sum(ch.isalpha() or ch in "–—‘’“”•…€§°½¼¾×" for ch in odd)
    return plausible / len(odd) >= 0.9


def split_text_pages(text: str) -> list[Page]:
    """Split plain text into pages at form feeds or at `N(M)` page-marker lines; else one unnumbered page."""
    if "\f" in text:
        parts = text.split("\f")
        if parts and not parts[-1].strip():
            parts.pop()
        return [Page(i, part) for i, part in enumerate(parts, start=1)]
    markers = _page_markers(text)
    if len(markers) < 2:
        return [Page(None, text)]
    return _pages_from_markers(text, markers)


def _page_markers(text: str) -> list[re.Match]:
    """Marker lines sharing the most common total M, with N rising and never above M."""
    found = [m for m in PAGE_MARKER.finditer(text) if 0 < int(m["page"]) <= int(m["pages"])]
    if not found:
        return []
    totals = [m["pages"] for m in found]
    total = max(set(totals), key=totals.count)
    markers: list[re.Match] = []
    for m in found:
        if m["pages"] == total and (not markers or int(m["page"]) > int(markers[-1]["page"])):
            markers.append(m)
    return markers


def _pages_from_markers(text: str, markers: list[re.Match]) -> list[Page]:
    """Pages between markers: a marker heads its page, unless much text before the first says it is a footer."""
    numbers = [int(m["page"]) for m in markers]
    lead = text[: markers[0].start()]
    if len(lead.strip()) > len(text) / len(markers) / 4:
        # Footer markers close their page; what follows the last one is the next page.
        bounds = [0] + [m.end() for m in markers]
        ends = [m.start() for m in markers] + [len(text)]
        numbers.append(numbers[-1] + 1)
        return [Page(n, text[b:e]) for n, b, e in zip(numbers, bounds, ends, strict=True)]
    # Header markers open their page; the little above the first one (blank lines, a logo) joins page one.
    bounds = [0] + [m.end() for m in markers[1:]]
    ends = [m.start() for m in markers[1:]] + [len(text)]
    pages = [Page(n, text[b:e]) for n, b, e in zip(numbers, bounds, ends, strict=True)]
    first = markers[0]
    pages[0] = Page(numbers[0], text[: first.start()] + text[first.end() : ends[0]])
    return pages


_MD_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italic
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.M), "• "),  # list items
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$\n?", re.M), ""),  # table rules
)
_MD_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)


def normalize_markdown(text: str) -> str:
    """Markdown to the loaders' convention: keep `#` headings, drop emphasis and links, `• ` lists, ` | ` rows."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return _MD_TABLE_ROW.sub(lambda m: " | ".join(c.strip() for c in m[1].split("|")), text)


# --- PDF -----------------------------------------------------------------------------------------------------


def _load_pdf(path: Path, limits: ReadLimits) -> LoadedFile:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    inflate = int(limits.max_pdf_stream_mb * 1_000_000)
    try:
        # One limit for every way a stream inflates; pypdf raises LimitReachedError past it.
        overwrites: dict[str, Any] = {field: inflate for field in _PDF_INFLATION_LIMITS}
        with apply_configuration(**overwrites):
            reader = PdfReader(path)
            _unlock(path, reader)
            if len(reader.pages) > limits.max_elements:
                raise LoadError(
                    path,
                    f"the PDF has {len(reader.pages):,} pages — over the limit of "
                    f"{limits.max_elements:,} (REGIONKUNSKAP_MAX_ELEMENTS)",
                    "split the PDF",
                )
            texts = _pdf_texts(path, reader, limits)
            labels = _page_labels(reader, len(texts))
            title = _pdf_title(reader)
    except LoadError:
        raise
    except LimitReachedError as exc:
        raise _pdf_bomb(path, limits, exc) from exc
    except Exception as exc:  # pypdf signals malformed files with many exception types, not only PdfReadError
        raise LoadError(
            path,
            f"not a readable PDF ({type(exc).__name__}: {exc})",
            "open it in a PDF viewer; if it opens, print it to a new PDF and add that",
        ) from exc
    if not texts:
        raise LoadError(path, "the PDF has no pages", "check that the file was saved completely")
    chars = sum(len("".join(t.split())) for t in texts)
    if chars < _MIN_PDF_CHARS_PER_PAGE * len(texts):
        raise LoadError(
            path,
            "no text layer (a scanned or image-only PDF)",
            "run OCR first (e.g. `ocrmypdf -l swe in.pdf out.pdf`) and add the OCR'd file",
        )
    return LoadedFile([Page(n, t) for n, t in zip(labels, texts, strict=True)], title=title, format="pdf")


_PDF_INFLATION_LIMITS = (
    "maximum_declared_stream_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "zlib_maximum_output_length",
    "brotli_maximum_output_length",
    "image_maximum_buffer_size",
)


def _pdf_texts(path: Path, reader, limits: ReadLimits) -> list[str]:
    """Every page's text, refusing as soon as the text so far passes the per-file limit."""
    texts: list[str] = []
    total = 0
    for i, page in enumerate(reader.pages):
        texts.append(_page_text(path, page, i))
        total += len(texts[-1]) + 1
        if total > limits.max_text_chars:
            check_text(path, "\n".join(texts), limits)
    return texts


def _pdf_bomb(path: Path, limits: ReadLimits, exc: Exception) -> LoadError:
    return LoadError(
        path,
        f"a stream inflates past {limits.max_pdf_stream_mb:g} MB (REGIONKUNSKAP_MAX_PDF_STREAM_MB): a decompression "
        f"bomb or a damaged file ({type(exc).__name__})",
        "do not ingest it unless you trust its source; a genuine file can be printed to a new PDF",
    )


def _unlock(path: Path, reader) -> None:
    """Open PDFs that are only owner-protected (empty user password); refuse real passwords."""
    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except Exception:  # e.g. DependencyError when AES needs the `cryptography` package
        unlocked = 0
    if not unlocked:
        raise LoadError(path, "the PDF is encrypted (password-protected)", "remove the password and re-add the file")


def _page_text(path: Path, page, index: int) -> str:
    """One page's text in layout mode, which keeps paragraph gaps as blank lines; plain mode if that fails.

    A page neither mode can decode is logged and left empty rather than failing the whole file.
    """
    from pypdf.errors import LimitReachedError

    for mode in ("layout", "plain"):
        try:
            return page.extract_text(extraction_mode=mode) or ""
        except LimitReachedError:
            raise  # a bomb, not an unreadable page: the whole file is refused
        except Exception as exc:  # pypdf raises many types on broken content streams
            error = exc
    log.warning("%s: page %d unreadable (%s); skipped", printable(path), index + 1, error)
    return ""


def _page_labels(reader, count: int) -> list[int]:
    """Printed page numbers when the PDF declares numeric labels that rise; else 1-based positions."""
    try:
        labels = list(reader.page_labels)
    except Exception:  # a malformed /PageLabels tree costs the printed numbers, not the document
        labels = []
    if len(labels) == count and all(label.isdigit() for label in labels):
        numbers = [int(label) for label in labels]
        if all(a < b for a, b in pairwise(numbers)):
            return numbers
    return list(range(1, count + 1))


def _pdf_title(reader) -> str:
    title = str((reader.metadata or {}).get("/Title") or "").strip()
    return "" if _PDF_JUNK_TITLES.search(title) else title


# --- Word ----------------------------------------------------------------------------------------------------

# Built-in heading styles; Swedish Word stores "heading 1" but templates may name them "Rubrik 1".
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|rubrik)$", re.I)
_LIST_STYLE = re.compile(r"list|lista|punkt", re.I)


def _load_docx(path: Path, limits: ReadLimits) -> LoadedFile:
    import docx

    check_zip(path, limits)  # before python-docx inflates and parses every part
    try:
        count_docx_elements(path, limits)
        document = docx.Document(str(path))
        blocks = [_docx_block(block) for block in document.iter_inner_content()]
        title = (document.core_properties.title or "").strip()
    except LoadError:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types on a broken file
        raise LoadError(
            path,
            f"not a readable Word document ({type(exc).__name__}: {exc})",
            "open it in Word or LibreOffice and save it again as .docx",
        ) from exc
    return LoadedFile([Page(None, _join_blocks(blocks))], title=title, format="docx")


def _docx_block(block) -> tuple[str, str]:
    """(kind, text) for a paragraph or table; consecutive "item" blocks are joined without blank lines."""
    from docx.table import Table

    if isinstance(block, Table):
        return "table", _docx_table(block)
    text = " ".join(block.text.split())
    style = block.style.name if block.style is not None else ""
    if not text:
        return "para", ""
    if match := _HEADING_STYLE.match(style):
        return "para", "#" * int(match[1]) + " " + text
    if _TITLE_STYLE.match(style):
        return "para", "# " + text
    if _LIST_STYLE.search(style) or _has_numbering(block):
        return "item", "• " + text
    return "para", text


def _has_numbering(paragraph) -> bool:
    p_pr = paragraph._p.pPr
    return p_pr is not None and p_pr.numPr is not None


def _docx_table(table) -> str:
    """One line per row, cells joined by ` | `; a merged cell repeated across columns appears once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _join_blocks(blocks: list[tuple[str, str]]) -> str:
    """Paragraphs apart by a blank line; consecutive list items and table rows stay on adjacent lines."""
    out: list[str] = []
    prev_kind = ""
    for kind, text in blocks:
        if not text:
            continue
        if out:
            out.append("\n" if kind == prev_kind == "item" else "\n\n")
        out.append(text)
        prev_kind = kind
    return "".join(out)


# --- HTML ----------------------------------------------------------------------------------------------------


def _load_html(path: Path, limits: ReadLimits) -> LoadedFile:
    import trafilatura
    from trafilatura.utils import decode_file

    data = path.read_bytes()
    # lxml silently drops a text node over 10 MB, which would surface as "empty file"; name the real problem.
    if re.search(rb"[^<]{%d}" % (limits.max_line_chars + 1), data):
        raise LoadError(
            path,
            f"a text element is longer than {limits.max_line_chars:,} characters — over the limit "
            "(REGIONKUNSKAP_MAX_LINE_CHARS)",
            "break the text into paragraphs, or raise the limit",
        )
    try:
        text = trafilatura.extract(
            data, output_format="markdown", include_formatting=True, include_tables=True, include_comments=False
        )
        if not (text or "").strip():
            # Short pages fall below trafilatura's main-content thresholds; baseline keeps all body text.
            text = trafilatura.baseline(data)[1]
        # decode_file honours the page's declared or detected charset (windows-1252 pages are common).
        metadata = trafilatura.extract_metadata(decode_file(data))
    except Exception as exc:  # lxml and trafilatura raise assorted errors on broken markup
        raise LoadError(
            path, f"not readable HTML ({type(exc).__name__}: {exc})", "save the page again from a browser"
        ) from exc
    title = (metadata.title or "").strip() if metadata else ""
    return LoadedFile([Page(None, _unescape_markdown(normalize_markdown(text or "")))], title=title, format="html")


# trafilatura's markdown escapes characters that page text may hold (`\<script>`, `\*`, `\_`); our text is plain.
# Unescaped after `normalize_markdown`, so an escaped `*` is never read as emphasis.
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


def _unescape_markdown(text: str) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


_LOADERS: dict[str, Callable[[Path, ReadLimits], LoadedFile]] = {
    ".txt": _load_txt,
    ".md": _load_md,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}


# --- titles --------------------------------------------------------------------------------------------------

_TITLE_LINE = re.compile(r"^[A-ZÅÄÖÉÜ0-9\"“”'].{2,}$")
_DATE_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}\b|^\d{1,2} \w+ \d{4}$")


def guess_title(pages: Sequence[Page], *, max_lines: int = 40) -> str:
    """A title for a document without one: its first `#` heading, else its first short title-like line; else "".

    A title-like line counts only when more text follows it: the chunker treats the title line as a heading
    and leaves it out of the passages, so a line that *is* the body (a one-paragraph file, a first sentence
    with no full stop and nothing after it) must never become the title. Without a title the document is
    named after its file. Call it on cleaned pages (`clean.clean_pages`), so navigation lines and page
    headers are gone.
    """
    text = "\n".join(page.text for page in pages)
    lines = list(islice((line.strip() for line in text.splitlines() if line.strip()), max_lines + 1))
    for line in lines[:max_lines]:
        if line.startswith("#"):
            return line.lstrip("#").strip()
    for index, line in enumerate(lines[:max_lines]):
        words = line.split()
        if (
            2 <= len(words) <= 15
            and _TITLE_LINE.match(line)
            and not line.endswith((".", ":", ",", ";"))
            and not _DATE_LINE.match(line)
            and "@" not in line
            and index + 1 < len(lines)
        ):
            return line
    return ""
