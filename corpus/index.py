"""The search index: a tantivy directory next to the store, always rebuildable from it.

Layout: ``<data_dir>/index/`` holds tantivy's files and ``manifest.json`` (schema version, analyser version,
tantivy version, build id). :meth:`SearchIndex.open` refuses an index built by another analyser or schema
(:class:`~corpus.search_errors.IndexOutdated`, which says "rebuild"): stale tokens would give silently
wrong results. :meth:`SearchIndex.rebuild` builds a fresh index in ``index.tmp-<uuid>/`` from the store,
writes the manifest last and swaps it into place, so a crash leaves the old index serving.

What goes into each field (analysed by :mod:`nlp`, never by tantivy's tokenizers) is
:mod:`corpus.index_fields`.

Writes are incremental and durable: :meth:`upsert` and :meth:`delete` commit before they return, and the
writer lock is released at once so that another process (the service while an import runs) can write next.

Example
-------
>>> index = SearchIndex.open(data_dir / "index")  # doctest: +SKIP
>>> unsubscribe = index.attach(store)             # doctest: +SKIP  (import now indexes as it stores)
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy

from corpus.document import Document
from corpus.index_feed import BackgroundFeed
from corpus.index_fields import (  # noqa: F401 - build_schema, document_fields: re-exported for callers
    analyze_documents,
    build_schema,
    document_fields,
    micros,
    register_tokenizer,
)
from corpus.query_terms import fold_terms
from corpus.search_errors import IndexBusy, IndexMissing, IndexOutdated, IndexUnavailable
from corpus.search_filters import issuer_word_pairs
from nlp.analyzer import ANALYZER_VERSION
from nlp.header_issuer import issuer_place

SCHEMA_VERSION = 23  # 7: issuer out of the text fields, body stored from its content, day stored;
# 8: issuer terms of the new abbreviations (UBMTTQ, HCM, TNHH, MTV, CTCP), whole numbers (22/QĐ-TT-HĐND);
# 9: Cyrillic/Greek look-alikes inside Latin words and numbers normalised to Latin ("ВТC" → "BTC");
# 10: a joint body in a number ("PCCC&CNCH") also indexed as each of its bodies;
# 11: issuer terms of the new abbreviations (TN&MT, KHĐT, KH&ĐT, GTVT, TT&TT, LĐ-TB&XH);
# 12: the issuer facet holds one spelling per body (nlp.header_issuer.standard_issuer);
# 13: the issuer facet qualified by its parent's place, department acronyms spelled out, issuer_key;
# 14: a department named by one acronym spelled out (STNMT, SYT, BYT);
# 15: the national motto of a full text's header left out of its text fields (nlp.header_layout.without_motto);
# 16: a body ending with its level takes only its parent's place name ("Thanh tra tỉnh Cà Mau");
# 17: the stored body (snippets) starts after the summary when it is the title (corpus.highlight.content_start);
# 18: the motto left out wherever it stands in capitals (forms annexed to a decree print it again);
# 19: a number printing its year after a dash is one number ("19-2018/NQ-CP", was "19-" and "2018/NQ-CP");
# 20: a symbol printed on after a space is one number in running text ("145/2020/NĐ CP"), no number after ")";
# 21: validity classes of partial suspensions and "1 phần"; no dash-year number after a year or a colon;
# 22: full-width forms read as ASCII by the normaliser ("１３９／KH－UBND")
# 23: the stored body starts after a "V/v" summary wrapped onto a second line and after the "Kính gửi" list;
#     digits of other scripts (Arabic-Indic "١٢٣") read as ASCII by the normaliser
INDEX_DIRNAME = "index"
MANIFEST_NAME = "manifest.json"
_LOCK_WAIT_S = 30.0
_FORMS_TTL_S = 300.0
_WRITER_HEAP = 64_000_000
_REBUILD_HEAP = 256_000_000


@dataclass(frozen=True)
class IndexManifest:
    """What built this index; a mismatch with the running code means "rebuild"."""

    schema_version: int
    analyzer: str
    tantivy: str
    build_id: str
    created_at: str
    documents: int = 0
    format: str = "vanban-search-index"

    @classmethod
    def current(cls, documents: int = 0) -> IndexManifest:
        return cls(
            SCHEMA_VERSION,
            ANALYZER_VERSION,
            # tantivy/__init__.py star-imports its extension, whose .pyi declares __version__: mypy misses it.
            tantivy.__version__,  # type: ignore[attr-defined]
            uuid.uuid4().hex,
            datetime.now(UTC).isoformat(timespec="seconds"),
            documents,
        )

    def write(self, directory: Path) -> None:
        tmp = directory / f".{MANIFEST_NAME}.{uuid.uuid4().hex}"
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, directory / MANIFEST_NAME)

    @classmethod
    def read(cls, directory: Path) -> IndexManifest | None:
        try:
            raw = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
            return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})
        except (OSError, ValueError, TypeError):
            return None

    def version(self) -> str:
        return f"schema {self.schema_version}, {self.analyzer}"


def index_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / INDEX_DIRNAME


# -- the index ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncReport:
    """What :meth:`SearchIndex.sync` did."""

    indexed: int
    deleted: int
    total: int


class SearchIndex:
    """An open index directory. Open with :meth:`open` (or :meth:`rebuild`); thread-safe for writes."""

    def __init__(self, path: Path, index: tantivy.Index, manifest: IndexManifest) -> None:
        self.path = path
        self.manifest = manifest
        self._index = index
        self._lock = threading.RLock()
        self.schema = index.schema
        # How long a write waits for another process's writer lock before IndexBusy (None: _LOCK_WAIT_S). The
        # service waits briefly and indexes later (service.index_later) rather than keep a clerk waiting.
        self.lock_wait_s: float | None = None
        self._forms: dict[str, tuple[str, ...]] = {}
        self._issuer_pairs: frozenset[tuple[str, str]] = frozenset()
        self._place_pairs: frozenset[tuple[str, str]] = frozenset()
        self._issuer_pairs_stamp: tuple[int, int] | None = None
        self._forms_built = -_FORMS_TTL_S
        try:
            self._manifest_stamp: int | None = (path / MANIFEST_NAME).stat().st_mtime_ns
        except OSError:
            self._manifest_stamp = None
        self._meta_path = str(path / "meta.json")  # tantivy's: every commit replaces it
        self._meta_stamp: tuple[int, int, int] | None = None  # meta.json as of the last reload

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> SearchIndex:
        """Open the index at ``path``; create an empty one when missing and ``create`` is true."""
        path = Path(path)
        if not (path / "meta.json").exists():
            if not create:
                raise IndexMissing(str(path))
            return cls._create(path)
        manifest = IndexManifest.read(path)
        expected = IndexManifest.current()
        if manifest is None:
            raise IndexOutdated(str(path), "không rõ (thiếu manifest.json)", expected.version())
        if manifest.schema_version != SCHEMA_VERSION or manifest.analyzer != ANALYZER_VERSION:
            raise IndexOutdated(str(path), manifest.version(), expected.version())
        try:
            index = tantivy.Index.open(str(path))
        except ValueError as exc:
            raise IndexUnavailable(
                f"cannot open index {path}: {exc}",
                f"Không mở được chỉ mục {path}: {exc}. Hãy tạo lại chỉ mục: vanban index --rebuild "
                "(kho văn bản không bị ảnh hưởng).",
            ) from exc
        register_tokenizer(index)
        return cls(path, index, manifest)

    @classmethod
    def for_store(cls, store: Any, data_dir: Path | str) -> SearchIndex:
        """The index of ``data_dir``, ready to :meth:`attach` to ``store``: created when missing, and when
        it is out of step with the store (an index deleted, a store copied in, an import killed midway:
        :meth:`out_of_step`), it is brought up to date first, so that it never serves a partial corpus
        silently.

        Example
        -------
        >>> index = SearchIndex.for_store(store, data_dir)  # doctest: +SKIP
        >>> detach = index.attach(store)                     # doctest: +SKIP
        """
        index = cls.open(index_path(data_dir), create=True)
        if index.out_of_step(store):
            index.sync(store)
        return index

    def out_of_step(self, store: Any) -> bool:
        """Whether the index may lack what ``store`` holds, told cheaply: another count of documents, or a
        later change in the store than any the index holds (an import killed between storing a batch and
        indexing it, QA). Not every difference (a change to an older document alone): ``vanban index``."""
        if self.num_docs != store.count():
            return True
        last = store.last_update()
        return last is not None and micros(last) > self.last_indexed_update()

    def last_indexed_update(self) -> int:
        """The latest ``updated`` stamp (µs) among indexed documents, 0 when there are none."""
        searcher = self.searcher()
        if searcher.num_docs == 0:
            return 0
        result = searcher.search(tantivy.Query.all_query(), 1, False, "updated", 0, tantivy.Order.Desc)
        stamps = searcher.fast_field_values("updated", [address for _, address in result.hits])
        return int(stamps[0] or 0) if stamps else 0

    @classmethod
    def _create(cls, path: Path, documents: int = 0) -> SearchIndex:
        try:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(build_schema(), path=str(path), reuse=False)
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(
                f"cannot create index {path}: {exc}", f"Không tạo được chỉ mục {path}: {exc}"
            ) from exc
        register_tokenizer(index)
        manifest = IndexManifest.current(documents)
        manifest.write(path)
        return cls(path, index, manifest)

    # -- reading -----------------------------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        return self._index.searcher()

    def generation(self) -> tuple[object, ...]:
        """What changes whenever a searcher may see other documents: the last commit (tantivy replaces
        ``meta.json`` on each) and the directory opened (a rebuild swapped in). For caches of statistics."""
        return (id(self._index), _file_stamp(self._meta_path))

    @property
    def num_docs(self) -> int:
        return self._index.searcher().num_docs

    def reload(self) -> None:
        """See the latest commits, and a rebuild another process swapped in (``vanban index --rebuild``
        while the service runs): the directory is then reopened.

        Called before every search by the service, so it starts with one ``stat`` of tantivy's
        ``meta.json``, which every commit replaces (a new file: a new inode and mtime) and a swapped-in
        rebuild brings anew: while it is unchanged there is nothing to see, and asking tantivy to reload
        its reader (a fraction of a millisecond) is skipped."""
        stamp = _file_stamp(self._meta_path)
        if stamp is not None and stamp == self._meta_stamp:
            return
        self._check_rebuild()
        self._index.reload()
        self._meta_stamp = stamp

    def _check_rebuild(self) -> None:
        try:
            stamp = (self.path / MANIFEST_NAME).stat().st_mtime_ns
        except OSError:
            stamp = None
        if stamp != self._manifest_stamp:
            current = IndexManifest.read(self.path)
            if current is not None and current.build_id != self.manifest.build_id:
                reopened = SearchIndex.open(self.path, create=False)  # checks versions again
                with self._lock:
                    self._index, self.manifest, self.schema = (
                        reopened._index,
                        reopened.manifest,
                        reopened.schema,
                    )
                    self._forms_built = -_FORMS_TTL_S
                    self._issuer_pairs_stamp = None
            self._manifest_stamp = stamp

    def _refresh_vocabularies(self) -> None:
        if time.monotonic() - self._forms_built <= _FORMS_TTL_S:
            return
        searcher = self.searcher()
        forms: dict[str, list[str]] = {}
        for term, _ in searcher.terms_with_prefix("all_syl", "", limit=None):
            key = fold_terms([term])[0]
            if key != term:
                forms.setdefault(key, []).append(term)
        self._forms = {k: tuple(v) for k, v in forms.items()}
        self._forms_built = time.monotonic()

    def issuer_pair(self, first: str, second: str) -> bool:
        """Whether two folded words, in this order, name an issuer the index holds (``binh``, ``duong``):
        :func:`corpus.search_filters.issuer_word_pairs` of every distinct issuer, recomputed when the
        number of documents changes and every few minutes (an issuer renamed; a few hundred names: cheap)."""
        self._refresh_issuer_names()
        return (first, second) in self._issuer_pairs

    def place_pair(self, first: str, second: str) -> bool:
        """Whether two folded words name the place of an issuer the index holds (``lao``, ``cai``), not
        the subject words of a body's name (``moi``, ``truong`` of Sở Nông nghiệp và Môi trường)."""
        self._refresh_issuer_names()
        return (first, second) in self._place_pairs

    def _refresh_issuer_names(self) -> None:
        """The word pairs and the two-word places of every distinct issuer, read again when the number of
        documents changes and every few minutes (an issuer renamed; a few hundred names: cheap)."""
        searcher = self._index.searcher()
        stamp = (searcher.num_docs, int(time.monotonic() // _FORMS_TTL_S))
        if stamp == self._issuer_pairs_stamp:
            return
        pairs: set[tuple[str, str]] = set()
        places: set[tuple[str, str]] = set()
        for name, _ in searcher.terms_with_prefix("issuer", "", limit=None):
            pairs |= issuer_word_pairs(name)
            place = issuer_place(name)
            if place is not None and len(words := place[1].split()) == 2:
                places.add((words[0], words[1]))
        self._issuer_pairs, self._place_pairs = frozenset(pairs), frozenset(places)
        self._issuer_pairs_stamp = stamp

    def issuer_word(self, word: str) -> bool:
        """Whether an issuer's terms hold this folded word or abbreviation (``ubnd``)."""
        return self._index.searcher().doc_freq("issuer_terms", word) > 0

    def surface_forms(self, folded: str) -> tuple[str, ...]:
        """Forms with diacritics of a folded syllable found in the index (``duong`` → ``đường``, ``dương``…),
        for marking words typed without diacritics. Read from the term dictionary, refreshed at most every
        few minutes: a form first seen since then is still marked, by the slower all-forms pattern."""
        self._refresh_vocabularies()
        return self._forms.get(folded, ())

    # -- writing -----------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, heap: int = _WRITER_HEAP, threads: int = 1) -> Iterator[tantivy.IndexWriter]:
        # A rebuild swapped in by another process is written to, not the directory it replaced (QA: uploads
        # made while `vanban index --rebuild` ran were lost with the old directory).
        self._check_rebuild()
        with self._lock:
            writer = self._acquire_writer(heap, threads)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # finishes merges and releases the lock for other processes
            self._index.reload()

    def _acquire_writer(self, heap: int, threads: int) -> tantivy.IndexWriter:
        wait = _LOCK_WAIT_S if self.lock_wait_s is None else self.lock_wait_s
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            try:
                return self._index.writer(heap_size=heap, num_threads=threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise IndexUnavailable(f"cannot write index {self.path}: {exc}") from exc
                if time.monotonic() > deadline:
                    raise IndexBusy(str(self.path), wait) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def upsert(self, docs: Sequence[Document], workers: int | None = None) -> int:
        """Index (or re-index) ``docs``; committed when this returns. Returns how many."""
        if not docs:
            return 0
        with ExitStack() as stack:
            writer: tantivy.IndexWriter | None = None

            def add(doc: Document, fields: tantivy.Document) -> None:
                # The writer (and its lock) is taken when analysis is done and the first document's
                # fields are built, not before: another process may write while this one segments.
                # Documents go to tantivy's indexing thread one by one as their fields are built; an
                # exception anywhere rolls all of them back (the stack exits the writer with it).
                nonlocal writer
                if writer is None:
                    writer = stack.enter_context(self._writing())
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(fields)

            analyze_documents(docs, workers=workers, add=add)
        return len(docs)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; committed when this returns."""
        ids = list(ids)
        if ids:
            with self._writing() as writer:
                for doc_id in ids:
                    writer.delete_documents_by_term("id", doc_id)
        return len(ids)

    def apply(self, change: Any) -> None:
        """A store listener: mirror one committed :class:`corpus.store.Change`."""
        if change.kind == "delete":
            self.delete(change.ids)
        else:
            self.upsert(change.documents)

    def attach(self, store: Any, *, background: bool = False) -> Callable[[], None]:
        """Keep this index in step with ``store`` from now on; returns the function that detaches it.

        By default each change is indexed before the store's write returns. ``background=True`` (imports)
        indexes each change on a thread of its own while the store goes on with the next batch
        (:class:`~corpus.index_feed.BackgroundFeed`); detaching then waits until everything stored is
        indexed and raises the first indexing failure.
        """
        if not background:
            return store.add_listener(self.apply)
        feed = BackgroundFeed(self.apply)
        remove = store.add_listener(feed.put)

        def detach() -> None:
            remove()
            feed.close()

        return detach

    def indexed_versions(self) -> dict[str, int]:
        """id → ``updated`` stamp (µs) of every indexed document, for :meth:`sync`."""
        searcher = self.searcher()
        if searcher.num_docs == 0:
            return {}
        result = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs, count=False)
        addresses = [address for _, address in result.hits]
        stamps = searcher.fast_field_values("updated", addresses)
        versions: dict[str, int] = {}
        for address, stamp in zip(addresses, stamps, strict=True):
            doc_id = searcher.doc(address).get_first("id")
            assert doc_id is not None, "every indexed document stores its id (index_fields.field_values)"
            versions[doc_id] = int(stamp or 0)
        return versions

    def sync(
        self, store: Any, batch_size: int = 1000, progress: Callable[[int], None] | None = None
    ) -> SyncReport:
        """Bring the index up to date with ``store`` incrementally: index documents the index lacks or
        holds an older version of, delete documents the store no longer has."""
        known = self.indexed_versions()
        stale: list[Document] = []
        seen: set[str] = set()
        indexed = 0
        for doc in store.iter_documents(batch_size=500):
            seen.add(doc.id)
            if doc.updated_at is None or known.get(doc.id) != micros(doc.updated_at):
                stale.append(doc)
            if len(stale) >= batch_size:
                indexed += self.upsert(stale)
                stale = []
            if progress:
                progress(1)
        indexed += self.upsert(stale)
        deleted = self.delete([doc_id for doc_id in known if doc_id not in seen])
        return SyncReport(indexed, deleted, self.num_docs)

    @classmethod
    def rebuild(
        cls,
        store: Any,
        path: Path | str,
        *,
        batch_size: int = 1000,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> SearchIndex:
        """Build a new index of every document in ``store`` and swap it in at ``path`` atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(f"{path.name}.tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)  # a rebuild that crashed; never served
        tmp = path.parent / f"{path.name}.tmp-{uuid.uuid4().hex[:12]}"
        try:
            fresh = cls._create(tmp)
            count = 0
            with fresh._writing(heap=_REBUILD_HEAP, threads=max(1, min(4, os.cpu_count() or 1))) as writer:
                batch: list[Document] = []
                for doc in store.iter_documents(batch_size=500):
                    batch.append(doc)
                    if len(batch) >= batch_size:
                        count += _add_batch(writer, batch, workers, progress)
                        batch = []
                count += _add_batch(writer, batch, workers, progress)
            manifest = IndexManifest.current(count)
            manifest.write(tmp)  # last: a directory without a current manifest is never opened
            del fresh
            old = path.parent / f"{path.name}.old-{uuid.uuid4().hex[:12]}"
            if path.exists():
                os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        rebuilt = cls.open(path, create=False)
        # What a running service filed or deleted while this read the store went to the index being
        # replaced: caught up from the store's update stamps, now that writers see the new directory.
        rebuilt.sync(store, batch_size=batch_size)
        return rebuilt


def _file_stamp(path: str) -> tuple[int, int, int] | None:
    """(mtime ns, inode, size) of a file, None when it is missing: changes whenever it is replaced."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ino, st.st_size


def _add_batch(
    writer: tantivy.IndexWriter,
    docs: list[Document],
    workers: int | None,
    progress: Callable[[int], None] | None,
) -> int:
    # Each document goes to the writer as soon as its fields are built (see analyze_documents).
    analyze_documents(docs, workers=workers, add=lambda _doc, fields: writer.add_document(fields))
    if progress and docs:
        progress(len(docs))
    return len(docs)
