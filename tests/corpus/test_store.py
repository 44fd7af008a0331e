"""The SQLite store: schema migrations, upsert semantics, labels with history, audit, files, listeners."""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from corpus.document import Document, LabelSource
from corpus.errors import DocumentNotFound, InvalidDocument, SchemaTooNew, StoreError
from corpus.migrations import DB_FILENAME, LATEST_VERSION, MIGRATIONS, Migration, migrate
from corpus.store import Change, Store, UpsertCounts, UpsertResult

KE_HOACH = Document(
    id="lc-0153",
    number="139/KH-UBND",
    doc_type="ke-hoach",
    issuer="Ủy ban nhân dân tỉnh Lào Cai",
    issued_date=date(2024, 5, 6),
    title="Kế hoạch triển khai công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm 2024",
    topic="an-ninh",
    status="Đang hiệu lực",
    recipients=("Sở Nông nghiệp và Phát triển nông thôn", "UBND các huyện, thị xã, thành phố"),
    extra={"nguon": "thử nghiệm"},
)
QUYET_DINH = Document(
    id="lc-0040",
    number="12/QĐ-UBND",
    doc_type="quyet-dinh",
    issuer="Ủy ban nhân dân tỉnh Lào Cai",
    title="Quyết định ủy quyền cho Sở Công Thương thực hiện thủ tục hành chính",
    topic="cai-cach-hanh-chinh",
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path) as opened:
        yield opened


def test_open_creates_a_migrated_wal_database(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        assert store.schema_version == LATEST_VERSION
        assert store.count() == 0
    conn = sqlite3.connect(tmp_path / "data" / DB_FILENAME)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "labels", "audit", "files"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Opening again is a no-op for the schema.
    with Store.open(tmp_path / "data") as store:
        assert store.schema_version == LATEST_VERSION


def test_migrations_apply_in_order_and_roll_back_on_failure(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    extra = Migration(LATEST_VERSION + 1, "ghi chú", ("ALTER TABLE documents ADD COLUMN ghi_chu TEXT",))
    assert migrate(conn, migrations=(*MIGRATIONS, extra)) == LATEST_VERSION + 1
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    assert "ghi_chu" in columns
    broken = Migration(LATEST_VERSION + 2, "broken", ("CREATE TABLE x (a)", "CREATE TABLE x (a)"))
    with pytest.raises(StoreError):
        migrate(conn, migrations=(*MIGRATIONS, extra, broken))
    # The failed migration left neither its table nor its version behind.
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'x'").fetchone()


def test_a_version_1_audit_log_survives_the_upgrade(tmp_path: Path) -> None:
    # A store written before model switches were audited: its entries keep their ids and contents.
    conn = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    assert migrate(conn, migrations=MIGRATIONS[:1]) == 1
    conn.execute("INSERT INTO audit (at, actor, action, document_id, details) "
                 "VALUES ('2025-01-02T03:04:05+00:00', 'chi.vanthu', 'insert', 'bd-1', '{}')")
    conn.close()
    with Store.open(tmp_path) as store:
        assert store.schema_version == LATEST_VERSION
        store.record_event("model-activate", {"version": "v2"}, actor="an.quantri")
        entries = store.audit()
    assert [(e.id, e.action, e.document_id) for e in entries] == [(2, "model-activate", None), (1, "insert", "bd-1")]
    assert entries[0].details == {"version": "v2"} and entries[0].actor == "an.quantri"


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew) as caught:
        Store.open(tmp_path)
    assert caught.value.found == LATEST_VERSION + 1
    assert "phiên bản vanban mới hơn" in caught.value.message
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone()


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_text("Công văn số 12/UBND-VX, không phải cơ sở dữ liệu\n" * 100)
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path)
    assert "không phải cơ sở dữ liệu" in caught.value.message


def test_upsert_inserts_updates_and_leaves_equal_documents_untouched(store: Store) -> None:
    assert store.upsert(KE_HOACH, actor="tester") is UpsertResult.INSERTED
    stored = store.get("lc-0153")
    assert stored.title == KE_HOACH.title
    assert stored.recipients == KE_HOACH.recipients
    assert stored.issued_date == date(2024, 5, 6)
    assert isinstance(stored.created_at, datetime) and stored.created_at == stored.updated_at

    assert store.upsert(KE_HOACH, actor="tester") is UpsertResult.UNCHANGED
    assert store.get("lc-0153").updated_at == stored.updated_at
    assert len(store.audit("lc-0153")) == 1

    changed = KE_HOACH.replace(status="Hết hiệu lực")
    assert store.upsert(changed, actor="người sửa") is UpsertResult.UPDATED
    after = store.get("lc-0153")
    assert after.status == "Hết hiệu lực"
    assert after.created_at == stored.created_at and after.updated_at > stored.updated_at
    last = store.audit("lc-0153")[0]
    assert (last.action, last.actor) == ("update", "người sửa")
    assert last.details["changes"] == {"status": {"old": "Đang hiệu lực", "new": "Hết hiệu lực"}}


