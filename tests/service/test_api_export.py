"""``GET /api/export``: an administrator downloads a backup that imports back as it was."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

from corpus.store import Store
from service.cli import main
from tests.service.conftest import assert_problem, auth


def test_an_admin_downloads_every_document_and_it_imports_back(client: TestClient, data_dir: Path, tmp_path: Path) -> None:
    response = client.get("/api/export", headers=auth("admin"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert 'attachment; filename="vanban-' in response.headers["content-disposition"]
    records = [json.loads(line) for line in response.text.splitlines()]
    with Store.open(data_dir) as store:
        assert [r["id"] for r in records] == store.ids()
    assert any("ủy ban nhân dân" in (r["issuer"] or "").lower() for r in records)
    assert not list(data_dir.glob(".export-*"))  # the temporary file is gone once sent
    backup = tmp_path / "sao-luu.jsonl"
    backup.write_text(response.text, encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "moi"), "import", str(backup), "--quiet", "--no-tag"]) == 0
    again = client.get("/api/export", headers=auth("admin"))
    assert again.text == response.text


def test_filters_and_csv(client: TestClient) -> None:
    plans = client.get("/api/export", params={"type": "KH", "format": "csv"}, headers=auth("admin"))
    assert plans.status_code == 200 and plans.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(plans.text.lstrip("\ufeff"), newline="")))
    assert rows and {row["doc_type"] for row in rows} == {"ke-hoach"}
    assert all(row["title"].lower().startswith("kế hoạch") or row["number"] for row in rows)


def test_readers_and_bad_values_are_refused(client: TestClient) -> None:
    assert client.get("/api/export", headers=auth("reader")).status_code == 403
    assert_problem(client.get("/api/export", params={"topic": "không có"}, headers=auth("admin")), 422, "invalid-query")
    assert client.get("/api/export", params={"format": "xlsx"}, headers=auth("admin")).status_code == 422


def test_an_unknown_format_is_told_in_vietnamese(client: TestClient) -> None:
    body = assert_problem(client.get("/api/export", params={"format": "xml"}, headers=auth("admin")), 422,
                          "invalid-request")  # fmt: skip
    assert body["errors"] == [{"field": "format", "message": "không thuộc các giá trị cho phép ('jsonl' hoặc 'csv')"}]
