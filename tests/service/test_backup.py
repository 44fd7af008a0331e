"""``vanban backup`` / ``vanban restore`` and ``GET /api/backup``: the whole data directory in one archive.

A restored directory must hold what the original held — documents, every label with author and time, the
original uploads, the audit log, the models and the active one — and be searchable; a bad archive or a
directory that already holds data must be refused with a clear message, leaving everything as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest

from corpus.document import Document, LabelSource
from corpus.migrations import DB_FILENAME, LATEST_VERSION, MIGRATIONS, migrate
from corpus.store import Store
from corpus.store_snapshot import snapshot_database
from service.backup import BackupError, check_backup, restore_backup, write_backup
from service.commands import backup as backup_cmd
from service.errors import CliError
from tests import run_commands
from tests.service.conftest import auth, make_client, seed_with_topic_model

# A small taxonomy of the researcher's own: the backup must carry a model that is not the default one.
FIELDS = {
    "Hộ tịch": ["Đăng ký khai sinh cho trẻ em", "Cấp bản sao trích lục hộ tịch", "Đăng ký kết hôn tại xã"],
    "Đường bộ": ["Cấp giấy phép lái xe hạng B2", "Cấp phép thi công công trình đường bộ", "Đổi giấy phép lái xe"],
}
UPLOAD = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 215/TB-UBND\nThông báo kết luận về phòng chống hạn hán\n".encode()


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def source(demo_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo directory with a researcher's model active, a clerk's correction (label history) and an
    original upload kept with its document: never written by a test."""
    data = seed_with_topic_model(demo_seed, tmp_path_factory.mktemp("backup-src") / "data", FIELDS)
    with Store.open(data) as store:
        doc = next(iter(store.iter_documents()))
        store.set_label(doc.id, "topic", "y-te", source=LabelSource.MODEL, actor="tag", model_version="v-cu",
                        confidence=0.41)  # fmt: skip
        store.set_label(doc.id, "topic", "nong-nghiep", source=LabelSource.HUMAN, actor="chi.vanthu")
        store.save_file(doc.id, "thong-bao-215.txt", "text/plain", UPLOAD, actor="chi.vanthu")
    return data


def test_round_trip_restores_every_row_every_model_and_a_searchable_index(source: Path, tmp_path: Path) -> None:
    archive = tmp_path / "sao-luu.tar.gz"
    assert run_commands([backup_cmd], source, "backup", "--out", str(archive)) == 0
    restored = tmp_path / "may-moi" / "data"
    assert run_commands([backup_cmd], restored, "restore", str(archive)) == 0

    assert _dump(restored / DB_FILENAME) == _dump(source / DB_FILENAME)  # labels with history, files, audit
    assert _tree(restored / "models") == _tree(source / "models")
    with Store.open(restored) as store:
        doc = next(iter(store.iter_documents()))
        history = [(label.source.value, label.value, label.author) for label in store.label_history(doc.id)]
        assert ("human", "nong-nghiep", "chi.vanthu") in history and ("model", "y-te", "tag") in history
        stored = store.get_file(doc.id)
        assert stored is not None and stored.data == UPLOAD
    with make_client(restored) as client:  # the service starts on it: the model and the index work
        found = client.get("/api/search", params={"q": "ke hoach"}, headers=auth("reader")).json()
        assert found["total"] > 0
        models = client.get("/api/models", headers=auth("reader")).json()
        assert any(m.get("active") for m in models["versions"])


def test_check_reports_contents_and_json_summary(source: Path, tmp_path: Path, capsys) -> None:
    archive = tmp_path / "b.tar.gz"
    summary = write_backup(source, archive)
    with Store.open(source) as store:
        assert summary.counts.documents == store.count() == 90
    assert summary.counts.files == 1 and summary.counts.labels > summary.counts.documents
    assert summary.active_model is not None and summary.active_model in summary.model_versions
    assert archive.stat().st_mode & 0o077 == 0  # owner-only: it holds every document of the office
    capsys.readouterr()
    assert run_commands([backup_cmd], tmp_path, "backup", "--check", str(archive), "--json") == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["checked"] is True and checked["store"]["documents"] == 90
    assert checked["models"]["active"] == summary.active_model


