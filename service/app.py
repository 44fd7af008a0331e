"""The FastAPI application: ``create_app(settings)`` builds it; the lifespan opens what it serves with.

Nothing happens at import time. ``uvicorn --factory service.app:create_app`` (what ``vanban serve`` runs)
reads the settings from the environment; tests pass their own :class:`~service.settings.Settings`.

Example
-------
>>> from fastapi.testclient import TestClient                                    # doctest: +SKIP
>>> with TestClient(create_app(Settings(data_dir=tmp))) as client:               # doctest: +SKIP
...     client.get("/readyz").json()["checks"]["model"]["active"]
None
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import api, pages, problems
from service.services import open_services
from service.settings import Settings, get_settings
from service.uploads import BodyLimitMiddleware

log = logging.getLogger("vanban.service")

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Pages load only what this server serves: no CDN, no inline script (the CSP forbids both).
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in _SECURITY_HEADERS if n not in present)]  # fmt: skip
            await send(message)

        await self.app(scope, receive, add_headers)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # Sync routes run in anyio's thread pool (40 threads by default). Search is CPU work under the GIL:
    # beyond a few threads, more in flight only adds latency and memory (bench/memory.py).
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
    services = open_services(settings)
    app.state.services = services
    log.info(
        "vanban serving %s: %d documents, index %s, model %s%s",
        settings.data_dir,
        services.store.count(),
        "ok" if services.searcher else "UNAVAILABLE",
        services.models.serving or "none",
        "" if services.models.loaded or not services.models.serving else " (loaded on first use)",
    )
    try:
        yield
    finally:
        services.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application serving the data directory of ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="vanban",
        summary="Đọc, gắn nhãn và tìm kiếm văn bản hành chính tiếng Việt (ngoại tuyến).",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI would load from a CDN; /docs is our own offline page
        redoc_url=None,
    )
    app.state.settings = settings
    _declare_bearer_keys(app)
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.render_problem = pages.render_problem
    # Outermost last: headers on everything, then the last-resort 500, then the body limit.
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes)
    app.add_middleware(problems.CatchAllMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _declare_bearer_keys(app: FastAPI) -> None:
    """The API's keys in its OpenAPI description (``Authorization: Bearer <khóa>`` on every ``/api`` route), so
    that a client generated from it sends them (QA: the spec named no security scheme)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {})["securitySchemes"] = {
            "khoaApi": {"type": "http", "scheme": "bearer",
                        "description": "Khóa API do quản trị cấp (VANBAN_API_KEYS), gửi trong tiêu đề Authorization: "
                                       "Bearer <khóa>; quyền đọc, tải lên hoặc quản trị."},
        }  # fmt: skip
        for path, operations in schema["paths"].items():
            if path.startswith("/api/"):
                for operation in operations.values():
                    operation.setdefault("security", [{"khoaApi": []}])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
