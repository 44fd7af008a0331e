"""A store on a disk that is full or read-only says so in Vietnamese, without SQLite's English alone and
without calling a good database broken (QA, 2026-11-30: "database or disk is full" with the server's path
shown to a clerk; a read-only data directory reported as "không phải cơ sở dữ liệu vanban dùng được")."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from corpus.errors import StoreError
from corpus.store import Store


def test_a_full_disk_is_said_as_such(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        error = store._wrap(sqlite3.OperationalError("database or disk is full"))
    assert isinstance(error, StoreError)
    assert "hết chỗ trống trên ổ đĩa" in error.message and "database" not in error.message
    assert str(tmp_path) not in error.message  # no server path for a clerk


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_a_read_only_directory_is_not_called_a_broken_database(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data"):
        pass
    for path in (tmp_path / "data", *(tmp_path / "data").iterdir()):
        path.chmod(stat.S_IREAD | stat.S_IEXEC)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(tmp_path / "data")
        assert "Tệp không bị hỏng" in caught.value.message
    finally:
        for path in (tmp_path / "data", *(tmp_path / "data").iterdir()):
            path.chmod(stat.S_IRWXU)


def test_unable_to_open_is_not_called_a_broken_database() -> None:
    from corpus.errors import unusable_database

    error = unusable_database("/srv/vanban/var/vanban.sqlite3", sqlite3.OperationalError("unable to open database file"))
    assert "Tệp không bị hỏng" in error.message and "không phải cơ sở dữ liệu" not in error.message
    broken = unusable_database("/srv/x.sqlite3", sqlite3.DatabaseError("file is not a database"))
    assert "không phải cơ sở dữ liệu vanban dùng được" in broken.message
