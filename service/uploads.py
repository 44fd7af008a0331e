"""Reading what a client sends: a multipart file (with optional form fields) or a JSON text.

Sizes are enforced twice: :class:`BodyLimitMiddleware` refuses a body larger than the upload limit before
it is parsed (by its ``Content-Length``, or while it streams in), and :func:`read_upload_input` refuses a
file part over the limit. The refusal is answered like every other error: problem+json for the API, the
upload page (or the error page) for a browser. The declared content type and file name are never trusted
for the format: the extractor sniffs the bytes.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nlp.extract import MAX_TEXT_CHARS
from nlp.normalize import replace_surrogates
from service.problems import Problem, problem_response, wants_html
from service.settings import Role, megabytes

# Room for multipart boundaries and the small form fields sent along with the file.
_ENVELOPE = 256 * 1024
# A refused body is read to its end (and dropped) up to this many times the limit before the answer is
# sent: a browser, or Python's requests, still sending its upload when the server closes the connection
# reports a connection reset and never shows the answer. Larger bodies are cut off unread.
_DRAIN_FACTOR = 4
_UPLOAD_PAGE = "/upload"
_DEFAULT_NAME = "tep-tai-len"
_MAX_NAME_CHARS = 200
# A file name's extension, as kept when a long name is cut: ".docx", ".pdf", ".txt"… (not "V.v triển khai").
_EXTENSION_RE = re.compile(r"\.[0-9A-Za-z]{1,10}$")
_TEXT_FIELDS = ("text",)

logger = logging.getLogger(__name__)


@dataclass
class UploadInput:
    """A file (bytes and name) or a pasted text, plus fields the client set itself."""

    data: bytes | None = None
    filename: str | None = None
    content_type: str | None = None
    text: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


# Files the upload page reads in one go (the API files one document a request).
MAX_BATCH_FILES = 20
_ONE_FILE = "Chỉ gửi một tệp mỗi lần: hãy tải lên từng văn bản một."
_BATCH_FILES = (f"Mỗi lần tải lên được tối đa {MAX_BATCH_FILES} tệp (tổng dung lượng theo giới hạn tải lên); "
                "hãy chia thành nhiều lần.")  # fmt: skip

# A form field may hold a pasted text up to nlp.extract's bound in characters, four bytes each at worst in
# UTF-8: a longer paste is then refused by that bound, with its text given back on the page, not by the
# multipart parser, which loses it (QA: an 800,000-character paste was "a field over 1 MB"). The body as a
# whole stays bounded by BodyLimitMiddleware.
MAX_FIELD_BYTES = 4 * MAX_TEXT_CHARS + 64 * 1024

# starlette's multipart errors (English, for developers) → what the clerk can do about each.
_MULTIPART_MESSAGES = (
    ("too many files", _ONE_FILE),
    ("too many fields", "Biểu mẫu gửi lên có quá nhiều trường."),
    (
        "exceeded maximum size",
        f"Một trường của biểu mẫu quá dài (tối đa {MAX_FIELD_BYTES // 2**20} MB); nội dung dài hãy gửi dưới dạng tệp.",
    ),
)


def _multipart_message(exc: Exception, *, batch: bool = False) -> str:
    detail = str(getattr(exc, "detail", None) or getattr(exc, "message", None) or exc).lower()
    for needle, message in _MULTIPART_MESSAGES:
        if needle in detail:
            return _BATCH_FILES if batch and message == _ONE_FILE else message
    return "Dữ liệu biểu mẫu (multipart) gửi lên bị hỏng hoặc chưa gửi hết; hãy chọn lại tệp và gửi lại."


def _json_error(exc: ValueError) -> str:
    """Where a JSON body is wrong, in Vietnamese (the parser's English stays in the log)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"không phải UTF-8 (byte thứ {exc.start + 1})"
    if isinstance(exc, json.JSONDecodeError):
        return f"sai cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}"
    return "sai cú pháp JSON"


def _json_type(value: Any) -> str:
    """A JSON value's type as a clerk reads it."""
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, int | float):
        return "số"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "đối tượng"
    return "giá trị khác"


def _without_surrogates(value: Any) -> Any:
    """``value`` (parsed JSON) with every lone surrogate in its strings replaced by U+FFFD.

    JSON may escape half a surrogate pair ("\\ud800"); Python keeps it, and any message quoting the value
    (an invalid date, an unknown field) could then not be encoded: a 500 instead of a 422.
    """
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value


