"""Ingest and ask at 1×, 10× and 100× corpus size: this project (torch and ONNX int8) beside the LlamaIndex starter.

Usage: .venv/bin/python benchmarks/bench_scale.py [--sizes 1,10,100] [--systems torch,int8,llamaindex]
                                                 [--questions 60] [--out build/bench-scale] [--plot docs/scale.png]

Corpora (plain .txt, so every system reads the same text):
  1×    corpus/ — the five bundled documents;
  10×   ../shared/data/swequad-mc-train/corpus — 434 Swedish public-authority texts (≈ 10× the words);
  100×  generated into <out>/corpus-100x: sentences of the 1× and 10× texts recombined by a seeded RNG
        (random.Random(100)) into files of 8–20 paragraphs of 3–7 sentences, each headed by a title made of
        words from its first sentence, until the words total 100× the bundled corpus. Every file is distinct
        (checked by hash), so ingest stores all of them (identical files would be stored once).

Systems:
  torch       this project's ingest (`Ingestor`: read, clean, repair, chunk, embed, Chroma + BM25) with
              e5-small on torch, then `Assistant.ask` (hybrid retrieval + extractive answer);
  int8        the same with e5-small@onnx-int8;
  llamaindex  the LlamaIndex starter: SimpleDirectoryReader → SentenceSplitter(1024, 200) →
              VectorStoreIndex on Chroma (PersistentClient), embedding with the *same* e5 model and prompts
              (this project's torch embedder is a llama-index BaseEmbedding); asking = query embedding + top-5
              vector search (the starter's retriever; it has no answer step without an LLM).

Every (size, system) ingests in a fresh child process, then asks in another, so each peak RSS is that
process's own (from wait4, which includes the reader process it reaped; the sampled sum of the process tree
is reported too). Model loading is timed apart from ingest. All figures come from one run of this script,
so compare ratios; the load average before and after every step is recorded (others' work disturbs timings).
Writes <out>/results.json, prints a Markdown table, and draws time and memory against corpus size.
`--merge A/results.json B/results.json` draws and tabulates earlier runs together without running anything
(the 100× run takes hours, so it is run on its own).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ingest.reading.sandbox import process_tree_rss_mb  # noqa: E402

SWEQUAD = REPO.parent / "shared" / "data" / "swequad-mc-train" / "corpus"
EMBEDDERS = {"torch": "e5-small", "int8": "e5-small@onnx-int8"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


# --- corpora -------------------------------------------------------------------------------------------------


def words_in(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt"))


def generate_corpus(out: Path, sources: list[Path], target_words: int, seed: int = 100) -> Path:
    """Distinct Swedish files of recombined real sentences (see the module docstring); reused when present."""
    done = out / ".complete"
    if done.is_file() and json.loads(done.read_text())["target_words"] == target_words:
        return out
    out.mkdir(parents=True, exist_ok=True)
    sentences = [
        s.strip()
        for folder in sources
        for path in sorted(folder.glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        for s in _SENTENCE_END.split(" ".join(paragraph.split()))
        if 5 <= len(s.split()) <= 60
    ]
    rng, total, seen, index = random.Random(seed), 0, set(), 0
    while total < target_words:
        first = rng.choice(sentences)
        title = " ".join(first.split()[: rng.randint(3, 7)]).rstrip(",.:;")
        paragraphs = [
            " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7))) for _ in range(rng.randint(8, 20))
        ]
        text = f"{title}\n\n" + "\n\n".join([first] + paragraphs) + "\n"
        digest = hashlib.sha1(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        (out / f"dokument-{index:05d}.txt").write_text(text, encoding="utf-8")
        total, index = total + len(text.split()), index + 1
    done.write_text(json.dumps({"target_words": target_words, "files": index, "words": total, "seed": seed}))
    return out


def corpora(sizes: list[int], out: Path) -> dict[int, Path]:
    folders = {1: REPO / "corpus", 10: SWEQUAD}
    if 100 in sizes:
        folders[100] = generate_corpus(out / "corpus-100x", [REPO / "corpus", SWEQUAD], 100 * words_in(REPO / "corpus"))
    return {size: folders[size] for size in sizes}


# --- children: one ingest or one ask each -----------------------------------------------------------------------


def child_ingest(system: str, corpus: Path, store: Path) -> dict:
    from regionkunskap.settings import Settings

    settings = Settings(store=store, embedder=EMBEDDERS.get(system, "e5-small"))
    t0 = time.perf_counter()
    from ingest.indexing.embedder import ingest_threads, make_embedder

    # Every system embeds on the threads `regionkunskap ingest` uses (every core unless REGIONKUNSKAP_THREADS).
    embedder = make_embedder(
        settings.embedder,
        settings.model_cache,
        batch_size=settings.embed_batch_size,
        threads=ingest_threads(settings.threads),
    )
    load_s = time.perf_counter() - t0
    if system == "llamaindex":
        chunks, seconds = _llamaindex_ingest(corpus, store, embedder)
    else:
        from ingest.indexing.store import Store
        from ingest.pipeline import Ingestor

        report = Ingestor(
            Store(store),
            embedder_spec=settings.embedder,
            model_cache=settings.model_cache,
            embedder=embedder,
            progress=False,
        ).run([corpus], prune=True)
        assert report.ok, report.skipped[:3]
        chunks, seconds = report.chunks, report.seconds
    return {"model_load_s": load_s, "ingest_s": seconds, "chunks": chunks, "chunks_per_s": chunks / seconds}


def _llamaindex_ingest(corpus: Path, store: Path, embedder) -> tuple[int, float]:
    """The LlamaIndex starter with a persistent Chroma collection."""
    import chromadb
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    t0 = time.perf_counter()
    documents = SimpleDirectoryReader(str(corpus), required_exts=[".txt"]).load_data()
    client = chromadb.PersistentClient(path=str(store / "chroma"))
    collection = client.get_or_create_collection("starter")  # the starter keeps Chroma's defaults
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    VectorStoreIndex.from_documents(
        documents,
        storage_context=storage,
        embed_model=embedder,
        transformations=[SentenceSplitter(chunk_size=1024, chunk_overlap=200)],
    )
    return collection.count(), time.perf_counter() - t0


def child_ask(system: str, store: Path, questions: list[str]) -> dict:
    """Per-stage milliseconds for each question (query-embedding cache cleared before each)."""
    from regionkunskap.settings import Settings

    settings = Settings(store=store, embedder=EMBEDDERS.get(system, "e5-small"))
    from ingest.indexing.embedder import make_embedder

    embedder = make_embedder(settings.embedder, settings.model_cache, threads=settings.threads)
    stages: dict[str, list[float]] = {}
    if system == "llamaindex":
        ask = _llamaindex_asker(store, embedder)
    else:
        from assistant.assistant import Assistant

        assistant = Assistant(settings, embedder=embedder)

        def ask(question: str) -> dict[str, float]:
            assistant.retriever.clear_cache()
            timings = assistant.ask(question).timings_ms
            return {k: timings[k] for k in ("embed", "dense", "bm25", "retrieve", "answer", "total")}

    ask(questions[0])  # warm-up
    for question in questions:
        for stage, ms in ask(question).items():
            stages.setdefault(stage, []).append(ms)
    return {
        stage: {"p50": statistics.median(v), "p95": statistics.quantiles(v, n=20)[18]} for stage, v in stages.items()
    }


def _llamaindex_asker(store: Path, embedder):
    import chromadb
    from llama_index.core.vector_stores.types import VectorStoreQuery
    from llama_index.vector_stores.chroma import ChromaVectorStore

    vector_store = ChromaVectorStore(
        chroma_collection=chromadb.PersistentClient(path=str(store / "chroma")).get_collection("starter")
    )

    def ask(question: str) -> dict[str, float]:
        t0 = time.perf_counter()
        vector = embedder.get_query_embedding(question)
        t1 = time.perf_counter()
        vector_store.query(VectorStoreQuery(query_embedding=vector, similarity_top_k=5))
        t2 = time.perf_counter()
        return {"embed": (t1 - t0) * 1000, "dense": (t2 - t1) * 1000, "total": (t2 - t0) * 1000}

    return ask


# --- the parent: run children, measure, report -------------------------------------------------------------------


def run_child(args: list[str]) -> dict:
    """Run this script as a child; its JSON result plus wall time and peak memory (own, and process tree)."""
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    child = subprocess.Popen([sys.executable, __file__, *args], cwd=REPO, stdout=subprocess.PIPE, text=True)
    tree_peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            tree_peak[0] = max(tree_peak[0], process_tree_rss_mb(child.pid))

    threading.Thread(target=sample, daemon=True).start()
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    done.set()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child {args} failed")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(
        peak_rss_mb=usage.ru_maxrss / 1024,
        tree_peak_mb=tree_peak[0],
        wall_s=time.perf_counter() - started,
        load_avg=[round(load_before, 2), round(os.getloadavg()[0], 2)],
    )
    return result


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def bench(sizes: list[int], systems: list[str], n_questions: int, out: Path) -> dict:
    from evals.dataset import load_dataset

    questions = [q.question for q in load_dataset()][:n_questions]
    (out / "questions.json").write_text(json.dumps(questions, ensure_ascii=False))
    results: dict = {"cores": len(os.sched_getaffinity(0)), "questions": len(questions), "runs": {}}
    for size, corpus in corpora(sizes, out).items():
        words = words_in(corpus)
        for system in systems:
            store = out / f"{size}x-{system}"
            if store.exists():
                subprocess.run(["rm", "-rf", str(store)], check=True)
            print(f"{size}×  {system}: ingest {corpus} ({words:,} words) …", file=sys.stderr, flush=True)
            ingest = run_child(["--child-ingest", system, str(corpus), str(store)])
            print(f"{size}×  {system}: ask …", file=sys.stderr, flush=True)
            ask = run_child(["--child-ask", system, str(store), str(out / "questions.json")])
            results["runs"][f"{size}x/{system}"] = {
                "size": size,
                "system": system,
                "words": words,
                "files": len(list(corpus.glob("*.txt"))),
                "ingest": ingest,
                "ask": ask,
                "store_mb": folder_mb(store),
            }
            (out / "results.json").write_text(json.dumps(results, indent=1))
    return results


def merged(runs: list[dict]) -> dict:
    """Several runs' results as one (a later run's figure for a size and system replaces an earlier one's)."""
    if len({run["cores"] for run in runs}) > 1:
        raise SystemExit("bench_scale: the runs to merge were measured on different core counts; merge like with like")
    results: dict = {"cores": runs[0]["cores"], "questions": runs[0]["questions"], "runs": {}}
    for run in runs:
        results["runs"].update(run["runs"])
    return results


