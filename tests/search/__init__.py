"""Search tests: a small corpus of Vietnamese administrative documents written for these tests.

The documents are invented but typical: summaries as portals print them, numbers reused across years,
abbreviations in one document and their expansions in another, words that fold to the same letters
(đường / dương / dưỡng), one long body that cites other documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.index import SearchIndex, index_path
from corpus.search import Searcher
from corpus.store import Store

BODY_CITING = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    "Căn cứ Quyết định số 1906/QĐ-UBND ngày 30/7/2021 của Ủy ban nhân dân tỉnh về việc công bố thủ tục "
    "hành chính;\n"
    "Thực hiện Chỉ thị số 01/CT-UBND ngày 06/01/2022 của Chủ tịch UBND tỉnh về tăng cường công tác bảo đảm "
    "an ninh trật tự;\n"
    "Xét đề nghị của Giám đốc Sở Giao thông vận tải, Ủy ban nhân dân tỉnh ban hành Kế hoạch nâng cấp tuyến "
    "đường ĐT 743 đoạn qua thị xã Thuận An như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "Bảo đảm an toàn giao thông, giảm ùn tắc vào giờ cao điểm; hoàn thành việc giải phóng mặt bằng trước "
    "quý IV năm 2022. Các sở, ngành phối hợp chặt chẽ với Ủy ban nhân dân thị xã Thuận An.\n"
    "II. NỘI DUNG\n"
    "Mở rộng mặt đường lên 4 làn xe, xây dựng hệ thống thoát nước dọc tuyến và lắp đặt đèn tín hiệu giao "
    "thông tại các nút giao <quan trọng> & nguy hiểm."
)

DOCS: tuple[Document, ...] = (
    Document(id="kh-2022", number="139/KH-UBND", doc_type="ke-hoach", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 7, 12),
             title="Kế hoạch phòng, chống dịch COVID-19 trong trường học năm học 2022-2023",
             status="Văn bản đang có hiệu lực"),
    Document(id="kh-2021", number="139/KH-UBND", doc_type="ke-hoach", topic="giao-duc",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2021, 5, 3),
             title="Kế hoạch tổ chức kỳ thi tuyển sinh lớp 10 trung học phổ thông",
             status="Văn bản hết hiệu lực"),
    Document(id="qd-1906", number="1906/QĐ-UBND", doc_type="quyet-dinh", topic="cai-cach-hanh-chinh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2021, 7, 30),
             title="Về việc công bố thủ tục hành chính mới ban hành thuộc thẩm quyền giải quyết của Sở Y tế",
             status="Văn bản đang có hiệu lực"),
    Document(id="ct-01", number="01/CT-UBND", doc_type="chi-thi", topic="an-ninh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 1, 6),
             title="Tăng cường công tác bảo đảm an ninh trật tự trước, trong và sau Tết Nguyên đán",
             status="Văn bản đang có hiệu lực"),
    Document(id="cv-3637", number="3637/UBND-VX", doc_type="cong-van", topic="lao-dong",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 7, 20),
             title="Triển khai một số nhiệm vụ thực hiện công tác BHYT học sinh, sinh viên",
             status="Văn bản đang có hiệu lực"),
    Document(id="duong-bo", number="2473/QĐ-UBND", doc_type="quyet-dinh", topic="xay-dung",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2014, 10, 6),
             title="Phê duyệt kế hoạch lập lại trật tự hành lang an toàn đường bộ, đường sắt",
             status="Văn bản đang có hiệu lực"),
    Document(id="duong-bien", number="88/TB-UBND", doc_type="thong-bao", topic="dat-dai",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2025, 3, 2),
             title="Thông báo kết quả khảo sát nước biển dương tính với vi khuẩn tại khu nuôi thủy sản",
             status="Đang hiệu lực"),
    Document(id="duong-cb", number="377/QĐ-UBND", doc_type="quyet-dinh", topic="noi-vu",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2025, 2, 5),
             title="Phê duyệt kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức giai đoạn 2025 - 2030",
             status="Đang hiệu lực"),
    Document(id="nq-hdnd", number="18/NQ-HĐND", doc_type="nghi-quyet", topic="noi-vu",
             issuer="Hội đồng nhân dân tỉnh Sơn La", issued_date=date(2026, 3, 31),
             title="Phê chuẩn kết quả bầu Phó Chủ tịch Hội đồng nhân dân xã Phiêng Khoài khóa XXII",
             status="Chưa có hiệu lực"),
    Document(id="bhyt-full", number="52/KH-UBND", doc_type="ke-hoach", topic="lao-dong",
             issuer="Ủy ban nhân dân tỉnh Sơn La", issued_date=date(2025, 6, 1),
             title="Kế hoạch phát triển người tham gia bảo hiểm y tế hộ gia đình",
             status="Đang hiệu lực"),
    Document(id="dt743", number="215/KH-UBND", doc_type="ke-hoach", topic="xay-dung",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 9, 15),
             title="Kế hoạch nâng cấp tuyến đường ĐT 743 đoạn qua thị xã Thuận An", text=BODY_CITING,
             status="Văn bản đang có hiệu lực"),
    Document(id="ruou-bia", number="3559/UBND-VX", doc_type="cong-van", topic="y-te",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 7, 15),
             title="Tăng cường chấp hành quy định về phòng, chống tác hại của rượu, bia",
             status="Văn bản đang có hiệu lực"),
    Document(id="ruou-bia-gt", number="3179/UBND-NC", doc_type="cong-van", topic="an-ninh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2022, 6, 28),
             title="Tăng cường thực hiện quy định về phòng, chống tác hại của rượu, bia trong hoạt động giao thông",
             status="Văn bản đang có hiệu lực"),
    Document(id="tthc-hcm", number="1290/QĐ-UBND", doc_type="quyet-dinh", topic="cai-cach-hanh-chinh",
             issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 4, 18),
             title="Phối hợp với TP.HCM giải quyết TTHC liên thông cho người lao động",
             status="Văn bản còn hiệu lực một phần"),
)  # fmt: skip


def build(tmp: Path, docs: tuple[Document, ...] = DOCS) -> Searcher:
    """A data directory under ``tmp`` with ``docs`` stored and indexed (the index follows the store)."""
    store = Store.open(tmp)
    index = SearchIndex.open(index_path(tmp))
    index.attach(store)
    store.upsert_many(docs, actor="test")
    return Searcher(index, store)


@contextmanager
def built(tmp: Path, docs: tuple[Document, ...] = DOCS) -> Iterator[Searcher]:
    """:func:`build` for one test: ``with built(tmp_path, docs) as searcher:``, its store closed after."""
    found = build(tmp, docs)
    try:
        yield found
    finally:
        found.store.close()


def module_searcher(
    tmp_path_factory: pytest.TempPathFactory, name: str, docs: tuple[Document, ...]
) -> Iterator[Searcher]:
    """Body of a module-scoped ``searcher`` fixture over ``docs``: ``yield from module_searcher(...)``."""
    found = build(Path(tmp_path_factory.mktemp(name)), docs)
    yield found
    found.store.close()
