"""Domain errors of search: the index, query understanding and related documents.

Like :mod:`corpus.errors`, each error carries ``str(exc)`` in English (logs) and ``exc.message`` in
Vietnamese (for the clerk). Routers map them: ``QueryError`` → 422, ``IndexOutdated`` / ``IndexMissing``
→ 409 (the fix is ``vanban index --rebuild``), ``IndexBusy`` → 503, ``IndexUnavailable`` → 500.

Example
-------
>>> QueryError("empty query", "Hãy nhập từ khóa.").message
'Hãy nhập từ khóa.'
"""

from __future__ import annotations

REBUILD_COMMAND = "vanban index --rebuild"


class SearchError(Exception):
    """Base class: search cannot do what was asked."""

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        self.message: str = message or f"Lỗi tìm kiếm: {detail}"


class QueryError(SearchError, ValueError):
    """The query or one of its filters cannot be understood (empty, too long, unknown value…).

    ``field`` names the offending parameter (``query``, ``doc_type``, ``date_from``…) for forms and APIs.
    """

    def __init__(self, detail: str, message: str, field: str = "query") -> None:
        super().__init__(detail, message)
        self.field = field


class IndexUnavailable(SearchError):
    """The index directory cannot be opened or written (corrupted, unreadable, disk full…)."""


class IndexMissing(IndexUnavailable):
    """There is no index yet although the store holds documents."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no search index at {path}; run `{REBUILD_COMMAND}`",
            f"Chưa có chỉ mục tìm kiếm ({path}). Hãy chạy: {REBUILD_COMMAND}",
        )
        self.path = path


class IndexOutdated(IndexUnavailable):
    """The index was built by another analyser or schema version: results would be silently wrong."""

    def __init__(self, path: str, found: str, expected: str) -> None:
        super().__init__(
            f"index at {path} was built with {found}, this code needs {expected}; rebuild it: `{REBUILD_COMMAND}`",
            f"Chỉ mục tìm kiếm {path} được tạo bằng phiên bản {found}, khác phiên bản hiện tại {expected}. "
            f"Kết quả sẽ sai nếu dùng tiếp; hãy tạo lại chỉ mục (rebuild): {REBUILD_COMMAND}",
        )
        self.path = path
        self.found = found
        self.expected = expected


class IndexBusy(IndexUnavailable):
    """Another process holds the index writer (an import or a rebuild is running)."""

    def __init__(self, path: str, seconds: float) -> None:
        super().__init__(
            f"index at {path} is locked by another writer (waited {seconds:.0f} s)",
            f"Chỉ mục tìm kiếm đang được một tiến trình khác ghi (nhập hoặc tạo lại chỉ mục); "
            f"đã chờ {seconds:.0f} giây. Hãy thử lại sau.",
        )
        self.path = path
