"""Specification of the eval metrics and the eval set, on small hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.metrics import (
    ResultRecord,
    citation_ok,
    contains,
    evidence_rank,
    fact_ok,
    facts_ok,
    normalize,
    score_question,
    summarize,
)
from regionkunskap.errors import DatasetError

REPO = Path(__file__).resolve().parents[2]
SEED_DIRS = (REPO / "corpus", Path("/work/shared/seeds"))
PDF_REPORT_TAG = "doc:aterrapportering"  # PDF-extracted; its raw text has detached diacritics

SUMMARY_KEYS = {
    "questions",
    "hit@1",
    "hit@5",
    "mrr@10",
    "fact_accuracy",
    "citation_support",
    "abstention_accuracy",
    "false_abstention_rate",
    "wrong_answer_rate",
    "p50_ms",
    "p95_ms",
}


# --- normalize and contains ------------------------------------------------------------------


def test_decimal_comma_and_point_are_the_same_number():
    assert normalize("112,5 miljoner") == normalize("112.5 miljoner")
    assert contains("Budgeten är 112,5 miljoner kronor.", "112.5 miljoner")


def test_digit_groups_with_space_nbsp_or_thin_space_are_joined():
    for sep in (" ", "\u00a0", "\u2009", "\u202f"):
        assert contains(f"finansierar med 56{sep}000{sep}000 kronor", "56000000")
    assert contains("totalt 56000000 kr", "56 000 000")


def test_unrelated_numbers_side_by_side_are_not_joined():
    assert normalize("2022 2023") == "2022 2023"
    assert normalize("070-597 37 11") == "070-597 37 11"


def test_dashes_between_numbers_are_treated_alike():
    assert contains("under 2019–2023", "2019-2023")
    assert contains("1 januari 2024 – 30 april 2027", "2024 - 30 april 2027")


def test_case_whitespace_and_unicode_form_do_not_matter():
    decomposed = "Ha\u0308rno\u0308sands  KOMMUN"
    assert contains(decomposed, "härnösands kommun")
    assert contains("ca 25\u00a0% av landets yta", "25 %")


def test_a_needle_does_not_match_inside_a_longer_number_or_word():
    assert not contains("cirka 145 butiker", "45")
    assert not contains("totalt 450 butiker", "45")
    assert not contains("112,5 miljoner", "112")
    assert not contains("strateger", "tre")


def test_a_needle_matches_an_inflected_or_compounded_form():
    assert contains("Uno Jonsson, Härnösands kommun", "Härnösand")
    assert contains("det nya HSO-projektet", "HSO")


# --- facts ----------------------------------------------------------------------------------


def test_a_fact_in_another_number_format_is_found():
    assert fact_ok("Den totala budgeten är 112.5 miljoner kronor.", "112,5 miljoner")
    assert fact_ok("EU bidrar med 56000000 kronor.", "56 000 000")


def test_a_missing_fact_fails_the_answer():
    answer = "Projektet ägs av Region Västerbotten."
    assert not fact_ok(answer, "Region Norrbotten")
    assert not facts_ok(answer, ["Region Västerbotten", "Region Norrbotten"])
    assert facts_ok(answer, ["Region Västerbotten"])


def test_any_alternative_of_a_fact_is_enough():
    assert fact_ok("HSO pågår mellan 2024 och 2026.", "2026 | 2027")
    assert fact_ok("Projektperiod: 1 januari 2024 – 30 april 2027.", "2026 | 2027")
    assert not fact_ok("HSO startar 2024.", "2026 | 2027")


# --- evidence rank and citations ------------------------------------------------------------

PASSAGES = [
    "Region Västerbotten och Region Norrbotten äger projektet gemensamt.",
    "Projektet Hållbar samhällsomställning, HSO, pågår mellan 2024 och 2026.",
    "Den totala budgeten för hela projektet är 112,5 miljoner kronor.",
    "EU:s regionala fond finansierar med 56 miljoner kronor.",
    "Sundsvalls kommun är projektägare.",
]


def test_evidence_in_the_third_passage_has_rank_3():
    assert evidence_rank(PASSAGES, ["totala budgeten för hela projektet"]) == 3


def test_evidence_split_across_passages_1_and_4_has_rank_4():
    assert evidence_rank(PASSAGES, ["Region Norrbotten äger", "fond finansierar med 56 miljoner"]) == 4


def test_absent_evidence_or_evidence_beyond_k_has_no_rank():
    assert evidence_rank(PASSAGES, ["Märta Molin"]) is None
    assert evidence_rank(PASSAGES, ["Sundsvalls kommun är projektägare"], k=4) is None
    assert evidence_rank(PASSAGES, []) is None


def test_an_evidence_string_is_not_matched_across_two_passages():
    assert evidence_rank(["… äger projektet", "gemensamt med …"], ["äger projektet gemensamt"]) is None


def test_citations_support_the_answer_when_they_hold_every_evidence_string():
    assert citation_ok(PASSAGES[:1] + PASSAGES[3:4], ["Region Norrbotten äger", "56 miljoner kronor"])
    assert not citation_ok(PASSAGES[:1], ["Region Norrbotten äger", "56 miljoner kronor"])
    assert not citation_ok([], ["Region Norrbotten äger"])


# --- scoring one question -------------------------------------------------------------------


def test_score_question_combines_rank_facts_and_citations():
    record = score_question(
        qid="rk-001",
        answerable=True,
        facts=["112,5 miljoner"],
        evidence=["totala budgeten för hela projektet"],
        passages=PASSAGES,
        answered=True,
        answer="Den totala budgeten för hela projektet är 112,5 miljoner kronor.",
        cited_passages=[PASSAGES[2]],
        ms=12.0,
    )
    assert (record.rank, record.facts_ok, record.citation_ok) == (3, True, True)


def test_a_correct_abstention_counts_as_declined_and_earns_no_fact_credit():
    record = score_question(
        qid="rk-116",
        answerable=False,
        facts=[],
        evidence=[],
        passages=PASSAGES,
        answered=False,
        answer="",
        cited_passages=[],
        ms=5.0,
    )
    assert not record.answered and not record.facts_ok and record.rank is None
    assert summarize([record])["abstention_accuracy"] == 1.0


def test_a_false_abstention_is_counted_against_the_answerable_question():
    record = score_question(
        qid="rk-020",
        answerable=True,
        facts=["Sundsvalls kommun"],
        evidence=["Sundsvalls kommun är projektägare"],
        passages=PASSAGES,
        answered=False,
        answer="",
        cited_passages=[],
        ms=5.0,
    )
    summary = summarize([record])
    assert record.rank == 5 and not record.facts_ok
    assert summary["false_abstention_rate"] == 1.0 and summary["fact_accuracy"] == 0.0
    assert summary["citation_support"] is None  # no answered question to judge


# --- the run summary ------------------------------------------------------------------------


def _toy_results() -> list[ResultRecord]:
    return [
        ResultRecord("q1", rank=1, answered=True, answer="a", facts_ok=True, citation_ok=True, ms=100),
        ResultRecord("q2", rank=3, answered=True, answer="b", facts_ok=False, citation_ok=True, ms=200),
        ResultRecord("q3", rank=None, answered=False, answer="", facts_ok=False, citation_ok=False, ms=300),
        ResultRecord(
            "q4",
            rank=None,
            answered=False,
            answer="",
            facts_ok=False,
            citation_ok=False,
            ms=400,
            answerable=False,
            has_evidence=False,
        ),
        ResultRecord(
            "q5",
            rank=None,
            answered=True,
            answer="c",
            facts_ok=False,
            citation_ok=False,
            ms=500,
            answerable=False,
            has_evidence=False,
        ),
    ]


def test_summary_has_exactly_the_documented_keys_and_values():
    summary = summarize(_toy_results())
    assert set(summary) == SUMMARY_KEYS
    assert summary["questions"] == 5
    assert summary["hit@1"] == pytest.approx(1 / 3)
    assert summary["hit@5"] == pytest.approx(2 / 3)
    assert summary["mrr@10"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert summary["fact_accuracy"] == pytest.approx(1 / 3)
    assert summary["citation_support"] == pytest.approx(1.0)
    assert summary["abstention_accuracy"] == pytest.approx(1 / 2)
    assert summary["false_abstention_rate"] == pytest.approx(1 / 3)
    assert summary["p50_ms"] == pytest.approx(300)
    assert summary["p95_ms"] == pytest.approx(480)  # linear interpolation between 400 and 500


def test_latency_percentiles_of_one_question_are_its_time():
    summary = summarize(_toy_results()[:1])
    assert summary["p50_ms"] == summary["p95_ms"] == _toy_results()[0].ms


def test_summary_of_nothing_reports_none_rather_than_zero():
    summary = summarize([])
    assert set(summary) == SUMMARY_KEYS and summary["questions"] == 0
    assert all(value is None for key, value in summary.items() if key != "questions")


def test_a_result_record_is_rebuilt_from_the_runners_json():
    data = {
        "id": "q1",
        "rank": 2,
        "answered": True,
        "answer": "x",
        "facts_ok": True,
        "citation_ok": False,
        "ms": 3.5,
        "question": "ignored",
    }
    assert ResultRecord.from_dict(data) == ResultRecord("q1", 2, True, "x", True, False, 3.5)


# --- loading a dataset ----------------------------------------------------------------------


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_answerable_defaults_to_true_and_unknown_keys_are_allowed(tmp_path):
    path = _write(tmp_path, json.dumps({"id": "a", "question": "Q?", "facts": ["x"], "note": "extra"}))
    (question,) = load_dataset(path)
    assert question.answerable and question.facts == ("x",) and question.evidence == ()


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ("{not json", "invalid JSON"),
        (json.dumps({"question": "Q?", "facts": ["x"]}), "missing required field 'id'"),
        (json.dumps({"id": "a", "question": "Q?", "facts": "x"}), "'facts' must be a list"),
        (json.dumps({"id": "a", "question": "Q?", "answerable": "yes"}), "'answerable' must be true"),
        (json.dumps({"id": "a", "question": "Q?", "answerable": False, "facts": ["x"]}), "must have no"),
    ],
)
def test_a_bad_line_is_reported_with_file_and_line_number(tmp_path, bad_line, message):
    good = json.dumps({"id": "ok", "question": "Q?", "facts": ["x"]})
    path = _write(tmp_path, good, bad_line)
    with pytest.raises(DatasetError, match=message) as info:
        load_dataset(path)
    assert f"{path}:2:" in str(info.value)


def test_duplicate_ids_are_rejected(tmp_path):
    line = json.dumps({"id": "a", "question": "Q?", "facts": ["x"]})
    with pytest.raises(DatasetError, match="duplicate id 'a'"):
        load_dataset(_write(tmp_path, line, line))


# --- the real eval set ----------------------------------------------------------------------


def _seed_text() -> str:
    files = [p for d in SEED_DIRS if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not files:
        pytest.skip("no seed documents (*.txt) in corpus/ or /work/shared/seeds")
    return "\n\n".join(p.read_text(encoding="utf-8") for p in files)


def test_the_eval_set_loads_with_enough_questions_and_unique_ids():
    questions = load_dataset(DEFAULT_DATASET)
    assert len(questions) >= 60
    assert sum(not q.answerable for q in questions) >= 8
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.evidence for q in questions if q.answerable)


def test_every_evidence_string_outside_the_pdf_report_is_in_the_seed_text():
    seeds = _seed_text()
    missing = [
        (q.id, ev)
        for q in load_dataset(DEFAULT_DATASET)
        if q.answerable and PDF_REPORT_TAG not in q.tags
        for ev in q.evidence
        if not contains(seeds, ev)
    ]
    assert missing == []


def test_a_missing_or_non_utf8_dataset_is_a_one_line_error(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "saknas.jsonl")
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes('{"id": "a", "question": "Vad är HSO?", "facts": ["Hållbar"]}\n'.encode("latin-1"))
    with pytest.raises(DatasetError, match="UTF-8"):
        load_dataset(latin1)
