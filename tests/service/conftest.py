"""Fixtures of the service tests: a demo data directory built once, copied for each test; keyed clients."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.bootstrap import bootstrap_demo
from service.settings import Settings

KEYS = {
    "admin": "khoa-quan-tri-0123456789abcdef",
    "uploader": "khoa-van-thu-0123456789abcdef",
    "reader": "khoa-tra-cuu-0123456789abcdef",
}
NAMES = {"admin": "an.quantri", "uploader": "chi.vanthu", "reader": "binh.tracuu"}
API_KEYS = ",".join(f"{NAMES[role]}:{role}:{key}" for role, key in KEYS.items())


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


@pytest.fixture(scope="session")
def demo_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus imported and indexed (no model): built once, never written by a test."""
    path = tmp_path_factory.mktemp("demo-seed")
    report = bootstrap_demo(path, train=False)
    assert report.documents == 90 and report.indexed == 90
    return path


def writable_copy(seed: Path, tmp_path: Path) -> Path:
    """A copy of a session- or module-built data directory (never written) that one test may write."""
    target = tmp_path / "data"
    shutil.copytree(seed, target)
    return target


@pytest.fixture
def data_dir(demo_seed: Path, tmp_path: Path) -> Path:
    return writable_copy(demo_seed, tmp_path)


def make_client(data_dir: Path, **settings: object) -> TestClient:
    values: dict[str, object] = {"data_dir": data_dir, "api_keys": API_KEYS, "model_poll_s": 0.0}
    values.update(settings)
    return TestClient(create_app(Settings(**values)))


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with make_client(data_dir) as test_client:
        yield test_client


def assert_problem(response, status: int, code: str) -> dict:
    """The response is an RFC 9457 problem with a Vietnamese title and detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"] and body["detail"]
    return body


def seed_with_second_version(
    demo_seed: Path, tmp_path_factory: pytest.TempPathFactory, name: str, description: str,
    tasks: tuple[str, ...] | None = None,
) -> tuple[Path, str, str]:
    """A copy of the demo data directory with the default model trained and active, and a second version
    saved from the same pipelines (only ``tasks`` of them when given): (data dir, first, second)."""
    from corpus.store import Store
    from models.registry import Registry
    from service.models_adapter import train_default

    path = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(demo_seed, path)
    with Store.open(path) as store:
        first = train_default(store, path, activate=True, cv=0)
    registry = Registry.open(path)
    manifest, pipelines = registry.load_pipelines(first)
    kept = {k: v for k, v in manifest.items()
            if k not in ("format_version", "version", "created", "git_sha", "versions", "files")}  # fmt: skip
    if tasks is not None:
        kept["tasks"] = {task: manifest["tasks"][task] for task in tasks}
        pipelines = {task: pipelines[task] for task in tasks}
    second = registry.save(pipelines, {**kept, "description": description})
    return path, first, second


def seed_with_topic_model(demo_seed: Path, target: Path, titles: dict[str, list[str]]) -> Path:
    """A copy of the demo data directory at ``target`` with a topic-only model of another taxonomy active,
    trained on ``titles`` (field label → a few titles of it): seconds, for tests of a researcher's fields."""
    from models.data import LabelledDoc
    from models.registry import Registry
    from models.train import train_docs

    shutil.copytree(demo_seed, target)
    docs = [LabelledDoc(id=f"khac-{i}-{j}", title=title, text=title, topic=label)
            for i, (label, group) in enumerate(titles.items()) for j, title in enumerate(group)]  # fmt: skip
    train_docs(docs, Registry.open(target), tasks=("topic",), cv=0, activate=True, actor="kiem-thu")
    return target
