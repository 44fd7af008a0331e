"""The search page's results as a list: "Danh mục văn bản" for a clerk's report.

Offices report what was issued on a subject or in a period as a table (số ký hiệu, ngày, cơ quan, trích
yếu…); copying a search page by page was the way before. ``GET /search.xlsx`` and ``GET /search.csv`` take the
search page's own parameters and write every result in the page's order, up to :data:`MAX_ROWS`, with
Vietnamese column names. The Excel workbook is the one to open (:mod:`service.xlsx` says why a CSV misreads
on a Vietnamese Windows); the CSV, UTF-8 with a BOM, is for other programs. The import-format export
(``vanban export``, ``GET /api/export``) stays the format for machines and backups.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from corpus.search_errors import QueryError
from corpus.spreadsheet_cells import guarded
from service.deps import ServicesDep
from service.pages.common import doc_type_name, id_path, page_user, render_problem, topic_name
from service.pages.search import LIST_MAX_ROWS as MAX_ROWS
from service.pages.search import PageParams, page_request
from service.problems import Problem
from service.settings import Role
from service.xlsx import Cell, workbook

router = APIRouter(include_in_schema=False)

_BATCH = 1000  # the largest page a search returns
COLUMNS = ("STT", "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Lĩnh vực", "Trích yếu",
           "Hiệu lực", "Người ký", "Mã văn bản", "Đường dẫn")  # fmt: skip
_WIDTHS = (6, 18, 13, 34, 14, 26, 70, 16, 20, 18, 40)
_SUMMARY_COLUMN = 6


def _rows(ids: list[str], services: Any, base: str) -> Iterator[list[Cell]]:
    n = 0
    for doc_id in ids:
        doc = services.store.find(doc_id)
        if doc is None:  # deleted since it was indexed: not listed
            continue
        n += 1
        yield [
            n, doc.number or "", doc.issued_date, doc.issuer or "",
            doc_type_name(doc.doc_type) if doc.doc_type else "", topic_name(doc.topic) if doc.topic else "",
            " ".join((doc.title or "").split()), doc.status or "", doc.signer or "", doc.id,
            f"{base}/documents/{id_path(doc.id)}",
        ]  # fmt: skip


def _csv_cell(value: Cell) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = "" if value is None else str(value)
    # A title typed "=HYPERLINK(…)" must stay text in every reader's spreadsheet (QA).
    return guarded(text) if isinstance(value, str) else text


def _result_ids(services: Any, params: dict[str, str]) -> list[str]:
    searcher = services.search()
    sort = params["sort"] or "relevance"
    ids: list[str] = []
    while len(ids) < MAX_ROWS:
        batch = page_request(params, sort, limit=min(_BATCH, MAX_ROWS - len(ids)), offset=len(ids),
                             facets=False, highlights=False)  # fmt: skip
        hits = searcher.search(batch).hits
        ids += [hit.id for hit in hits]
        if len(hits) < batch.limit:
            break
    return ids


def _attachment(body: bytes | str, media_type: str, suffix: str) -> Response:
    name = f"danh-muc-van-ban-{date.today():%Y%m%d}.{suffix}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _listed(request: Request, services: Any, params: dict[str, str]) -> Iterator[list[Cell]] | Response:
    """The rows of the results for a reader, or the page saying what is wrong with the search."""
    page_user(request, Role.READER)
    try:
        ids = _result_ids(services, params)
    except QueryError as exc:
        return render_problem(request, Problem("invalid-query", exc.message))
    return _rows(ids, services, str(request.base_url).rstrip("/"))


@router.get("/search.xlsx")
def search_workbook(request: Request, services: ServicesDep, params: PageParams) -> Response:
    rows = _listed(request, services, params)
    if isinstance(rows, Response):
        return rows
    data = workbook(COLUMNS, rows, widths=_WIDTHS, wrap=(_SUMMARY_COLUMN,))
    return _attachment(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@router.get("/search.csv")
def search_list(request: Request, services: ServicesDep, params: PageParams) -> Response:
    rows = _listed(request, services, params)
    if isinstance(rows, Response):
        return rows
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel's own line ends
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return _attachment("\ufeff" + out.getvalue(), "text/csv; charset=utf-8", "csv")
