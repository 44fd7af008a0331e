"""What the service does with documents: read an upload, propose tags, file it, correct it, delete it.

HTTP-agnostic (the API and the pages both call it). The store is the system of record; the search index
is updated explicitly after each operation, once, so that a document is searchable when the call returns
(several label writes of one upload would otherwise re-index it several times).

Provenance of tags: fields read from the header are stored as the document's fields; ``doc_type`` and
``topic`` get a label with source ``model`` (version, confidence) or ``header``; whatever the clerk set or
corrected gets a ``human`` label with the clerk's key name. A document whose tags are uncertain keeps
``extra["review_fields"]``; it stays in the review queue until a clerk labels those fields.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from corpus.document import EDITABLE_FIELDS, Document, Label, LabelSource, too_long
from corpus.related import same_document
from corpus.search_filters import (
    STATUS_WORDING,
    resolve_doc_type,
    same_issuing_body,
    same_numbering_year,
    status_class,
)
from corpus.store_rows import RowPreparer, canonical_number
from nlp.extract import MAX_TEXT_CHARS
from nlp.header import Header, checked_issued_date, parse_header
from nlp.legacy_fonts import FONT_LABELS, repair_legacy_fonts
from nlp.normalize import normalize
from service import models_adapter
from service.filing_lock import filing_lock
from service.index_later import index_or_defer
from service.models_adapter import Tags
from service.problems import Problem
from service.services import Services
from service.taxonomy import Taxonomy, taxonomy_of

log = logging.getLogger("vanban.service.documents")

TAG_FIELDS = ("doc_type", "topic")
# A proposal's source (service.models_adapter.TagProposal) → the provenance its label is filed with.
PROPOSAL_SOURCES = {"model": LabelSource.MODEL, "header": LabelSource.HEADER, "number": LabelSource.HEADER}


@dataclass(frozen=True)
class Reading:
    """An upload read and tagged, nothing stored yet."""

    text: str
    format: str
    filename: str | None
    pages: int | None
    encoding: str | None
    warnings: tuple[str, ...]
    header: Header
    tags: Tags
    duplicates: tuple[Document, ...]
    data: bytes | None = None
    sha256: str | None = None

    def to_dict(self, *, text_chars: int | None = None) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "format": self.format,
            "pages": self.pages,
            "encoding": self.encoding,
            "warnings": list(self.warnings),
            "header": self.header.to_dict(),
            "tags": self.tags.to_dict(),
            "needs_review": self.tags.needs_review,
            "duplicates": [duplicate_summary(d) for d in self.duplicates],
            "text": self.text if text_chars is None else self.text[:text_chars],
            "text_chars": len(self.text),
        }


def id_path(doc_id: str) -> str:
    """A document id as one URL path segment: imported ids may hold "/", spaces, "?" or "#"."""
    return quote(doc_id, safe="")


def duplicate_summary(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "number": doc.number,
        "issuer": doc.issuer,
        "title": doc.title,
        "issued_date": doc.issued_date.isoformat() if doc.issued_date else None,
        "url": f"/documents/{id_path(doc.id)}",
        "api_url": f"/api/documents/{id_path(doc.id)}",
    }


def propose_tags(services: Services, text: str, header: Header) -> Tags:
    loaded = services.models.current()
    if loaded is None:
        return models_adapter.header_tags(header, "Chưa có mô hình phân loại đang hoạt động; lĩnh vực cần người duyệt.")
    return models_adapter.classify(
        loaded.classifier, loaded.version, text, header, services.settings.review_threshold
    )


def read_upload(services: Services, *, data: bytes | None = None, filename: str | None = None,
                text: str | None = None) -> Reading:  # fmt: skip
    """Extract (a file) or normalise (a pasted text), read the header, propose tags, find duplicates."""
    if data is not None:
        services.models.prefetch()  # a lazy worker loads the model while the file is being read
        extracted = services.extractor.extract(data, filename or "tệp tải lên")
        body, fmt, pages, encoding, warnings = (extracted.text, extracted.format, extracted.pages,
                                                extracted.encoding, extracted.warnings)  # fmt: skip
        sha = hashlib.sha256(data).hexdigest()
    else:
        # Text pasted from an old system's document may be typed in a pre-Unicode font (TCVN3, VNI): repaired
        # as a file's text is, and said so.
        repaired, family = repair_legacy_fonts(text or "")
        body = normalize(repaired)
        font_warning = (f"Văn bản gõ bằng phông chữ cũ {FONT_LABELS[family]}: đã chuyển sang Unicode; hãy kiểm tra "
                        "dấu tiếng Việt.",) if family else ()  # fmt: skip
        if not body.strip():
            raise Problem("empty-document", "Văn bản gửi lên không có nội dung.",
                          errors=[{"field": "text", "message": "thiếu nội dung"}])  # fmt: skip
        if len(body) > MAX_TEXT_CHARS:
            # The same bound as a file's text (nlp.extract cuts that one: its original file is kept whole).
            limit = f"{MAX_TEXT_CHARS:,}".replace(",", ".")
            raise Problem("payload-too-large", f"Nội dung văn bản quá dài (hơn {limit} ký tự); hãy chia văn bản "
                          "thành nhiều phần rồi gửi lại.", title="Nội dung văn bản quá dài")  # fmt: skip
        fmt, pages, encoding, warnings, sha = "text", None, None, font_warning, None
    header, date_warning = checked_issued_date(parse_header(body))
    if date_warning:
        warnings = (*warnings, date_warning)
    tags = propose_tags(services, body, header)
    return Reading(body, fmt, filename, pages, encoding, tuple(warnings), header, tags,
                   find_duplicates(services, header.number, header.issuer, header.parent, header.issued_date), data,
                   sha)  # fmt: skip


def find_duplicates(
    services: Services, number: str | None, issuer: str | None, parent: str | None = None,
    issued: date | None = None,
) -> tuple[Document, ...]:
    """Stored documents with the same number from the same issuing body (both issuers unknown counts as
    same; a department is told apart by its parent's place, :func:`corpus.search_filters.same_issuing_body`)
    in the same year (:func:`corpus.search_filters.same_numbering_year`: numbers restart every year)."""
    if not number:
        return ()
    return tuple(d for d in services.store.find_by_number(number)
                 if same_issuing_body(d.issuer, d.parent, issuer, parent)
                 and same_numbering_year(d.issued_date, issued))  # fmt: skip


def find_same_file(services: Services, sha256: str | None) -> tuple[Document, ...]:
    """Stored documents whose original file is the very same file (same SHA-256 of the bytes)."""
    if not sha256:
        return ()
    return tuple(services.store.documents_with_file(sha256))  # indexed: no scan of the store


def _duplicate_problem(duplicates: tuple[Document, ...], *, same_file: bool) -> Problem:
    first = duplicates[0]
    if same_file:
        detail = (f"Tệp này đã được tải lên: văn bản {first.number or 'không số'} "
                  f"của {first.issuer or 'cơ quan chưa rõ'} (mã {first.id}). "
                  "Mở văn bản đó để kiểm tra; nếu vẫn cần lưu thêm một bản, gửi lại với ?force=true.")  # fmt: skip
    else:
        dated = f" ngày {first.issued_date:%d/%m/%Y}" if first.issued_date else ""
        detail = (f"Đã có văn bản số {first.number}{dated} của {first.issuer or 'cùng cơ quan'} trong kho (mã {first.id}). "
                  "Mở văn bản đó để kiểm tra; nếu đúng là văn bản khác, gửi lại với ?force=true.")  # fmt: skip
    return Problem("duplicate-document", detail, existing=[duplicate_summary(d) for d in duplicates],
                   reason="same-file" if same_file else "same-number")  # fmt: skip


def same_number_documents(services: Services, doc: Document) -> tuple[Document, ...]:
    """Other stored documents carrying ``doc``'s number, whatever their issuer.

    Unlike an upload's duplicate (same number *and* issuer, a 409), a clerk's corrected number that another
    document has is only worth a look: numbers restart at every issuer, so two documents may share one.
    """
    if not doc.number:
        return ()
    return tuple(d for d in services.store.find_by_number(doc.number) if d.id != doc.id)


def stored_copies(services: Services, doc: Document) -> tuple[Document, ...]:
    """Other stored filings of ``doc`` itself: the same number, day and issuing body
    (:func:`corpus.related.same_document`) — a portal that listed it twice, two exports imported."""
    if not doc.number:
        return ()
    return tuple(d for d in services.store.find_by_number(doc.number) if d.id != doc.id and same_document(doc, d))


_MAX_NAMED = 5  # a common number ("01/KH") may be shared by many: name a few, count the rest


def same_number_warning(others: tuple[Document, ...]) -> str:
    """The clerk's warning about ``others`` (non-empty), worded as an upload's same-number duplicate."""
    advice = ("để kiểm tra; cùng số ở hai cơ quan khác nhau là bình thường, nếu là cùng một văn bản thì xóa "
              "bản trùng.")  # fmt: skip
    if len(others) == 1:
        (other,) = others
        return (f"Đã có văn bản số {other.number} của {other.issuer or 'cơ quan chưa rõ'} trong kho "
                f"(mã {other.id}). Mở văn bản đó {advice}")  # fmt: skip
    named = "; ".join(f"số {d.number} của {d.issuer or 'cơ quan chưa rõ'} (mã {d.id})" for d in others[:_MAX_NAMED])
    if len(others) > _MAX_NAMED:
        named += f" và {len(others) - _MAX_NAMED} văn bản khác"
    return f"Đã có {len(others)} văn bản cùng số ký hiệu trong kho: {named}. Mở các văn bản đó {advice}"


# What a clerk writes for each validity class (corpus.search_filters.STATUS_CLASSES), offered on the forms.
STATUS_WORDS = tuple(STATUS_WORDING.values())


def clean_corrections(
    values: Mapping[str, Any], topics: Taxonomy, *, current_topic: str | None = None
) -> dict[str, Any]:
    """Validate a clerk's corrections: known fields, known type and field codes (codes, names or slugs).

    ``topics``: the field labels accepted (the built-in codes and the active model's labels, kept as the
    model writes them); ``current_topic``: the document's own field, accepted as it is even when another
    taxonomy was active when it was filed (a clerk confirming it must not meet a 422)."""
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        # Said for an upload's fields and a correction's alike: which keys are not fields, and which are.
        raise Problem("invalid-request", f"Không có trường {', '.join(unknown)}; các trường được nhận: "
                      f"{', '.join(sorted(EDITABLE_FIELDS))}.",
                      errors=[{"field": f, "message": "không có trường này"} for f in unknown])  # fmt: skip
    long = [{"field": f, "message": reason} for f, v in values.items()
            if isinstance(v, str) and (reason := too_long(f, v.strip())) is not None]  # fmt: skip
    if long:
        raise Problem("invalid-document", "Có trường quá dài.", errors=long)
    out: dict[str, Any] = {}
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        if field == "doc_type" and value is not None:
            slug = resolve_doc_type(str(value))
            if slug is None:
                raise Problem("invalid-request", f"Loại văn bản “{value}” không có trong danh mục.",
                              errors=[{"field": "doc_type", "message": "loại văn bản không hợp lệ"}])  # fmt: skip
            value = slug
        if field == "topic" and value is not None:
            label = topics.resolve(str(value), keep=current_topic)
            if label is None:
                raise Problem("invalid-request", topics.refusal(str(value)),
                              errors=[{"field": "topic", "message": "lĩnh vực không hợp lệ"}])  # fmt: skip
            value = label
        if field == "status" and value is not None and status_class(str(value)) is None:
            # A validity no class reads would drop the document out of the status facet and filter (QA).
            raise Problem("invalid-request", f"Hiệu lực “{value}” không rõ; hãy ghi một trong: "
                          f"{', '.join(STATUS_WORDS)}.",
                          errors=[{"field": "status", "message": "hiệu lực không rõ"}])  # fmt: skip
        out[field] = RowPreparer.field_value(field, value)  # dates, recipient lists: typed or a 422
    return out


def save_upload(services: Services, reading: Reading, corrections: Mapping[str, Any], *, actor: str,
                force: bool = False, content_type: str | None = None, token: str | None = None) -> Document:  # fmt: skip
    """File an upload: 409 on a duplicate unless ``force``; returns the document as stored and indexed.
    ``token``: the upload page's token of this file, kept in ``extra["upload_token"]`` so that a second
    sending of the same form knows the document its first sending filed."""
    fixes = clean_corrections(corrections, taxonomy_of(services), current_topic=reading.tags.topic.label)
    header = reading.header
    number = fixes.get("number", header.number)
    issuer = fixes.get("issuer", header.issuer)
    parent = fixes.get("parent", header.parent)
    doc = _upload_document(reading, fixes, number, issuer, actor, services.settings.review_threshold)
    if token:
        doc = doc.replace(extra={**doc.extra, "upload_token": token})
    store = services.store
    _check_disk_room(services, reading)
    # The check and the insert under one lock: two uploads of a document arriving together must give one
    # 201 and one 409 (see service.filing_lock).
    with filing_lock(services.settings.data_dir):
        if not force:
            duplicates = find_duplicates(services, number, issuer, parent, doc.issued_date)
            if duplicates:
                raise _duplicate_problem(duplicates, same_file=False)
            # Without a number the file's bytes are the only identity; with one, number and issuer decide (the
            # clerk may file one scan under two issuers' numbers on purpose).
            same_file = () if number else find_same_file(services, reading.sha256)
            if same_file:
                raise _duplicate_problem(same_file, same_file=True)
        store.upsert(doc, actor=actor, source=LabelSource.HEADER)
        if reading.data is not None:  # in the lock too: a file without a number is found by its bytes
            try:
                store.save_file(doc.id, reading.filename or f"{doc.id}.{reading.format}",
                                content_type or _content_type(reading.format, reading.encoding), reading.data,
                                actor=actor)  # fmt: skip
            except BaseException:
                store.delete(doc.id, actor=actor)  # nothing half-filed: a retry must not meet a 409
                raise
    for field in TAG_FIELDS:
        proposal = getattr(reading.tags, field)
        if proposal.label is not None:
            store.set_label(doc.id, field, proposal.label, source=PROPOSAL_SOURCES.get(proposal.source, LabelSource.MODEL),
                            actor=actor, model_version=reading.tags.model_version if proposal.source == "model" else None,
                            confidence=proposal.confidence)  # fmt: skip
    for field, value in fixes.items():
        proposed = getattr(reading.tags, field).label if field in TAG_FIELDS else getattr(header, field, None)
        if field == "number" and proposed:
            proposed = canonical_number(proposed)[0] or proposed
        if field in TAG_FIELDS or value != proposed:  # what the clerk set or changed is theirs
            store.set_label(doc.id, field, value, source=LabelSource.HUMAN, actor=actor)
    return reindex(services, doc.id)


# Room an upload needs besides its own bytes: SQLite's journal, the index's new segment, the audit row.
_DISK_MARGIN = 20 * 1024 * 1024


def _check_disk_room(services: Services, reading: Reading) -> None:
    """Refuse an upload the disk cannot hold before anything is written: a full disk failed the file's write
    after the document's row, and then the clean-up too, leaving a record without its file (QA)."""
    need = _DISK_MARGIN + 3 * (len(reading.data or b"") + 4 * len(reading.text or ""))
    try:
        free = shutil.disk_usage(services.settings.data_dir).free
    except OSError:
        return  # cannot tell: the write itself will say
    if free < need:
        log.error("disk nearly full at %s: %d bytes free, an upload needs about %d", services.settings.data_dir,
                  free, need)  # fmt: skip
        raise Problem("disk-full", f"Máy chủ chỉ còn {free // (1024 * 1024)} MB trống, không đủ để lưu văn bản "
                      "này; chưa có gì được lưu. Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại.")


def _upload_document(reading: Reading, fixes: dict[str, Any], number: str | None, issuer: str | None,
                     actor: str, threshold: float | None) -> Document:  # fmt: skip
    """The document an upload files: the header read, the clerk's corrections over it, what was proposed."""
    header = reading.header
    canonical, symbol = canonical_number(number) if number else (None, None)
    if "number" in fixes:  # the clerk's number is filed like an imported one; as typed it goes to number_raw
        fixes["number"] = canonical or number
    review = [f for f in TAG_FIELDS if f not in fixes and getattr(reading.tags, f).uncertain(threshold)]
    extra: dict[str, Any] = {
        "format": reading.format,
        "uploaded_by": actor,
        "classification": reading.tags.to_dict(),
        "review_fields": review,
    }
    for key, value in (("filename", reading.filename), ("sha256", reading.sha256), ("pages", reading.pages),
                       ("encoding", reading.encoding)):  # fmt: skip
        if value:
            extra[key] = value
    if reading.warnings:
        extra["extraction_warnings"] = list(reading.warnings)
    if number and canonical and canonical != number:
        extra["number_raw"] = number
    doc = Document(
        id=f"u-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(5)}",
        number=canonical or number,
        symbol=symbol or header.symbol,
        issuer=issuer,
        parent=fixes.get("parent", header.parent),
        place=fixes.get("place", header.place),
        issued_date=fixes.get("issued_date", header.issued_date),
        title=fixes.get("title", header.title),
        text=fixes.get("text") or reading.text,
        signer=fixes.get("signer", header.signer),
        status=fixes.get("status"),
        source_url=fixes.get("source_url"),
        recipients=tuple(fixes.get("recipients") or header.recipients or ()),
        extra=extra,
    )
    return doc


# The charset a browser needs to show a stored .txt as it was uploaded (the original bytes are kept). TCVN3
# and VNI have no registered charset: their bytes are Latin-1 drawn by a font.
_TEXT_CHARSETS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
                  "utf-32-le": "utf-32le", "utf-32-be": "utf-32be", "cp1258": "windows-1258",
                  "cp1252": "windows-1252", "latin-1": "iso-8859-1", "tcvn3": "iso-8859-1", "vni": "iso-8859-1"}  # fmt: skip


