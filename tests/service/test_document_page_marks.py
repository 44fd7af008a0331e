"""The document page opened from a search: the search's words marked in the whole text, as in the snippets
(QA: result links dropped the query, a long decree showed no mark); the warnings of reading its file."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest

from corpus.highlight import MAX_PAGE_MARKS, MAX_SCAN_CHARS, Matcher
from corpus.highlight_page import mark_document
from corpus.store import Store
from nlp.extract import extract_bytes
from tests.service.conftest import auth, make_client
from tests.service.test_pages import login
from tests.service.test_taxonomy_labels import submitted

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n\nSố: 217/KH-UBND\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nLào Cai, ngày 12 tháng 5 năm 2025\n\n"
    "KẾ HOẠCH\nKiểm tra hoạt động khoáng sản trên địa bàn tỉnh năm 2025\n\n"
)


def _article(i: int) -> str:
    # "khoảng cách" is another word than the "khoáng" of "khoáng sản": not marked for "khoang san"
    return (
        f"Điều {i}. Kiểm tra điểm mỏ số {i}\n"
        f"Tổ công tác kiểm tra việc khai thác khoáng sản tại điểm mỏ số {i}, đo khoảng cách từ ranh giới mỏ đến "
        "khu dân cư gần nhất và lập biên bản gửi Sở Nông nghiệp và Môi trường trước ngày 30 tháng 6.\n\n"
    )


ARTICLES = 480  # about 110,000 characters: twice what a snippet reads (MAX_SCAN_CHARS)
DECREE = HEADER + "".join(_article(i) for i in range(1, ARTICLES + 1)) + (
    "Chi phí đo đạc dưới 5 triệu đồng <b>không</b> phải lập dự toán & được thanh toán ngay.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
)


def _upload(client, name: str, data: bytes) -> str:
    response = client.post("/api/documents", files={"file": (name, data)}, params={"force": "true"},
                           headers=auth("uploader"))  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()["document"]["id"]


def _marks(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", page)]


def _text_block(page: str) -> str:
    return re.search(r'<div class="doctext" tabindex="0">(.*?)</div>', page, re.S).group(1)


def test_result_links_carry_the_query_to_mark_and_the_results_to_go_back_to(client):
    login(client, "reader")
    page = client.get("/", params={"q": "tiep cong dan", "type": "chi-thi", "sort": "date"}).text
    links = [html.unescape(link) for link in re.findall(r'href="(/documents/[^"]+)"', page)]
    assert links and 'class="num" href="/documents/demo-' in page
    for link in links:
        params = dict(parse_qsl(urlsplit(link).query))
        # the words to mark, never the filters as words; the results page to come back to
        assert params["q"] == "tiep cong dan" and "type" not in params, link
        assert dict(parse_qsl(params["back"])) == {"q": "tiep cong dan", "type": "chi-thi", "sort": "date"}
    document = client.get(links[0]).text
    back = html.unescape(re.search(r'<a href="([^"]*)" data-back>', document).group(1))
    assert urlsplit(back).path == "/"
    assert dict(parse_qsl(urlsplit(back).query)) == {"q": "tiep cong dan", "type": "chi-thi", "sort": "date"}
    # a "back" that is not the search page's own parameters is dropped, never followed elsewhere
    odd = client.get("/documents/demo-001", params={"back": "next=https://example.com&type=chi-thi"}).text
    assert re.search(r'<a href="([^"]*)" data-back>', odd).group(1) == "/?type=chi-thi"
    browsing = client.get("/").text  # nothing searched: nothing to carry
    assert "/documents/demo-" in browsing and "/documents/demo-001?" not in browsing


def test_the_page_marks_the_words_where_the_snippets_do(client):
    login(client, "reader")
    results = client.get("/", params={"q": "tiep cong dan"}).text
    link = re.search(r'<h2 class="hit-title"><a href="([^"]+)">', results).group(1)
    snippet = re.search(r'<li class="hit">.*?</li>', results, re.S).group(0)
    page = client.get(html.unescape(link))
    assert page.status_code == 200
    marked = _marks(page.text)
    assert marked and {m.lower() for m in _marks(snippet)} <= {m.lower() for m in marked}
    assert "<h1><mark>" in page.text or "<mark>" in page.text.split("<h1>")[1].split("</h1>")[0]
    count = len(re.findall(r'<mark id="m\d+">', page.text))
    assert 'id="m1"' in page.text and f'id="m{count}"' in page.text and f'id="m{count + 1}"' not in page.text
    assert f"<strong>{count}</strong> chỗ trong nội dung" in page.text and 'href="#m1"' in page.text
    assert 'href="/?q=tiep+cong+dan" data-back' in page.text  # back to these results without script
    plain = client.get(link.split("?")[0]).text
    assert "<mark" not in plain and 'class="markbar"' not in plain


def test_a_long_decree_is_marked_to_its_end_typed_without_diacritics(client):
    doc_id = _upload(client, "ke_hoach_khoang_san.txt", DECREE.encode())
    login(client, "reader")
    page = client.get(f"/documents/{doc_id}", params={"q": "khoang san"}).text
    marked = _marks(_text_block(page))
    assert len(DECREE) > 2 * MAX_SCAN_CHARS
    # every "khoáng sản" of the body (the summary line and one an article), none of the "khoảng cách"
    assert marked == ["khoáng sản"] * (ARTICLES + 1)
    assert f"<strong>{ARTICLES + 1}</strong> chỗ trong nội dung" in page
    assert f'<mark id="m{ARTICLES + 1}">khoáng sản</mark> tại điểm mỏ số {ARTICLES},' in page
    assert "Kiểm tra hoạt động <mark>khoáng sản</mark>" in page  # the title
    # the text stays escaped around the marks
    assert "&lt;b&gt;không&lt;/b&gt; phải lập dự toán &amp; được" in page and "<b>không</b>" not in page


def test_a_number_is_marked_as_typed_in_the_search(client):
    doc_id = _upload(client, "ke_hoach_so.txt", DECREE.encode())
    login(client, "reader")
    page = client.get(f"/documents/{doc_id}", params={"q": "217/KH-UBND"}).text
    assert '<mark id="m1">217/KH-UBND</mark>' in page
    assert client.get(f"/documents/{doc_id}", params={"q": "217 kh ubnd"}).text.count('<mark id="m1">217/KH-UBND') == 1


def test_marks_stop_at_the_cap_and_the_page_says_so(client):
    lines = "".join(f"{i}. Khu vực cấm hoạt động khoáng sản số {i} thuộc xã Bản Vền;\n" for i in range(1, 3201))
    doc_id = _upload(client, "danh_muc_khu_vuc.txt", (HEADER + "PHỤ LỤC\n" + lines).encode())
    login(client, "reader")
    page = client.get(f"/documents/{doc_id}", params={"q": "khoáng sản"}).text
    assert len(re.findall(r'<mark id="m\d+">', page)) == MAX_PAGE_MARKS
    assert f'id="m{MAX_PAGE_MARKS + 1}"' not in page
    assert "chỉ 3.000 chỗ đầu tiên được đánh dấu" in page and f'href="#m{MAX_PAGE_MARKS}"' in page


@pytest.mark.parametrize("query", ["", "   ", "*", "!!! ???", '"', "-", "x" * 3000, "khoáng sản"])
def test_a_query_with_nothing_to_mark_shows_the_page_unmarked(client, query):
    login(client, "reader")
    page = client.get("/documents/demo-001", params={"q": query})
    assert page.status_code == 200 and "03/CT-UBND" in page.text
    assert 'id="m1"' not in page.text and "<script>alert" not in page.text
    if query == "khoáng sản":  # searched, found nowhere in this document: said so
        assert "Không có chỗ nào trong nội dung khớp với" in page.text


def test_the_query_is_escaped_where_the_page_repeats_it(client):
    login(client, "reader")
    page = client.get("/documents/demo-001", params={"q": "<script>alert(1)</script>"}).text
    assert "“<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>”" in page and "<script>alert" not in page


def test_mark_document_escapes_and_caps():
    matcher = Matcher.for_terms({"dat"})
    marked = mark_document("Giao đất", "Đất <ở> & đất trồng lúa; đạt chỉ tiêu; đất", matcher, most=2)
    assert marked.title == "Giao <mark>đất</mark>"
    assert marked.text.startswith('<mark id="m1">Đất</mark> &lt;ở&gt; &amp; <mark id="m2">đất</mark> trồng')
    assert marked.count == 2 and marked.capped and 'id="m3"' not in marked.text


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.append("".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_warnings_of_reading_the_file_are_shown_on_its_page(client):
    doc_id = _upload(client, "cong_van_cu.txt", _cp1258(HEADER + _article(1)))
    stored = client.get(f"/api/documents/{doc_id}", headers=auth("reader")).json()
    assert any("Windows-1258" in w for w in stored["extra"]["extraction_warnings"])
    login(client, "reader")
    page = client.get(f"/documents/{doc_id}").text
    notice = re.search(r'<div class="alert alert-warn reading-warnings".*?</div>', page, re.S)
    assert notice and "Windows-1258" in notice.group(0) and "Lưu ý khi đọc tệp gốc" in notice.group(0)
    assert page.index("reading-warnings") < page.index('class="doctext"')  # beside the text it speaks of

    assert "Lưu ý khi đọc tệp gốc" not in client.get("/documents/demo-001").text


def test_the_length_cut_is_said_on_the_page(data_dir, monkeypatch):
    # The 3,000,000-character cut, made small: the warning nlp.extract gives, stored as an upload stores it
    # (uploads are read in a child process, out of a monkeypatch's reach).
    monkeypatch.setattr("nlp.extract.MAX_TEXT_CHARS", 5000)
    extracted = extract_bytes(DECREE.encode(), "ke_hoach_dai.txt")
    with Store.open(data_dir) as store:
        doc = store.get("demo-001")
        extra = {**doc.extra, "extraction_warnings": list(extracted.warnings)}
        store.upsert(replace(doc, text=extracted.text, extra=extra), actor="kiem-thu")
    with make_client(data_dir) as client:
        login(client, "reader")
        page = client.get("/documents/demo-001").text
    notice = re.search(r'<div class="alert alert-warn reading-warnings".*?</div>', page, re.S)
    assert notice and "Văn bản quá dài: chỉ 5.000 ký tự đầu được đọc và tìm kiếm" in notice.group(0)


def test_a_query_that_marks_nothing_is_said_so(client) -> None:
    # QA: a q the search refuses (over 2,000 characters) left the page unmarked without a word
    login(client, "reader")
    page = client.get("/documents/demo-001", params={"q": "kế hoạch " * 300})
    assert page.status_code == 200 and "Không đánh dấu được từ khóa “kế hoạch kế hoạch" in page.text
    plain = client.get("/documents/demo-001")
    assert "Không đánh dấu được" not in plain.text


def test_the_results_to_go_back_to_survive_a_correction(client):
    # QA: after saving a correction the page's "Quay lại tìm kiếm" went to "/" (the redirect dropped "back")
    token = login(client, "uploader")
    back = "q=tiep+cong+dan&type=chi-thi&sort=date"
    page = client.get("/documents/demo-001", params={"q": "tiep cong dan", "back": back}).text
    assert 'name="back" value="q=tiep+cong+dan&amp;type=chi-thi&amp;sort=date"' in page
    form = {"csrf_token": token, "back": back, "signer": "Nguyễn Văn Bình",
            **{f: v for f, v in re.findall(r'<input id="c-[a-z]+" name="([a-z_]+)" value="([^"]*)"', page)}}
    form["signer"] = "Nguyễn Văn Bình"
    form["doc_type"], form["topic"] = submitted(page, "c-doc_type"), submitted(page, "c-topic")
    form["title"] = html.unescape(re.search(r'<textarea id="c-title" name="title"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    saved = client.post("/documents/demo-001/correct", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]
    location = saved.headers["location"]
    assert dict(parse_qsl(urlsplit(location).query))["back"] == back
    after = client.get(location).text
    link = html.unescape(re.search(r'<a href="([^"]*)" data-back>', after).group(1))
    assert dict(parse_qsl(urlsplit(link).query)) == {"q": "tiep cong dan", "type": "chi-thi", "sort": "date"}
    filed = client.get("/api/documents/demo-001", headers=auth("reader")).json()
    assert filed["signer"] == "Nguyễn Văn Bình" and filed["doc_type"] == "chi-thi"  # nothing else changed
