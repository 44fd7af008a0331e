"""The JSON bodies /openapi.json describes (service.api.schemas) are the ones the API answers.

(a) /openapi.json names a schema for each JSON route's success, the error problems still beside it; (b) real
answers over the demo data directory (real Vietnamese documents) and a real upload validate against those
schemas with unknown keys refused and every field without a default required: a key added to or dropped
from a ``to_dict`` without the schema fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from pydantic import BaseModel

from corpus.errors import StoreError
from corpus.store import Store
from service.api import schemas
from tests.service.conftest import auth, make_client
from tests.service.test_api_models import TEXT, trained_dir, trained_seed  # noqa: F401  (fixtures)

UPLOADED = "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt"
# A demo document that cites one stored document and one the store lacks, and is cited by two.
CITING = "demo-008"

# (method, path, status of success, the schema documented for it)
ROUTES: tuple[tuple[str, str, str, type[BaseModel]], ...] = (
    ("get", "/api/search", "200", schemas.SearchResponse),
    ("post", "/api/documents", "201", schemas.UploadResult),
    ("post", "/api/classify", "200", schemas.ClassifyResult),
    ("get", "/api/documents/{doc_id}", "200", schemas.DocumentDetail),
    ("patch", "/api/documents/{doc_id}", "200", schemas.CorrectedDocument),
    ("get", "/api/documents/{doc_id}/related", "200", schemas.RelatedDocuments),
    ("get", "/api/documents/{doc_id}/audit", "200", schemas.DocumentAuditPage),
    ("get", "/api/audit", "200", schemas.AuditPage),
    ("get", "/api/review", "200", schemas.ReviewList),
    ("get", "/api/models", "200", schemas.ModelsStatus),
    ("get", "/api/models/compare", "200", schemas.ModelComparison),
    ("post", "/api/models/{version}/activate", "200", schemas.ActivationResult),
    ("post", "/api/models/rollback", "200", schemas.RollbackResult),
    ("get", "/healthz", "200", schemas.Liveness),
    ("get", "/readyz", "200", schemas.Readiness),
    ("get", "/readyz", "503", schemas.Readiness),
)


def conforms(response: Response, model: type[BaseModel], status: int = 200) -> Any:
    """The answer, validated against its documented schema: strict types, no key the schema lacks."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return model.model_validate_json(response.content, strict=True, extra="forbid")


def upload_fixture(client, fixtures_dir) -> Response:
    path = fixtures_dir / UPLOADED
    return client.post("/api/documents", files={"file": (path.name, path.read_bytes(), "text/plain")},
                       headers=auth("uploader"))  # fmt: skip


# -- (a) the OpenAPI document --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with make_client(tmp_path_factory.mktemp("openapi") / "data") as client:
        return client.get("/openapi.json").json()


@pytest.mark.parametrize(
    ("method", "path", "status", "model"), ROUTES, ids=[f"{m} {p} {s}" for m, p, s, _ in ROUTES]
)
def test_each_json_route_names_its_schema(spec, method, path, status, model) -> None:
    response = spec["paths"][path][method]["responses"][status]
    # Exactly the model: not merged with the "any object" of the handler's dict annotation.
    assert response["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{model.__name__}"
    }
    assert response["description"]
    component = spec["components"]["schemas"][model.__name__]
    assert set(component["properties"]) == set(model.model_fields)
    if path.startswith("/api/"):  # the problems each route documented are still there
        assert "application/problem+json" in spec["paths"][path][method]["responses"]["401"]["content"]


def test_search_schema_has_hits_total_facets_and_highlights(spec) -> None:
    components = spec["components"]["schemas"]
    search = components["SearchResponse"]
    assert {"hits", "total", "facets", "took_ms"} <= set(search["required"])
    assert "relaxed" not in search["required"]  # present only when the answer is a relaxed one
    hit = components["SearchHit"]
    assert hit["properties"]["highlights"] == {
        "$ref": "#/components/schemas/Highlights",
        "description": "Từ khớp được đánh dấu",
    }
    assert set(components["SearchFacets"]["properties"]) == {"doc_type", "topic", "issuer", "year", "status"}
    proposal = components["TagProposal"]["properties"]
    assert {"label", "confidence", "source", "reasons", "top_k"} <= set(proposal)
    assert set(components["AuditPage"]["properties"]) == {"total", "entries", "next_before"}


