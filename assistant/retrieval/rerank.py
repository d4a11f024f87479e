"""Optional rerank stage: a cross-encoder the user has on disk reorders the fused candidates.

None ships with the project (no Swedish cross-encoder is available offline here); set
REGIONKUNSKAP_RERANKER=cross-encoder:/path/to/model to use one. It is loaded offline only.
"""

from __future__ import annotations

from pathlib import Path

from assistant.answer import Passage
from regionkunskap.errors import EmbedderError


class CrossEncoderReranker:
    """Scores (question, passage) pairs with a sentence-transformers CrossEncoder from a local folder."""

    def __init__(self, path: str | Path, *, max_passages: int = 30):
        folder = Path(path).expanduser()
        if not (folder / "config.json").is_file():
            raise EmbedderError(
                f"reranker model {folder} not found (no config.json); put a cross-encoder folder there "
                "or unset REGIONKUNSKAP_RERANKER"
            )
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(str(folder), local_files_only=True)
        self.max_passages = max_passages

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        """The first `max_passages` passages reordered by cross-encoder score; the rest keep their order."""
        head, tail = passages[: self.max_passages], passages[self.max_passages :]
        scores = self.model.predict([(question, p.chunk.embed_text) for p in head])
        for passage, score in zip(head, scores, strict=True):
            passage.score = float(score)
        return sorted(head, key=lambda p: -p.score) + tail
