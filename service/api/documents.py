"""Documents over HTTP: upload, read, related, original file, correct, delete, classify, review queue."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from corpus.document import FIELD_MAX_CHARS
from corpus.search_filters import filed_status
from nlp.typed_dates import TypedDateError, check_issued_date, parse_typed_date
from service import documents as docs
from service.api import schemas
from service.api.schemas import described, shaped_as
from service.deps import Admin, Reader, ServicesDep, Uploader
from service.problems import Problem, documented
from service.related import related_documents
from service.uploads import read_upload_input

router = APIRouter(prefix="/api", tags=["văn bản"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".docx, .pdf có lớp văn bản, .txt"},
                        "doc_type": {"type": "string"},
                        "topic": {"type": "string"},
                        "number": {"type": "string"},
                        "issuer": {"type": "string"},
                        "issued_date": {"type": "string", "description": "2022-03-05, 5/3/2022, ngày 5 tháng 3 năm 2022…"},
                        "title": {"type": "string"},
                    },
                    "required": ["file"],
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}, "doc_type": {"type": "string"}, "topic": {"type": "string"}},
                    "required": ["text"],
                }
            },
        },
    }
}


class Corrections(BaseModel):
    """Fields a clerk corrects; each becomes a human label with the key's name and the time."""

    model_config = ConfigDict(extra="forbid")

    number: str | None = Field(None, max_length=FIELD_MAX_CHARS["number"])
    doc_type: str | None = Field(None, max_length=FIELD_MAX_CHARS["doc_type"], description="slug, mã (QĐ) hoặc tên loại văn bản")
    topic: str | None = Field(None, max_length=FIELD_MAX_CHARS["topic"], description="mã lĩnh vực (y-te…) hoặc tên")
    issuer: str | None = Field(None, max_length=FIELD_MAX_CHARS["issuer"])
    parent: str | None = Field(None, max_length=FIELD_MAX_CHARS["parent"])
    place: str | None = Field(None, max_length=FIELD_MAX_CHARS["place"])
    # Read as the pages read it (nlp.typed_dates), not as pydantic's ISO date: "05/03/2022" and "ngày 5 tháng 3
    # năm 2024" are what clerks type (QA); the answer gives it back as ISO.
    issued_date: str | None = Field(None, max_length=40, description="2022-03-05, 5/3/2022, 5-3-2022, 5.3.2022 "
                                    "hoặc “ngày 5 tháng 3 năm 2022”; từ 02/09/1945 đến một năm sau hôm nay")
    title: str | None = Field(None, max_length=FIELD_MAX_CHARS["title"])
    signer: str | None = Field(None, max_length=FIELD_MAX_CHARS["signer"])
    status: str | None = Field(None, max_length=FIELD_MAX_CHARS["status"])
    recipients: list[str] | None = None
    text: str | None = None
    source_url: str | None = Field(None, max_length=2000)


def _force(value: str | None) -> bool:
    """``?force=``: true or false in the usual spellings; anything else is a 422 rather than a silent false
    (QA: ``force=maybe`` filed nothing and said only that the document exists)."""
    word = (value or "").strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("", "0", "false", "no", "off"):
        return False
    raise Problem("invalid-request", f"Tham số force không hiểu được: “{value}”; dùng true hoặc false.",
                  errors=[{"field": "force", "message": "phải là true hoặc false"}])  # fmt: skip


@router.post("/documents", status_code=201, summary="Tải lên và lưu một văn bản", openapi_extra=_UPLOAD_BODY,
             description=("Đọc tệp (.docx, .doc, .pdf có lớp văn bản, .txt) hoặc nội dung dán vào, đọc phần đầu văn bản "
                          "(số ký hiệu, cơ quan, ngày, loại, trích yếu, người ký), đề xuất loại và lĩnh vực, lưu và lập "
                          "chỉ mục: tìm được ngay. 409 khi kho đã có văn bản cùng số ký hiệu của cùng cơ quan (gửi lại "
                          "với force=true để vẫn lưu)."),
             response_model=shaped_as(schemas.UploadResult),
             responses={**described(schemas.UploadResult, "Văn bản đã lưu, loại và lĩnh vực đề xuất", 201),
                        **documented(401, 403, 409, 413, 415, 422)})
