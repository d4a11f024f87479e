"""The optional rerank stage: off by default, a local cross-encoder when configured, clear errors otherwise."""

from __future__ import annotations

import pytest

from assistant.assistant import _reranker_from
from regionkunskap.errors import ConfigError, EmbedderError
from regionkunskap.settings import Settings


def test_no_reranker_by_default():
    assert _reranker_from(Settings()) is None


def test_an_unknown_reranker_spec_names_the_accepted_form():
    with pytest.raises(ConfigError, match="cross-encoder:<local model folder>"):
        _reranker_from(Settings(reranker="colbert:/x"))


def test_a_missing_cross_encoder_folder_is_an_error_not_a_download(tmp_path):
    with pytest.raises(EmbedderError, match="not found"):
        _reranker_from(Settings(reranker=f"cross-encoder:{tmp_path / 'nope'}"))
