"""Import documents into the store: JSONL, CSV, and folders of original files.

:func:`import_paths` takes files and folders. By suffix: ``.jsonl``/``.ndjson`` and ``.csv`` are tables of
records (see :mod:`corpus.import_rows` for the format), ``.docx``/``.doc``/``.pdf``/``.txt`` are original
documents (see :mod:`corpus.import_files`). Folders are
walked recursively, skipping hidden entries.

Rules, chosen so that a clerk can fix the input and run the import again:

* a bad record is reported (line, field, reason in Vietnamese) and skipped; good records are imported;
* a file that cannot be decoded as UTF-8 is refused whole: nothing of it is imported;
* a repeated id within one file: the last record wins, each earlier one is reported as an error on the
  ``id`` field (it was not imported);
* import is idempotent by id: unchanged documents are not written (no audit row, same ``updated_at``);
* labels carried by records are recorded with source ``source``, those read from a file's header with
  source ``header``; fields a clerk corrected are kept (see :class:`corpus.store.Store`);
* a record of ``vanban export`` (a backup) restores each label as it was filed: the source its
  ``label_sources`` names and the model version, confidence and author its ``label_details`` give, a clerk's
  label without a value included (tagging then leaves that field empty, as the clerk did). A record without
  them restores as before.

Example
-------
>>> report = import_paths(store, [Path("binhduong.jsonl")], progress=False)  # doctest: +SKIP
>>> report.to_dict()  # doctest: +SKIP
{'read': 3077, 'inserted': 3077, 'updated': 0, 'unchanged': 0, 'errors': []}
"""

from __future__ import annotations

import gc
import sys
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.document import Document, LabelSource
from corpus.errors import InvalidDocument
from corpus.import_files import DOCUMENT_SUFFIXES, FileNotImported, read_file_document
from corpus.import_rows import (
    MOTTO_ISSUER,
    FileUnreadable,
    csv_records,
    decode_utf8,
    jsonl_records,
    parse_record,
)
from corpus.search_filters import TOPICS, known_doc_types, same_issuing_body, same_numbering_year
from corpus.store import Store
from corpus.store_rows import normalize_value
from corpus.store_types import UpsertCounts

TABLE_SUFFIXES = frozenset((".jsonl", ".ndjson", ".csv"))
BATCH_SIZE = 1000  # documents per transaction
_SHOWN_ERRORS = 20
# Objects allocated between young-generation collections during an import (Python's default: 700).
# Analysing a batch allocates millions of short-lived objects (tokens, lists, tuples) and few cycles;
# at 700 the collector ran ~300 times per 1,500 VNTC articles, re-scanning survivors into the older
# generations, 0.3-0.4 s in all. Collections still happen, only less often; the threshold is restored
# when the last running import ends.
_IMPORT_GC_THRESHOLD = 50_000


@dataclass(frozen=True)
class ImportRowError:
    """One problem met during an import. ``line`` is 1-based (None for a whole file), ``field`` None for
    a whole line or file; ``reason`` is Vietnamese. (Not named ImportError: that is a Python builtin.)"""

    line: int | None
    field: str | None
    reason: str
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "reason": self.reason, "path": self.path}

    def describe(self) -> str:
        where = [self.path or ""]
        if self.line is not None:
            where.append(f"dòng {self.line}")
        if self.field:
            where.append(f"trường {self.field}")
        return f"{', '.join(w for w in where if w)}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did. ``read`` counts records (and files) met; ``rejected`` those not imported."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportRowError] = field(default_factory=list)
    rejected: int = 0
    # Notes on files that were imported but may read wrongly (a guessed legacy encoding, scanned pages).
    warnings: list[ImportRowError] = field(default_factory=list)
    # Ids of the documents this import stored (inserted, updated or found unchanged), in input order: what
    # a caller tags, checks or reports on afterwards.
    stored_ids: list[str] = field(default_factory=list)
    # Where each id of this run was read (file), to say when a later file of the same run repeats it.
    origins: dict[str, str] = field(default_factory=dict, repr=False)

    def add_counts(self, counts: UpsertCounts) -> None:
        self.inserted += counts.inserted
        self.updated += counts.updated
        self.unchanged += counts.unchanged

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of ``vanban import --json``."""
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary(self) -> str:
        """A short report for a clerk, in Vietnamese."""
        lines = [
            f"Đã đọc {self.read} văn bản: {self.inserted} thêm mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi, {self.rejected} bị bỏ qua vì lỗi ({len(self.errors)} lỗi)."
        ]
        lines += [f"  - {error.describe()}" for error in self.errors[:_SHOWN_ERRORS]]
        if len(self.errors) > _SHOWN_ERRORS:
            lines.append(f"  … và {len(self.errors) - _SHOWN_ERRORS} lỗi khác (xem báo cáo --json).")
        if self.warnings:
            lines.append(f"Cần kiểm tra {len(self.warnings)} điểm ở các tệp đã nhập:")
            lines += [f"  - {warning.describe()}" for warning in self.warnings[:_SHOWN_ERRORS]]
            if len(self.warnings) > _SHOWN_ERRORS:
                lines.append(
                    f"  … và {len(self.warnings) - _SHOWN_ERRORS} cảnh báo khác (xem báo cáo --json)."
                )
        return "\n".join(lines)


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    actor: str = "import",
    progress: bool = True,
    topics: Collection[str] = (),
) -> ImportReport:
    """Import every file and folder of ``paths`` into ``store``; never raises for bad input (it is
    reported), only for a store that cannot be written (:class:`corpus.errors.StoreError`).

    ``topics``: the fields (lĩnh vực) of the active model's own taxonomy, accepted as written besides the
    built-in codes and names (the caller reads them from the model registry: corpus does not know models)."""
    report = ImportReport()
    show = progress and sys.stderr.isatty()
    with _fewer_collections:
        _import_all(store, paths, report, actor, show, frozenset(topics))
    return report


class _FewerCollections:
    """Raises the young-generation threshold of the garbage collector while imports run. Counted, so
    that concurrent imports (service threads) restore the original thresholds exactly once, at the end
    of the last one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved = gc.get_threshold()

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._saved = gc.get_threshold()
                first, *older = self._saved
                gc.set_threshold(max(first, _IMPORT_GC_THRESHOLD), *older)
            self._running += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                gc.set_threshold(*self._saved)