async def upload_document(
    request: Request,
    response: Response,
    services: ServicesDep,
    principal: Uploader,
    force: Annotated[str | None, Query(description="true: lưu dù đã có văn bản cùng số và cơ quan")] = None,
) -> dict[str, Any]:
    """Extract → header → classify → store → index. 409 when the same number from the same issuer is
    stored already, unless ``?force=true``. Form fields (or JSON members) besides the file are the
    clerk's own values and are stored as human labels."""
    forced = _force(force)
    given = await read_upload_input(request, services.settings.max_upload_bytes)

    def work() -> dict[str, Any]:
        reading = docs.read_upload(services, data=given.data, filename=given.filename, text=given.text)
        doc = docs.save_upload(services, reading, given.fields, actor=principal.name, force=forced,
                               content_type=None)  # fmt: skip
        return {
            "document": docs.document_detail(services, doc),
            "tags": reading.tags.to_dict(),
            "needs_review": reading.tags.needs_review,
            "warnings": list(reading.warnings),
        }

    body = await run_in_threadpool(work)  # CPU-bound: never on the event loop
    response.headers["Location"] = f"/api/documents/{docs.id_path(body['document']['id'])}"
    return body


@router.post("/classify", summary="Đề xuất loại và lĩnh vực (không lưu)", openapi_extra=_UPLOAD_BODY,
             response_model=shaped_as(schemas.ClassifyResult),
             responses={**described(schemas.ClassifyResult, "Thông tin đọc được và loại, lĩnh vực đề xuất"),
                        **documented(401, 413, 415, 422)})
async def classify(request: Request, services: ServicesDep, _: Reader) -> dict[str, Any]:
    given = await read_upload_input(request, services.settings.max_upload_bytes, allow_fields=False)

    def work() -> dict[str, Any]:
        reading = docs.read_upload(services, data=given.data, filename=given.filename, text=given.text)
        return reading.to_dict(text_chars=20_000)

    return await run_in_threadpool(work)


# Ids may hold "/" (JSONL imports accept any string), hence ``:path``; the routes with a suffix come first
# so that "…/related" is not read as part of an id.
@router.get("/documents/{doc_id:path}/related", summary="Văn bản liên quan, văn bản được dẫn chiếu và dẫn chiếu đến",
            response_model=shaped_as(schemas.RelatedDocuments),
            responses={**described(schemas.RelatedDocuments, "Văn bản dẫn chiếu, được dẫn chiếu và tương tự"),
                       **documented(401, 404)})
