"""The upload page: drop a file, see its header and proposed tags, correct them, save."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from corpus.document import FIELD_MAX_CHARS
from nlp.extract import MAX_TEXT_CHARS
from service import documents as docs
from service.deps import ServicesDep
from service.documents import Reading
from service.pages.common import checked_form, field_errors, page_user, redirect, render, topic_choices
from service.pages.upload_batch import read_batch
from service.pending import PendingUploads
from service.problems import Problem, problem_for
from service.settings import Role
from service.taxonomy import taxonomy_of
from service.uploads import MAX_BATCH_FILES, for_upload_page, read_upload_files, read_upload_input

router = APIRouter(include_in_schema=False)

# Header fields the clerk may correct on the upload page, in the order shown.
FORM_FIELDS = ("number", "issuer", "issued_date", "title", "signer")
# The longest value each field of the save form takes (the date has its own check, in form_date).
FIELD_LIMITS = {f: FIELD_MAX_CHARS[f] for f in ("number", "issuer", "title", "signer", "doc_type", "topic")}


def _pending(services: Any) -> PendingUploads:
    return PendingUploads(services.settings.data_dir)


@router.get("/upload")
def upload_page(request: Request, services: ServicesDep) -> Response:
    page_user(request, Role.UPLOADER)
    # The clerk is about to upload: start the extraction server and load the model meanwhile.
    services.extractor.warm_up()
    services.models.prefetch()
    return render(request, "upload.html", _upload_page(services))


def _upload_page(services: Any, **extra: Any) -> dict[str, Any]:
    """What the upload page shows: the limits of a file, of a batch and of a pasted text."""
    return {"limit": services.settings.max_upload_bytes, "max_files": MAX_BATCH_FILES,
            "max_chars": MAX_TEXT_CHARS, **extra}  # fmt: skip


def _values(reading: Reading) -> dict[str, str]:
    header = reading.header
    values = {f: getattr(header, f) for f in FORM_FIELDS}
    values["issued_date"] = header.issued_date.strftime("%d/%m/%Y") if header.issued_date else ""
    values["doc_type"] = reading.tags.doc_type.label or ""
    values["topic"] = reading.tags.topic.label or ""
    return {k: (v or "") for k, v in values.items()}


def _preview(request: Request, reading: Reading, token: str, values: dict[str, str], *,
             conflict: list[dict[str, Any]] | None = None, conflict_reason: str = "",
             error: Problem | None = None) -> Response:  # fmt: skip
    status = 409 if conflict else (error.status if error else 200)
    proposed = _values(reading)
    # The active model's labels are offered (and the proposal and what was typed, always): a proposal the
    # select lacked came back as "chưa xác định" and was filed as the clerk's empty field (QA).
    choices = topic_choices(taxonomy_of(request.app.state.services), values.get("topic"), proposed["topic"])
    return render(request, "upload_preview.html", {
        "reading": reading, "token": token, "values": values, "proposed": proposed, "conflict": conflict,
        "conflict_reason": conflict_reason, "error": error, "field_errors": _field_errors(error) if error else {},
        "tags": reading.tags, "text_excerpt": reading.text[:6000], "symbol": reading.header.symbol,
        "topic_choices": choices,
    }, status=status)  # fmt: skip


@router.post("/upload")
async def upload_read(request: Request, services: ServicesDep) -> Response:
    pasted = ""  # given back in the page's text box when it is refused: a clerk's paste is not lost
    try:
        multipart = "multipart" in request.headers.get("content-type", "")
        if multipart:
            files = await read_upload_files(request, services.settings.max_upload_bytes)
            if files:
                return await read_batch(request, services, files)
        given = await read_upload_input(request, services.settings.max_upload_bytes, allow_fields=False)
        pasted = given.text or ""
        form = await request.form() if multipart else None
        csrf = form.get("csrf_token") if form is not None else None
        principal = page_user(request, Role.UPLOADER, csrf=csrf if isinstance(csrf, str) else None)

        def work() -> tuple[Reading, str]:
            reading = docs.read_upload(services, data=given.data, filename=given.filename, text=given.text)
            token = _pending(services).put(data=given.data, filename=given.filename, text=given.text,
                                           content_type=given.content_type, owner=principal.name)  # fmt: skip
            return reading, token

        reading, token = await run_in_threadpool(work)
    except Exception as exc:
        problem = problem_for(exc)
        if problem.status not in (413, 415, 422):
            raise
        # A file the service cannot take is answered on the upload page itself, with what to do.
        shown = for_upload_page(_in_page_words(problem), request)
        return render(request, "upload.html", _upload_page(services, error=shown, pasted=pasted),
                      status=problem.status)  # fmt: skip
    return _preview(request, reading, token, _values(reading))


# Nothing chosen nor pasted, as the page says it: the API's message names its form fields ("file", "text"),
# which mean nothing to a clerk on the page (QA).
_NOTHING_GIVEN = "Hãy chọn một tệp hoặc dán nội dung văn bản."


def _in_page_words(problem: Problem) -> Problem:
    """``problem`` in the upload page's words rather than the API's."""
    missing = [
        e for e in problem.extensions.get("errors") or () if isinstance(e, dict) and e.get("field") == "file"
    ]
    if problem.code != "invalid-request" or not missing:
        return problem
    return Problem(problem.code, _NOTHING_GIVEN, status=problem.status, title=problem.title)


@router.get("/upload/save")
def upload_save_link() -> Response:
    """The save form's address opened as a page (a bookmark, the address bar): back to the upload page
    rather than an API's "method not allowed" (QA)."""
    return redirect("/upload")


