"""How answers and sources are shown: page labels, the plain-text API reply, answer bubbles with clickable
citations (facts, lists, contacts, tables, declines), and the escaped sources panel with the cited sentence
marked. Answers are built by hand in the shapes the answer step's contract promises."""

from __future__ import annotations

import re

from assistant.answer import Answer, Citation, Passage
from assistant.chat.render import (
    answer_as_text,
    answer_html,
    citation_name,
    page_label,
    question_html,
    sources_html,
)
from ingest.types import Chunk, DocumentMeta

TEXT = "Inledning <b>fet</b> & så.\nDen totala budgeten är 112,5 miljoner kronor. Slut."
QUOTE = "Den totala budgeten är 112,5 miljoner kronor."


def a_chunk(
    page: int | None = 5, estimated: bool = False, title: str = "Green <Deal>", text: str = TEXT, doc_id: str = "gd.txt"
) -> Chunk:
    return Chunk(
        id=doc_id.ljust(32, "x"),
        doc_id=doc_id,
        text=text,
        heading_path=("Projekt", "Budget"),
        start=0,
        end=len(text),
        page=page,
        page_end=page,
        language="sv",
        meta=DocumentMeta(doc_id=doc_id, title=title),
        page_estimated=estimated,
    )


def a_citation(n: int = 1, quote: str = QUOTE, **chunk_args) -> Citation:
    chunk = a_chunk(**chunk_args)
    start = chunk.text.index(quote)
    return Citation(n, Passage(chunk=chunk, score=1.0, rank=n), quote, start, start + len(quote))


def an_answer(
    answered: bool = True,
    text: str = "Budgeten är 112,5 miljoner kronor [1].",
    kind: str = "fact",
    decline_reason: str = "",
    citations: list[Citation] | None = None,
    **chunk_args,
) -> Answer:
    citations = citations if citations is not None else [a_citation(**chunk_args)]
    if not answered and text.startswith("Budgeten"):
        text = "Jag hittar inget svar på det i dokumenten."
    return Answer(
        question="Hur stor är budgeten?",
        answered=answered,
        text=text,
        language="sv",
        citations=citations,
        passages=[c.passage for c in citations],
        kind=kind,
        decline_reason=decline_reason if not answered else "",
    )


def two_sources() -> list[Citation]:
    second = "Luleå tekniska universitet [2] deltar."
    return [
        a_citation(1),
        a_citation(2, quote="Luleå tekniska universitet", text=second, title="LTU", doc_id="ltu.txt"),
    ]


# --- labels and the plain-text reply -----------------------------------------------------------------------


def test_pages_read_s_n_and_estimated_pages_s_tilde_n():
    assert page_label(a_chunk(5)) == "s. 5"
    assert page_label(a_chunk(5, estimated=True)) == "s. ~5"
    assert page_label(a_chunk(None)) == ""


def test_a_citation_is_named_by_its_number_title_and_page():
    assert citation_name(a_citation()) == "Källa 1: Green <Deal>, s. 5"
    assert citation_name(a_citation(page=None, title="Plan\nmed\tradbrytning")) == "Källa 1: Plan med radbrytning"


def test_the_text_reply_is_the_answer_then_numbered_sources_with_title_section_page_and_quote():
    assert answer_as_text(an_answer()) == (
        f'Budgeten är 112,5 miljoner kronor [1].\n\nKällor:\n[1] Green <Deal> — Projekt > Budget · s. 5\n    "{QUOTE}"'
    )


def test_a_not_found_reply_lists_the_closest_passages_as_such():
    assert "\n\nNärmaste avsnitt (svarar inte på frågan):\n[1]" in answer_as_text(
        an_answer(answered=False, decline_reason="no_answer")
    )


def test_an_off_topic_reply_lists_no_passages():
    reply = answer_as_text(
        an_answer(answered=False, decline_reason="off_topic", text="Frågan verkar ligga utanför dokumenten.")
    )
    assert reply == "Frågan verkar ligga utanför dokumenten."


# --- answer bubbles ----------------------------------------------------------------------------------------


def test_each_marker_is_a_link_to_its_source_in_that_turn_named_for_screen_readers():
    bubble = answer_html(an_answer(), turn=3)
    assert '<a href="#rk-kalla-3-1" class="rk-cite" title="Källa 1: Green &lt;Deal&gt;, s. 5">[1]</a>' in bubble
    assert "\n\n" not in bubble  # one HTML block: the chat's Markdown renderer passes it through as is