@pytest.mark.parametrize(
    ("path", "media_types"),
    [
        ("/api/documents/{doc_id}/file", {"*/*"}),
        ("/api/export", {"application/x-ndjson", "text/csv"}),
        ("/api/backup", {"application/gzip"}),
    ],
)
def test_file_routes_are_documented_as_files(spec, path, media_types) -> None:
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == media_types
    assert all(entry["schema"] == {"type": "string", "format": "binary"} for entry in content.values())


def test_every_documented_field_is_described(spec) -> None:
    models = {
        name: schema for name, schema in spec["components"]["schemas"].items() if hasattr(schemas, name)
    }
    assert len(models) >= 30
    undescribed = [f"{name}.{field}" for name, schema in models.items()
                   for field, prop in schema["properties"].items() if not prop.get("description")]  # fmt: skip
    assert undescribed == []


# -- (b) real answers validate against the schemas -----------------------------------------------------------


def test_documents_search_review_and_audit_answers_match_their_schemas(client, fixtures_dir) -> None:
    reader = auth("reader")
    # No model in the demo directory: the type from the header, the field waiting for a clerk.
    uploaded = conforms(upload_fixture(client, fixtures_dir), schemas.UploadResult, 201)
    doc = uploaded.document
    assert doc.number == "5973/UBND-KT" and doc.file is not None and doc.file.filename == UPLOADED
    assert uploaded.tags.doc_type.reasons and uploaded.tags.topic.label is None and uploaded.needs_review

    detail = conforms(client.get(f"/api/documents/{doc.id}", headers=reader), schemas.DocumentDetail)
    assert detail.labels["doc_type"].source == "header" and detail.needs_review == ["topic"]
    imported = conforms(client.get(f"/api/documents/{CITING}", headers=reader), schemas.DocumentDetail)
    assert imported.file is None and imported.labels

    related = conforms(
        client.get(f"/api/documents/{CITING}/related", headers=reader), schemas.RelatedDocuments
    )
    assert related.cites and related.unresolved and related.cited_by
    # similar documents (a short text lists only those scoring a quarter of its own score): the first demo
    # document that has some
    with_similar = (
        conforms(client.get(f"/api/documents/demo-{i:03d}/related", headers=reader), schemas.RelatedDocuments)
        for i in range(1, 91)
    )
    assert any(r.similar for r in with_similar)

    classified = conforms(
        client.post("/api/classify", json={"text": TEXT}, headers=reader), schemas.ClassifyResult
    )
    assert classified.header.number == "88/KH-UBND" and classified.format == "text"
    again = client.post("/api/classify", files={"file": (UPLOADED, (fixtures_dir / UPLOADED).read_bytes())},
                        headers=reader)  # fmt: skip
    assert conforms(again, schemas.ClassifyResult).duplicates[0].id == doc.id

    found = conforms(client.get("/api/search", params={"q": "phòng chống thiên tai", "sort": "relevance"},
                                headers=reader), schemas.SearchResponse)  # fmt: skip
    assert found.total >= 1 and found.facets.doc_type and found.facets.year
    assert any("<mark>" in fragment for hit in found.hits for fragment in hit.highlights.text)
    filtered = client.get("/api/search", params={"q": "*", "type": "cong-van", "sort": "date", "limit": 5},
                          headers=reader)  # fmt: skip
    assert all(hit.score is None for hit in conforms(filtered, schemas.SearchResponse).hits)
    relaxed = conforms(client.get("/api/search", params={"q": "lịch tiếp công dân hiệp hội"}, headers=reader),
                       schemas.SearchResponse)  # fmt: skip
    assert relaxed.relaxed and relaxed.hits

    queue = conforms(client.get("/api/review", headers=reader), schemas.ReviewList)
    assert queue.total >= 1 and queue.items[0].classification is not None

    fixes = {"number": imported.number, "topic": "y-te", "issued_date": "ngày 11 tháng 6 năm 2026",
             "recipients": ["Sở Tài nguyên và Môi trường", "Lưu: VT"]}  # fmt: skip
    corrected = conforms(client.patch(f"/api/documents/{doc.id}", json=fixes, headers=auth("uploader")),
                         schemas.CorrectedDocument)  # fmt: skip
    assert corrected.warnings and corrected.duplicates[0].id == CITING
    assert corrected.labels["recipients"].source == "human" and corrected.issued_date is not None

    page = conforms(client.get(f"/api/documents/{doc.id}/audit", params={"limit": 1}, headers=reader),
                    schemas.DocumentAuditPage)  # fmt: skip
    assert page.total >= 2 and page.next_before is not None and page.entries[0].document_id == doc.id
    everything = conforms(
        client.get("/api/audit", params={"limit": 3}, headers=auth("admin")), schemas.AuditPage
    )
    assert everything.total > 90 and len(everything.entries) == 3