def _content_type(fmt: str, encoding: str | None = None) -> str:
    if fmt == "txt" or fmt not in _BINARY_TYPES:
        return f"text/plain; charset={_TEXT_CHARSETS.get(encoding or 'utf-8', 'utf-8')}"
    return _BINARY_TYPES[fmt]


_BINARY_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "doc": "application/msword",
}


def reindex(services: Services, doc_id: str) -> Document:
    """Mirror a stored document to the index; when another process holds the index, later
    (:mod:`service.index_later`): the write is filed, and a 503 would have the clerk file it twice (QA)."""
    doc = services.store.get(doc_id)
    index_or_defer(services.deferred_index, [doc_id], lambda: services.index.upsert([doc]))
    return doc


def correct(services: Services, doc_id: str, values: Mapping[str, Any], *, actor: str) -> Document:
    """A clerk's corrections (or confirmations) as human labels; re-indexed once; audited by the store."""
    if not values:
        raise Problem("invalid-request", "Không có trường nào để sửa.", errors=[{"field": "body", "message": "rỗng"}])
    current = services.store.get(doc_id)  # 404 before any write
    fixes = clean_corrections(values, taxonomy_of(services), current_topic=current.topic)
    raw_number = fixes.get("number")
    canonical, symbol = canonical_number(raw_number) if raw_number else (None, None)
    if raw_number:  # filed like an imported number; as typed it goes to extra["number_raw"]
        fixes["number"] = canonical or raw_number
    for field, value in fixes.items():
        services.store.set_label(doc_id, field, value, source=LabelSource.HUMAN, actor=actor)
    if "number" in fixes:
        _file_number_details(services, doc_id, raw_number, symbol, actor=actor)
    return reindex(services, doc_id)


