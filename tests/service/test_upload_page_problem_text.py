"""QA, 2026-11-29: the upload page read a problem's title and detail as two broken sentences — "Tệp quá
lớn. (30 MB); giới hạn…", "Tệp không có nội dung. Văn bản (tệp rỗng)." — when the detail opens with the
title's words. Now the detail is read once, its opening in bold."""

from __future__ import annotations

import re
from pathlib import Path

from tests.service.conftest import make_client
from tests.service.test_pages import login


def _alert(html: str) -> str:
    found = re.search(r'<div class="alert alert-error" role="alert">(.*?)</div>', html, re.S)
    assert found, html[:2000]
    return " ".join(found.group(1).split())


def test_refusals_on_the_upload_page_read_as_one_sentence(data_dir: Path) -> None:
    with make_client(data_dir, max_upload_bytes=300_000) as client:
        csrf = login(client, "uploader")
        big = client.post("/upload", data={"csrf_token": csrf}, files={"file": ("bao-cao.txt", b"a" * 400_000)})
        assert big.status_code == 413
        alert = _alert(big.text)
        assert alert.startswith("<strong>Tệp quá lớn</strong>") and "giới hạn là 0,3 MB" in alert
        assert "Tệp quá lớn." not in alert
        assert "Nếu đã chọn nhiều tệp cùng lúc, dung lượng của chúng được tính chung" in alert
        empty = client.post("/upload", data={"csrf_token": csrf}, files={"file": ("trong.txt", b"")})
        assert empty.status_code == 422
        assert _alert(empty.text).startswith("<strong>Tệp không có nội dung</strong> văn bản (tệp rỗng).")