def test_snapshot_taken_while_another_connection_writes_is_one_moment(tmp_path: Path) -> None:
    """Every document in the copy comes with its audit row: no transaction is half in it."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.upsert(Document(id="dau-tien", title="Quyết định ban hành quy chế làm việc"), actor="nhap")
    stop = threading.Event()

    def write() -> None:
        with Store.open(data) as writer:
            i = 0
            while not stop.is_set():
                writer.upsert(Document(id=f"vb-{i:05d}", title=f"Công văn số {i} về công tác phòng chống lụt bão",
                                       text="Kính gửi các sở, ban, ngành. " * 200), actor="nhap")  # fmt: skip
                i += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        copies = [snapshot_database(data / DB_FILENAME, tmp_path / f"copy-{n}.sqlite3") for n in range(5)]
    finally:
        stop.set()
        thread.join()
    for n, counts in enumerate(copies):
        conn = sqlite3.connect(tmp_path / f"copy-{n}.sqlite3")
        inserted = {row[0] for row in conn.execute("SELECT document_id FROM audit WHERE action = 'insert'")}
        documents = {row[0] for row in conn.execute("SELECT id FROM documents")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        conn.close()
        assert documents == inserted and counts.documents == len(documents)


def test_restore_refuses_a_directory_that_holds_data_and_changes_nothing(source: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    write_backup(source, archive)
    target = tmp_path / "dang-dung"
    with Store.open(target) as store:
        store.upsert(Document(id="quan-trong", title="Kế hoạch cải cách hành chính năm 2026"), actor="nhap")
    before = _dump(target / DB_FILENAME)
    with pytest.raises(CliError, match="không trống"):
        run_commands([backup_cmd], target, "restore", str(archive))
    assert _dump(target / DB_FILENAME) == before
    assert not list(target.glob(".restore-*"))


def _rewrite(archive: Path, out: Path, change) -> None:
    """A copy of ``archive`` with ``change(name, data, manifest) -> data | None`` applied to each member."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar if m.isfile()]  # type: ignore[union-attr]
    manifest = json.loads(members[0][1])
    with tarfile.open(out, "w:gz") as tar:
        for member, data in members:
            new = change(member.name, data, manifest)
            if new is None:
                continue
            if member.name == "backup.json":
                new = json.dumps(manifest).encode()
            member.size = len(new)
            tar.addfile(member, io.BytesIO(new))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not-an-archive", "không phải bản sao lưu vanban"),
        ("truncated", "cắt cụt hoặc hỏng"),
        ("tampered", "không khớp mã kiểm tra"),
        ("missing-member", "thiếu"),
        ("newer-format", "phiên bản vanban mới hơn"),
        ("path-escape", "không hợp lệ"),
        ("counts-differ", "không khớp số liệu"),
    ],
)
def test_a_bad_archive_is_refused_clearly_and_leaves_no_trace(
    source: Path, tmp_path: Path, case: str, message: str
) -> None:
    good = tmp_path / "good.tar.gz"
    write_backup(source, good)
    bad = tmp_path / "bad.tar.gz"
    if case == "not-an-archive":
        bad.write_text('{"id": "vb-1", "title": "Kế hoạch tiêm chủng mở rộng"}\n', encoding="utf-8")
    elif case == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif case == "tampered":
        _rewrite(good, bad, lambda n, d, m: (d[:-1] + b"x") if n == "models/active" else d)
    elif case == "missing-member":
        _rewrite(good, bad, lambda n, d, m: None if n == "models/active" else d)
    elif case == "newer-format":
        _rewrite(good, bad, lambda n, d, m: (m.update(format_version=99), d)[1])
    elif case == "path-escape":
        def escape(name: str, data: bytes, manifest: dict) -> bytes:
            if name == "backup.json":
                manifest["files"]["../ngoai.txt"] = {"bytes": 1, "sha256": "0" * 64}
            return data
        _rewrite(good, bad, escape)
    elif case == "counts-differ":
        _rewrite(good, bad, lambda n, d, m: (m["store"].update(documents=91), d)[1])
    target = tmp_path / "moi"
    with pytest.raises(BackupError) as caught:
        restore_backup(bad, target)
    assert message in caught.value.message
    assert not (target / DB_FILENAME).exists() and not (target / "models").exists()
    assert not list(target.glob(".restore-*")) and not (tmp_path / "ngoai.txt").exists()
    with pytest.raises(BackupError):
        check_backup(bad)


def test_backup_refuses_a_directory_without_store_and_never_overwrites(source: Path, tmp_path: Path) -> None:
    with pytest.raises(CliError, match="không có kho văn bản"):
        run_commands([backup_cmd], tmp_path / "go-nham", "backup", "--out", str(tmp_path / "x.tar.gz"))
    existing = tmp_path / "hom-qua.tar.gz"
    existing.write_bytes(b"ban sao luu hom qua")
    with pytest.raises(CliError, match="không ghi đè"):
        run_commands([backup_cmd], source, "backup", "--out", str(existing))
    assert existing.read_bytes() == b"ban sao luu hom qua"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_a_store_of_an_older_vanban_is_migrated_on_restore(tmp_path: Path, capsys) -> None:
    old = tmp_path / "cu"
    old.mkdir()
    conn = sqlite3.connect(old / DB_FILENAME, isolation_level=None)
    migrate(conn, migrations=MIGRATIONS[:1])
    conn.execute("INSERT INTO documents (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                 ("qd-12", "Quyết định về việc thành lập Hội đồng thi đua khen thưởng", "2024-01-02T00:00:00+00:00",
                  "2024-01-02T00:00:00+00:00"))  # fmt: skip
    conn.close()
    archive = tmp_path / "cu.tar.gz"
    assert check_backup(write_backup(old, archive).path).counts.schema == 1
    restored = tmp_path / "moi"
    assert run_commands([backup_cmd], restored, "restore", str(archive)) == 0
    out = capsys.readouterr().out
    assert f"từ lược đồ 1 lên {LATEST_VERSION}" in out and "Đã tạo lại chỉ mục tìm kiếm: 1 văn bản" in out
    with Store.open(restored) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.get("qd-12").title == "Quyết định về việc thành lập Hội đồng thi đua khen thưởng"


