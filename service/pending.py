"""Uploads waiting for the clerk's confirmation on the upload page (read, not yet filed).

The upload page reads a file, shows what it found, and files it when the clerk presses "Lưu". Between the
two requests, which several worker processes may serve, the file waits on disk under
``<data_dir>/pending/<token>``; tokens are random, and anything older than a day is swept away.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.problems import Problem

MAX_AGE_S = 24 * 3600
_GONE = "Tệp tải lên đã hết hạn (quá một ngày) hoặc đã được lưu. Hãy chọn lại tệp."
_SAVED = "Tệp này đã được lưu thành văn bản rồi (biểu mẫu được gửi hai lần); không cần lưu lại."
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class PendingUpload:
    token: str
    data: bytes | None
    filename: str | None
    text: str | None
    content_type: str | None


class PendingUploads:
    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "pending"

    def put(
        self, *, data: bytes | None, filename: str | None, text: str | None, content_type: str | None,
        owner: str | None = None,
    ) -> str:
        """Keep an upload under a new token; ``owner``, the uploader's name, is the only one who may file it."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.sweep()
        token = secrets.token_hex(16)
        meta = {"filename": filename, "content_type": content_type, "kind": "file" if data is not None else "text",
                "owner": owner}  # fmt: skip
        payload = data if data is not None else (text or "").encode("utf-8")
        tmp = self.root / f".{token}.{uuid.uuid4().hex}"
        tmp.write_bytes(payload)
        os.replace(tmp, self.root / f"{token}.bin")
        (self.root / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return token

    def get(self, token: str, owner: str | None = None) -> PendingUpload:
        """The upload under ``token``; another uploader's (``owner`` given and not theirs) is not found: a
        token seen in a shared screen or a log must not let someone else file it under their name (QA)."""
        if not _TOKEN.fullmatch(token or ""):
            raise Problem("invalid-request", "Mã tải lên không hợp lệ. Hãy chọn lại tệp.")
        meta = self._meta(token)
        try:
            payload = b"" if isinstance(meta.get("saved"), str) else (self.root / f"{token}.bin").read_bytes()
        except OSError:
            meta = {}
        if not meta:
            raise Problem("not-found", _GONE, status=404)
        if owner is not None and meta.get("owner") not in (None, owner):
            raise Problem("not-found", _GONE, status=404)
        if isinstance(meta.get("saved"), str):  # filed already; its content is gone (see mark_saved)
            raise Problem("not-found", _SAVED, status=404, saved_id=meta["saved"])
        if meta.get("kind") == "text":
            return PendingUpload(token, None, None, payload.decode("utf-8"), None)
        return PendingUpload(token, payload, meta.get("filename"), None, meta.get("content_type"))

    def saved_document(self, token: str, owner: str | None = None) -> str | None:
        """The id of the document the upload under ``token`` was filed as (see :meth:`mark_saved`), for its
        uploader; None when it was not filed, has expired, or is another uploader's."""
        meta = self._meta(token) if _TOKEN.fullmatch(token or "") else {}
        if owner is not None and meta.get("owner") not in (None, owner):
            return None
        saved = meta.get("saved")
        return saved if isinstance(saved, str) else None

    def mark_saved(self, token: str, doc_id: str) -> None:
        """Drop the upload's content but remember, for the day the token lives, the document it was filed as:
        the save form sent twice (a double click, the back button) then leads to that document instead of
        saying the upload expired (QA)."""
        if not _TOKEN.fullmatch(token or ""):
            return
        meta = self._meta(token)
        meta["saved"] = doc_id
        tmp = self.root / f".{token}.{uuid.uuid4().hex}"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.root / f"{token}.json")
        (self.root / f"{token}.bin").unlink(missing_ok=True)

    def _meta(self, token: str) -> dict[str, Any]:
        try:
            meta = json.loads((self.root / f"{token}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}

    def sweep(self) -> None:
        cutoff = time.time() - MAX_AGE_S
        for path in self.root.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except OSError:
                continue  # another worker swept it first
