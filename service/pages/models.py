"""The models page (admin): versions with their metrics, activate one, roll back."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from service.api.models import activate_version, models_status, rollback_version, switch_history
from service.deps import ServicesDep
from service.pages.common import page_user, redirect, render
from service.settings import Role

router = APIRouter(include_in_schema=False)
log = logging.getLogger("vanban.service.models")

_TASKS = {"doc_type": "Loại văn bản", "topic": "Lĩnh vực"}
_OTHER_WARNING = "Phiên bản vừa kích hoạt có cảnh báo; xem nhật ký máy chủ hoặc chạy: vanban models list"


def activation_warnings() -> dict[str, str]:
    """Warning code → the fixed Vietnamese text the registry gives for it.

    The redirect after an activation carries these codes (``?warn=no-doc_type``), never the text: the page
    shows only messages it knows, whatever a link puts in the URL.
    """
    known = {"other": _OTHER_WARNING}
    try:
        from models.registry import TASK_NAMES, missing_task_warnings
    except ImportError:  # the models package is unusable; the page reports it from the registry's error
        return known
    for task in TASK_NAMES:  # the warning of a version lacking ``task`` alone
        (text,) = missing_task_warnings(t for t in TASK_NAMES if t != task)
        known[f"no-{task}"] = text
    return known


def warning_codes(warnings: list[str]) -> list[str]:
    """The codes of an activation's warnings; one the page has no code for is logged and shown as "other"."""
    by_text = {text: code for code, text in activation_warnings().items()}
    codes = []
    for warning in warnings:
        code = by_text.get(warning)
        if code is None:
            log.warning("model activation warning: %s", warning)
            code = "other"
        if code not in codes:
            codes.append(code)
    return codes


def metric_rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """Cross-validation figures per task, as the page shows them (None where a figure is missing)."""
    rows = []
    for task, values in metrics.items():
        if not isinstance(values, dict):
            continue
        review = values.get("review")
        if not isinstance(review, dict):
            review = {}
        rows.append({
            "task": _TASKS.get(task, task), "n": values.get("n"), "accuracy": values.get("accuracy"),
            "macro_f1": values.get("macro_f1"), "ece": values.get("ece"), "coverage": review.get("coverage"),
            "accepted_accuracy": review.get("accepted_accuracy"), "threshold": review.get("threshold"),
        })  # fmt: skip
    return rows


@router.get("/models")
def models_page(request: Request, services: ServicesDep) -> Response:
    page_user(request, Role.ADMIN)
    status = models_status(services)
    for version in status["versions"]:
        version["rows"] = metric_rows(version["metrics"])
    known = activation_warnings()
    codes = request.query_params.get("warn", "").split(",")
    warnings = [known[code] for code in dict.fromkeys(codes) if code in known]
    return render(request, "models.html", {"status": status, "history": switch_history(services),
                                           "warnings": warnings})  # fmt: skip


@router.post("/models/{version}/activate")
def activate(request: Request, version: str, services: ServicesDep,
             csrf_token: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    result = activate_version(services, version, principal.name)
    return redirect("/models", ok="activated", warn=",".join(warning_codes(result["warnings"])))


@router.post("/models/rollback")
def rollback(request: Request, services: ServicesDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    rollback_version(services, principal.name)
    return redirect("/models", ok="rolledback")
