"""The error hierarchy every stage raises: every message names the file or setting and says what to do.

    RegionkunskapError
    ├── ConfigError (also a ValueError): a setting, a manifest or a filter is wrong
    │   └── DatasetError: an eval set file is malformed
    ├── LoadError: a file could not be read into text
    ├── EmbedderError: the embedding model could not be built or loaded
    ├── StoreError: the store cannot be opened, read or written
    │   ├── EmbedderMismatchError: the store was built with another embedder
    │   ├── ServerUnavailable: the Chroma server is down or stopped answering
    │   └── LeaseHeld: another ingester holds the store's lease
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
        self.path = printable(path)  # a file name may hold a newline; the message stays one line
        self.reason = reason
        self.fix = fix
        super().__init__(f"{self.path}: {reason}" + (f" — {fix}" if fix else ""))

    def __reduce__(self):  # crosses the pipe from the reader process intact
        return (type(self), (self.path, self.reason, self.fix))


class EmbedderError(RegionkunskapError):
    """The embedding model could not be built or loaded."""


class StoreError(RegionkunskapError):
    """The store cannot be opened, read or written."""


class ServerUnavailable(StoreError):
    """The Chroma server is down, or stopped answering within the timeouts."""


class LeaseHeld(StoreError):
    """Another ingester holds the store's lease."""


class EmbedderMismatchError(StoreError):
    """The store was built with a different embedder than the one asked for."""


class QuestionError(RegionkunskapError):
    """The question itself cannot be asked (empty, too long)."""


class FeedbackError(RegionkunskapError):
    """The feedback log cannot be written or read."""


# C0/C1 controls, line and paragraph separators, and bidi overrides: in a file name they could split a one-line
# message or make it read backwards.
_UNPRINTABLE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_UNPRINTABLE |= {c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_UNPRINTABLE |= {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def printable(text: object) -> str:
    """`text` (typically a path) safe to print on one line: control and bidi characters shown as escapes."""
    return str(text).translate(_UNPRINTABLE)
