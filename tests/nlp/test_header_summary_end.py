"""Where the summary (trích yếu) of a full text ends when the body follows it without a blank line.

The texts are written for these tests, in the layout of plain-text and PDF extractions: the summary under the
type line (or after "V/v"), the body right under it, then the "Nơi nhận" list and the signature block.
"""

from __future__ import annotations

import pytest

from nlp.header import parse_header

_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
_PROVINCE_TOP = "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\n" + _MOTTO
_RECIPIENTS_AND_SIGNER = """Nơi nhận:
- Sở Xây dựng;
- Công an tỉnh;
- UBND các huyện, thành phố;
- Lưu: VT, NC.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Thành
"""
_RECIPIENTS = ("Sở Xây dựng", "Công an tỉnh", "UBND các huyện, thành phố", "Lưu: VT, NC")


def _plan(summary: str, body: str, type_line: str = "KẾ HOẠCH") -> str:
    return (
        _PROVINCE_TOP
        + "Số: 215/KH-UBND\nBến Đò, ngày 18 tháng 7 năm 2025\n"
        + f"{type_line}\n{summary}\n{body}\n"
        + "1. Các sở, ban, ngành theo chức năng, nhiệm vụ được giao chủ động triển khai thực hiện.\n"
        + _RECIPIENTS_AND_SIGNER
    )


FIRE_SUMMARY = "Về việc tăng cường công tác phòng cháy, chữa cháy trong mùa khô"

# Body paragraphs whose first line is wrapped (no full stop), so that only the opening words tell it from
# the rest of a summary.
BODY_OPENINGS = [
    "Hiện nay, tình hình cháy, nổ tại các khu dân cư, chợ và cơ sở sản xuất trên địa bàn tỉnh\n"
    "diễn biến phức tạp, gây thiệt hại lớn về người và tài sản.",
    "Trong những năm qua, công tác phòng cháy, chữa cháy được các cấp, các ngành quan tâm chỉ đạo,\n"
    "số vụ cháy và thiệt hại do cháy gây ra từng bước được kiềm chế.",
    "Ngày 15/7/2025, Bộ Công an ban hành Công điện số 12/CĐ-BCA về việc chủ động phòng ngừa cháy, nổ\n"
    "trong thời tiết nắng nóng kéo dài.",
    "Ngày 15 tháng 7 năm 2025, tại thôn Nậm Pồ, xã Bản Lầu đã xảy ra vụ cháy nhà dân làm một người\n"
    "bị thương và thiệt hại khoảng 500 triệu đồng.",
    "Sáng nay, tại trụ sở Ủy ban nhân dân tỉnh, đồng chí Phó Chủ tịch Ủy ban nhân dân tỉnh đã chủ trì\n"
    "cuộc họp về công tác phòng cháy, chữa cháy.",
    "Sáng ngày 16/7/2025, tại kho hàng của Công ty TNHH Thương mại Hoàng Long đã xảy ra cháy lớn, lực\n"
    "lượng chức năng phải mất nhiều giờ mới khống chế được đám cháy.",
    "Chiều ngày 14/7/2025, tại chợ trung tâm huyện xảy ra vụ cháy làm thiêu rụi 20 ki-ốt kinh doanh\n"
    "của các hộ tiểu thương.",
    "Thời gian qua, nhiều vụ cháy xảy ra tại nhà ở kết hợp sản xuất, kinh doanh gây thiệt hại nghiêm\n"
    "trọng về người và tài sản.",
    "Trong thời gian qua, công tác kiểm tra an toàn phòng cháy, chữa cháy tại các cơ sở có nguy cơ cao\n"
    "chưa được thực hiện thường xuyên.",
    "Những năm qua, lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an tỉnh đã phối\n"
    "hợp chặt chẽ với chính quyền địa phương.",
    "Vừa qua, trên địa bàn tỉnh liên tiếp xảy ra 03 vụ cháy rừng tại các xã vùng cao, thiêu rụi\n"
    "khoảng 12 ha rừng trồng.",
    "Thực hiện Chỉ thị số 01/CT-TTg ngày 03/01/2025 của Thủ tướng Chính phủ về tăng cường công tác\n"
    "phòng cháy, chữa cháy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
    "Căn cứ Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ ngày 29 tháng 11 năm 2024;",
    "Theo báo cáo của Công an tỉnh, trong 6 tháng đầu năm 2025 trên địa bàn tỉnh xảy ra 25 vụ cháy,\n"
    "làm chết 02 người, bị thương 05 người.",
    "Nhằm nâng cao hiệu quả công tác phòng cháy, chữa cháy, kịp thời ngăn chặn, hạn chế thấp nhất thiệt\n"
    "hại do cháy, nổ gây ra.",
    "Qua kiểm tra thực tế tại các cơ sở kinh doanh xăng dầu, khí đốt, đoàn kiểm tra liên ngành phát hiện\n"
    "nhiều tồn tại, hạn chế.",
    "Tiếp tục thực hiện Chỉ thị số 05/CT-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh, để chủ động ứng\n"
    "phó với tình hình cháy, nổ trong mùa khô.",
    "Để chủ động phòng ngừa, kịp thời phát hiện và xử lý các vụ cháy, nổ ngay từ khi mới phát sinh, Ủy ban\n"
    "nhân dân tỉnh yêu cầu:",
]


