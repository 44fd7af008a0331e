"""Several files at once from the upload page: read them all, show one table, file the chosen ones.

A clerk filing a morning's correspondence drops a dozen files; going through the one-file preview a dozen
times is what made offices keep a spreadsheet instead. Each file is read as a single upload is (header,
proposed type and field with confidence, duplicates) and waits under its own token
(:class:`service.pending.PendingUploads`); a file that cannot be read is shown with its reason and the
others go on. Saving files the chosen ones with what was read and proposed — a proposal the model is unsure
of puts its document in the review queue, as a single upload does — and reports each file: filed (with a
link), or why not (a duplicate, with the document it duplicates). Corrections are made on the document
page afterwards; a file that needs them before filing is uploaded on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from corpus.document import Document
from corpus.search_filters import issuer_identity
from nlp.header_issuer import qualified_issuer
from service import documents as docs
from service.deps import ServicesDep
from service.documents import Reading
from service.pages.common import page_user, redirect, render
from service.pending import PendingUploads
from service.problems import Problem, problem_for
from service.settings import Role
from service.uploads import MAX_BATCH_FILES, UploadInput, too_large

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ReadRow:
    """One file of a batch as read: a reading waiting under ``token``, or the problem that stopped it.
    ``same_file``: stored documents filed from these very bytes; ``twin``: the earlier file of this batch
    that it repeats (the same bytes, or the same number from the same issuer). Either leaves it unchosen."""

    filename: str
    token: str | None = None
    reading: Reading | None = None
    problem: Problem | None = None
    same_file: tuple[Document, ...] = ()
    twin: str | None = None

    @property
    def chosen(self) -> bool:
        return self.reading is not None and not (self.reading.duplicates or self.same_file or self.twin)


@dataclass(frozen=True)
class SavedRow:
    """One file of the batch after saving: the document filed, why it was not, or that it was not chosen
    (``skipped``) or could not be read (``unreadable``, the reason shown at the preview)."""

    filename: str
    document: Document | None = None
    needs_review: bool = False
    problem: Problem | None = None
    existing: tuple[dict[str, Any], ...] = ()
    skipped: bool = False
    unreadable: str | None = None
    earlier: bool = False  # filed when this form was first sent (a resent form, a double click)


def _pending(services: Any) -> PendingUploads:
    return PendingUploads(services.settings.data_dir)


def _read_one(services: Any, given: UploadInput, limit: int, owner: str) -> ReadRow:
    name = given.filename or "tệp tải lên"
    if given.data is not None and len(given.data) > limit:
        return ReadRow(name, problem=too_large(None, limit))
    try:
        reading = docs.read_upload(services, data=given.data, filename=given.filename)
    except Exception as exc:
        problem = problem_for(exc)
        if problem.status not in (413, 415, 422):
            raise
        return ReadRow(name, problem=problem)  # this file only: the others are read on
    token = _pending(services).put(data=given.data, filename=given.filename, text=None,
                                   content_type=given.content_type, owner=owner)  # fmt: skip
    # Without a number the file's bytes are its identity, as when it is saved (service.documents.save_upload).
    same_file = () if reading.header.number else docs.find_same_file(services, reading.sha256)
    return ReadRow(name, token=token, reading=reading, same_file=same_file)


def _with_twins(rows: list[ReadRow]) -> list[ReadRow]:
    """``rows`` with each repeat of an earlier file of the batch marked (QA: two copies of one letter were
    both chosen; the second was refused only at saving)."""
    seen: dict[tuple[str, ...], str] = {}
    out = []
    for row in rows:
        if row.reading is None:
            out.append(row)
            continue
        header = row.reading.header
        keys: list[tuple[str, ...]] = [("file", row.reading.sha256 or row.filename)]
        if header.number:
            # the body with its parent's place: two provinces' "Sở Tài chính" are two bodies (QA)
            body = qualified_issuer(header.issuer, header.parent) if header.issuer else None
            # and the year: numbers without one restart every year (same_numbering_year)
            year = str(header.issued_date.year) if header.issued_date else ""
            keys.append(("number", header.number.upper(), issuer_identity(body), year))
        twin = next((seen[k] for k in keys if k in seen), None)
        for key in keys:
            seen.setdefault(key, row.filename)
        out.append(replace(row, twin=twin) if twin else row)
    return out


async def read_batch(request: Request, services: Any, files: list[UploadInput]) -> Response:
    """The batch preview of ``files`` (two or more) sent from the upload page."""
    form = await request.form()  # parsed already (service.uploads.read_upload_files): cached
    csrf = form.get("csrf_token")
    principal = page_user(request, Role.UPLOADER, csrf=csrf if isinstance(csrf, str) else None)
    limit = services.settings.max_upload_bytes

    def work() -> list[ReadRow]:
        return _with_twins([_read_one(services, given, limit, principal.name) for given in files])

    rows = await run_in_threadpool(work)
    readable = sum(1 for row in rows if row.reading is not None)
    return render(request, "upload_batch.html", {"rows": rows, "readable": readable})


def _save_one(services: Any, token: str, actor: str, shown_name: str) -> SavedRow:
    saved_as = _pending(services).saved_document(token, owner=actor)
    earlier = services.store.find(saved_as) if saved_as else None
    if earlier is not None:  # the form sent again (F5, a double click): what it filed then, said so (QA)
        return SavedRow(shown_name, document=earlier, earlier=True,
                        needs_review=bool(earlier.extra.get("review_fields")))  # fmt: skip
    try:
        pending = _pending(services).get(token, owner=actor)
    except Problem as gone:  # expired (a day), saved already from another tab, or another uploader's
        return SavedRow(shown_name, problem=gone)
    name = pending.filename or shown_name
    try:
        reading = docs.read_upload(services, data=pending.data, filename=pending.filename, text=pending.text)
        doc = docs.save_upload(services, reading, {}, actor=actor, content_type=pending.content_type, token=token)
    except Exception as exc:
        problem = problem_for(exc)
        if problem.status >= 500:
            raise
        existing = tuple(problem.extensions.get("existing") or ())
        twin = _filed_by_this_form(services, existing, token)
        if twin is not None:  # a second sending raced the first one, which filed this very file
            _pending(services).mark_saved(token, twin.id)
            return SavedRow(name, document=twin, earlier=True, needs_review=bool(twin.extra.get("review_fields")))
        return SavedRow(name, problem=problem, existing=existing)
    _pending(services).mark_saved(token, doc.id)
    return SavedRow(name, document=doc, needs_review=reading.tags.needs_review)


def _filed_by_this_form(services: Any, existing: tuple[dict[str, Any], ...], token: str) -> Document | None:
    """The stored document a duplicate refusal names that this very upload filed (its token): two sendings
    of one batch form at once (a double click) both passed the saved-token check, and the slower one was
    refused as a duplicate of what the faster one filed (review, 2026-11-30)."""
    for entry in existing:
        doc = services.store.find(str(entry.get("id")))
        if doc is not None and doc.extra.get("upload_token") == token:
            return doc
    return None


def _batch_rows(values: list[str]) -> list[tuple[str, str, str]]:
    """(token, file name, reason it could not be read) of every file of the preview, from its hidden
    ``row`` fields: what the result names besides the files chosen (for display only: the token decides)."""
    out = []
    for value in values[: 2 * MAX_BATCH_FILES]:
        token, _, rest = value.partition("\t")
        filename, _, unreadable = rest.partition("\t")
        out.append((token, filename[:200], unreadable[:500]))
    return out


@router.get("/upload/batch/save")
def upload_batch_save_link() -> Response:
    """The batch save form's address opened as a page: back to the upload page (see upload_save_link)."""
    return redirect("/upload")


