"""The system of record: documents, their labels with history, original files and an audit log, in SQLite.

One :class:`Store` wraps one SQLite connection (WAL, foreign keys on, busy timeout). It is safe to share
between threads (FastAPI runs plain ``def`` endpoints in a thread pool): the connection is opened with
``check_same_thread=False`` and every use of it is serialised by a re-entrant lock. Several processes may
open the same database; writes take ``BEGIN IMMEDIATE`` and wait up to the busy timeout.

Invariants kept here, whoever writes: text fields are stored normalised (:func:`nlp.normalize.normalize`),
every write names its actor in the audit log, a field corrected by a clerk (current label source
``human``) is not overwritten by a later import or model (only by another human label), and listeners
hear about a change only after it is committed.

Example
-------
>>> import tempfile
>>> from corpus.document import Document
>>> with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp)) as store:
...     store.upsert(Document(id="vd-1", number="139/KH-UBND", title="Kế hoạch phòng chống thiên tai"),
...                  actor="demo").value
...     store.find_by_number("139/kh-ubnd")[0].title
'inserted'
'Kế hoạch phòng chống thiên tai'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus.document import (
    EDITABLE_FIELDS,
    LABEL_DETAILS_KEY,
    LABEL_SOURCES_KEY,
    Document,
    Label,
    LabelProvenance,
    LabelSource,
    carried_label_provenance,
)
from corpus.errors import DocumentNotFound, InvalidDocument
from corpus.migrations import DB_FILENAME, connect
from corpus.store_base import StoreBase, check_actor, utc_now
from corpus.store_rows import (
    COLUMNS,
    INSERT_AUDIT,
    INSERT_DOCUMENT,
    INSERT_LABEL,
    LABELLED_FIELDS,
    RETIRE_LABEL,
    SELECT_DOCUMENTS,
    UPDATE_DOCUMENT,
    RowPreparer,
    audit_diff,
    canonical_number,
    keep_field,
    keep_proposals,
    label_value,
    row_to_document,
    to_json,
)
from corpus.store_types import AuditEntry, Change, StoredFile, UpsertCounts, UpsertResult
from nlp.numbers import number_key

__all__ = [
    "AuditEntry",
    "Change",
    "Store",
    "StoredFile",
    "UpsertCounts",
    "UpsertResult",
    "canonical_number",
]


# Label sources that propose rather than state: a model's guess, the header read by the service.
_PROPOSALS = frozenset((LabelSource.MODEL, LabelSource.HEADER))
_PROVENANCE_KEYS = (LABEL_SOURCES_KEY, LABEL_DETAILS_KEY)
_LABEL_COLUMNS = "field, value, source, model_version, confidence, author, created_at"


def _without_provenance(doc: Document) -> Document:
    if not any(key in doc.extra for key in _PROVENANCE_KEYS):
        return doc
    return doc.replace(extra={k: v for k, v in doc.extra.items() if k not in _PROVENANCE_KEYS})


def _label_row(
    doc_id: str, field: str, value: str | None, carried: LabelProvenance | None, source: LabelSource, actor: str,
    now: str,
) -> tuple[Any, ...]:  # fmt: skip
    """A current label row: with the provenance a restored backup carries for the field (its source, model
    version, confidence and author, as when the label was first filed), else from ``source`` and ``actor``."""
    if carried is None:
        return (doc_id, field, value, source.value, None, None, actor, now, 1)
    return (doc_id, field, value, carried.source.value, carried.model_version, carried.confidence,
            carried.author or actor, now, 1)  # fmt: skip


def _label(row: Sequence[Any]) -> Label:
    f, v, s, mv, c, a, at = row
    return Label(f, v, LabelSource(s), mv, c, a, datetime.fromisoformat(at))


class Store(StoreBase):
    """Documents, labels, files and audit in one SQLite database. Open with :meth:`Store.open`."""

    @classmethod
    def open(cls, data_dir: Path | str) -> Store:
        """Open (creating if needed) ``<data_dir>/vanban.sqlite3`` and migrate it to the current schema.

        Raises :class:`SchemaTooNew` for a database written by a newer vanban, :class:`StoreError` when
        the file cannot be opened or is not a database."""
        path = Path(data_dir) / DB_FILENAME
        return cls(connect(path), path)

    # -- reads -----------------------------------------------------------------------------------

    def find(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        with self._lock:
            rows = self._query(f"{SELECT_DOCUMENTS} WHERE id = ?", (RowPreparer.clean_id(doc_id),))
        return row_to_document(rows[0]) if rows else None

    def get(self, doc_id: str) -> Document:
        """The document with this id; raises :class:`DocumentNotFound`."""
        doc = self.find(doc_id)
        if doc is None:
            raise DocumentNotFound(doc_id)
        return doc

    def count(self) -> int:
        with self._lock:
            return int(self._query("SELECT count(*) FROM documents")[0][0])

    def last_update(self) -> datetime | None:
        """When a document was last stored or changed (None for an empty store)."""
        with self._lock:
            value = self._query("SELECT max(updated_at) FROM documents")[0][0]
        return datetime.fromisoformat(value) if value else None

    def topic_counts(self) -> dict[str, int]:
        """How many documents hold each field (lĩnh vực), most held first."""
        with self._lock:
            rows = self._query(
                "SELECT topic, count(*) FROM documents WHERE topic IS NOT NULL GROUP BY topic ORDER BY 2 DESC, 1"
            )
        return {str(topic): int(n) for topic, n in rows}

    def ids(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._query("SELECT id FROM documents ORDER BY id")]

    def iter_documents(self, batch_size: int = 500) -> Iterator[Document]:
        """Every document ordered by id, read ``batch_size`` at a time (keyset paging: writes between
        batches neither repeat nor skip documents that already existed)."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        last = ""
        while True:
            with self._lock:
                rows = self._query(f"{SELECT_DOCUMENTS} WHERE id > ? ORDER BY id LIMIT ?", (last, batch_size))
            if not rows:
                return
            for row in rows:
                yield row_to_document(row)
            last = rows[-1][0]

    def current_label_sources(self, ids: Sequence[str]) -> dict[str, dict[str, LabelSource]]:
        """Where each field's current label came from, per document id (documents without labels absent)."""
        with self._lock:
            return self._current_label_sources(list(ids))

    def current_labels(self, ids: Sequence[str]) -> dict[str, dict[str, Label]]:
        """The current label of each labelled field, per document id (documents without labels absent): what
        an export writes down so that a restored backup files the same labels."""
        found: dict[str, dict[str, Label]] = {}
        with self._lock:
            # The ids as one JSON parameter: a batch of any size, without SQLite's limit on parameters.
            rows = self._query(
                f"SELECT document_id, {_LABEL_COLUMNS} FROM labels WHERE current = 1 "
                "AND document_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(ids)),),
            )
        for doc_id, *label in rows:
            found.setdefault(doc_id, {})[label[0]] = _label(label)
        return found

    def documents_flagged(self, extra_key: str) -> list[Document]:
        """Documents whose ``extra`` has a non-empty ``extra_key`` (e.g. the review queue's
        ``review_fields``), ordered by id. SQLite filters the JSON, so only flagged rows are decoded."""
        path = '$."' + extra_key.replace('"', "") + '"'
        with self._lock:
            rows = self._query(
                f"{SELECT_DOCUMENTS} WHERE json_extract(extra, ?) IS NOT NULL "
                "AND json_extract(extra, ?) NOT IN ('', '[]', '{}', 0) ORDER BY id",
                (path, path),
            )
        return [row_to_document(row) for row in rows]

    def documents_with_file(self, sha256: str) -> list[Document]:
        """Documents whose original file has these bytes (its SHA-256, hex), ordered by id."""
        with self._lock:
            rows = self._query(
                f"{SELECT_DOCUMENTS} WHERE id IN (SELECT document_id FROM files WHERE sha256 = ?) ORDER BY id",
                (sha256.lower(),),
            )
        return [row_to_document(row) for row in rows]

    def find_by_number(self, number: str) -> list[Document]:
        """Documents whose canonical number equals ``number``'s, ignoring case, spacing and diacritics
        (``139 /kh-ubnd`` finds ``139/KH-UBND``; ``12/QD-UBND`` finds ``12/QĐ-UBND``)."""
        if not isinstance(number, str) or not number.strip():
            return []
        canonical, _ = canonical_number(number)
        # The canonical form finds numbers filed canonically (all imports); the form as typed finds numbers
        # a clerk kept exactly as printed.
        keys = {number_key(canonical)} if canonical else set()
        keys.add(number_key(number))
        keys.discard("")
        # Leading zeros never matter: "6/2024/TT-BYT" cited is the "06/2024/TT-BYT" filed (QA), and "01/CT-UBND"
        # the "1/CT-UBND"; sequence numbers are printed with up to three digits.
        for key in list(keys):
            bare = key.lstrip("0")
            if bare[:1].isdigit():
                keys.update({bare, "0" + bare, "00" + bare})
        marks = ",".join("?" * len(keys))
        with self._lock:
            rows = self._query(f"{SELECT_DOCUMENTS} WHERE number_key IN ({marks}) ORDER BY id", tuple(keys))
        return [row_to_document(row) for row in rows]

    def labels(self, doc_id: str) -> list[Label]:
        """The current label of every labelled field, ordered by field."""
        return self._labels(doc_id, current_only=True)

    def label_history(self, doc_id: str) -> list[Label]:
        """Every label ever given to the document, oldest first (including ones kept out by a human)."""
        return self._labels(doc_id, current_only=False)

    def _labels(self, doc_id: str, *, current_only: bool) -> list[Label]:
        doc_id = RowPreparer.clean_id(doc_id)
        where = (
            "document_id = ? AND current = 1 ORDER BY field"
            if current_only
            else "document_id = ? ORDER BY id"
        )
        with self._lock:
            if not self._query("SELECT 1 FROM documents WHERE id = ?", (doc_id,)):
                raise DocumentNotFound(doc_id)
            rows = self._query(f"SELECT {_LABEL_COLUMNS} FROM labels WHERE {where}", (doc_id,))
        return [_label(row) for row in rows]

    def audit(
        self, document_id: str | None = None, limit: int = 100, actions: Sequence[str] = (), before: int | None = None
    ) -> list[AuditEntry]:
        """Audit entries, newest first, optionally for one document (also after it was deleted) and of some
        ``actions`` only (``model-activate``…: found however many document writes came after them); with
        ``before``, those older than that entry id (the next page of a long log)."""
        sql = "SELECT id, at, actor, action, document_id, details FROM audit"
        where: list[str] = []
        params: tuple[Any, ...] = ()
        if before is not None:
            where.append("id < ?")
            params += (int(before),)
        if document_id is not None:
            where.append("document_id = ?")
            params += (RowPreparer.clean_id(document_id),)
        if actions:
            where.append(f"action IN ({', '.join('?' * len(actions))})")
            params += tuple(actions)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._query(sql + " ORDER BY id DESC LIMIT ?", (*params, int(limit)))
        return [
            AuditEntry(i, datetime.fromisoformat(at), actor, action, doc, json.loads(details))
            for i, at, actor, action, doc, details in rows
        ]

    def audit_count(self, document_id: str | None = None) -> int:
        """How many audit entries there are (of one document)."""
        sql, params = "SELECT count(*) FROM audit", tuple[str, ...]()
        if document_id is not None:
            sql, params = sql + " WHERE document_id = ?", (RowPreparer.clean_id(document_id),)
        with self._lock:
            return int(self._query(sql, params)[0][0])

    def record_event(self, action: str, details: dict[str, Any], *, actor: str) -> None:
        """Audit a write that is not about one document (a model activated or rolled back)."""
        actor = check_actor(actor)
        with self._lock, self._transaction() as conn:
            conn.execute(INSERT_AUDIT, (utc_now(), actor, action, None, to_json(details)))

    def get_file(self, doc_id: str) -> StoredFile | None:
        """The original file of a document, None when it has none; raises :class:`DocumentNotFound`."""
        doc_id = RowPreparer.clean_id(doc_id)
        with self._lock:
            if not self._query("SELECT 1 FROM documents WHERE id = ?", (doc_id,)):
                raise DocumentNotFound(doc_id)
            rows = self._query(
                "SELECT filename, content_type, sha256, size, data, created_at FROM files WHERE document_id = ?",
                (doc_id,),
            )
        if not rows:
            return None
        name, ctype, sha, size, data, at = rows[0]
        return StoredFile(doc_id, name, ctype, sha, size, bytes(data), datetime.fromisoformat(at))

    # -- writes ----------------------------------------------------------------------------------

    def upsert(self, doc: Document, *, actor: str, source: LabelSource = LabelSource.SOURCE) -> UpsertResult:
        """Insert or update one document; ``unchanged`` (and nothing written) when every stored field is
        equal. Changed labelled fields get a label with ``source``; fields a clerk labelled keep the
        clerk's value unless ``source`` is ``human``."""
        results = self._upsert([doc], actor, LabelSource(source))
        return next(iter(results.values()))

    def upsert_many(
        self, docs: Iterable[Document], *, actor: str, source: LabelSource = LabelSource.SOURCE
    ) -> UpsertCounts:
        """Upsert ``docs`` in one transaction (all or nothing). A repeated id: the last one wins."""
        return UpsertCounts.of(self._upsert(list(docs), actor, LabelSource(source)).values())

    def _upsert(self, docs: list[Document], actor: str, source: LabelSource) -> dict[str, UpsertResult]:
        actor = check_actor(actor)
        preparer = RowPreparer()
        # A restored backup says where each label came from (``label_sources``, ``label_details``): provenance
        # for the labels filed below, not metadata to keep (kept, it would go stale and make a backup imported
        # again into its own store rewrite every document). Other imports' labels are the source's.
        provenance = [
            carried_label_provenance(doc.extra) if source == LabelSource.SOURCE else {} for doc in docs
        ]
        docs = [_without_provenance(doc) for doc in docs]
        rows = [preparer.row(doc) for doc in docs]  # validation errors surface before any write
        final = {row[0]: row for row in rows}  # last wins
        carried_by_id = {row[0]: carried for row, carried in zip(rows, provenance, strict=True)}
        results: dict[str, UpsertResult] = {}
        changed: list[Document] = []
        if not final:
            return {}
        with self._lock:
            with self._transaction() as conn:
                now = utc_now()
                existing = self._rows_by_id(list(final))
                labelled = self._current_label_sources(list(existing))
                inserts, updates, audits, labels, retired = [], [], [], [], []
                for doc_id, row in final.items():
                    old = existing.get(doc_id)
                    current = labelled.get(doc_id, {})
                    carried = carried_by_id[doc_id]
                    carried_source = {f: p.source for f, p in carried.items()}
                    if old is not None and source != LabelSource.HUMAN:
                        for field in [f for f, s in current.items() if s == LabelSource.HUMAN]:
                            row = keep_field(row, old, field)
                    given = row  # as the record gives it, before the proposals it leaves alone are kept
                    if old is not None and source in (LabelSource.SOURCE, LabelSource.HEADER):
                        # The same record or file imported again: what a model or the header proposed since
                        # stays where the record says nothing (an import stays idempotent after tagging).
                        # Not where the record carries a clerk's label: its empty value is a decision, not silence.
                        proposed = [f for f, s in current.items()
                                    if s in _PROPOSALS and carried_source.get(f) != LabelSource.HUMAN]  # fmt: skip
                        row = keep_proposals(row, old, proposed)
                    # A value the source now gives that equals a proposal settles it: the label becomes the
                    # source's (the review queue and training then take it as given, not guessed).
                    settled = [
                        f for f in LABELLED_FIELDS
                        if old is not None and source == LabelSource.SOURCE and current.get(f) in _PROPOSALS
                        and carried_source.get(f, source) not in _PROPOSALS and label_value(given, f) is not None
                        and label_value(given, f) == label_value(old, f)
                    ]  # fmt: skip
                    # A label without a value the record carries (a clerk's deliberate "no field"): no change of
                    # the document would file it. A clerk's label in this store stands, as its values do.
                    emptied = [
                        f for f, p in carried.items()
                        if f in EDITABLE_FIELDS and label_value(row, f) is None
                        and current.get(f) not in (LabelSource.HUMAN, p.source)
                    ]  # fmt: skip
                    if old is not None and row == old[: len(COLUMNS)]:
                        relabelled = [*settled, *emptied]
                        if relabelled:
                            retired += [(doc_id, f) for f in relabelled if f in current]
                            labels += [_label_row(doc_id, f, label_value(row, f), carried.get(f), source, actor, now)
                                       for f in relabelled]  # fmt: skip
                            details: dict[str, Any] = {"source": source}
                            if settled:
                                details["settled"] = settled
                            if emptied:
                                details["restored"] = emptied
                            audits.append((now, actor, "label", doc_id, to_json(details)))
                        results[doc_id] = UpsertResult.UPDATED if relabelled else UpsertResult.UNCHANGED
                        continue
                    if old is None:
                        inserts.append((*row, now, now))
                        results[doc_id] = UpsertResult.INSERTED
                    else:
                        updates.append((*row[1:], now, doc_id))
                        results[doc_id] = UpsertResult.UPDATED
                    diff = audit_diff(old, row)
                    action = "insert" if old is None else "update"
                    audits.append((now, actor, action, doc_id, to_json({"source": source, "changes": diff})))
                    for field in [*diff, *(f for f in [*settled, *emptied] if f not in diff)]:
                        if field in LABELLED_FIELDS or field in current or (field in carried and field in EDITABLE_FIELDS):
                            if field in current:
                                retired.append((doc_id, field))
                            labels.append(_label_row(doc_id, field, label_value(row, field), carried.get(field),
                                                     source, actor, now))  # fmt: skip
                    changed.append(row_to_document((*row, old[len(COLUMNS)] if old else now, now)))
                conn.executemany(INSERT_DOCUMENT, inserts)
                conn.executemany(UPDATE_DOCUMENT, updates)
                conn.executemany(RETIRE_LABEL, retired)
                conn.executemany(INSERT_LABEL, labels)
                conn.executemany(INSERT_AUDIT, audits)
            if changed:
                self._notify(Change("upsert", tuple(changed)))
        return results

    def set_label(
        self,
        doc_id: str,
        field: str,
        value: Any,
        *,
        source: LabelSource,
        actor: str,
        model_version: str | None = None,
        confidence: float | None = None,
    ) -> Document:
        """Label one field (a clerk's correction, a model's proposal…); returns the document after it.

        The label becomes the field's current label and the document's field takes its value, except
        that a non-human label never replaces a human one: it joins the history only. Every call adds a
        label row and an audit row, even when the value is the same (a clerk confirming a model's label
        is worth recording). ``value``: a string or None; a date or ``YYYY-MM-DD`` for ``issued_date``;
        a list of strings for ``recipients``.
        """
        actor = check_actor(actor)
        source = LabelSource(source)
        if field not in EDITABLE_FIELDS:
            raise InvalidDocument(
                field, f"không gán nhãn được cho trường này (chỉ: {', '.join(EDITABLE_FIELDS)})"
            )
        if confidence is not None and not 0.0 <= float(confidence) <= 1.0:
            raise InvalidDocument(
                "confidence", f"độ tin cậy phải trong khoảng [0, 1], nhận được {confidence}"
            )
        new_value = RowPreparer.field_value(field, value)
        doc_id = RowPreparer.clean_id(doc_id)
        with self._lock:
            with self._transaction() as conn:
                now = utc_now()
                old = self._rows_by_id([doc_id]).get(doc_id)
                if old is None:
                    raise DocumentNotFound(doc_id)
                before = row_to_document(old)
                row = RowPreparer().row(before.replace(**{field: new_value}))
                held = self._current_label_sources([doc_id]).get(doc_id, {}).get(field) == LabelSource.HUMAN
                applies = source == LabelSource.HUMAN or not held
                changed = applies and row != old[: len(COLUMNS)]
                if applies:
                    conn.execute(RETIRE_LABEL, (doc_id, field))
                label = (
                    doc_id,
                    field,
                    label_value(row, field),
                    source.value,
                    model_version,
                    confidence,
                    actor,
                    now,
                )
                conn.execute(INSERT_LABEL, (*label, int(applies)))
                if changed:
                    conn.execute(UPDATE_DOCUMENT, (*row[1:], now, doc_id))
                details = {
                    "field": field,
                    "source": source,
                    "model_version": model_version,
                    "confidence": confidence,
                    "applied": applies,
                    "old": label_value(old, field),
                    "new": label_value(row, field),
                    "changes": audit_diff(old, row) if changed else {},
                }
                conn.execute(INSERT_AUDIT, (now, actor, "label", doc_id, to_json(details)))
            if not changed:
                return before
            after = row_to_document((*row, old[len(COLUMNS)], now))
            self._notify(Change("upsert", (after,)))
        return after

    def delete(self, doc_id: str, *, actor: str) -> None:
        """Delete a document with its labels and file; the audit keeps what it was."""
        actor = check_actor(actor)
        doc_id = RowPreparer.clean_id(doc_id)
        with self._lock:
            with self._transaction() as conn:
                old = self._rows_by_id([doc_id]).get(doc_id)
                if old is None:
                    raise DocumentNotFound(doc_id)
                conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                details = {"changes": audit_diff(old, None)}
                conn.execute(INSERT_AUDIT, (utc_now(), actor, "delete", doc_id, to_json(details)))
            self._notify(Change("delete", (), (doc_id,)))

    def save_file(
        self, doc_id: str, filename: str, content_type: str, data: bytes, *, actor: str = "system"
    ) -> bool:
        """Keep the original file of a document, replacing any previous one; returns False (and writes
        nothing) when the same file — same bytes, name and type — is already stored."""
        actor = check_actor(actor)
        doc_id = RowPreparer.clean_id(doc_id)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise InvalidDocument("file", "nội dung tệp phải là bytes")
        data = bytes(data)
        meta: dict[str, str | int] = {
            "filename": filename,
            "content_type": content_type,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        meta["size"] = len(data)
        with self._lock, self._transaction() as conn:
            if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                raise DocumentNotFound(doc_id)
            found = conn.execute(
                "SELECT filename, content_type, sha256, size FROM files WHERE document_id = ?", (doc_id,)
            ).fetchone()
            old = (
                dict(zip(("filename", "content_type", "sha256", "size"), found, strict=True))
                if found
                else None
            )
            if old == meta:
                return False
            now = utc_now()
            conn.execute(
                "INSERT OR REPLACE INTO files (document_id, filename, content_type, sha256, size, data, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc_id, filename, content_type, meta["sha256"], len(data), data, now),
            )
            details = {"changes": {"file": {"old": old, "new": meta}}}
            conn.execute(INSERT_AUDIT, (now, actor, "update", doc_id, to_json(details)))
        return True