def test_upsert_many_is_one_transaction_and_last_duplicate_wins(store: Store) -> None:
    later = QUYET_DINH.replace(title="Quyết định sửa đổi quy chế làm việc")
    counts = store.upsert_many([KE_HOACH, QUYET_DINH, later], actor="tester")
    assert counts == UpsertCounts(inserted=2)
    assert store.get("lc-0040").title == "Quyết định sửa đổi quy chế làm việc"
    # One bad document refuses the whole batch: nothing half-written.
    bad = Document(id="lc-0999", title=12345)  # type: ignore[arg-type]
    with pytest.raises(InvalidDocument) as caught:
        store.upsert_many([KE_HOACH.replace(status="Hết hiệu lực"), bad], actor="tester")
    assert caught.value.field == "title"
    assert store.get("lc-0153").status == "Đang hiệu lực"
    assert store.count() == 2


def test_invalid_documents_name_the_field(store: Store) -> None:
    cases = [
        (Document(id="  "), "id"),
        (Document(id="x", issued_date=datetime(2024, 1, 2, 8, 0)), "issued_date"),  # type: ignore[arg-type]
        (Document(id="x", recipients="Sở Y tế"), "recipients"),  # type: ignore[arg-type]
        (Document(id="x", extra={"điểm": float("nan")}), "extra"),
    ]
    for doc, field in cases:
        with pytest.raises(InvalidDocument) as caught:
            store.upsert(doc, actor="tester")
        assert caught.value.field == field
        assert caught.value.message.startswith("Văn bản không hợp lệ")
    with pytest.raises(InvalidDocument):
        store.upsert(KE_HOACH, actor=" ")
    assert store.count() == 0


def test_nfd_text_is_stored_as_nfc_with_classic_tone_placement(store: Store) -> None:
    nfd = unicodedata.normalize("NFD", "Quyết định về việc hoà giải ở cơ sở  tỉnh Hoà Bình")
    store.upsert(
        Document(id="nfd-1", title=nfd, issuer=unicodedata.normalize("NFD", "Sở Tư pháp")), actor="t"
    )
    doc = store.get("nfd-1")
    assert doc.title == "Quyết định về việc hòa giải ở cơ sở tỉnh Hòa Bình"
    assert unicodedata.is_normalized("NFC", doc.title) and doc.issuer == "Sở Tư pháp"
    # The NFC spelling of the same document is the same document.
    nfc = Document(id="nfd-1", title="Quyết định về việc hòa giải ở cơ sở tỉnh Hòa Bình", issuer="Sở Tư pháp")
    assert store.upsert(nfc, actor="t") is UpsertResult.UNCHANGED


def test_find_by_number_ignores_spacing_case_and_diacritics(store: Store) -> None:
    store.upsert_many([KE_HOACH, QUYET_DINH], actor="tester")
    for query in ("139/KH-UBND", "139 /kh-ubnd", "139/KH - UBND"):
        assert [d.id for d in store.find_by_number(query)] == ["lc-0153"], query
    for query in ("12/QĐ-UBND", "12/QD-UBND", "12/QÐ-UBND"):  # Đ, plain D, Icelandic eth
        assert [d.id for d in store.find_by_number(query)] == ["lc-0040"], query
    assert store.find_by_number("139/QĐ-UBND") == []
    assert store.find_by_number("  ") == []
    # Leading zeros never matter (QA: a citation of "6/2024/TT-BYT" did not link the "06/2024/TT-BYT" filed).
    for query in ("012/QĐ-UBND", "0012/QD-UBND"):
        assert [d.id for d in store.find_by_number(query)] == ["lc-0040"], query
    assert store.find_by_number("120/QĐ-UBND") == [] and store.find_by_number("2/QĐ-UBND") == []
    circular = Document(id="tt-06", number="06/2024/TT-BYT", doc_type="thong-tu", title="Quy định về xét nghiệm")
    store.upsert(circular, actor="tester")
    assert [d.id for d in store.find_by_number("6/2024/TT-BYT")] == ["tt-06"]


