"""How answers and sources are shown: page labels, the plain-text API reply, the escaped sources panel
with the cited sentence marked, and the Markdown of a chat bubble."""

from __future__ import annotations

from assistant.answer import Answer, Citation, Passage
from assistant.chat.render import answer_as_text, answer_markdown, highlighted, md_escape, page_label, sources_html
from ingest.types import Chunk, DocumentMeta

TEXT = "Inledning <b>fet</b> & så.\nDen totala budgeten är 112,5 miljoner kronor. Slut."
QUOTE = "Den totala budgeten är 112,5 miljoner kronor."


def a_chunk(page: int | None = 5, estimated: bool = False, title: str = "Green <Deal>") -> Chunk:
    return Chunk(id="x" * 32, doc_id="gd.txt", text=TEXT, heading_path=("Projekt", "Budget"), start=0,
                 end=len(TEXT), page=page, page_end=page, language="sv",
                 meta=DocumentMeta(doc_id="gd.txt", title=title), page_estimated=estimated)


def an_answer(answered: bool = True, **chunk_args) -> Answer:
    passage = Passage(chunk=a_chunk(**chunk_args), score=1.0, rank=1)
    start = TEXT.index(QUOTE)
    text = "Budgeten är 112,5 miljoner kronor [1]." if answered else "Jag hittar inget svar på det i dokumenten."
    return Answer(question="Hur stor är budgeten?", answered=answered, text=text, language="sv",
                  citations=[Citation(1, passage, QUOTE, start, start + len(QUOTE))], passages=[passage])


def test_pages_read_s_n_and_estimated_pages_s_tilde_n():
    assert page_label(a_chunk(5)) == "s. 5"
    assert page_label(a_chunk(5, estimated=True)) == "s. ~5"
    assert page_label(a_chunk(None)) == ""


def test_the_text_reply_is_the_answer_then_numbered_sources_with_title_section_page_and_quote():
    assert answer_as_text(an_answer()) == (
        "Budgeten är 112,5 miljoner kronor [1].\n\nKällor:\n"
        "[1] Green <Deal> — Projekt > Budget · s. 5\n"
        f'    "{QUOTE}"'
    )


def test_a_not_found_reply_lists_the_closest_passages_as_such():
    assert "\n\nNärmaste avsnitt (svarar inte på frågan):\n[1]" in answer_as_text(an_answer(answered=False))


def test_the_sources_panel_escapes_the_document_and_marks_the_cited_sentence():
    panel = sources_html(an_answer(), 1)
    assert f"<mark>{QUOTE}</mark>" in panel
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; så" in panel and "<b>fet</b>" not in panel
    assert "Green &lt;Deal&gt;" in panel and "s. 5" in panel and "Projekt &gt; Budget" in panel
    assert "<details" in panel and " open>" in panel  # the first source is unfolded


def test_closest_passages_are_marked_as_not_answering():
    panel = sources_html(an_answer(answered=False), 1)
    assert "närmaste avsnitt" in panel and "de svarar inte på frågan" in panel


def test_an_empty_or_impossible_span_marks_nothing():
    assert highlighted("a<b", 0, 0) == "a&lt;b"
    assert highlighted("a<b", 2, 99) == "a&lt;b"


def test_a_chat_bubble_is_literal_markdown_with_its_sources_once_complete():
    answer = an_answer(title="Plan *A*")
    assert answer_markdown(answer).endswith("*Källor:* \\[1\\] Plan \\*A\\*, s. 5")
    assert answer_markdown(answer, "Budgeten är") == "Budgeten är"  # while streaming: no sources yet
    assert md_escape("[länk](http://x) <img>") == "\\[länk\\]\\(http://x\\) \\<img\\>"
