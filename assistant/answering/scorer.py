"""The learned answer scorer: which candidate answers, and how sure we are that the answer is right.

Two small models, both learned from questions written by others (`python -m evals.train_answerer` writes
`weights.json` beside this module):

- the *ranker* scores every candidate sentence of a question: one weight per feature (a conditional logit: a
  softmax over the question's candidates, trained so the sentences holding the answer come first), or, with
  `train_answerer --ranker trees`, boosted regression trees on the same loss (`Trees`), which can weigh a
  feature by the shape of answer asked for. Trees rank an answering unit first more often (for 4 of the
  project set's 9 check-half list questions against 1) but are not the default: measured end to end they
  also lose everyday questions the linear ranker answers (README, "Quality");
- the *confidence* model turns what the ranking looks like — the best score and its margin, how much of the
  question the best sentence and the passages hold, whether words, meaning and retrieval agree on it,
  whether it holds the kind of value asked for, the answer's shape and, for a list, how its items score
  against the best sentence, how many there are and whether its lead-in names what is asked for (and, for
  answers standing on several units, the best sentence's probability and that of every unit quoted, weighed
  apart) — into the probability that the composed answer is right (a logistic regression, so the probability
  is calibrated on held-out data). Of the absolute similarities only the best sentence's e5 closeness to the
  question (`top_e5`, with its gap to the closest sentence) and the best passage's fused retrieval score are
  inputs.

An answer is given when that probability reaches `threshold`, chosen on the tuning data so that confident
wrong answers stay rare; below it the question is declined, and the reason says whether anything in the
store was close at all.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.answering.features import FEATURES, Candidate
from assistant.answering.questions import CONTACT, DEFINITION, FACT, LIST, OVERVIEW, Question
from ingest.swedish.patterns import NEGATION
from regionkunskap.errors import ConfigError

if TYPE_CHECKING:
    from assistant.answering.compose import Composed

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
# A unit counts as quoted by a shaped answer when its text is in the answer's; shorter ones ("Syfte") are
# found in any text.
MIN_QUOTED_CHARS = 20
KINDS = (FACT, LIST, OVERVIEW, CONTACT, DEFINITION)
CONFIDENCE_FEATURES: tuple[str, ...] = (
    "top_score",
    "margin",
    "top_probability",
    "top_lex",
    "top_lex_ctx",
    "top_subject",
    "top_want_missing",
    "top_negation_missing",
    "asks_value",
    "top_holds_value",
    "top_match_edge",
    "top_title_like",
    "top_novel",
    "top_lex_rank",
    "top_e5_rank",
    "top_e5",
    "top_e5_gap",
    "top_passage_rank",
    "top_prev_lex",
    "coverage",
    "best_passage_score",
    *(f"kind_{kind}" for kind in KINDS),
    "list_support_gap",
    "list_items",
    "list_topic",
    "shaped_probability",
    "shaped_mass",
)


@dataclass(frozen=True)
class LinearModel:
    """Standardised features times weights, plus a bias."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float = 0.0

    def score(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "weights": _rounded(self.weights),
            "bias": round(float(self.bias), 6),
        }

    @classmethod
    def from_json(cls, data: dict, expected: Sequence[str]) -> LinearModel:
        _check_features(data, expected)
        return cls(
            tuple(data["features"]),
            np.array(data["mean"]),
            np.array(data["scale"]),
            np.array(data["weights"]),
            float(data.get("bias", 0.0)),
        )


