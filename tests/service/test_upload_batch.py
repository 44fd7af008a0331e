"""Several files at once from the upload page: one preview table, the chosen ones filed, each file's fate said."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.service.conftest import auth
from tests.service.test_pages import login

KE_HOACH = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
Số: 318/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Nghệ An, ngày 14 tháng 5 năm 2026

KẾ HOẠCH
Phòng, chống hạn hán, thiếu nước sinh hoạt mùa khô năm 2026

Thực hiện chỉ đạo của Chính phủ về phòng, chống thiên tai, Ủy ban nhân dân tỉnh ban hành Kế hoạch bảo đảm
nước sinh hoạt cho nhân dân các huyện miền Tây trong mùa khô như sau: rà soát công trình cấp nước tập trung,
nạo vét kênh mương, điều tiết hồ chứa thủy lợi, hỗ trợ bồn chứa nước cho hộ nghèo.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Hoàng Văn Minh
"""

CONG_VAN = """SỞ Y TẾ TỈNH CÀ MAU
Số: 1047/SYT-NVY
V/v tăng cường phòng, chống bệnh sốt xuất huyết
Cà Mau, ngày 3 tháng 6 năm 2026

Kính gửi: Trung tâm Y tế các huyện, thành phố.

Trước diễn biến tăng nhanh của bệnh sốt xuất huyết trên địa bàn tỉnh, Sở Y tế đề nghị các đơn vị tổ chức
phun hóa chất diệt muỗi tại các ổ dịch, giám sát ca bệnh, bảo đảm thuốc và dịch truyền cho điều trị.

GIÁM ĐỐC
Lê Thị Thu
"""

THONG_BAO = """ỦY BAN NHÂN DÂN
HUYỆN ĐẠI TỪ
Số: 77/TB-UBND
Đại Từ, ngày 20 tháng 6 năm 2026

THÔNG BÁO
Lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân huyện tháng 7 năm 2026

Chủ tịch Ủy ban nhân dân huyện tiếp công dân vào ngày 15 tháng 7 năm 2026 tại Trụ sở Tiếp công dân huyện.

CHỦ TỊCH
Đỗ Văn Hùng
"""


def _files(*named: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes]]]:
    return [("file", item) for item in named]


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="token" value="([0-9a-f]{32})"', html)


def _chosen(html: str) -> list[str]:
    return re.findall(r'name="token" value="([0-9a-f]{32})"[^>]* checked', html)


def _rows(page: str) -> list[str]:
    """The hidden per-file fields of the preview, as a browser sends them (entities decoded)."""
    return [html.unescape(v) for v in re.findall(r'name="row" value="([^"]*)"', page)]


