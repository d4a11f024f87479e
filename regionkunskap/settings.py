"""The one settings object. Built once at the edge (CLI, chat, evals) and passed down explicitly.

Every field can be set by an environment variable with the prefix ``REGIONKUNSKAP_`` (for example
``REGIONKUNSKAP_STORE=/data/rk``) or by the matching command-line option.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from regionkunskap.embedder_spec import DEFAULT_EMBEDDER, parse_embedder_spec

# How passages are found: dense vectors, BM25 over the Swedish analyser, or both fused.
RetrievalMode = Literal["hybrid", "dense", "bm25"]
RETRIEVAL_MODES: tuple[RetrievalMode, ...] = get_args(RetrievalMode)


# A store's name on a Chroma server; it becomes part of a Chroma database name.
NAMESPACE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")


def _default_store() -> Path:
    return Path.home() / ".local" / "share" / "regionkunskap"


def _default_model_cache() -> Path:
    return Path.home() / ".cache" / "regionkunskap" / "models"


class Settings(BaseSettings):
    """Configuration for ingest, retrieval, answers and the chat."""

    model_config = SettingsConfigDict(env_prefix="REGIONKUNSKAP_", extra="forbid")

    # --- store -------------------------------------------------------------------------------
    store: Path = Field(default_factory=_default_store, description="Data directory (Chroma, BM25, manifest).")
    chroma_url: str | None = Field(
        None, description="Use a Chroma server (http://host:port) instead of the embedded store."
    )
    collection: str = Field("regionkunskap", description="Chroma collection name.")
    namespace: str | None = Field(
        None,
        description="The store's name on a Chroma server (default: the store folder's name); "
        "processes with the same server and namespace serve one store.",
    )
    chroma_connect_timeout: float = Field(
        5.0, gt=0, le=600, description="Seconds to wait for the Chroma server to accept a connection."
    )
    chroma_read_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds to wait for the Chroma server to answer a call."
    )
    lease_expiry: float = Field(
        60.0,
        ge=5,
        le=3600,
        description="Seconds after which an ingest lease its holder stopped renewing is taken over.",
    )
    follow_interval: float = Field(
        1.0, ge=0, le=600, description="Seconds between checks of a running chat for a newer store."
    )

    # --- embedding ---------------------------------------------------------------------------
    embedder: str = Field(
        DEFAULT_EMBEDDER,
        description="'e5-small[@onnx|@onnx-int8]', 'sentence-transformers:<name-or-path>[@backend]' or 'hash:<dim>'.",
    )
    model_cache: Path = Field(default_factory=_default_model_cache, description="Where converted models are cached.")
    embed_batch_size: int = Field(16, ge=1, le=512)
    threads: int | None = Field(
        None,
        ge=1,
        description="Embedding CPU threads (default, measured: all cores to ingest; 1 for ONNX queries, all for torch)",
    )

    # --- ingest ------------------------------------------------------------------------------
    corpus: Path = Field(Path("corpus"), description="The bundled corpus folder (with manifest.toml).")
    chunk_words: int = Field(160, ge=30, le=400, description="Target chunk size in words.")
    chunk_overlap_words: int = Field(30, ge=0, le=200, description="Overlap between consecutive chunks in words.")

    # --- reading limits (per file; a file over one is refused with the limit named) --------------
    max_file_mb: float = Field(50, gt=0, description="Larger files are refused before any parser reads them.")
    max_unpacked_mb: float = Field(100, gt=0, description="A .docx whose parts unpack to more is refused (zip bombs).")
    max_elements: int = Field(100_000, ge=1, description="Paragraphs + table cells in a .docx, pages in a PDF.")
    max_pdf_stream_mb: float = Field(75, gt=0, description="A PDF stream that inflates past this is a bomb.")
    max_text_chars: int = Field(5_000_000, ge=1000, description="Characters of text in one file (≈ 1,500 pages).")
    max_line_chars: int = Field(100_000, ge=100, description="Characters on one line of a file's text.")
    read_timeout_s: float = Field(120, gt=0, description="Seconds to read, clean, repair and chunk one file.")
    read_memory_mb: int = Field(1536, ge=256, description="Memory the reader process may add for one file.")

    # --- retrieval and answers ----------------------------------------------------------------
    retrieval: RetrievalMode = Field("hybrid", description="'hybrid', 'dense' or 'bm25'.")
    bm25_weight: float = Field(
        0.7, ge=0.0, le=1.0, description="Weight of BM25 in hybrid fusion (dense gets the rest)."
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages shown with an answer.")
    answer_k: int = Field(
        8, ge=1, le=50, description="Best passages an answer is composed from (the weights are learned at this k)."
    )
    candidates: int = Field(40, ge=5, le=500, description="Candidates each retriever contributes before fusion.")
    reranker: str | None = Field(
        None, description="Optional 'cross-encoder:<local path>' rerank stage; none by default."
    )
    max_question_chars: int = Field(500, ge=20, le=5000, description="Longer questions are refused.")

    # --- chat ----------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Chat server address; 127.0.0.1 keeps it on this machine.")
    port: int = Field(7860, ge=1, le=65535, description="Chat server port.")
    auth: str | None = Field(None, description="Optional basic auth for the chat, 'user:password'.")
    max_queue: int = Field(32, ge=1, le=1000, description="Questions waiting at most; more are refused.")
    feedback_log: Path | None = Field(None, description="Feedback JSONL file (default: <store>/feedback.jsonl).")

    @field_validator("auth")
    @classmethod
    def _check_auth(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        user, sep, password = v.partition(":")
        if not sep or not user or not password:
            raise ValueError("auth must look like 'user:password'")
        return v

    @property
    def feedback_path(self) -> Path:
        return self.feedback_log or self.store / "feedback.jsonl"

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"chroma_url must start with http:// or https:// (got {v!r}); e.g. http://127.0.0.1:8000")
        return v.rstrip("/")

    @field_validator("namespace")
    @classmethod
    def _check_namespace(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not NAMESPACE_PATTERN.fullmatch(v):
            raise ValueError(f"namespace {v!r} must be 1-60 letters, digits, '-' or '_' (e.g. team-norr)")
        return v

    @field_validator("embedder")
    @classmethod
    def _check_embedder(cls, v: str) -> str:
        return parse_embedder_spec(v).name  # the canonical spelling is what the store records
