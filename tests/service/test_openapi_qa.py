"""What an integrating system reads in /openapi.json (QA, 2026-11-29): the keys the API takes, and Vietnamese
descriptions where the developers' docstrings stood."""

from __future__ import annotations

import re


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
