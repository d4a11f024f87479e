"""Feedback: 👍/👎 appended to a JSONL log, and `regionkunskap feedback-to-evals` turning it into draft
eval-set lines that a human completes."""

from __future__ import annotations

import json

import pytest

from assistant.answer import Answer, Citation, Passage
from assistant.chat.feedback import FeedbackLog, draft_eval_lines, read_feedback
from assistant.cli import main
from evals.dataset import parse_question
from ingest.types import Chunk, DocumentMeta
from regionkunskap.errors import DatasetError, FeedbackError

QUOTE = "Sundsvalls kommun är projektägare."


def an_answer(question: str = "Vem äger SAM?", answered: bool = True) -> Answer:
    text = "Sundsvalls kommun är projektägare. Projektperioden slutar 2026."
    chunk = Chunk(
        id="c1" * 16,
        doc_id="sam.txt",
        text=text,
        heading_path=("SAM",),
        start=0,
        end=len(text),
        page=None,
        page_end=None,
        language="sv",
        meta=DocumentMeta(doc_id="sam.txt", title="SAM"),
    )
    passage = Passage(chunk=chunk, score=1.0, rank=1)
    return Answer(
        question=question,
        answered=answered,
        text=f"{QUOTE[:-1]} [1].",
        language="sv",
        citations=[Citation(1, passage, QUOTE, 0, len(QUOTE))],
        passages=[passage],
    )


def test_each_rating_appends_one_line_with_the_answer_and_its_cited_chunks(tmp_path):
    log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")
    log.append(an_answer(), "👍", "  Bra  svar ")
    log.append(an_answer("Och när slutar det?"), "👎")

    lines = (tmp_path / "sub" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["question"] == "Vem äger SAM?" and first["rating"] == "👍" and first["comment"] == "Bra svar"
    assert first["citations"] == [{"n": 1, "chunk_id": "c1" * 16, "document": "sam.txt", "quote": QUOTE}]
    assert first["timestamp"].endswith("+00:00") and first["answered"] is True
    assert second["rating"] == "👎" and second["comment"] == ""


def test_a_comment_written_after_the_rating_amends_that_record(tmp_path):
    log = FeedbackLog(tmp_path / "f.jsonl")
    rating = log.append(an_answer(), "👎")
    log.append(an_answer("Och när slutar det?"), "👍")
    log.append(an_answer(), "👎", "Fel projekt", record_id=rating["id"])

    assert len((tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()) == 3  # append-only
    records = read_feedback(tmp_path / "f.jsonl")
    assert [(r["question"], r["comment"]) for r in records] == [
        ("Vem äger SAM?", "Fel projekt"),
        ("Och när slutar det?", ""),
    ]
    assert records[0]["id"] == rating["id"]


def test_an_unknown_rating_is_refused(tmp_path):
    with pytest.raises(FeedbackError, match="unknown rating"):
        FeedbackLog(tmp_path / "f.jsonl").append(an_answer(), "meh")


def test_drafts_have_the_eval_format_with_evidence_prefilled_and_facts_left_for_a_human(tmp_path):
    log = FeedbackLog(tmp_path / "f.jsonl")
    log.append(an_answer(), "👍", "stämmer")
    log.append(an_answer("vem  äger SAM?"), "👎")  # the same question, asked again
    log.append(an_answer("Vad kostar en pizza?", answered=False), "👎")

    sam, pizza = draft_eval_lines(read_feedback(tmp_path / "f.jsonl"))
    assert sam == {
        "id": sam["id"],
        "question": "Vem äger SAM?",
        "answerable": True,
        "facts": [],
        "evidence": [QUOTE],
        "tags": ["draft", "feedback:👍", "feedback:👎"],
        "comments": ["stämmer"],
    }
    assert sam["id"].startswith("draft-")
    assert pizza["answerable"] is False and pizza["evidence"] == []
    parse_question(pizza, "draft")  # an unanswerable draft is already a valid eval line
    with pytest.raises(DatasetError, match="needs at least one fact"):
        parse_question(sam, "draft")  # an answerable one needs its facts written first…
    parse_question({**sam, "facts": ["Sundsvalls kommun"]}, "draft")  # …and then it is valid


def test_a_torn_last_line_is_skipped(tmp_path):
    path = tmp_path / "f.jsonl"
    FeedbackLog(path).append(an_answer(), "👍")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"question": "Vem')
    assert [r["question"] for r in read_feedback(path)] == ["Vem äger SAM?"]


def test_the_cli_verb_prints_drafts_or_appends_only_new_ones(tmp_path, capsys):
    store = tmp_path / "store"
    FeedbackLog(store / "feedback.jsonl").append(an_answer(), "👍")

    assert main(["--store", str(store), "feedback-to-evals"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["question"] for d in printed] == ["Vem äger SAM?"]

    out = tmp_path / "drafts.jsonl"
    assert main(["--store", str(store), "feedback-to-evals", "--out", str(out)]) == 0
    FeedbackLog(store / "feedback.jsonl").append(an_answer("Och när slutar det?"), "👍")
    assert main(["--store", str(store), "feedback-to-evals", "--out", str(out)]) == 0
    assert "1 new draft(s) appended" in capsys.readouterr().err
    assert [json.loads(line)["question"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        "Vem äger SAM?",
        "Och när slutar det?",
    ]


def test_the_cli_verb_without_a_log_says_what_to_do(tmp_path, capsys):
    assert main(["--store", str(tmp_path), "feedback-to-evals"]) == 1
    assert "rate an answer in the chat first" in capsys.readouterr().err
