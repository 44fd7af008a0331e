"""The audit log over the API is read whole, page by page (QA, 2026-11-29: GET /api/audit stopped at 1,000
entries, with no offset and no total)."""

from __future__ import annotations

from tests.service.conftest import auth


def test_the_whole_audit_log_is_read_page_by_page(client) -> None:
    # QA: GET /api/audit stopped at 1,000 entries with no way to the older ones
    seen: list[int] = []
    before = None
    while True:
        params = {"limit": 25, **({"before": before} if before else {})}
        page = client.get("/api/audit", params=params, headers=auth("admin")).json()
        seen += [entry["id"] for entry in page["entries"]]
        before = page["next_before"]
        if before is None:
            break
    assert len(seen) == page["total"] > 25 and seen == sorted(set(seen), reverse=True)
    one = client.get("/api/documents/demo-001/audit", params={"limit": 1}, headers=auth("reader")).json()
    assert one["total"] >= 1 and len(one["entries"]) == 1
