"""Models over HTTP: readiness without a model, listing, activation seen by every worker, rollback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.registry import Registry
from tests.service.conftest import NAMES, assert_problem, auth, make_client, seed_with_second_version
from tests.service.test_pages import login

TEXT = ("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 88/KH-UBND\nSông Mây, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\n"
        "Tiêm chủng vắc xin phòng bệnh sởi cho trẻ em năm 2026\nBảo đảm tỷ lệ tiêm chủng đạt trên 95% tại các "
        "trạm y tế xã, phường; tăng cường giám sát dịch bệnh.")


@pytest.fixture(scope="session")
def trained_seed(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo data directory with two model versions; the first is active."""
    return seed_with_second_version(demo_seed, tmp_path_factory, "trained-seed",
                                    "phiên bản thứ hai (cùng trọng số)")  # fmt: skip


@pytest.fixture
def trained_dir(trained_seed, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(trained_seed[0], target)
    return target


def test_empty_data_dir_starts_and_says_no_model(tmp_path):
    with make_client(tmp_path / "trong") as client:
        response = client.get("/readyz")
        assert response.status_code == 200
        body = response.json()
        assert body["model_version"] is None
        assert body["checks"]["store"] == {"ok": True, "documents": 0}
        assert body["checks"]["index"]["ok"] is True
        model = body["checks"]["model"]
        assert model["active"] is None and "Chưa có mô hình" in model["message"]
        assert client.get("/api/models", headers=auth("reader")).json()["versions"] == []
        # Uploads still work: the type from the header, the field waiting for a clerk.
        response = client.post("/api/documents", json={"text": TEXT}, headers=auth("uploader"))
        assert response.status_code == 201
        assert response.json()["document"]["needs_review"] == ["topic"]


def test_versions_listed_with_metrics(trained_dir, trained_seed):
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        body = client.get("/api/models", headers=auth("reader")).json()
        assert body["active"] == body["loaded"] == first
        versions = {v["version"]: v for v in body["versions"]}
        assert set(versions) == {first, second}
        assert versions[first]["active"] and not versions[second]["active"]
        assert set(versions[first]["labels"]) == {"doc_type", "topic"}
        assert client.get("/readyz").json()["model_version"] == first


def test_upload_tags_come_from_the_model(trained_dir, trained_seed):
    with make_client(trained_dir) as client:
        body = client.post("/api/documents", json={"text": TEXT}, headers=auth("uploader")).json()
        topic = body["tags"]["topic"]
        assert topic["source"] == "model" and topic["label"] == "y-te" and topic["reasons"]
        assert body["tags"]["model_version"] == trained_seed[1]
        label = body["document"]["labels"]["topic"]
        assert label["source"] == "model" and label["model_version"] == trained_seed[1]
        assert 0 < label["confidence"] <= 1


def test_activation_reaches_every_worker_without_restart(trained_dir, trained_seed):
    _, first, second = trained_seed
    # Two applications on one data directory stand for two worker processes.
    with make_client(trained_dir) as worker_a, make_client(trained_dir) as worker_b:
        def version_seen(client):
            return client.post("/api/classify", json={"text": TEXT}, headers=auth("reader")).json()["tags"]["model_version"]

        assert version_seen(worker_a) == version_seen(worker_b) == first
        response = worker_a.post(f"/api/models/{second}/activate", headers=auth("admin"))
        assert response.status_code == 200, response.text
        assert response.json() == {"active": second, "previous": first, "loaded": second, "warnings": []}
        assert version_seen(worker_a) == second
        assert version_seen(worker_b) == second  # noticed the pointer on its next request
        assert worker_b.get("/readyz").json()["model_version"] == second
        back = worker_b.post("/api/models/rollback", headers=auth("admin")).json()
        assert back["active"] == first
        assert version_seen(worker_a) == first
        # Both switches are in the store's audit log with the admin key's name, newest first.
        entries = worker_a.get("/api/audit", headers=auth("admin")).json()["entries"]
        switches = [(e["action"], e["actor"], e["details"]["version"]) for e in entries if e["document_id"] is None]
        assert switches[:2] == [("model-rollback", NAMES["admin"], first), ("model-activate", NAMES["admin"], second)]
        assert_problem(worker_a.get("/api/audit", headers=auth("uploader")), 403, "forbidden")


def test_models_page_rolls_back_and_shows_the_switches(trained_dir, trained_seed):
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        token = login(client, "admin")
        client.post(f"/api/models/{second}/activate", headers=auth("admin"))
        page = client.post("/models/rollback", data={"csrf_token": token}, follow_redirects=True)
        assert page.status_code == 200 and "Lịch sử chuyển phiên bản" in page.text
        assert "Quay lại" in page.text and NAMES["admin"] in page.text
        assert client.get("/api/models", headers=auth("reader")).json()["loaded"] == first
        actions = [e["action"] for e in client.get("/api/audit", headers=auth("admin")).json()["entries"][:2]]
        assert actions == ["model-rollback", "model-activate"]


def test_activation_errors(trained_dir, trained_seed):
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        assert_problem(client.post("/api/models/khong-co/activate", headers=auth("admin")), 404, "model-not-found")
        assert_problem(client.post(f"/api/models/{second}/activate", headers=auth("uploader")), 403, "forbidden")
        assert_problem(client.post(f"/api/models/{second}/activate", headers=auth("reader")), 403, "forbidden")
        # A damaged model is refused before anything is unpickled; the current one keeps serving.
        (trained_dir / "models" / second / "model.joblib").write_bytes(b"hong")
        body = assert_problem(client.post(f"/api/models/{second}/activate", headers=auth("admin")), 409,
                              "incompatible-model")  # fmt: skip
        assert second in body["detail"]
        assert client.get("/api/models", headers=auth("reader")).json()["loaded"] == first
        assert_problem(client.post("/api/models/rollback", headers=auth("admin")), 409, "no-model")


def test_a_worker_loads_the_model_on_first_use(trained_dir, trained_seed):
    first = trained_seed[1]
    with make_client(trained_dir, preload_model=False) as client:
        body = client.get("/readyz").json()
        assert body["model_version"] == first
        assert body["checks"]["model"] == {"ok": True, "active": first, "loaded": False, "error": None}
        tags = client.post("/api/classify", json={"text": TEXT}, headers=auth("reader")).json()["tags"]
        assert tags["model_version"] == first and tags["topic"]["source"] == "model"
        assert client.get("/readyz").json()["checks"]["model"]["loaded"] is True
    with make_client(trained_dir, preload_model=True) as client:
        assert client.get("/readyz").json()["checks"]["model"] == {"ok": True, "active": first, "loaded": True,
                                                                   "error": None}  # fmt: skip


def test_a_damaged_active_model_is_reported_once_a_worker_tries_it(trained_dir, trained_seed):
    first = trained_seed[1]
    (trained_dir / "models" / first / "model.joblib").write_bytes(b"hong")
    with make_client(trained_dir, preload_model=False) as client:
        assert client.get("/readyz").json()["checks"]["model"]["loaded"] is False
        tags = client.post("/api/classify", json={"text": TEXT}, headers=auth("reader")).json()["tags"]
        assert tags["model_version"] is None and tags["topic"]["source"] == "none"
        body = client.get("/readyz").json()
        assert body["status"] == "ready" and body["model_version"] is None
        assert body["checks"]["model"]["ok"] is False and first in body["checks"]["model"]["message"]


def test_make_run_retrains_when_the_active_model_was_made_by_another_version(trained_dir: Path) -> None:
    """After an upgrade that changes the features, `make run` (bootstrap) must not start a service whose
    model cannot be loaded: it trains a current one and activates it; the old version stays listed."""
    import json

    from service.bootstrap import bootstrap_demo

    registry = Registry.open(trained_dir)
    stale = registry.active_version()
    assert stale is not None
    manifest_path = registry.get(stale).path / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for spec in manifest["tasks"].values():
        spec["analyzer"] = "vanban-features-0+old"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    report = bootstrap_demo(trained_dir, cv=0)
    assert report.trained and report.model_version not in (None, stale)
    assert any(stale in note and "cannot be loaded" in note for note in report.notes)
    assert Registry.open(trained_dir).active_version() == report.model_version
    Registry.open(trained_dir).check(report.model_version)


def test_the_switches_stay_listed_after_a_large_import(trained_dir, trained_seed):  # noqa: F811
    from corpus.document import Document
    from service.api.models import switch_history

    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        client.post(f"/api/models/{second}/activate", headers=auth("admin"))
        services = client.app.state.services
        services.store.upsert_many(
            [Document(id=f"nhap-{i}", title=f"Công văn số {i} về việc báo cáo tình hình") for i in range(600)],
            actor="import",
        )  # 600 audit rows after the switch
        assert [h["version"] for h in switch_history(services)][:1] == [second]


def test_the_models_page_says_where_the_data_came_from_in_vietnamese(trained_dir, trained_seed):  # noqa: F811
    with make_client(trained_dir) as client:
        login(client, "admin")
        page = client.get("/models").text
    assert "kho văn bản của dịch vụ" in page and "labelled documents of the service" not in page