_fewer_collections = _FewerCollections()


def _import_all(
    store: Store, paths: Iterable[Path | str], report: ImportReport, actor: str, show: bool, topics: frozenset[str]
) -> None:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(_walk(path))
            if not files:
                report.errors.append(
                    ImportRowError(None, None, "thư mục không có tệp nào để nhập", str(path))
                )
            document_files = [f for f in files if f.suffix.lower() in DOCUMENT_SUFFIXES]
            for file in files:
                if file.suffix.lower() in TABLE_SUFFIXES:
                    _import_table(store, file, report, actor, show, topics)
                elif file.suffix.lower() not in DOCUMENT_SUFFIXES:
                    report.errors.append(ImportRowError(None, None, _unsupported(file), str(file)))
            _import_documents(store, document_files, path, report, actor, show)
        elif path.is_file():
            suffix = path.suffix.lower()
            if suffix in TABLE_SUFFIXES:
                _import_table(store, path, report, actor, show, topics)
            elif suffix in DOCUMENT_SUFFIXES:
                _import_documents(store, [path], None, report, actor, show)
            else:
                report.errors.append(ImportRowError(None, None, _unsupported(path), str(path)))
        else:
            report.errors.append(ImportRowError(None, None, "không tìm thấy tệp hoặc thư mục", str(path)))


def _unsupported(path: Path) -> str:
    return (
        f'định dạng "{path.suffix or path.name}" không được hỗ trợ; nhập được .jsonl, .csv, '
        ".docx, .doc, .pdf (có lớp văn bản) và .txt"
    )


def _walk(folder: Path) -> Iterator[Path]:
    for entry in folder.iterdir():
        if entry.name.startswith((".", "~$")):  # hidden files, Office lock files
            continue
        if entry.is_dir():
            if not entry.is_symlink():  # a link back up the tree would walk forever
                yield from _walk(entry)
        elif entry.is_file():
            yield entry


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def _progress(total: int, desc: str, show: bool) -> Any:
    """A tqdm bar on stderr, or a do-nothing stand-in (importing tqdm costs a tenth of a second)."""
    if not show:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="văn bản", file=sys.stderr, leave=False)


