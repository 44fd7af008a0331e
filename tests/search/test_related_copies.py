"""One document stored twice is listed once among citations, with its other copies beside it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from corpus.document import Document
from corpus.related import find_related
from tests.search import built

_DECREE_TEXT = (
    "CHÍNH PHỦ\nSố: 146/2025/NĐ-CP\nHà Nội, ngày 12 tháng 6 năm 2025\nNGHỊ ĐỊNH\n"
    "Quy định về phân quyền, phân cấp trong lĩnh vực công nghiệp và thương mại\n"
    "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15 ngày 18 tháng 02 năm 2025;"
)
_DECREE = Document(id="nd-146", number="146/2025/NĐ-CP", doc_type="nghi-dinh", issuer="Chính phủ",
                   issued_date=date(2025, 6, 12), title="Quy định về phân quyền, phân cấp trong lĩnh vực công "
                   "nghiệp và thương mại", text=_DECREE_TEXT)  # fmt: skip
# The same decree, imported a second time from another export (title only, no text).
_DECREE_AGAIN = Document(id="nd-146-ban-2", number="146/2025/NĐ-CP", doc_type="nghi-dinh", issuer="Chính phủ",
                         issued_date=date(2025, 6, 12), title="QUY ĐỊNH VỀ PHÂN QUYỀN, PHÂN CẤP TRONG LĨNH VỰC "
                         "CÔNG NGHIỆP VÀ THƯƠNG MẠI")  # fmt: skip
_PLAN_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nSố: 210/KH-UBND\nLào Cai, ngày 20 tháng 7 năm 2025\nKẾ HOẠCH\n"
    "Triển khai Nghị định số 146/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân quyền, phân cấp "
    "trong lĩnh vực công nghiệp và thương mại trên địa bàn tỉnh Lào Cai"
)
_PLAN = Document(id="kh-210", number="210/KH-UBND", doc_type="ke-hoach", issuer="Ủy ban nhân dân tỉnh Lào Cai",
                 issued_date=date(2025, 7, 20), title="Triển khai Nghị định số 146/2025/NĐ-CP của Chính phủ",
                 text=_PLAN_TEXT)  # fmt: skip
# The plan stored twice too, once under the short issuer name.
_PLAN_AGAIN = Document(id="kh-210-ban-2", number="210/KH-UBND", doc_type="ke-hoach", issuer="UBND tỉnh Lào Cai",
                       issued_date=date(2025, 7, 20), title="Triển khai Nghị định số 146/2025/NĐ-CP của Chính phủ",
                       text=_PLAN_TEXT + "\nNơi nhận:\n- Sở Công Thương;\n- Lưu: VT.")  # fmt: skip
# Same number and day, another commune's council: another document.
_OTHER_PLAN = Document(id="kh-210-xa", number="210/KH-UBND", doc_type="ke-hoach",
                       issuer="Ủy ban nhân dân xã Bản Lầu", parent="Ủy ban nhân dân tỉnh Lào Cai",
                       issued_date=date(2025, 7, 20), title="Triển khai Nghị định số 146/2025/NĐ-CP tại xã Bản Lầu",
                       text="Thực hiện Nghị định số 146/2025/NĐ-CP ngày 12/6/2025 của Chính phủ, xã Bản Lầu "
                       "xây dựng kế hoạch")  # fmt: skip


def test_a_document_stored_twice_is_cited_once_with_its_copy(tmp_path: Path) -> None:
    with built(tmp_path, (_DECREE, _DECREE_AGAIN, _PLAN)) as searcher:
        related = find_related(searcher.store, searcher.index, "kh-210")
    assert [(d.id, d.copies) for d in related.cites] == [("nd-146", ("nd-146-ban-2",))]  # the copy with a text
    assert related.cites[0].to_dict()["copies"] == ["nd-146-ban-2"]
    assert "nd-146-ban-2" not in {d.id for d in related.similar}


def test_citing_copies_are_listed_once_and_other_bodies_apart(tmp_path: Path) -> None:
    with built(tmp_path, (_DECREE, _PLAN, _PLAN_AGAIN, _OTHER_PLAN)) as searcher:
        related = find_related(searcher.store, searcher.index, "nd-146")
    entries = {d.id: d.copies for d in related.cited_by}
    assert len(entries) == 2 and entries["kh-210-xa"] == ()
    (plan,) = set(entries) - {"kh-210-xa"}
    assert {plan, *entries[plan]} == {"kh-210", "kh-210-ban-2"}
    assert plan == "kh-210-ban-2"  # its text is the longer (with "Nơi nhận"): the fuller copy is shown


def test_a_citation_without_the_leading_zero_is_linked_both_ways(tmp_path: Path) -> None:
    """QA (2026-11-30): "Thông tư số 6/2024/TT-BYT" stayed unresolved while 06/2024/TT-BYT was filed, and the
    circular did not list the letter among the documents citing it."""
    circular = Document(id="tt-06", number="06/2024/TT-BYT", doc_type="thong-tu", issuer="Bộ Y tế",
                        issued_date=date(2024, 5, 16), title="Quy định về xét nghiệm y tế")  # fmt: skip
    letter = Document(id="cv-88", number="88/SYT-NVY", doc_type="cong-van", issuer="Sở Y tế tỉnh Lào Cai",
                      issued_date=date(2024, 6, 3), title="Triển khai Thông tư số 6/2024/TT-BYT",
                      text="Thực hiện Thông tư số 6/2024/TT-BYT ngày 16/5/2024 của Bộ Y tế quy định về xét "
                      "nghiệm y tế, Sở Y tế đề nghị các bệnh viện triển khai.")  # fmt: skip
    with built(tmp_path, (circular, letter)) as searcher:
        cites = find_related(searcher.store, searcher.index, "cv-88")
        cited_by = find_related(searcher.store, searcher.index, "tt-06").cited_by
    assert [d.id for d in cites.cites] == ["tt-06"] and cites.unresolved == ()
    assert [d.id for d in cited_by] == ["cv-88"]