def test_health_and_models_without_a_model_match_their_schemas(client, monkeypatch) -> None:
    assert conforms(client.get("/healthz"), schemas.Liveness).status == "ok"
    ready = conforms(client.get("/readyz"), schemas.Readiness)
    assert ready.checks.model.message and not ready.checks.model.ok
    listed = conforms(client.get("/api/models", headers=auth("reader")), schemas.ModelsStatus)
    assert listed.versions == [] and listed.active is None

    def unreadable(self: Store) -> int:
        raise StoreError("database disk image is malformed")

    monkeypatch.setattr(Store, "count", unreadable)
    unready = conforms(client.get("/readyz"), schemas.Readiness, 503)
    assert unready.status == "unavailable" and unready.checks.store.error


def test_models_answers_match_their_schemas(trained_dir, trained_seed) -> None:  # noqa: F811
    _, first, second = trained_seed
    with make_client(trained_dir) as client:
        reader, admin = auth("reader"), auth("admin")
        listed = conforms(client.get("/api/models", headers=reader), schemas.ModelsStatus)
        assert {v.version for v in listed.versions} == {first, second} and listed.loaded == first
        ready = conforms(client.get("/readyz"), schemas.Readiness)
        assert ready.model_version == first and ready.checks.model.loaded

        # With a model: the proposals carry a confidence, reasons and the likeliest labels.
        classified = conforms(
            client.post("/api/classify", json={"text": TEXT}, headers=reader), schemas.ClassifyResult
        )
        topic = classified.tags.topic
        assert topic.source == "model" and topic.confidence is not None and topic.reasons and topic.top_k
        uploaded = conforms(client.post("/api/documents", json={"text": TEXT}, headers=auth("uploader")),
                            schemas.UploadResult, 201)  # fmt: skip
        assert uploaded.document.labels["topic"].model_version == first

        compared = client.get(
            "/api/models/compare", params={"base": first, "candidate": second}, headers=reader
        )
        comparison = conforms(compared, schemas.ModelComparison)
        assert {t.task for t in comparison.tasks} == {"doc_type", "topic"}

        activated = conforms(
            client.post(f"/api/models/{second}/activate", headers=admin), schemas.ActivationResult
        )
        assert (activated.active, activated.previous) == (second, first)
        rolled_back = conforms(client.post("/api/models/rollback", headers=admin), schemas.RollbackResult)
        assert (rolled_back.active, rolled_back.previous) == (first, second)
        switches = conforms(client.get("/api/audit", params={"limit": 2}, headers=admin), schemas.AuditPage)
        assert [e.action for e in switches.entries] == ["model-rollback", "model-activate"]
        assert all(e.document_id is None for e in switches.entries)
    with make_client(trained_dir, preload_model=False) as lazy:  # the active model not loaded yet
        waiting = conforms(lazy.get("/readyz"), schemas.Readiness).checks.model
        assert waiting.ok and waiting.loaded is False
