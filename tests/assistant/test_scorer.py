"""The learned scorer's models: boosted trees score as scikit-learn fitted them, and survive the weights file;
what the confidence model reads."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer import Passage
from assistant.answering.compose import compose
from assistant.answering.features import FEATURES, build_candidates
from assistant.answering.questions import read_question
from assistant.answering.scorer import WEIGHTS_FILE, Trees, confidence_features, load_scorer
from ingest.types import Chunk, DocumentMeta
from regionkunskap.errors import ConfigError


def fitted_trees(rows: np.ndarray, target: np.ndarray) -> list:
    from sklearn.tree import DecisionTreeRegressor

    return [DecisionTreeRegressor(max_depth=d, random_state=d).fit(rows, target + d) for d in (1, 2, 3)]


def test_trees_score_a_row_as_the_sum_of_scikit_learns_predictions_times_the_learning_rate():
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(200, 4))
    trees = fitted_trees(rows, rows[:, 0] * 2 - rows[:, 2] ** 2)
    model = Trees.from_sklearn(("a", "b", "c", "d"), trees, learning_rate=0.1)
    expected = 0.1 * sum(t.predict(rows) for t in trees)
    assert np.allclose(model.score(rows), expected)


def test_trees_read_back_from_json_score_every_row_the_same():
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(300, 3))
    model = Trees.from_sklearn(("a", "b", "c"), fitted_trees(rows, rows.sum(axis=1)), learning_rate=0.5)
    again = Trees.from_json(json.loads(json.dumps(model.to_json())), ("a", "b", "c"))
    assert np.array_equal(model.score(rows), again.score(rows))


def test_the_shipped_weights_rank_over_the_current_features():
    scorer = load_scorer(WEIGHTS_FILE)
    assert scorer.ranker.features == FEATURES
    assert 0.0 < scorer.threshold < 1.0


def test_a_weights_file_with_a_trees_ranker_loads_and_ranks_as_it_was_written(tmp_path):
    rng = np.random.default_rng(2)
    rows = rng.normal(size=(100, len(FEATURES)))
    trees = Trees.from_sklearn(FEATURES, fitted_trees(rows, rows[:, 0]), learning_rate=0.1)
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    data["ranker"] = trees.to_json()
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert np.array_equal(load_scorer(path).ranker.score(rows), trees.score(rows))


def test_weights_learned_for_other_features_name_the_command_that_relearns_them(tmp_path):
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    data["ranker"]["features"] = data["ranker"]["features"][:-1]
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="python -m evals.train_answerer"):
        load_scorer(path)


def negated_question_row(text: str) -> dict[str, float]:
    """The confidence inputs for the fact answer to a negated question from a one-sentence passage."""
    read = read_question("Vad kan operativt arbete inte handla om?")
    meta = DocumentMeta(doc_id="kommunikation", title="Kommunikatör")
    chunk = Chunk(Chunk.make_id("kommunikation", text), "kommunikation", text, (), 0, len(text), None, None, "sv", meta)
    ranked = load_scorer(WEIGHTS_FILE).rank(build_candidates(read, [Passage(chunk=chunk, score=1.0, rank=1)]))
    composed = compose(read, ranked, ranked)
    assert composed is not None
    return confidence_features(read, ranked, composed)


def test_a_negated_question_restated_without_its_negation_is_answered_less_surely():
    restated = negated_question_row("Operativt arbete kan handla om att utforma kampanjer.")
    negated = negated_question_row("Operativt arbete kan inte handla om långsiktiga strategier.")
    assert restated["top_negation_missing"] == 1.0
    assert negated["top_negation_missing"] == 0.0
    confidence = load_scorer(WEIGHTS_FILE).confidence
    assert confidence.weights[confidence.features.index("top_negation_missing")] < 0
