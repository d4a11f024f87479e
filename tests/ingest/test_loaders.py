"""Loaders: every supported format becomes pages of text in one convention; every failure is a LoadError."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ingest.reading.limits import ReadLimits
from ingest.reading.loaders import SUPPORTED_EXTENSIONS, guess_title, load, load_file, split_text_pages
from ingest.types import Page
from regionkunskap.errors import LoadError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "loaders"
CORPUS = Path(__file__).parents[2] / "corpus"
ATERRAPPORTERING = CORPUS / "region-norrbotten-aterrapportering-2022.txt"


def text_of(pages: list[Page]) -> str:
    return "\n".join(p.text for p in pages)


# --- plain text ----------------------------------------------------------------------------------------------


def test_utf8_text_keeps_swedish_letters_in_one_unnumbered_page():
    pages = load(FIXTURES / "swedish.txt")
    assert len(pages) == 1 and pages[0].number is None
    assert "Hållbar regional utveckling i Västerbotten" in pages[0].text
    assert "Ökad kompetens" in pages[0].text


def test_utf8_byte_order_mark_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffÅtgärder i länet".encode("utf-8"))
    assert load(path)[0].text == "Åtgärder i länet"


def test_windows_1252_text_is_decoded_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="ingest.reading.loaders"):
        text = load(FIXTURES / "cp1252.txt")[0].text
    assert "Åtgärder för ökad tillgänglighet på landsbygden" in text
    assert "iconv -f cp1252 -t utf-8" in caplog.text


def test_binary_garbage_with_a_text_extension_is_refused_with_a_fix(tmp_path):
    path = tmp_path / "binär.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError) as info:
        load(path)
    assert "UTF-8" in info.value.reason and "iconv" in info.value.fix


def test_page_markers_number_the_pages_and_disappear(tmp_path):
    pages = load(FIXTURES / "page-markers.txt")
    assert [p.number for p in pages] == [1, 2, 3]
    assert "Region Testlän" in pages[0].text
    assert "stärkt samverkan" in pages[2].text
    assert "(3)" not in text_of(pages)


def test_form_feeds_split_pages():
    pages = load(FIXTURES / "form-feeds.txt")
    assert [(p.number, p.text.strip()) for p in pages] == [
        (1, "Första sidan handlar om kompetensförsörjning."),
        (2, "Andra sidan handlar om jämställdhet."),
        (3, "Tredje sidan handlar om miljö och klimat."),
    ]


def test_markers_at_the_foot_of_pages_close_their_page():
    body = "Lång text om regional utveckling i hela länet och dess kommuner. " * 4
    pages = split_text_pages(f"{body}\n1(2)\n{body}slut\n2(2)\n")
    assert [p.number for p in pages][:2] == [1, 2]
    assert pages[1].text.strip().endswith("slut")


def test_numbers_in_brackets_that_do_not_count_pages_are_text():
    pages = split_text_pages("Tabell\n2(5)\nFler rader\n1(5)\n")
    assert pages == [Page(None, "Tabell\n2(5)\nFler rader\n1(5)\n")]


@pytest.mark.skipif(not ATERRAPPORTERING.exists(), reason="corpus/ not present")
def test_pdf_extracted_report_gets_page_numbers_from_its_markers():
    pages = load(ATERRAPPORTERING)
    assert [p.number for p in pages] == [1, 2, 3]  # the seed carries markers only on its first three pages
    page_of = {p.number: p.text for p in pages}
    assert "Skickas i Wordformat till:" in page_of[1]
    assert "Innehåll" in page_of[2]
    assert "Coronapandemin har under 2022" in page_of[3]
    assert "(45)" not in text_of(pages)


# --- markdown, Word, HTML ------------------------------------------------------------------------------------


def test_markdown_keeps_headings_and_makes_lists_bullets_and_tables_rows():
    text = load(FIXTURES / "notes.md")[0].text
    assert text.startswith("# Grön omställning i Norrbotten\n")
    assert "## Parter" in text
    assert "• Region Norrbotten\n• Luleå kommun" in text
    assert "Green Deal | 112,5 mnkr" in text
    assert "**" not in text and "](" not in text and "---" not in text
    assert "den gröna omställningen tillsammans med kommunerna." in text


def test_docx_headings_lists_and_tables_follow_the_convention():
    loaded = load_file(FIXTURES / "project.docx")
    text = loaded.pages[0].text
    assert loaded.title == "Regional utveckling i Västernorrland"
    assert text.startswith("# Regional utveckling i Västernorrland\n\n")
    assert "\n\n## Parter i projektet\n\n" in text
    items = "• Härnösands kommun är projektägare.\n• Mittuniversitetet bidrar med personal."
    assert f"Följande parter deltar:\n\n{items}" in text
    assert "\n\nProjekt | Fond | Budget\nHSO | ERUF | 12,5 mnkr\n\n" in text
    assert text.endswith("Projektperioden är 2024–2027.")


def test_corrupt_docx_is_refused():
    with pytest.raises(LoadError, match="not a readable Word document"):
        load(FIXTURES / "broken.docx")


def test_html_keeps_main_content_headings_and_lists_and_drops_navigation():
    loaded = load_file(FIXTURES / "page.html")
    text = loaded.pages[0].text
    assert loaded.title.startswith("Grön omställning i Norrbotten")
    assert text.startswith("# Grön omställning i Norrbotten")
    assert "## Parter i projektet" in text
    assert "• Region Norrbotten och Luleå kommun." in text
    assert "Om oss" not in text and "Kontakta oss" not in text


def test_html_without_a_main_article_falls_back_to_all_body_text(tmp_path):
    path = tmp_path / "kort.html"
    path.write_text("<html><body><div>Kort notis om Luleå.</div></body></html>", encoding="utf-8")
    assert "Kort notis om Luleå." in load(path)[0].text


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_gives_one_numbered_page_per_page_with_paragraph_gaps():
    loaded = load_file(FIXTURES / "report.pdf")
    assert [p.number for p in loaded.pages] == [1, 2]
    assert loaded.pages[0].text.startswith("Kompetensförsörjning i Norrbotten\n\nRegionen har under året")
    assert "Jämställdhet och hållbarhet" in loaded.pages[1].text
    assert loaded.title == "Återrapportering 2022"


@pytest.mark.parametrize(
    ("name", "reason", "fix"),
    [
        ("encrypted.pdf", "encrypted", "remove the password"),
        ("broken.pdf", "not a readable PDF", "print it to a new PDF"),
        ("scanned.pdf", "no text layer", "OCR"),
    ],
)
def test_unreadable_pdfs_are_refused_with_a_reason_and_a_fix(name, reason, fix):
    with pytest.raises(LoadError) as info:
        load(FIXTURES / name)
    assert reason in info.value.reason and fix in info.value.fix
    assert info.value.path.endswith(name)


# --- files that cannot be loaded -----------------------------------------------------------------------------


def test_empty_file_is_refused():
    with pytest.raises(LoadError, match="empty file"):
        load(FIXTURES / "empty.txt")


def test_whitespace_only_file_is_refused(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u00a0\n\t\n", encoding="utf-8")
    with pytest.raises(LoadError, match="empty file"):
        load(path)


def test_unknown_extension_names_the_supported_formats():
    with pytest.raises(LoadError) as info:
        load(FIXTURES / "notes.rtf")
    assert "'.rtf'" in info.value.reason
    assert all(ext in info.value.fix for ext in SUPPORTED_EXTENSIONS)


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "stor.txt"
    path.write_text("Regional utveckling. " * 100, encoding="utf-8")
    with pytest.raises(LoadError, match="too large"):
        load(path, limits=ReadLimits(max_file_mb=0.001))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load(tmp_path / "finns-inte.txt")


# --- titles --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Grön omställning\n\nText.", "Grön omställning"),
        ("Bildtext.\n\nGemensamt arbete i Västernorrland\n\n2024-02-06 10:10\n", "Gemensamt arbete i Västernorrland"),
        (
            "2024-02-06\n\nKontakt: a@b.se\n\nHållbar regional utveckling\n\nLänet arbetar med hållbarhet.\n",
            "Hållbar regional utveckling",
        ),
    ],
)
def test_guess_title_takes_the_first_heading_or_short_title_line(text, title):
    assert guess_title([Page(None, text)]) == title


@pytest.mark.parametrize(
    "text",
    [
        "Budgeten för projektet uppgår till 5 miljoner kronor\n",  # title-like, but it is all the text there is
        "Regionen beviljade 5 miljoner kronor till projektet.\n\nDet pågår till 2026.\n",  # a sentence
        "Kort text om budgeten, som uppgår till 5 miljoner kronor.\n",  # one paragraph
    ],
)
def test_body_text_is_never_guessed_as_the_title(text):
    assert guess_title([Page(None, text)]) == ""


def test_an_html_page_in_windows_1252_keeps_its_title(tmp_path):
    page = tmp_path / "sida.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"><title>Åtgärder för länet</title></head>'
        "<body><p>Länet genomför åtgärder för hållbar utveckling i alla kommuner.</p></body></html>".encode("cp1252")
    )
    loaded = load_file(page)
    assert loaded.title == "Åtgärder för länet"


def test_utf16_text_without_a_byte_order_mark_is_decoded(tmp_path):
    note = tmp_path / "anteckning.txt"
    note.write_bytes("Projektet pågår i länet.\n".encode("utf-16-le"))
    assert load(note)[0].text.strip() == "Projektet pågår i länet."


def test_markdown_front_matter_gives_the_title_and_is_not_text(tmp_path):
    page = tmp_path / "sida.md"
    front_matter = '---\ntitle: "Grön omställning"\nlayout: post\n---\n'
    page.write_text(front_matter + "# Rubrik\n\nProjektet pågår.\n", encoding="utf-8")
    loaded = load_file(page)
    assert loaded.title == "Grön omställning"
    assert "layout" not in loaded.pages[0].text and "Projektet pågår." in loaded.pages[0].text


# --- limits: every refusal names the limit and the setting ----------------------------------------------------


def test_a_pdf_stream_that_inflates_past_the_limit_is_reported_as_a_bomb_not_a_scan():
    with pytest.raises(LoadError) as info:
        load(FIXTURES / "inflating.pdf", limits=ReadLimits(max_pdf_stream_mb=1))
    assert "bomb" in info.value.reason and "REGIONKUNSKAP_MAX_PDF_STREAM_MB" in info.value.reason
    assert "OCR" not in str(info.value)


def test_a_pdf_with_more_pages_than_the_element_limit_is_refused():
    with pytest.raises(LoadError, match="REGIONKUNSKAP_MAX_ELEMENTS"):
        load(FIXTURES / "report.pdf", limits=ReadLimits(max_elements=1))


@pytest.mark.parametrize(
    ("limits", "setting"),
    [
        (ReadLimits(max_unpacked_mb=0.001), "REGIONKUNSKAP_MAX_UNPACKED_MB"),
        (ReadLimits(max_elements=3), "REGIONKUNSKAP_MAX_ELEMENTS"),
    ],
)
def test_a_word_document_over_a_limit_is_refused_before_python_docx_reads_it(limits, setting):
    with pytest.raises(LoadError) as info:
        load(FIXTURES / "project.docx", limits=limits)
    assert setting in info.value.reason


@pytest.mark.parametrize(
    ("text", "limits", "setting"),
    [
        ("Ord och mening. " * 200, ReadLimits(max_text_chars=1000), "REGIONKUNSKAP_MAX_TEXT_CHARS"),
        ("Ord och mening. " * 200, ReadLimits(max_line_chars=1000), "REGIONKUNSKAP_MAX_LINE_CHARS"),
        ("Ord och mening.\n" * 200, ReadLimits(max_text_chars=1000), "REGIONKUNSKAP_MAX_TEXT_CHARS"),
    ],
)
def test_text_over_the_length_limits_is_refused_naming_the_setting(tmp_path, text, limits, setting):
    path = tmp_path / "lång.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path, limits=limits)
    assert setting in info.value.reason


def test_text_within_the_limits_loads():
    limits = ReadLimits(max_text_chars=10_000, max_line_chars=1_000, max_elements=50, max_unpacked_mb=1)
    assert "Härnösands kommun" in text_of(load(FIXTURES / "project.docx", limits=limits))


def test_html_text_keeps_no_markdown_escapes(tmp_path):
    page = tmp_path / "sida.html"
    page.write_text(
        "<html><body><article><h1>Säkerhet</h1><p>Skriv aldrig &lt;script&gt; i fältet; 5 * 3 = 15 och "
        "filen heter min_fil.txt. Regionen granskar [alla] ansökningar #1.</p></article></body></html>",
        encoding="utf-8",
    )
    text = text_of(load(page))
    assert "<script>" in text and "5 * 3" in text and "min_fil.txt" in text and "[alla]" in text
    assert "\\" not in text


def test_a_file_name_with_a_newline_stays_on_one_line_in_the_message(tmp_path):
    path = tmp_path / "rapport\nrm -rf.txt"
    path.write_bytes(b"")
    with pytest.raises(LoadError) as info:
        load(path)
    assert "\n" not in str(info.value) and "rapport\\nrm -rf.txt" in str(info.value)


# --- body text is never consumed as a title ------------------------------------------------------------------


def _chunk_texts(path: Path) -> list[str]:
    from ingest.chunking.chunks import chunk_document
    from ingest.cleaning.documents import build_document
    from ingest.reading.discovery import SourceFile

    return [c.text for c in chunk_document(build_document(SourceFile(path, path.name), "hash"))]


def test_the_first_line_of_a_text_without_a_heading_stays_in_the_text(tmp_path):
    path = tmp_path / "beslut.txt"
    path.write_text(
        "Regionen beviljade 12 miljoner kronor till projektet Grön omställning.\n\n"
        "Projektet pågår till 2026 och leds av Region Testlän.\n",
        encoding="utf-8",
    )
    assert any("12 miljoner kronor" in text for text in _chunk_texts(path))


@pytest.mark.parametrize(
    "text", ["Budgeten uppgår till 5 miljoner kronor\n", "Budgeten uppgår till 5 miljoner kronor.\n"]
)
def test_a_one_paragraph_file_ingests_with_its_text(tmp_path, text):
    path = tmp_path / "kort.txt"
    path.write_text(text, encoding="utf-8")
    assert any("5 miljoner kronor" in chunk for chunk in _chunk_texts(path))


# --- symbolic links ------------------------------------------------------------------------------------------


def test_a_symlink_out_of_the_folder_is_skipped_with_a_note(tmp_path):
    from ingest.reading.discovery import discover

    folder, outside = tmp_path / "korpus", tmp_path / "hemligt.txt"
    folder.mkdir()
    outside.write_text("Lösenord", encoding="utf-8")
    (folder / "rapport.txt").write_text("Rapport om länet.", encoding="utf-8")
    (folder / "läcka.txt").symlink_to(outside)
    (folder / "kopia.txt").symlink_to(folder / "rapport.txt")  # inside the folder: fine

    found = discover([folder], {})

    assert sorted(f.doc_id for f in found.files) == ["kopia.txt", "rapport.txt"]
    assert len(found.notes) == 1 and "läcka.txt" in found.notes[0] and "outside the folder" in found.notes[0]
    assert not found.problems
