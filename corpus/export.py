"""Export the store's documents in the import format (JSONL or CSV): backups, moves, retraining.

A record holds exactly the fields :mod:`corpus.import_rows` reads, so that exporting, importing the file
into an empty data directory and exporting again gives the same bytes. Two choices make that hold:

* The store's own timestamps (``created_at``, ``updated_at``) are left out: the importer ignores them and
  a new store stamps its own, so they could not survive the round trip.
* Each record says where its labels came from in ``label_sources`` (``{"doc_type": "human", "topic":
  "model"}``). The importer keeps the key in ``extra`` and the store files each label with the provenance
  it names (:func:`corpus.document.carried_label_sources`), so a restored backup keeps a model's guess a
  guess. For documents filed before the store did so (their label reads ``source``), the provenance kept in
  ``extra`` is what gets exported. A clerk's later correction (``human``) or a model's later proposal
  (``model``) replaces it as it would any label. The key is moved out of ``extra`` on export, never written
  twice.
* ``label_details`` gives each current label whole (:class:`corpus.document.LabelProvenance`): ``{"topic":
  {"source": "model", "model_version": "…", "confidence": 0.68, "author": "tag"}}``, and a label without a
  value too (a clerk's deliberate "no field", which ``label_sources`` — non-empty fields only, kept as it
  was for the readers and backups that use it — cannot say). The store files a restored label with all of it,
  as it was filed; tagging then leaves a field a clerk emptied alone. An older vanban keeps the key in
  ``extra`` unread; where it disagrees with ``label_sources``, ``label_sources`` wins.

``labels="confirmed"`` blanks every field whose label only a model proposed (and drops its source):
a model's guess fed back as training truth would teach the model its own mistakes.

CSV writes one row per document under a header, ``,`` as delimiter, cells quoted where needed (line
breaks of the text stay inside their cell), a UTF-8 byte-order mark first (Excel reads UTF-8 only with
it; the importer skips it). ``recipients`` are joined with ``; ``; ``label_sources`` and ``label_details`` are
JSON cells.
A CSV cell cannot say whether it held a string or a list, so only the ``extra`` entries whose value is a
string (and whose key the importer reads back unchanged) get a column of their own; the others are left
out and counted in the report. JSONL carries everything: it is the backup format.

Example
-------
>>> import io, tempfile
>>> from pathlib import Path
>>> from corpus.document import Document
>>> from corpus.store import Store
>>> with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp)) as store:
...     _ = store.upsert(Document(id="vd-1", title="Kế hoạch phòng chống thiên tai", topic="an-ninh"),
...                      actor="demo")
...     out = io.StringIO()
...     export_documents(store, out).written, out.getvalue()[:31]
(1, '{"id": "vd-1", "number": null, ')
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from corpus.document import (
    EDITABLE_FIELDS,
    LABEL_DETAILS_KEY,
    LABEL_SOURCES_KEY,
    Document,
    Label,
    LabelProvenance,
    LabelSource,
    carried_label_provenance,
    carried_label_sources,
    json_object,
)
from corpus.import_rows import IGNORED_FIELDS, KNOWN_FIELDS
from corpus.search_errors import QueryError
from corpus.search_filters import (
    parse_day,
    resolve_doc_type,
    resolve_topic_label,
    topic_values,
    unknown_topic,
)
from corpus.spreadsheet_cells import guarded
from corpus.store import Store
from nlp.normalize import normalize

ExportFormat = Literal["jsonl", "csv"]
LabelChoice = Literal["all", "confirmed"]
FORMATS: tuple[str, ...] = ("jsonl", "csv")
LABEL_CHOICES: tuple[str, ...] = ("all", "confirmed")
LABEL_SOURCES = LABEL_SOURCES_KEY  # the record's key, and the extra key the importer files it under
LABEL_DETAILS = LABEL_DETAILS_KEY
_PROVENANCE_KEYS = frozenset((LABEL_SOURCES, LABEL_DETAILS))
# The import format's fields, in the order a record lists them (extra last: see _jsonl_record).
RECORD_FIELDS: tuple[str, ...] = ("id", "number", "symbol", "doc_type", "topic", "issuer", "parent", "place",
                                  "issued_date", "title", "text", "status", "signer", "recipients", "source_url")  # fmt: skip
RECIPIENT_SEPARATOR = "; "


@dataclass(frozen=True)
class ExportFilters:
    """Which documents to export: any of ``doc_types``, any of ``topics``, issued within the dates (a
    document without a date is left out when a date bound is given). Empty means no restriction."""

    doc_types: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    date_from: date | None = None
    date_to: date | None = None

    def matches(self, doc: Document) -> bool:
        if self.doc_types and doc.doc_type not in self.doc_types:
            return False
        if self.topics and doc.topic not in self.topics:
            return False
        if self.date_from or self.date_to:
            day = doc.issued_date
            if (
                day is None
                or (self.date_from and day < self.date_from)
                or (self.date_to and day > self.date_to)
            ):
                return False
        return True


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: ``written`` documents; ``blanked`` model-only labels emptied (``confirmed``);
    ``extras_left_out`` documents whose non-string ``extra`` entries a CSV could not carry."""

    written: int = 0
    blanked: int = 0
    extras_left_out: int = 0
    format: str = "jsonl"


