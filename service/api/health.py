"""Liveness and readiness: ``/healthz`` (the process answers) and ``/readyz`` (what it can serve)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.schemas import Liveness, Readiness, described, shaped_as
from service.deps import ServicesDep
from service.problems import problem_for

router = APIRouter(tags=["tình trạng"])


@router.get("/healthz", summary="Tiến trình còn chạy", response_model=shaped_as(Liveness, dict[str, str]),
            responses=described(Liveness, "Tiến trình còn chạy"))
async def healthz() -> dict[str, str]:
    # No work and no thread: a liveness probe answers even when every request thread is busy.
    return {"status": "ok"}


@router.get("/readyz", summary="Kho văn bản, chỉ mục và mô hình đã sẵn sàng chưa",
            description=("200 khi lưu và tìm được văn bản; thiếu mô hình phân loại không làm dịch vụ chưa sẵn sàng "
                         "(chỉ không có đề xuất loại và lĩnh vực)."),
            responses={**described(Readiness, "Sẵn sàng: lưu và tìm được văn bản"),
                       **described(Readiness, "Kho văn bản hoặc chỉ mục không dùng được", 503)})
def readyz(services: ServicesDep) -> JSONResponse:
    """200 when documents can be stored and searched. A missing model does not make the service unready
    (uploads are then tagged from the header and queued for review) but is reported."""
    checks: dict[str, Any] = {}
    ready = True
    try:
        checks["store"] = {"ok": True, "documents": services.store.count()}
    except Exception as exc:  # a readiness probe reports, it never raises
        ready = False
        checks["store"] = {"ok": False, "error": problem_for(exc).detail}
    try:
        index = services.search().index  # reloaded: another process's commits and a swapped-in rebuild seen
        deferred = services.deferred_index
        checks["index"] = {
            "ok": True, "documents": index.num_docs, "version": index.manifest.version(),
            # behind the store (a killed import, writes held back by a busy index): still serving, said so
            "in_step": not index.out_of_step(services.store),
            "pending": deferred.pending if deferred is not None else 0,
        }  # fmt: skip
    except Exception as exc:
        ready = False
        checks["index"] = {"ok": False, "error": problem_for(exc).detail}
    # Lazy workers load the model on their first upload or classification: until then the active
    # version is reported as pending (``loaded`` false), not loaded just to answer a probe.
    model = services.models.state()
    if model.loaded is not None:
        checks["model"] = {"ok": True, "active": model.loaded.version, "loaded": True, "error": model.error}
    elif model.pending:
        checks["model"] = {"ok": True, "active": model.active, "loaded": False, "error": None}
    else:
        reason = model.error or services.registry_error
        checks["model"] = {
            "ok": False,
            "active": None,
            "message": reason or "Chưa có mô hình nào được kích hoạt; văn bản tải lên được gắn loại theo "
            "tiêu đề và chờ người duyệt lĩnh vực. Huấn luyện: vanban train.",
        }
    body = {"status": "ready" if ready else "unavailable", "model_version": model.serving, "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503)
