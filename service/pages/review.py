"""The review queue: documents whose tags a model was unsure of, accepted or corrected one after another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from service import documents as docs
from service.deps import ServicesDep
from service.pages.common import (
    page_user,
    redirect,
    render,
    shown_proposals,
    topic_choices,
)
from service.settings import Role
from service.taxonomy import taxonomy_of

router = APIRouter(include_in_schema=False)


@router.get("/review")
def review_page(request: Request, services: ServicesDep, at: Annotated[int, Query(ge=0, le=100_000)] = 0) -> Response:
    principal = page_user(request, Role.READER)
    queue = docs.review_queue(services)
    position = min(at, max(0, len(queue) - 1))
    current = queue[position] if queue else None
    doc = current[0] if current else None
    classification = doc.extra.get("classification") if doc else None
    # Each field's value is shown with the provenance of its label (a source's value is not the model's
    # proposal, QA); the select offers the active model's labels and always the value and the proposal shown.
    filed = docs.labels_by_field(services.store.labels(doc.id)) if doc else {}
    labels = {field: docs.label_dict(label) for field, label in filed.items()}
    # Each proposal is named with the version that made it; an earlier version's field the active taxonomy
    # lacks is left out (QA: the portal model's proposal stayed after the 14-field model was activated).
    taxonomy = taxonomy_of(services)
    proposals = shown_proposals(classification, {"doc_type": doc.doc_type, "topic": doc.topic} if doc else {},
                                active_version=services.registry.active_version(), taxonomy=taxonomy)  # fmt: skip
    proposed = (proposals.get("topic") or {}).get("label")
    return render(request, "review.html", {
        "queue": queue[:200], "total": len(queue), "position": position, "current": current,
        "proposals": proposals, "labels": labels,
        "topic_choices": topic_choices(taxonomy, doc.topic, proposed=(proposed,)) if doc else None,
        "can_edit": principal.can(Role.UPLOADER) and not principal.is_anonymous,
    })  # fmt: skip


@router.get("/review/{doc_id:path}")
def review_form_link(doc_id: str) -> Response:
    """A review form's address opened as a page: the queue."""
    return redirect("/review")


@router.post("/review/{doc_id:path}")
def review_decide(
    request: Request,
    doc_id: str,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()] = "",
    doc_type: Annotated[str, Form(max_length=100)] = "",
    topic: Annotated[str, Form(max_length=100)] = "",
    at: Annotated[int, Form(ge=0)] = 0,
) -> Response:
    """Accepting or correcting both tags records them as the clerk's: the document leaves the queue and
    the next one takes its place. A tag left at "chưa xác định" is not recorded as the clerk's (an empty
    choice would leave the field empty for good, out of the queue and never proposed again): the document
    stays in the queue with what was chosen saved."""
    principal = page_user(request, Role.UPLOADER, csrf=csrf_token)
    chosen = {field: value for field, value in (("doc_type", doc_type), ("topic", topic)) if value}
    if chosen:
        docs.correct(services, doc_id, chosen, actor=principal.name)
    if len(chosen) < 2:
        return redirect("/review", at=str(at) if at else "", ok="partial")
    return redirect("/review", at=str(at) if at else "", ok="accepted")
