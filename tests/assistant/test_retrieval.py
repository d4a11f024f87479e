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
    passages = retrievers[mode].search(QUESTION, k=5).passages
    assert [p.rank for p in passages] == [1, 2, 3, 4, 5]
    assert "112,5 miljoner" in passages[0].text
    assert passages == sorted(passages, key=lambda p: -p.score)


def test_hybrid_passages_carry_both_scores(retrievers):
    top = retrievers["hybrid"].search(QUESTION, k=3).passages[0]
    assert top.dense_score is not None and top.bm25_score is not None
    assert 0 < top.score <= 1.0


def test_bm25_meets_a_compound_the_text_splits_differently(retrievers):
    passages = retrievers["bm25"].search("försörjning av kompetens i Green Deal", k=5).passages
    assert any("Kompetensförsörjning" in p.text for p in passages)


def test_bm25_mode_needs_no_embedder(corpus_store):
    passages = HybridRetriever(corpus_store, None, mode="bm25").search("Vem äger SAM?", k=3).passages
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
        "north-sweden-green-deal.txt",
        "hallbar-regional-utveckling-hru.txt",
    }


def test_bad_configuration_is_refused_with_the_fix(corpus_store, e5_embedder):
    with pytest.raises(ConfigError, match="hybrid, dense, bm25"):
        HybridRetriever(corpus_store, e5_embedder, mode="magic")
    with pytest.raises(ConfigError, match="needs an embedder"):
        HybridRetriever(corpus_store, None, mode="dense")
    with pytest.raises(ConfigError, match="between 0 and 1"):
        HybridRetriever(corpus_store, e5_embedder, bm25_weight=2)


def test_a_search_returns_its_stage_timings_with_the_passages(retrievers):
    hybrid = retrievers["hybrid"].search(QUESTION, k=3).timings
    assert hybrid.dense_ms > 0 and hybrid.bm25_ms > 0 and hybrid.rerank_ms == 0
    bm25 = retrievers["bm25"].search(QUESTION, k=3).timings
    assert bm25.embed_ms == bm25.dense_ms == 0 and bm25.bm25_ms > 0


def test_filters_that_match_no_document_find_nothing(retrievers):
    found = retrievers["hybrid"].search(QUESTION, k=3, filters={"region": "Gotland"})
    assert found.passages == [] and found.timings.dense_ms == 0


# --- as a llama-index retriever ---------------------------------------------------------------------------


def test_retrieve_gives_llama_index_nodes_with_the_chunks_metadata(corpus_store, e5_embedder):
    retriever = HybridRetriever(corpus_store, e5_embedder, top_k=3, filters={"region": "Norrbotten"})
    nodes = retriever.retrieve(QUESTION)
    passages = retriever.search(QUESTION, k=3, filters={"region": "Norrbotten"}).passages
    assert [n.node.node_id for n in nodes] == [p.chunk.id for p in passages]
    assert [n.score for n in nodes] == [p.score for p in passages]
    top = nodes[0].node
    assert "112,5 miljoner" in top.get_content()
    assert top.metadata["doc_id"] == "north-sweden-green-deal.txt" and top.metadata["title"]
    assert top.source_node is not None and top.source_node.node_id == "north-sweden-green-deal.txt"


def test_a_llama_index_query_engine_on_the_assistants_retriever_returns_the_cited_passages(chat_assistant):
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.core.response_synthesizers.no_text import NoText

    question = "Vilken kommun är projektägare för SAM?"
    # No LLM anywhere: response_mode="no_text" alone builds NoText without the llm it is given, and NoText
    # then falls back to the default (OpenAI) LLM (run-llama/llama_index#10970), so pass it built.
    no_llm = MockLLM()
    engine = RetrieverQueryEngine.from_args(
        chat_assistant.retriever, llm=no_llm, response_synthesizer=NoText(llm=no_llm)
    )
    response = engine.query(question)
    answer = chat_assistant.ask(question)
    assert answer.answered and answer.citations
    sources = [n.node.node_id for n in response.source_nodes]
    assert sources == [p.chunk.id for p in answer.passages]
    assert {c.passage.chunk.id for c in answer.citations} <= set(sources)
