"""``vanban search QUERY``: find documents by words, number or metadata; ``--batch`` for evaluation runs."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from service.errors import CliError, require_store

_MARK = re.compile(r"</?mark>")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search documents (words with or without diacritics, numbers typed any way, filters)",
        description=(
            "Search the index of --data-dir. Words may be typed without diacritics; numbers any way (139/KH-UBND, "
            '139 kh ubnd, số 139/KH); "quoted phrases" must match; -word excludes. With --batch, read JSONL lines '
            '{"qid":…, "query":…, filters…} and print one line {"qid":…, "hits":[ids in rank order]} per query; '
            "--limit, --offset, --sort and the filters given on the command line apply to every line that does not "
            "set its own. A query may start with -word (vanban search -covid) or follow -- (vanban search -- -covid)."
        ),
        # "-h" is answered by _read_loose_words_as_query: registered, it would swallow "-hà", "-học"… as
        # "-h" with an argument and fail, where a clerk means to exclude a word.
        add_help=False,
    )
    parser.add_argument("--help", action="help", help="show this help message and exit (also -h)")
    parser.add_argument(
        "query",
        nargs="?",
        default="",
        help="what to look for (may be empty with filters); unquoted words and -word exclusions are joined",
    )
    parser.add_argument(
        "--type", dest="doc_type", help="document type: slug (quyet-dinh), code (QĐ) or name; a,b for several"
    )
    parser.add_argument("--topic", help="field (lĩnh vực): code (y-te), name, or a label the documents hold "
                        "(any case; a label with a comma is one field); a,b for several")
    parser.add_argument("--issuer", help="issuing body, any words of its name (UBND Bình Dương)")
    parser.add_argument("--status", help="validity: con-hieu-luc, het-hieu-luc, … or words (hết hiệu lực)")
    parser.add_argument(
        "--from", dest="date_from", help="issued on or after (2022-07-20, 20/7/2022, 7/2022, 2022)"
    )
    parser.add_argument("--to", dest="date_to", help="issued on or before")
    parser.add_argument("--sort", default="relevance", choices=("relevance", "date", "date_asc"))
    parser.add_argument(
        "--limit", type=int, default=10, help="hits per page (default 10; with --batch, for every line without its own)"
    )
    parser.add_argument("--offset", type=int, default=0, help="hits to skip (paging)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--batch", metavar="FILE.jsonl", help="run every query of a JSONL file ('-': stdin)")
    parser.add_argument("--no-facets", dest="facets", action="store_false", help="skip facet counts")
    parser.add_argument("--no-highlights", dest="highlights", action="store_false", help="skip snippets")
    parser.set_defaults(handler=run)
    _read_loose_words_as_query(parser)


def _read_loose_words_as_query(parser: argparse.ArgumentParser) -> None:
    """Make ``vanban search -covid`` and ``vanban search kế hoạch -covid`` work as a clerk means them.

    argparse reads ``-covid`` as an unknown option and a second bare word as an extra argument, and the
    top-level parser then fails with an English "unrecognized arguments". Both are words of the query: this
    parser's leftovers that are not ``--options`` are appended to the query, in the order typed, before
    the top-level parser sees them. An unknown ``--option`` (a typo such as ``--limt``) is still an error.
    """
    parse_known_args = parser.parse_known_args

    def parse_with_query_words(
        args: Any = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = parse_known_args(args, namespace)
        if "-h" in extras:
            parser.print_help()
            parser.exit()
        words = [extra for extra in extras if not extra.startswith("--")]
        if words:
            parsed.query = " ".join(filter(None, (getattr(parsed, "query", "") or "", *words)))
        return parsed, [extra for extra in extras if extra.startswith("--")]

    # The sub-command action calls ``parser.parse_known_args``: wrapping it on this one parser keeps the
    # other verbs, and the top-level parser's own checks, as they are.
    setattr(parser, "parse_known_args", parse_with_query_words)  # noqa: B010 - a method assignment mypy rejects


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.search import Searcher, SearchRequest
    from corpus.search_errors import QueryError, SearchError

    require_store(args.data_dir)
    try:
        searcher = Searcher.open(Path(args.data_dir))
    except (SearchError, StoreError) as exc:
        raise CliError(exc.message) from exc
    from service.commands.import_ import model_topics

    searcher.own_topics = lambda: model_topics(Path(args.data_dir))  # read on a field filter only
    try:
        if args.batch:
            return _batch(searcher, args.batch, _batch_defaults(args))
        request = SearchRequest(
            query=args.query,
            doc_type=args.doc_type,
            topic=args.topic,
            issuer=args.issuer,
            status=args.status,
            date_from=args.date_from,
            date_to=args.date_to,
            sort=args.sort,
            limit=args.limit,
            offset=args.offset,
            facets=args.facets,
            highlights=args.highlights,
        )
        try:
            result = searcher.search(request)
        except QueryError as exc:
            raise CliError(exc.message, exit_code=2) from exc
        except SearchError as exc:
            raise CliError(exc.message) from exc
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            _print_human(result, args.offset, sys.stdout)
        return 0
    finally:
        searcher.close()


# The names a --batch line may use for a request field (``SearchRequest.from_dict`` accepts both).
_LINE_NAMES = {"doc_type": ("doc_type", "type"), "date_from": ("date_from", "from"), "date_to": ("date_to", "to")}


def _batch_defaults(args: argparse.Namespace) -> dict[str, Any]:
    """The command line's page, sort and filters: the values of every --batch line that does not set them."""
    fields = ("doc_type", "topic", "issuer", "status", "date_from", "date_to", "sort", "limit", "offset")
    return {name: getattr(args, name) for name in fields if getattr(args, name) is not None}


