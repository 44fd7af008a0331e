"""Rare title words typed without diacritics, in any order: the title they describe best comes first.

Several titles often hold the same few rare words a clerk remembers (a dozen campaign plans say "sốt xuất
huyết, tay chân miệng"). BM25 tells such titles apart by length alone; the title rerank
(:func:`corpus.search_compile.title_rerank`) prefers the title with the fewest *other* rare words. The
documents are invented for this test; the filler titles make the administrative words common, as they are
in a real corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from corpus.search_compile import Weights, title_rerank
from tests.search import build

# The clerk means this one: its other words are the common words of every administrative title.
TARGET = (
    "Về việc tăng cường công tác phòng, chống sốt xuất huyết, tay chân miệng trên địa bàn tỉnh "
    "trong thời gian tới"
)
# A syllable shorter, and it holds the same words, but it is as much about measles, rubella and vaccines.
OTHER = "Về việc tiêm vắc xin sởi, rubella và phòng, chống sốt xuất huyết, tay chân miệng cho trẻ dưới 5 tuổi"
FILLER = (
    "Về việc tăng cường công tác quản lý trật tự xây dựng trên địa bàn tỉnh",
    "Về việc tăng cường công tác phòng cháy, chữa cháy trên địa bàn tỉnh trong thời gian tới",
    "Về việc tăng cường công tác bảo đảm an toàn giao thông trên địa bàn tỉnh",
    "Tăng cường công tác quản lý chất lượng nước sinh hoạt trên địa bàn tỉnh trong thời gian tới",
    "Về việc tăng cường công tác kiểm tra an toàn thực phẩm trên địa bàn tỉnh",
    "Về việc tăng cường công tác phòng, chống thiên tai trên địa bàn tỉnh",
)


def _doc(doc_id: str, title: str, day: int) -> Document:
    return Document(id=doc_id, number=f"{day}/UBND-VX", doc_type="cong-van", title=title,
                    issuer="Ủy ban nhân dân tỉnh Bình Dương", issued_date=date(2023, 3, day))  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    docs = (_doc("target", TARGET, 1), _doc("other", OTHER, 2))
    docs += tuple(_doc(f"filler-{i}", t, 10 + i) for i, t in enumerate(FILLER))
    return build(tmp_path_factory.mktemp("nodiac"), docs)


def reranked(searcher: Searcher, query: str, weight: float = Weights().title_cosine) -> list[str]:
    """Ids of BM25's page of ``query`` (a searcher without the rerank) as the rerank orders it (BM25's
    order with ``weight`` 0)."""
    bm25 = Searcher(searcher.index, searcher.store, Weights(title_cosine=0.0))
    result = bm25.search(SearchRequest(query, limit=10, facets=False, highlights=False))
    assert result.query is not None
    tantivy_searcher = searcher.index.searcher()
    order = title_rerank(
        result.query,
        [h.score or 0.0 for h in result.hits],
        [h.title for h in result.hits],
        lambda term: tantivy_searcher.doc_freq("title_fold", term),
        tantivy_searcher.num_docs,
        weight,
    )
    return [result.hits[i].id for i, _ in order]


@pytest.mark.parametrize("query", ["mieng huyet sot", "sot xuat huyet tay chan mieng", "tay chan mieng sot"])
def test_the_title_the_rare_words_describe_best_comes_first(searcher: Searcher, query: str) -> None:
    assert set(reranked(searcher, query, weight=0.0)) == {"target", "other"}
    assert reranked(searcher, query, weight=0.0)[0] == "other", "BM25 alone: the shorter title first"
    assert reranked(searcher, query) == ["target", "other"]


def test_words_typed_with_diacritics_are_reranked_alike(searcher: Searcher) -> None:
    assert reranked(searcher, "miệng huyết sốt") == ["target", "other"]


def test_numbers_and_long_questions_keep_their_order(searcher: Searcher) -> None:
    # A number's documents stay first, newest first; a long question ranks by which words it holds.
    for query in ("1/UBND-VX sốt xuất huyết", "số 2/UBND-VX",
                  "tỉnh có tăng cường công tác phòng chống sốt xuất huyết tay chân miệng cho trẻ không"):  # fmt: skip
        assert reranked(searcher, query) == reranked(searcher, query, weight=0.0)


def test_equal_scores_keep_their_order() -> None:
    from corpus.query import parse_query

    parsed = parse_query("sot xuat huyet")
    order = title_rerank(parsed, [2.0, 2.0, 1.0], [TARGET, TARGET, None], lambda term: 1, 10, 0.2)
    assert [i for i, _ in order] == [0, 1, 2]
    assert order[0][1] > 2.0 and order[2][1] == 1.0  # a hit without a title gains nothing


def test_search_returns_the_reranked_page(searcher: Searcher) -> None:
    hits = searcher.search(SearchRequest("mieng huyet sot", facets=False, highlights=False)).hits
    assert [h.id for h in hits] == ["target", "other"]
