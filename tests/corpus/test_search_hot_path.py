"""The per-search shortcuts give the answers of the plain ways: white space collapsed without splitting,
keyword filters as term queries, the title rerank without idf lookups on untitled pages, one code lookup
per token while parsing, the issuer filter's terms cached."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from tantivy import Query

from corpus.document import Document
from corpus.highlight import collapse_spaces
from corpus.query import parse_query
from corpus.search import Searcher, SearchRequest
from corpus.search_compile import title_rerank
from corpus.search_filters import _issuer_filter_terms, any_of, issuer_terms
from tests.search import DOCS, build, built


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return build(tmp_path_factory.mktemp("hot-path"))


# -- collapse_spaces ------------------------------------------------------------------------------------


def test_every_white_space_character_but_the_space_is_unprintable() -> None:
    # What collapse_spaces relies on to take a printable fragment as holding spaces alone.
    others = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " "]
    assert others and not any(c.isprintable() for c in others)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "Điều 1. Ban hành kèm theo Quyết định này",
        "  Điều 1.\n\nBan hành  kèm   theo\n",
        "Kính gửi:\tSở Tài chính;\r\nSở Kế hoạch và Đầu tư",
        "Số:\xa012/KH-UBND\u2003ngày\u3000 5 tháng 5",  # no-break, em and ideographic spaces
        "phòng,\u2028chống dịch\x1c",  # line separator, file separator (white space in Python)
        "<mark>Ủy ban nhân dân</mark>  tỉnh\u200bLào Cai",  # zero-width space: unprintable, not white space
    ],
)
def test_collapse_spaces_is_split_and_join(text: str) -> None:
    assert collapse_spaces(text) == " ".join(text.split())


def test_collapse_spaces_on_real_documents(shared_data: Path) -> None:
    path = shared_data / "admin" / "laocai_fulltext.jsonl"
    with open(path, encoding="utf-8") as handle:
        texts = [json.loads(line).get("text") or "" for line in handle][:200]
    checked = 0
    for text in texts:
        for start in range(0, min(len(text), 6000), 170):  # fragment-sized windows, line breaks and all
            window = text[start : start + 230]
            assert collapse_spaces(window) == " ".join(window.split()), window
            checked += 1
    assert checked > 1000


# -- keyword filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("doc_type", ["ke-hoach"]),
        ("doc_type", ["quyet-dinh", "chi-thi"]),
        ("doc_type", ["ke-hoach", "ke-hoach"]),
        ("topic", ["y-te"]),
        ("topic", ["giao-duc", "an-ninh", "khong-co"]),
    ],
)
def test_any_of_matches_what_a_term_set_matches(searcher: Searcher, field: str, values: list[str]) -> None:
    tantivy_searcher = searcher.index.searcher()
    schema = searcher.index.schema

    def matches(query: Query) -> set[str]:
        hits = tantivy_searcher.search(query, 100).hits
        return {tantivy_searcher.doc(address).get_first("id") for _, address in hits}

    expected = matches(Query.term_set_query(schema, field, values))
    assert expected and matches(any_of(schema, field, values)) == expected


@pytest.mark.parametrize("query", ["kế hoạch", "ke hoach phong chong", "ubnd tỉnh", "139/KH-UBND"])
def test_filtered_searches_rank_and_score_as_with_a_term_set(searcher: Searcher, query: str) -> None:
    # A filter scores nothing: ranked under a term query or under a term set, the same hits, same scores.
    tantivy_searcher = searcher.index.searcher()
    schema = searcher.index.schema
    parsed = searcher.parse(query)
    for field, values in (("doc_type", ["ke-hoach", "quyet-dinh"]), ("topic", ["y-te"])):
        ranked = []
        for restrict in (Query.term_set_query(schema, field, values), any_of(schema, field, values)):
            ranking, matching = searcher._compiler.compile(parsed, [restrict])
            hits = tantivy_searcher.search(ranking, 20).hits
            count = tantivy_searcher.search(matching, 1, count=True).count
            ranked.append(([(score, (a.segment_ord, a.doc)) for score, a in hits], count))
        assert ranked[0][0] and ranked[0] == ranked[1]


def test_the_issuer_filter_terms_are_cached_and_unchanged() -> None:
    name = "UBND tỉnh Bình Dương"
    terms = _issuer_filter_terms(name)
    # the terms of the name as the index spells it (UBND written out; its abbreviation among the terms)
    assert terms == tuple(issuer_terms("Ủy ban nhân dân tỉnh Bình Dương")) and "ubnd" in terms and "binh" in terms
    assert _issuer_filter_terms(name) is terms


# -- title rerank -----------------------------------------------------------------------------------------


def test_an_untitled_page_keeps_its_scores_and_looks_up_no_idf() -> None:
    looked_up: list[str] = []

    def doc_freq(term: str) -> int:
        looked_up.append(term)
        return 1

    parsed = parse_query("kế hoạch phòng chống dịch")
    scores = [7.5, 7.50001, 3.25, 3.25]  # equal after rounding: the first is the newer of the two
    reordered = title_rerank(parsed, scores, [None, "", None, None], doc_freq, 100, 0.2)
    assert looked_up == []
    assert reordered == [(1, 7.50001), (0, 7.5), (2, 3.25), (3, 3.25)]


def test_a_titled_page_is_still_reranked_by_its_titles() -> None:
    parsed = parse_query("sốt xuất huyết")
    titles = [
        "Kế hoạch phòng, chống dịch bệnh sốt xuất huyết và tay chân miệng năm 2024",
        "Kế hoạch phòng, chống sốt xuất huyết năm 2024",
        None,
    ]
    reordered = title_rerank(parsed, [5.0, 5.0, 5.0], titles, lambda term: 3, 100, 0.2)
    assert [i for i, _ in reordered] == [1, 0, 2]
    assert reordered[-1] == (2, 5.0)


def test_title_frequencies_are_remembered_until_the_index_changes(tmp_path: Path) -> None:
    with built(tmp_path) as searcher:
        freq = searcher._title_freq(searcher.index.searcher())
        before = freq("dich")
        assert before == searcher.index.searcher().doc_freq("title_fold", "dich") > 0
        assert freq("dich") == before
        searcher.store.upsert_many(
            [Document(id=f"sxh-{i}", title=f"Kế hoạch phòng, chống dịch sốt xuất huyết đợt {i}") for i in range(3)],
            actor="test",
        )
        searcher.index.reload()
        # a new commit: the frequencies are read again, not the ones remembered
        assert searcher._title_freq(searcher.index.searcher())("dich") == before + 3


# -- parsing ----------------------------------------------------------------------------------------------


class _CountingSearcher:
    """A tantivy searcher that counts the code lookups the parser makes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.lookups: list[tuple[str, str]] = []

    def doc_freq(self, field: str, value: str) -> int:
        self.lookups.append((field, value))
        return int(self.inner.doc_freq(field, value))


@pytest.mark.parametrize("query", ["3637 ubnd vx", "công văn 3637 ubnd-vx bhyt", "vx 2022 ubnd vx"])
def test_parse_looks_each_code_up_once_and_reads_as_before(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    counting = _CountingSearcher(searcher.index.searcher())
    monkeypatch.setattr(searcher.index, "searcher", lambda: counting)
    parsed = searcher.parse(query)
    assert counting.lookups and len(counting.lookups) == len(set(counting.lookups))
    # The same reading as with the lookups made every time they are asked for.
    inner = counting.inner
    assert parsed == parse_query(query, lambda code: inner.doc_freq("number_parts", f"c:{code}") > 0)


def test_a_number_typed_loosely_still_finds_its_document(searcher: Searcher) -> None:
    assert searcher.search(SearchRequest("3637 ubnd vx")).hits[0].id == "cv-3637"


def test_documents_of_the_corpus_have_what_the_filters_need() -> None:
    # The corpus these tests search holds several types and fields (else the filter tests test nothing).
    docs: tuple[Document, ...] = DOCS
    assert len({d.doc_type for d in docs}) >= 3 and len({d.topic for d in docs}) >= 3