@pytest.mark.parametrize("body", BODY_OPENINGS, ids=[b.split(",")[0][:24] for b in BODY_OPENINGS])
def test_the_summary_ends_where_the_body_opens(body: str) -> None:
    header = parse_header(_plan(FIRE_SUMMARY, body))
    assert header.title == FIRE_SUMMARY
    assert header.recipients == _RECIPIENTS
    assert header.signer == "Lê Văn Thành"
    assert header.number == "215/KH-UBND"


MULTI_LINE_SUMMARIES = [
    (
        "Về việc tăng cường công tác phòng cháy, chữa cháy\nvà cứu nạn, cứu hộ trên địa bàn tỉnh",
        "Về việc tăng cường công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ trên địa bàn tỉnh",
    ),
    (
        "Triển khai thực hiện Nghị quyết số 12/NQ-HĐND ngày 10/7/2025 của Hội đồng\n"
        "nhân dân tỉnh về phát triển kinh tế - xã hội vùng đồng bào\ndân tộc thiểu số giai đoạn 2026 - 2030",
        "Triển khai thực hiện Nghị quyết số 12/NQ-HĐND ngày 10/7/2025 của Hội đồng nhân dân tỉnh về phát "
        "triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số giai đoạn 2026 - 2030",
    ),
    # a capitalised name goes on: "Ngày" without a date is the name of a day
    (
        "Tổ chức các hoạt động kỷ niệm 78 năm\nNgày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2025)",
        "Tổ chức các hoạt động kỷ niệm 78 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2025)",
    ),
    # "theo" in lower case continues, "Theo" opens the body
    (
        "Về việc phân bổ kinh phí hỗ trợ phát triển sản xuất nông nghiệp\ntheo Nghị quyết số 05/2025/NQ-HĐND",
        "Về việc phân bổ kinh phí hỗ trợ phát triển sản xuất nông nghiệp theo Nghị quyết số 05/2025/NQ-HĐND",
    ),
    (
        "THỰC HIỆN CHUYỂN ĐỔI SỐ, PHÁT TRIỂN CHÍNH QUYỀN SỐ\nTRÊN ĐỊA BÀN TỈNH SÔNG MÂY NĂM 2026",
        "THỰC HIỆN CHUYỂN ĐỔI SỐ, PHÁT TRIỂN CHÍNH QUYỀN SỐ TRÊN ĐỊA BÀN TỈNH SÔNG MÂY NĂM 2026",
    ),
]
MULTI_LINE_BODIES = [
    "Hiện nay, tình hình triển khai các nhiệm vụ còn chậm so với yêu cầu đề ra.",
    "Ngày 20/7/2025, Ủy ban nhân dân tỉnh đã tổ chức hội nghị đánh giá kết quả 6 tháng đầu năm.",
    "Theo báo cáo của các sở, ngành, đến nay nhiều nhiệm vụ chưa hoàn thành đúng tiến độ.",
    "Vừa qua, Ủy ban nhân dân tỉnh nhận được phản ánh của các địa phương.",
]


@pytest.mark.parametrize(
    "summary,title", MULTI_LINE_SUMMARIES, ids=["two", "three", "named-day", "theo", "capitals"]
)
@pytest.mark.parametrize("body", MULTI_LINE_BODIES, ids=["hien-nay", "ngay", "theo", "vua-qua"])
def test_a_summary_printed_over_several_lines_is_read_whole(summary: str, title: str, body: str) -> None:
    header = parse_header(_plan(summary, body))
    assert header.title == title
    assert header.recipients == _RECIPIENTS


