"""Learn the answer scorer's weights from questions written by others, and write `weights.json`.

    python -m evals.train_answerer [--swequad ../shared/data/swequad-mc-train] [--work DIR] [--out FILE]

What it learns from (never from the check parts it is judged on):

- the *tuning part* of SweQUAD-MC's training split — 434 Swedish public-authority texts with native
  questions and answer spans, split by document (`evals.parts`): only questions about tuning documents;
- the *odd* ids of the project's own eval set over the bundled corpus (the even ids are the check half);
- negatives for abstention: tuning questions asked of the store without the document that answers them
  (whatever is answered then is wrong), and the project set's unanswerable odd questions.

Both corpora are ingested into stores under `--work` (incrementally: a second run reuses them), retrieval
results are cached there too, so re-running after a change to features or composition takes minutes.

What it fits:

1. the ranker — a conditional logit over each question's candidate sentences (softmax over the candidates,
   maximising the probability of those holding the answer), L2-regularised (the penalty chosen by
   5-fold cross-validation, `choose_l2`), on standardised features; or,
   with `--ranker trees`, boosted regression trees on the same listwise loss (gradient boosting with Newton
   steps), which can weigh a feature differently by the shape of answer asked for;
2. the confidence model — a logistic regression from the ranking's shape to "the composed answer holds
   every fact" (so its probabilities are calibrated), and the threshold where answering is worth it when a
   wrong answer costs `--wrong-cost` right ones. Trees fit their training questions closely, so with them the
   rankings it learns from are out of fold: each question ranked by trees grown without it (`FOLDS`); the report
   gives the tuning figures at that threshold from out-of-fold probabilities.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from assistant.answer import Passage
from assistant.answering.compose import alternatives, lacks_measure, preferred, usable_candidates
from assistant.answering.features import FEATURES, build_candidates
from assistant.answering.questions import Question, read_question
from assistant.answering.scorer import (
    CONFIDENCE_FEATURES,
    WEIGHTS_FILE,
    LinearModel,
    Scorer,
    Trees,
    confidence_features,
)
from evals.dataset import DEFAULT_DATASET, EvalQuestion, load_dataset
from evals.metrics import fact_ok, facts_ok
from evals.parts import document_part, evidence_documents, id_part
from ingest.swedish.language import detect_language
from regionkunskap.settings import Settings

# Passages an answer reads in the chat by default: the weights are learned reading as many.
ANSWER_K: int = Settings.model_fields["answer_k"].default
PROJECT_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DEFAULT_SWEQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "swequad-mc-train"
RANKER = "linear"
# The trees' boosting (`--ranker trees`), chosen on the tuning parts: deeper or more trees fitted the tuning
# questions better and the check questions no better.
TREES = 100
DEPTH = 3
LEARNING_RATE = 0.1
MIN_LEAF = 20  # candidates per leaf
SUBSAMPLE = 0.7  # share of the questions each tree is grown on
FOLDS = 5
# The linear ranker's L2 penalties tried; the one whose rankings of held-out questions put an answering candidate
# first most often is used (`choose_l2`, cross-validated over `FOLDS` folds of the training questions).
RANKER_L2S = (1.0, 0.1, 0.01, 0.001)
CONFIDENCE_C = 1.0
# What a confident wrong answer costs, counted in right answers: an answer is given when its probability of
# being right is at least WRONG_COST / (1 + WRONG_COST). At 1.5 (threshold 0.6) the check parts get about as
# many right answers as the hand-written rules gave, with about 40% fewer wrong ones (README, "Quality").
WRONG_COST = 1.5
NEGATIVES_PER_QUESTION = 0.5  # share of tuning questions also asked without their document


@dataclass
class Example:
    """One question's candidates (features, labels) and what composing an answer from them gives."""

    question: EvalQuestion
    read: Question
    candidates: list
    labels: np.ndarray
    answerable: bool


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings(**{})  # from the environment (REGIONKUNSKAP_*), as the CLI builds it
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    examples = []
    project = [q for q in load_dataset(args.dataset) if id_part(q.id) == "odd"]
    settings = settings.model_copy(update={"answer_k": args.k})
    ingest = not args.no_ingest
    examples += _examples("project", PROJECT_CORPUS, project, settings, work, negatives=False, ingest=ingest)
    if args.swequad:
        swequad = load_dataset(args.swequad / "questions.jsonl")
        documents = evidence_documents(args.swequad / "corpus", swequad)
        tuning = [q for q in swequad if documents[q.id] and document_part(documents[q.id]) == "tuning"]
        examples += _examples(
            "swequad",
            args.swequad / "corpus",
            tuning,
            settings,
            work,
            negatives=True,
            documents=documents,
            ingest=ingest,
        )
    l2, held_out_top1 = args.l2, dict[str, float]()
    if l2 is None and args.ranker == "linear":
        l2, held_out_top1 = choose_l2(examples)
    ranker = fit_ranker(examples, kind=args.ranker, l2=l2 if l2 is not None else RANKER_L2S[0])
    confidence, threshold, report = fit_confidence(examples, ranker, wrong_cost=args.wrong_cost)
    scorer = Scorer(ranker, confidence, threshold)
    about = {
        "trained": date.today().isoformat(),
        "trained_on": {
            "project_odd_ids": len(project),
            "swequad_tuning_questions": sum(1 for e in examples if e.question.id.startswith("sq") and e.answerable),
            "negatives": sum(1 for e in examples if not e.answerable),
            "answer_k": args.k,
        },
        "ranker_l2": l2,
        "held_out_top1_by_l2": held_out_top1,
        "tuning": report,
    }
    args.out.write_text(json.dumps(scorer.to_json(**about), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(about, indent=1))
    print(f"wrote {args.out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals.train_answerer", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--swequad",
        type=Path,
        default=DEFAULT_SWEQUAD if DEFAULT_SWEQUAD.exists() else None,
        help="the SweQUAD-MC folder (corpus/ + questions.jsonl); its tuning part is used",
    )
    p.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="the project's eval set (odd ids are used)")
    p.add_argument(
        "--work",
        type=Path,
        default=Path.home() / ".cache" / "regionkunskap" / "training",
        help="where the training stores and the retrieval cache live",
    )
    p.add_argument("--out", type=Path, default=WEIGHTS_FILE, help="the weights file to write")
    p.add_argument(
        "--k", type=int, default=ANSWER_K, help=f"passages read per question (the chat's answer_k, {ANSWER_K})"
    )
    p.add_argument(
        "--l2", type=float, help="the linear ranker's L2 penalty (default: the best of RANKER_L2S on held-out folds)"
    )
    p.add_argument(
        "--ranker",
        choices=("linear", "trees"),
        default=RANKER,
        help="one weight per feature (the default), or boosted trees (README, Quality: measured, not better yet)",
    )
    p.add_argument(
        "--wrong-cost",
        type=float,
        default=WRONG_COST,
        help="what a wrong answer costs in right answers (sets the threshold)",
    )
    p.add_argument("--no-ingest", action="store_true", help="use the stores under --work as they are")
    return p