def _import_table(
    store: Store, path: Path, report: ImportReport, actor: str, show: bool, topics: frozenset[str]
) -> None:
    """Import one JSONL or CSV file, stored in batches as it is read: memory stays bounded by a batch and
    the file's text, not by its documents (QA: a 50 MB file peaked at 1 GB). An id given twice is filed from
    its last valid record, the earlier ones reported, as a first pass over the ids tells where each ends."""
    where = str(path)
    read = csv_records if path.suffix.lower() == ".csv" else jsonl_records
    try:
        text = decode_utf8(path.read_bytes())
        last_line, total = _last_lines(read(text))
    except FileUnreadable as exc:
        report.errors.append(ImportRowError(exc.line, None, exc.reason, where))
        return
    except OSError as exc:
        report.errors.append(ImportRowError(None, None, f"không đọc được tệp: {exc.strerror or exc}", where))
        return
    read_as_codes: Counter[tuple[str, str]] = Counter()  # (field as written, built-in code it was read as)
    motto_issuers = 0  # records filing the national motto as their issuer
    # Codes filed as written that no list holds: an office's own, or a typing slip ("y-tee", "quyet-dinhh": QA)
    unlisted: Counter[tuple[str, str]] = Counter()
    known_types = known_doc_types()
    held: dict[str, tuple[int, Document]] = {}  # a valid record of an id a later line gives again
    filed: list[str] = []  # ids in the order they are filed
    pending: list[tuple[int | None, Document]] = []
    with _progress(total, path.name, show) as bar:
        for record in read(text):
            report.read += 1
            bar.update(1)
            if record.values is None:
                report.errors.append(ImportRowError(record.line, None, record.problem or "dòng hỏng", where))
                report.rejected += 1
                continue
            doc, problems = parse_record(record.values, topics)
            if doc is None:
                report.errors += [ImportRowError(record.line, p.field, p.reason, where) for p in problems]
                report.rejected += 1
                continue
            written = record.values.get("topic")
            if isinstance(written, str) and doc.topic in TOPICS and written.strip() != doc.topic:
                read_as_codes[(written.strip(), doc.topic)] += 1
            if MOTTO_ISSUER in doc.extra:
                motto_issuers += 1
            if doc.topic and doc.topic not in TOPICS and doc.topic not in topics:
                unlisted[("topic", doc.topic)] += 1
            if doc.doc_type and doc.doc_type not in known_types:
                unlisted[("doc_type", doc.doc_type)] += 1
            if doc.id in held:
                earlier = held.pop(doc.id)[0]
                reason = f'mã "{doc.id}" lặp lại ở dòng {record.line}; dòng này bị bỏ qua, dòng sau được dùng'
                report.errors.append(ImportRowError(earlier, "id", reason, where))
                report.rejected += 1
            if last_line.get(doc.id, record.line) > record.line:
                held[doc.id] = (record.line, doc)  # a later line gives this id again: it decides
                continue
            pending.append((record.line, doc))
            if len(pending) >= BATCH_SIZE:
                filed += _store_batch(store, pending, report, actor, LabelSource.SOURCE, where)
                pending = []
        # ids whose later records were not valid: their last valid record stands
        pending += held.values()
        filed += _store_batch(store, pending, report, actor, LabelSource.SOURCE, where)
    if motto_issuers:
        reason = (f"cơ quan ban hành ghi là Quốc hiệu (“Cộng hòa xã hội chủ nghĩa Việt Nam…”) ở {motto_issuers} văn "
                  "bản: đã để trống (hoặc đọc từ phần đầu nội dung nếu có); hãy sửa tệp nguồn")  # fmt: skip
        report.warnings.append(ImportRowError(None, "issuer", reason, where))
    for (written, code), count in read_as_codes.most_common():
        # Said, not silent: a researcher's "Đất đai" or "Giao thông vận tải" read as a built-in field is a
        # merge of classes unless that is what the file meant.
        reason = f'lĩnh vực "{written}" được đọc là mã {code} ({TOPICS[code]}) ở {count} văn bản'
        report.warnings.append(ImportRowError(None, "topic", reason, where))
    for (name, code), count in sorted(unlisted.items()):
        what = "lĩnh vực" if name == "topic" else "loại văn bản"
        reason = (f'{what} "{code}" không có trong danh mục (cũng không thuộc mô hình đang dùng): đã lưu đúng như viết '
                  f"ở {count} văn bản; nếu là lỗi gõ, hãy sửa tệp rồi nhập lại")  # fmt: skip
        report.warnings.append(ImportRowError(None, name, reason, where))
    _say_repeated_across_files(filed, report, where)


def _last_lines(records: Iterable[Any]) -> tuple[dict[str, int], int]:
    """(id → line of its last record, records read): the first pass over a file, ids only. An id is read as
    :func:`~corpus.import_rows.parse_record` files it (normalised, surrounding spaces off)."""
    last: dict[str, int] = {}
    total = 0
    for record in records:
        total += 1
        raw = record.values.get("id") if record.values is not None else None
        if isinstance(raw, str) and raw.strip():
            last[normalize_value(raw.strip())] = record.line
    return last, total


def _say_repeated_across_files(ids: Iterable[str], report: ImportReport, where: str) -> None:
    """A warning per earlier file of this run whose ids this file repeats: the later record is the one kept,
    as within one file, but two files giving one id are two sources of one document and worth a look (QA:
    reported as "updated", silently, and again at every run)."""
    repeated: dict[str, list[str]] = {}
    for doc_id in ids:
        earlier = report.origins.get(doc_id)
        if earlier is not None and earlier != where:
            repeated.setdefault(earlier, []).append(doc_id)
        report.origins[doc_id] = where
    for earlier, ids in repeated.items():
        shown = ", ".join(ids[:3]) + (f" và {len(ids) - 3} mã khác" if len(ids) > 3 else "")
        reason = (f"{len(ids)} mã đã có ở tệp {earlier} trong cùng lần nhập ({shown}): bản ghi của tệp này được "
                  "dùng; nếu hai tệp là hai nguồn của cùng văn bản, hãy giữ một")  # fmt: skip
        report.warnings.append(ImportRowError(None, "id", reason, where))


