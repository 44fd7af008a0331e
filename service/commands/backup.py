"""``vanban backup`` and ``vanban restore``: the whole data directory in one archive and back.

See :mod:`service.backup` for what an archive holds. ``backup`` may run while the service serves the same
data directory (the store is copied as of one moment); ``restore`` goes only into an empty data directory.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from service.errors import CliError

if TYPE_CHECKING:  # imported lazily at run time, so that `vanban --help` stays fast
    from service.backup import BackupSummary


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="archive the whole data directory (store with uploads, label history, audit; models)",
        description=(
            "Write one archive (.tar.gz) of --data-dir: the store as of one moment (documents, every label "
            "with its author and time, the original uploads, the audit log), the model versions and which "
            "one is active, and a manifest with a checksum of each member. Safe while the service runs. "
            "The search index is rebuilt on restore; API keys are not included. --check FILE reads an "
            "archive whole and says whether it can be restored."
        ),
    )
    target = backup.add_mutually_exclusive_group()
    target.add_argument("--out", metavar="FILE",
                        help="archive to write (default: vanban-backup-YYYYMMDD-HHMMSS.tar.gz here)")  # fmt: skip
    target.add_argument("--check", metavar="FILE", help="verify an existing archive instead of writing one")
    backup.add_argument("--json", action="store_true", help="print the summary as JSON")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="restore a `vanban backup` archive into an empty data directory",
        description=(
            "Check every member of the archive against its manifest, put the store and the models into "
            "--data-dir (which must be empty or missing: nothing is ever overwritten), bring a store of an "
            "older vanban to this version's schema, and rebuild the search index."
        ),
    )
    restore.add_argument("archive", metavar="FILE", help="archive written by `vanban backup`")
    restore.add_argument("--no-index", action="store_true",
                         help="do not rebuild the search index now (`vanban index --rebuild` later)")  # fmt: skip
    restore.add_argument("--json", action="store_true", help="print the summary as JSON")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from service.backup import BackupError, check_backup, default_backup_name, write_backup

    try:
        if args.check:
            summary = check_backup(Path(args.check))
        else:
            summary = write_backup(Path(args.data_dir), Path(args.out or default_backup_name()))
    except BackupError as exc:
        raise CliError(exc.message) from exc
    if args.json:
        print(json.dumps(summary.as_dict() | {"checked": bool(args.check)}, ensure_ascii=False))
    elif args.check:
        print(f"Bản sao lưu {summary.path} nguyên vẹn, khôi phục được (tạo lúc {summary.created}, "
              f"vanban {summary.vanban}): {_contents(summary)}.")  # fmt: skip
    else:
        print(f"Đã sao lưu {args.data_dir} vào {summary.path} ({_size(summary.size)}): {_contents(summary)}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from service.backup import BackupError, restore_backup

    rebuild = None if args.no_index else _rebuild_index
    try:
        result = restore_backup(Path(args.archive), Path(args.data_dir), rebuild_index=rebuild)
    except BackupError as exc:
        raise CliError(exc.message) from exc
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    print(f"Đã khôi phục {result.backup.path} (tạo lúc {result.backup.created}) vào {result.data_dir}: "
          f"{_contents(result.backup)}.")  # fmt: skip
    if result.schema_after != result.backup.counts.schema:
        print(f"Kho văn bản đã được nâng cấp từ lược đồ {result.backup.counts.schema} lên {result.schema_after}.")
    if result.indexed is not None:
        print(f"Đã tạo lại chỉ mục tìm kiếm: {result.indexed} văn bản.")
    elif result.index_problem:
        print(f"Chưa tạo được chỉ mục tìm kiếm ({result.index_problem}); hãy chạy `vanban index --rebuild`.")
    else:
        print("Chưa tạo chỉ mục tìm kiếm: hãy chạy `vanban index --rebuild` trước khi tìm kiếm.")
    return 0


def _rebuild_index(data_dir: Path) -> int:
    from corpus.index import SearchIndex, index_path
    from corpus.store import Store

    with Store.open(data_dir) as store:
        return SearchIndex.rebuild(store, index_path(data_dir)).num_docs


def _contents(summary: BackupSummary) -> str:
    counts = summary.counts
    models = (f"{len(summary.model_versions)} phiên bản mô hình (đang dùng: {summary.active_model or 'không có'})"
              if summary.model_versions else "không có mô hình")  # fmt: skip
    return (f"{counts.documents} văn bản, {counts.files} tệp gốc, {counts.labels} nhãn (cả lịch sử), "
            f"{counts.audit} dòng nhật ký, {models}")  # fmt: skip


def _size(size: int) -> str:
    # a decimal comma, as the rest of the Vietnamese line is read
    return f"{size / 2**20:.1f} MB".replace(".", ",") if size >= 2**20 else f"{max(1, round(size / 2**10))} kB"
