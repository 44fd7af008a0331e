"""``GET /api/search``: the CLI's query language over HTTP, the same JSON as ``vanban search --json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from corpus.search import SearchRequest
from corpus.search_errors import QueryError
from corpus.search_filters import MAX_LIMIT, MAX_OFFSET, unknown_parameters
from nlp.typed_dates import RANGE_FORMS
from service.api.schemas import SearchResponse, described
from service.deps import Reader, ServicesDep
from service.problems import Problem, documented

router = APIRouter(prefix="/api", tags=["tìm kiếm"])


def _parameter(name: str, description: str, *, kind: str = "string", default: Any = None,
               max_length: int | None = None) -> dict[str, Any]:  # fmt: skip
    schema: dict[str, Any] = {"type": kind}
    if default is not None:
        schema["default"] = default
    if max_length is not None:
        schema["maxLength"] = max_length
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


# The route's query parameters, documented here for OpenAPI and read by hand below: FastAPI solves declared
# parameters field by field with type introspection on every request. Reading them here took the route from
# 1.66 to 1.55 ms (medians, the ASGI app called in-process on 600 queries of bench/http_load.py's mix, VNTC
# 2,000; /healthz 0.09 ms), the same answers and the same 422 problems.
_PARAMETERS: tuple[dict[str, Any], ...] = (
    _parameter("q", "từ khóa hoặc số ký hiệu", default="", max_length=2000),
    _parameter("type", "loại văn bản: slug, mã (QĐ) hoặc tên; nhiều giá trị cách nhau dấu phẩy"),
    _parameter("topic", "lĩnh vực: mã hoặc tên"),
    _parameter("issuer", "cơ quan ban hành", max_length=300),
    _parameter("status", "hiệu lực", max_length=100),
    _parameter("from", f"từ ngày ({RANGE_FORMS})"),
    _parameter("to", "đến ngày (cùng các dạng như from; tháng hoặc năm: ngày cuối của nó)"),
    _parameter("sort", "relevance | date | date_asc", default="relevance"),
    _parameter("limit", f"số kết quả (1–{MAX_LIMIT:,})".replace(",", "."), kind="integer", default=10),
    _parameter("offset", f"bỏ qua bao nhiêu kết quả đầu (0–{MAX_OFFSET:,})".replace(",", "."), kind="integer",
               default=0),
)  # fmt: skip
# The query parameters the route reads (by their public names). Any other is refused: a misspelt filter
# (``tpye=ke-hoach``) would otherwise run the search unfiltered.
PARAMETERS = tuple(p["name"] for p in _PARAMETERS)
_ACCEPTED: dict[str, tuple[str, ...]] = {name: () for name in PARAMETERS}
_MAX_LENGTHS = {p["name"]: p["schema"]["maxLength"] for p in _PARAMETERS if "maxLength" in p["schema"]}


@router.get(
    "/search",
    summary="Tìm văn bản",
    description=(
        "Từ khóa có hoặc không dấu, số ký hiệu gõ kiểu nào cũng được (139/KH-UBND, 139 kh ubnd), "
        '"cụm từ" trong ngoặc kép, -từ để loại trừ. Bộ lọc: loại văn bản, lĩnh vực, cơ quan ban hành, '
        "hiệu lực, khoảng ngày. Trả về tổng số, kết quả có đánh dấu từ khớp và số đếm theo từng bộ lọc."
    ),
    responses={**described(SearchResponse, "Tổng số, kết quả của trang và số đếm theo từng bộ lọc"),
               **documented(401, 409, 422, 503)},
    openapi_extra={"parameters": list(_PARAMETERS)},
)
# ``async def`` on purpose, though a search is CPU work: a plain ``def`` route runs in the thread pool, and the
# hand-off there and back under the interpreter lock cost more than it won (bench/http_load.py --quick, one
# worker: 371 → 516 searches a second, p99 114 → 70-84 ms). A search takes ~2 ms; the event loop waits that long.
async def search(http_request: Request, services: ServicesDep, _: Reader) -> JSONResponse:
    query = http_request.query_params
    if unknown := [name for name in query if name not in _ACCEPTED]:
        raise unknown_parameters(unknown, _ACCEPTED)  # a 422 problem, as for a bad filter value
    too_long = [(name, size) for name, size in _MAX_LENGTHS.items() if len(query.get(name) or "") > size]
    if too_long:
        name, size = too_long[0]
        raise _invalid(name, "string_too_long", query[name], {"max_length": size})
    if repeated := [name for name in dict.fromkeys(query.keys()) if len(query.getlist(name)) > 1 and name not in _LISTS]:
        name = repeated[0]
        raise Problem("invalid-request", f"Tham số {name} chỉ nhận một giá trị (đã gửi {len(query.getlist(name))} "
                      "lần); loại văn bản và lĩnh vực nhận nhiều giá trị, cách nhau bằng dấu phẩy.",
                      errors=[{"field": name, "message": "chỉ nhận một giá trị"}])  # fmt: skip
    request = SearchRequest(
        query=query.get("q", ""),
        # type=qd&type=kh is type=qd,kh (QA: only the last was used, silently)
        doc_type=",".join(query.getlist("type")) or None,
        topic=",".join(query.getlist("topic")) or None,
        issuer=query.get("issuer"),
        status=query.get("status"),
        date_from=query.get("from"),
        date_to=query.get("to"),
        sort=query.get("sort", "relevance"),
        # Passed as given: the searcher checks the page bounds, so an out-of-range limit is a 422 stating the
        # real range, the same rule and message as ``vanban search --limit``.
        limit=_integer(query, "limit", 10),
        offset=_integer(query, "offset", 0),
    )
    try:
        result = services.search().search(request)
    except QueryError as exc:
        # The error names the parameter the client sent ("type", "from"), not the request field behind it.
        exc.field = REQUEST_FIELD_PARAMETERS.get(exc.field, exc.field)
        raise
    # to_dict() is JSON-ready (dates as ISO strings): a JSONResponse skips FastAPI's generic encoder, which
    # walked the nested result again and cost about a fifth of a search's CPU.
    return JSONResponse(result.to_dict())


# The query parameter behind each SearchRequest field whose name differs (QueryError.field names the field).
REQUEST_FIELD_PARAMETERS = {"query": "q", "doc_type": "type", "date_from": "from", "date_to": "to"}
# Filters that take several values ("a,b"): given several times, their values are joined.
_LISTS = frozenset({"type", "topic"})


def _integer(query: Any, name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise _invalid(name, "int_parsing", raw) from None


def _invalid(name: str, kind: str, value: str, ctx: dict[str, Any] | None = None) -> RequestValidationError:
    """The error FastAPI would raise for a declared parameter: the same 422 problem, field and message."""
    error: dict[str, Any] = {"loc": ("query", name), "type": kind, "msg": kind, "input": value}
    if ctx:
        error["ctx"] = ctx
    return RequestValidationError([error])