def table(results: dict) -> str:
    lines = [
        "| size | system | files | chunks | ingest s | chunks/s | ingest peak RSS MB "
        "| ask p50 / p95 ms (embed; retrieval) | ask peak RSS MB | store MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"].values():
        i, a = run["ingest"], run["ask"]
        retrieval = a["retrieve"] if "retrieve" in a else a["dense"]
        lines.append(
            f"| {run['size']}× | {run['system']} | {run['files']} | {i['chunks']:,} | {i['ingest_s']:.0f} | "
            f"{i['chunks_per_s']:.1f} | {max(i['peak_rss_mb'], i['tree_peak_mb']):.0f} | "
            f"{a['total']['p50']:.0f} / {a['total']['p95']:.0f} ({a['embed']['p50']:.0f}; {retrieval['p50']:.0f}) | "
            f"{a['peak_rss_mb']:.0f} | {run['store_mb']:.0f} |"
        )
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    systems = sorted({r["system"] for r in results["runs"].values()})
    for system in systems:
        runs = sorted((r for r in results["runs"].values() if r["system"] == system), key=lambda r: r["words"])
        words = [r["words"] for r in runs]
        axes[0].plot(words, [r["ingest"]["ingest_s"] for r in runs], "o-", label=system)
        axes[1].plot(
            words, [max(r["ingest"]["peak_rss_mb"], r["ingest"]["tree_peak_mb"]) for r in runs], "o-", label=system
        )
        axes[2].plot(words, [r["ask"]["total"]["p50"] for r in runs], "o-", label=system)
    for ax, title in zip(axes, ("ingest time (s)", "ingest peak RSS (MB)", "ask p50 (ms)"), strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("corpus size (words)")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
    axes[0].set_yscale("log")
    axes[0].legend()
    fig.suptitle(f"regionkunskap vs LlamaIndex starter, same e5-small model; {results['cores']} cores")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--systems", default="torch,int8,llamaindex")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench-scale")
    parser.add_argument("--plot", type=Path, default=REPO / "docs" / "scale.png")
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="RESULTS",
        help="run nothing: print the table and draw the plot of earlier runs' results.json files together",
    )
    parser.add_argument("--child-ingest", nargs=3, metavar=("SYSTEM", "CORPUS", "STORE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-ask", nargs=3, metavar=("SYSTEM", "STORE", "QUESTIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_ingest:
        system, corpus, store = args.child_ingest
        print(json.dumps(child_ingest(system, Path(corpus), Path(store))))
        return
    if args.child_ask:
        system, store, questions = args.child_ask
        print(json.dumps(child_ask(system, Path(store), json.loads(Path(questions).read_text()))))
        return
    if args.merge:
        results = merged([json.loads(path.read_text()) for path in args.merge])
        print(table(results))
        plot(results, args.plot)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    results = bench([int(s) for s in args.sizes.split(",")], args.systems.split(","), args.questions, args.out)
    print(table(results))
    plot(results, args.plot)
    print(f"\nresults: {args.out / 'results.json'}; plot: {args.plot}", file=sys.stderr)


if __name__ == "__main__":
    main()
