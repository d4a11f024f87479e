"""The eval sets shipped in `evals/datasets/`: valid, labelled, and tied to the documents they ask about."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.metrics import contains, fact_alternatives
from evals.parts import document_part, evidence_documents
from evals.train_answerer import DEFAULT_SWEQUAD

STAFF = DEFAULT_DATASET.parent / "swequad-staff.jsonl"
SWEQUAD_CORPUS = DEFAULT_SWEQUAD / "corpus"
STAFF_KINDS = {"list", "overview", "synonym", "fact", "contact"}


def test_both_sets_load():
    assert len(load_dataset(DEFAULT_DATASET)) >= 190
    assert len(load_dataset(STAFF)) >= 600


def test_every_staff_question_names_its_kind_and_one_document():
    questions = load_dataset(STAFF)
    assert {q.tags[0] for q in questions} == STAFF_KINDS
    assert all(q.answerable and q.evidence for q in questions)
    assert all(sum(t.startswith("doc:") for t in q.tags) == 1 for q in questions)
    kinds = Counter(q.tags[0] for q in questions)
    assert min(kinds[k] for k in ("list", "overview", "synonym")) >= 100


@pytest.mark.skipif(not SWEQUAD_CORPUS.is_dir(), reason="needs ../shared/data/swequad-mc-train")
def test_staff_questions_quote_their_own_document_and_fall_in_both_parts():
    questions = load_dataset(STAFF)
    found = evidence_documents(SWEQUAD_CORPUS, questions)
    for q in questions:
        stem = next(t[4:] for t in q.tags if t.startswith("doc:"))
        assert found[q.id] == f"{stem}.txt", q.id  # the part a question falls in is its document's
        text = (SWEQUAD_CORPUS / found[q.id]).read_text(encoding="utf-8")
        assert all(any(contains(text, alt) for alt in fact_alternatives(f)) for f in q.facts), q.id
    parts = Counter(document_part(found[q.id]) for q in questions)
    assert parts["tuning"] >= 350 and parts["check"] >= 200
