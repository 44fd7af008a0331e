"""Similar documents follow the subject, not the province: the more-like-this query reads what a document
says, without its header, issuer and place names, "Nơi nhận" list and signature."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from corpus.document import Document
from corpus.related import find_related
from corpus.search import Searcher
from tests.search import DOCS, built, module_searcher

LAND_PRICE_TEXT = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 15/2024/QĐ-UBND\nQuảng Trị, ngày 12 tháng 4 năm 2024\nQUYẾT ĐỊNH\n"
    "Ban hành hệ số điều chỉnh giá đất năm 2024 trên địa bàn tỉnh Quảng Trị\n"
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n"
    "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;\n"
    "Theo đề nghị của Giám đốc Sở Tài nguyên và Môi trường tại Tờ trình số 88/TTr-STNMT.\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành hệ số điều chỉnh giá đất để xác định giá đất cụ thể tính tiền sử dụng đất, tiền thuê "
    "đất khi Nhà nước giao đất, cho thuê đất tại thành phố Đông Hà và các huyện.\n"
    "Điều 2. Hệ số điều chỉnh giá đất áp dụng theo bảng giá đất của từng vị trí, tuyến đường.\n"
    "Nơi nhận:\n- Như Điều 2;\n- TT Tỉnh ủy, TT HĐND tỉnh;\n- Lưu: VT, KT.\n"
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHà Sỹ Đồng\n"
)
QUANG_TRI = "Ủy ban nhân dân tỉnh Quảng Trị"
LAND = ("bd-he-so", "bd-bang-gia", "sl-gia-dat")
# Other subjects that share only the province, the issuer, the signer or the recipients with the decision.
SAME_PROVINCE = ("qt-chuyen-doi-so", "qt-bang-khen", "qt-tinh-uy")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    docs = (
        Document(id="qt-gia-dat", number="15/2024/QĐ-UBND", doc_type="quyet-dinh", issuer=QUANG_TRI,
                 place="Quảng Trị", issued_date=date(2024, 4, 12), signer="Hà Sỹ Đồng",
                 title="Ban hành hệ số điều chỉnh giá đất năm 2024 trên địa bàn tỉnh Quảng Trị",
                 text=LAND_PRICE_TEXT),
        Document(id="bd-he-so", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Bình Dương",
                 title="áp dụng hệ số điều chỉnh giá đất năm 2023 trên địa bàn tỉnh Bình Dương"),
        Document(id="bd-bang-gia", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Bình Dương",
                 title="sửa đổi bảng giá đất và hệ số điều chỉnh giá đất giai đoạn 2020 - 2024"),
        Document(id="sl-gia-dat", doc_type="quyet-dinh", issuer="Ủy ban nhân dân tỉnh Sơn La",
                 title="Về việc phê duyệt giá đất cụ thể để tính tiền thuê đất dự án thủy điện Suối Sập"),
        Document(id="qt-chuyen-doi-so", doc_type="ke-hoach", issuer=QUANG_TRI, place="Quảng Trị",
                 title="Chuyển đổi số tỉnh Quảng Trị năm 2024, Ủy ban nhân dân tỉnh Quảng Trị"),
        Document(id="qt-bang-khen", doc_type="quyet-dinh", issuer=QUANG_TRI, place="Quảng Trị",
                 title="Tặng Bằng khen cho ông Hà Sỹ Đồng, Phó Chủ tịch UBND tỉnh Quảng Trị"),
        Document(id="qt-tinh-uy", doc_type="thong-bao", issuer=QUANG_TRI, place="Quảng Trị",
                 title="Lưu trữ hồ sơ của Tỉnh ủy, HĐND tỉnh Quảng Trị tại Trung tâm Lưu trữ lịch sử"),
    )  # fmt: skip
    yield from module_searcher(tmp_path_factory, "related-similar", DOCS + docs)


def test_similar_documents_share_the_subject_not_the_province(searcher: Searcher) -> None:
    similar = [d.id for d in find_related(searcher.store, searcher.index, "qt-gia-dat").similar]
    assert set(similar[:3]) == set(LAND)
    assert not set(similar) & set(SAME_PROVINCE)


def test_a_title_only_document_still_finds_its_subject(searcher: Searcher) -> None:
    similar = [d.id for d in find_related(searcher.store, searcher.index, "bd-he-so").similar]
    assert similar[:2] == ["qt-gia-dat", "bd-bang-gia"] or similar[:2] == ["bd-bang-gia", "qt-gia-dat"]


def test_a_document_sharing_one_common_word_is_not_similar(tmp_path) -> None:
    # QA: a letter on fish disease in catfish farms listed dog keeping and wild animals, sharing "nuôi", and
    # documents sharing next to nothing filled the rest of the list
    docs = (
        *DOCS,
        Document(id="ca-tra", doc_type="cong-van", title="Tăng cường phòng, chống dịch bệnh trên cá tra nuôi thâm canh",
                 text="Tại các vùng nuôi cá tra thâm canh đã xuất hiện bệnh gan thận mủ và xuất huyết trên cá giống. "
                      "Các hộ nuôi cá tra phải thả giống sạch bệnh, xử lý nước ao nuôi và báo cáo dịch bệnh."),
        Document(id="ca-tra-2", doc_type="cong-van", title="Phòng bệnh gan thận mủ trên cá tra giống",
                 text="Bệnh gan thận mủ trên cá tra giống lây lan nhanh; hộ nuôi cá tra cần xử lý nước ao nuôi."),
        Document(id="cho-nuoi", doc_type="cong-van", title="Tăng cường quản lý chó nuôi trên địa bàn tỉnh",
                 text="Chủ nuôi chó phải đăng ký, tiêm phòng bệnh dại và không thả rông chó nuôi nơi công cộng."),
        Document(id="con-nuoi", doc_type="ke-hoach", title="Thực hiện công tác giải quyết việc nuôi con nuôi",
                 text="Việc nuôi con nuôi có yếu tố nước ngoài được giải quyết theo Luật Nuôi con nuôi."),
    )  # fmt: skip
    with built(tmp_path, docs) as found:
        similar = [d.id for d in find_related(found.store, found.index, "ca-tra").similar]
        assert similar[:1] == ["ca-tra-2"] and "con-nuoi" not in similar
        # documents sharing next to nothing (a word of the health-insurance plan, of a land decision) no longer
        # fill the list: they score a sliver of what the letter scores against itself
        assert "bhyt-full" not in similar and "dt743" not in similar
