"""Run a sentence-transformers model on ONNX Runtime: exported once from its folder, fp32 or dynamic int8.

    onnx_file = build_onnx(model_dir, "onnx-int8", cache_dir)     # exported + quantized once, then cached
    encoder = OnnxEncoder(onnx_file, model_dir, threads=1)
    vectors = encoder.encode(["Vad kostar projektet?"], prompt="query: ")

Why not sentence-transformers' own `backend="onnx"`: it loads through `optimum-onnx`, whose only release pins
`transformers<4.58` (we run 5.x) — installing it would silently downgrade the stack. So the export uses
torch's own ONNX exporter (TorchScript mode, no extra packages) and `onnxruntime.quantization`, which need
only `onnxruntime` and `onnx`. Running needs neither torch nor transformers: the folder's `tokenizer.json`
(the `tokenizers` library), one InferenceSession, then the folder's pooling and normalisation in numpy.

The export runs the model's "eager" attention, which ONNX Runtime's transformer optimizer
(`onnxruntime.transformers`) fuses into one Attention operator per layer, with fused embeddings, layer norms
and GELU; PyTorch's default scaled-dot-product attention exports as loose operators that nothing fuses. On this
project's 2-core AVX2 machine the fused int8 model embeds 150-word passages about 1.9× as fast as the unfused one.
int8 is then dynamic quantization of the MatMul/Gather weights, per output channel, with 7-bit weight range
(`reduce_range`: CPUs without VNNI, like this project's AVX2 machines, can overflow with full 8-bit range).
Measured cosine to the torch vectors: mean 0.996, min 0.994 on corpus passages (benchmarks/bench_embedder.py).

Supported folders: Transformer → Pooling (mean or CLS) → optional Normalize, with a `tokenizer.json` — e5-small
and most sentence-transformers models. Anything else is an EmbedderError that says to use the torch backend.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
import warnings
from pathlib import Path

import numpy as np

from regionkunskap.embedder_spec import parse_embedder_spec
from regionkunskap.errors import EmbedderError

from .model_cache import MARKER, cached_build, is_built

log = logging.getLogger(__name__)

BACKENDS = ("onnx", "onnx-int8")
ONNX_FILE = "model.onnx"
OPSET = 17
# Bump when the export or quantization written here changes, so cached exports are rebuilt (and, through
# `vector_format`, stored documents are embedded again on their next ingest: old and new vectors differ slightly).
FORMAT_VERSION = 2
# Padded tokens per batch: bounds the attention scores' memory (batch × 12 heads × length² floats).
MAX_BATCH_TOKENS = 4096
# An export must give the torch model's vectors back (fp32) or nearly so (int8); checked on every build.
MIN_BUILD_COSINE = {"onnx": 0.9999, "onnx-int8": 0.98}
_PROBES = ("Regional utveckling i Norrbotten 2022–2030", "Hur stor är budgeten för projektet?", "Å")


def build_onnx(model_dir: Path, backend: str, cache_dir: Path) -> Path:
    """The ONNX file for `model_dir` at `backend` ("onnx" fp32 or "onnx-int8"), exported on first use.

    Cached as `<cache_dir>/<model folder name>@<backend>/model.onnx` beside the converted model and rebuilt
    when the source folder's build marker (or weights) or this exporter's format changes.
    """
    if backend not in BACKENDS:
        raise EmbedderError(f"unknown ONNX backend {backend!r}; use one of {', '.join(BACKENDS)}")
    model_dir = Path(model_dir)
    spec = read_folder_spec(model_dir)  # fail on unsupported folders before exporting anything
    target = _target(model_dir, backend, cache_dir)
    fp32_export = _target(model_dir, "onnx", cache_dir)

    def write(folder: Path) -> None:
        if backend == "onnx":
            export_onnx(model_dir, folder / "unfused.onnx")
            fuse(folder / "unfused.onnx", folder / ONNX_FILE, model_dir)
            (folder / "unfused.onnx").unlink()
        elif is_built(fp32_export, _marker(model_dir, "onnx")):
            quantize_int8(fp32_export / ONNX_FILE, folder / ONNX_FILE)
        else:  # export into the build folder and drop the fp32 files: int8 users need not keep 470 MB of them
            export_onnx(model_dir, folder / "unfused.onnx")
            fuse(folder / "unfused.onnx", folder / "fp32.onnx", model_dir)
            quantize_int8(folder / "fp32.onnx", folder / ONNX_FILE)
            (folder / "unfused.onnx").unlink()
            (folder / "fp32.onnx").unlink()
        check_export(folder / ONNX_FILE, model_dir, spec, MIN_BUILD_COSINE[backend])

    size = "~120 MB" if backend == "onnx-int8" else "~470 MB"
    what = f"{model_dir.name}@{backend}"
    return cached_build(target, _marker(model_dir, backend), write, what=what, size_hint=size) / ONNX_FILE


def vector_format(spec: str) -> str:
    """What decides the vectors of embedder `spec` besides its weights: the export's format for ONNX, else ''."""
    try:
        backend = parse_embedder_spec(spec).backend
    except ValueError:  # an embedder a caller passes in under a name of its own (tests' fakes)
        return ""
    return f"{backend}/{FORMAT_VERSION}" if backend in BACKENDS else ""


