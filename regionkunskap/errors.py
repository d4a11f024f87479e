"""The error hierarchy every stage raises: every message names the file or setting and says what to do.

    RegionkunskapError
    ├── ConfigError (also a ValueError): a setting, a manifest or a filter is wrong
    │   └── DatasetError: an eval set file is malformed
    ├── LoadError: a file could not be read into text
    ├── EmbedderError: the embedding model could not be built or loaded
    ├── StoreError: the store cannot be opened, read or written
    │   └── EmbedderMismatchError: the store was built with another embedder
    ├── QuestionError: the question itself cannot be asked
    └── FeedbackError: the chat's feedback log cannot be written or read

Only the two edges turn them into output: the CLI (`assistant.cli`, one line and an exit code) and the
chat (`assistant.chat.app`, a message in Swedish).
"""

from __future__ import annotations


class RegionkunskapError(Exception):
    """Base class; the CLI and the chat turn these into one line of output."""


class ConfigError(RegionkunskapError, ValueError):
    """A setting is missing or invalid."""


class DatasetError(ConfigError):
    """An eval set file is malformed; the message names the file and line."""


class LoadError(RegionkunskapError):
    """A file could not be read into text (corrupt, encrypted, empty, unknown format…)."""

    def __init__(self, path, reason: str, fix: str = ""):
        self.path = str(path)
        self.reason = reason
        self.fix = fix
        super().__init__(f"{self.path}: {reason}" + (f" — {fix}" if fix else ""))


class EmbedderError(RegionkunskapError):
    """The embedding model could not be built or loaded."""


class StoreError(RegionkunskapError):
    """The store cannot be opened, read or written."""


class EmbedderMismatchError(StoreError):
    """The store was built with a different embedder than the one asked for."""


class QuestionError(RegionkunskapError):
    """The question itself cannot be asked (empty, too long)."""


class FeedbackError(RegionkunskapError):
    """The feedback log cannot be written or read."""
