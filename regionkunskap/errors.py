"""The error hierarchy: every message names the file or setting and says what to do."""

from __future__ import annotations


class RegionkunskapError(Exception):
    """Base class; the CLI and the chat turn these into one line of output."""


class ConfigError(RegionkunskapError, ValueError):
    """A setting is missing or invalid."""


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
