"""``vanban tag``: propose the missing type and field of stored documents with the active model.

``vanban import`` does this for what it imports; this command does it for the whole store: documents filed
with ``--no-tag`` or before a model existed, and, with ``--refresh``, the proposals an older model version
made once a better one is active. A clerk's or the source's labels are never touched.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service.errors import CliError, require_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tag",
        help="propose the missing document type and field of stored documents with the active model",
        description="Tag every stored document that lacks a type or field and has no label for it, as uploads "
        "are tagged (model labels with version and confidence; doubtful ones queued for review). "
        "--refresh also re-proposes the fields another model version proposed. A clerk's or the source's "
        "labels are never changed.",
    )
    parser.add_argument("--refresh", action="store_true",
                        help="also re-propose fields whose current label came from another model version")  # fmt: skip
    parser.add_argument("--actor", default="tag", help="name recorded in the audit log (default: tag)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.store import Store
    from service.commands.import_ import attach_index, tag_stored

    data_dir = Path(args.data_dir)
    require_store(data_dir)
    try:
        with Store.open(data_dir) as store:
            detach = attach_index(store, data_dir)
            try:
                report = tag_stored(store, data_dir, store.ids(), args.actor, refresh=args.refresh)
            finally:
                if detach is not None:
                    detach()
    except StoreError as exc:
        raise CliError(exc.message) from exc
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.summary())
    if report.note and report.model_version is None:  # no usable model: nothing could be done
        if args.json:
            print(report.note, file=sys.stderr)
        return 1
    return 0
