"""``vanban serve``: the HTTP API and the web pages (uvicorn), with a safe default for one machine.

Access: with ``VANBAN_API_KEYS`` set, every ``/api`` route needs a key. Without keys, on a loopback
address, the service starts in *local mode*: reading needs no key, writing needs the local admin key,
which is generated once, kept in ``<data-dir>/local_admin.key`` (mode 0600) and printed at start. Without
keys on any other address the command refuses to start: an open write API must never reach a network.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from corpus.migrations import DB_FILENAME
from service.errors import CliError

LOCAL_KEY_FILE = "local_admin.key"
_PREPARED_ENV = "VANBAN_SERVE_PREPARED"  # set across the re-exec of run(): preparation is done


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the web pages and the HTTP API (local mode on 127.0.0.1 without keys)",
        description=(
            "Serve the web pages and the JSON API on --data-dir. Keys come from VANBAN_API_KEYS "
            '("name:role:key,…", roles reader < uploader < admin). Without keys the service runs in local '
            "mode on a loopback address only: reading is open, writing needs the printed admin key."
        ),
    )
    parser.add_argument("--host", default=os.environ.get("VANBAN_HOST", "127.0.0.1"), help="default 127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("VANBAN_PORT", "8000")), help="default 8000")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="worker processes (default 1)")  # fmt: skip
    parser.add_argument("--bootstrap-demo", action="store_true",
                        help="on an empty data directory: import the demo corpus, index it, train the default model")  # fmt: skip
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    parser.set_defaults(handler=run)


def local_admin_key(data_dir: Path) -> str:
    """The local admin key of ``data_dir``, created on first use (readable by its owner only)."""
    path = data_dir / LOCAL_KEY_FILE
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 16:
            return key
    key = secrets.token_urlsafe(24)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
    except OSError as exc:  # a read-only or full data directory (QA: a traceback)
        raise CliError(f"không ghi được khóa quản trị cục bộ vào {path} ({exc.strerror or exc}): thư mục dữ liệu "
                       "phải ghi được — kiểm tra quyền, ổ đĩa chỉ đọc hoặc đầy") from None  # fmt: skip
    return key


def access_environment(host: str, data_dir: Path, environ: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """Environment for the workers and the local key to print (None when keys are configured)."""
    from service.settings import is_loopback, parse_api_keys

    keys_spec = environ.get("VANBAN_API_KEYS", "").strip()
    try:
        keys = parse_api_keys(keys_spec)
    except ValueError as exc:
        raise CliError(f"VANBAN_API_KEYS: {exc}") from None
    local = environ.get("VANBAN_LOCAL_MODE", "").strip().lower() in ("1", "true", "yes", "on")
    if not is_loopback(host):
        if not keys:
            raise CliError(
                f"refusing to serve on {host} without API keys: anyone on the network could write. "
                'Set VANBAN_API_KEYS="name:role:key,…" (roles reader, uploader, admin) or serve on 127.0.0.1.'
            )
        if local:
            raise CliError(f"local mode (open reading) is for 127.0.0.1 only, not {host}; unset VANBAN_LOCAL_MODE")
        return {"VANBAN_LOCAL_MODE": "false"}, None
    if keys:
        return {"VANBAN_LOCAL_MODE": "true" if local else "false"}, None
    key = local_admin_key(data_dir)
    return {"VANBAN_API_KEYS": f"local-admin:admin:{key}", "VANBAN_LOCAL_MODE": "true"}, key


def log_config(level: str) -> dict:
    """uvicorn's logging configuration plus vanban's own loggers, so that every worker process logs
    model swaps, refused files and errors the same way."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["vanban"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    # every line stamped (QA: an operator could not tell when a busy index or a full disk happened)
    for formatter in config["formatters"].values():
        formatter["fmt"] = "%(asctime)s " + formatter["fmt"]
    return config