def _store_batch(
    store: Store,
    items: list[tuple[int | None, Document]],
    report: ImportReport,
    actor: str,
    source: LabelSource,
    where: str,
) -> list[str]:
    """Store ``items`` in transactions of :data:`BATCH_SIZE`; the ids stored."""
    stored: list[str] = []
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        try:
            report.add_counts(store.upsert_many([doc for _, doc in batch], actor=actor, source=source))
            stored += [doc.id for _, doc in batch]
        except InvalidDocument:
            # The store refused a record the importer let through (e.g. NaN in extra): store the
            # batch one by one so that only the bad records are left out.
            for line, doc in batch:
                try:
                    report.add_counts(UpsertCounts.of([store.upsert(doc, actor=actor, source=source)]))
                    stored.append(doc.id)
                except InvalidDocument as exc:
                    report.errors.append(ImportRowError(line, exc.field, exc.reason, where))
                    report.rejected += 1
    report.stored_ids += stored
    return stored


def _same_file_elsewhere(store: Store, document: Document) -> list[str]:
    """Ids of other stored documents with the very same original file: a folder imported again from
    another root, or a file copied into two folders, is filed as a new document (its path is part of its
    id), which the clerk should know."""
    sha256 = document.extra.get("sha256")
    if not isinstance(sha256, str):
        return []
    return [twin.id for twin in store.documents_with_file(sha256) if twin.id != document.id]


def _same_number_elsewhere(store: Store, document: Document) -> list[str]:
    """Ids of other stored documents with the same number from the same issuer (an upload of such a file
    is answered 409; a folder import files it, which the clerk should know: two scans of one document, or a
    draft beside the signed copy, QA)."""
    if not document.number:
        return []
    return [d.id for d in store.find_by_number(document.number)
            if d.id != document.id and same_issuing_body(d.issuer, d.parent, document.issuer, document.parent)
            and same_numbering_year(d.issued_date, document.issued_date)]  # fmt: skip


def _same_number_message(others: list[str], number: str) -> str:
    shown = ", ".join(others[:3]) + (f" và {len(others) - 3} văn bản khác" if len(others) > 3 else "")
    return (f"kho đã có văn bản số {number} của cùng cơ quan ({shown}); nếu là cùng một văn bản (bản quét và "
            "bản điện tử, bản dự thảo và bản đã ký), hãy xóa bản thừa.")  # fmt: skip


def _twins_message(twins: list[str]) -> str:
    shown = ", ".join(twins[:3]) + (f" và {len(twins) - 3} văn bản khác" if len(twins) > 3 else "")
    return (f"tệp có cùng nội dung với văn bản đã có trong kho ({shown}); nếu cùng một văn bản được nhập "
            "hai lần (thư mục nhập lại từ chỗ khác, tệp chép vào hai thư mục), hãy xóa bản thừa.")  # fmt: skip


def _import_documents(
    store: Store, files: list[Path], root: Path | None, report: ImportReport, actor: str, show: bool
) -> None:
    if not files:
        return
    with _progress(len(files), str(root or files[0].name), show) as bar:
        for file in files:
            report.read += 1
            bar.update(1)
            try:
                item = read_file_document(file, root)
            except FileNotImported as exc:
                report.errors.append(ImportRowError(None, None, exc.reason, str(file)))
                report.rejected += 1
                continue
            twins = _same_file_elsewhere(store, item.document)
            same_number = [] if twins else _same_number_elsewhere(store, item.document)
            try:
                result = store.upsert(item.document, actor=actor, source=LabelSource.HEADER)
            except InvalidDocument as exc:
                report.errors.append(ImportRowError(None, exc.field, exc.reason, str(file)))
                report.rejected += 1
                continue
            report.add_counts(UpsertCounts.of([result]))
            report.stored_ids.append(item.document.id)
            if twins:
                report.warnings.append(ImportRowError(None, None, _twins_message(twins), str(file)))
            elif same_number:
                message = _same_number_message(same_number, item.document.number or "")
                report.warnings.append(ImportRowError(None, "number", message, str(file)))
            for warning in item.document.extra.get("extraction_warnings", ()):
                report.warnings.append(ImportRowError(None, None, warning, str(file)))
            store.save_file(item.document.id, item.filename, item.content_type, item.data, actor=actor)