def too_large_message(size: int | None, limit: int, *, text: bool = False) -> str:
    """The refusal of a file (or, with ``text``, of a text sent as JSON) over ``limit`` bytes, in the unit
    of the settings and of ``--max-mb`` (binary megabytes, :func:`service.settings.megabytes`); the CLI
    says it the same way."""
    said = ""
    if size:
        shown = megabytes(size)
        if shown == megabytes(limit):
            # just over the limit: rounded up to a tenth, it never reads "(20 MB); giới hạn là 20 MB"
            shown = f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f} MB".replace(".", ",")
        said = f" ({shown})"
    if text:  # a text has no images to remove: only splitting it helps
        return f"Nội dung văn bản quá dài{said}; giới hạn là {megabytes(limit)}. Hãy chia văn bản thành nhiều phần rồi gửi lại."
    return f"Tệp quá lớn{said}; giới hạn là {megabytes(limit)}. Hãy tách tài liệu hoặc bỏ bớt ảnh rồi tải lên lại."


def too_large(size: int | None, limit: int, *, text: bool = False) -> Problem:
    title = "Nội dung văn bản quá dài" if text else None
    return Problem("payload-too-large", too_large_message(size, limit, text=text), title=title,
                   limit_bytes=limit)  # fmt: skip


def _is_text_body(scope: Scope) -> bool:
    """True for a body that is a text (JSON, plain text) rather than a file upload (multipart)."""
    declared = dict(scope.get("headers") or ()).get(b"content-type", b"").decode("latin-1")
    ctype = declared.split(";")[0].strip().lower()
    return ctype in ("application/json", "text/plain") or ctype.endswith("+json")


