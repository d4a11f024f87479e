"""The reliability suite: crashes (kill -9) at every write step and at random moments, two stores on one real
Chroma server, the team set-up, readers following writers, a frozen or killed server, concurrent questions.

Everything here is marked `reliability` (and `slow`: it starts servers and processes); `make test` runs it.
`REGIONKUNSKAP_RELIABILITY_FULL=1` makes the random parts longer (more random kill points).

Hostile input files (size and element limits, decompression bombs) have their own module here, owned with the
readers' limits (`ingest/reading/`); the helpers below are shared.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest

from regionkunskap.embedder_spec import DEFAULT_EMBEDDER

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CLI = Path(sys.executable).with_name("regionkunskap")
FULL = os.environ.get("REGIONKUNSKAP_RELIABILITY_FULL") == "1"

# The crash tests' child code (crash_ingest.py) is imported by name, here and in forked children.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.reliability)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def forkserver():
    """A multiprocessing context whose children fork from a server with the ingest code already imported."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["crash_ingest"])
    # Python 3.11's fork server ignores the parent's sys.path when preloading: hand it over in the environment.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), saved) if p)
    try:
        import crash_ingest

        warm = ctx.Process(target=crash_ingest.ready)
        warm.start()
        warm.join()
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    return ctx


def cli_env(**settings: str) -> dict[str, str]:
    """The environment for a `regionkunskap` child process: this one's, offline, plus REGIONKUNSKAP_* settings.

    The embedder is named (the default, as the `default_embedder` fixture loads it) unless `embedder` is given,
    so a store the test builds in this process and the command's embedder always agree.
    """
    store_keys = {f"REGIONKUNSKAP_{k}" for k in ("STORE", "CHROMA_URL", "NAMESPACE", "COLLECTION")}
    env = {k: v for k, v in os.environ.items() if k not in store_keys}  # keeps e.g. the model cache
    env.update({"HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", "REGIONKUNSKAP_EMBEDDER": DEFAULT_EMBEDDER})
    for key, value in settings.items():
        env[f"REGIONKUNSKAP_{key.upper()}"] = str(value)
    return env


@pytest.fixture(scope="session")
def ingest_here(default_embedder):
    """ingest_here(store, paths): an ingest in this process with the default embedder, the one `cli_env` names."""
    from ingest.pipeline import Ingestor

    def run(store, paths: list[Path]):
        return Ingestor(
            store,
            embedder_spec=default_embedder.name,
            model_cache=Path("unused"),
            embedder=default_embedder,
            progress=False,
        ).run(paths)

    return run


@pytest.fixture(scope="session")
def regionkunskap_cli():
    """(path of the `regionkunskap` command, env builder) for tests that run it as separate processes."""
    return CLI, cli_env
