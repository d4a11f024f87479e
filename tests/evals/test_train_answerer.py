"""What `python -m evals.train_answerer` learns, on questions small enough to read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answering.features import FEATURES
from evals.dataset import EvalQuestion
from evals.train_answerer import Example, choose_l2, fit_ranker


@dataclass
class Unit:
    """A candidate as the trainer sees it: its feature vector."""

    row: np.ndarray

    def vector(self) -> np.ndarray:
        return self.row


def question(qid: str, rng: np.random.Generator) -> Example:
    """Ten candidates. Feature 2 is the question's shape, the same for all its candidates; which candidate
    answers depends on it (the most of feature 0 for one shape, of feature 3 for the other), as a list
    question is answered by other units than a fact question."""
    rows = rng.normal(size=(10, len(FEATURES)))
    shape = float(rng.random() < 0.5)
    rows[:, 2] = shape
    decisive = rows[:, 0] if shape else rows[:, 3]
    labels = (decisive == decisive.max()).astype(float)
    return Example(EvalQuestion(qid, "?", facts=("x",)), None, [Unit(r) for r in rows], labels, True)


def first_right(ranker, questions: list[Example]) -> float:
    return float(
        np.mean([e.labels[np.argmax(ranker.score(np.vstack([c.vector() for c in e.candidates])))] for e in questions])
    )


def test_trees_learn_what_answers_a_question_of_each_shape_which_one_weight_per_feature_cannot():
    rng = np.random.default_rng(3)
    seen = [question(f"t-{i}", rng) for i in range(300)]
    unseen = [question(f"c-{i}", rng) for i in range(100)]
    # Chance is one in ten; one weight per feature can serve only one of the two shapes.
    assert first_right(fit_ranker(seen, kind="trees"), unseen) >= 0.7
    assert first_right(fit_ranker(seen, kind="linear"), unseen) < 0.6


def test_the_linear_rankers_penalty_is_chosen_by_how_well_it_ranks_questions_it_was_not_fitted_on():
    rng = np.random.default_rng(3)
    examples = [question(f"t-{i}", rng) for i in range(120)]
    l2, shares = choose_l2(examples, penalties=(1.0, 0.01))

    assert set(shares) == {"1.0", "0.01"} and all(0.0 <= share <= 1.0 for share in shares.values())
    assert shares[str(l2)] == max(shares.values())
