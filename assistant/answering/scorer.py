"""The learned answer scorer: which candidate answers, and how sure we are that the answer is right.

Two small linear models, both learned from questions written by others (`python -m evals.train_answerer`
writes `weights.json` beside this module):

- the *ranker* scores every candidate sentence of a question (a conditional logit: a softmax over the
  question's candidates, trained so the sentences holding the answer come first);
- the *confidence* model turns what the ranking looks like — the best score and its margin, how much of the
  question the best sentence and the passages hold, whether words, meaning and retrieval agree on it,
  whether it holds the kind of value asked for, the answer's shape — into the probability that the composed
  answer is right (a logistic regression, so the probability is calibrated on held-out data). Absolute
  similarities (e5 cosines, dense scores) are left out: their level differs from corpus to corpus, and with
  them the model carried worse to documents it was not trained on (check-part AUC 0.77 against 0.81).

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

import numpy as np

from assistant.answering.features import FEATURES, Candidate
from assistant.answering.questions import CONTACT, DEFINITION, FACT, LIST, OVERVIEW, Question
from regionkunskap.errors import ConfigError

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
KINDS = (FACT, LIST, OVERVIEW, CONTACT, DEFINITION)
CONFIDENCE_FEATURES: tuple[str, ...] = (
    "top_score",
    "margin",
    "top_probability",
    "top_lex",
    "top_lex_ctx",
    "top_subject",
    "top_want_missing",
    "asks_value",
    "top_holds_value",
    "top_match_edge",
    "top_title_like",
    "top_novel",
    "top_lex_rank",
    "top_e5_rank",
    "top_passage_rank",
    "top_prev_lex",
    "coverage",
    "best_passage_score",
    *(f"kind_{kind}" for kind in KINDS),
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
        features = tuple(data["features"])
        if features != tuple(expected):
            missing = sorted(set(expected) - set(features)) or sorted(set(features) - set(expected))
            raise ConfigError(
                f"{WEIGHTS_FILE}: the weights were learned for other features ({', '.join(missing)}); "
                "re-run `python -m evals.train_answerer` to learn them for this code"
            )
        return cls(
            features,
            np.array(data["mean"]),
            np.array(data["scale"]),
            np.array(data["weights"]),
            float(data.get("bias", 0.0)),
        )


@dataclass(frozen=True)
class Scorer:
    """The ranker, the confidence model and the threshold between answering and declining."""

    ranker: LinearModel
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

    def probability(self, question: Question, ranked: list[Candidate], kind: str) -> float:
        """The probability that an answer of `kind` built on `ranked` (best first) is right."""
        if not ranked:
            return 0.0
        row = confidence_features(question, ranked, kind)
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


def confidence_features(question: Question, ranked: list[Candidate], kind: str) -> dict[str, float]:
    """What the ranking of one question looks like, for the confidence model."""
    top = ranked[0]
    second = next((c for c in ranked[1:] if c.text.casefold() != top.text.casefold()), None)
    scores = np.array([c.score for c in ranked])
    probabilities = np.exp(scores - scores.max())
    f = top.features
    row = {
        "top_score": top.score,
        "margin": top.score - second.score if second else 5.0,
        "top_probability": float(probabilities[0] / probabilities.sum()),
        "top_lex": f["lex"],
        "top_lex_ctx": f["lex_ctx"],
        "top_subject": f["subject"],
        "top_want_missing": f["want_missing"],
        # A question for a value (an amount, a date …) whose best sentence holds one is answered more surely.
        "asks_value": float(bool(question.wants)),
        "top_holds_value": float(bool(question.wants)) * (1.0 - f["want_missing"]),
        "top_match_edge": f["match_edge"],
        "top_title_like": f["title_like"],
        "top_novel": f["novel"],
        # Whether the words, the meaning and retrieval agree on the best sentence.
        "top_lex_rank": f["lex_ctx_rank"],
        "top_e5_rank": f["e5_rank"],
        "top_passage_rank": f["passage_rank"],
        "top_prev_lex": f["prev_lex"],
        "coverage": max(c.features["lex_ctx"] for c in ranked),
        "best_passage_score": max(c.features["passage_score"] for c in ranked),
    }
    row.update({f"kind_{k}": float(k == kind) for k in KINDS})
    return row


@lru_cache(maxsize=4)
def load_scorer(path: Path = WEIGHTS_FILE) -> Scorer:
    """The scorer learned by `python -m evals.train_answerer` (read once per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Scorer(
            LinearModel.from_json(data["ranker"], FEATURES),
            LinearModel.from_json(data["confidence"], CONFIDENCE_FEATURES),
            float(data["threshold"]),
        )
    except FileNotFoundError:
        raise ConfigError(f"{path}: the answer weights are missing; run `python -m evals.train_answerer`") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: unreadable answer weights ({exc}); run `python -m evals.train_answerer`") from None


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]
