"""The CLI verbs search, related and index, driven as ``vanban`` would drive them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.store import Store
from service.commands import index_cmd, related, search
from service.errors import CliError
from tests import run_commands
from tests.search import DOCS, build


def run(data_dir: Path, *argv: str) -> int:
    return run_commands((search, related, index_cmd), data_dir, *argv)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    build(path).close()
    return path


def test_search_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "search", "139 kh ubnd", "--type", "KH", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 2 and [h["id"] for h in out["hits"]] == ["kh-2022", "kh-2021"]
    assert set(out["hits"][0]) >= {"id", "number", "title", "doc_type", "topic", "issuer", "issued_date", "score",
                                   "highlights"}  # fmt: skip
    assert out["facets"]["doc_type"] == {"ke-hoach": 2}


def test_search_human_output(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "search", "duong bo", "--limit", "1") == 0
    out = capsys.readouterr().out
    assert "Tìm thấy" in out and "2473/QĐ-UBND" in out and "«đường bộ" in out


def test_search_error_is_vietnamese_and_exit_2(data_dir: Path) -> None:
    with pytest.raises(CliError) as err:
        run(data_dir, "search", "kế hoạch", "--from", "2023", "--to", "2022")
    assert err.value.exit_code == 2 and "Khoảng ngày" in str(err.value)


def test_batch(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "queries.jsonl"
    lines = [
        {"qid": "a", "query": "3637 ubnd vx"},
        {"qid": "b", "query": "kế hoạch", "type": "ke-hoach", "from": "2022-07-01", "limit": 2},
        {"qid": "c", "query": ""},
    ]
    batch.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n", encoding="utf-8"
    )
    assert run(data_dir, "search", "--batch", str(batch), "--json") == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0] == {"qid": "a", "hits": ["cv-3637"]}
    assert out[1]["qid"] == "b" and len(out[1]["hits"]) == 2
    assert out[2]["qid"] == "c" and out[2]["hits"] == [] and out[2]["error"]
    assert out[3]["hits"] == [] and "JSON" in out[3]["error"]


def test_related_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "related", "dt743", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in out["cites"]] == ["qd-1906", "ct-01"]
    with pytest.raises(CliError) as err:
        run(data_dir, "related", "khong-co")
    assert "khong-co" in str(err.value) and err.value.exit_code == 2
    with pytest.raises(CliError) as err:  # an empty id is the same kind of mistake (QA: it exited 1)
        run(data_dir, "related", " ")
    assert "thiếu mã văn bản" in str(err.value) and err.value.exit_code == 2


def test_index_rebuild_sync_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(tmp_path) as store:
        store.upsert_many(DOCS, actor="test")
    with pytest.raises(CliError) as err:  # the store has documents but nothing was indexed yet
        run(tmp_path, "search", "đường")
    assert "vanban index --rebuild" in str(err.value)
    capsys.readouterr()
    assert run(tmp_path, "index", "--status") == 1
    status = capsys.readouterr().out
    # one sentence a line, no Python "None" in the clerk's text (QA)
    assert "None" not in status and f"Kho: {len(DOCS)} văn bản; chỉ mục: không đọc được" in status
    assert all(line.rstrip().endswith((".", ")")) for line in status.strip().splitlines())
    assert run(tmp_path, "index", "--rebuild", "--json") == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["documents"] == len(DOCS)
    assert run(tmp_path, "index", "--json") == 0
    assert json.loads(capsys.readouterr().out)["indexed"] == 0
    assert run(tmp_path, "index", "--status") == 0
