"""Text extraction of uploads in a child process: bounded in time and memory, isolated from the worker.

Parsing a PDF or a .docx someone sent is the riskiest thing the service does: a crafted file can loop,
balloon in memory or crash a C extension. Each extraction therefore runs in its own process forked from a
``forkserver`` that has the extractors imported already (a fork costs milliseconds): on timeout the child
is killed — a thread could not be — and a crash ends only the child. At most ``concurrency`` extractions
run at once per worker; more wait for a slot.

Example
-------
>>> extractor = Extractor(timeout_s=10, max_bytes=1 << 20)                     # doctest: +SKIP
>>> extractor.extract("Số: 12/QĐ-UBND".encode(), "qd.txt").format               # doctest: +SKIP
'txt'
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from nlp import extract_errors
from nlp.extract import Extracted, ExtractionError, extract_bytes
from service.problems import Problem

log = logging.getLogger("vanban.service.extraction")

# The child unpickles _work by importing this module; preloading it (and the parsers) in the forkserver
# keeps every fork cheap.
_PRELOAD = ["service.extraction", "nlp.extract", "nlp.extract_pdf", "nlp.extract_docx", "nlp.extract_text", "docx", "pypdf"]
_MEMORY_LIMIT = 2 * 1024**3  # address space of one extraction: far above any real document's needs
_QUEUE_WAIT_S = 60.0


def _work(conn: Connection, data: bytes, filename: str, max_bytes: int, max_seconds: float) -> None:
    """Child process: extract and send back ("ok", Extracted) or ("error", class, detail, message)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # not every platform lets a process lower its limit
        pass
    try:
        result = extract_bytes(data, filename, max_bytes=max_bytes, max_seconds=max_seconds)
        conn.send(("ok", result))
    except ExtractionError as exc:
        # Sent as parts: the errors' constructors take other arguments than (detail,), so pickling the
        # exception itself would rebuild it wrongly on the other side.
        conn.send(("error", type(exc).__name__, str(exc), exc.message))
    except MemoryError:
        conn.send(("crash", "memory limit exceeded"))
    except Exception as exc:  # a bug or a hostile file: report it; the parent answers 422
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _noop() -> None:
    return None


def _rebuild_error(name: str, detail: str, message: str) -> ExtractionError:
    cls = getattr(extract_errors, name, ExtractionError)
    if not (isinstance(cls, type) and issubclass(cls, ExtractionError)):
        cls = ExtractionError
    error = ExtractionError.__new__(cls)
    ExtractionError.__init__(error, detail, message)
    return error


class Extractor:
    """Runs :func:`nlp.extract.extract_bytes` in killable child processes."""

    def __init__(self, timeout_s: float, max_bytes: int, concurrency: int = 2, grace_s: float = 2.0) -> None:
        self.timeout_s = timeout_s
        self.grace_s = grace_s  # past the soft limit, before the kill: lets the extractor stop on its own
        self.max_bytes = max_bytes
        self._slots = threading.BoundedSemaphore(concurrency)
        self._ctx: Any = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(_PRELOAD)

    def warm_up(self) -> None:
        """Start the forkserver in the background (a few seconds) so the first upload does not wait."""

        def run() -> None:
            try:
                self._ctx.Process(target=_noop, name="vanban-extract-warmup", daemon=True).start()
            except OSError as exc:  # uploads will try again and report the error then
                log.warning("could not start the extraction server: %s", exc)

        threading.Thread(target=run, name="vanban-extract-warmup", daemon=True).start()

    def extract(self, data: bytes, filename: str) -> Extracted:
        """The text of ``data``; raises an :class:`ExtractionError` or a 422/503 :class:`Problem`."""
        if not self._slots.acquire(timeout=_QUEUE_WAIT_S):
            raise Problem("busy", "Đang có nhiều tệp được đọc cùng lúc; hãy thử lại sau ít phút.",
                          headers={"Retry-After": "30"})  # fmt: skip
        try:
            return self._run(data, filename)
        finally:
            self._slots.release()

    def _run(self, data: bytes, filename: str) -> Extracted:
        receiver, sender = self._ctx.Pipe(duplex=False)
        # The extractor's own clock stops a slow PDF between pages and says how far it got; the kill
        # below is the backstop for a loop inside one page or one XML part.
        process = self._ctx.Process(
            target=_work,
            args=(sender, data, filename, self.max_bytes, self.timeout_s),
            name="vanban-extract",
            daemon=True,
        )
        process.start()
        sender.close()
        try:
            if not receiver.poll(self.timeout_s + self.grace_s):
                log.warning("extraction of %r timed out after %.0f s; killing pid %s", filename, self.timeout_s,
                            process.pid)  # fmt: skip
                raise Problem(
                    "extraction-timeout",
                    f"Đọc tệp “{filename}” mất quá {self.timeout_s:g} giây nên đã dừng. "
                    "Hãy tách tài liệu thành các phần nhỏ hơn hoặc lưu lại ở dạng .docx rồi tải lên lại.",
                )
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                message = ("crash", f"extraction process died (exit code {process.exitcode})")
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
        if message[0] == "ok":
            result: Extracted = message[1]
            return result
        if message[0] == "error":
            raise _rebuild_error(*message[1:])
        log.error("extraction of %r failed: %s", filename, message[1])
        raise Problem(
            "unreadable-document",
            f"Không đọc được tệp “{filename}”: nội dung tệp bị lỗi hoặc quá phức tạp. "
            "Hãy mở tệp bằng Word, lưu lại ở dạng .docx hoặc PDF rồi tải lên lại.",
        )