def test_a_list_answer_is_a_bullet_list_after_its_lead_in():
    answer = an_answer(
        kind="list",
        citations=two_sources(),
        text="Parterna i projektet är [1]:\n- Region Norrbotten [1]\n- Luleå tekniska universitet [2]",
    )
    bubble = answer_html(answer, 0)
    lead_in, items = re.search(r"<p>(.*?)</p><ul class=\"rk-ul\">(.*?)</ul>", bubble).groups()
    assert lead_in.startswith('Parterna i projektet är <a href="#rk-kalla-0-1"')
    assert re.findall(r"<li>(.*?) <a", items) == ["Region Norrbotten", "Luleå tekniska universitet"]
    assert 'href="#rk-kalla-0-2"' in items


def test_a_contact_answer_is_the_person_then_a_list_of_ways_to_reach_them():
    answer = an_answer(
        kind="contact", text="Anna Andersson, projektledare [1]\n- e-post: anna@x.se [1]\n- telefon: 070-123 45 67 [1]"
    )
    bubble = answer_html(answer, 0)
    assert re.search(
        r"<p>Anna Andersson, projektledare <a [^>]+>\[1\]</a></p><ul class=\"rk-ul\"><li>e-post: "
        r"anna@x\.se <a [^>]+>\[1\]</a></li><li>telefon: 070-123 45 67",
        bubble,
    )


def test_table_rows_in_an_answer_are_a_table():
    answer = an_answer(text="Budget per år:\nÅr | Belopp [1]\n2022 | 56 Mkr [1]")
    assert re.search(
        r"<table class=\"rk-table\"><tr><td>År</td><td>Belopp <a [^>]+>\[1\]</a></td></tr>"
        r"<tr><td>2022</td>",
        answer_html(answer, 0),
    )


def test_everything_from_documents_and_questions_is_escaped():
    answer = an_answer(text='Svar <img src=x onerror="alert(1)"> [1] [9]', title="<script>x</script>")
    bubble = answer_html(answer, 0)
    assert "<img" not in bubble and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in bubble
    assert "<script>" not in bubble and "&lt;script&gt;" in bubble
    assert "[9]" in bubble and "rk-kalla-0-9" not in bubble  # a marker without a citation stays text
    assert question_html("<b>Vem</b> äger SAM?") == '<div class="rk-q"><p>&lt;b&gt;Vem&lt;/b&gt; äger SAM?</p></div>'


def test_under_the_answer_its_sources_fold_out_for_narrow_screens():
    bubble = answer_html(an_answer(), 0)
    assert '<details class="rk-inline"><summary>Källor: [1] Green &lt;Deal&gt;</summary>' in bubble
    assert f'<mark class="rk-hit">{QUOTE}</mark>' in bubble


def test_a_decline_under_a_filter_says_the_filter_may_be_why():
    answer = an_answer(answered=False, decline_reason="no_answer")
    bubble = answer_html(answer, 0, {"region": ["Västerbotten"], "year": ["2024"]})
    assert "begränsad av filtret (Region: Västerbotten; År: 2024)" in bubble and "Fråga utan filter" in bubble
    assert "filtret" not in answer_html(answer, 0)
    assert "filtret" not in answer_html(an_answer(), 0, {"region": ["Västerbotten"]})  # answered: no note


def test_an_off_topic_decline_shows_no_passages_at_all():
    answer = an_answer(answered=False, decline_reason="off_topic", text="Frågan verkar ligga utanför dokumenten.")
    bubble, panel = answer_html(answer, 0), sources_html(answer, 0)
    assert "rk-inline" not in bubble and "rk-source " not in panel and "<mark" not in panel
    assert "utanför dokumenten" in panel


# --- the sources panel -------------------------------------------------------------------------------------


def test_the_sources_panel_escapes_the_document_and_marks_the_cited_sentence():
    panel = sources_html(an_answer(), 0)
    assert f'<mark class="rk-hit">{QUOTE}</mark>' in panel
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; så" in panel and "<b>fet</b>" not in panel
    assert "Green &lt;Deal&gt;" in panel and "s. 5" in panel and "Projekt &gt; Budget" in panel
    assert 'data-turn="0"' in panel and "Källor till svar 1" in panel
    assert '<details class="rk-source rk-n1" open>' in panel  # the first source is unfolded


def test_the_panel_unfolds_the_source_asked_for_and_links_each_to_its_document():
    panel = sources_html(an_answer(citations=two_sources()), 2, open_n=2)
    assert '<details class="rk-source rk-n1">' in panel and '<details class="rk-source rk-n2" open>' in panel
    assert 'href="#rk-dok-2-2" class="rk-doc" title="Visa dokumentet: LTU">Visa dokumentet</a>' in panel


def test_closest_passages_are_marked_as_not_answering():
    panel = sources_html(an_answer(answered=False, decline_reason="no_answer"), 0)
    assert "närmaste avsnitt" in panel and "de svarar inte på frågan" in panel


def test_an_empty_panel_invites_a_question():
    assert "Ställ en fråga" in sources_html(None)
