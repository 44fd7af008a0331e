"""Documents ↔ SQLite rows for :mod:`corpus.store`: validation, normalisation, audit diffs.

A row is a tuple in :data:`COLUMNS` order (optionally followed by ``created_at, updated_at``). Comparing
two rows is how the store tells an unchanged document from an updated one, so the conversion must be
deterministic: JSON with sorted keys, ISO dates, normalised text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from corpus.document import Document
from corpus.errors import InvalidDocument
from nlp.normalize import fold, normalize, replace_surrogates
from nlp.numbers import parse_number
from nlp.typed_dates import TypedDateError, check_issued_date, parse_typed_date, typed_date_text

COLUMNS: tuple[str, ...] = (
    "id",
    "number",
    "number_key",
    "symbol",
    "doc_type",
    "issuer",
    "parent",
    "place",
    "issued_date",
    "title",
    "text",
    "topic",
    "status",
    "signer",
    "recipients",
    "source_url",
    "extra",
)
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_STR_FIELDS = ("number", "symbol", "doc_type", "issuer", "parent", "place", "title", "text", "topic", "status",
               "signer", "source_url")  # fmt: skip
# Fields labelled on every insert and update: the targets the classifiers learn, whose provenance
# (source data, header, model, clerk) training and review depend on. Any other editable field gets labels
# once someone labels it with Store.set_label (a clerk's correction); from then on its changes are
# labelled too, so a current label always matches the document. Recording every field on every import
# would multiply the write cost of an import several times for little use.
LABELLED_FIELDS: tuple[str, ...] = ("doc_type", "topic")
# Printable ASCII with single inner spaces: normalize() returns such strings unchanged (no diacritics,
# look-alikes, invisible characters or extra spaces), so skip it — URLs, slugs and ids are all like this.
_PLAIN_ASCII = re.compile(r"[!-~]+(?: [!-~]+)*")
_SEPARATOR_SPACES = re.compile(r"\s*([/-])\s*")


_ALL_COLUMNS = (*COLUMNS, "created_at", "updated_at")
SELECT_DOCUMENTS = f"SELECT {', '.join(_ALL_COLUMNS)} FROM documents"
INSERT_DOCUMENT = (
    f"INSERT INTO documents ({', '.join(_ALL_COLUMNS)}) VALUES ({', '.join('?' * len(_ALL_COLUMNS))})"
)
UPDATE_DOCUMENT = f"UPDATE documents SET {', '.join(f'{c} = ?' for c in _ALL_COLUMNS[1:] if c != 'created_at')} WHERE id = ?"
RETIRE_LABEL = "UPDATE labels SET current = 0 WHERE document_id = ? AND field = ? AND current = 1"
INSERT_LABEL = (
    "INSERT INTO labels (document_id, field, value, source, model_version, confidence, author, created_at, current)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_AUDIT = "INSERT INTO audit (at, actor, action, document_id, details) VALUES (?, ?, ?, ?, ?)"


def normalize_value(value: str, *, keep_newlines: bool = False) -> str:
    """:func:`nlp.normalize.normalize`, with a shortcut for plain ASCII (identical result, 50× faster)."""
    if value.isascii() and _PLAIN_ASCII.fullmatch(value):
        return value
    return normalize(value, keep_newlines=keep_newlines)


def canonical_number(raw: str | None) -> tuple[str | None, str | None]:
    """(canonical number, symbol) of a số ký hiệu as printed, via :func:`nlp.numbers.parse_number`.

    A draft's blank number (``Số: /KH-SCT``) gives ``(None, "KH-SCT")``; text that is not a number is
    returned normalised, with spaces around ``/`` and ``-`` removed, and no symbol.

    Example
    -------
    >>> canonical_number("1906 /QÐ-UBND"), canonical_number("139/KH-UBND ngày 12/7/2022")
    (('1906/QĐ-UBND', 'QĐ-UBND'), ('139/KH-UBND', 'KH-UBND'))
    """
    if not raw or not raw.strip():
        return None, None
    # a number copied with its date ("139/KH-UBND ngày 12/7/2022", QA): the number is what comes before
    parsed = parse_number(_WITH_DATE.sub("", raw))  # normalises by itself
    if parsed is None:
        return _SEPARATOR_SPACES.sub(r"\1", normalize_value(raw)) or None, None
    return parsed.number, parsed.symbol or None


_WITH_DATE = re.compile(r"\s*,?\s+ngày\s+\d.*$", re.IGNORECASE | re.DOTALL)


def parse_date_value(value: str, field: str = "issued_date") -> date:
    """A data file's date (an import): any form a clerk's date takes (:mod:`nlp.typed_dates`: ``2022-07-20``,
    ``20/7/2022``, ``20-7-2022``, ``20.7.2022``, ``ngày 20 tháng 7 năm 2022``) or an ISO date and time
    (``2022-07-20T00:00:00``, its day), in years 1900–2100; :class:`InvalidDocument` otherwise, saying why
    (QA: a whole record was refused over "12-07-2022", which the rest of vanban reads).

    Example
    -------
    >>> parse_date_value("05/3/2022"), parse_date_value("2022-07-12T08:30:00+07:00")
    (datetime.date(2022, 3, 5), datetime.date(2022, 7, 12))
    """
    text = typed_date_text(value)
    if _ISO_DATE_TIME.fullmatch(text):
        text = text[:10]
    try:
        day = parse_typed_date(text)
    except TypedDateError as exc:
        raise InvalidDocument(field, exc.message) from None
    if not 1900 <= day.year <= 2100:
        raise InvalidDocument(field, f'năm {day.year} trong ngày "{text}" không hợp lý')
    return day


_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def clerk_issued_date(value: date | str, field: str = "issued_date") -> date:
    """An issue date a clerk gives (a correction, an upload's form): read as :func:`parse_date_value` reads
    it, but held within :func:`nlp.typed_dates.issued_date_bounds` (1500 for 2015 is a slip, not history);
    :class:`InvalidDocument` saying the range otherwise."""
    try:
        return check_issued_date(value if isinstance(value, date) else parse_typed_date(value))
    except TypedDateError as exc:
        raise InvalidDocument(field, exc.message) from None


class RowPreparer:
    """Validates and normalises documents into rows; memoises repeated short values within one batch
    (issuer, status, types repeat on every row of an import)."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}
        self._numbers: dict[str, str] = {}

    @staticmethod
    def clean_id(doc_id: object) -> str:
        if not isinstance(doc_id, str):
            raise InvalidDocument("id", f"mã văn bản phải là chuỗi, nhận được {type(doc_id).__name__}")
        cleaned = normalize_value(doc_id)
        if not cleaned:
            raise InvalidDocument("id", "thiếu mã văn bản (id)")
        return cleaned

    def _text(self, field: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidDocument(field, f"phải là chuỗi, nhận được {type(value).__name__}")
        if field == "text":
            return normalize(value, keep_newlines=True) or None
        cached = self._memo.get(value)
        if cached is None:
            cached = self._memo[value] = normalize_value(value)
        return cached or None

    def _number_key(self, number: str | None) -> str | None:
        # The key of the number as stored, not of its parse: a clerk may keep a number exactly as printed
        # ("140/BCĐ VĐ HMTN", which parse_number writes 140/BCĐ-VĐ-HMTN). find_by_number tries both forms.
        if number is None:
            return None
        key = self._numbers.get(number)
        if key is None:
            # nlp.numbers.number_key(number) without its normalize(): ``number`` is normalised already.
            key = self._numbers[number] = fold(number).upper().replace(" ", "")
        return key or None

    def row(self, doc: Document) -> tuple[Any, ...]:
        if not isinstance(doc, Document):
            raise InvalidDocument(None, f"không phải Document: {type(doc).__name__}")
        values: dict[str, Any] = {"id": self.clean_id(doc.id)}
        for field in _STR_FIELDS:
            values[field] = self._text(field, getattr(doc, field))
        values["number_key"] = self._number_key(values["number"])
        issued = doc.issued_date
        if issued is not None and (not isinstance(issued, date) or isinstance(issued, datetime)):
            raise InvalidDocument("issued_date", f"phải là ngày (date), nhận được {type(issued).__name__}")
        values["issued_date"] = issued.isoformat() if issued else None
        recipients = doc.recipients
        if isinstance(recipients, str) or not isinstance(recipients, tuple | list):
            raise InvalidDocument("recipients", "phải là danh sách chuỗi")
        cleaned = []
        for item in recipients:
            text = self._text("recipients", item)
            if text:
                cleaned.append(text)
        values["recipients"] = json.dumps(cleaned, ensure_ascii=False)
        if not isinstance(doc.extra, dict) or not all(isinstance(k, str) for k in doc.extra):
            raise InvalidDocument("extra", "phải là từ điển với khóa là chuỗi")
        try:
            # extra keeps a record's unknown fields as given: a lone surrogate there could not be stored.
            extra = json.dumps(doc.extra, ensure_ascii=False, sort_keys=True, allow_nan=False)
            values["extra"] = replace_surrogates(extra)
        except (TypeError, ValueError):
            reason = "có giá trị không lưu được dưới dạng JSON (NaN, Infinity hoặc kiểu dữ liệu lạ)"
            raise InvalidDocument("extra", reason) from None
        return tuple(values[name] for name in COLUMNS)

    @staticmethod
    def field_value(field: str, value: Any) -> Any:
        """A label value converted to the Document field's type (for :meth:`Store.set_label`)."""
        if field == "issued_date":
            if value is None:
                return value
            if isinstance(value, str) and not value.strip():
                return None
            if isinstance(value, str | date) and not isinstance(value, datetime):
                return clerk_issued_date(value)
            raise InvalidDocument(field, "phải là ngày YYYY-MM-DD")
        if field == "recipients":
            if value is None:
                return ()
            if isinstance(value, str):
                return tuple(part for part in re.split(r"[;\n]", value) if part.strip())
            if isinstance(value, list | tuple):
                return tuple(value)
            raise InvalidDocument(field, "phải là danh sách chuỗi")
        if value is not None and not isinstance(value, str):
            raise InvalidDocument(field, f"phải là chuỗi, nhận được {type(value).__name__}")
        return value


def row_to_document(row: tuple[Any, ...]) -> Document:
    """A stored row (COLUMNS + created_at, updated_at) as a Document."""
    get = row.__getitem__
    issued = get(_INDEX["issued_date"])
    return Document(
        id=get(_INDEX["id"]),
        number=get(_INDEX["number"]),
        symbol=get(_INDEX["symbol"]),
        doc_type=get(_INDEX["doc_type"]),
        issuer=get(_INDEX["issuer"]),
        parent=get(_INDEX["parent"]),
        place=get(_INDEX["place"]),
        issued_date=date.fromisoformat(issued) if issued else None,
        title=get(_INDEX["title"]),
        text=get(_INDEX["text"]),
        topic=get(_INDEX["topic"]),
        status=get(_INDEX["status"]),
        signer=get(_INDEX["signer"]),
        recipients=tuple(json.loads(get(_INDEX["recipients"]))),
        source_url=get(_INDEX["source_url"]),
        extra=json.loads(get(_INDEX["extra"])),
        created_at=datetime.fromisoformat(row[len(COLUMNS)]),
        updated_at=datetime.fromisoformat(row[len(COLUMNS) + 1]),
    )


def label_value(row: tuple[Any, ...], field: str) -> str | None:
    """The value of ``field`` in ``row`` as a label stores it (dates ISO, recipients a JSON list)."""
    value = row[_INDEX[field]]
    return None if value in ("[]", "{}") else value


def _audit_view(row: tuple[Any, ...] | None, column: str) -> Any:
    if row is None:
        return None
    value = row[_INDEX[column]]
    if column in ("recipients", "extra"):
        value = json.loads(value) or None
    elif column == "text" and value is not None:
        # Bodies can be long: the audit keeps their size and fingerprint, not a second copy.
        value = {"chars": len(value), "sha256": hashlib.sha256(value.encode()).hexdigest()}
    return value


def audit_diff(old: tuple[Any, ...] | None, new: tuple[Any, ...] | None) -> dict[str, dict[str, Any]]:
    """``{field: {"old": …, "new": …}}`` for every field that differs (None for a missing row)."""
    diff: dict[str, dict[str, Any]] = {}
    for column in COLUMNS:
        if column in ("id", "number_key"):
            continue
        before, after = _audit_view(old, column), _audit_view(new, column)
        if before != after:
            diff[column] = {"old": before, "new": after}
    return diff


def keep_field(row: tuple[Any, ...], old: tuple[Any, ...], field: str) -> tuple[Any, ...]:
    """``row`` with ``field`` (and what derives from it) taken from the stored ``old`` row."""
    names = (field, "number_key") if field == "number" else (field,)
    out = list(row)
    for name in names:
        out[_INDEX[name]] = old[_INDEX[name]]
    return tuple(out)


# Keys of ``extra`` the service writes when it tags a document (its proposal, the fields waiting for a clerk):
# an import of the same record again does not carry them and must not wipe them.
PROPOSAL_EXTRA_KEYS = ("classification", "review_fields")


def keep_proposals(row: tuple[Any, ...], old: tuple[Any, ...], proposed: Iterable[str]) -> tuple[Any, ...]:
    """``row`` (a record imported again) with what was proposed since the last import kept: the ``proposed``
    fields (current label from a model or the header) the record leaves empty, and the tagging's keys of
    ``extra``. A value the record does give replaces the proposal: the source outranks a guess."""
    out = row
    for field in proposed:
        if out[_INDEX[field]] is None and old[_INDEX[field]] is not None:
            out = keep_field(out, old, field)
    at = _INDEX["extra"]
    if old[at] and any(f'"{key}"' in old[at] for key in PROPOSAL_EXTRA_KEYS):  # cheap test before parsing
        before, after = json.loads(old[at]), json.loads(out[at]) if out[at] else {}
        kept = {key: before[key] for key in PROPOSAL_EXTRA_KEYS if key in before and key not in after}
        if kept:
            merged = list(out)
            merged[at] = to_json({**after, **kept})
            out = tuple(merged)
    return out


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
