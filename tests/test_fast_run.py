"""`make test-fast` loads no model: in a "not slow" run, a test that imports torch fails and says to mark it slow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

PROBE = """
def test_loads_a_model():
    import torch  # noqa: F401


def test_loads_nothing():
    pass
"""


def test_a_fast_run_fails_the_test_that_imports_torch(tmp_path):
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    # tests/conftest.py as a plugin, so the probe runs under the suite's own guard.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "conftest",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow",
            "test_probe.py",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(TESTS)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0, done.stdout
    assert "test_loads_a_model" in done.stdout and "mark it slow" in done.stdout
    assert "2 passed, 1 error" in done.stdout  # the other test is untouched; the guard fails at teardown
