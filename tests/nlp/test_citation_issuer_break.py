"""The issuer of a cited document ends at a line break and before the words that say what the document does.

The citations are written for these tests, in the wording of legal bases ("Căn cứ …"), some wrapped as a
PDF's text layer wraps them. The Công báo fixture of ../shared/data is read by path when present.
"""

from __future__ import annotations

import pytest

from nlp.extract import extract_file
from nlp.numbers import find_references
from tests.conftest import shared_data_dir


def _issuers(text: str) -> dict[str, str | None]:
    return {ref.number.number: ref.issuer_text for ref in find_references(text) if ref.number.number}


@pytest.mark.parametrize(
    ("text", "number", "issuer"),
    [
        ("Nghị định số 47/2021/NĐ-CP ngày 01/4/2021 của Chính phủ sửa\nđổi, bổ sung một số điều",
         "47/2021/NĐ-CP", "Chính phủ"),
        ("Nghị định số 47/2021/NĐ-CP ngày 01/4/2021 của Chính phủ sửa đổi, bổ sung một số điều",
         "47/2021/NĐ-CP", "Chính phủ"),
        ("Thông tư số 05/2022/TT-BTC ngày 10/02/2022 của Bộ trưởng Bộ Tài chính hướng dẫn\nthi hành",
         "05/2022/TT-BTC", "Bộ trưởng Bộ Tài chính"),
        ("Quyết định số 18/2023/QĐ-UBND ngày 12/5/2023 của Ủy ban nhân dân tỉnh Sông Mây ban hành Quy chế",
         "18/2023/QĐ-UBND", "Ủy ban nhân dân tỉnh Sông Mây"),
        ("Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ đã được sửa đổi",
         "30/2020/NĐ-CP", "Chính phủ"),
        ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ do Ủy ban nhân dân cấp xã thực hiện",
         "61/2018/NĐ-CP", "Chính phủ"),
        ("Quyết định số 40/2024/QĐ-TTg ngày 02/8/2024 của Thủ tướng Chính phủ phê duyệt Đề án",
         "40/2024/QĐ-TTg", "Thủ tướng Chính phủ"),
    ],
)
def test_the_issuer_stops_before_what_the_document_does(text: str, number: str, issuer: str) -> None:
    assert _issuers(text)[number] == issuer


def test_the_issuer_ends_at_a_line_break() -> None:
    text = "Căn cứ Nghị định số 47/2021/NĐ-CP ngày 01/4/2021 của Chính phủ\nsửa đổi, bổ sung một số điều;"
    assert _issuers(text)["47/2021/NĐ-CP"] == "Chính phủ"


def test_issuer_names_with_and_or_ministries_are_kept_whole() -> None:
    text = (
        "Căn cứ Thông tư số 10/2023/TT-BLĐTBXH ngày 15/6/2023 của Bộ Lao động - Thương binh và Xã hội "
        "quy định chi tiết; Quyết định số 1234/QĐ-BKHCN ngày 20/7/2023 của Bộ Khoa học và Công nghệ."
    )
    issuers = _issuers(text)
    assert issuers["10/2023/TT-BLĐTBXH"] == "Bộ Lao động - Thương binh và Xã hội"
    assert issuers["1234/QĐ-BKHCN"] == "Bộ Khoa học và Công nghệ"


def test_a_dangling_and_is_not_part_of_the_issuer() -> None:
    text = "Nghị định số 15/2020/NĐ-CP ngày 03/02/2020 của Chính phủ và được sửa đổi tại Nghị định khác"
    assert _issuers(text)["15/2020/NĐ-CP"] == "Chính phủ"


@pytest.mark.shared
def test_the_cong_bao_decision_cites_decrees_of_the_government() -> None:
    path = shared_data_dir() / "fixtures" / "quyet-dinh-so-169-qd-bldtbxh-44203.pdf"
    if not path.is_file():
        pytest.skip(f"{path} not found: put the shared/ folder beside the repository or set VANBAN_SHARED_DATA")
    issuers = _issuers(extract_file(path).text)
    for number in ("154/2020/NĐ-CP", "59/2024/NĐ-CP", "34/2016/NĐ-CP", "62/2022/NĐ-CP"):
        assert issuers[number] == "Chính phủ", (number, issuers.get(number))
