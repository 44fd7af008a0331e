"""Training at start (``vanban serve --bootstrap-demo``) leaves no worker processes behind.

The service re-executes itself after preparing the data directory, which runs no exit handler: joblib's
reusable pool of cross-validation workers would stay alive for its idle timeout. ``train_default`` stops it.
"""

from __future__ import annotations

from pathlib import Path

import psutil

from service.bootstrap import bootstrap_demo


def _pool_workers() -> list[str]:
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.Error:  # exited meanwhile
            continue
        if "popen_loky" in command:
            out.append(command)
    return out


def test_training_at_start_leaves_no_pool_workers(tmp_path: Path) -> None:
    report = bootstrap_demo(tmp_path / "data", cv=2)  # cross-validation runs on the pool
    assert report.trained and report.model_version
    assert _pool_workers() == []
