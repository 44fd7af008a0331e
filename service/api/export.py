"""``GET /api/export``: the store in the import format; ``GET /api/backup``: the whole data directory
(:mod:`service.backup`) — for an administrator's browser or script.

The same records as ``vanban export`` (:mod:`corpus.export`): written to a temporary file in the data
directory first, then sent, so that a slow client never holds the store open and a failure never sends half
a backup under a 200.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.background import BackgroundTask
from starlette.responses import FileResponse

from service.deps import Admin, ServicesDep
from service.problems import Problem, documented

router = APIRouter(prefix="/api", tags=["sao lưu"])

_MEDIA = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}
_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/export",
    summary="Sao lưu văn bản theo định dạng nhập (JSONL hoặc CSV), kèm nguồn gốc nhãn (quản trị)",
    description="Cùng nội dung với lệnh `vanban export`: nhập tệp này vào một thư mục dữ liệu trống rồi xuất lại "
    "cho cùng một tệp. labels=confirmed để trống các nhãn chỉ do mô hình đề xuất (dùng để huấn luyện lại).",
    response_class=FileResponse,
    responses={200: {"description": "Tệp JSONL (mỗi dòng một văn bản) hoặc CSV, tải về dưới tên vanban-<thời điểm>",
                     "content": {"application/x-ndjson": _FILE, "text/csv": _FILE}},
               **documented(401, 403, 422)},
)
def export(
    services: ServicesDep,
    _: Admin,
    format: Annotated[Literal["jsonl", "csv"], Query(description="jsonl (đầy đủ) hoặc csv (bảng tính)")] = "jsonl",  # noqa: A002 - the public parameter name
    type: Annotated[str | None, Query(description="loại văn bản: slug, mã (QĐ) hoặc tên")] = None,  # noqa: A002
    topic: Annotated[str | None, Query(description="lĩnh vực: mã, tên hoặc nhãn của văn bản đã có")] = None,
    from_: Annotated[str | None, Query(alias="from", description="từ ngày")] = None,
    to: Annotated[str | None, Query(description="đến ngày")] = None,
    labels: Annotated[Literal["all", "confirmed"], Query(description="all hoặc confirmed")] = "all",
) -> FileResponse:
    from corpus.export import export_documents, parse_filters
    from service.taxonomy import taxonomy_of

    store = services.store
    filters = parse_filters(
        store, doc_type=type, topic=topic, date_from=from_, date_to=to, own_topics=taxonomy_of(services).model_labels
    )  # 422 on a bad value
    handle, name = tempfile.mkstemp(prefix=".export-", suffix=f".{format}", dir=services.settings.data_dir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            export_documents(store, out, fmt=format, filters=filters, labels=labels)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    filename = f"vanban-{datetime.now(UTC):%Y%m%d-%H%M%S}.{format}"
    return FileResponse(name, media_type=_MEDIA[format], filename=filename,
                        background=BackgroundTask(Path(name).unlink, missing_ok=True))  # fmt: skip


@router.get(
    "/backup",
    summary="Sao lưu toàn bộ thư mục dữ liệu: kho văn bản (cả tệp gốc, lịch sử nhãn, nhật ký) và mô hình (quản trị)",
    description="Cùng nội dung với lệnh `vanban backup`: một tệp .tar.gz, kho văn bản chụp tại một thời điểm (an toàn khi "
    "dịch vụ đang chạy), các phiên bản mô hình và phiên bản đang dùng, kèm mã kiểm tra từng phần. Khôi phục bằng "
    "`vanban restore TỆP` vào một thư mục dữ liệu trống. Không chứa khóa API; chỉ mục tìm kiếm được tạo lại khi khôi phục.",
    response_class=FileResponse,
    responses={200: {"description": "Tệp .tar.gz của thư mục dữ liệu", "content": {"application/gzip": _FILE}},
               **documented(401, 403, 503)},
)
def backup(services: ServicesDep, _: Admin) -> FileResponse:
    from service.backup import BackupError, default_backup_name, write_backup

    folder = Path(tempfile.mkdtemp(prefix=".backup-", dir=services.settings.data_dir))
    name = default_backup_name()
    try:
        write_backup(Path(services.settings.data_dir), folder / name)
    except BackupError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise Problem("store-error", exc.message) from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(folder / name, media_type="application/gzip", filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))  # fmt: skip
