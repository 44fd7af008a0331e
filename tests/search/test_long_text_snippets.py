"""A long text whose searched words stand only past the part of it the index stores for snippets (its first
50,000 characters) still gets a snippet: read from the store's whole text (QA, 2026-11-29: "phốt pho" at
character 62,939 of a decree on chemicals gave an empty snippet, the hit a bare "Không số")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from tests.search import module_searcher

_FILLER = "Điều {k}. Tổ chức, cá nhân hoạt động hóa chất phải tuân thủ quy định của Luật này.\n"
LAW = Document(
    id="nd-hoa-chat", doc_type="nghi-dinh", issuer="Chính phủ", title="Quy định chi tiết Luật Hóa chất",
    text="".join(_FILLER.format(k=k) for k in range(700)) + "Điều 701. Phốt pho vàng được bảo quản ngập trong nước.\n",
)  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "long-text-snippets", (LAW,))


@pytest.mark.parametrize("query", ['"phốt pho"', "phot pho vang"])
def test_a_word_past_the_stored_part_of_a_long_text_has_its_snippet(searcher: Searcher, query: str) -> None:
    assert LAW.text and LAW.text.index("Phốt pho") > 50_000
    (hit,) = searcher.search(SearchRequest(query)).hits
    (fragment,) = hit.highlights.text
    assert "<mark>Phốt pho" in fragment and "vàng" in fragment