@dataclass(frozen=True)
class Trees:
    """Boosted regression trees: the sum of each tree's leaf value for a row, times the learning rate.

    All trees live in flat arrays (node i: split on `feature[i]` at `threshold[i]`, children `left[i]` and
    `right[i]`; a leaf has feature -1 and holds `value[i]`), so a question's candidates are scored by all trees
    at once, one tree level per step.
    """

    features: tuple[str, ...]
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    learning_rate: float

    def score(self, rows: np.ndarray) -> np.ndarray:
        # Rows rounded to float32, as scikit-learn's trees see them when they are fitted and predict.
        rows = np.asarray(rows, dtype=np.float32).astype(np.float64)
        nodes = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        at = np.arange(len(rows))[:, None]
        while True:
            feature = self.feature[nodes]
            inner = feature >= 0
            if not inner.any():
                break
            go_left = rows[at, np.where(inner, feature, 0)] <= self.threshold[nodes]
            nodes = np.where(inner, np.where(go_left, self.left[nodes], self.right[nodes]), nodes)
        return self.learning_rate * self.value[nodes].sum(axis=1)

    @classmethod
    def from_sklearn(cls, features: Sequence[str], trees: Sequence, learning_rate: float) -> Trees:
        """The fitted `DecisionTreeRegressor`s of a boosting run, in flat arrays."""
        roots, parts, offset = [], [], 0
        for tree in trees:
            t = tree.tree_
            inner = t.children_left >= 0
            roots.append(offset)
            parts.append(
                (
                    np.where(inner, t.feature, -1),
                    np.where(inner, t.threshold, 0.0),
                    np.where(inner, t.children_left + offset, -1),
                    np.where(inner, t.children_right + offset, -1),
                    t.value[:, 0, 0],
                )
            )
            offset += t.node_count
        columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
        return cls(
            tuple(features),
            np.array(roots),
            columns[0].astype(int),
            columns[1].astype(float),
            columns[2].astype(int),
            columns[3].astype(int),
            columns[4],
            learning_rate,
        )

    def to_json(self) -> dict:
        return {
            "type": "trees",
            "features": list(self.features),
            "learning_rate": self.learning_rate,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            # Written in full (Python floats round-trip exactly): read back, the trees score every row the same.
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict, expected: Sequence[str]) -> Trees:
        _check_features(data, expected)
        return cls(
            tuple(data["features"]),
            np.array(data["roots"], dtype=int),
            np.array(data["feature"], dtype=int),
            np.array(data["threshold"], dtype=float),
            np.array(data["left"], dtype=int),
            np.array(data["right"], dtype=int),
            np.array(data["value"], dtype=float),
            float(data["learning_rate"]),
        )


def ranker_from_json(data: dict) -> LinearModel | Trees:
    """The ranker a weights file holds: one weight per feature, or boosted trees."""
    return Trees.from_json(data, FEATURES) if data.get("type") == "trees" else LinearModel.from_json(data, FEATURES)


