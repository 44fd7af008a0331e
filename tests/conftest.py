"""Shared fixtures: the location of ../shared/data and small real Vietnamese inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """Where the shared corpora live: $VANBAN_SHARED_DATA, else ``<repo>/../shared/data``."""
    env = os.environ.get("VANBAN_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "README.md").is_file():
        pytest.fail(
            f"shared data not found at {path}: these tests read the real corpora by path. "
            "Put the shared/ folder beside the repository or set VANBAN_SHARED_DATA=/path/to/shared/data.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def fixtures_dir(shared_data: Path) -> Path:
    return shared_data / "fixtures"


@pytest.fixture(scope="session")
def demo_documents() -> list:
    """The project's own demo corpus (corpus/demo/documents.jsonl) as parsed documents."""
    import json

    from corpus.import_rows import parse_record

    docs = []
    path = REPO_ROOT / "corpus" / "demo" / "documents.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        doc, problems = parse_record(json.loads(line))
        assert doc is not None, problems
        docs.append(doc)
    return docs
