"""Unknown request keys: a misspelt filter must not silently widen a search (``SearchRequest.from_dict`` and
``vanban search --batch``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.search_errors import QueryError
from corpus.search_filters import SearchRequest
from tests.search import build
from tests.search.test_cli import run


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unknown-keys")
    build(path).close()
    return path


def batch(
    data_dir: Path, tmp_path: Path, lines: list[dict], capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[list[dict], str]:
    """The output lines of ``vanban search --batch`` on ``lines``, and what it printed on stderr."""
    path = tmp_path / "queries.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    assert run(data_dir, "search", "--batch", str(path), "--json", *argv) == 0
    captured = capsys.readouterr()
    return [json.loads(line) for line in captured.out.splitlines()], captured.err


# -- SearchRequest.from_dict ---------------------------------------------------------------------------------


def test_a_misspelt_filter_is_refused_with_a_hint_and_the_accepted_keys() -> None:
    with pytest.raises(QueryError) as err:
        SearchRequest.from_dict({"query": "kế hoạch phòng chống dịch", "tpye": "ke-hoach"})
    assert err.value.field == "tpye"
    message = err.value.message
    assert '"tpye"' in message and 'có phải "type"?' in message
    for accepted in (
        "query (q)",
        "doc_type (type)",
        "topic",
        "issuer",
        "status",
        "date_from (from)",
        "date_to (to)",
    ):
        assert accepted in message
    assert "tpye" in str(err.value)  # the English detail, for logs


def test_every_unknown_key_is_named() -> None:
    with pytest.raises(QueryError) as err:
        SearchRequest.from_dict({"q": "tiếp công dân", "linh_vuc": "y tế", "tu_ngay": "2022"})
    assert '"linh_vuc"' in err.value.message and '"tu_ngay"' in err.value.message


def test_the_accepted_names_and_aliases_still_work() -> None:
    request = SearchRequest.from_dict(
        {"q": "đường", "type": "QĐ", "from": "2020", "to": "2022", "topic": "y tế", "issuer": "UBND Bình Dương",
         "status": "hết hiệu lực", "sort": "date", "limit": 5, "offset": 5, "facets": False, "highlights": False}
    )  # fmt: skip
    assert request == SearchRequest(
        "đường", "QĐ", "y tế", "UBND Bình Dương", "hết hiệu lực", "2020", "2022", "date", 5, 5, False, False
    )
    long_names = SearchRequest.from_dict(
        {"query": "đường", "doc_type": "QĐ", "date_from": "2020", "date_to": "2022"}
    )
    assert long_names == SearchRequest("đường", doc_type="QĐ", date_from="2020", date_to="2022")


def test_harness_keys_are_not_filters() -> None:
    # What bench/search_quality.py --export-queries writes, the file docs/search.md feeds to --batch.
    line = {
        "qid": "ki-17",
        "id": "x",
        "kind": "title_nodiac",
        "query": "ke hoach phong chong dich",
        "relevant": ["kh-2022"],
    }
    assert SearchRequest.from_dict(line) == SearchRequest("ke hoach phong chong dich")


def test_one_field_under_two_names_with_two_values_is_refused() -> None:
    with pytest.raises(QueryError) as err:
        SearchRequest.from_dict({"query": "kế hoạch", "type": "KH", "doc_type": "QĐ"})
    assert err.value.field == "doc_type" and "type" in err.value.message
    same = SearchRequest.from_dict({"query": "kế hoạch", "type": "KH", "doc_type": "KH"})
    assert same.doc_type == "KH"  # the same value twice is not ambiguous


# -- vanban search --batch -----------------------------------------------------------------------------------


def test_a_batch_line_with_a_misspelt_filter_gets_an_error_and_the_batch_goes_on(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"qid": 1, "query": "kế hoạch", "tpye": "ke-hoach"},
        {"qid": 2, "query": "kế hoạch", "type": "ke-hoach", "limit": 3},
        {"qid": 3, "query": "3637 ubnd vx", "kind": "number", "relevant": ["cv-3637"]},
    ]
    (first, second, third), err = batch(data_dir, tmp_path, lines, capsys)
    assert first["qid"] == 1 and first["hits"] == []
    assert '"tpye"' in first["error"] and "doc_type (type)" in first["error"]
    assert set(first) == {"qid", "line", "hits", "error"}  # a query error, not a malformed line: its line named
    assert second["qid"] == 2 and len(second["hits"]) == 3 and "error" not in second
    assert third == {"qid": 3, "hits": ["cv-3637"]}
    assert "1 truy vấn lỗi" in err


def test_the_command_line_defaults_do_not_collide_with_a_lines_alias(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"qid": "a", "query": "kế hoạch", "type": "KH"}, {"qid": "b", "query": "kế hoạch"}]
    (own, inherited), err = batch(data_dir, tmp_path, lines, capsys, "--type", "QĐ")
    assert "error" not in own and own["hits"] and err == ""  # the line's own type wins, as before
    assert "error" not in inherited
