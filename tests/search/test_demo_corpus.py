"""The project's own demo corpus (corpus/demo/documents.jsonl): full texts, searched as a clerk would."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.importer import import_paths
from corpus.index import SearchIndex
from corpus.query import lookup_key, term_parts
from corpus.related import find_related
from corpus.search import Searcher, SearchRequest
from corpus.store import Store
from nlp.normalize import fold

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    data_dir = tmp_path_factory.mktemp("demo")
    store = Store.open(data_dir)
    index = SearchIndex.for_store(store, data_dir)
    index.attach(store)
    report = import_paths(store, [DEMO], progress=False)
    assert report.inserted > 50 and index.num_docs == report.inserted
    return Searcher(index, store)


def test_every_numbered_document_comes_first_for_its_number(demo: Searcher) -> None:
    docs = [d for d in demo.store.iter_documents() if d.number]
    for doc in docs:
        same = {d.id for d in docs if lookup_key(d.number) == lookup_key(doc.number)}
        for query in (doc.number, fold(doc.number).lower().replace("/", " ").replace("-", " ")):
            hits = [h.id for h in demo.search(SearchRequest(query, limit=len(same))).hits]
            assert set(hits) == same, (query, hits)


def test_title_words_without_diacritics_find_the_document(demo: Searcher) -> None:
    found = 0
    docs = [d for d in demo.store.iter_documents() if d.title and len(term_parts(d.title)) >= 8]
    for doc in docs:
        words = term_parts(doc.title)
        query = fold(" ".join(words[2:7]))
        hits = [h.id for h in demo.search(SearchRequest(query, limit=3)).hits]
        found += doc.id in hits
    assert found >= 0.95 * len(docs)


def test_body_snippets_mark_the_original_text(demo: Searcher) -> None:
    doc = next(d for d in demo.store.iter_documents() if d.text and "tiếp công dân" in d.text)
    result = demo.search(SearchRequest("tiep cong dan dinh ky", limit=20))
    hit = next(h for h in result.hits if h.id == doc.id)
    fragment = " ".join(hit.highlights.text)
    plain = fragment.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>tiếp</mark>" in fragment and plain.strip("…") in doc.text  # the original text, marked
    assert doc.title and doc.title.lower() not in plain.lower()  # not the summary again: the title shows it


def test_related_documents_resolve_citations_inside_the_corpus(demo: Searcher) -> None:
    docs = list(demo.store.iter_documents())
    resolved = 0
    for doc in docs:
        related = find_related(demo.store, demo.index, doc.id, limit=5)
        resolved += len(related.cites)
        for cited in related.cites:
            assert doc.id in {d.id for d in find_related(demo.store, demo.index, cited.id, limit=50).cited_by}
    assert resolved > 0


@pytest.mark.parametrize("query", ["ke hoach", "đất đai", "giáo dục", "xây dựng", "triển khai thực hiện"])
def test_ranking_does_not_depend_on_the_page_size(demo: Searcher, query: str) -> None:
    """The title rerank reorders a fixed window of top hits: pages of 3 read one after another give the
    same order as one page of 30, and scores never rise from one page to the next."""
    whole = demo.search(SearchRequest(query, limit=30, facets=False, highlights=False)).hits
    assert len(whole) >= 8, query  # enough matches for several pages
    paged = []
    for offset in range(0, len(whole), 3):
        paged += demo.search(SearchRequest(query, limit=3, offset=offset, facets=False, highlights=False)).hits
    assert [h.id for h in paged] == [h.id for h in whole]
    scores = [h.score or 0.0 for h in paged]
    assert all(a >= b - 1e-9 for a, b in zip(scores, scores[1:], strict=False)), scores