def _file_number_details(services: Services, doc_id: str, raw: str | None, symbol: str | None, *,
                         actor: str) -> None:  # fmt: skip
    """After a clerk's number: the symbol it carries and the number as typed, as a JSONL import files them."""
    doc = services.store.get(doc_id)
    extra = dict(doc.extra)
    if raw and raw != doc.number:
        extra["number_raw"] = raw
    else:
        extra.pop("number_raw", None)  # the previous raw form belongs to the replaced number
    updated = doc.replace(symbol=symbol or doc.symbol, extra=extra)
    if updated != doc:
        services.store.upsert(updated, actor=actor, source=LabelSource.HUMAN)


def delete(services: Services, doc_id: str, *, actor: str) -> None:
    services.store.delete(doc_id, actor=actor)
    index_or_defer(services.deferred_index, [doc_id], lambda: services.index.delete([doc_id]))


def labels_by_field(labels: list[Label]) -> dict[str, Label]:
    return {label.field: label for label in labels}


def label_dict(label: Label) -> dict[str, Any]:
    return {
        "value": label.value,
        "source": str(label.source),
        "model_version": label.model_version,
        "confidence": label.confidence,
        "author": label.author,
        "at": label.created_at.isoformat() if label.created_at else None,
    }


def pending_review(services: Services, doc: Document, labels: dict[str, Label] | None = None) -> list[str]:
    """The tag fields of ``doc`` still waiting for a clerk."""
    wanted = [f for f in doc.extra.get("review_fields", ()) if f in TAG_FIELDS]
    if not wanted:
        return []
    labels = labels if labels is not None else labels_by_field(services.store.labels(doc.id))
    # Settled by a clerk, or by the source when an import gave the value later: no longer waiting.
    return [f for f in wanted if f not in labels or labels[f].source not in (LabelSource.HUMAN, LabelSource.SOURCE)]


def review_queue(services: Services) -> list[tuple[Document, list[str]]]:
    """Documents with tags waiting for review, oldest first."""
    out = []
    for doc in services.store.documents_flagged("review_fields"):
        fields = pending_review(services, doc)
        if fields:
            out.append((doc, fields))
    out.sort(key=lambda item: (item[0].created_at or datetime.min.replace(tzinfo=UTC), item[0].id))
    return out


def document_detail(services: Services, doc: Document, *, with_text: bool = True) -> dict[str, Any]:
    """The JSON of one document: its fields, current labels with provenance, file, review state."""
    labels = labels_by_field(services.store.labels(doc.id))
    data = doc.to_dict()
    if not with_text:
        data.pop("text", None)
    stored = services.store.get_file(doc.id)
    data["labels"] = {f: label_dict(label) for f, label in labels.items()}
    data["file"] = (
        {"filename": stored.filename, "content_type": stored.content_type, "size": stored.size,
         "sha256": stored.sha256, "url": f"/api/documents/{id_path(doc.id)}/file"}  # fmt: skip
        if stored
        else None
    )
    data["needs_review"] = pending_review(services, doc, labels)
    return data