def _check_settings(data_dir: Path) -> None:
    """Refuse wrong VANBAN_* settings here, in words, not in every worker's traceback after the banner (QA:
    VANBAN_REVIEW_THRESHOLD=90)."""
    from pydantic import ValidationError

    from service.settings import Settings

    try:
        Settings(data_dir=data_dir)
    except ValidationError as exc:
        wrong = "; ".join(f"VANBAN_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        raise CliError(f"cấu hình không hợp lệ — {wrong}; sửa biến môi trường rồi chạy lại", exit_code=2) from None


def _check_port_free(host: str, port: int) -> None:
    """Refuse before preparing anything, printing a key or loading a model when another program holds the
    port (QA: the address and key printed belonged to the server already there, then uvicorn failed)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(f"cổng {port} trên {host} đang được chương trình khác dùng ({exc.strerror or exc}); "
                           f"dừng chương trình đó hoặc chọn cổng khác, ví dụ: vanban serve --port {port + 1}", 2) from None


def run(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    if not 0 < args.port < 65536:
        raise CliError("--port must be between 1 and 65535")
    if not 1 <= args.workers <= 64:
        raise CliError("--workers must be between 1 and 64")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _check_port_free(args.host, args.port)
    data_dir = Path(args.data_dir).resolve()
    _check_settings(data_dir)
    if os.environ.get(_PREPARED_ENV) != str(data_dir) and not (data_dir / DB_FILENAME).is_file():
        # loud: a mistyped --data-dir / VANBAN_DATA_DIR or another working directory starts a second archive
        print(f"vanban: no archive in {data_dir}: starting a new, empty one (check --data-dir / VANBAN_DATA_DIR "
              "if documents were expected)", file=sys.stderr, flush=True)  # fmt: skip
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the data directory {data_dir}: {exc.strerror or exc}") from None
    env, local_key = access_environment(args.host, data_dir, dict(os.environ))
    if os.environ.get(_PREPARED_ENV) != str(data_dir):
        error = _prepare(data_dir, args.bootstrap_demo)
        if error:
            raise CliError(error)
        # Start again as a fresh process (same pid, same arguments): the supervisor that stays to watch
        # the workers must not keep what preparing loaded (store, analyser, scikit-learn: ~100 MB for the
        # life of the service). Not in a child process: training's own worker pool hangs in one.
        os.environ[_PREPARED_ENV] = str(data_dir)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, sys.orig_argv)
    del os.environ[_PREPARED_ENV]  # the workers and anything they start prepare nothing twice anyway
    os.environ.update(env)
    os.environ["VANBAN_DATA_DIR"] = str(data_dir)
    # glibc gives each thread that allocates its own malloc arena (up to 8 per core); the request thread
    # pool of every worker then holds freed memory in dozens of arenas. Two arenas cut a worker's resident
    # memory under load by a third (bench/memory.py). An operator's own setting wins.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    from service.settings import get_settings

    get_settings.cache_clear()
    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
    print(f"vanban: serving {data_dir} on {url} ({args.workers} worker{'s' if args.workers > 1 else ''})", flush=True)
    if local_key:
        print("vanban: LOCAL MODE — only this machine can connect. Reading needs no key;", flush=True)
        print(f"vanban: uploads, corrections and admin need this key (kept in {data_dir / LOCAL_KEY_FILE}):", flush=True)
        print(f"\n    {local_key}\n", flush=True)
        print(f"vanban: sign in at {url}login or send 'Authorization: Bearer <key>' to the API.", flush=True)
    uvicorn.run(
        "service.app:create_app",
        log_config=log_config(args.log_level),
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        # uvicorn replaces a worker that misses its health check; 5 s (the default) is missed by a busy
        # worker on a loaded two-core machine, and replacing it drops its connections mid-request.
        timeout_worker_healthcheck=30,
    )
    return 0


def default_workers() -> int:
    """Worker processes when ``--workers`` is not given: ``VANBAN_WORKERS``, else one (memory decides: each
    worker maps the index and loads the segmenter and the model; see README)."""
    return int(os.environ.get("VANBAN_WORKERS", "1"))


def _prepare(data_dir: Path, bootstrap: bool) -> str | None:
    """Bootstrap the demo corpus or bring the index up to date; the error to show, or None."""
    from corpus.errors import StoreError
    from corpus.search_errors import SearchError
    from service.bootstrap import bootstrap_demo, prepare_index

    say = lambda message: print(f"vanban: {message}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        if bootstrap:
            report = bootstrap_demo(data_dir, say=say)
            for note in report.notes:
                say(note)
        else:
            from corpus.store import Store

            with Store.open(data_dir) as store:
                prepare_index(store, data_dir, say)
    except (StoreError, SearchError) as exc:
        return exc.message
    if os.environ.get("VANBAN_PRELOAD_MODEL", "").strip().lower() in ("0", "false", "no", "off"):
        _check_model(data_dir, say)
    return None


def _check_model(data_dir: Path, say: Callable[[str], None]) -> None:
    """Workers that load the active model on first use (``VANBAN_PRELOAD_MODEL=false``) would tell only
    then that it cannot be loaded: say it now, once, at start (importing scikit-learn here costs ~3 s)."""
    from service.services import open_registry

    registry, error = open_registry(data_dir)
    active = None if error else registry.active_version()
    if active is None:
        return
    try:
        registry.check(active)
    except Exception as exc:  # any refusal: the service still serves, tagging uploads from their header
        say(f"WARNING: the active model {active} cannot be loaded here: {getattr(exc, 'message', exc)}. "
            "Uploads are tagged from their header until another model is activated (vanban train).")