# --- examples ------------------------------------------------------------------------------------------------


def _examples(name, corpus, questions, settings, work, *, negatives, ingest, documents=None) -> list[Example]:
    """Candidates and labels for each question, retrieved from a store of `corpus` (cached under `work`)."""
    from assistant.assistant import Assistant

    store_dir = work / f"store-{name}"
    if ingest:
        _ingest(settings.model_copy(update={"store": store_dir}), corpus)
    assistant = Assistant(settings.model_copy(update={"store": store_dir}), scorer=Scorer.untrained())
    k = settings.answer_k
    cache = RetrievalCache(work / f"retrieval-{name}.jsonl", assistant)
    doc_ids = sorted(d.doc_id for d in assistant.store.documents())
    out = []
    rng = random.Random(17)
    for i, q in enumerate(questions):
        out.append(_example(q, cache.passages(q.question, k), assistant, q.answerable))
        if negatives and documents and rng.random() < NEGATIVES_PER_QUESTION:
            others = [d for d in doc_ids if d != documents[q.id]]
            # Asked without its document: mostly no answer is right, but another document may hold it too,
            # so the confidence label is still whether the composed answer holds the question's facts.
            blind = EvalQuestion(f"{q.id}-blind", q.question, answerable=False, facts=q.facts)
            out.append(
                _example(blind, cache.passages(q.question, k, exclude=documents[q.id], within=others), assistant, False)
            )
        if i % 50 == 0:
            print(f"{name}: {i}/{len(questions)} questions", file=sys.stderr)
    cache.save()
    return out


def _example(q: EvalQuestion, passages: list[Passage], assistant, answerable: bool) -> Example:
    read = read_question(q.question, detect_language(q.question))  # as the assistant reads it
    query = assistant.retriever.query_vector(q.question) if assistant.embedder is not None else None
    candidates = build_candidates(read, passages, query_vector=query)
    labels = np.array([float(bool(q.facts) and all(fact_ok(c.text, f) for f in q.facts)) for c in candidates])
    if len(q.facts) > 1 and not labels.any():
        # A list's items, an overview's points: no unit holds every fact, the units holding some are the answer.
        labels = np.array([float(any(fact_ok(c.text, f) for f in q.facts)) for c in candidates])
    return Example(q, read, candidates, labels, answerable)