def _with_defaults(line: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """``line`` plus each default it does not set under any of the field's names."""
    merged = dict(line)
    for name, value in defaults.items():
        if not any(alias in line for alias in _LINE_NAMES.get(name, (name,))):
            merged[name] = value
    return merged


def _batch(searcher: Any, source: str, defaults: dict[str, Any] | None = None) -> int:
    """One output line per input line, in order; a bad line or query gets ``hits: []`` and an ``error``.

    ``defaults`` (the command line's ``--limit``, filters…) fill in what a line does not set."""
    from corpus.search import SearchRequest
    from corpus.search_errors import QueryError

    try:
        handle: TextIO = sys.stdin if source == "-" else open(source, encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise CliError(f"không đọc được tệp {source}: {exc.strerror or exc}", exit_code=2) from exc
    failures = 0
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            qid: Any = None
            try:
                values = json.loads(line)
                if not isinstance(values, dict):
                    raise ValueError("not an object")
                qid = values.get("qid", values.get("id"))
                options = _with_defaults({k: v for k, v in values.items() if k not in ("qid", "id")}, defaults or {})
                request = SearchRequest.from_dict({**options, "facets": False, "highlights": False})
                result = searcher.search(request)
                out: dict[str, Any] = {"qid": qid, "hits": [h.id for h in result.hits]}
            except QueryError as exc:
                failures += 1
                out = {"qid": qid, "line": number, "hits": [], "error": exc.message}
            except (ValueError, TypeError) as exc:
                failures += 1
                out = {
                    "qid": qid,
                    "line": number,
                    "hits": [],
                    "error": f"dòng {number} không phải đối tượng JSON hợp lệ: {exc}",
                }
            if qid is None:
                out.setdefault("line", number)  # an answer without a qid is matched to its query by the line
            print(json.dumps(out, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    if failures:
        print(f"vanban search: {failures} truy vấn lỗi (xem trường error)", file=sys.stderr)
    return 0


def _print_human(result: Any, offset: int, out: TextIO) -> None:
    bold = out.isatty()

    def marks(html: str) -> str:
        import html as html_module

        text = _MARK.sub(
            lambda m: (
                ("\033[1m" if m.group(0) == "<mark>" else "\033[0m") if bold else "«»"[m.group(0) != "<mark>"]
            ),
            html,
        )
        return html_module.unescape(text)

    shown = f"{offset + 1}–{offset + len(result.hits)}" if result.hits else "0"
    print(f"Tìm thấy {result.total} văn bản (hiển thị {shown}, {result.took_ms:.0f} ms)", file=out)
    for rank, hit in enumerate(result.hits, start=offset + 1):
        date = hit.issued_date.strftime("%d/%m/%Y") if hit.issued_date else "không rõ ngày"
        print(f"\n{rank}. {hit.number or '(không số)'} · {date} · {hit.doc_type or '?'} · {hit.id}", file=out)
        title = hit.highlights.title or hit.title
        if title:
            print(f"   {marks(title)}", file=out)
        for fragment in hit.highlights.text:  # a fragment carries its own "…" where the text was cut
            print(f"   {marks(fragment)}", file=out)
    for name, counts in result.facets.items():
        if counts:
            top = ", ".join(f"{value} ({count})" for value, count in list(counts.items())[:6])
            print(f"\n{name}: {top}", file=out) if name == "doc_type" else print(f"{name}: {top}", file=out)
