"""QA defects of ``GET /api/search`` and ``vanban search``: one rule for the page size on both, ``--batch``
lines inherit the command line's ``--limit`` and filters, and a query may start with ``-word``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import cli
from service.errors import CliError
from tests.search import build
from tests.search.test_cli import run
from tests.service.conftest import assert_problem, auth


@pytest.fixture(scope="module")
def cli_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search-cli-qa")
    build(path).store.close()
    return path


# -- page size: one rule for the API and the CLI ------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, -1, 1001, 100_000])
def test_api_out_of_range_limit_is_a_422_with_the_real_range(client, limit: int) -> None:
    response = client.get("/api/search", params={"q": "kế hoạch", "limit": limit}, headers=auth("reader"))
    body = assert_problem(response, 422, "invalid-query")
    assert "từ 1 đến 1.000" in body["detail"]
    assert body["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("limit", [1, 100, 101, 1000])
def test_api_limit_in_range_is_honoured(client, limit: int) -> None:
    response = client.get("/api/search", params={"q": "kế hoạch", "limit": limit}, headers=auth("reader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["hits"]) == min(limit, body["total"])


def test_cli_and_api_give_the_same_answer_to_a_bad_limit(client, cli_data: Path) -> None:
    api = client.get("/api/search", params={"q": "kế hoạch", "limit": 100_000}, headers=auth("reader")).json()
    with pytest.raises(CliError) as err:
        run(cli_data, "search", "kế hoạch", "--limit", "100000")
    assert err.value.exit_code == 2
    assert str(err.value) == api["detail"]


def test_api_documents_the_real_range(client) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert "1–1.000" in limit["description"]


# -- --batch inherits the command line's page and filters --------------------------------------------------------


def _batch(cli_data: Path, tmp_path: Path, lines: list[dict], *argv: str, capsys: pytest.CaptureFixture[str]):
    batch = tmp_path / "queries.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    assert run(cli_data, "search", "--batch", str(batch), *argv) == 0
    return {out["qid"]: out for out in map(json.loads, capsys.readouterr().out.splitlines())}


def test_batch_lines_take_the_command_line_limit(
    cli_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"qid": "a", "query": "kế hoạch"}, {"qid": "b", "query": "kế hoạch", "limit": 3}]
    out = _batch(cli_data, tmp_path, lines, "--limit", "1", capsys=capsys)
    assert len(out["a"]["hits"]) == 1  # was 10: --limit was ignored
    assert len(out["b"]["hits"]) == 3  # a line's own limit wins
    out = _batch(cli_data, tmp_path, [{"qid": "all", "query": "*"}], "--limit", "12", capsys=capsys)
    assert len(out["all"]["hits"]) == 12  # more than the default 10


def test_batch_lines_take_the_command_line_filters(
    cli_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"qid": "default", "query": "kế hoạch"},
        {"qid": "own-type", "query": "kế hoạch", "type": "quyet-dinh"},
        {"qid": "own-year", "query": "kế hoạch", "from": "2014-01-01", "to": "2014-12-31"},
    ]
    out = _batch(
        cli_data, tmp_path, lines, "--type", "ke-hoach", "--from", "2022-01-01", "--limit", "50", capsys=capsys
    )
    assert set(out["default"]["hits"]) == {"kh-2022", "dt743", "bhyt-full"}  # not kh-2021, not duong-bo
    assert out["own-type"]["hits"] == ["duong-cb"]  # its own type, the command line's --from
    assert out["own-year"]["hits"] == []  # the command line's type: no kế hoạch of 2014


def test_batch_help_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["search", "--help"])
    assert done.value.code == 0
    assert "apply to every line that does not set its own" in " ".join(capsys.readouterr().out.split())


# -- a query that starts with "-" ------------------------------------------------------------------------------


def test_an_exclusion_only_query_runs(cli_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(cli_data), "search", "-covid", "--json", "--limit", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] > 0 and "kh-2022" not in {h["id"] for h in out["hits"]}


def test_unquoted_words_and_exclusions_make_one_query(cli_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cli_data, "search", "kế", "hoạch", "-covid", "--json", "--limit", "50") == 0
    unquoted = {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert run(cli_data, "search", "kế hoạch -covid", "--json", "--limit", "50") == 0
    quoted = {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert unquoted == quoted and "kh-2021" in quoted and "kh-2022" not in quoted


@pytest.mark.parametrize("argv", [["-hà"], ["kế hoạch", "-học"], ["--", "-covid"]])
def test_exclusions_starting_like_an_option(
    cli_data: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    # "-hà" once read as "-h" (help) with an argument "à", which failed
    assert run(cli_data, "search", "--json", *argv) == 0
    assert json.loads(capsys.readouterr().out)["total"] > 0


def test_help_and_unknown_options_still_behave(cli_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["search", "-h"])
    assert done.value.code == 0 and "--batch" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        cli.main(["--data-dir", str(cli_data), "search", "covid", "--limt", "3"])
    assert done.value.code == 2


def test_a_batch_answer_without_a_qid_names_its_line(
    cli_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # QA: {"query": …} without a qid was answered {"qid": null, …}, not to be matched to its query
    batch = tmp_path / "queries.jsonl"
    batch.write_text('{"qid": "a", "query": "kế hoạch"}\n\n{"query": "ke hoach"}\n{"query": "x", "type": "khong-co"}\n',
                     encoding="utf-8")  # fmt: skip
    assert run(cli_data, "search", "--batch", str(batch)) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(a["qid"], a.get("line")) for a in answers] == [("a", None), (None, 3), (None, 4)]
    assert answers[1]["hits"] and answers[2]["error"]


def test_a_mistyped_data_directory_is_refused_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """QA (2026-11-30): `vanban --data-dir typo_dir search …` created an empty archive and answered 0 results."""
    typo = tmp_path / "var-typo"
    for command in (["search", "kế hoạch"], ["related", "bd-00001"]):
        assert cli.main(["--data-dir", str(typo), *command]) == 2
        assert "không có kho văn bản" in capsys.readouterr().err
    assert not typo.exists()