def parse_filters(
    store: Store,
    *,
    doc_type: str | None = None,
    topic: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    own_topics: Collection[str] = (),
) -> ExportFilters:
    """Filters from values typed as for search (type by slug, code or name; field by code, name or a label the
    documents hold — any case, commas and all —; dates ``2022-07-20``, ``20/7/2022``, ``7/2022`` or a year;
    several types or fields separated by commas). A slug outside the tables is accepted when some stored
    document has it (a researcher's own taxonomy); ``own_topics``: the active model's fields, which a value
    naming one of them means (:func:`~corpus.search_filters.resolve_topic_label`). Raises
    :class:`QueryError` with a Vietnamese message, as search does."""
    present: dict[str, set[str]] = {}

    def stored(name: str) -> set[str]:
        # Only read when a value is not in the tables: one pass over the store.
        if name not in present:
            present[name] = {v for d in store.iter_documents() if (v := getattr(d, name))}
        return present[name]

    types = frozenset(_resolve_all(doc_type, "doc_type", resolve_doc_type, stored))
    topics = frozenset(_stored_topics(store, topic, own_topics)) if topic is not None else frozenset()
    start = parse_day(date_from, "date_from")
    end = parse_day(date_to, "date_to", end=True)
    if start and end and start > end:
        raise QueryError(
            f"date range reversed: {start} > {end}",
            f"Khoảng ngày không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.",
            "date_from",
        )
    return ExportFilters(types, topics, start, end)


def _stored_topics(store: Store, raw: str, own: Collection[str]) -> list[str]:
    """The fields a ``topic`` filter value names, as the store holds them (as search reads them)."""
    held: dict[str, int] = {}

    def counts() -> dict[str, int]:
        if not held:
            held.update(store.topic_counts())
        return held

    def resolve(value: str) -> str | None:
        return resolve_topic_label(value, lambda label: label in counts(), counts, own)

    return topic_values(raw, resolve, lambda value: unknown_topic(value, counts()))


def _resolve_all(
    raw: str | None,
    name: str,
    resolve: Callable[[str, set[str] | None], str | None],
    stored: Callable[[str], set[str]],
) -> list[str]:
    values = [v.strip() for v in (raw or "").split(",") if v.strip()]
    out = []
    for value in values:
        found = resolve(value, None)
        if found is None:
            slug = normalize(value, keep_newlines=False).strip()
            found = resolve(value, {slug}) if slug in stored(name) else None
        if found is None:
            raise _unknown(name, value)
        out.append(found)
    return out


def _unknown(name: str, value: str) -> QueryError:
    return QueryError(
        f"unknown {name} {value!r}",
        f'Loại văn bản "{value}" không có; hãy dùng mã (QĐ, KH…), tên (quyết định…) hoặc mã dạng '
        "quyet-dinh, ke-hoach.",
        name,
    )


# -- records --------------------------------------------------------------------------------------


