"""The Assistant: question → Answer with citations. The CLI, the chat and the eval runner all use it.

    assistant = Assistant(Settings())
    answer = assistant.ask("Hur stor är budgeten för North Sweden Green Deal?")
    print(answer.text, [c.quote for c in answer.citations])

Loading costs seconds (the embedding model); asking costs milliseconds. Build one Assistant per process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence

from assistant.answer import Answer, Passage
from assistant.answering.compose import compose_answer
from assistant.answering.followup import resolve_followup
from assistant.answering.scorer import Scorer, load_scorer
from assistant.retrieval.hybrid import HybridRetriever, Reranker, resolve_filters
from ingest.cleaning.clean import normalize_unicode
from ingest.indexing.store import Store
from ingest.swedish.language import detect_language
from regionkunskap.errors import ConfigError, QuestionError
from regionkunskap.settings import Settings


class Assistant:
    """Answers Swedish (and English) questions from the store, citing the passages it used."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        embedder=None,
        reranker: Reranker | None = None,
        scorer: Scorer | None = None,
    ):
        started = time.perf_counter()
        self.settings = settings
        self.store = store or Store.from_settings(settings)
        built = self.store.embedder
        if built is None or not self.store.documents():
            raise self.store.empty_error()
        if "embedder" in settings.model_fields_set:  # asked for explicitly: it must be the one that built the store
            self.store.check_embedder(settings.embedder)
        if embedder is None and settings.retrieval != "bm25":
            from ingest.indexing.embedder import make_embedder

            embedder = make_embedder(built.name, settings.model_cache, threads=settings.threads)
        self.embedder = embedder
        self.reranker = reranker or _reranker_from(settings)
        self.scorer = scorer or load_scorer()
        self.retriever = self._retriever()
        self._refresh_lock = threading.Lock()
        self._warm_up()
        self.load_ms = (time.perf_counter() - started) * 1000

    def _retriever(self) -> HybridRetriever:
        s = self.settings
        return HybridRetriever(
            self.store,
            self.embedder,
            mode=s.retrieval,
            bm25_weight=s.bm25_weight,
            candidates=s.candidates,
            reranker=self.reranker,
            top_k=s.top_k,
        )

    def _follow_store(self) -> None:
        """Serve what the last committed ingest left (a running chat sees new documents within seconds).

        The store checks its generation at most every `follow_interval` seconds and reloads after an ingest
        commits, never mid-ingest; then the retriever is rebuilt over the new chunks and BM25 index.
        """
        with self._refresh_lock:
            if not self.store.refresh():
                return
            if self.store.embedder is not None and self.embedder is not None:
                self.store.check_embedder(self.embedder.name)
            self.retriever = self._retriever()

    def _warm_up(self) -> None:
        """Pay one-off costs now (BM25 index, analyser lexicon, first forward pass), not on the first question."""
        self.retriever.search("regional utveckling", k=1)

    def ask(
        self,
        question: str,
        *,
        history: Sequence[str] = (),
        filters: Mapping[str, object] | None = None,
        k: int | None = None,
    ) -> Answer:
        """Answer `question`; `history` holds earlier questions of the conversation, oldest first.

        The answer reads the `answer_k` best passages and lists the `top_k` best with it (the settings); `k`
        only changes how many passages are listed (an eval at k=10 sees deeper passages, and answers as staff
        see it).
        """
        question = self._check(question)
        resolve_filters(self.store, filters)  # a bad filter is an error before anything is read
        self._follow_store()
        started = time.perf_counter()
        language = detect_language(question)
        t_retrieve = time.perf_counter()
        resolved = resolve_followup(question, history)
        top_k, answer_k = self.settings.top_k, self.settings.answer_k
        found = self.retriever.search(resolved, k=max(answer_k, k or top_k), filters=filters)
        passages = found.passages
        t_answer = time.perf_counter()
        query = self.retriever.query_vector(resolved) if self.embedder is not None else None
        decision = compose_answer(
            resolved,
            passages[:answer_k],
            language=language,
            scorer=self.scorer,
            query_vector=query,
            document=lambda doc_id: self._document_passages(doc_id, passages),
            documents=self._all_documents,
        )
        done = time.perf_counter()
        return Answer(
            question=question,
            answered=decision.answered,
            text=decision.text,
            language=language,
            citations=decision.citations,
            passages=passages[: k or top_k],
            question_type=decision.asked,
            conflict=decision.conflict,
            resolved_question=resolved,
            kind=decision.kind,
            decline_reason=decision.decline_reason,
            confidence=decision.confidence,
            timings_ms={
                "language": (t_retrieve - started) * 1000,
                "embed": found.timings.embed_ms,
                "dense": found.timings.dense_ms,
                "bm25": found.timings.bm25_ms,
                "rerank": found.timings.rerank_ms,
                "retrieve": (t_answer - t_retrieve) * 1000,
                "answer": (done - t_answer) * 1000,
                "total": (done - started) * 1000,
            },
        )

    def _document_passages(self, doc_id: str, retrieved: Sequence[Passage]) -> list[Passage]:
        """All chunks of a document as passages, in its order; a retrieved one keeps its score and rank."""
        known = {p.chunk.id: p for p in retrieved}
        chunks = sorted((c for c in self.store.chunks().values() if c.doc_id == doc_id), key=lambda c: c.start)
        return [known.get(c.id) or Passage(c, 0.0, 0) for c in chunks]

    def _all_documents(self) -> list[list[Passage]]:
        """Every document's chunks as passages, each in its order."""
        by_doc: dict[str, list] = {}
        for chunk in self.store.chunks().values():
            by_doc.setdefault(chunk.doc_id, []).append(chunk)
        return [[Passage(c, 0.0, 0) for c in sorted(chunks, key=lambda c: c.start)] for chunks in by_doc.values()]

    def _check(self, question: str) -> str:
        # Read like documents are: NFC (text pasted from macOS or PDFs often has å/ä/ö decomposed, which no
        # stem matches), without zero-width, bidi and control characters or terminal escapes.
        question = " ".join(normalize_unicode(question or "").split())
        if not question:
            raise QuestionError("the question is empty; write a question, e.g. 'Vem äger projektet SAM?'")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question is {len(question)} characters; the limit is {self.settings.max_question_chars} "
                "(REGIONKUNSKAP_MAX_QUESTION_CHARS) — ask something shorter"
            )
        return question


def _reranker_from(settings: Settings) -> Reranker | None:
    if not settings.reranker:
        return None
    kind, _, path = settings.reranker.partition(":")
    if kind != "cross-encoder" or not path:
        raise ConfigError(f"reranker {settings.reranker!r} is unknown; use 'cross-encoder:<local model folder>'")
    from assistant.retrieval.rerank import CrossEncoderReranker

    return CrossEncoderReranker(path)
