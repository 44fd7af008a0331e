"""The shortcuts search takes for speed give the answers of the slow ways: the number of matches read
from the doc_type buckets, the coordination bonus nested out of the optional union, and the reload that
skips tantivy when nothing was committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from tantivy import Occur, Query

import corpus.search as search_module
from corpus.document import Document
from corpus.index import SearchIndex, index_path
from corpus.search import Searcher, SearchRequest
from tests.search import DOCS, build


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    # Documents without a type too: they count as matches but show in no doc_type bucket.
    untyped = (
        Document(id="no-type-1", title="Kế hoạch tiêm chủng không rõ loại", text="Kế hoạch tiêm chủng."),
        Document(id="no-type-2", title="Ghi chép về kế hoạch", text="Nội dung kế hoạch năm nay."),
    )
    return build(tmp_path_factory.mktemp("speed"), DOCS + untyped)


def _count(searcher: Searcher, query: str) -> int:
    parsed = searcher.parse(query)
    _, matching = searcher._compiler.compile(parsed, [])
    return searcher.index.searcher().search(matching, 1, count=True).count


@pytest.mark.parametrize("query", ["kế hoạch", "tiêm chủng", "đường", "của", "ubnd"])
def test_total_from_the_type_buckets_is_the_number_of_matches(searcher: Searcher, query: str) -> None:
    result = searcher.search(SearchRequest(query))
    assert result.total == _count(searcher, query) > 0
    assert "\x00" not in result.facets["doc_type"]
    assert sum(result.facets["year"].values()) <= result.total


def test_total_counts_types_beyond_the_facet_size(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = searcher.search(SearchRequest("kế hoạch"))
    assert len(full.facets["doc_type"]) >= 2
    monkeypatch.setitem(search_module._FACET_SIZES, "doc_type", 1)
    cut = searcher.search(SearchRequest("kế hoạch"))
    assert cut.total == full.total
    assert len(cut.facets["doc_type"]) == 1
    top = max(full.facets["doc_type"].items(), key=lambda kv: kv[1])
    assert cut.facets["doc_type"] == dict([top])


def test_nested_coordination_scores_like_one_flat_query(searcher: Searcher) -> None:
    # "của" is optional (a function word), so the coordination bonus is compiled as a late clause.
    parsed = searcher.parse("kế hoạch của tiêm chủng")
    text = searcher._compiler.text(parsed)
    assert text is not None and text.late
    ranking, _ = searcher._compiler.compile(parsed, [])
    flat = Query.boolean_query(
        [(Occur.Must, q) for q in text.must] + [(Occur.Should, q) for q in text.should + text.late]
    )
    tantivy_searcher = searcher.index.searcher()

    def scores(query: Query) -> dict[tuple[int, int], float]:
        hits = tantivy_searcher.search(query, 100).hits
        return {(a.segment_ord, a.doc): round(s, 4) for s, a in hits}

    nested = scores(ranking)
    assert nested and nested == scores(flat)


def test_reload_skips_tantivy_until_a_commit_and_then_sees_it(tmp_path: Path) -> None:
    path = index_path(tmp_path)
    serving = SearchIndex.open(path)
    writer = SearchIndex.open(path)  # another process importing
    serving.reload()

    calls = []

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def reload(self) -> None:
            calls.append(1)
            self.inner.reload()  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    serving._index = Counting(serving._index)  # type: ignore[assignment]
    serving.reload()
    serving.reload()
    assert calls == []  # nothing committed since the last reload
    writer.upsert([DOCS[0]])
    serving.reload()
    assert calls == [1] and serving.num_docs == 1
