"""Whole-data-directory backups: one archive to keep, check, and restore on a new machine.

``vanban export`` writes the documents and their current labels for moves and retraining; an office also
needs what that leaves out — the original uploads, every earlier label with who gave it and when, the audit
log, the trained models and which one is active — back exactly as they were after a disk dies. An archive
holds:

* ``backup.json`` (first): format and version, when and by which vanban it was made, the store's counts
  and schema, the model versions and the active one, and the size and SHA-256 of every other member;
* ``vanban.sqlite3``: the store as of one moment (:func:`corpus.store_snapshot.snapshot_database`, safe
  while the service writes);
* ``models/``: the registry (version directories, ``active``, ``history.jsonl``).

The search index is not in it: it is rebuilt from the store on restore (the store is the system of record).
Secrets (``local_admin.key``, configured API keys) are not in it either: a backup is a file people copy around.

A restore goes only into an empty data directory (it never merges into or overwrites data), verifies every
member against the manifest before anything is moved into place, migrates a store from an older vanban,
and rebuilds the index. A failed restore leaves the directory as it found it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from corpus.errors import StoreError
from corpus.migrations import DB_FILENAME
from corpus.store_snapshot import StoreCounts, check_database, snapshot_database
from service.errors import disk_reason

FORMAT = "vanban-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "backup.json"
MODELS_DIRNAME = "models"
_INDEX_DIRNAME = "index"  # corpus.index.INDEX_DIRNAME; not imported here to keep tantivy out of `backup`
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore cannot be done as asked; ``message`` says why and what to do, in Vietnamese."""

    def __init__(self, detail: str, message: str) -> None:
        super().__init__(detail)
        self.message = message


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds, from its manifest."""

    path: Path
    created: str
    vanban: str
    counts: StoreCounts
    model_versions: tuple[str, ...]
    active_model: str | None
    size: int  # bytes of the archive

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "created": self.created,
            "vanban": self.vanban,
            "store": self.counts.as_dict(),
            "models": {"versions": list(self.model_versions), "active": self.active_model},
            "bytes": self.size,
        }


@dataclass(frozen=True)
class RestoreSummary:
    backup: BackupSummary
    data_dir: Path
    schema_after: int  # the store's schema once migrated to this vanban's
    indexed: int | None  # documents in the rebuilt index; None when the index was not built
    index_problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.backup.as_dict() | {
            "data_dir": str(self.data_dir),
            "schema_after": self.schema_after,
            "indexed": self.indexed,
            "index_problem": self.index_problem,
        }


def vanban_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vanban")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def default_backup_name(now: datetime | None = None) -> str:
    return f"vanban-backup-{(now or datetime.now(UTC)).strftime('%Y%m%d-%H%M%S')}.tar.gz"


# -- writing ---------------------------------------------------------------------------------------------


def write_backup(data_dir: Path, out: Path) -> BackupSummary:
    """Archive ``data_dir``'s store and models into ``out`` (a new file, written atomically)."""
    data_dir, out = Path(data_dir), Path(out)
    if not (data_dir / DB_FILENAME).is_file():
        raise BackupError(
            f"no store in {data_dir}",
            f"Thư mục dữ liệu {data_dir} không có kho văn bản ({DB_FILENAME}): không có gì để sao lưu. "
            "Hãy kiểm tra --data-dir.",
        )
    if out.is_dir():
        raise BackupError(f"{out} is a directory", f"{out} là một thư mục; hãy cho --out là tên tệp, ví dụ {out / default_backup_name()}.")
    if out.exists():
        raise BackupError(f"{out} exists", f"Tệp {out} đã có; vanban không ghi đè một bản sao lưu. Hãy chọn tên khác.")
    if not out.parent.is_dir():
        raise BackupError(f"no directory {out.parent}", f"Không có thư mục {out.parent} để ghi bản sao lưu.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".vanban-backup-", dir=out.parent))
    except OSError as exc:
        raise BackupError(str(exc), f"Không ghi được vào thư mục {out.parent}: {exc.strerror or exc}.") from exc
    partial = out.with_name(f".{out.name}.tmp-{uuid.uuid4().hex[:12]}")
    try:
        try:
            counts = snapshot_database(data_dir / DB_FILENAME, staging / DB_FILENAME)
        except StoreError as exc:
            raise BackupError(str(exc), exc.message) from exc
        _copy_models(data_dir / MODELS_DIRNAME, staging / MODELS_DIRNAME)
        versions, active = _models_in(staging / MODELS_DIRNAME)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "vanban": vanban_version(),
            "store": counts.as_dict(),
            "models": {"versions": versions, "active": active},
            "files": {name: _describe(staging / name) for name in _members(staging)},
        }
        _write_archive(partial, staging, manifest)
        _publish(partial, out)
    except OSError as exc:
        raise BackupError(str(exc), f"Không ghi được bản sao lưu {out}: {disk_reason(exc)}.") from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return _summary(out, manifest)