def _file_name(upload: UploadFile) -> str:
    """The name the client gave, as the original is stored and downloaded under: without a folder (old
    browsers send the whole path), composed (NFC: macOS sends "Kế hoạch" decomposed, which then neither
    matches nor sorts with the same name typed elsewhere), without control characters, at most
    :data:`_MAX_NAME_CHARS` characters with its extension kept; ``tep-tai-len`` when nothing is left
    ("", ".", "..")."""
    name = replace_surrogates((upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc").strip()
    if not name.strip("."):
        return _DEFAULT_NAME
    if len(name) <= _MAX_NAME_CHARS:
        return name
    # Cut the stem, not the extension: the download of a name cut short otherwise had no extension at all.
    extension = _EXTENSION_RE.search(name)
    suffix = extension.group(0) if extension and extension.start() > 0 else ""
    return name[: _MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix



async def read_upload_files(request: Request, limit: int) -> list[UploadInput]:
    """The files of a multipart body from the upload page when it holds two or more, up to
    :data:`MAX_BATCH_FILES` (more: 422); empty for a single file, left unread.

    A file over ``limit`` comes back with ``data`` holding only its first ``limit + 1`` bytes, to be
    refused on its own row; the body as a whole is bounded by :class:`BodyLimitMiddleware`. starlette keeps
    the parsed form, so :func:`read_upload_input` reads a single file from the same request afterwards."""
    try:
        form = await request.form(max_files=MAX_BATCH_FILES, max_fields=40, max_part_size=MAX_FIELD_BYTES)
    except (Problem, BodyTooLarge):
        raise
    except Exception as exc:
        logger.info("unreadable multipart body: %r", exc)
        raise Problem("invalid-request", _multipart_message(exc, batch=True)) from exc
    # An empty file input still sends a part, without a file name.
    uploads = [u for u in form.getlist("file") if isinstance(u, UploadFile) and u.filename]
    if len(uploads) < 2:
        return []  # one file (or none) is read by read_upload_input, from the same parsed form
    files = []
    for upload in uploads:
        data = await upload.read(limit + 1)
        await upload.close()
        files.append(UploadInput(data, _file_name(upload), upload.content_type))
    return files


async def read_upload_input(request: Request, limit: int, *, allow_fields: bool = True) -> UploadInput:
    """Parse a multipart (``file`` + fields) or JSON (``text`` + fields) request body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=40, max_part_size=MAX_FIELD_BYTES)
        except (Problem, BodyTooLarge):
            raise
        except Exception as exc:  # starlette raises MultiPartException and friends with English text
            logger.info("unreadable multipart body: %r", exc)
            raise Problem("invalid-request", _multipart_message(exc)) from exc
        upload = form.get("file")
        fields = {k: v for k, v in form.multi_items() if k not in ("file", "csrf_token") and isinstance(v, str)}
        text = fields.pop("text", None)
        if isinstance(upload, UploadFile):
            data = await upload.read(limit + 1)
            await upload.close()
            if len(data) > limit:
                raise too_large(None, limit)
            result = UploadInput(data, _file_name(upload), upload.content_type, None, fields)
        elif text and text.strip():
            result = UploadInput(text=text, fields=fields)
        else:
            raise Problem("invalid-request", "Hãy chọn một tệp (trường “file”) hoặc dán nội dung (trường “text”).",
                          errors=[{"field": "file", "message": "thiếu tệp"}])  # fmt: skip
    elif ctype in ("application/json", "") or ctype.endswith("+json"):
        raw = await request.body()
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise Problem("invalid-request", "Nội dung JSON không hợp lệ.",
                          errors=[{"field": "body", "message": _json_error(exc)}]) from exc  # fmt: skip
        if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"].strip():
            given = body.get("text") if isinstance(body, dict) else None
            # A text of another JSON type was sent, not left out (QA: 123 was answered "missing").
            said = (f"“text” phải là chuỗi, nhận được {_json_type(given)}" if given is not None
                    and not isinstance(given, str) else "thiếu nội dung văn bản")  # fmt: skip
            raise Problem("invalid-request", "Gửi JSON dạng {\"text\": \"…nội dung văn bản…\"} hoặc tải tệp lên "
                          "bằng multipart/form-data (trường “file”).",
                          errors=[{"field": "text", "message": said}])  # fmt: skip
        body = _without_surrogates(body)
        text = body.pop("text")
        body.pop("filename", None)
        result = UploadInput(text=text, fields=body)
    else:
        raise Problem(
            "unsupported-file",
            f"Kiểu nội dung “{ctype}” không được hỗ trợ: gửi multipart/form-data (trường “file”) hoặc JSON.",
        )
    if not allow_fields:
        result.fields = {}
    return result


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body streams in beyond the limit."""


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes with 413, before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.body_limit = limit + _ENVELOPE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > self.body_limit:
                await self._refuse(scope, receive, send, declared)
                return
        received = 0
        started = body_ended = False

        async def limited_receive() -> Message:
            nonlocal received, body_ended
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_ended = not message.get("more_body", False)
                if received > self.body_limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send, None, drain=not body_ended)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int | None, *,
                      drain: bool = True) -> None:  # fmt: skip
        problem = too_large(size, self.limit, text=_is_text_body(scope))
        response = self._answer(Request(scope, receive), problem)
        response.headers["connection"] = "close"
        budget = _DRAIN_FACTOR * self.body_limit
        if drain and (size is None or size <= budget):
            # once the body has ended, another receive() would wait for the client to hang up
            await _drain(receive, budget)
        await response(scope, receive, send)

    def _answer(self, request: Request, problem: Problem) -> Response:
        """The upload page with the message for the clerk who was sending a file from it; the error page
        for another page; problem+json for the API (as :func:`service.problems.problem_response`)."""
        if request.url.path == _UPLOAD_PAGE and request.method == "POST" and wants_html(request):
            try:
                page = _upload_page(request, problem, self.limit)
            except Exception:  # the refusal must reach the client even if the page cannot be drawn
                logger.exception("could not render the upload page for a refused body")
                page = None
            if page is not None:
                return page
        return problem_response(request, problem)


def _upload_page(request: Request, problem: Problem, limit: int) -> Response | None:
    """The upload page showing ``problem``, for a signed-in uploader (others get the error page).

    Imported here: the pages import this module to read uploads.
    """
    from service.pages.common import principal_of, render

    principal = principal_of(request)
    if principal is None or not principal.can(Role.UPLOADER):
        return None
    problem = for_upload_page(problem, request)
    return render(request, "upload.html", {"limit": limit, "error": problem, "max_files": MAX_BATCH_FILES}, status=problem.status)


def for_upload_page(problem: Problem, request: Request) -> Problem:
    """``problem`` as the upload page says it: the page sends every file chosen in one body, so several
    small files can be "too large" together (QA) — the refusal of a file says so."""
    if problem.code != "payload-too-large" or _is_text_body(request.scope):
        return problem
    return Problem(problem.code, problem.detail + " Nếu đã chọn nhiều tệp cùng lúc, dung lượng của chúng được "
                   "tính chung: hãy chia thành nhiều lần tải lên.", title=problem.title, **problem.extensions)  # fmt: skip


async def _drain(receive: Receive, budget: int) -> None:
    """Read and drop what is left of a request body, at most ``budget`` bytes."""
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return
