"""Errors at the boundary: domain errors → RFC 9457 ``application/problem+json`` (or an error page).

Every error a client can cause ends here as a :class:`Problem` with a Vietnamese ``title`` and ``detail``
a clerk can act on, an HTTP status, a stable ``code`` and a ``type`` URI (``/problems/<code>``, which the
service documents as a page). The library raises its own errors (``DocumentNotFound``, ``NoTextLayer``,
``QueryError`` …); :func:`problem_for` maps them, so routers never build error responses by hand.

:class:`CatchAllMiddleware` is the last net: whatever escapes a handler is logged with its traceback and
answered 500 with a problem document, so nothing a client sends can take a worker down.

Example
-------
>>> from corpus.errors import DocumentNotFound
>>> p = problem_for(DocumentNotFound("demo-404"))
>>> (p.status, p.code, p.detail)
(404, 'document-not-found', 'Không tìm thấy văn bản có mã "demo-404".')
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corpus.errors import DocumentNotFound, InvalidDocument, SchemaTooNew, StoreError
from corpus.search_errors import IndexBusy, IndexOutdated, QueryError, SearchError
from models.errors import (
    IncompatibleModel,
    ModelError,
    ModelNotFound,
    NoActiveModel,
    NothingToRollBack,
    TrainingDataError,
)
from nlp.extract_errors import (
    ACCEPTED_FORMATS,
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ExtractionError,
    FileTooLarge,
    NoTextLayer,
    UnsupportedFile,
)

log = logging.getLogger("vanban.service")

PROBLEM_JSON = "application/problem+json"

# code → (status, Vietnamese title, what the clerk can do). The title is fixed per code (RFC 9457: it
# should not change from occurrence to occurrence); the detail says what happened this time.
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "unauthorized": (401, "Cần đăng nhập", "Gửi khóa API trong tiêu đề Authorization: Bearer … hoặc đăng nhập."),
    "forbidden": (403, "Không đủ quyền", "Khóa API này không có quyền thực hiện thao tác; hãy nhờ quản trị viên."),
    "csrf": (403, "Biểu mẫu đã hết hạn", "Hãy tải lại trang rồi gửi lại biểu mẫu."),
    "not-found": (404, "Không tìm thấy", "Kiểm tra lại địa chỉ."),
    "document-not-found": (404, "Không tìm thấy văn bản", "Văn bản có thể đã bị xóa; hãy tìm lại trong kho."),
    "file-not-found": (404, "Văn bản không có tệp gốc", "Văn bản này được nhập không kèm tệp gốc."),
    "model-not-found": (404, "Không tìm thấy phiên bản mô hình", "Xem danh sách phiên bản ở GET /api/models."),
    "method-not-allowed": (405, "Phương thức không được hỗ trợ", "Xem tài liệu API tại /docs."),
    "duplicate-document": (
        409,
        "Văn bản đã có trong kho",
        "Mở văn bản đã có để kiểm tra; nếu đúng là văn bản khác, gửi lại với ?force=true.",
    ),
    "index-outdated": (409, "Chỉ mục tìm kiếm cần tạo lại", "Chạy: vanban index --rebuild"),
    "incompatible-model": (409, "Mô hình không dùng được", "Huấn luyện lại mô hình bằng phiên bản vanban này."),
    "no-model": (409, "Chưa có mô hình phù hợp", "Huấn luyện mô hình (vanban train) rồi kích hoạt."),
    "payload-too-large": (413, "Tệp quá lớn", "Tách tài liệu hoặc bỏ bớt ảnh rồi tải lên lại."),
    "unsupported-file": (415, "Định dạng tệp không được hỗ trợ", f"Chỉ nhận {ACCEPTED_FORMATS}."),
    "no-text-layer": (
        422,
        "Tài liệu không có lớp văn bản (cần OCR)",
        "Nhận dạng chữ (OCR) hoặc tải lên bản .docx/PDF gốc.",
    ),
    "empty-document": (422, "Tệp không có nội dung", "Kiểm tra lại tệp đã chọn."),
    "encrypted-document": (422, "Tài liệu có mật khẩu", "Gỡ mật khẩu rồi tải lên lại."),
    "corrupt-document": (422, "Tệp bị hỏng", "Mở tệp bằng phần mềm gốc, lưu lại rồi tải lên lại."),
    "extraction-timeout": (422, "Đọc tệp quá lâu", "Tách tài liệu thành các phần nhỏ hơn rồi tải lên lại."),
    "unreadable-document": (422, "Không đọc được tệp", "Lưu lại tệp ở định dạng .docx hoặc PDF rồi tải lên lại."),
    "invalid-request": (422, "Yêu cầu không hợp lệ", "Sửa các trường được nêu trong errors rồi gửi lại."),
    "invalid-document": (422, "Văn bản không hợp lệ", "Sửa trường được nêu rồi gửi lại."),
    "invalid-query": (422, "Câu tìm kiếm không hợp lệ", "Sửa từ khóa hoặc bộ lọc rồi tìm lại."),
    "too-many-requests": (429, "Thử quá nhiều lần", "Chờ vài phút rồi thử lại."),
    "internal-error": (500, "Lỗi hệ thống", "Lỗi đã được ghi lại; hãy thử lại hoặc báo quản trị viên."),
    "store-error": (503, "Kho văn bản tạm thời không dùng được", "Thử lại sau ít phút."),
    "disk-full": (507, "Máy chủ hết chỗ trống trên ổ đĩa",
                  "Chưa có gì được lưu. Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại."),
    "busy": (503, "Hệ thống đang bận", "Một tiến trình khác đang ghi dữ liệu; thử lại sau ít phút."),
    "search-unavailable": (503, "Tìm kiếm tạm thời không dùng được", "Báo quản trị viên kiểm tra chỉ mục."),
}


_PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "example": "/problems/no-text-layer"},
        "title": {"type": "string", "example": "Tài liệu không có lớp văn bản (cần OCR)"},
        "status": {"type": "integer", "example": 422},
        "detail": {"type": "string"},
        "code": {"type": "string", "example": "no-text-layer"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail", "code"],
}
_STATUS_TEXT = {401: "Thiếu hoặc sai khóa API", 403: "Không đủ quyền", 404: "Không tìm thấy",
                409: "Xung đột (văn bản trùng, chỉ mục/mô hình cần làm lại)", 413: "Tệp quá lớn",
                415: "Định dạng không được hỗ trợ", 422: "Dữ liệu không hợp lệ hoặc tệp không đọc được",
                503: "Tạm thời không phục vụ được", 507: "Máy chủ hết chỗ trống trên ổ đĩa"}  # fmt: skip


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for routes that answer these statuses with problem details."""
    return {
        status: {"description": _STATUS_TEXT.get(status, "Lỗi"),
                 "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}  # fmt: skip
        for status in statuses
    }


class Problem(Exception):
    """An error answered to the client as problem details.

    ``extensions`` are extra members of the problem object (``errors`` for invalid fields, ``existing`` for
    a duplicate…); ``headers`` are added to the response (``WWW-Authenticate``, ``Retry-After``).
    """

    def __init__(
        self,
        code: str,
        detail: str | None = None,
        *,
        status: int | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        known_status, known_title, hint = PROBLEM_TYPES.get(code, (500, "Lỗi", ""))
        self.code = code
        self.status = status or known_status
        self.title = title or known_title
        self.detail = detail or hint
        self.headers = dict(headers or {})
        self.extensions = extensions
        super().__init__(f"{self.status} {code}: {self.detail}")

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


# Most specific first: the subclasses a library may add later still map to their parent's code.
_EXTRACTION_CODES: tuple[tuple[type[ExtractionError], str], ...] = (
    (NoTextLayer, "no-text-layer"),
    (UnsupportedFile, "unsupported-file"),
    (FileTooLarge, "payload-too-large"),
    (EmptyDocument, "empty-document"),
    (EncryptedDocument, "encrypted-document"),
    (CorruptDocument, "corrupt-document"),
)


def _extraction_problem(exc: ExtractionError) -> Problem:
    code = next((c for cls, c in _EXTRACTION_CODES if isinstance(exc, cls)), "unreadable-document")
    return Problem(code, exc.message)


def problem_for(exc: BaseException) -> Problem:
    """The problem answering a domain error (anything unknown is an internal error)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, ExtractionError):
        return _extraction_problem(exc)
    if isinstance(exc, DocumentNotFound):
        return Problem("document-not-found", exc.message, document_id=exc.doc_id)
    if isinstance(exc, InvalidDocument):
        errors = [{"field": exc.field, "message": exc.reason}] if exc.field else []
        return Problem("invalid-document", exc.message, errors=errors)
    if isinstance(exc, SchemaTooNew):
        return Problem("store-error", exc.message, status=500)
    if isinstance(exc, StoreError):
        busy = "busy" in str(exc) or "locked" in str(exc)
        return Problem("busy" if busy else "store-error", exc.message, headers={"Retry-After": "5"})
    if isinstance(exc, QueryError):
        return Problem("invalid-query", exc.message, errors=[{"field": exc.field, "message": exc.message}])
    if isinstance(exc, IndexOutdated):
        return Problem("index-outdated", exc.message)
    if isinstance(exc, IndexBusy):
        return Problem("busy", exc.message, headers={"Retry-After": "10"})
    if isinstance(exc, SearchError):
        return Problem("search-unavailable", exc.message)
    if isinstance(exc, ModelError):
        return _model_problem(exc)
    return Problem("internal-error")


def _model_problem(exc: ModelError) -> Problem:
    if isinstance(exc, ModelNotFound):
        return Problem("model-not-found", exc.message, version=exc.version)
    if isinstance(exc, IncompatibleModel):
        return Problem("incompatible-model", exc.message, version=exc.version)
    if isinstance(exc, NoActiveModel | NothingToRollBack):
        return Problem("no-model", exc.message)
    if isinstance(exc, TrainingDataError):
        return Problem("invalid-request", exc.message)
    return Problem("internal-error", exc.message)


# -- request validation (FastAPI's 422) ------------------------------------------------------------------

_VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "thiếu giá trị bắt buộc",
    "int_parsing": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_from_datetime_inexact": "phải là ngày dạng YYYY-MM-DD",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
    "greater_than": "quá nhỏ",
    "less_than": "quá lớn",
    "string_too_long": "quá dài",
    "string_too_short": "quá ngắn",
    "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép",
    "extra_forbidden": "trường không được phép",
    "json_invalid": "JSON không hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "string_type": "phải là chuỗi ký tự",
    "list_type": "phải là danh sách",
    "value_error": "giá trị không hợp lệ",
}


def validation_problem(exc: RequestValidationError) -> Problem:
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "header")]
        kind = str(err.get("type", ""))
        # a body that is not JSON at all: its loc is the character where reading stopped, not a field
        field = "body" if kind == "json_invalid" else ".".join(loc) or "body"
        message = _VALIDATION_MESSAGES.get(kind, "giá trị không hợp lệ")
        if kind == "json_invalid" and loc:
            message += f" (hỏng ở ký tự thứ {loc[0]})"
        ctx = err.get("ctx") or {}
        if "expected" in ctx:  # pydantic's list of allowed values: "'jsonl' or 'csv'"
            message += f" ({str(ctx['expected']).replace(' or ', ' hoặc ')})"
        elif kind in ("greater_than_equal", "greater_than") and ("ge" in ctx or "gt" in ctx):
            message += f" (tối thiểu {ctx.get('ge', ctx.get('gt'))})"
        elif kind in ("less_than_equal", "less_than") and ("le" in ctx or "lt" in ctx):
            message += f" (tối đa {ctx.get('le', ctx.get('lt'))})"
        elif kind == "string_too_long" and "max_length" in ctx:
            message += f" (tối đa {ctx['max_length']} ký tự)"
        errors.append({"field": field, "message": message})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or None
    return Problem("invalid-request", detail, errors=errors)


def http_problem(exc: StarletteHTTPException) -> Problem:
    if exc.status_code == 404:
        return Problem("not-found", "Không có trang hoặc địa chỉ API này.")
    if exc.status_code == 405:
        return Problem("method-not-allowed", headers=dict(exc.headers or {}))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else None
    code = {401: "unauthorized", 403: "forbidden", 413: "payload-too-large", 415: "unsupported-file"}.get(
        exc.status_code, "invalid-request" if 400 <= exc.status_code < 500 else "internal-error"
    )
    return Problem(code, detail, status=exc.status_code, headers=dict(exc.headers or {}))


# -- responses ------------------------------------------------------------------------------------------


_NOT_PAGES = ("/api/", "/healthz", "/readyz", "/docs", "/openapi", "/static/")


def wants_html(request: Request) -> bool:
    """Pages get error pages, whatever the method and the validation step that failed: a clerk's form is
    never answered with raw JSON. The API, health checks, and a client asking only for JSON on a page's
    address get problem+json."""
    if request.url.path.startswith(_NOT_PAGES):
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept or "json" not in accept


def return_path(request: Request) -> str:
    """Where to come back after logging in: the page asked for, or for a form the page it was on."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def problem_response(request: Request, problem: Problem) -> Response:
    if wants_html(request):
        if problem.status == 401:
            return RedirectResponse(f"/login?next={quote(return_path(request), safe='')}", status_code=303)
        page_renderer: Callable[[Request, Problem], Response] | None = getattr(
            request.app.state, "render_problem", None
        )
        if page_renderer is not None:
            return page_renderer(request, problem)
    body = json.dumps(problem.to_dict(request.url.path), ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


def install(app: FastAPI) -> None:
    """Register the handlers mapping every known error to a problem."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        problem = problem_for(exc)
        if problem.status >= 500:
            log.error("%s %s failed: %r", request.method, request.url.path, exc, exc_info=exc)
        return problem_response(request, problem)

    async def on_validation(request: Request, exc: Exception) -> Response:
        problem = validation_problem(exc) if isinstance(exc, RequestValidationError) else problem_for(exc)
        return problem_response(request, problem)

    async def on_http(request: Request, exc: Exception) -> Response:
        problem = http_problem(exc) if isinstance(exc, StarletteHTTPException) else problem_for(exc)
        return problem_response(request, problem)

    for cls in (Problem, StoreError, SearchError, ExtractionError, ModelError):
        app.add_exception_handler(cls, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)


class CatchAllMiddleware:
    """Answer 500 problem+json for anything a handler did not expect, after logging it.

    Sits inside Starlette's own error middleware so that the exception stops here: the worker logs it
    and carries on serving.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the last net: log it, answer 500, keep the worker alive
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                return  # headers already sent; nothing more can be said to this client
            problem = problem_for(exc)
            body = json.dumps(problem.to_dict(scope.get("path")), ensure_ascii=False).encode("utf-8")
            await Response(body, status_code=problem.status, media_type=PROBLEM_JSON)(scope, receive, send)