def test_a_batch_is_read_in_one_table_and_the_chosen_files_are_filed(client, fixtures_dir: Path) -> None:
    csrf = login(client, "uploader")
    scan = fixtures_dir / "scan_no_text_layer_4p.pdf"
    plan = fixtures_dir / "lcsct_0153__ke_hoach_ubnd.docx"
    files = _files(("ke-hoach-han-han.txt", KE_HOACH.encode()), ("cv-sot-xuat-huyet.txt", CONG_VAN.encode("utf-16")),
                   ("thong-bao-tiep-dan.txt", THONG_BAO.encode()), (scan.name, scan.read_bytes()),
                   (plan.name, plan.read_bytes()))  # fmt: skip
    preview = client.post("/upload", data={"csrf_token": csrf}, files=files)
    assert preview.status_code == 200, preview.text[:500]
    page = preview.text
    assert "Kiểm tra 5 tệp trước khi lưu" in page
    for number in ("318/KH-UBND", "1047/SYT-NVY", "77/TB-UBND"):
        assert number in page
    # The scan is refused on its own row with what to do; the four others wait, chosen.
    assert "Tài liệu không có lớp văn bản (cần OCR)" in page and "1 tệp không đọc được" in page
    tokens = _tokens(page)
    assert len(tokens) == 4 and page.count(" checked") == 4

    done = client.post("/upload/batch/save", data={"csrf_token": csrf, "token": tokens})
    assert done.status_code == 200 and "Đã lưu 4/4 văn bản đã chọn" in done.text
    for query in ("318/KH-UBND", "1047 syt nvy", "tiep cong dan dai tu"):
        found = client.get("/api/search", params={"q": query}, headers=auth("reader")).json()
        assert found["total"] >= 1, query
    hit = client.get("/api/search", params={"q": "1047/SYT-NVY"}, headers=auth("reader")).json()["hits"][0]
    assert hit["doc_type"] == "cong-van"
    original = client.get(f"/api/documents/{hit['id']}/file", headers=auth("reader"))
    assert original.content == CONG_VAN.encode("utf-16")  # the upload kept as it came
    # Sending the form again (F5, a double click) files nothing twice and says what the first sending filed
    # (QA, 2026-11-30: it said "Đã lưu 0/4" with four red "Chưa lưu" rows).
    again = client.post("/upload/batch/save", data={"csrf_token": csrf, "token": tokens})
    assert "Đã lưu 4/4 văn bản" in again.text and "Chưa lưu" not in again.text
    assert "Biểu mẫu này đã được gửi trước đó: cả 4 văn bản" in again.text and again.text.count("Đã lưu trước đó:") == 4
    assert f'href="/documents/{hit["id"]}"' in again.text
    assert client.get("/api/search", params={"q": "318/KH-UBND"}, headers=auth("reader")).json()["total"] == 1


def test_a_duplicate_is_left_unchosen_and_said_not_filed(client) -> None:
    csrf = login(client, "uploader")
    first = client.post("/upload", data={"csrf_token": csrf},
                        files=_files(("a.txt", KE_HOACH.encode()), ("b.txt", THONG_BAO.encode())))  # fmt: skip
    client.post("/upload/batch/save", data={"csrf_token": csrf, "token": _tokens(first.text)})
    second = client.post("/upload", data={"csrf_token": csrf},
                         files=_files(("a-lan-2.txt", KE_HOACH.encode()), ("c.txt", CONG_VAN.encode())))  # fmt: skip
    assert "Kho đã có" in second.text and second.text.count(" checked") == 1
    done = client.post("/upload/batch/save", data={"csrf_token": csrf, "token": _tokens(second.text)})
    assert "Đã lưu 1/2 văn bản" in done.text
    assert "Chưa lưu" in done.text and "a-lan-2.txt" in done.text and "Vẫn lưu" in done.text
    found = client.get("/api/search", params={"q": "318/KH-UBND"}, headers=auth("reader")).json()
    assert found["total"] == 1


def test_too_many_files_or_none_chosen_or_no_csrf_are_refused_clearly(client, data_dir: Path) -> None:
    csrf = login(client, "uploader")
    many = _files(*((f"cong-van-{i}.txt", CONG_VAN.encode()) for i in range(21)))
    page = client.post("/upload", data={"csrf_token": csrf}, files=many)
    assert page.status_code == 422 and "tối đa 20 tệp" in page.text
    empty = client.post("/upload/batch/save", data={"csrf_token": csrf})
    assert empty.status_code == 422 and "Chưa chọn văn bản nào" in empty.text
    forged = client.post("/upload", data={}, files=_files(("a.txt", KE_HOACH.encode()), ("b.txt", THONG_BAO.encode())))
    assert forged.status_code == 403
    assert not list((data_dir / "pending").glob("*.bin"))  # nothing was read or kept for a forged form


NO_NUMBER = ("ỦY BAN NHÂN DÂN\nXÃ TÂN TIẾN\nTHÔNG BÁO\nLịch trực Tết Nguyên đán Bính Ngọ năm 2026\n"
             "Ủy ban nhân dân xã thông báo lịch trực lãnh đạo trong dịp Tết như sau:\n- Ngày 16/02: Đồng chí Danh Út.\n")  # fmt: skip


