"""The model registry over HTTP: versions with metrics, compare two, activate, roll back (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from service.api import schemas
from service.api.schemas import described, shaped_as
from service.deps import Admin, Reader, ServicesDep
from service.model_compare import compare_versions
from service.models_adapter import AUDIT_ACTIONS, audit_switch
from service.problems import Problem, documented
from service.services import Services

router = APIRouter(prefix="/api/models", tags=["mô hình"])


def models_status(services: Services) -> dict[str, Any]:
    loaded = services.models.current()
    versions = services.registry.versions()
    return {
        "active": next((v.version for v in versions if v.active), None),
        "loaded": loaded.version if loaded else None,
        "error": services.models.last_error or services.registry_error,
        "versions": [v.to_dict() for v in versions],
    }


@router.get("", summary="Các phiên bản mô hình và phiên bản đang dùng",
            response_model=shaped_as(schemas.ModelsStatus),
            responses={**described(schemas.ModelsStatus, "Phiên bản đang chọn, đã nạp và mọi phiên bản"),
                       **documented(401)})
def list_models(services: ServicesDep, _: Reader) -> dict[str, Any]:
    return models_status(services)


@router.get("/compare", summary="So sánh số liệu kiểm định chéo của hai phiên bản mô hình",
            description=("Theo từng tác vụ: độ chính xác, macro-F1 và ECE kiểm định chéo của mỗi phiên bản và chênh "
                         "lệch, F1 theo từng nhãn, và hai phiên bản có được huấn luyện trên cùng dữ liệu không (nếu "
                         "không: so sánh trên một tập giữ lại bằng vanban models compare --corpus)."),
            response_model=shaped_as(schemas.ModelComparison),
            responses={**described(schemas.ModelComparison, "Số liệu hai phiên bản theo từng tác vụ"),
                       **documented(401, 404, 409, 422)})
def compare(services: ServicesDep, _: Reader,
            base: Annotated[str, Query(min_length=1, description="Phiên bản gốc")],
            candidate: Annotated[str, Query(min_length=1, description="Phiên bản so sánh")],
            ) -> dict[str, Any]:  # fmt: skip
    """Per task: each version's cross-validated accuracy, macro-F1 and ECE with the changes, the per-class
    F1, and whether the two were trained on the same data (if not, how to compare them on a held-out corpus)."""
    return compare_versions(services.settings.data_dir, base, candidate).to_dict()


def _pointer(services: Services) -> str | None:
    """The version the active pointer names before a switch: the switch's "previous", whichever worker
    serves what. (A registry stand-in without ``active_version``, as some tests use, has none.)"""
    active_version = getattr(services.registry, "active_version", None)
    return active_version() if active_version else None


def activate_version(services: Services, version: str, actor: str) -> dict[str, Any]:
    """Point the registry at ``version`` and load it in this worker now (the others follow by polling)."""
    previous = _pointer(services)  # the pointer, not what this worker happens to serve
    # e.g. the version has no document-type model, or its fields are not the store's
    warnings = services.registry.activate(version, actor, services.store.topic_counts())
    loaded = services.models.refresh(force=True)
    if loaded is None or loaded.version != version:
        raise Problem(
            "incompatible-model",
            f"Đã chọn phiên bản {version} nhưng không nạp được: {services.models.last_error or 'không rõ lỗi'}.",
        )
    audit_switch(services.store, "activate", version, previous, actor)
    return {"active": version, "previous": previous, "loaded": loaded.version, "warnings": list(warnings)}


@router.post("/{version}/activate", summary="Chuyển sang phiên bản mô hình này ngay, không cần khởi động lại",
             response_model=shaped_as(schemas.ActivationResult),
             responses={**described(schemas.ActivationResult, "Phiên bản đã chọn và đã nạp"),
                        **documented(401, 403, 404, 409)})
async def activate(version: str, services: ServicesDep, principal: Admin) -> dict[str, Any]:
    return await run_in_threadpool(activate_version, services, version, principal.name)


def rollback_version(services: Services, actor: str) -> dict[str, Any]:
    """Go back to the version active before the current one, load it now, and audit the switch."""
    previous = _pointer(services)
    version = services.registry.rollback(actor)
    loaded = services.models.refresh(force=True)
    audit_switch(services.store, "rollback", version, previous, actor)
    return {"active": version, "previous": previous, "loaded": loaded.version if loaded else None}


def switch_history(services: Services, limit: int = 10) -> list[dict[str, Any]]:
    """The latest model activations and rollbacks, newest first, from the registry's history: the one record
    every switch writes (page, API, `vanban models activate|rollback`, `vanban train --activate`)."""
    switches = getattr(services.registry, "switches", None)
    entries = switches(limit) if switches else []
    return [{"at": e.get("at"), "actor": e.get("actor"), "action": AUDIT_ACTIONS.get(str(e.get("action")), e.get("action")),
             "version": e.get("version"), "previous": e.get("previous")} for e in entries]  # fmt: skip


@router.post("/rollback", summary="Quay lại phiên bản mô hình trước",
             response_model=shaped_as(schemas.RollbackResult),
             responses={**described(schemas.RollbackResult, "Phiên bản đã quay lại"), **documented(401, 403, 409)})
async def rollback(services: ServicesDep, principal: Admin) -> dict[str, Any]:
    return await run_in_threadpool(rollback_version, services, principal.name)