def _ingest(settings: Settings, corpus: Path) -> None:
    from ingest.pipeline import Ingestor

    Ingestor.from_settings(settings, progress=sys.stderr.isatty()).run([corpus])


class RetrievalCache:
    """Retrieved passages per question, kept in a JSONL file keyed by the store's generation."""

    def __init__(self, path: Path, assistant):
        self.path, self.assistant = path, assistant
        self.chunks = assistant.store.chunks()
        self.generation = str(assistant.store.generation())
        self.entries: dict[str, list[dict]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                if entry.get("generation") == self.generation:
                    self.entries[entry["key"]] = entry["passages"]

    def passages(self, question: str, k: int, *, exclude: str = "", within: list[str] | None = None) -> list[Passage]:
        key = hashlib.sha1(f"{question}\n{exclude}\n{k}".encode()).hexdigest()
        if key not in self.entries:
            filters = {"document": within} if within is not None else None
            found = self.assistant.retriever.search(question, k=k, filters=filters).passages
            self.entries[key] = [
                {"chunk": p.chunk.id, "score": p.score, "dense": p.dense_score, "bm25": p.bm25_score} for p in found
            ]
        return [
            Passage(self.chunks[p["chunk"]], p["score"], i, p["dense"], p["bm25"])
            for i, p in enumerate(self.entries[key], 1)
            if p["chunk"] in self.chunks
        ]

    def save(self) -> None:
        lines = [
            json.dumps({"generation": self.generation, "key": key, "passages": passages})
            for key, passages in self.entries.items()
        ]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- fitting -------------------------------------------------------------------------------------------------


def fit_ranker(examples: list[Example], *, kind: str = RANKER, l2: float = RANKER_L2S[0]) -> LinearModel | Trees:
    """The ranker of `kind` ("linear" or "trees"), fitted to put each question's answering candidates first."""
    return _fit_trees(examples) if kind == "trees" else _fit_linear(examples, l2=l2)


def choose_l2(examples: list[Example], penalties: Sequence[float] = RANKER_L2S) -> tuple[float, dict[str, float]]:
    """The linear ranker's penalty under which rankings of held-out questions most often put an answering
    candidate first (each fold ranked by a ranker fitted without it), with that share for each penalty tried.

    A question and the same question asked without its document share a fold (`_fold`).
    """
    answerable = [e for e in examples if e.candidates and e.labels.any()]
    folds = [_fold(e) for e in answerable]
    shares = {}
    for l2 in penalties:
        hits = []
        for k in range(FOLDS):
            ranker = _fit_linear([e for e, f in zip(answerable, folds, strict=True) if f != k], l2=l2)
            hits += [_first_right(ranker, e) for e, f in zip(answerable, folds, strict=True) if f == k]
        shares[str(l2)] = round(float(np.mean(hits)), 4)
    # Of penalties ranking equally well, the strongest: the simpler model.
    best = max(shares.values())
    return next(l2 for l2 in penalties if shares[str(l2)] == best), shares


def _first_right(ranker: LinearModel, example: Example) -> float:
    """1 if the ranker puts a candidate holding the answer first."""
    scores = ranker.score(np.vstack([c.vector() for c in example.candidates]))
    return float(example.labels[int(np.argmax(scores))])


def _fit_linear(examples: list[Example], *, l2: float = RANKER_L2S[0]) -> LinearModel:
    """A conditional logit over each answerable question's candidates, on standardised features."""
    from scipy.optimize import minimize

    groups = [
        (np.vstack([c.vector() for c in e.candidates]), e.labels.astype(bool))
        for e in examples
        if e.candidates and e.labels.any()
    ]
    rows = np.vstack([x for x, _ in groups])
    mean, scale = rows.mean(0), rows.std(0) + 1e-6
    groups = [((x - mean) / scale, y) for x, y in groups]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * l2 * float(w @ w) * len(groups), l2 * w * len(groups)
        for x, y in groups:
            s = x @ w
            e = np.exp(s - s.max())
            z, p = e.sum(), e[y].sum()
            total -= float(np.log(p / z))
            grad -= (np.where(y, e, 0.0) / p - e / z) @ x
        return total / len(groups), grad / len(groups)

    result = minimize(loss, np.zeros(rows.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return LinearModel(FEATURES, mean, scale, result.x)


def _fit_trees(examples: list[Example], *, trees: int = TREES, seed: int = 0) -> Trees:
    """Boosted trees that rank each answerable question's candidates so those holding the answer come first."""
    from sklearn.tree import DecisionTreeRegressor

    groups = [
        (np.vstack([c.vector() for c in e.candidates]), e.labels) for e in examples if e.candidates and e.labels.any()
    ]
    x = np.vstack([g for g, _ in groups])
    sizes = np.array([len(y) for _, y in groups])
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    target = np.concatenate([y / y.sum() for _, y in groups])  # each question's answer candidates share 1
    scores = np.zeros(len(x))
    rng = np.random.default_rng(seed)
    fitted = []
    for i in range(trees):
        p = np.concatenate([_softmax(scores[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
        gradient, hessian = target - p, np.maximum(p * (1 - p), 1e-6)
        grown_on = np.repeat(rng.random(len(groups)) < SUBSAMPLE, sizes)
        tree = DecisionTreeRegressor(max_depth=DEPTH, min_samples_leaf=MIN_LEAF, random_state=i)
        # A Newton step: the tree fits gradient / hessian, weighted by the hessian.
        tree.fit(x[grown_on], (gradient / hessian)[grown_on], sample_weight=hessian[grown_on])
        scores += LEARNING_RATE * tree.predict(x)
        fitted.append(tree)
    return Trees.from_sklearn(FEATURES, fitted, LEARNING_RATE)


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max())
    return e / e.sum()


def _fold(example: Example) -> int:
    """A question's fold, the same for a question asked with and without its document."""
    return zlib.crc32(example.question.id.removesuffix("-blind").encode()) % FOLDS


def fit_confidence(examples: list[Example], ranker: LinearModel | Trees, *, wrong_cost: float = WRONG_COST):
    """The confidence model and its threshold, and a report of the tuning figures at that threshold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    folds = [_fold(e) for e in examples]
    if isinstance(ranker, Trees):  # trees rank their own training questions too well to learn confidence from
        rankers = [
            replace(Scorer.untrained(), ranker=_fit_trees([e for e, f in zip(examples, folds, strict=True) if f != k]))
            for k in range(FOLDS)
        ]
    else:  # one weight per feature barely fits its training questions better than others
        rankers = [replace(Scorer.untrained(), ranker=ranker)] * FOLDS
    rows, right, answerable, asked, shown = [], [], [], [], []  # shown: each row's composed answer
    for n, (e, fold) in enumerate(zip(examples, folds, strict=True)):
        ranked = rankers[fold].rank(list(e.candidates))
        usable = usable_candidates(e.read, ranked)
        shapes = alternatives(e.read, usable, ranked) if usable and not lacks_measure(e.read, usable) else []
        for composed in shapes:  # every shape the answer may take is a row: the model learns which is right
            row = confidence_features(e.read, usable, composed)
            rows.append([row[name] for name in CONFIDENCE_FEATURES])
            right.append(bool(e.question.facts) and facts_ok(composed.text, e.question.facts))
            answerable.append(e.answerable)
            asked.append(n)
            shown.append(composed)
    x, y = np.array(rows), np.array(right, dtype=int)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    model = LogisticRegression(C=CONFIDENCE_C, max_iter=5000)
    held_out = cross_val_predict(model, (x - mean) / scale, y, cv=5, method="predict_proba")[:, 1]
    threshold = round(wrong_cost / (1 + wrong_cost), 4)  # the probabilities are calibrated: answer when worth it
    model.fit((x - mean) / scale, y)
    confidence = LinearModel(CONFIDENCE_FEATURES, mean, scale, model.coef_[0], float(model.intercept_[0]))
    # Each question is answered in the shape `compose.decide` gives it (`preferred`).
    by_question: dict[int, list[int]] = {}
    for i, n in enumerate(asked):
        by_question.setdefault(n, []).append(i)
    keep = np.array(
        [_given(examples[n].read, rows_of, held_out, shown, threshold) for n, rows_of in by_question.items()], dtype=int
    )
    held_out, y, answerable = held_out[keep], y[keep], [answerable[i] for i in keep]
    answered = held_out >= threshold
    n_answerable = int(np.sum(answerable))
    report = {
        "questions": len(y),
        "answerable": n_answerable,
        "threshold": round(threshold, 4),
        "ranker_top1": round(float(np.mean(y[np.array(answerable)])), 4),
        "fact_accuracy": round(float(np.sum(answered & (y == 1)) / max(n_answerable, 1)), 4),
        "wrong_answer_rate": round(float(np.sum(answered & (y == 0)) / len(y)), 4),
        "negatives_answered": round(
            float(np.mean(answered[~np.array(answerable)])) if n_answerable < len(y) else 0.0, 4
        ),
    }
    return confidence, threshold, report


def _given(read: Question, rows_of: list[int], held_out: np.ndarray, shown: list, threshold: float) -> int:
    """Which of one question's rows (its alternative answers) `compose.decide` would give."""
    given = preferred(read, [(float(held_out[i]), shown[i]) for i in rows_of], threshold)[1]
    return next(i for i in rows_of if shown[i] is given)


if __name__ == "__main__":
    sys.exit(main())