def _target(model_dir: Path, backend: str, cache_dir: Path) -> Path:
    return Path(cache_dir).expanduser() / f"{_folder_name(model_dir)}@{backend}"


def _marker(model_dir: Path, backend: str) -> dict:
    return {"format": FORMAT_VERSION, "backend": backend, "source": _source_identity(model_dir)}


def _folder_name(model_dir: Path) -> str:
    """The converted e5 folder keeps its name; any other folder gets a hash of its path, so two never collide."""
    if (model_dir / MARKER).is_file():
        return model_dir.name
    digest = hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()[:8]
    return f"{model_dir.name}-{digest}"


def _source_identity(model_dir: Path) -> dict:
    """What the export is made from: the converter's marker, else the weights' size and modification time."""
    marker = model_dir / MARKER
    if marker.is_file():
        return json.loads(marker.read_text(encoding="utf-8"))
    weights = sorted(p for p in model_dir.iterdir() if p.suffix in (".safetensors", ".bin"))
    return {
        "path": str(model_dir.resolve()),
        "weights": [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in weights],
    }


# --- the folder's sentence-transformers configuration -------------------------------------------------------


def read_folder_spec(model_dir: Path) -> dict:
    """Pooling, normalisation, prompts and length of a Transformer → Pooling → Normalize folder."""

    def load(name: str, default=None):
        path = model_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default

    modules = [m.get("type", "").rsplit(".", 1)[-1] for m in load("modules.json", [])]
    pooling = load("1_Pooling/config.json", {})
    mode = "cls" if pooling.get("pooling_mode_cls_token") else "mean" if pooling.get("pooling_mode_mean_tokens") else ""
    if modules[:2] != ["Transformer", "Pooling"] or set(modules[2:]) - {"Normalize"} or not mode:
        raise EmbedderError(
            f"{model_dir}: the ONNX backend runs Transformer → mean/CLS Pooling → Normalize models only "
            f"(this one is {' → '.join(modules) or 'not a sentence-transformers folder'}) — use the torch backend"
        )
    if not (model_dir / "tokenizer.json").is_file():
        raise EmbedderError(f"{model_dir}: no tokenizer.json, which the ONNX backend needs — use the torch backend")
    config = load("config_sentence_transformers.json", {})
    st_config = load("sentence_bert_config.json", {})
    return {
        "pooling": mode,
        "normalize": "Normalize" in modules,
        "prompts": {k: v for k, v in (config.get("prompts") or {}).items() if v},
        "max_tokens": int(st_config.get("max_seq_length") or 512),
        "dimension": int(pooling.get("word_embedding_dimension") or load("config.json", {}).get("hidden_size", 0)),
    }


# --- building ---------------------------------------------------------------------------------------------


def export_onnx(model_dir: Path, out_file: Path) -> None:
    """Export the folder's transformer to ONNX (fp32), inputs input_ids and attention_mask, dynamic batch and length."""
    import torch
    from transformers import AutoModel

    from .embedder import quiet_transformers

    t0 = time.perf_counter()
    # sentence-transformers passes these when it loads the folder (e5: no pooler, which BertModel would add at random)
    st_config = model_dir / "sentence_bert_config.json"
    kwargs = json.loads(st_config.read_text(encoding="utf-8")).get("model_kwargs", {}) if st_config.is_file() else {}
    with quiet_transformers():  # eager attention: the graph ONNX Runtime's optimizer fuses (see the module doc)
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager", **kwargs)
    model.eval()

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    dummy = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    # The tracer warns about Python branches on shapes; the check after the build is what proves the export right.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHiddenState(model),
            (dummy, dummy),
            str(out_file),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            opset_version=OPSET,
            dynamo=False,
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        )
    log.info("exported %s to ONNX in %.1f s", model_dir.name, time.perf_counter() - t0)


