"""The models page and API after the QA pass: unusable versions listed with the reason, one switch history
for the command line and the web (with "previous" read from the active pointer)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from models.registry import MANIFEST, MODEL_FILE, Registry
from service.commands import models_cmd
from tests import run_commands
from tests.service.conftest import NAMES, auth, make_client, seed_with_second_version
from tests.service.test_pages import login


@pytest.fixture(scope="module")
def seed(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo data directory (90 Vietnamese documents) with two model versions; the first is active."""
    return seed_with_second_version(demo_seed, tmp_path_factory, "models-qa", "bản thứ hai")


@pytest.fixture
def data_dir(seed: tuple[Path, str, str], tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(seed[0], target)
    return target


def _broken_versions(data_dir: Path, second: str) -> tuple[str, str]:
    """A copy of ``second`` whose manifest is not JSON, and ``second`` itself without its model file."""
    root = Registry.open(data_dir).root
    broken = second[:-8] + "0badf00d"
    shutil.copytree(root / second, root / broken)
    (root / broken / MANIFEST).write_text("{ hỏng", encoding="utf-8")
    (root / second / MODEL_FILE).unlink()
    return broken, second


def test_api_and_page_list_unusable_versions_with_the_reason(data_dir, seed) -> None:
    _, first, second = seed
    broken, no_model = _broken_versions(data_dir, second)
    with make_client(data_dir) as client:
        listed = {v["version"]: v for v in client.get("/api/models", headers=auth("reader")).json()["versions"]}
        assert listed[first]["usable"] is True and listed[first]["problem"] is None
        assert listed[broken]["usable"] is False and "manifest" in listed[broken]["problem"]
        assert listed[no_model]["usable"] is False and MODEL_FILE in listed[no_model]["problem"]
        login(client, "admin")
        page = client.get("/models").text
    for version in (broken, no_model):
        assert version in page
        assert f'action="/models/{version}/activate"' not in page  # no "Kích hoạt" for an unusable version
    assert "Không dùng được" in page and "thiếu tệp model.joblib" in page
    assert re.search(r"manifest hỏng", page)


def test_cli_switches_are_in_the_page_history_and_the_audit(data_dir, seed) -> None:
    _, first, second = seed
    assert run_commands((models_cmd,), data_dir, "models", "activate", second) == 0
    assert run_commands((models_cmd,), data_dir, "models", "rollback") == 0
    with make_client(data_dir) as client:
        entries = client.get("/api/audit", headers=auth("admin")).json()["entries"]
        switches = [(e["action"], e["details"]["version"], e["details"]["previous"])
                    for e in entries if e["document_id"] is None]  # fmt: skip
        assert switches[:2] == [("model-rollback", first, second), ("model-activate", second, first)]
        login(client, "admin")
        page = client.get("/models").text
    history = page[page.index("Lịch sử chuyển phiên bản"):]
    assert "Quay lại" in history and second in history and first in history
    assert "None" not in history and "dòng lệnh (CLI)" in history  # QA: a CLI switch's actor read "None"


def test_previous_is_the_pointer_not_the_loaded_model(data_dir, seed) -> None:
    _, first, second = seed
    with make_client(data_dir) as client:
        assert client.post(f"/api/models/{second}/activate", headers=auth("admin")).status_code == 200
        # This worker still serves the second version when the command line rolls back to the first.
        assert run_commands((models_cmd,), data_dir, "models", "rollback") == 0
        body = client.post(f"/api/models/{second}/activate", headers=auth("admin")).json()
        assert body["previous"] == first and body["active"] == second
        entries = client.get("/api/audit", headers=auth("admin")).json()["entries"]
        latest = next(e for e in entries if e["document_id"] is None)
        assert latest["actor"] == NAMES["admin"] and latest["details"] == {"version": second, "previous": first}
        last = Registry.open(data_dir).switches(1)[0]
        assert (last["action"], last["version"], last["previous"]) == ("activate", second, first)