def test_labels_history_and_human_corrections_win(store: Store) -> None:
    store.upsert(KE_HOACH, actor="import")
    assert {(lb.field, lb.value, lb.source) for lb in store.labels("lc-0153")} == {
        ("doc_type", "ke-hoach", LabelSource.SOURCE),
        ("topic", "an-ninh", LabelSource.SOURCE),
    }
    store.set_label(
        "lc-0153",
        "topic",
        "nong-nghiep",
        source=LabelSource.MODEL,
        actor="models",
        model_version="v1",
        confidence=0.62,
    )
    after = store.set_label("lc-0153", "topic", "an-ninh", source=LabelSource.HUMAN, actor="chuyên viên Hà")
    assert after.topic == "an-ninh"
    # A model's later proposal joins the history but does not replace the clerk's choice.
    kept = store.set_label(
        "lc-0153", "topic", "y-te", source=LabelSource.MODEL, actor="models", model_version="v2"
    )
    assert kept.topic == "an-ninh"
    history = [
        (lb.value, lb.source, lb.author) for lb in store.label_history("lc-0153") if lb.field == "topic"
    ]
    assert history == [
        ("an-ninh", LabelSource.SOURCE, "import"),
        ("nong-nghiep", LabelSource.MODEL, "models"),
        ("an-ninh", LabelSource.HUMAN, "chuyên viên Hà"),
        ("y-te", LabelSource.MODEL, "models"),
    ]
    current = {lb.field: lb for lb in store.labels("lc-0153")}
    assert (current["topic"].value, current["topic"].source) == ("an-ninh", LabelSource.HUMAN)
    model_label = [lb for lb in store.label_history("lc-0153") if lb.model_version == "v1"][0]
    assert model_label.confidence == pytest.approx(0.62)

    label_audit = [e for e in store.audit("lc-0153") if e.action == "label"]
    assert [e.details["applied"] for e in label_audit] == [False, True, True]  # newest first
    assert label_audit[2].details["old"] == "an-ninh" and label_audit[2].details["new"] == "nong-nghiep"

    # A re-import of the source data keeps the clerk's field and is therefore unchanged.
    assert store.upsert(KE_HOACH.replace(topic="xay-dung"), actor="import") is UpsertResult.UNCHANGED
    assert store.get("lc-0153").topic == "an-ninh"


def test_set_label_on_other_fields_converts_and_tracks_them(store: Store) -> None:
    store.upsert(QUYET_DINH, actor="import")
    doc = store.set_label("lc-0040", "issued_date", "05/03/2026", source=LabelSource.HUMAN, actor="văn thư")
    assert doc.issued_date == date(2026, 3, 5)
    doc = store.set_label("lc-0040", "signer", "Nguyễn Văn Hải", source=LabelSource.HUMAN, actor="văn thư")
    assert doc.signer == "Nguyễn Văn Hải"
    assert {lb.field for lb in store.labels("lc-0040")} == {"doc_type", "topic", "issued_date", "signer"}
    # The labelled signer follows later (human) upserts, so its current label never goes stale.
    store.upsert(
        store.get("lc-0040").replace(signer="Trịnh Xuân Trường"), actor="văn thư", source=LabelSource.HUMAN
    )
    signer = {lb.field: lb for lb in store.labels("lc-0040")}["signer"]
    assert signer.value == "Trịnh Xuân Trường"
    with pytest.raises(InvalidDocument) as caught:
        store.set_label("lc-0040", "issued_date", "2026-02-30", source=LabelSource.HUMAN, actor="văn thư")
    assert "không tồn tại" in caught.value.reason
    with pytest.raises(InvalidDocument):
        store.set_label("lc-0040", "created_at", "x", source=LabelSource.HUMAN, actor="văn thư")
    with pytest.raises(DocumentNotFound):
        store.set_label("khong-co", "topic", "y-te", source=LabelSource.HUMAN, actor="văn thư")


