"""Text from documents made fit for the page: names on one line, PDF lines reflowed into paragraphs with
list items and table rows kept, the cited span marked, everything escaped."""

from __future__ import annotations

from assistant.chat.text import blocks, blocks_html, one_line

PDF = (
    "Regionen driver projektet “Vägar till hållbar utveckling”. Fokus är att integrera\n"
    "hållbarhet i hela det regionala utvecklingsuppdraget.\n\n"
    "Parter i projektet:\n"
    "• Region Norrbotten\n"
    "• Luleå tekniska universitet, som leder\n"
    "  arbetspaket 2\n"
    "1. Fysiska förutsättningar\n\n"
    "År | Budget | Källa\n"
    "2022 | 56 Mkr | ERUF"
)


def test_a_name_with_newlines_and_hidden_characters_is_printed_on_one_line():
    assert one_line("rapport\n2022.pdf") == "rapport 2022.pdf"
    assert one_line("a\u202ebidi\u200bzero\x1b[31mred\x00") == "a bidi zero [31mred"
    assert one_line("x" * 300, limit=10) == "xxxxxxxxx…"


def test_wrapped_pdf_lines_become_one_paragraph_and_items_and_rows_stay_lines():
    kinds = [(b.kind, " ".join(PDF[s:e] for s, e in b.spans)) for b in blocks(PDF)]
    assert kinds == [
        (
            "p",
            "Regionen driver projektet “Vägar till hållbar utveckling”. Fokus är att integrera "
            "hållbarhet i hela det regionala utvecklingsuppdraget.",
        ),
        ("p", "Parter i projektet:"),
        ("item", "• Region Norrbotten"),
        ("item", "• Luleå tekniska universitet, som leder arbetspaket 2"),
        ("item", "1. Fysiska förutsättningar"),
        ("row", "År | Budget | Källa"),
        ("row", "2022 | 56 Mkr | ERUF"),
    ]


def test_the_html_has_paragraphs_a_list_and_a_table():
    out = blocks_html(PDF)
    assert "<p>Regionen driver projektet “Vägar till hållbar utveckling”. Fokus är att integrera hållbarhet" in out
    assert '<ul class="rk-ul"><li>Region Norrbotten</li>' in out
    assert '<li class="rk-numbered">1. Fysiska förutsättningar</li></ul>' in out
    assert '<table class="rk-table"><tr><td>År</td><td>Budget</td><td>Källa</td></tr>' in out


def test_the_cited_span_is_marked_across_a_reflowed_line_break():
    start = PDF.index("Fokus är")
    end = PDF.index("uppdraget.") + len("uppdraget.")
    out = blocks_html(PDF, (start, end))
    assert (
        '<mark class="rk-hit">Fokus är att integrera</mark> <mark>hållbarhet i hela det regionala '
        "utvecklingsuppdraget.</mark>"
    ) in out


def test_a_span_given_in_document_offsets_is_shifted_to_the_passage():
    out = blocks_html("Första. Andra meningen.", (108, 123), offset=100)
    assert out == '<p>Första. <mark class="rk-hit">Andra meningen.</mark></p>'


def test_markup_in_a_document_is_text_and_an_impossible_span_marks_nothing():
    out = blocks_html("a <script>alert(1)</script> & b", (50, 60))
    assert out == "<p>a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</p>"
