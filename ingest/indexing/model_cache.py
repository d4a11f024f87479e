"""Folders built once into the model cache (the e5 conversion, its ONNX exports): locked, atomic, self-describing.

    folder = cached_build(cache_dir / "multilingual-e5-small", marker, write, what="e5-small")

`write(tmp)` fills a temporary sibling folder; the marker file goes in last and the folder is renamed into
place, so an interrupted build never leaves a half-written model that looks finished. Builders in concurrent
processes take turns on a `filelock` lock file (released by the OS when a process dies), and a builder that
waited re-checks the marker, so the work is done once. A folder whose marker differs is rebuilt.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from regionkunskap.errors import EmbedderError

log = logging.getLogger(__name__)

MARKER = "regionkunskap-build.json"
# A build that holds the lock longer than this is stuck (a normal one takes well under two minutes).
LOCK_TIMEOUT_S = 30 * 60


def write_json(path: Path, data: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def is_built(folder: Path, marker: dict) -> bool:
    """Whether `folder` is a finished build of exactly `marker`."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")) == marker
    except (OSError, ValueError):
        return False


def cached_build(target: Path, marker: dict, write: Callable[[Path], None], *, what: str, size_hint: str) -> Path:
    """Return `target`, first building it with `write(tmp_folder)` unless it already holds `marker`.

    Raises EmbedderError when the cache folder cannot be written (naming the space needed and the setting).
    """
    if is_built(target, marker):
        log.debug("reusing %s at %s", what, target)
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(target.parent / f".{target.name}.lock"), timeout=LOCK_TIMEOUT_S)
        try:
            with lock.acquire(timeout=0):
                return _build_unless_built(target, marker, write, what)
        except Timeout:
            log.info("waiting for another process building %s (%s)", what, lock.lock_file)
        with lock:
            return _build_unless_built(target, marker, write, what)
    except Timeout:
        raise EmbedderError(
            f"another process has been building {what} in {target.parent} for over {LOCK_TIMEOUT_S // 60} minutes — "
            f"stop it, or delete {target.parent / ('.' + target.name + '.lock')} if no build is running"
        ) from None
    except OSError as exc:
        raise EmbedderError(
            f"cannot write {what} into {target.parent}: {exc} — free disk space ({size_hint}) "
            "or set REGIONKUNSKAP_MODEL_CACHE to a writable folder"
        ) from exc


def _build_unless_built(target: Path, marker: dict, write: Callable[[Path], None], what: str) -> Path:
    # Another process may have finished the same build while we waited for the lock.
    if is_built(target, marker):
        log.info("reusing %s built by another process at %s", what, target)
        return target
    log.info("building %s into %s (once)", what, target)
    t0 = time.perf_counter()
    # Only the lock holder builds, so any temporary sibling left now is from a build that was killed.
    for leftover in target.parent.glob(f".{target.name}-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write(tmp)
        # The marker goes last: a folder without it is never taken for a finished build.
        write_json(tmp / MARKER, marker)
        _make_readable(tmp)
        _replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("built %s in %.1f s at %s", what, time.perf_counter() - t0, target)
    return target


def _make_readable(folder: Path) -> None:
    """mkdtemp and safetensors create owner-only files; a shared model cache should be world-readable."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`, first moving an outdated `target` aside (rename is atomic, rmtree is not)."""
    if target.exists():
        old = target.with_name(f".{target.name}-old-{new.name}")
        target.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    new.rename(target)