def carried_sources(extra: dict[str, Any]) -> dict[str, str]:
    """The provenance an earlier export recorded, as the importer kept it in ``extra``. Unknown sources
    are ignored."""
    return {name: source.value for name, source in carried_label_sources(extra).items()}


def label_sources(doc: Document, current: dict[str, LabelSource]) -> dict[str, str]:
    """Where each non-empty labelled field of ``doc`` got its value: the store's current label, or the
    provenance carried from an earlier export when the store only knows the import (``source``)."""
    carried = carried_sources(doc.extra)
    out: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        if not getattr(doc, name, None):
            continue
        source = current.get(name)
        if (source is None or source == LabelSource.SOURCE) and name in carried:
            out[name] = carried[name]
        elif source is not None:
            out[name] = source.value
    return out


def label_details(doc: Document, current: dict[str, Label], sources: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each current label of ``doc`` whole (source, model version, confidence, author), for ``label_details``:
    those of the fields ``sources`` (:func:`label_sources`) names, with the source it names, and the labels
    without a value. What an older store kept unread in ``extra`` stands in for a label it filed as the
    source's."""
    kept = carried_label_provenance(doc.extra)
    explicit = json_object(doc.extra.get(LABEL_DETAILS)) or {}
    out: dict[str, dict[str, Any]] = {}
    for name in EDITABLE_FIELDS:
        label = current.get(name)
        held = LabelProvenance.of(label) if label is not None else None
        if name in sources:
            want = LabelSource(sources[name])
            found = next((p for p in (held, kept.get(name)) if p is not None and p.source == want), None)
            out[name] = (found or LabelProvenance(want)).to_dict()
        elif getattr(doc, name, None):
            continue  # a value nobody labelled (a title never corrected)
        elif (held is None or held.source == LabelSource.SOURCE) and name in explicit and name in kept:
            out[name] = kept[name].to_dict()
        elif held is not None:
            out[name] = held.to_dict()  # a clerk's "no field", a source that stopped giving one
    return out


def _record(
    doc: Document, sources: dict[str, str], details: dict[str, dict[str, Any]], labels: LabelChoice
) -> tuple[dict[str, Any], int]:
    """The import-format record of ``doc`` (values as Python objects) and how many labels were blanked."""
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(doc, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        record[name] = value
    blanked = 0
    if labels == "confirmed":
        for name in [n for n, s in sources.items() if s == LabelSource.MODEL]:
            record[name] = [] if name == "recipients" else None
            del sources[name]
            blanked += 1
        details = {n: d for n, d in details.items() if d["source"] != LabelSource.MODEL}
    record[LABEL_SOURCES] = sources
    record[LABEL_DETAILS] = details
    # extra last: the importer applies it after the fields, so the values it keeps (number_raw…) win. The
    # provenance an older store kept there is written above instead, never twice.
    record["extra"] = {
        k: v for k, v in doc.extra.items() if k not in _PROVENANCE_KEYS or json_object(v) is None
    }
    return record, blanked


def _records(
    store: Store, filters: ExportFilters, labels: LabelChoice, batch_size: int
) -> Iterator[tuple[dict[str, Any], int]]:
    batch: list[Document] = []
    for doc in store.iter_documents(batch_size):
        if filters.matches(doc):
            batch.append(doc)
        if len(batch) >= batch_size:
            yield from _batch_records(store, batch, labels)
            batch = []
    yield from _batch_records(store, batch, labels)


def _batch_records(
    store: Store, batch: list[Document], labels: LabelChoice
) -> Iterator[tuple[dict[str, Any], int]]:
    current = store.current_labels([doc.id for doc in batch]) if batch else {}
    for doc in batch:
        held = current.get(doc.id, {})
        sources = label_sources(doc, {name: label.source for name, label in held.items()})
        yield _record(doc, sources, label_details(doc, held, sources), labels)


# -- writers --------------------------------------------------------------------------------------


def export_documents(
    store: Store,
    out: TextIO,
    *,
    fmt: ExportFormat = "jsonl",
    filters: ExportFilters | None = None,
    labels: LabelChoice = "all",
    batch_size: int = 500,
) -> ExportReport:
    """Write the documents of ``store`` matching ``filters`` to ``out`` (a text stream opened with
    ``newline=""``), ordered by id, reading the store ``batch_size`` documents at a time.

    Example
    -------
    >>> with Store.open(data_dir) as store, open("sao-luu.jsonl", "w", encoding="utf-8", newline="") as f:
    ...     export_documents(store, f, labels="confirmed")  # doctest: +SKIP
    ExportReport(written=90, blanked=0, extras_left_out=0, format='jsonl')
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")
    if labels not in LABEL_CHOICES:
        raise ValueError(f"unknown labels choice {labels!r}; expected one of {LABEL_CHOICES}")
    chosen = filters or ExportFilters()
    if fmt == "csv":
        return _write_csv(store, out, chosen, labels, batch_size)
    written = blanked = 0
    for record, emptied in _records(store, chosen, labels, batch_size):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
        blanked += emptied
    return ExportReport(written, blanked, 0, "jsonl")


def _csv_extra_key(key: str) -> bool:
    """Whether an ``extra`` key comes back as itself from a CSV column: the importer lower-cases and
    normalises column names, and reads known names as fields."""
    name = normalize(key, keep_newlines=False).lower()
    return name == key and bool(key) and key not in KNOWN_FIELDS | IGNORED_FIELDS | _PROVENANCE_KEYS


def _write_csv(
    store: Store, out: TextIO, filters: ExportFilters, labels: LabelChoice, batch_size: int
) -> ExportReport:
    # The header must list every column before the first row: a first pass collects the extra keys
    # (the only thing kept in memory), the second writes the rows.
    extra_keys: set[str] = set()
    for doc in store.iter_documents(batch_size):
        if filters.matches(doc):
            extra_keys.update(k for k, v in doc.extra.items() if isinstance(v, str) and _csv_extra_key(k))
    columns = [*RECORD_FIELDS, LABEL_SOURCES, LABEL_DETAILS, *sorted(extra_keys)]
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    written = blanked = left_out = 0
    for record, emptied in _records(store, filters, labels, batch_size):
        extra = record.pop("extra")
        if any(k not in extra_keys for k in extra):
            left_out += 1
        cells = {name: guarded(_cell(record[name])) for name in (*RECORD_FIELDS, LABEL_SOURCES, LABEL_DETAILS)}
        # an extra column holds strings, and nulls in the records that have one there (QA: a crash)
        cells.update({k: guarded(v) if isinstance(v, str) else "" for k, v in extra.items() if k in extra_keys})
        writer.writerow([cells.get(name, "") for name in columns])
        written += 1
        blanked += emptied
    return ExportReport(written, blanked, left_out, "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if any(";" in item or "\n" in item for item in value):
            # a recipient holding the separator ("Website Chính phủ; Website Bộ Công Thương" as one line of the
            # list): the list as JSON, which import reads back whole (QA: split in two on the way back)
            return json.dumps(value, ensure_ascii=False)
        return RECIPIENT_SEPARATOR.join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def export_to_file(
    store: Store,
    path: Path | str,
    *,
    fmt: ExportFormat = "jsonl",
    filters: ExportFilters | None = None,
    labels: LabelChoice = "all",
    batch_size: int = 500,
) -> ExportReport:
    """:func:`export_documents` into ``path``, atomically: written to a temporary file beside it and
    renamed into place, so a failed or interrupted export never leaves half a backup under the name.

    A ``path`` that exists and is not a regular file (a pipe, ``/dev/stdout``, a device) is written in
    place: renaming over it would replace the device or pipe itself with a file."""
    target = Path(path)
    if target.exists() and not target.is_file():
        with open(target, "w", encoding="utf-8", newline="") as handle:
            return export_documents(store, handle, fmt=fmt, filters=filters, labels=labels, batch_size=batch_size)
    temporary = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex}")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            report = export_documents(store, handle, fmt=fmt, filters=filters, labels=labels,
                                      batch_size=batch_size)  # fmt: skip
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return report


__all__ = [
    "FORMATS",
    "LABEL_CHOICES",
    "ExportFilters",
    "ExportReport",
    "carried_sources",
    "export_documents",
    "export_to_file",
    "label_details",
    "label_sources",
    "parse_filters",
]