def get_related(
    doc_id: str, services: ServicesDep, _: Reader, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> dict[str, Any]:
    return related_documents(services, services.store.get(doc_id), limit).to_dict()


@router.get("/documents/{doc_id:path}/file", summary="Tệp gốc đã tải lên", response_class=Response,
            responses={200: {"description": "Tệp gốc đúng từng byte, với kiểu nội dung lúc tải lên",
                             "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                       **documented(401, 404)})
def get_file(doc_id: str, services: ServicesDep, _: Reader) -> Response:
    stored = services.store.get_file(doc_id)
    if stored is None:
        raise Problem("file-not-found", f"Văn bản “{doc_id}” không có tệp gốc (được nhập từ dữ liệu bảng).")
    ascii_name = stored.filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(stored.filename)}"
    return Response(
        stored.data,
        media_type=stored.content_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )


_BEFORE = "chỉ lấy các mục cũ hơn mục có số này (trang sau: giá trị next_before của trang trước)"


@router.get("/documents/{doc_id:path}/audit", summary="Nhật ký thay đổi của văn bản",
            response_model=shaped_as(schemas.DocumentAuditPage),
            responses={**described(schemas.DocumentAuditPage, "Một trang nhật ký, mới nhất trước"),
                       **documented(401, 404)})
def get_audit(
    doc_id: str, services: ServicesDep, _: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[int | None, Query(ge=1, description=_BEFORE)] = None,
) -> dict[str, Any]:
    entries = services.store.audit(doc_id, limit=limit, before=before)
    if not entries and before is None:
        services.store.get(doc_id)  # 404 for an id that never existed
    return {"document_id": doc_id, **_audit_page(entries, limit, services.store.audit_count(doc_id))}


@router.get("/documents/{doc_id:path}", summary="Một văn bản với nhãn và nguồn gốc nhãn",
            response_model=shaped_as(schemas.DocumentDetail),
            responses={**described(schemas.DocumentDetail, "Văn bản, nhãn và nguồn gốc nhãn"), **documented(401, 404)})
def get_document(doc_id: str, services: ServicesDep, _: Reader) -> dict[str, Any]:
    return docs.document_detail(services, services.store.get(doc_id))


@router.get("/audit", summary="Nhật ký thay đổi của toàn hệ thống, mới nhất trước (quản trị)",
            response_model=shaped_as(schemas.AuditPage),
            responses={**described(schemas.AuditPage, "Một trang nhật ký, mới nhất trước"), **documented(401, 403)})
def get_all_audit(
    services: ServicesDep, _: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, description=_BEFORE)] = None,
) -> dict[str, Any]:
    entries = services.store.audit(limit=limit, before=before)
    return _audit_page(entries, limit, services.store.audit_count())


def _audit_page(entries: list[Any], limit: int, total: int) -> dict[str, Any]:
    """A page of the log: its entries, how many there are in all, and the ``before`` of the next page
    (None on the last one)."""
    more = len(entries) == limit and entries[-1].id > 1
    return {"total": total, "entries": [audit_dict(e) for e in entries], "next_before": entries[-1].id if more else None}


def audit_dict(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "document_id": entry.document_id,
        "details": entry.details,
    }


@router.patch("/documents/{doc_id:path}", summary="Sửa loại, lĩnh vực hoặc thông tin văn bản",
              description=("Chỉ các trường gửi lên được sửa, mỗi thay đổi ghi vào nhật ký (người sửa, thời điểm). Trả về "
                           "văn bản sau khi sửa, kèm warnings và duplicates khi số ký hiệu mới trùng văn bản khác."),
              response_model=shaped_as(schemas.CorrectedDocument),
              responses={**described(schemas.CorrectedDocument, "Văn bản sau khi sửa"),
                         **documented(401, 403, 404, 422)})
def patch_document(doc_id: str, body: Corrections, services: ServicesDep, principal: Uploader) -> dict[str, Any]:
    """The document as corrected, with ``warnings`` (Vietnamese) and the ``duplicates`` they are about:
    a number another document already has is filed (two issuers may share one) but pointed out."""
    values = body.model_dump(exclude_unset=True)
    if values.get("issued_date"):
        values["issued_date"] = _issued_date(values["issued_date"])
    if values.get("status"):
        values["status"] = filed_status(values["status"])
    doc = docs.correct(services, doc_id, values, actor=principal.name)
    others = docs.same_number_documents(services, doc) if values.get("number") else ()
    return {
        **docs.document_detail(services, doc),
        "warnings": [docs.same_number_warning(others)] if others else [],
        "duplicates": [docs.duplicate_summary(d) for d in others],
    }


def _issued_date(value: str) -> date:
    """A corrected issue date read as the pages read it; a 422 like any invalid request field otherwise."""
    try:
        return check_issued_date(parse_typed_date(value))
    except TypedDateError as exc:
        raise Problem("invalid-request", exc.message,
                      errors=[{"field": "issued_date", "message": exc.message}]) from None  # fmt: skip


@router.delete("/documents/{doc_id:path}", status_code=204, summary="Xóa văn bản (quản trị)", response_class=Response,
               responses=documented(401, 403, 404))
def delete_document(doc_id: str, services: ServicesDep, principal: Admin) -> Response:
    docs.delete(services, doc_id, actor=principal.name)
    return Response(status_code=204)


@router.get("/review", summary="Văn bản có nhãn cần duyệt, cũ nhất trước",
            response_model=shaped_as(schemas.ReviewList),
            responses={**described(schemas.ReviewList, "Một trang của hàng chờ duyệt"), **documented(401)})
def review(
    services: ServicesDep,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    queue = docs.review_queue(services)
    return {
        "total": len(queue),
        "items": [review_item(doc, fields) for doc, fields in queue[offset : offset + limit]],
    }


def review_item(doc: Any, fields: list[str]) -> dict[str, Any]:
    return {
        "id": doc.id,
        "number": doc.number,
        "title": doc.title,
        "issuer": doc.issuer,
        "issued_date": doc.issued_date.isoformat() if doc.issued_date else None,
        "doc_type": doc.doc_type,
        "topic": doc.topic,
        "created_at": doc.created_at.isoformat() if doc.created_at else None,
        "fields": fields,
        "classification": doc.extra.get("classification"),
    }