@dataclass(frozen=True)
class Scorer:
    """The ranker, the confidence model and the threshold between answering and declining."""

    ranker: LinearModel | Trees
    confidence: LinearModel
    threshold: float

    @classmethod
    def untrained(cls) -> Scorer:
        """All weights zero: what `evals.train_answerer` starts from (it never answers on its own)."""

        def zero(names: tuple[str, ...]) -> LinearModel:
            return LinearModel(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)))

        return cls(zero(FEATURES), zero(CONFIDENCE_FEATURES), 1.0)

    def rank(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates with their scores, best first."""
        if not candidates:
            return []
        scores = self.ranker.score(np.vstack([c.vector() for c in candidates]))
        for c, s in zip(candidates, scores, strict=True):
            c.score = float(s)
        return sorted(candidates, key=lambda c: -c.score)

    def probability(self, question: Question, ranked: list[Candidate], composed: Composed) -> float:
        """The probability that the answer `composed` from `ranked` (best first) is right."""
        if not ranked:
            return 0.0
        row = confidence_features(question, ranked, composed)
        logit = float(self.confidence.score(np.array([[row[name] for name in CONFIDENCE_FEATURES]]))[0])
        return 1.0 / (1.0 + math.exp(-logit))

    def to_json(self, **about) -> dict:
        return {
            "version": 1,
            **about,
            "threshold": round(self.threshold, 4),
            "ranker": self.ranker.to_json(),
            "confidence": self.confidence.to_json(),
        }


def confidence_features(question: Question, ranked: list[Candidate], composed: Composed) -> dict[str, float]:
    """What the ranking of one question looks like around the answer's basis (default: the best), and what a
    list answer looks like, for the confidence model."""
    top = composed.basis or ranked[0]
    second = next((c for c in ranked if c is not top and c.text.casefold() != top.text.casefold()), None)
    scores = np.array([c.score for c in ranked])
    probabilities = np.exp(scores - scores.max())
    # Overlapping chunks hold the same sentence twice: both copies are the answer the ranker chose.
    same = np.array([c.text.casefold() == top.text.casefold() for c in ranked])
    chosen = max(probabilities[same].sum(), np.exp(top.score - scores.max()))
    f = top.features
    row = {
        "top_score": top.score,
        "margin": top.score - second.score if second else 5.0,
        "top_probability": float(chosen / probabilities.sum()),
        "top_lex": f["lex"],
        "top_lex_ctx": f["lex_ctx"],
        "top_subject": f["subject"],
        "top_want_missing": f["want_missing"],
        # A negated question restated without its negation is answered in the opposite sense: "Vad kan
        # operativt arbete inte handla om?" by "Operativt arbete kan handla om att utforma kampanjer …".
        "top_negation_missing": float(question.negated and not NEGATION.search(top.text)),
        # A question for a value (an amount, a date …) whose best sentence holds one is answered more surely.
        "asks_value": float(bool(question.wants)),
        "top_holds_value": float(bool(question.wants)) * (1.0 - f["want_missing"]),
        "top_match_edge": f["match_edge"],
        "top_title_like": f["title_like"],
        "top_novel": f["novel"],
        # Whether the words, the meaning and retrieval agree on the best sentence.
        "top_lex_rank": f["lex_ctx_rank"],
        "top_e5_rank": f["e5_rank"],
        # How close in meaning the best sentence is to the question, and how far below the closest sentence.
        "top_e5": f["e5"],
        "top_e5_gap": f["e5_gap"],
        "top_passage_rank": f["passage_rank"],
        "top_prev_lex": f["prev_lex"],
        "coverage": max(c.features["lex_ctx"] for c in ranked),
        "best_passage_score": max(c.features["passage_score"] for c in ranked),
    }
    row.update({f"kind_{k}": float(k == composed.kind) for k in KINDS})
    # A list is as good as its items on average, against the best single sentence; and its lead-in should name
    # what is asked for. Only a list found as a list has a support (a lead-in's list answering a fact has none).
    support = composed.support
    row["list_support_gap"] = support - ranked[0].score if support is not None else 0.0
    row["list_items"] = math.log1p(len(composed.quotes)) if support is not None else 0.0
    row["list_topic"] = f["list_topic"] if support is not None else 0.0
    # A list, an overview or a contact block stands on several units, so the ranker's probability spread over
    # many sentences says less against it than against a fact: its own weight for those shapes.
    shaped = float(composed.kind in (LIST, OVERVIEW, CONTACT))
    row["shaped_probability"] = shaped * row["top_probability"]
    # ... and the probability of every unit it quotes: an overview of four close sentences is surer than any one.
    row["shaped_mass"] = 0.0
    if shaped:
        said = composed.text.casefold()
        quoted = np.array([len(c.text) >= MIN_QUOTED_CHARS and c.text.casefold() in said for c in ranked]) | same
        row["shaped_mass"] = float(probabilities[quoted].sum() / probabilities.sum())
    return row


@lru_cache(maxsize=4)
def load_scorer(path: Path = WEIGHTS_FILE) -> Scorer:
    """The scorer learned by `python -m evals.train_answerer` (read once per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Scorer(
            ranker_from_json(data["ranker"]),
            LinearModel.from_json(data["confidence"], CONFIDENCE_FEATURES),
            float(data["threshold"]),
        )
    except FileNotFoundError:
        raise ConfigError(f"{path}: the answer weights are missing; run `python -m evals.train_answerer`") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: unreadable answer weights ({exc}); run `python -m evals.train_answerer`") from None


def _check_features(data: dict, expected: Sequence[str]) -> None:
    """Weights are only read for the features they were learned on, in the same order."""
    features = tuple(data["features"])
    if features != tuple(expected):
        missing = sorted(set(expected) - set(features)) or sorted(set(features) - set(expected))
        raise ConfigError(
            f"{WEIGHTS_FILE}: the weights were learned for other features ({', '.join(missing)}); "
            "re-run `python -m evals.train_answerer` to learn them for this code"
        )


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]
