"""The models page (admin): versions with their metrics, activate one, roll back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from service.api.models import activate_version, models_status, rollback_version, switch_history
from service.deps import ServicesDep
from service.pages.common import page_user, redirect, render
from service.settings import Role

router = APIRouter(include_in_schema=False)

_TASKS = {"doc_type": "Loại văn bản", "topic": "Lĩnh vực"}


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
    return render(request, "models.html", {"status": status, "history": switch_history(services)})


@router.post("/models/{version}/activate")
def activate(request: Request, version: str, services: ServicesDep,
             csrf_token: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    activate_version(services, version, principal.name)
    return redirect("/models", ok="activated")


@router.post("/models/rollback")
def rollback(request: Request, services: ServicesDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    rollback_version(services, principal.name)
    return redirect("/models", ok="rolledback")
