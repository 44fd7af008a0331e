"""``/docs``: the API reference, rendered here from the OpenAPI document (no CDN, works offline);
``/problems/{code}``: what each error type means and what to do about it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from service.pages.common import render
from service.problems import PROBLEM_TYPES, Problem

router = APIRouter(include_in_schema=False)

_METHODS = ("get", "post", "patch", "put", "delete")


def _schema_text(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "anyOf" in schema:
        return " | ".join(_schema_text(s) for s in schema["anyOf"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"[{_schema_text(schema.get('items'))}]"
    return f"{kind}{'(' + schema['format'] + ')' if 'format' in schema else ''}"


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "type": _schema_text(p.get("schema")), "description": p.get("description", "")}
                for p in op.get("parameters", [])
            ]  # fmt: skip
            body = op.get("requestBody", {}).get("content", {})
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or ["khác"])[0],
                "params": params, "bodies": list(body), "responses": sorted(op.get("responses", {})),
            })  # fmt: skip
    return out


def grouped(ops: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Operations by tag, in the order the API declares them (search first, health last)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for op in ops:
        groups.setdefault(op["tag"], []).append(op)
    return sorted(groups.items(), key=lambda item: item[0] == "tình trạng")


@router.get("/docs")
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    return render(request, "api_docs.html", {"groups": grouped(operations(spec)), "problems": PROBLEM_TYPES})


@router.get("/problems/{code}")
def problem_type(request: Request, code: str) -> Response:
    if code not in PROBLEM_TYPES:
        raise Problem("not-found", "Không có loại lỗi này.")
    status, title, hint = PROBLEM_TYPES[code]
    return render(request, "problem_type.html", {"code": code, "status": status, "title": title, "hint": hint})