def _field_errors(problem: Problem) -> dict[str, str]:
    return field_errors(problem, (*FORM_FIELDS, *docs.TAG_FIELDS))


@router.post("/upload/save")
def upload_save(
    request: Request,
    services: ServicesDep,
    token: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    # Lengths and the date are checked below, so that an error keeps the preview and what was typed.
    number: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    issued_date: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    signer: Annotated[str, Form()] = "",
    doc_type: Annotated[str, Form()] = "",
    topic: Annotated[str, Form()] = "",
    confirm_tags: Annotated[str, Form()] = "",
    force: Annotated[str, Form()] = "",
) -> Response:
    principal = page_user(request, Role.UPLOADER, csrf=csrf_token)
    saved = _pending(services).saved_document(token, owner=principal.name)
    if saved:  # the form sent again after it was saved: to the document it was filed as, said so
        return redirect(f"/documents/{docs.id_path(saved)}", ok="already-saved")
    pending = _pending(services).get(token, owner=principal.name)
    reading = docs.read_upload(services, data=pending.data, filename=pending.filename, text=pending.text)
    values = {"number": number, "issuer": issuer, "issued_date": issued_date, "title": title, "signer": signer,
              "doc_type": doc_type, "topic": topic}  # fmt: skip
    proposed = _values(reading)
    corrections = {k: v.strip() or None for k, v in values.items() if v.strip() != proposed[k].strip()}
    if confirm_tags:
        for field in docs.TAG_FIELDS:
            corrections.setdefault(field, values[field].strip() or None)
    try:
        # A title read from the header may be a line that is none (it is not filed yet): clearing it is allowed.
        checked_form(values, FIELD_LIMITS, corrections, keep_title=False)
        doc = docs.save_upload(services, reading, corrections, actor=principal.name, force=bool(force),
                               content_type=pending.content_type)  # fmt: skip
    except Exception as exc:  # the store's own InvalidDocument (a date that does not exist…) included
        problem = problem_for(exc)
        if problem.code == "duplicate-document":
            return _preview(request, reading, token, values, conflict=problem.extensions.get("existing"),
                            conflict_reason=str(problem.extensions.get("reason", "")))  # fmt: skip
        if problem.status == 422:
            return _preview(request, reading, token, values, error=problem)
        raise
    _pending(services).mark_saved(token, doc.id)
    return redirect(f"/documents/{docs.id_path(doc.id)}", ok="saved")