def test_delete_removes_document_labels_and_file_but_keeps_the_audit(store: Store) -> None:
    store.upsert(KE_HOACH, actor="import")
    store.save_file(
        "lc-0153", "ke_hoach_139.docx", "application/msword", b"PK\x03\x04 noi dung", actor="import"
    )
    store.delete("lc-0153", actor="quản trị")
    assert store.find("lc-0153") is None
    with pytest.raises(DocumentNotFound) as caught:
        store.get("lc-0153")
    assert caught.value.message == 'Không tìm thấy văn bản có mã "lc-0153".'
    with pytest.raises(DocumentNotFound):
        store.delete("lc-0153", actor="quản trị")
    entries = store.audit("lc-0153")
    assert [e.action for e in entries] == ["delete", "update", "insert"]
    assert entries[0].actor == "quản trị"
    assert entries[0].details["changes"]["title"] == {"old": KE_HOACH.title, "new": None}
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM labels").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 0


def test_files_are_kept_and_served_back(store: Store) -> None:
    store.upsert(QUYET_DINH, actor="upload")
    assert store.get_file("lc-0040") is None
    data = "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ủy quyền".encode()
    assert store.save_file("lc-0040", "quyết định 12.txt", "text/plain; charset=utf-8", data, actor="upload")
    assert not store.save_file(
        "lc-0040", "quyết định 12.txt", "text/plain; charset=utf-8", data, actor="upload"
    )
    stored = store.get_file("lc-0040")
    assert stored is not None and stored.data == data and stored.filename == "quyết định 12.txt"
    assert stored.size == len(data) and len(stored.sha256) == 64
    assert [e.action for e in store.audit("lc-0040")] == ["update", "insert"]
    with pytest.raises(DocumentNotFound):
        store.save_file("khong-co", "a.txt", "text/plain", b"x")


def test_listeners_hear_committed_changes_only(tmp_path: Path) -> None:
    seen: list[tuple[str, tuple[str, ...], int]] = []
    with Store.open(tmp_path) as store, Store.open(tmp_path) as other:

        def listener(change: Change) -> None:
            # Another connection already sees the change: the listener runs after COMMIT.
            seen.append((change.kind, change.ids, other.count()))

        remove = store.add_listener(listener)
        store.upsert_many([KE_HOACH, QUYET_DINH], actor="t")
        store.upsert(KE_HOACH, actor="t")  # unchanged: nobody is told
        store.set_label("lc-0040", "topic", "noi-vu", source=LabelSource.HUMAN, actor="t")
        store.delete("lc-0153", actor="t")
        with pytest.raises(InvalidDocument):
            store.upsert(Document(id=""), actor="t")
        remove()
        store.upsert(KE_HOACH, actor="t")
    assert seen == [
        ("upsert", ("lc-0153", "lc-0040"), 2),
        ("upsert", ("lc-0040",), 2),
        ("delete", ("lc-0153",), 1),
    ]


def test_listener_receives_stored_documents(store: Store) -> None:
    changes: list[Change] = []
    store.add_listener(changes.append)
    store.upsert(KE_HOACH.replace(title="  Kế hoạch  số 139 "), actor="t")
    (doc,) = changes[0].documents
    assert doc.title == "Kế hoạch số 139" and doc.updated_at is not None


def test_iteration_count_and_ids_are_ordered(store: Store) -> None:
    docs = [
        Document(id=f"vb-{i:03d}", title=f"Công văn số {i}/UBND-VX về công tác y tế")
        for i in range(57, 0, -1)
    ]
    store.upsert_many(docs, actor="t")
    assert store.count() == 57
    assert store.ids() == sorted(d.id for d in docs)
    assert [d.id for d in store.iter_documents(batch_size=10)] == store.ids()
    with pytest.raises(ValueError):
        list(store.iter_documents(batch_size=0))


def test_store_is_safe_to_share_between_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(25):
                doc = Document(id=f"t{worker}-{i:02d}", title=f"Thông báo kết luận số {i} của luồng {worker}")
                store.upsert(doc, actor=f"worker {worker}")
                assert store.get(doc.id).title == doc.title
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.count() == 100


def test_documents_flagged_returns_only_documents_with_a_non_empty_flag(store: Store) -> None:
    from dataclasses import replace

    flagged = replace(QUYET_DINH, extra={"review_fields": ["topic"]})
    cleared = replace(KE_HOACH, id="lc-0154", number="140/KH-UBND", extra={"review_fields": []})
    store.upsert_many([KE_HOACH, flagged, cleared], actor="kiem.thu")
    assert [d.id for d in store.documents_flagged("review_fields")] == ["lc-0040"]
    assert store.documents_flagged("khong_co") == []
