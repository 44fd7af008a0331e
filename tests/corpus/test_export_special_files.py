"""``--out`` naming a pipe (or a device) is written in place, never replaced by a renamed file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from corpus.document import Document
from corpus.export import export_to_file
from corpus.store import Store


def test_a_named_pipe_is_written_in_place(tmp_path: Path) -> None:
    pipe = tmp_path / "ong"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    with Store.open(tmp_path / "data") as store:
        store.upsert(Document(id="kh-1", title="Kế hoạch phòng chống thiên tai năm 2025"), actor="import")
        report = export_to_file(store, pipe)
    reader.join(timeout=10)
    assert report.written == 1 and '"Kế hoạch phòng chống thiên tai năm 2025"' in received[0]
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still the pipe, not a file renamed over it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ong")] == []
