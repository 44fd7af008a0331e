"""``vanban serve`` access rules and ``vanban demo`` / bootstrap on an empty data directory."""

from __future__ import annotations

import argparse
import json
import stat

import pytest

from service.bootstrap import bootstrap_demo, prepare_index
from service.commands import demo, serve
from service.errors import CliError

KEYS = "an:admin:0123456789abcdef0123"


def test_no_open_write_api_on_a_network_address(tmp_path):
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(CliError, match="refusing"):
            serve.access_environment(host, tmp_path, {})
    with pytest.raises(CliError, match="local mode"):
        serve.access_environment("0.0.0.0", tmp_path, {"VANBAN_API_KEYS": KEYS, "VANBAN_LOCAL_MODE": "true"})
    env, key = serve.access_environment("0.0.0.0", tmp_path, {"VANBAN_API_KEYS": KEYS})
    assert env == {"VANBAN_LOCAL_MODE": "false"} and key is None
    with pytest.raises(CliError, match="VANBAN_API_KEYS"):
        serve.access_environment("127.0.0.1", tmp_path, {"VANBAN_API_KEYS": "an:admin:ngan"})


def test_local_mode_key_is_made_once_and_kept_private(tmp_path):
    env, key = serve.access_environment("127.0.0.1", tmp_path, {})
    assert env == {"VANBAN_API_KEYS": f"local-admin:admin:{key}", "VANBAN_LOCAL_MODE": "true"}
    path = tmp_path / serve.LOCAL_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert serve.access_environment("localhost", tmp_path, {})[1] == key  # same key next start
    env, key = serve.access_environment("127.0.0.1", tmp_path, {"VANBAN_API_KEYS": KEYS})
    assert key is None and env["VANBAN_LOCAL_MODE"] == "false"


def test_bootstrap_fills_an_empty_directory_once(demo_seed, tmp_path):
    # demo_seed was built by bootstrap_demo(train=False); here: the rest of its contract.
    from corpus.index import SearchIndex, index_path
    from corpus.store import Store

    with Store.open(demo_seed) as store:
        assert store.count() == 90
        assert SearchIndex.open(index_path(demo_seed), create=False).num_docs == 90
    again = tmp_path / "again"
    import shutil

    shutil.copytree(demo_seed, again)
    report = bootstrap_demo(again, train=False)
    assert report.imported == 0 and report.documents == 90 and not report.rebuilt
    assert "nothing imported" in report.notes[0]


def test_prepare_index_catches_up_with_imports_and_rebuilds_a_missing_index(demo_seed, tmp_path):
    import shutil

    from corpus.document import Document
    from corpus.index import index_path
    from corpus.store import Store

    data = tmp_path / "data"
    shutil.copytree(demo_seed, data)
    with Store.open(data) as store:
        store.upsert(Document(id="nhap-1", number="77/TB-UBND", title="Thông báo lịch tiếp công dân tháng 5"),
                     actor="import")  # fmt: skip
        assert prepare_index(store, data, lambda m: None) == (1, False)
        shutil.rmtree(index_path(data))
        indexed, rebuilt = prepare_index(store, data, lambda m: None)
        assert rebuilt and indexed == 91


def test_demo_command_prints_a_search_ready_summary(demo_seed, tmp_path, capsys):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_seed, data)
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    demo.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--data-dir", str(data), "demo", "--no-train", "--json"])
    assert args.handler(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["documents"] == 90 and summary["doc_types"]["quyet-dinh"] >= 1
    assert all(total > 0 for total in summary["sample_searches"].values())


def test_serve_prepares_then_serves_from_a_fresh_process(tmp_path):
    """The real command: it prepares the data directory, re-executes itself (so that the supervisor does
    not keep what preparing loaded) and serves with several workers; /readyz says no model is active."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    vanban = Path(sys.executable).with_name("vanban")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANBAN_")}
    command = [str(vanban), "--data-dir", str(tmp_path), "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 90
        while body is None and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                    body = json.loads(response.read())
            except urllib.error.HTTPError as exc:  # 503 while something is missing: still an answer
                body = json.loads(exc.read())
            except OSError:
                time.sleep(0.5)
        assert body is not None, f"the service did not answer; exit code {process.poll()}"
        assert body["checks"]["model"]["active"] is None and body["checks"]["store"]["documents"] == 0
        assert process.poll() is None  # still the same process: the re-exec kept the pid
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert output.count("LOCAL MODE") == 1, output  # printed once, after the re-exec
    assert "2 workers" in output


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["search", "x", "--limit", "abc"], "tham số --limit: 'abc' không phải là số"),
        (["serch", "x"], "không có 'serch'; hãy chọn một trong: 'analyze'"),
        (["search", "x", "--sort", "xyz"], "không có 'xyz'; hãy chọn một trong: 'relevance'"),
        (["search", "x", "--foo"], "không hiểu các tham số: --foo"),
        (["search", "x", "--limit"], "tham số --limit cần một giá trị"),
    ],
)
def test_usage_errors_are_said_in_vietnamese(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "lỗi:" in err and "invalid" not in err


def test_serve_on_a_port_in_use_says_so_before_anything_else(tmp_path, capsys):
    import socket

    from service.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--data-dir", str(tmp_path / "data"), "serve", "--port", str(port)]) == 2
    out = capsys.readouterr()
    assert f"cổng {port}" in out.err and "--port" in out.err and "LOCAL MODE" not in out.out
    assert not (tmp_path / "data").exists()  # nothing prepared, no key written
