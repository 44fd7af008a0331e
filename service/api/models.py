"""The model registry over HTTP: versions with metrics, compare two, activate, roll back (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from service.deps import Admin, Reader, ServicesDep
from service.model_compare import compare_versions
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


@router.get("", summary="Các phiên bản mô hình và phiên bản đang dùng", responses=documented(401))
def list_models(services: ServicesDep, _: Reader) -> dict[str, Any]:
    return models_status(services)


@router.get("/compare", summary="So sánh số liệu kiểm định chéo của hai phiên bản mô hình",
            responses=documented(401, 404, 409, 422))
def compare(services: ServicesDep, _: Reader,
            base: Annotated[str, Query(min_length=1, description="Phiên bản gốc")],
            candidate: Annotated[str, Query(min_length=1, description="Phiên bản so sánh")],
            ) -> dict[str, Any]:  # fmt: skip
    """Per task: each version's cross-validated accuracy, macro-F1 and ECE with the changes, the per-class
    F1, and whether the two were trained on the same data (if not, how to compare them on a held-out corpus)."""
    return compare_versions(services.settings.data_dir, base, candidate).to_dict()


def activate_version(services: Services, version: str, actor: str) -> dict[str, Any]:
    """Point the registry at ``version`` and load it in this worker now (the others follow by polling)."""
    previous = services.models.loaded.version if services.models.loaded else None
    # e.g. the version has no document-type model, or its fields are not the store's
    warnings = services.registry.activate(version, actor, services.store.topic_counts())
    loaded = services.models.refresh(force=True)
    if loaded is None or loaded.version != version:
        raise Problem(
            "incompatible-model",
            f"Đã chọn phiên bản {version} nhưng không nạp được: {services.models.last_error or 'không rõ lỗi'}.",
        )
    services.store.record_event("model-activate", {"version": version, "previous": previous}, actor=actor)
    return {"active": version, "previous": previous, "loaded": loaded.version, "warnings": list(warnings)}


@router.post("/{version}/activate", summary="Chuyển sang phiên bản mô hình này ngay, không cần khởi động lại",
             responses=documented(401, 403, 404, 409))
async def activate(version: str, services: ServicesDep, principal: Admin) -> dict[str, Any]:
    return await run_in_threadpool(activate_version, services, version, principal.name)


def rollback_version(services: Services, actor: str) -> dict[str, Any]:
    """Go back to the version active before the current one, load it now, and audit the switch."""
    previous = services.models.loaded.version if services.models.loaded else None
    version = services.registry.rollback(actor)
    loaded = services.models.refresh(force=True)
    services.store.record_event("model-rollback", {"version": version, "previous": previous}, actor=actor)
    return {"active": version, "previous": previous, "loaded": loaded.version if loaded else None}


def switch_history(services: Services, limit: int = 10) -> list[dict[str, Any]]:
    """The latest model activations and rollbacks from the audit log, newest first."""
    # Asked of the store by action: an import of thousands of documents since must not push them out.
    entries = services.store.audit(limit=limit, actions=("model-activate", "model-rollback"))
    return [{"at": e.at, "actor": e.actor, "action": e.action, "version": e.details.get("version"),
             "previous": e.details.get("previous")} for e in entries[:limit]]  # fmt: skip


@router.post("/rollback", summary="Quay lại phiên bản mô hình trước", responses=documented(401, 403, 409))
async def rollback(services: ServicesDep, principal: Admin) -> dict[str, Any]:
    return await run_in_threadpool(rollback_version, services, principal.name)
