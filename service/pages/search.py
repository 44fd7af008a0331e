"""The search page (``/``) and the document page (``/documents/{id}``) with its correction form."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from corpus.search import SearchRequest
from corpus.search_errors import QueryError
from service import documents as docs
from service.deps import ServicesDep
from service.pages.common import page_user, redirect, render
from service.related import related_documents
from service.settings import Role

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
_FILTERS = ("type", "topic", "issuer", "status", "from", "to")
_SORTS = {"relevance": "Phù hợp nhất", "date": "Mới nhất", "date_asc": "Cũ nhất"}
_STATUS_NAMES = {
    "con-hieu-luc": "Còn hiệu lực",
    "het-hieu-luc": "Hết hiệu lực",
    "hieu-luc-mot-phan": "Hết hiệu lực một phần",
    "chua-co-hieu-luc": "Chưa có hiệu lực",
    "ngung-hieu-luc": "Ngưng hiệu lực",
}


class SearchLinks:
    """URLs of the search page with one parameter changed (facet toggles, paging, sort)."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = {k: v for k, v in params.items() if v}

    def url(self, **changes: str | None) -> str:
        merged = dict(self.params)
        for key, value in changes.items():
            key = key.rstrip("_")
            if value is None or value == "":
                merged.pop(key, None)
            else:
                merged[key] = value
        if "page" not in changes:
            merged.pop("page", None)  # a new filter starts at the first page
        return "/?" + urlencode(merged) if merged else "/"

    def toggle(self, name: str, value: str) -> str:
        return self.url(**{name: None if self.params.get(name) == value else value})

    def year(self, year: str) -> str:
        selected = self.params.get("from") == year and self.params.get("to") == year
        return self.url(from_=None if selected else year, to=None if selected else year)


def recent_uploads(services: Any, limit: int = 5) -> list[Any]:
    """The last documents clerks uploaded (from the audit log, newest first): undated drafts included,
    which the date-sorted list of the home page cannot show."""
    out: list[Any] = []
    seen: set[str] = set()
    for entry in services.store.audit(limit=300):
        if entry.action != "insert" or entry.document_id in seen:
            continue
        seen.add(entry.document_id)
        doc = services.store.find(entry.document_id)
        if doc is not None and doc.extra.get("uploaded_by"):
            out.append(doc)
            if len(out) >= limit:
                break
    return out


@router.get("/")
def search_page(
    request: Request,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=2000)] = "",
    type: str = "",  # noqa: A002 - the public parameter name, as in the API
    topic: str = "",
    issuer: Annotated[str, Query(max_length=300)] = "",
    status: Annotated[str, Query(max_length=100)] = "",
    from_: Annotated[str, Query(alias="from", max_length=20)] = "",
    to: Annotated[str, Query(max_length=20)] = "",
    sort: str = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    page_user(request, Role.READER)
    params = {"q": q, "type": type, "topic": topic, "issuer": issuer, "status": status, "from": from_, "to": to,
              "sort": "" if sort == "relevance" else sort}  # fmt: skip
    links = SearchLinks(params)
    browsing = not q.strip() and not any(params[f] for f in _FILTERS)
    request_ = SearchRequest(
        query=q, doc_type=type or None, topic=topic or None, issuer=issuer or None, status=status or None,
        # With nothing typed the page lists the newest dated documents (the search API has no "all" request).
        date_from=from_ or ("1800" if browsing else None), date_to=to or None,
        sort="date" if browsing else (sort if sort in _SORTS else "relevance"),
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    error = None
    result = None
    try:
        result = services.search().search(request_)
    except QueryError as exc:
        error = exc.message
    total = result.total if result else 0
    pages = max(1, -(-total // PAGE_SIZE))
    context: dict[str, Any] = {
        "params": params,
        "q": q,
        "sort": sort if sort in _SORTS else "relevance",
        "sorts": _SORTS,
        "links": links,
        "result": result,
        "error": error,
        "browsing": browsing,
        "page": page,
        "pages": pages,
        "page_range": [p for p in range(max(1, page - 3), min(pages, page + 3) + 1)],
        "status_names": _STATUS_NAMES,
        "filters_active": any(params[f] for f in _FILTERS),
        "document_count": services.store.count(),
        "recent": recent_uploads(services) if browsing and page == 1 else [],
    }
    return render(request, "search.html", context, status=422 if error else 200)


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: str, services: ServicesDep) -> Response:
    principal = page_user(request, Role.READER)
    doc = services.store.get(doc_id)
    detail = docs.document_detail(services, doc)
    related = related_documents(services, doc, limit=8)
    audit = services.store.audit(doc_id, limit=30)
    return render(request, "document.html", {
        "doc": doc, "detail": detail, "labels": detail["labels"], "file": detail["file"], "related": related,
        "audit": audit, "can_edit": principal.can(Role.UPLOADER) and not principal.is_anonymous,
        "can_delete": principal.can(Role.ADMIN), "classification": doc.extra.get("classification"),
        "review_fields": detail["needs_review"],
    })  # fmt: skip


@router.post("/documents/{doc_id:path}/correct")
def correct_document(
    request: Request,
    doc_id: str,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()] = "",
    doc_type: Annotated[str, Form()] = "",
    topic: Annotated[str, Form()] = "",
    number: Annotated[str, Form(max_length=200)] = "",
    issuer: Annotated[str, Form(max_length=500)] = "",
    issued_date: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=5000)] = "",
    signer: Annotated[str, Form(max_length=200)] = "",
    status: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Only fields whose value changed become labels; confirming the type and field is explicit
    (``doc_type``/``topic`` are always labelled when the clerk presses "Xác nhận")."""
    principal = page_user(request, Role.UPLOADER, csrf=csrf_token)
    doc = services.store.get(doc_id)
    submitted = {"doc_type": doc_type, "topic": topic, "number": number, "issuer": issuer,
                 "issued_date": issued_date, "title": title, "signer": signer, "status": status}  # fmt: skip
    changes: dict[str, Any] = {}
    for field, value in submitted.items():
        current = getattr(doc, field)
        current_text = current.strftime("%d/%m/%Y") if hasattr(current, "strftime") else (current or "")
        if value.strip() != str(current_text) or (field in docs.TAG_FIELDS and field in doc.extra.get("review_fields", [])):
            changes[field] = value.strip() or None
    if not changes:
        return redirect(f"/documents/{docs.id_path(doc_id)}")
    docs.correct(services, doc_id, changes, actor=principal.name)
    return redirect(f"/documents/{docs.id_path(doc_id)}", ok="corrected")


@router.post("/documents/{doc_id:path}/delete")
def delete_document(request: Request, doc_id: str, services: ServicesDep,
                    csrf_token: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    docs.delete(services, doc_id, actor=principal.name)
    return redirect("/", ok="deleted")

