"""``GET /api/search``: the CLI's query language over HTTP, the same JSON as ``vanban search --json``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from corpus.search import SearchRequest
from corpus.search_filters import MAX_LIMIT, MAX_OFFSET, unknown_parameters
from service.deps import Reader, ServicesDep
from service.problems import documented

router = APIRouter(prefix="/api", tags=["tìm kiếm"])

# The query parameters ``search`` declares (by their public names). FastAPI ignores any other, so a misspelt
# filter (``tpye=ke-hoach``) would run the search unfiltered: the route refuses it instead.
PARAMETERS = ("q", "type", "topic", "issuer", "status", "from", "to", "sort", "limit", "offset")
_ACCEPTED: dict[str, tuple[str, ...]] = {name: () for name in PARAMETERS}


@router.get(
    "/search",
    summary="Tìm văn bản",
    description=(
        "Từ khóa có hoặc không dấu, số ký hiệu gõ kiểu nào cũng được (139/KH-UBND, 139 kh ubnd), "
        '"cụm từ" trong ngoặc kép, -từ để loại trừ. Bộ lọc: loại văn bản, lĩnh vực, cơ quan ban hành, '
        "hiệu lực, khoảng ngày. Trả về tổng số, kết quả có đánh dấu từ khớp và số đếm theo từng bộ lọc."
    ),
    responses=documented(401, 409, 422, 503),
)
# ``async def`` on purpose, though a search is CPU work: a plain ``def`` route runs in the thread pool, and the
# hand-off there and back under the interpreter lock cost more than it won (bench/http_load.py --quick, one
# worker: 371 → 516 searches a second, p99 114 → 70-84 ms). A search takes ~2 ms; the event loop waits that long.
async def search(
    http_request: Request,
    services: ServicesDep,
    _: Reader,
    q: Annotated[str, Query(max_length=2000, description="từ khóa hoặc số ký hiệu")] = "",
    type: Annotated[str | None, Query(description="loại văn bản: slug, mã (QĐ) hoặc tên; nhiều giá trị cách nhau dấu phẩy")] = None,  # noqa: A002 - the public parameter name
    topic: Annotated[str | None, Query(description="lĩnh vực: mã hoặc tên")] = None,
    issuer: Annotated[str | None, Query(max_length=300, description="cơ quan ban hành")] = None,
    status: Annotated[str | None, Query(max_length=100, description="hiệu lực")] = None,
    from_: Annotated[str | None, Query(alias="from", description="từ ngày (2022-07-20, 20/7/2022, 2022)")] = None,
    to: Annotated[str | None, Query(description="đến ngày")] = None,
    sort: Annotated[str, Query(description="relevance | date | date_asc")] = "relevance",
    limit: Annotated[int, Query(description=f"số kết quả (1–{MAX_LIMIT:,})".replace(",", "."))] = 10,
    offset: Annotated[
        int, Query(description=f"bỏ qua bao nhiêu kết quả đầu (0–{MAX_OFFSET:,})".replace(",", "."))
    ] = 0,
) -> JSONResponse:
    if unknown := [name for name in http_request.query_params if name not in _ACCEPTED]:
        raise unknown_parameters(unknown, _ACCEPTED)  # a 422 problem, as for a bad filter value
    request = SearchRequest(
        query=q,
        doc_type=type,
        topic=topic,
        issuer=issuer,
        status=status,
        date_from=from_,
        date_to=to,
        sort=sort,
        # Passed as given: the searcher checks the page bounds, so an out-of-range limit is a 422 stating the
        # real range, the same rule and message as ``vanban search --limit``.
        limit=limit,
        offset=offset,
    )
    result = services.search().search(request)
    # to_dict() is JSON-ready (dates as ISO strings): a JSONResponse skips FastAPI's generic encoder, which
    # walked the nested result again and cost about a fifth of a search's CPU.
    return JSONResponse(result.to_dict())
