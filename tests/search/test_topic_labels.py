"""The field filter takes a researcher's taxonomy as its documents hold it: a label with a comma in its name
is one field, a label matches but for case, and an unknown one is answered with the fields the documents have."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.search import Searcher
from corpus.search_errors import QueryError
from corpus.search_filters import SearchRequest
from service.commands import export
from service.errors import CliError
from tests.search import build, module_searcher

DOCS = (
    Document(id="cc-1", title="Cấp thẻ căn cước cho công dân từ đủ 14 tuổi", topic="Cấp, quản lý căn cước"),
    Document(id="cc-2", title="Cấp đổi thẻ căn cước khi thay đổi thông tin nhân thân", topic="Cấp, quản lý căn cước"),
    Document(id="hq-1", title="Thủ tục hải quan đối với hàng hóa xuất khẩu", topic="Hải quan"),
    Document(id="hq-2", title="Khai bổ sung hồ sơ hải quan điện tử", topic="Hải quan"),
    Document(id="ht-1", title="Đăng ký khai sinh có yếu tố nước ngoài", topic="Hộ tịch"),
    Document(id="yt-1", title="Kế hoạch tiêm chủng mở rộng năm 2025", topic="y-te"),
)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    yield from module_searcher(tmp_path_factory, "topic-labels", DOCS)


def ids(searcher: Searcher, topic: str) -> list[str]:
    return sorted(hit.id for hit in searcher.search(SearchRequest("", topic=topic, limit=20)).hits)


def test_a_label_with_a_comma_is_one_field(searcher: Searcher) -> None:
    assert ids(searcher, "Cấp, quản lý căn cước") == ["cc-1", "cc-2"]


def test_a_label_matches_but_for_case_and_spacing(searcher: Searcher) -> None:
    assert ids(searcher, "hải quan") == ["hq-1", "hq-2"]
    assert ids(searcher, "  HẢI   QUAN ") == ["hq-1", "hq-2"]


def test_several_fields_are_still_separated_by_commas(searcher: Searcher) -> None:
    assert ids(searcher, "Hải quan, hộ tịch") == ["hq-1", "hq-2", "ht-1"]
    assert ids(searcher, "y tế,Hộ tịch") == ["ht-1", "yt-1"]  # a built-in name beside a label of the documents


def test_an_unknown_field_lists_the_fields_the_documents_hold(searcher: Searcher) -> None:
    with pytest.raises(QueryError) as err:
        searcher.search(SearchRequest("", topic="Hộ khẩu"))
    message = err.value.message
    assert 'Lĩnh vực "Hộ khẩu" không có' in message and "dat-dai" in message
    assert "3 lĩnh vực khác" in message and '"Cấp, quản lý căn cước"' in message and '"Hải quan"' in message


def _export(data_dir: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="vanban")
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command", required=True)
    export.register(sub)
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    return int(args.handler(args))


def test_export_takes_the_same_field_values(tmp_path: Path) -> None:
    build(tmp_path / "data", DOCS).store.close()
    out = tmp_path / "sao-luu.jsonl"

    def exported(topic: str) -> list[str]:
        assert _export(tmp_path / "data", "export", "--topic", topic, "--out", str(out)) == 0
        return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]

    assert exported("Cấp, quản lý căn cước") == ["cc-1", "cc-2"]
    assert exported("hải quan, Hộ tịch") == ["hq-1", "hq-2", "ht-1"]
    with pytest.raises(CliError) as err:
        exported("Hộ khẩu")
    assert '"Hải quan"' in str(err.value) and "3 lĩnh vực khác" in str(err.value)


def test_a_field_of_the_active_model_no_document_holds_yet_is_that_field(searcher: Searcher) -> None:
    # "Y tế" is the built-in y-te's name; under a portal model that has its own "Y tế", it is that field
    assert ids(searcher, "Y tế") == ["yt-1"]
    searcher.own_topics = lambda: ("Y tế", "Hải quan", "Hộ tịch")
    try:
        assert ids(searcher, "Y tế") == []  # no document holds the portal's "Y tế" yet
        assert ids(searcher, "hải quan") == ["hq-1", "hq-2"]
        assert ids(searcher, "y-te") == ["yt-1"]  # a built-in code stays one
    finally:
        searcher.own_topics = tuple


def test_the_export_filter_reads_fields_as_search_does(searcher: Searcher) -> None:
    from corpus.export import parse_filters

    store = searcher.store
    assert parse_filters(store, topic="Cấp, quản lý căn cước").topics == {"Cấp, quản lý căn cước"}
    assert parse_filters(store, topic="hải quan, y tế").topics == {"Hải quan", "y-te"}
    assert parse_filters(store, topic="Y tế", own_topics=("Y tế", "Hải quan")).topics == {"Y tế"}
    with pytest.raises(QueryError) as refused:
        parse_filters(store, topic="Ngoại giao")
    assert '"Hải quan"' in refused.value.message  # the fields the documents hold are named


def test_a_label_with_a_comma_combines_with_others_and_a_label_matches_without_marks(searcher: Searcher) -> None:
    assert ids(searcher, "Cấp, quản lý căn cước, Hải quan") == ["cc-1", "cc-2", "hq-1", "hq-2"]
    assert ids(searcher, "Hộ tịch,Cấp, quản lý căn cước") == ["cc-1", "cc-2", "ht-1"]
    assert ids(searcher, "hai quan") == ["hq-1", "hq-2"]  # one label folds to it
