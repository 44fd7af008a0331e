"""The search page's results as a list to open in Excel: "Danh mục văn bản" for a clerk's report.

Offices report what was issued on a subject or in a period as a table (số ký hiệu, ngày, cơ quan, trích
yếu…); copying a search page by page was the way before. ``GET /search.csv`` takes the search page's own
parameters and writes every result in the page's order, up to :data:`MAX_ROWS`, as CSV in UTF-8 with a BOM
(Excel reads the diacritics) with Vietnamese column names. The import-format export (``vanban export``,
``GET /api/export``) stays the format for machines and backups.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from corpus.search_errors import QueryError
from service.deps import ServicesDep
from service.pages.common import doc_type_name, id_path, page_user, render_problem, topic_name
from service.pages.search import LIST_MAX_ROWS as MAX_ROWS
from service.pages.search import PageParams, page_request
from service.problems import Problem
from service.settings import Role

router = APIRouter(include_in_schema=False)

_BATCH = 1000  # the largest page a search returns
COLUMNS = ("STT", "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Lĩnh vực", "Trích yếu",
           "Hiệu lực", "Người ký", "Mã văn bản", "Đường dẫn")  # fmt: skip


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _row(n: int, doc: Any, base: str) -> list[str]:
    return [
        str(n), doc.number or "", _day(doc.issued_date), doc.issuer or "",
        doc_type_name(doc.doc_type) if doc.doc_type else "", topic_name(doc.topic) if doc.topic else "",
        " ".join((doc.title or "").split()), doc.status or "", doc.signer or "", doc.id,
        f"{base}/documents/{id_path(doc.id)}",
    ]  # fmt: skip


@router.get("/search.csv")
def search_list(request: Request, services: ServicesDep, params: PageParams) -> Response:
    page_user(request, Role.READER)
    sort = params["sort"] or "relevance"
    searcher = services.search()
    ids: list[str] = []
    try:
        while len(ids) < MAX_ROWS:
            batch = page_request(params, sort, limit=min(_BATCH, MAX_ROWS - len(ids)), offset=len(ids),
                                 facets=False, highlights=False)  # fmt: skip
            hits = searcher.search(batch).hits
            ids += [hit.id for hit in hits]
            if len(hits) < batch.limit:
                break
    except QueryError as exc:
        return render_problem(request, Problem("invalid-query", exc.message))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel's own line ends
    writer.writerow(COLUMNS)
    base = str(request.base_url).rstrip("/")
    n = 0
    for doc_id in ids:
        doc = services.store.find(doc_id)
        if doc is not None:  # deleted since it was indexed: not listed
            n += 1
            writer.writerow(_row(n, doc, base))
    name = f"danh-muc-van-ban-{date.today():%Y%m%d}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