def fuse(onnx_file: Path, out_file: Path, model_dir: Path) -> None:
    """Fuse attention, embeddings, layer norms and GELU with ONNX Runtime's transformer optimizer (BERT graphs)."""
    from onnxruntime.transformers import optimizer

    t0 = time.perf_counter()
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    with _quiet_root_logger():  # the optimizer logs every fusion pass on the root logger
        model = optimizer.optimize_model(
            str(onnx_file),
            model_type="bert",
            num_heads=int(config.get("num_attention_heads", 0)),
            hidden_size=int(config.get("hidden_size", 0)),
            opt_level=1,
            use_gpu=False,
        )
        fused = model.get_fused_operator_statistics()
        model.save_model_to_file(str(out_file))
    # A graph the optimizer does not recognise still runs, only unfused: worth a line in the log, not a failure.
    log.info(
        "fused %s in %.1f s: %d attention, %d skip-layer-norm operators",
        model_dir.name,
        time.perf_counter() - t0,
        fused.get("Attention", 0),
        fused.get("SkipLayerNormalization", 0),
    )


@contextlib.contextmanager
def _quiet_root_logger():
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def quantize_int8(fp32_file: Path, out_file: Path) -> None:
    """Dynamic int8 quantization: weights per output channel at 7-bit range, activations quantized at run time."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    t0 = time.perf_counter()
    with _quiet_root_logger():  # the quantizer logs hundreds of per-node lines and a generic advice
        quantize_dynamic(
            str(fp32_file),
            str(out_file),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            # Shape inference cannot type the fused operators' outputs (Microsoft domain); they are all float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    log.info("quantized %s to int8 in %.1f s", fp32_file.parent.name, time.perf_counter() - t0)


def check_export(onnx_file: Path, model_dir: Path, spec: dict, min_cosine: float) -> None:
    """Fail the build unless the export embeds a few probes like the torch model does."""
    from sentence_transformers import SentenceTransformer

    from .embedder import quiet_transformers

    with quiet_transformers():
        reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    prompt = spec["prompts"].get("passage", "")
    expected = reference.encode([prompt + t for t in _PROBES], normalize_embeddings=True, show_progress_bar=False)
    got = OnnxEncoder(onnx_file, model_dir, threads=None).encode(list(_PROBES), prompt=prompt, batch_size=4)
    unit = lambda v: v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)  # noqa: E731
    cosine = float((unit(expected) * unit(got)).sum(axis=1).min())
    if cosine < min_cosine:
        raise EmbedderError(
            f"the ONNX export of {model_dir.name} disagrees with the torch model (cosine {cosine:.4f} < {min_cosine}) "
            "— use the torch backend and report this"
        )


# --- running ---------------------------------------------------------------------------------------------


class OnnxEncoder:
    """A sentence-transformers folder's model on ONNX Runtime: tokenizer.json → session → pooling → unit vectors."""

    def __init__(self, onnx_file: Path, model_dir: Path, *, threads: int | None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        spec = read_folder_spec(Path(model_dir))
        self.prompts: dict[str, str] = spec["prompts"]
        self.max_tokens: int = spec["max_tokens"]
        self.dimension: int = spec["dimension"]
        self._pooling, self._normalize = spec["pooling"], spec["normalize"]
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)
        pad = self._tokenizer.padding  # None after no_padding(); the pad id comes from the vocabulary
        self._pad_id = self._tokenizer.token_to_id("<pad>") if pad is None else pad["pad_id"]
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # The memory arena keeps a batch's working memory for the next one: int8 embeds passages ~27% faster with
        # it (benchmarks/bench_embedder.py). What it holds is bounded by MAX_BATCH_TOKENS.
        # Spinning worker threads burn the other core while idle; on a shared 2-core machine that slows everyone.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

    def token_count(self, text: str) -> int:
        """Tokens `text` (prompt included) becomes with special tokens, before truncation."""
        self._tokenizer.no_truncation()
        try:
            return len(self._tokenizer.encode(text).ids)
        finally:
            self._tokenizer.enable_truncation(self.max_tokens)

    def encode(self, texts: list[str], *, prompt: str = "", batch_size: int = 16) -> np.ndarray:
        """Vectors for `texts` with `prompt` prepended, in input order.

        Texts are run longest first, in batches of at most `batch_size` texts and `MAX_BATCH_TOKENS` padded
        tokens: attention here materialises batch × heads × length² scores, so a batch of 16 full-length
        passages would need ~1 GB where 8 need half (and run as fast).
        """
        encodings = self._tokenizer.encode_batch([prompt + text for text in texts])
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        start = 0
        while start < len(order):
            width = len(encodings[order[start]].ids)
            size = max(1, min(batch_size, MAX_BATCH_TOKENS // max(width, 1)))
            batch = order[start : start + size]
            out[batch] = self._encode_batch([encodings[i] for i in batch])
            start += size
        return out

    def _encode_batch(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        if self._pooling == "cls":
            vectors = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            vectors = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        if self._normalize:
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)
