"""A real browser on the real server: search without diacritics, upload a .docx, save, find it by number.

Drives Debian's Chromium (``apt-get install chromium``) with Playwright for Python, never a downloaded
browser. The server runs as ``uvicorn --factory service.app:create_app`` in a subprocess on 127.0.0.1 and a
free port, on a temporary data directory holding the demo corpus and a freshly trained model. Screenshots
go to a temporary directory (or ``$VANBAN_SCREENSHOT_DIR``) at 1366×768 and 390×844.

Skipped only when Chromium or Playwright is missing outside CI; with ``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
UPLOADER_KEY = "khoa-van-thu-trinh-duyet-0123456789"
FIXTURE = "lcsct_0153__ke_hoach_ubnd.docx"
NUMBER = "915/KH-UBND"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _require_browser() -> None:
    reasons = []
    if not Path(CHROMIUM).exists():
        reasons.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("the playwright package is missing (pip install playwright; no `playwright install`)")
    if reasons:
        if IN_CI:
            pytest.fail("browser test cannot run in CI: " + "; ".join(reasons), pytrace=False)
        pytest.skip("real-browser test skipped: " + "; ".join(reasons))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    from service.bootstrap import bootstrap_demo

    data_dir = tmp_path_factory.mktemp("browser-data")
    report = bootstrap_demo(data_dir, cv=0)  # demo corpus, index and a model, as `make run` does
    assert report.documents == 90 and report.model_version
    port = _free_port()
    env = {**os.environ, "VANBAN_DATA_DIR": str(data_dir), "VANBAN_API_KEYS": f"chi.vanthu:uploader:{UPLOADER_KEY}",
           "VANBAN_LOCAL_MODE": "false"}  # fmt: skip
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start: {(data_dir / 'server.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("VANBAN_SCREENSHOT_DIR") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_search_upload_save_and_find_by_number(server: str, shots: Path, fixtures_dir: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    fixture = fixtures_dir / FIXTURE
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
            page = context.new_page()
            page.set_default_timeout(30_000)

            page.goto(server + "/")
            expect(page).to_have_url(server + "/login?next=%2F")
            page.fill("#key", UPLOADER_KEY)
            page.click("form.login button[type=submit]")
            expect(page.locator(".user-name")).to_have_text("chi.vanthu")
            page.screenshot(path=str(shots / "search-home-1366.png"))

            # A query typed without diacritics finds the documents and marks the words in them.
            page.fill("#q", "tiep cong dan")
            page.press("#q", "Enter")
            first = page.locator(".hit").first
            expect(first).to_be_visible()
            expect(first.locator("mark").first).to_be_visible()
            assert "tiếp công dân" in first.locator(".hit-title").inner_text().lower()
            page.screenshot(path=str(shots / "search-results-1366.png"))

            # A file over the limit is refused on the page before it is sent (the limit lowered for the test).
            page.click("nav.mainnav >> text=Tải lên")
            page.eval_on_selector("#file", "input => input.setAttribute('data-max-bytes', '1000')")
            page.set_input_files("#file", str(fixture))
            expect(page.locator("[data-file-error]")).to_contain_text("Tệp quá lớn")
            assert page.url.endswith("/upload")

            # So is a pasted text over the limit, and it stays in the box to be cut.
            pasted = "Điều 1. Thành lập Tổ công tác phòng, chống thiên tai của tỉnh."
            page.eval_on_selector("#paste", "box => box.setAttribute('data-max-chars', '40')")
            page.fill("#paste", pasted)
            page.click("#paste ~ button[type=submit]")
            expect(page.locator("[data-text-error]")).to_contain_text("Nội dung quá dài")
            expect(page.locator("#paste")).to_have_value(pasted)
            assert page.url.endswith("/upload")

            # Upload a real .docx: header read, tags proposed with confidence and reasons.
            page.goto(server + "/upload")
            page.set_input_files("#file", str(fixture))  # the page reads the file as soon as it is chosen
            expect(page.locator("#save-form")).to_be_visible()
            expect(page.locator(".proposal")).to_have_count(2)
            expect(page.locator("#t-doc_type")).to_have_value("ke-hoach")
            assert page.locator("#t-topic").input_value() != ""
            expect(page.locator(".proposal .reasons li").first).to_be_visible()
            expect(page.locator("#f-issuer")).to_have_value("Ủy ban nhân dân tỉnh Lào Cai")
            page.screenshot(path=str(shots / "upload-preview-1366.png"), full_page=True)

            # The draft has no number yet: the clerk gives it and saves.
            page.fill("#f-number", NUMBER)
            page.click("#save")
            expect(page.locator(".alert-ok")).to_contain_text("Đã lưu văn bản")
            doc_url = page.url.split("?")[0]
            assert "/documents/u-" in doc_url
            expect(page.locator(".doc-kicker .num")).to_have_text(NUMBER)
            page.screenshot(path=str(shots / "document-saved-1366.png"), full_page=True)

            # Found at once by its number, typed loosely.
            page.goto(server + "/")
            page.fill("#q", "915 kh ubnd")
            page.press("#q", "Enter")
            hit = page.locator(".hit").first
            expect(hit.locator(".num")).to_have_text(NUMBER)
            # the link carries the words searched for, which the document page marks, and the results to go
            # back to
            href = urllib.parse.urlsplit(hit.locator(".num").get_attribute("href") or "")
            assert href.path == urllib.parse.urlsplit(doc_url).path
            assert dict(urllib.parse.parse_qsl(href.query)) == {"q": "915 kh ubnd", "back": "q=915+kh+ubnd"}
            page.screenshot(path=str(shots / "found-by-number-1366.png"))

            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                        storage_state=context.storage_state())  # fmt: skip
            small = phone.new_page()
            small.goto(server + "/?q=tiep+cong+dan")
            expect(small.locator(".hit mark").first).to_be_visible()
            width = small.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the search page scrolls sideways on a phone ({width}px)"
            small.screenshot(path=str(shots / "search-results-390.png"))
            small.goto(doc_url)
            small.screenshot(path=str(shots / "document-390.png"))
            phone.close()
        finally:
            browser.close()
    assert len(list(shots.glob("*.png"))) >= 7