def test_a_summary_may_open_with_words_that_also_open_a_body() -> None:
    summary = "Tiếp tục thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới"
    header = parse_header(
        _plan(summary, "Qua 5 năm triển khai, diện mạo nông thôn của tỉnh đã có nhiều đổi mới.")
    )
    assert header.title == summary


def test_a_long_sentence_after_a_complete_summary_is_body() -> None:
    """A Word document prints the summary as one paragraph and the body as the next one."""
    body = (
        "Ủy ban nhân dân tỉnh nhận được Văn bản số 1520/BXD-HĐXD ngày 02/7/2025 của Bộ Xây dựng về việc "
        "tăng cường quản lý chất lượng công trình xây dựng trong mùa mưa bão."
    )
    header = parse_header(_plan("Về việc tăng cường quản lý chất lượng công trình xây dựng", body))
    assert header.title == "Về việc tăng cường quản lý chất lượng công trình xây dựng"
    assert header.recipients == _RECIPIENTS


def test_the_summary_stops_at_the_recipients_list() -> None:
    text = (
        _PROVINCE_TOP
        + "Số: 88/TB-UBND\nBến Đò, ngày 22 tháng 7 năm 2025\nTHÔNG BÁO\n"
        + "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc\nvới Sở Xây dựng\n"
        + _RECIPIENTS_AND_SIGNER
    )
    header = parse_header(text)
    assert header.title == "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Sở Xây dựng"
    assert header.recipients == _RECIPIENTS
    assert header.signer == "Lê Văn Thành"


@pytest.mark.parametrize("authority", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "CHỦ TỊCH", "GIÁM ĐỐC"])
def test_a_summary_in_capitals_stops_at_the_signature_block(authority: str) -> None:
    """The signature column may come before "Nơi nhận" in the extracted text, right under the summary."""
    text = (
        "SỞ CÔNG THƯƠNG\nTỈNH SÔNG MÂY\n"
        + _MOTTO
        + "Số: 09/QC-SCT\nBến Đò, ngày 25 tháng 7 năm 2025\nQUY CHẾ\n"
        + "PHỐI HỢP QUẢN LÝ VẬT LIỆU NỔ CÔNG NGHIỆP\nTRÊN ĐỊA BÀN TỈNH\n"
        + f"{authority}\nNguyễn Thị Hồng Nhung\nNơi nhận:\n- Công an tỉnh;\n- Lưu: VT.\n"
    )
    header = parse_header(text)
    assert header.title == "PHỐI HỢP QUẢN LÝ VẬT LIỆU NỔ CÔNG NGHIỆP TRÊN ĐỊA BÀN TỈNH"
    assert header.recipients == ("Công an tỉnh", "Lưu: VT")


@pytest.mark.parametrize(
    "body",
    [
        "Hiện nay, nhiều cơ sở kinh doanh khí dầu mỏ hóa lỏng chưa bảo đảm điều kiện an toàn.",
        "Qua kiểm tra, nhiều cơ sở kinh doanh khí dầu mỏ hóa lỏng chưa bảo đảm điều kiện an toàn.",
        "Ngày 10/7/2025, đoàn kiểm tra liên ngành đã kiểm tra 15 cơ sở kinh doanh khí dầu mỏ hóa lỏng.",
    ],
)
def test_a_cong_van_summary_stops_at_the_body_without_an_address_line(body: str) -> None:
    text = (
        "UBND TỈNH SÔNG MÂY\nSỞ CÔNG THƯƠNG\n"
        + _MOTTO
        + "Số: 1045/SCT-QLTM\nBến Đò, ngày 28 tháng 7 năm 2025\n"
        + "V/v tăng cường kiểm tra an toàn trong kinh doanh\nkhí dầu mỏ hóa lỏng\n"
        + body
        + "\n"
        + _RECIPIENTS_AND_SIGNER
    )
    header = parse_header(text)
    assert header.doc_type == "cong-van"
    assert header.title == "tăng cường kiểm tra an toàn trong kinh doanh khí dầu mỏ hóa lỏng"
    assert header.recipients == _RECIPIENTS


def test_a_dated_sentence_under_the_type_line_is_not_a_summary() -> None:
    header = parse_header(
        _plan(
            "Ngày 21/7/2025, Ủy ban nhân dân tỉnh tổ chức hội nghị trực tuyến về phòng cháy, chữa cháy.",
            "Chủ trì hội nghị: đồng chí Phó Chủ tịch Ủy ban nhân dân tỉnh.",
            type_line="THÔNG BÁO",
        )
    )
    assert header.title is None
    assert header.recipients == _RECIPIENTS
