"""Bad input never crashes: a clear Vietnamese error (QueryError, exit code 2 on the CLI) or a result."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.search import Searcher, SearchRequest
from corpus.search_errors import QueryError
from service.commands import search as search_cmd
from service.errors import CliError
from tests.search import DOCS, build

OLD = Document(id="old-1500", number="7/SL", doc_type="quyet-dinh", topic="noi-vu", issuer="Triều đình",
               issued_date=date(1500, 6, 1), title="Sắc lệnh cổ về việc đo đạc ruộng đất")  # fmt: skip


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad-input")
    build(path, (*DOCS, OLD)).close()  # indexing a date tantivy's date type cannot hold must not fail
    return path


@pytest.fixture(scope="module")
def searcher(data_dir: Path) -> Searcher:
    found = Searcher.open(data_dir)
    yield found
    found.close()


def cli(data_dir: Path, *argv: str) -> dict:
    parser = argparse.ArgumentParser(prog="vanban")
    parser.add_argument("--data-dir")
    search_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--data-dir", str(data_dir), "search", *argv, "--json"])
    return {"exit": int(args.handler(args))}


@pytest.mark.parametrize(
    ("date_from", "date_to", "ids"),
    [
        ("1500-01-01", None, None),  # every dated document
        ("1400", "1600", ["old-1500"]),
        (None, "1200", []),
        ("0001-01-01", "1677-01-01", ["old-1500"]),
        ("9999-12-31", None, []),
        ("2262-05-01", "9999", []),
        (None, "9999", None),
    ],
)
def test_dates_out_of_tantivys_range_filter_without_crashing(
    searcher: Searcher, date_from: str | None, date_to: str | None, ids: list[str] | None
) -> None:
    result = searcher.search(SearchRequest("*", date_from=date_from, date_to=date_to, limit=100))
    if ids is None:
        assert result.total == len(DOCS) + 1
    else:
        assert [h.id for h in result.hits] == ids and result.total == len(ids)


def test_an_old_document_shows_its_date_and_sorts_last(searcher: Searcher) -> None:
    (hit,) = searcher.search(SearchRequest("sắc lệnh đo đạc")).hits
    assert hit.id == "old-1500" and hit.issued_date == date(1500, 6, 1)
    listed = searcher.search(SearchRequest("*", sort="date", limit=100)).hits
    assert (
        listed[-1].id == "old-1500"
        and searcher.search(SearchRequest("*", sort="date_asc")).hits[0].id == "old-1500"
    )


@pytest.mark.parametrize(
    ("request_", "field", "words"),
    [
        (SearchRequest("kế hoạch", date_from="2023", date_to="2022"), "date_from", "Khoảng ngày"),
        (SearchRequest("kế hoạch", date_from="1600", date_to="1500-01-01"), "date_from", "Khoảng ngày"),
        (SearchRequest("kế hoạch", date_from="31/02/2022"), "date_from", "không hợp lệ"),
        (SearchRequest("kế hoạch", doc_type="không-có"), "doc_type", "Loại văn bản"),
        (SearchRequest("kế hoạch", topic="thiên văn"), "topic", "Lĩnh vực"),
        (SearchRequest("kế hoạch", status="vĩnh viễn"), "status", "Trạng thái"),
        (SearchRequest("kế hoạch", sort="ngẫu nhiên"), "sort", "sắp xếp"),
        (SearchRequest(""), "query", "Hãy nhập"),
        (SearchRequest("   "), "query", "Hãy nhập"),
        (SearchRequest("x" * 10_000), "query", "quá dài"),
        (SearchRequest("!!! ??? ... ---"), "query", "không có chữ hoặc số"),
        (SearchRequest('"'), "query", "không có chữ hoặc số"),
    ],
)
def test_bad_requests_are_clear_vietnamese_errors(
    searcher: Searcher, request_: SearchRequest, field: str, words: str
) -> None:
    with pytest.raises(QueryError) as err:
        searcher.search(request_)
    assert err.value.field == field and words in err.value.message


@pytest.mark.parametrize("query", ['"kế hoạch', 'kế "hoạch" "', 'phòng "chống', "((( kế", "title:x AND y"])
def test_unbalanced_quotes_and_syntax_are_plain_text(searcher: Searcher, query: str) -> None:
    searcher.search(SearchRequest(query))  # a result, whatever it holds; never a tantivy syntax error


def test_an_unknown_issuer_matches_nothing(searcher: Searcher) -> None:
    assert searcher.search(SearchRequest("kế hoạch", issuer="Bộ Ngoại giao Liên Hợp Quốc")).total == 0


def test_star_lists_everything_newest_first_with_facets(searcher: Searcher) -> None:
    result = searcher.search(SearchRequest("*", limit=5))
    assert result.total == len(DOCS) + 1 and result.hits[0].id == "nq-hdnd"
    days = [h.issued_date for h in result.hits]
    assert days == sorted(days, reverse=True) and result.facets["year"]["2022"] == 6
    filtered = searcher.search(SearchRequest("*", doc_type="KH", issuer="UBND Sơn La"))
    assert [h.id for h in filtered.hits] == ["bhyt-full"] and filtered.facets["doc_type"] == {"ke-hoach": 1}
    assert searcher.search(SearchRequest("", topic="y-te")).total == 2  # empty query with a filter


@pytest.mark.parametrize(
    ("argv", "exit_code"),
    [
        (["kế hoạch", "--from", "1500"], 0),
        (["kế hoạch", "--from", "1200", "--to", "1300"], 0),
        (["kế hoạch", "--to", "9999"], 0),
        (["*"], 0),
        (['"kế hoạch'], 0),
        (["kế hoạch", "--from", "2023", "--to", "2022"], 2),
        (["kế hoạch", "--type", "zzz"], 2),
        (["kế hoạch", "--topic", "zzz"], 2),
        (["kế hoạch", "--status", "zzz"], 2),
        ([""], 2),
        (["x" * 10_000], 2),
        (["?!.,;"], 2),
    ],
)
def test_cli_path(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], exit_code: int
) -> None:
    if exit_code == 0:
        assert cli(data_dir, *argv)["exit"] == 0
        assert isinstance(json.loads(capsys.readouterr().out)["total"], int)
    else:
        with pytest.raises(CliError) as err:
            cli(data_dir, *argv)
        assert err.value.exit_code == exit_code and str(err.value).strip()


def test_unknown_type_and_status_are_answered_with_names_a_clerk_reads(searcher: Searcher) -> None:
    # QA: "/?type=abc" listed slugs (nghi-quyet-lien-tich…), "/?status=xyz" offered "còn (đang) hiệu lực"
    with pytest.raises(QueryError) as wrong_type:
        searcher.search(SearchRequest("kế hoạch", doc_type="abc"))
    assert "quyết định" in wrong_type.value.message and "nghi-quyet-lien-tich" not in wrong_type.value.message
    with pytest.raises(QueryError) as wrong_status:
        searcher.search(SearchRequest("kế hoạch", status="xyz"))
    assert "Còn hiệu lực (con-hieu-luc)" in wrong_status.value.message and "(đang)" not in wrong_status.value.message