def _publish(partial: Path, out: Path) -> None:
    """Give the finished archive its name, failing if the name was taken meanwhile (two backups started in
    the same second with the default name): a hard link is created only where nothing is."""
    try:
        os.link(partial, out)
    except FileExistsError:
        raise BackupError(f"{out} exists", f"Tệp {out} vừa được một bản sao lưu khác tạo ra; vanban không ghi đè. "
                          "Hãy chạy lại với tên khác (--out).") from None  # fmt: skip
    except OSError:  # a file system without hard links: the check just made, then an atomic rename
        if out.exists():
            raise BackupError(f"{out} exists", f"Tệp {out} đã có; vanban không ghi đè một bản sao lưu.") from None
        os.replace(partial, out)
        return
    partial.unlink()



def _copy_models(source: Path, target: Path) -> None:
    """The registry as it stands: ``active`` and the history first, then the version directories — a version
    is renamed into place before it can be activated, so every version ``active`` names is copied too."""
    if not source.is_dir():
        return
    target.mkdir()
    entries = sorted(source.iterdir(), key=lambda p: (p.is_dir(), p.name))
    for entry in entries:
        if entry.name.startswith((".", "tmp-")) or entry.is_symlink():
            continue  # a training run still writing, an editor's file
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, symlinks=False,
                            ignore=shutil.ignore_patterns(".*"))  # fmt: skip
        elif entry.is_file():
            shutil.copy2(entry, target / entry.name)


def _models_in(models: Path) -> tuple[list[str], str | None]:
    if not models.is_dir():
        return [], None
    versions = sorted(p.name for p in models.iterdir() if p.is_dir())
    active_file = models / "active"
    active = active_file.read_text(encoding="utf-8").strip() or None if active_file.is_file() else None
    return versions, active


