"""Snippets start after the summary when it is the document's title (QA: "Đắk Lắk" showed "…2030 ỦY BAN NHÂN
DÂN TỈNH ĐẮK LẮK Căn cứ…": the title again, then the enacting body's name)."""

from __future__ import annotations

from corpus.highlight import content_start

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 139/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\nĐắk Lắk, ngày 12 tháng 7 năm 2022\n\nKẾ HOẠCH\n")  # fmt: skip
BODY = "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\nI. MỤC ĐÍCH, YÊU CẦU\n"


def test_the_summary_that_is_the_title_is_skipped_with_the_enacting_body_after_it() -> None:
    title = "Triển khai thực hiện Chương trình chuyển đổi số tỉnh Đắk Lắk năm 2022"
    text = HEADER + title + "\nỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\n\n" + BODY
    assert text[content_start(text, title):].startswith("Căn cứ Quyết định số 749/QĐ-TTg")
    assert text[content_start(text):].startswith(title)  # without the title: the summary stays


def test_a_summary_over_two_lines_is_skipped_and_another_first_line_is_kept() -> None:
    title = "Triển khai thực hiện Chương trình chuyển đổi số tỉnh Đắk Lắk năm 2022"
    wrapped = HEADER + "Triển khai thực hiện Chương trình chuyển đổi số\ntỉnh Đắk Lắk năm 2022\n" + BODY
    assert wrapped[content_start(wrapped, title):].startswith("Căn cứ")
    other = HEADER + "Về kế hoạch chuyển đổi số năm 2022\n" + BODY
    assert other[content_start(other, title):].startswith("Về kế hoạch chuyển đổi số")


def test_a_wrapped_subject_line_and_the_addressees_are_header_too() -> None:
    # QA: a công văn's "V/v" wrapped onto a second line, then the motto and "Kính gửi" list, opened its
    # snippets ("trên cá tra nuôi thâm canh CỘNG HÒA XÃ HỘI CHỦ NGHĨA… Kính gửi: - Sở …")
    text = ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\n--------\nSố: 1234/UBND-KT\nV/v tăng cường phòng, chống dịch bệnh\n"
            "trên cá tra nuôi thâm canh\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Đồng Tháp, ngày 3 tháng 4 năm 2025\n\nKính gửi:\n- Sở Nông nghiệp và Môi trường;\n"
            "- Ủy ban nhân dân các huyện, thành phố.\n\nThời gian gần đây, tại một số vùng nuôi cá tra đã xuất "
            "hiện bệnh gan thận mủ.\n- Các đơn vị báo cáo trước ngày 15/4/2025.")  # fmt: skip
    assert text[content_start(text):].startswith("Thời gian gần đây")
    # a summary wrapped before a number (QA: "V/v triển khai thực hiện Nghị định số / 32/2024/NĐ-CP về …")
    cited = ("ỦY BAN NHÂN DÂN       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI\nSố: 1848/UBND-KTTH\n"
             "V/v triển khai thực hiện Nghị định số\n32/2024/NĐ-CP về quản lý, phát triển cụm công nghiệp\n\n"
             "Kính gửi:\n- Sở Công Thương;\n- Sở Tài chính.\n\nThực hiện Nghị định số 32/2024/NĐ-CP ngày 15/3/2024.")
    assert cited[content_start(cited):].startswith("Thực hiện Nghị định")
    # a body that starts in lower case after an ordinary header line is still the body
    plain = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 5/TB-UBND\nthông báo lịch tiếp công dân tháng 6."
    assert plain[content_start(plain):].startswith("thông báo lịch")
