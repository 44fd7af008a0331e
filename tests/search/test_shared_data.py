"""Known-item search over the real Bình Dương summaries (../shared/data/admin/binhduong.jsonl).

Imports the file through the importer with the index listening, as ``vanban import`` does, then asks
for documents the way clerks do: the number as printed and loosely typed, title words with and without
diacritics. Queries are derived from the records at run time (nothing is copied from the data).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from corpus.importer import import_paths
from corpus.index import SearchIndex, index_path
from corpus.query import fold_terms, lookup_key, parse_query, term_parts
from corpus.search import Searcher, SearchRequest
from corpus.store import Store
from nlp.normalize import fold
from nlp.numbers import parse_number

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def binhduong(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    data_dir = tmp_path_factory.mktemp("binhduong")
    store = Store.open(data_dir)
    index = SearchIndex.open(index_path(data_dir))
    index.attach(store)  # import now indexes as it stores
    report = import_paths(store, [shared_data / "admin" / "binhduong.jsonl"], progress=False)
    assert report.inserted == 3077 and index.num_docs == 3077
    return Searcher(index, store)


def _sample(searcher: Searcher, n: int = 60) -> list:
    docs = [
        d for d in searcher.store.iter_documents() if d.number and d.title and len(term_parts(d.title)) >= 6
    ]
    return random.Random(4).sample(docs, n)


def _rank(searcher: Searcher, query: str, relevant: set[str]) -> int | None:
    hits = [
        h.id for h in searcher.search(SearchRequest(query, limit=10, facets=False, highlights=False)).hits
    ]
    return next((i for i, h in enumerate(hits, start=1) if h in relevant), None)


def test_a_known_document_is_found_by_its_number(binhduong: Searcher) -> None:
    known = binhduong.store.get("bd-00000")  # the file's first record, as filed (no values copied here)
    assert known.number and "/" in known.number
    result = binhduong.search(known.number)
    assert result.hits[0].number == known.number and result.hits[0].issued_date == known.issued_date
    loose = known.number.replace("/", " ").replace("-", " ").lower()  # "3637 ubnd vx" for "3637/UBND-VX"
    assert binhduong.search(loose).hits[0].number == known.number


def test_number_queries_put_that_numbers_documents_first(binhduong: Searcher) -> None:
    store = binhduong.store
    by_key: dict[str, set[str]] = {}
    for d in store.iter_documents():
        if d.number:
            by_key.setdefault(lookup_key(d.number), set()).add(d.id)  # 06/CT-UBND is also typed 6/CT-UBND
    for doc in _sample(binhduong):
        same = by_key[lookup_key(doc.number)]
        queries = [doc.number, doc.number.lower(), fold(doc.number)]
        parsed = parse_number(doc.number)
        if parsed is not None and parsed.seq:
            codes = [c for c in (parsed.type_code, *parsed.body_codes) if c]
            queries.append(
                " ".join([parsed.seq, *([str(parsed.year)] if parsed.year else []), *codes]).lower()
            )
        for query in queries:
            hits = [h.id for h in binhduong.search(SearchRequest(query, limit=len(same))).hits]
            assert set(hits) == same, (query, hits, same)
            assert all(lookup_key(store.get(h).number) == lookup_key(doc.number) for h in hits)


def test_title_words_with_and_without_diacritics(binhduong: Searcher) -> None:
    titles = {d.id: set(fold_terms(term_parts(d.title or ""))) for d in binhduong.store.iter_documents()}
    ranks: dict[str, list[float]] = {"marked": [], "plain": []}
    for doc in _sample(binhduong, 80):
        words = term_parts(doc.title)
        for start in range(0, len(words) - 4):
            window = words[start : start + 5]
            wanted = set(fold_terms(window))
            if (
                sum(1 for s in titles.values() if wanted <= s) == 1
                and not parse_query(" ".join(window)).numbers
            ):
                break
        else:
            continue
        for kind, query in (("marked", " ".join(window)), ("plain", fold(" ".join(window)))):
            rank = _rank(binhduong, query, {doc.id})
            ranks[kind].append(1 / rank if rank else 0.0)
    assert len(ranks["marked"]) >= 50
    mrr = {kind: sum(v) / len(v) for kind, v in ranks.items()}
    assert mrr["marked"] >= 0.98 and mrr["plain"] >= mrr["marked"] - 0.01, mrr
