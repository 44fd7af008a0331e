"""The models page (admin): versions with their metrics, compare two, activate one, roll back."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from service.api.models import activate_version, models_status, rollback_version, switch_history
from service.deps import ServicesDep
from service.model_compare import Comparison, compare_versions
from service.pages.common import page_user, redirect, render
from service.problems import Problem, problem_for
from service.services import Services
from service.settings import Role

router = APIRouter(include_in_schema=False)
log = logging.getLogger("vanban.service.models")

_TASKS = {"doc_type": "Loại văn bản", "topic": "Lĩnh vực"}
_OTHER_WARNING = "Phiên bản vừa kích hoạt có cảnh báo; xem nhật ký máy chủ hoặc chạy: vanban models list"
_TAXONOMY_EFFECT = (
    ": phần lớn văn bản đã có lĩnh vực mà mô hình không biết. Mô hình sẽ đề xuất theo danh mục của nó cho văn bản "
    "chưa có lĩnh vực; lĩnh vực đã có không bị đổi."
)


def activation_warnings() -> dict[str, str]:
    """Warning code → the fixed Vietnamese text the registry gives for it.

    The redirect after an activation carries these codes (``?warn=no-doc_type``), never the text: the page
    shows only messages it knows, whatever a link puts in the URL.
    """
    known = {"other": _OTHER_WARNING}
    try:
        from models.registry import TASK_NAMES, TAXONOMY_WARNING, missing_task_warnings
    except ImportError:  # the models package is unusable; the page reports it from the registry's error
        return known
    known["taxonomy"] = TAXONOMY_WARNING + _TAXONOMY_EFFECT
    for task in TASK_NAMES:  # the warning of a version lacking ``task`` alone
        (text,) = missing_task_warnings(t for t in TASK_NAMES if t != task)
        known[f"no-{task}"] = text
    return known


def warning_codes(warnings: list[str]) -> list[str]:
    """The codes of an activation's warnings; one the page has no code for is logged and shown as "other"."""
    known = activation_warnings()
    by_text = {text: code for code, text in known.items()}
    codes = []
    for warning in warnings:
        code = by_text.get(warning)
        if code is None and "taxonomy" in known and warning.startswith(known["taxonomy"].removesuffix(_TAXONOMY_EFFECT)):
            log.warning("model activation warning: %s", warning)  # its counts go to the log, the page says why
            code = "taxonomy"
        if code is None:
            log.warning("model activation warning: %s", warning)
            code = "other"
        if code not in codes:
            codes.append(code)
    return codes


# How training describes its data (models.train), as the page says it to an administrator.
_DATA_WORDS = (
    ("store: labelled documents of the service", "kho văn bản của dịch vụ (nhãn đã có)"),
    ("default recipe: ", "bộ dữ liệu mặc định: "),
    ("corpus: ", "dữ liệu: "),
)


def data_description(text: str | None) -> str | None:
    """A version's description in Vietnamese where it is one of training's own phrases; "store" as a source
    name reads "kho văn bản". Anything else (a researcher's own words) is shown as written."""
    if not text:
        return text
    for english, vietnamese in _DATA_WORDS:
        if text.startswith(english):
            rest = text[len(english):]
            names = ", ".join("kho văn bản" if name.strip() == "store" else name.strip() for name in rest.split(","))
            return vietnamese + names if rest else vietnamese
    return text


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


def compare_choices(versions: list[str], active: str | None) -> tuple[str | None, str | None]:
    """The comparison form's defaults: the active version as base, the newest other one as candidate.

    ``versions`` oldest first (as the registry lists them).
    """
    base = active if active in versions else (versions[-1] if versions else None)
    candidate = next((v for v in reversed(versions) if v != base), None)
    return base, candidate


def comparison_of(services: Services, base: str, candidate: str) -> tuple[Comparison | None, Problem | None]:
    """The comparison, or the problem to show in its place (an unknown version, an unreadable manifest)."""
    try:
        return compare_versions(services.settings.data_dir, base, candidate), None
    except Problem as problem:
        return None, problem
    except Exception as exc:  # the registry's errors (ModelNotFound, IncompatibleModel) become problems
        mapped = problem_for(exc)
        if mapped.code == "internal-error":
            raise
        return None, mapped


def rollback_refusal(services: Services) -> str | None:
    """Why a rollback would be refused now (Vietnamese), None when it would go ahead: the very check the
    rollback makes (:meth:`models.registry.Registry.rollback_target`), so the page offers no button that can
    only fail."""
    try:
        from models.errors import ModelError
        from models.registry import Registry
    except ImportError:  # the models package is unusable; the page reports it from the registry's error
        return "Không dùng được kho mô hình."
    try:
        Registry.open(services.settings.data_dir).rollback_target()
    except ModelError as exc:
        return exc.message
    return None


@router.get("/models")
def models_page(request: Request, services: ServicesDep) -> Response:
    page_user(request, Role.ADMIN)
    status = models_status(services)
    for version in status["versions"]:
        version["rows"] = metric_rows(version["metrics"])
        version["description"] = data_description(version.get("description"))
    known = activation_warnings()
    codes = request.query_params.get("warn", "").split(",")
    warnings = [known[code] for code in dict.fromkeys(codes) if code in known]
    default_base, default_candidate = compare_choices([v["version"] for v in status["versions"]], status["active"])
    base = request.query_params.get("base", "").strip()
    candidate = request.query_params.get("candidate", "").strip()
    comparison, compare_error = comparison_of(services, base, candidate) if base and candidate else (None, None)
    refusal = rollback_refusal(services)
    # After a refused rollback (?error=rollback) the reason is asked of the registry again, never read from the URL.
    rollback_error = None
    if request.query_params.get("error") == "rollback":
        rollback_error = refusal or "Không quay lại được phiên bản trước. Hãy tải lại trang và thử lại."
    context = {
        "status": status, "history": switch_history(services), "warnings": warnings, "comparison": comparison,
        "can_rollback": refusal is None, "rollback_error": rollback_error,
        "compare_error": compare_error, "compare_base": base or default_base,
        "compare_candidate": candidate or default_candidate,
    }  # fmt: skip
    return render(request, "models.html", context, status=compare_error.status if compare_error else 200)


@router.get("/models/rollback")
@router.get("/models/{version}/activate")
def model_form_link() -> Response:
    """A model form's address opened as a page (history, a bookmark): the models page, nothing switched."""
    return redirect("/models")


@router.post("/models/{version}/activate")
def activate(request: Request, version: str, services: ServicesDep,
             csrf_token: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    result = activate_version(services, version, principal.name)
    return redirect("/models", ok="activated", warn=",".join(warning_codes(result["warnings"])))


@router.post("/models/rollback")
def rollback(request: Request, services: ServicesDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    try:
        rollback_version(services, principal.name)
    except Exception as exc:  # refused (nothing to go back to, that version deleted or damaged): say why
        if problem_for(exc).code == "internal-error":
            raise
        log.info("rollback refused from the models page: %s", exc)
        return redirect("/models", error="rollback")
    return redirect("/models", ok="rolledback")