@router.post("/upload/batch/save")
def upload_batch_save(
    request: Request,
    services: ServicesDep,
    token: Annotated[list[str] | None, Form()] = None,
    row: Annotated[list[str] | None, Form()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    principal = page_user(request, Role.UPLOADER, csrf=csrf_token)
    chosen = list(dict.fromkeys(token or []))  # a token twice (a resent form) is filed once
    if not chosen:
        raise Problem("invalid-request", "Chưa chọn văn bản nào để lưu: hãy đánh dấu các tệp cần lưu rồi bấm Lưu.")
    if len(chosen) > MAX_BATCH_FILES:
        raise Problem("invalid-request", f"Mỗi lần lưu được tối đa {MAX_BATCH_FILES} văn bản.")
    preview = _batch_rows(row or [])
    names = {t: name for t, name, _ in preview if t}
    rows = [_save_one(services, t, principal.name, names.get(t, "")) for t in chosen]
    rows += [SavedRow(name, skipped=True) for t, name, _ in preview if t and t not in chosen]
    rows += [SavedRow(name, unreadable=why) for t, name, why in preview if not t]
    saved = sum(1 for r in rows if r.document is not None)
    return render(request, "upload_batch_done.html", {"rows": rows, "saved": saved, "chosen": len(chosen)})