def test_api_backup_is_for_administrators_and_leaves_nothing_behind(source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    import shutil

    shutil.copytree(source, data)
    with make_client(data) as client:
        assert client.get("/api/backup", headers=auth("uploader")).status_code == 403
        response = client.get("/api/backup", headers=auth("admin"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/gzip"
    assert "vanban-backup-" in response.headers["content-disposition"]
    gzip.decompress(response.content)  # a whole gzip stream
    archive = tmp_path / "tai-ve.tar.gz"
    archive.write_bytes(response.content)
    assert check_backup(archive).counts.documents == 90
    assert not list(data.glob(".backup-*"))


@pytest.mark.parametrize("leftover", ["vanban.sqlite3-wal", "vanban.sqlite3-journal", "luan-van.docx"])
def test_restore_refuses_a_directory_holding_anything_even_an_old_journal(
    source: Path, tmp_path: Path, leftover: str
) -> None:
    """QA: a crashed store's -wal or -journal left beside the restored store was read into it by SQLite
    ("database disk image is malformed", the old store's titles), and the restore said it succeeded."""
    archive = tmp_path / "b.tar.gz"
    write_backup(source, archive)
    target = tmp_path / "may-hong"
    target.mkdir()
    (target / leftover).write_bytes(b"du lieu cu " * 100)
    with pytest.raises(BackupError) as caught:
        restore_backup(archive, target)
    assert "không trống" in caught.value.message and leftover in caught.value.message
    assert sorted(p.name for p in target.iterdir()) == [leftover]


def test_restore_cleans_an_interrupted_restore_and_a_failed_one_leaves_no_directory(
    source: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    write_backup(source, archive)
    target = tmp_path / "moi"
    (target / ".restore-0123456789ab").mkdir(parents=True)  # a restore killed while unpacking
    (target / ".restore-0123456789ab" / DB_FILENAME).write_bytes(b"x" * 1000)
    restore_backup(archive, target)
    assert not list(target.glob(".restore-*")) and (target / DB_FILENAME).is_file()
    missing = tmp_path / "chua-co" / "data"
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:5000])
    with pytest.raises(BackupError):
        restore_backup(truncated, missing)
    assert not missing.exists()


def test_unusable_places_are_said_in_vietnamese(source: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    write_backup(source, archive)
    a_file = tmp_path / "tep"
    a_file.write_text("không phải thư mục", encoding="utf-8")
    cases = [
        (lambda: restore_backup(archive, a_file), "là một tệp, không phải thư mục dữ liệu"),
        (lambda: restore_backup(archive, a_file / "con"), "một phần của đường dẫn là tệp"),
        (lambda: check_backup(tmp_path), "là một thư mục, không phải tệp sao lưu"),
        (lambda: write_backup(source, tmp_path), "là một thư mục; hãy cho --out là tên tệp"),
    ]
    for call, said in cases:
        with pytest.raises(BackupError) as caught:
            call()
        assert said in caught.value.message


def test_two_backups_to_one_name_never_overwrite_each_other(source: Path, tmp_path: Path) -> None:
    """QA: two backups started in the same second (default names) both said they wrote the one file."""
    out = tmp_path / "cung-ten.tar.gz"
    results: list[object] = []

    def backup() -> None:
        try:
            results.append(write_backup(source, out))
        except BackupError as exc:
            results.append(exc)

    threads = [threading.Thread(target=backup) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [r for r in results if isinstance(r, BackupError)]
    assert len(refused) == 1 and "không ghi đè" in refused[0].message
    assert check_backup(out).counts.documents == 90
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_another_programs_database_is_not_taken_for_a_store(tmp_path: Path) -> None:
    data = tmp_path / "khac"
    data.mkdir()
    conn = sqlite3.connect(data / DB_FILENAME)
    conn.execute("CREATE TABLE luong (ho_ten TEXT, muc REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError) as caught:
        write_backup(data, tmp_path / "x.tar.gz")
    assert "không phải kho văn bản của vanban" in caught.value.message


def test_sizes_are_printed_with_a_decimal_comma() -> None:
    from service.commands.backup import _size

    assert (_size(11_010_048), _size(3_000)) == ("10,5 MB", "3 kB")
