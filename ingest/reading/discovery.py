"""Finding the files to ingest: document ids, manifest entries, and files that are not documents.

A document id is the file's path relative to the folder it was found under (`rapporter/2022.pdf`), or its
name when a single file is given. Ids must stay stable however the path is typed, so an id already in the
catalog for the same file is reused, and a name already taken by *another* file gets its folder as prefix.

A symbolic link inside a folder that points outside it is skipped with a note: ingesting `corpus/` must not
read `/etc/passwd` because someone linked it there. A file named on the command line is taken as given.
Every path in a problem or note is `printable` (a newline in a file name cannot split the message).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.reading.metadata import MANIFEST_NAME, Manifest
from regionkunskap.errors import printable


@dataclass(frozen=True)
class SourceFile:
    """A file found for ingest, with its document id and its manifest entry (None if it has none)."""

    path: Path
    doc_id: str
    entry: dict | None = None


@dataclass
class Discovery:
    """What a set of paths holds: files to ingest, paths to report, manifest entries without a file."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    unmatched_entries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files left out on purpose (links out of the folder)


def absolute(path: Path | str) -> str:
    """An absolute, normalised path that keeps symlinks as given (what the catalog records)."""
    return os.path.abspath(os.path.expanduser(str(path)))


def discover(paths: Iterable[Path], known_paths: Mapping[str, str]) -> Discovery:
    """The files under `paths`; `known_paths` maps the catalog's absolute file paths to their document ids."""
    found = Discovery()
    taken = {doc_id: path for path, doc_id in known_paths.items()}
    seen_paths: set[str] = set()
    for raw in paths:
        root = Path(raw).expanduser()
        if not root.exists():
            found.problems.append((printable(root), "no such file or folder — check the path"))
            continue
        for file, rel, entry in _walk(root, found):
            where = absolute(file)
            if where in seen_paths:
                continue  # the same file reached twice (a folder and a file in it)
            seen_paths.add(where)
            doc_id = known_paths.get(where) or _free_id(rel, root, where, taken)
            if doc_id is None:
                found.problems.append(
                    (printable(file), f"another file already has the id '{printable(rel)}' — rename one of them")
                )
                continue
            taken[doc_id] = where
            found.files.append(SourceFile(file, doc_id, entry))
    return found


def _free_id(rel: str, root: Path, where: str, taken: Mapping[str, str]) -> str | None:
    """`rel`, or `<root folder>/rel` when another file holds `rel` already; None if both are taken."""
    for candidate in (rel, f"{Path(absolute(root)).name}/{rel}"):
        if taken.get(candidate, where) == where:
            return candidate
    return None


def _walk(root: Path, found: Discovery) -> Iterable[tuple[Path, str, dict | None]]:
    """(file, id relative to root, manifest entry) for every document file; notes what is not one."""
    if root.is_file():
        if _named_badly(root, found):
            return
        yield root, root.name, Manifest.load(root.parent).entry_for(root)
        return
    manifests: dict[Path, Manifest] = {}
    matched: set[tuple[Path, str]] = set()
    inside = root.resolve()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root)
        if _ignored(rel) or _named_badly(file, found) or _links_out(file, inside, found):
            continue
        entry = None
        # The nearest manifest with an entry wins: the file's own folder first, then up to the root.
        for folder in _folders_up(file.parent, root):
            manifest = manifests.setdefault(folder, Manifest.load(folder))
            entry = manifest.entry_for(file)
            if entry is not None:
                matched.add((folder, file.relative_to(folder).as_posix()))
                break
        yield file, rel.as_posix(), entry
    for folder, manifest in manifests.items():
        for key in manifest.entries:
            if (folder, key) not in matched and not (folder / key).exists():
                found.unmatched_entries.append(f"{folder / MANIFEST_NAME}: entry '{key}' matches no file")


def _folders_up(folder: Path, root: Path) -> list[Path]:
    out = [folder]
    while folder != root and root in folder.parents:
        folder = folder.parent
        out.append(folder)
    return out


def _ignored(rel: Path) -> bool:
    """Hidden files, the manifest, and editors' lock and backup files are not documents."""
    name = rel.name
    return (
        any(part.startswith(".") for part in rel.parts)
        or name == MANIFEST_NAME
        or name.startswith("~$")  # Word's lock file while a document is open
        or name.endswith("~")
    )


def _links_out(file: Path, inside: Path, found: Discovery) -> bool:
    """A file reached through a symbolic link that leads out of the ingested folder is skipped with a note."""
    target = file.resolve()
    if target == inside or inside in target.parents:
        return False
    found.notes.append(
        f"{printable(file)}: a symbolic link to {printable(target)}, outside the folder — skipped; "
        "copy the file into the folder if it belongs there"
    )
    return True


def _named_badly(path: Path, found: Discovery) -> bool:
    """A file name that is not valid UTF-8 (common in unzipped Windows archives) cannot be shown or stored."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        found.problems.append((shown, "the file name is not valid UTF-8 — rename the file"))
        return True
    return False
