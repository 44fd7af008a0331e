"""Domain errors of the corpus: the store and the importers.

Each error carries two texts: ``str(exc)`` is English, for logs and tracebacks; ``exc.message`` is
Vietnamese, for the clerk who has to act on it (the CLI prints it, routers return it). Routers map them:
``DocumentNotFound`` → 404, ``InvalidDocument`` → 422, ``SchemaTooNew`` / ``StoreError`` → 500/503.

Example
-------
>>> try:
...     raise DocumentNotFound("bd-00042")
... except StoreError as exc:
...     print(exc.message)
Không tìm thấy văn bản có mã "bd-00042".
"""

from __future__ import annotations


class StoreError(Exception):
    """The document store cannot do what was asked (database unreadable, locked, corrupted…)."""

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        self.message: str = message or f"Lỗi kho văn bản: {detail}"


def unusable_database(path: object, exc: BaseException) -> StoreError:
    """The error for a file that SQLite cannot read as a database (damaged, or not a database at all). A
    database it cannot open or write because of where it lies (a read-only disk, no permission, a full disk)
    is said so: "not a usable database" would have an operator restore a backup over good data (QA)."""
    said = str(exc)
    if any(cause in said for cause in ("unable to open", "readonly", "read-only", "disk is full", "disk I/O")):
        return StoreError(
            f"{path} cannot be opened for writing: {exc}",
            f"Không mở được kho văn bản {path} để ghi ({exc}): thư mục dữ liệu chỉ đọc, không có quyền ghi hoặc "
            "ổ đĩa đầy. Tệp không bị hỏng — đừng khôi phục bản sao lưu đè lên; hãy kiểm tra quyền và dung lượng.",
        )
    return StoreError(
        f"{path} is not a usable SQLite database: {exc}",
        f"Tệp {path} không phải cơ sở dữ liệu vanban dùng được: {exc}",
    )


class DocumentNotFound(StoreError, KeyError):
    """No document has this id."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(
            f"document not found: {doc_id!r}",
            f'Không tìm thấy văn bản có mã "{doc_id}".',
        )
        self.doc_id = doc_id

    # KeyError quotes its argument in str(); keep the plain English sentence instead.
    def __str__(self) -> str:
        return str(self.args[0])


class SchemaTooNew(StoreError):
    """The database was written by a newer vanban: opening it with this code could damage it."""

    def __init__(self, found: int, supported: int, path: str = "") -> None:
        super().__init__(
            f"database schema version {found} is newer than this code supports ({supported}): {path}",
            f"Cơ sở dữ liệu {path} được tạo bởi phiên bản vanban mới hơn (lược đồ {found}, phiên bản này "
            f"chỉ hỗ trợ đến {supported}). Hãy cập nhật vanban; không mở cơ sở dữ liệu này bằng bản cũ.",
        )
        self.found = found
        self.supported = supported


class InvalidDocument(StoreError, ValueError):
    """A document (or one field of it) cannot be stored as given.

    ``field`` names the offending field (``None`` for the record as a whole); ``reason`` is Vietnamese
    and meant for the clerk, e.g. ``ngày không tồn tại: 2022-02-30``.
    """

    def __init__(self, field: str | None, reason: str) -> None:
        where = f"trường {field}: " if field else ""
        super().__init__(
            f"invalid document ({field or 'record'}): {reason}", f"Văn bản không hợp lệ, {where}{reason}"
        )
        self.field = field
        self.reason = reason
