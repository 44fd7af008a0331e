"""Related documents of one document for the API and the document page (:mod:`corpus.related`).

Adds what a page or a client needs to follow each entry (``url``, ``api_url``) to the library's result,
and keeps the page alive when search is unavailable (the lists are then empty, the rest still shows).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from corpus.document import Document
from corpus.related import find_related
from corpus.search_errors import SearchError
from service.documents import id_path
from service.services import Services

log = logging.getLogger("vanban.service.related")


@dataclass(frozen=True)
class RelatedDocs:
    cites: list[dict[str, Any]]
    unresolved: list[dict[str, Any]]
    cited_by: list[dict[str, Any]]
    similar: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"cites": self.cites, "unresolved": self.unresolved, "cited_by": self.cited_by,
                "similar": self.similar}  # fmt: skip


def _linked(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # One encoded path segment per id: an imported id may hold "/", "#", "?", "%" or spaces.
    out = []
    for item in items:
        segment = id_path(item["id"])
        out.append({**item, "url": f"/documents/{segment}", "api_url": f"/api/documents/{segment}"})
    return out


def related_documents(services: Services, doc: Document, limit: int = 10) -> RelatedDocs:
    """Cited, citing and similar documents of ``doc``."""
    try:
        data = find_related(services.store, services.search().index, doc.id, limit).to_dict()
    except SearchError as exc:
        log.warning("related documents of %s unavailable: %s", doc.id, exc)
        return RelatedDocs([], [], [], [])
    return RelatedDocs(_linked(data["cites"]), data["unresolved"], _linked(data["cited_by"]),
                       _linked(data["similar"]))  # fmt: skip
