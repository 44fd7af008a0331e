"""Related documents: cited (resolved through the store), citing, similar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.errors import DocumentNotFound
from corpus.related import find_related, references
from corpus.search import Searcher
from tests.search import DOCS, build


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    extra = (
        # reuses number 1906/QĐ-UBND in another year: the citation's date picks the right one
        Document(id="qd-1906-2019", number="1906/QĐ-UBND", doc_type="quyet-dinh", issued_date=date(2019, 8, 1),
                 title="Phê duyệt quy hoạch chung đô thị Bàu Bàng"),
        # a portal that lower-cases summaries
        Document(id="lower", number="400/UBND-KT", doc_type="cong-van", issued_date=date(2022, 10, 1),
                 title="triển khai thực hiện chỉ thị số 01/ct-ubnd về an ninh trật tự dịp tết"),
    )  # fmt: skip
    return build(tmp_path_factory.mktemp("related"), DOCS + extra)


def test_cited_documents_are_resolved_by_number_and_date(searcher: Searcher) -> None:
    related = find_related(searcher.store, searcher.index, "dt743")
    assert [d.id for d in related.cites] == ["qd-1906", "ct-01"]
    assert related.cites[0].via.startswith("1906/QĐ-UBND")
    assert related.unresolved == ()  # the Law is cited by name, not by number


def test_lower_cased_summaries_are_read_for_citations(searcher: Searcher) -> None:
    assert [d.id for d in find_related(searcher.store, searcher.index, "lower").cites] == ["ct-01"]


def test_citing_documents(searcher: Searcher) -> None:
    assert {d.id for d in find_related(searcher.store, searcher.index, "ct-01").cited_by} == {
        "dt743",
        "lower",
    }
    assert [d.id for d in find_related(searcher.store, searcher.index, "qd-1906").cited_by] == ["dt743"]


def test_similar_documents(searcher: Searcher) -> None:
    similar = [d.id for d in find_related(searcher.store, searcher.index, "ruou-bia").similar]
    assert similar[0] == "ruou-bia-gt" and "ruou-bia" not in similar


def test_unresolved_citations_are_listed() -> None:
    doc = Document(id="x", text="Thực hiện Nghị định số 100/2019/NĐ-CP ngày 30/12/2019 của Chính phủ")
    (ref,) = references(doc)
    assert ref.number.number == "100/2019/NĐ-CP" and ref.issued_date == date(2019, 12, 30)


def test_unknown_document(searcher: Searcher, tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound):
        find_related(searcher.store, searcher.index, "khong-co")
