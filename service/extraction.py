"""Text extraction of uploads in a child process: bounded in time and memory, isolated from the worker.

Parsing a PDF or a .docx someone sent is the riskiest thing the service does: a crafted file can loop,
balloon in memory or crash a C extension. Each extraction therefore runs in its own process forked from a
``forkserver`` that has the extractors imported already (a fork costs milliseconds): on timeout the child
is killed — a thread could not be — and a crash ends only the child. At most ``concurrency`` extractions
run at once per worker; more wait for a slot.

The fork server (~50 MB) starts with the worker's first upload, which waits for it (~1 s on an idle
machine), or in the background as soon as the upload page is opened: a worker that only searches never
holds one.

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
from typing import Any

from nlp import extract_errors
from nlp.extract import Extracted, ExtractionError
from service import extract_child
from service.problems import Problem

log = logging.getLogger("vanban.service.extraction")

# The child unpickles its target by importing service.extract_child; preloading it and the parsers in the
# forkserver keeps every fork cheap. Nothing of the web stack: the fork server holds ~50 MB instead of 69.
_PRELOAD = ["service.extract_child", "nlp.extract", "nlp.extract_pdf", "nlp.extract_docx", "nlp.extract_text",
            "docx", "pypdf"]  # fmt: skip
_QUEUE_WAIT_S = 60.0


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
        self._warming = self._started = False

    def warm_up(self) -> None:
        """Start the fork server in the background (~1 s) because an upload is coming (the upload page
        was opened). Otherwise the first upload starts it: a worker that only searches never holds one."""
        if self._warming or self._started:
            return
        self._warming = True

        def run() -> None:
            try:
                self._ctx.Process(
                    target=extract_child.noop, name="vanban-extract-warmup", daemon=True
                ).start()
                self._started = True
            except OSError as exc:  # uploads will try again and report the error then
                log.warning("could not start the extraction server: %s", exc)
            finally:
                self._warming = False

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
            target=extract_child.work,
            args=(sender, data, filename, self.max_bytes, self.timeout_s),
            name="vanban-extract",
            daemon=True,
        )
        process.start()  # the first one in this worker starts the fork server (~1 s)
        self._started = True
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
        if message[0] == "error":  # a file refused for a known reason: said to the clerk, noted here
            log.info("extraction of %r refused: %s", filename, " ".join(map(str, message[1:]))[:300])
            raise _rebuild_error(*message[1:])
        log.error("extraction of %r failed: %s", filename, message[1])
        raise Problem(
            "unreadable-document",
            f"Không đọc được tệp “{filename}”: nội dung tệp bị lỗi hoặc quá phức tạp. "
            "Hãy mở tệp bằng Word, lưu lại ở dạng .docx hoặc PDF rồi tải lên lại.",
        )
