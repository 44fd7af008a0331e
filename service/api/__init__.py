"""The JSON API (``/api/...``), health checks included; OpenAPI at ``/docs``."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import documents, export, health, models, search

router = APIRouter()
for module in (health, search, documents, models, export):
    router.include_router(module.router)
