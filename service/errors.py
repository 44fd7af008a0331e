"""Errors raised by command handlers to end a command with a message and a non-zero exit code."""

from __future__ import annotations

import errno


class CliError(Exception):
    """A command failed in a way the user can act on; the message is printed to stderr."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# Why the disk refused, in Vietnamese, for the failures a clerk or an administrator can act on.
_DISK_REASONS = {
    errno.EACCES: "không có quyền ghi vào đó (chọn thư mục khác hoặc hỏi quản trị máy)",
    errno.EPERM: "không có quyền ghi vào đó (chọn thư mục khác hoặc hỏi quản trị máy)",
    errno.ENOSPC: "ổ đĩa đã đầy (giải phóng chỗ trống rồi chạy lại)",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EEXIST: "đã có tệp cùng tên",
}


def disk_reason(exc: OSError) -> str:
    """Why a file operation failed: the usual reasons in Vietnamese, the system's own text otherwise."""
    return _DISK_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def require_store(data_dir: object) -> None:
    """Refuse a command that reads the archive when ``data_dir`` holds none: a mistyped ``--data-dir`` or
    ``VANBAN_DATA_DIR`` must not quietly create an empty archive and answer "nothing found" (QA)."""
    from pathlib import Path

    from corpus.migrations import DB_FILENAME

    path = Path(str(data_dir))
    if not (path / DB_FILENAME).is_file():
        raise CliError(f"không có kho văn bản trong {path} (thiếu {DB_FILENAME}); kiểm tra --data-dir hoặc "
                       "VANBAN_DATA_DIR (mặc định ./var), hoặc nhập văn bản trước: vanban import …", exit_code=2)  # fmt: skip
