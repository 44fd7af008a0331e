"""Every original file in shared/data/fixtures, read end to end: extraction, then the header.

The expected values are what a clerk reads on each document. The real full texts of
admin/laocai_fulltext.jsonl are read by path to check the header reader against the collector's hints.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nlp.extract import NoTextLayer, extract_file
from nlp.header import parse_header

pytestmark = pytest.mark.shared

UB_LAO_CAI = "Ủy ban nhân dân tỉnh Lào Cai"

EXPECTED: dict[str, dict[str, Any]] = {
    "chi-thi-so-21-ct-ttg-469580.pdf": {
        "number": "21/CT-TTg",
        "symbol": "CT-TTg",
        "doc_type": "chi-thi",
        "issuer": "Thủ tướng Chính phủ",
        "place": "Hà Nội",
        "issued_date": date(2026, 5, 20),
        "title": "Về việc sắp xếp thôn, tổ dân phố và bố trí, sử dụng, chế độ, chính sách đối với người "
        "hoạt động không chuyên trách ở cấp xã, ở thôn, tổ dân phố",
        "signer": "Phạm Thị Thanh Trà",
    },
    "cong_van_cuc_pccc_signed_textlayer.pdf": {
        "number": None,
        "symbol": "PCCC&CNCH-P6",
        "doc_type": "cong-van",
        "issuer": "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "parent": "Bộ Công an",
        "place": "Hà Nội",
        "issued_date": None,
        "title": "đề nghị góp ý dự thảo TCVN",
        "signer": "Nguyễn Thanh Điệp",
        "recipients": ("Như trên", "Đ/c Cục trưởng (để b/c)", "Lưu: VT, P6"),
    },
    # the Word 97-2003 draft of the same công văn: number and date left blank for filing
    "cong_van_cuc_pccc_draft.doc": {
        "number": None,
        "symbol": "PCCC&CNCH-P6",
        "doc_type": "cong-van",
        "issuer": "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "parent": "Bộ Công an",
        "place": "Hà Nội",
        "issued_date": None,
        "title": "thu thập, tổng hợp, đánh giá tình hình thực hiện QCVN 03:2023/BCA",
        "signer": "Nguyễn Thanh Điệp",
        "recipients": ("Như trên", "Đ/c Cục trưởng (để báo cáo)", "Lưu: VT, P6"),
    },
    "lcsct_0040__quyet_dinh_ubnd_uy_quyen.docx": {
        "number": None,
        "symbol": "QĐ-UBND",
        "doc_type": "quyet-dinh",
        "issuer": UB_LAO_CAI,
        "parent": None,
        "place": "Lào Cai",
        "issued_date": None,
        "title": "Về việc Ủy quyền cho Giám đốc Sở Công Thương thực hiện một số nhiệm vụ, quyền hạn của Ủy ban "
        "nhân dân tỉnh trong lĩnh vực vật liệu nổ công nghiệp trên địa bàn tỉnh Lào Cai",
        "signer": "Nguyễn Thành Sinh",
    },
    "lcsct_0143__bao_cao_ubnd.docx": {
        "symbol": "BC-UBND",
        "doc_type": "bao-cao",
        "issuer": UB_LAO_CAI,
        "place": "Lào Cai",
        "issued_date": None,
        "title": "Công tác quản lý nhà nước về địa chất, khoáng sản năm 2025 trên địa bàn tỉnh Lào Cai",
        "signer": "Nguyễn Thành Sinh",
    },
    "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt": {
        "number": "5973/UBND-KT",
        "symbol": "UBND-KT",
        "doc_type": "cong-van",
        "issuer": UB_LAO_CAI,
        "place": "Lào Cai",
        "issued_date": date(2026, 6, 11),
        "title": "tăng cường công tác quản lý, thanh tra, kiểm tra hoạt động khoáng sản trên địa bàn tỉnh Lào Cai",
        "signer": "Nguyễn Thành Sinh",
    },
    "lcsct_0151__cong_van_ubnd.docx": {
        "number": None,
        "symbol": "UBND-KT",
        "doc_type": "cong-van",
        "issuer": UB_LAO_CAI,
        "title": "tăng cường công tác quản lý bảo vệ khoáng sản chưa khai thác trên địa bàn",
        "signer": "Nguyễn Thành Sinh",
    },
    "lcsct_0153__ke_hoach_ubnd.docx": {
        "symbol": "KH-UBND",
        "doc_type": "ke-hoach",
        "issuer": UB_LAO_CAI,
        "title": "Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy về tăng "
        "cường sự lãnh đạo của Đảng đối với công tác quản lý nhà nước về khoáng sản trên địa bàn tỉnh Lào Cai",
        "signer": "Nguyễn Thành Sinh",
    },
    "lcsct_0242__cong_van_ubnd_tinh.docx": {
        "number": None,
        "symbol": "UBND-KT",
        "doc_type": "cong-van",
        "issuer": UB_LAO_CAI,
        "place": "Lào Cai",
        "title": "triển khai di dời cụm công nghiệp Đầm Hồng và chủ trương đầu tư hạ tầng các cụm công nghiệp "
        "Phú Thịnh 5, Phú Thịnh 6",
        "signer": "Ngô Hạnh Phúc",
        "recipients": (
            "Như trên",
            "Chủ tịch UBND tỉnh (báo cáo)",
            "Chánh VP, Phó CVP (Bích)",
            "Lưu: VT, KT (T.Q.Hùng)",
        ),
    },
    "lcsct_0244__giay_moi_ubnd.docx": {
        "symbol": "GM-UBND",
        "doc_type": "giay-moi",
        "issuer": UB_LAO_CAI,
        "title": "Về tình hình triển khai các cụm công nghiệp trên địa bàn tỉnh",
        "signer": "Hoàng Ngọc Bích",
    },
    "lcsct_0246__thong_bao_ket_luan_ubnd.docx": {
        "symbol": "TB-VP",
        "doc_type": "thong-bao",
        "issuer": "Văn phòng Ủy ban nhân dân tỉnh Lào Cai",
        "parent": UB_LAO_CAI,
        "title": "Kết luận của đồng chí Nguyễn Tuấn Anh - Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh tại "
        "cuộc họp về tình hình triển khai các cụm công nghiệp trên địa bàn tỉnh",
        "signer": "Lê Trí Hà",
    },
    "quyet-dinh-so-169-qd-bldtbxh-44203.pdf": {
        "number": "169/QĐ-BLĐTBXH",
        "symbol": "QĐ-BLĐTBXH",
        "doc_type": "quyet-dinh",
        "issuer": "Bộ Lao động - Thương binh và Xã hội",
        "parent": None,
        "place": "Hà Nội",
        "issued_date": date(2025, 1, 24),
        "title": "Về việc công bố Danh mục văn bản quy phạm pháp luật hết hiệu lực toàn bộ hoặc một phần thuộc "
        "lĩnh vực quản lý nhà nước của Bộ Lao động - Thương binh và Xã hội",
        "signer": "Đào Ngọc Dung",
    },
    "thong_tu_btc_textlayer.pdf": {
        "number": "02/2021/TT-BTC",
        "symbol": "TT-BTC",
        "doc_type": "thong-tu",
        "issuer": "Bộ Tài chính",
        "place": "Hà Nội",
        "issued_date": date(2021, 1, 8),
        "title": "QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP, QUẢN LÝ VÀ SỬ DỤNG PHÍ KIỂM ĐỊNH PHƯƠNG TIỆN PHÒNG CHÁY "
        "VÀ CHỮA CHÁY",
        "signer": "Vũ Thị Mai",
    },
}
NO_TEXT_LAYER = (
    "lcsct_0019__cong_van_pdf_scan_no_text.pdf",
    "scan_no_text_layer_4p.pdf",
    # a gazette scan whose only text is the gazette's running header on each page
    "thong-bao-so-02-2023-tb-lpqt-39022.pdf",
)


def test_every_fixture_is_covered(fixtures_dir: Path) -> None:
    present = {p.name for p in fixtures_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert present == set(EXPECTED) | set(NO_TEXT_LAYER)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_header(fixtures_dir: Path, name: str) -> None:
    extracted = extract_file(fixtures_dir / name)
    assert extracted.format == Path(name).suffix.lstrip(".")
    assert extracted.warnings == ()
    header = parse_header(extracted.text)
    for field, expected in EXPECTED[name].items():
        assert getattr(header, field) == expected, field


@pytest.mark.parametrize("name", NO_TEXT_LAYER)
def test_scanned_pdfs_need_ocr(fixtures_dir: Path, name: str) -> None:
    with pytest.raises(NoTextLayer) as info:
        extract_file(fixtures_dir / name)
    assert "không có lớp văn bản (cần OCR)" in info.value.message


def test_txt_layout_columns_become_lines(fixtures_dir: Path) -> None:
    lines = extract_file(fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt").text.splitlines()
    assert lines[:4] == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH LÀO CAI",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def _run_cli(argv: list[str]) -> int:
    from service.commands import extract as command
    from service.errors import CliError

    parser = argparse.ArgumentParser(prog="vanban")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CliError as exc:
        print(f"vanban {args.command}: {exc}")
        return exc.exit_code


def test_cli_extract(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_cli(["extract", "--json", str(fixtures_dir / "lcsct_0244__giay_moi_ubnd.docx")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["doc_type"] == "giay-moi" and data["format"] == "docx" and data["encoding"] is None
    assert data["issued_date"] is None and data["text"].startswith("ỦY BAN NHÂN DÂN")
    assert _run_cli(["extract", str(fixtures_dir / "lcsct_0146__cong_van_ubnd_tinh_txt_layout.txt")]) == 0
    out = capsys.readouterr().out
    assert "5973/UBND-KT" in out and "2026-06-11" in out and "utf-8" in out
    assert _run_cli(["extract", str(fixtures_dir / "scan_no_text_layer_4p.pdf")]) == 1
    assert "cần OCR" in capsys.readouterr().out
    assert _run_cli(["extract", str(fixtures_dir / "khong-co-tep-nay.pdf")]) == 1
    assert "không tìm thấy tệp" in capsys.readouterr().out


@pytest.mark.slow
def test_laocai_full_texts_against_the_collectors_hints(shared_data: Path) -> None:
    rows = [
        json.loads(line) for line in (shared_data / "admin" / "laocai_fulltext.jsonl").open(encoding="utf-8")
    ]
    rows = [r for r in rows if r["text_quality"] == "ok"]
    numbers = [(r["number_hint"], parse_header(r["text"])) for r in rows if r["number_hint"]]
    filled = [(hint, h) for hint, h in numbers if "[trống]" not in hint]
    agree = sum(h.number == hint for hint, h in filled)
    assert agree >= 0.95 * len(filled), f"{agree}/{len(filled)} numbers agree with the hints"
    # drafts: the numeric part is blank, the symbol is still read
    drafts = [(hint, h) for hint, h in numbers if "[trống]" in hint]
    assert all(h.number is None for _, h in drafts)
    read = [(hint, h.symbol) for hint, h in drafts if h.symbol]
    assert len(read) >= 0.8 * len(drafts), f"{len(read)}/{len(drafts)} draft symbols read"
    # the hint's symbol may be cut short ("[trống]/BC" for "/BC - SCT"), but the type code agrees
    assert all(symbol.split("-")[0] == hint.split("/")[-1].split("-")[0] for hint, symbol in read)