def _members(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _write_archive(path: Path, staging: Path, manifest: dict[str, Any]) -> None:
    payload = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    # Owner-only: the archive holds every document and upload of the office.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
            info = tarfile.TarInfo(MANIFEST_NAME)  # first, so that reading it needs no scan of the rest
            info.size = len(payload)
            info.mtime = int(datetime.now(UTC).timestamp())
            info.mode = 0o644
            tar.addfile(info, _BytesReader(payload))
            for name in manifest["files"]:
                tar.add(staging / name, arcname=name, recursive=False)
        raw.flush()
        os.fsync(raw.fileno())


class _BytesReader:
    """The file object tarfile.addfile reads a member from."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


# -- reading and checking ------------------------------------------------------------------------------


def check_backup(archive: Path) -> BackupSummary:
    """Read ``archive`` whole and check every member against its manifest and the store's integrity, in a
    temporary directory; nothing else is touched. What it holds, or :class:`BackupError`."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="vanban-check-") as tmp:
        manifest = _extract_verified(archive, Path(tmp))
        _check_store(Path(tmp), manifest, archive)
    return _summary(archive, manifest)


def _not_a_backup(archive: Path, why: str) -> BackupError:
    return BackupError(
        f"{archive} is not a vanban backup: {why}",
        f"Tệp {archive} không phải bản sao lưu vanban dùng được ({why}). Hãy dùng tệp do `vanban backup` tạo ra, "
        "chép lại nguyên vẹn.",
    )


def _extract_verified(archive: Path, target: Path) -> dict[str, Any]:
    """Every member of ``archive`` written under ``target`` and checked against the manifest (size,
    SHA-256, nothing missing, nothing unexpected); the manifest. Member paths are taken only from the
    manifest's list, never joined as the archive spells them."""
    if archive.is_dir():
        raise BackupError(f"{archive} is a directory", f"{archive} là một thư mục, không phải tệp sao lưu.")
    if not archive.is_file():
        raise BackupError(f"no file {archive}", f"Không có tệp {archive}.")
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            manifest = _read_manifest(tar, archive)
            expected: dict[str, dict[str, Any]] = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST_NAME or member.isdir():
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile() or member.name in seen:
                    raise _not_a_backup(archive, f"có thành phần lạ {member.name!r}")
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has a reader
                _copy_checked(source, target / PurePosixPath(member.name), entry, member.name, archive)
                seen.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _not_a_backup(archive, "không đọc được: tệp bị cắt cụt hoặc hỏng") from exc
    except OSError as exc:
        if exc.filename and Path(exc.filename).is_relative_to(target):  # writing what was read
            raise BackupError(str(exc), f"Không ghi được vào {target.parent}: {disk_reason(exc)}.") from exc
        raise BackupError(str(exc), f"Không đọc được {archive}: {disk_reason(exc)}.") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise _not_a_backup(archive, f"thiếu {len(missing)} thành phần, ví dụ {missing[0]}")
    return manifest


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST_NAME)
    except KeyError:
        raise _not_a_backup(archive, f"không có {MANIFEST_NAME}") from None
    handle = tar.extractfile(member)
    try:
        manifest = json.loads(handle.read(1 << 22)) if handle is not None else None
    except (ValueError, UnicodeDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(archive, f"{MANIFEST_NAME} không phải của vanban")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise _not_a_backup(archive, "không rõ phiên bản định dạng")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"backup format {version} is newer than this vanban reads ({FORMAT_VERSION})",
            f"Bản sao lưu {archive} được tạo bởi phiên bản vanban mới hơn (định dạng {version}, phiên bản này đọc "
            f"đến {FORMAT_VERSION}). Hãy cập nhật vanban rồi khôi phục.",
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_FILENAME not in files or not all(_safe_name(n) for n in files):
        raise _not_a_backup(archive, "danh sách thành phần không hợp lệ")
    for entry in files.values():
        if not (isinstance(entry, dict) and isinstance(entry.get("bytes"), int) and isinstance(entry.get("sha256"), str)):
            raise _not_a_backup(archive, "danh sách thành phần không hợp lệ")
    return manifest


def _safe_name(name: object) -> bool:
    """A member the archive may hold: the store, or a relative path under ``models/`` without ``..``."""
    if not isinstance(name, str) or "\\" in name or "\x00" in name:
        return False
    if name == DB_FILENAME:
        return True
    parts = PurePosixPath(name).parts
    return len(parts) >= 2 and parts[0] == MODELS_DIRNAME and all(p not in ("", ".", "..") for p in parts)


def _copy_checked(source: IO[bytes], path: Path, entry: dict[str, Any], name: str, archive: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(path, "xb") as out:
        for block in iter(lambda: source.read(_CHUNK), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
        raise _not_a_backup(archive, f"{name} không khớp mã kiểm tra (tệp bị sửa hoặc hỏng)")


def _check_store(root: Path, manifest: dict[str, Any], archive: Path) -> StoreCounts:
    try:
        counts = check_database(root / DB_FILENAME)
    except StoreError as exc:
        raise BackupError(str(exc), f"Bản sao lưu {archive}: {_in_archive(exc.message, root)}") from exc
    recorded = manifest.get("store")
    if isinstance(recorded, dict) and recorded != counts.as_dict():
        raise _not_a_backup(archive, f"kho văn bản không khớp số liệu ghi trong {MANIFEST_NAME}")
    return counts


def _summary(path: Path, manifest: dict[str, Any]) -> BackupSummary:
    store = manifest.get("store") or {}
    models = manifest.get("models") or {}
    return BackupSummary(
        path=path,
        created=str(manifest.get("created") or ""),
        vanban=str(manifest.get("vanban") or "unknown"),
        counts=StoreCounts(**{k: int(store.get(k) or 0) for k in ("schema", "documents", "labels", "files", "audit")}),
        model_versions=tuple(models.get("versions") or ()),
        active_model=models.get("active"),
        size=path.stat().st_size if path.exists() else 0,
    )


# -- restoring -----------------------------------------------------------------------------------------


def restore_backup(
    archive: Path,
    data_dir: Path,
    *,
    rebuild_index: Callable[[Path], int] | None = None,
) -> RestoreSummary:
    """Restore ``archive`` into the empty ``data_dir`` (created if missing); ``rebuild_index(data_dir)``
    builds the search index and returns its document count (None: leave that to ``vanban index``)."""
    archive, data_dir = Path(archive), Path(data_dir)
    created = not data_dir.exists()
    _require_empty(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(str(exc), f"Không tạo được thư mục dữ liệu {data_dir}: {disk_reason(exc)}.") from exc
    staging = data_dir / f".restore-{uuid.uuid4().hex[:12]}"
    restored = False
    try:
        staging.mkdir()
        manifest = _extract_verified(archive, staging)
        _check_store(staging, manifest, archive)
        schema_after = _migrate(staging, archive)
        _require_empty(data_dir, staging.name)  # nothing arrived meanwhile (another restore, a service)
        if (staging / MODELS_DIRNAME).is_dir():
            os.replace(staging / MODELS_DIRNAME, data_dir / MODELS_DIRNAME)
        wal = staging / f"{DB_FILENAME}-wal"  # normally folded in and removed when the store closed
        if wal.exists():
            os.replace(wal, data_dir / wal.name)
        os.replace(staging / DB_FILENAME, data_dir / DB_FILENAME)  # last: a store means "restored"
        restored = True
    except OSError as exc:
        raise BackupError(str(exc), f"Không khôi phục được vào {data_dir}: {disk_reason(exc)}.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not restored and created:
            shutil.rmtree(data_dir, ignore_errors=True)  # a failed restore leaves no directory it made
    try:
        check_database(data_dir / DB_FILENAME)  # in place, as the service will open it
    except StoreError as exc:
        raise BackupError(str(exc), f"Kho văn bản khôi phục vào {data_dir} không dùng được: {exc.message}") from exc
    summary = _summary(archive, manifest)
    if rebuild_index is None:
        return RestoreSummary(summary, data_dir, schema_after, None)
    try:
        indexed = rebuild_index(data_dir)
    except Exception as exc:  # the store is back and sound; the index can be built again at any time
        message = getattr(exc, "message", None) or str(exc)
        return RestoreSummary(summary, data_dir, schema_after, None, index_problem=message)
    return RestoreSummary(summary, data_dir, schema_after, indexed)


def _require_empty(data_dir: Path, own: str | None = None) -> None:
    """``data_dir`` missing, or empty but for leftovers of a restore that was killed (removed here): a
    restore never merges into data, and a stray ``vanban.sqlite3-wal`` or ``-journal`` of an earlier store
    would be read into the restored one by SQLite (QA: a crashed store's journal corrupted the restore)."""
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"{data_dir} is a file", f"{data_dir} là một tệp, không phải thư mục dữ liệu.")
    if not data_dir.is_dir():
        return
    present = []
    for entry in sorted(data_dir.iterdir()):
        if entry.name == own:
            continue
        if entry.name.startswith(".restore-") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)  # an interrupted restore's unpacked copy
            continue
        present.append(entry.name)
    if present:
        shown = ", ".join(present[:5]) + (f" và {len(present) - 5} mục khác" if len(present) > 5 else "")
        raise BackupError(
            f"{data_dir} is not empty: {', '.join(present[:5])}",
            f"Thư mục dữ liệu {data_dir} không trống (có {shown}). vanban chỉ khôi phục vào một thư mục trống, để "
            "không ghi đè hay trộn lẫn gì: hãy chọn --data-dir khác, hoặc dừng dịch vụ và chuyển thư mục hiện có đi "
            "chỗ khác trước.",
        )


def _migrate(root: Path, archive: Path) -> int:
    """Open the staged store once: a backup of an older vanban is brought to this one's schema here,
    before it is moved into place."""
    from corpus.store import Store

    try:
        with Store.open(root) as store:
            return store.schema_version
    except StoreError as exc:
        raise BackupError(str(exc), f"Bản sao lưu {archive}: {_in_archive(exc.message, root)}") from exc


def _in_archive(message: str, root: Path) -> str:
    """A store message about the unpacked copy, naming the store inside the archive instead."""
    return message.replace(str(root / DB_FILENAME), f"kho văn bản ({DB_FILENAME})")
