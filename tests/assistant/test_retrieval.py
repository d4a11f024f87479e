"""Hybrid retrieval over the real corpus store: modes, fusion, filters."""

from __future__ import annotations

import pytest

from assistant.retrieval.hybrid import HybridRetriever, resolve_filters
from regionkunskap.errors import ConfigError

# Every test retrieves from the corpus store, built with the real e5 model.
pytestmark = pytest.mark.slow

QUESTION = "Hur stor är budgeten för North Sweden Green Deal?"


@pytest.fixture(scope="module")
def retrievers(corpus_store, e5_embedder):
    return {mode: HybridRetriever(corpus_store, e5_embedder, mode=mode) for mode in ("hybrid", "dense", "bm25")}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_the_budget_passage_first(retrievers, mode):
    passages = retrievers[mode].retrieve(QUESTION, k=5)
    assert [p.rank for p in passages] == [1, 2, 3, 4, 5]
    assert "112,5 miljoner" in passages[0].text
    assert passages == sorted(passages, key=lambda p: -p.score)


def test_hybrid_passages_carry_both_scores(retrievers):
    top = retrievers["hybrid"].retrieve(QUESTION, k=3)[0]
    assert top.dense_score is not None and top.bm25_score is not None
    assert 0 < top.score <= 1.0


def test_bm25_meets_a_compound_the_text_splits_differently(retrievers):
    passages = retrievers["bm25"].retrieve("försörjning av kompetens i Green Deal", k=5)
    assert any("Kompetensförsörjning" in p.text for p in passages)


def test_bm25_mode_needs_no_embedder(corpus_store):
    passages = HybridRetriever(corpus_store, None, mode="bm25").retrieve("Vem äger SAM?", k=3)
    assert passages and passages[0].dense_score is None


def test_filters_resolve_to_documents(corpus_store):
    assert resolve_filters(corpus_store, None) is None
    norrbotten = resolve_filters(corpus_store, {"region": "norrbotten"})
    assert "north-sweden-green-deal.txt" in norrbotten, "a document with two regions matches either"
    assert "vasternorrland-hso-och-sam.txt" not in norrbotten
    assert resolve_filters(corpus_store, {"type": "återrapportering", "year": 2022}) == {
        "region-norrbotten-aterrapportering-2022.txt"
    }
    assert resolve_filters(corpus_store, {"region": ["Skåne", "Västerbotten"]}) == {
        "north-sweden-green-deal.txt", "hallbar-regional-utveckling-hru.txt"
    }


def test_bad_configuration_is_refused_with_the_fix(corpus_store, e5_embedder):
    with pytest.raises(ConfigError, match="hybrid, dense, bm25"):
        HybridRetriever(corpus_store, e5_embedder, mode="magic")
    with pytest.raises(ConfigError, match="needs an embedder"):
        HybridRetriever(corpus_store, None, mode="dense")
    with pytest.raises(ConfigError, match="between 0 and 1"):
        HybridRetriever(corpus_store, e5_embedder, bm25_weight=2)