def test_repeats_within_a_batch_and_files_already_stored_are_left_unchosen(client) -> None:
    """QA: two copies of one file, and a number-less file stored before, were chosen; saving refused them."""
    csrf = login(client, "uploader")
    first = client.post("/upload", data={"csrf_token": csrf},
                        files=_files(("lich-truc.txt", NO_NUMBER.encode()), ("b.txt", THONG_BAO.encode())))  # fmt: skip
    client.post("/upload/batch/save", data={"csrf_token": csrf, "token": _tokens(first.text)})
    again = client.post("/upload", data={"csrf_token": csrf}, files=_files(
        ("lich-truc-ban-sao.txt", NO_NUMBER.encode()), ("c.txt", CONG_VAN.encode()), ("c-lan-2.txt", CONG_VAN.encode())))
    page = again.text
    assert "Tệp này đã được lưu thành" in page and "Trùng với tệp c.txt trong cùng lượt tải lên" in page
    assert len(_chosen(page)) == 1  # c.txt only
    done = client.post("/upload/batch/save",
                       data={"csrf_token": csrf, "token": _chosen(page), "row": _rows(page)})  # fmt: skip
    assert "Đã lưu 1/1 văn bản đã chọn" in done.text
    assert done.text.count("Không chọn lưu") == 2 and "lich-truc-ban-sao.txt" in done.text and "c-lan-2.txt" in done.text


def test_the_result_names_every_file_and_another_uploader_cannot_file_the_batch(data_dir, fixtures_dir) -> None:
    from tests.service.conftest import make_client

    scan = fixtures_dir / "scan_no_text_layer_4p.pdf"
    with make_client(data_dir) as chi, make_client(data_dir) as dung:
        csrf = login(chi, "uploader")
        page = chi.post("/upload", data={"csrf_token": csrf},
                        files=_files(("kh.txt", KE_HOACH.encode()), (scan.name, scan.read_bytes()))).text  # fmt: skip
        other = login(dung, "admin")  # someone else, signed in on another browser
        stolen = dung.post("/upload/batch/save", data={"csrf_token": other, "token": _tokens(page)})
        assert "Đã lưu 0/1" in stolen.text and "hết hạn" in stolen.text
        done = chi.post("/upload/batch/save", data={"csrf_token": csrf, "token": _tokens(page), "row": _rows(page)})
        assert "Đã lưu 1/1 văn bản đã chọn" in done.text
        assert re.search(rf"{re.escape(scan.name)}</td><td>Không đọc được — tài liệu không có lớp văn bản", done.text)


def test_two_sendings_racing_each_other_show_the_file_filed_once(client, monkeypatch) -> None:
    """Review (2026-11-30): two sendings of one batch form at once both pass the saved-token check; the slower
    was refused as a duplicate of what the faster filed, and its page invited "Vẫn lưu" (a second copy)."""
    from service.pending import PendingUploads

    csrf = login(client, "uploader")
    preview = client.post("/upload", data={"csrf_token": csrf},
                          files=_files(("a.txt", KE_HOACH.encode()), ("b.txt", THONG_BAO.encode())))  # fmt: skip
    tokens = _tokens(preview.text)
    # The race: the faster sending has filed both but not yet marked its tokens when the slower one checks.
    monkeypatch.setattr(PendingUploads, "mark_saved", lambda self, token, doc_id: None)
    first = client.post("/upload/batch/save", data={"csrf_token": csrf, "token": tokens})
    assert "Đã lưu 2/2" in first.text
    monkeypatch.undo()
    second = client.post("/upload/batch/save", data={"csrf_token": csrf, "token": tokens})
    assert "Đã lưu 2/2" in second.text and "Chưa lưu" not in second.text and "Vẫn lưu" not in second.text
    assert second.text.count("Đã lưu trước đó:") == 2
    assert client.get("/api/search", params={"q": "318/KH-UBND"}, headers=auth("reader")).json()["total"] == 1
