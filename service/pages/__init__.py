"""Server-rendered pages in Vietnamese: search, document, upload, review queue, models, login, docs."""

from __future__ import annotations

from fastapi import APIRouter

from service.pages import docs, login, models, review, search, search_list, upload, upload_batch
from service.pages.common import render_problem

router = APIRouter(include_in_schema=False)
for module in (search, search_list, upload, upload_batch, review, models, login, docs):
    router.include_router(module.router)

__all__ = ["render_problem", "router"]
