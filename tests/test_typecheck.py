"""The code base type-checks: mypy, configured in pyproject.toml ([tool.mypy]), reports no error."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def test_mypy_reports_no_errors() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed in this environment (it is in the dev group: make install)")
    # No paths on the command line: the packages are those of [tool.mypy] in pyproject.toml.
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO_ROOT / "pyproject.toml")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode != 0:
        pytest.fail(f"mypy found errors (exit {run.returncode}):\n{run.stdout}{run.stderr}", pytrace=False)
