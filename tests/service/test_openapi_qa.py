"""What an integrating system reads (QA, 2026-11-29): in /openapi.json the keys the API takes and Vietnamese
descriptions where the developers' docstrings stood; in a 422, what was wrong with a body that is not JSON."""

from __future__ import annotations

import re

from tests.service.conftest import assert_problem, auth


def test_the_spec_declares_the_bearer_keys_on_every_api_route(client) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["khoaApi"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["khoaApi"]["description"],
    }  # fmt: skip
    api = [(path, op) for path, ops in spec["paths"].items() if path.startswith("/api/") for op in ops.values()]
    assert api and all(op["security"] == [{"khoaApi": []}] for _, op in api)
    assert all("security" not in op for path, ops in spec["paths"].items() if not path.startswith("/api/")
               for op in ops.values())  # fmt: skip


def test_no_route_is_described_in_english(client) -> None:
    spec = client.get("/openapi.json").json()
    english = [f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method, op in ops.items()
               if re.search(r"\b(the|and|with|when|of)\b", op.get("description") or "")]  # fmt: skip
    assert english == []


def test_a_body_that_is_not_json_is_said_so_not_named_as_a_field(client) -> None:
    response = client.patch("/api/documents/demo-001", content=b'{"topic": "y-te",',
                            headers={**auth("uploader"), "content-type": "application/json"})  # fmt: skip
    body = assert_problem(response, 422, "invalid-request")
    assert body["errors"] == [{"field": "body", "message": "JSON không hợp lệ (hỏng ở ký tự thứ 17)"}]
