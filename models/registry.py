"""Versioned model directories under ``<data_dir>/models/`` with an ``active`` pointer.

Layout::

    models/
      20261128-031500-topic+doc_type-1a2b3c4d/   one version: manifest.json + model.joblib (+ training.fp)
      active                                     the active version id (one line, replaced atomically)
      history.jsonl                              every activation and rollback, for ``rollback``

A version is written to ``tmp-<uuid>/``, the manifest last, then renamed into place: a reader sees a
complete version or none. A version directory whose manifest is missing or unreadable is listed as
unusable (``VersionInfo.problem``), never hidden: someone must see it to repair or delete it. Loading checks
the manifest — format, scikit-learn version, analyser version, file checksum, identity — *before* unpickling
anything. A version's identity is its directory name, and the manifest must name the same version: a directory
copied or renamed by hand is listed as unusable and refused, so that one id never means two models.

``training.fp`` holds the fingerprints of the training documents (:func:`models.data.fingerprint`, sorted
8-byte big-endian integers), so an evaluation can say how many of its documents the model has already seen.

Example
-------
>>> reg = Registry.open("./var")            # doctest: +SKIP
>>> reg.active_version()                    # doctest: +SKIP
'20261128-031500-topic+doc_type-1a2b3c4d'
>>> classifier = reg.load_active()          # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.errors import (
    IncompatibleModel,
    ModelError,
    ModelNotFound,
    NoActiveModel,
    NothingToRollBack,
    PreviousVersionMissing,
    PreviousVersionUnusable,
)

if TYPE_CHECKING:
    from models.classify import Classifier

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MODEL_FILE = "model.joblib"
FINGERPRINTS_FILE = "training.fp"
ACTIVE = "active"
HISTORY = "history.jsonl"


@dataclass(frozen=True)
class VersionInfo:
    """One version as listed by the registry (read from its manifest; nothing unpickled)."""

    version: str
    path: Path
    created_at: str | None
    tasks: tuple[str, ...]
    active: bool
    metrics: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    documents: int | None = None
    description: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why this version cannot be used (Vietnamese), None when usable

    @property
    def usable(self) -> bool:
        return self.problem is None


def library_versions() -> dict[str, str]:
    import joblib
    import numpy
    import scipy
    import sklearn

    try:
        import underthesea

        ut = underthesea.__version__
    except ImportError:  # pragma: no cover - underthesea is a core dependency
        ut = "missing"
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "underthesea": ut,
    }


def git_sha() -> str | None:
    """The commit of the code that trained the model, when it runs from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True,
            text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Registry:
    """The model versions of one data directory. Cheap to create; touches the disk only when asked."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def open(cls, data_dir: str | Path) -> Registry:
        return cls(Path(data_dir) / "models")

    # -- reading ---------------------------------------------------------------------------------------

    def _manifest(self, directory: Path) -> tuple[dict[str, Any] | None, str | None]:
        """(manifest, None), or (None, why it cannot be read) in Vietnamese."""
        try:
            with open(directory / MANIFEST, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None, f"thiếu tệp {MANIFEST}"
        except (OSError, UnicodeDecodeError) as exc:
            return None, f"không đọc được {MANIFEST} ({exc.__class__.__name__})"
        except json.JSONDecodeError as exc:
            return None, f"manifest hỏng: {MANIFEST} không phải JSON hợp lệ (dòng {exc.lineno}: {exc.msg})"
        if not isinstance(data, dict):
            return None, f"manifest hỏng: {MANIFEST} không phải một đối tượng JSON"
        return data, None

    def _info(self, directory: Path, active: str | None) -> VersionInfo | None:
        manifest, problem = self._manifest(directory)
        if manifest is None:
            if not (directory / MANIFEST).exists() and not (directory / MODEL_FILE).exists():
                return None  # not a model version at all (an unrelated directory)
            return VersionInfo(version=directory.name, path=directory, created_at=None, tasks=(),
                               active=directory.name == active, problem=problem)
        tasks = manifest.get("tasks") or {}
        return VersionInfo(
            version=directory.name,
            path=directory,
            created_at=manifest.get("created"),
            tasks=tuple(tasks),
            active=directory.name == active,
            metrics={t: (tasks[t] or {}).get("cv_metrics") for t in tasks},
            labels={t: list((tasks[t] or {}).get("labels") or []) for t in tasks},
            documents=(manifest.get("corpus") or {}).get("documents"),
            description=manifest.get("description"),
            manifest=manifest,
        )

    def versions(self, check: bool = False) -> list[VersionInfo]:
        """Every version directory, oldest first (ids sort by creation time).

        A version whose manifest cannot be read, or names another version than its directory, comes with
        ``problem`` set. With ``check``, every other version is also put through :meth:`check` (library
        versions, files, checksum: reads each model file once) and its ``problem`` filled in.
        """
        if not self.root.is_dir():
            return []
        active = self.active_version()
        out = []
        for directory in sorted(self.root.iterdir()):
            if directory.is_dir() and not directory.name.startswith(("tmp-", ".")):
                info = self._info(directory, active)
                if info is None:
                    continue
                if info.problem is None:
                    try:
                        if check:
                            self._check(info)
                        else:
                            self._check_identity(info)
                    except IncompatibleModel as exc:
                        info = replace(info, problem=exc.reason)
                out.append(info)
        return out

    def _usable_info(self, version: str) -> VersionInfo:
        """The version's info; :class:`ModelNotFound` if absent, :class:`IncompatibleModel` if unreadable."""
        # No path is built from a name that cannot be a version id: a separator, a hidden or temporary
        # name, or one longer than any file name (is_dir() would raise "File name too long").
        if "/" in version or "\\" in version or "\0" in version or version.startswith((".", "tmp-")) or len(version) > 200:
            raise ModelNotFound(version[:80])
        directory = self.root / version
        if not directory.is_dir():
            raise ModelNotFound(version)
        info = self._info(directory, self.active_version())
        if info is None:
            raise ModelNotFound(version)
        if info.problem is not None:
            raise IncompatibleModel(version, f"không đọc được manifest của phiên bản này ({info.problem}).")
        return info

    def get(self, version: str) -> VersionInfo:
        """The version's info from its manifest (raises when absent or when the manifest is unreadable)."""
        return self._usable_info(version)

    def inspect(self, version: str) -> VersionInfo:
        """The version's info with ``problem`` set when it cannot be loaded here (nothing unpickled).

        Unlike :meth:`check` it does not raise for an incompatible or damaged version, so that its manifest
        can still be read; it raises only when there is no manifest to show.
        """
        info = self.get(version)
        try:
            return self._check(info)
        except IncompatibleModel as exc:
            return replace(info, problem=exc.reason)

    def active_version(self) -> str | None:
        """The active version id, or None. One small file read: cheap enough to poll on every request."""
        try:
            text = (self.root / ACTIVE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def active_labels(self, task: str) -> tuple[str, ...]:
        """The label set the active version learnt for ``task`` (empty without an active version, or when it
        has no such task, or its manifest cannot be read): a researcher's own taxonomy of fields is the one
        its model proposes, so the service and the importer accept these labels besides the built-in ones."""
        version = self.active_version()
        if version is None:
            return ()
        try:
            return tuple(self.get(version).labels.get(task, ()))
        except ModelError:  # a broken manifest is reported by `models list`, not here
            return ()

    # -- checking and loading --------------------------------------------------------------------------

    def check(self, version: str) -> VersionInfo:
        """Raise :class:`IncompatibleModel` unless ``version`` can be loaded safely here."""
        return self._check(self.get(version))

    def quick_problem(self, info: VersionInfo) -> str | None:
        """Why ``info``'s version cannot be loaded here, by every check but the model file's checksum (its
        manifest, library and analyser versions, the model file present, its identity): cheap enough for a
        page listing every version; None when it passes them."""
        if info.problem is not None:
            return info.problem
        try:
            self._check(info, checksum=False)
        except IncompatibleModel as exc:
            return exc.reason
        return None

    def _check(self, info: VersionInfo, checksum: bool = True) -> VersionInfo:
        from models.features import analyzer_version

        version = info.version
        m = info.manifest
        if m.get("format_version") != FORMAT_VERSION:
            raise IncompatibleModel(version, f"định dạng thư mục mô hình {m.get('format_version')!r}, "
                                             f"phiên bản này của vanban đọc định dạng {FORMAT_VERSION}.")
        have = library_versions()
        built = (m.get("versions") or {}).get("scikit-learn")
        if not built:
            raise IncompatibleModel(
                version,
                "tệp manifest không ghi phiên bản scikit-learn đã dùng để huấn luyện, nên không thể biết mô "
                "hình có nạp an toàn được không. Hãy huấn luyện lại (`vanban train`).",
            )
        if built != have["scikit-learn"]:
            raise IncompatibleModel(
                version,
                f"mô hình được huấn luyện bằng scikit-learn {built}, máy này có scikit-learn "
                f"{have['scikit-learn']}. Hãy huấn luyện lại (`vanban train`) hoặc cài đúng scikit-learn {built}.",
            )
        built_numpy = str((m.get("versions") or {}).get("numpy", ""))
        if built_numpy.split(".")[0] != have["numpy"].split(".")[0]:
            raise IncompatibleModel(version, f"mô hình được lưu bằng numpy {built_numpy}, máy này có numpy "
                                             f"{have['numpy']}. Hãy huấn luyện lại (`vanban train`).")
        for task, spec in (m.get("tasks") or {}).items():
            expected = analyzer_version(bool((spec.get("params") or {}).get("segment", True)))
            if spec.get("analyzer") != expected:
                raise IncompatibleModel(
                    version,
                    f"bộ phân tích văn bản đã thay đổi (mô hình {task}: {spec.get('analyzer')}, hiện tại: "
                    f"{expected}). Hãy huấn luyện lại (`vanban train`).",
                )
        files = m.get("files") or {}
        path = info.path / MODEL_FILE
        if MODEL_FILE not in files or not path.is_file():
            raise IncompatibleModel(version, f"thiếu tệp {MODEL_FILE}.")
        if checksum and _sha256(path) != files[MODEL_FILE]:
            raise IncompatibleModel(version, f"tệp {MODEL_FILE} đã bị thay đổi hoặc hỏng (sai mã kiểm tra).")
        # Last, so that a copy made to reproduce another problem still reports that problem first.
        return self._check_identity(info)

    @staticmethod
    def _check_identity(info: VersionInfo) -> VersionInfo:
        """Raise unless the manifest names the version its directory is called (cheap: no file read)."""
        claimed = info.manifest.get("version")
        if claimed != info.version:
            if isinstance(claimed, str) and claimed:
                plain = len(claimed) <= 200 and not any(c in claimed for c in "/\\\0") and not claimed.startswith(".")
                if plain and (info.path.parent / claimed).is_dir():
                    said = f"ghi phiên bản {claimed}, đã có trong kho: đây là một bản sao, hãy xóa nó."
                else:
                    said = (f"ghi phiên bản {claimed} (thư mục đã bị đổi tên). Hãy đặt lại tên thư mục là "
                            f"{claimed}.")
            else:
                said = "không ghi phiên bản nào. Hãy huấn luyện lại (`vanban train`)."
            raise IncompatibleModel(info.version, f"thư mục {info.version} nhưng manifest {said}")
        return info

    def training_fingerprints(self, version: str) -> list[int] | None:
        """The sorted fingerprints of the documents ``version`` was trained on; None for versions saved
        before they were recorded (or when the file is missing or damaged)."""
        info = self.get(version)
        expected = (info.manifest.get("files") or {}).get(FINGERPRINTS_FILE)
        path = info.path / FINGERPRINTS_FILE
        if not expected or not path.is_file():
            return None
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected or len(data) % 8:
            return None
        return [int.from_bytes(data[i : i + 8], "big") for i in range(0, len(data), 8)]

    def load_pipelines(self, version: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(manifest, {task: fitted Pipeline}) after :meth:`check`; unpickles only this registry's file."""
        import joblib

        info = self.check(version)
        try:
            pipelines = joblib.load(info.path / MODEL_FILE)
        except (EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError, KeyError, IndexError) as exc:
            # The checksum matched a damaged file (a manifest rewritten by hand after a copy was cut short):
            # said as the other damages are, never a traceback (QA).
            raise IncompatibleModel(version, f"tệp mô hình hỏng, không đọc được ({type(exc).__name__}); hãy "
                                    "huấn luyện lại hoặc chọn phiên bản khác.") from exc  # fmt: skip
        if not isinstance(pipelines, dict) or set(pipelines) != set(info.manifest.get("tasks") or {}):
            raise IncompatibleModel(version, "nội dung tệp mô hình không khớp với manifest.")
        return info.manifest, pipelines

    def load(self, version: str) -> Classifier:
        """A ready :class:`models.classify.Classifier` for ``version``."""
        from models.classify import Classifier

        manifest, pipelines = self.load_pipelines(version)
        return Classifier(pipelines, manifest, version)

    def load_active(self) -> Classifier:
        version = self.active_version()
        if version is None:
            raise NoActiveModel(str(self.root))
        return self.load(version)

    def resolve(self, version: str | None) -> str:
        """``version`` if given, else the active one (raises :class:`NoActiveModel`)."""
        if version:
            return self.get(version).version
        active = self.active_version()
        if active is None:
            raise NoActiveModel(str(self.root))
        return active

    # -- writing ---------------------------------------------------------------------------------------

    def save(self, pipelines: dict[str, Any], manifest: dict[str, Any],
             fingerprints: Iterable[int] | None = None) -> str:
        """Write a new version atomically and return its id (the version is not activated).

        ``fingerprints``: of the training documents (:func:`models.data.fingerprint`), kept in
        ``training.fp`` for the overlap check of ``evaluate``.
        """
        import joblib

        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"tmp-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            joblib.dump(pipelines, tmp / MODEL_FILE, compress=3)
            model_hash = _sha256(tmp / MODEL_FILE)
            files = {MODEL_FILE: model_hash}
            if fingerprints is not None:
                data = b"".join(f.to_bytes(8, "big") for f in sorted(set(fingerprints)))
                (tmp / FINGERPRINTS_FILE).write_bytes(data)
                files[FINGERPRINTS_FILE] = hashlib.sha256(data).hexdigest()
            now = datetime.now(UTC)
            tasks = "+".join(t for t in ("topic", "doc_type") if t in pipelines) or "+".join(sorted(pipelines))
            stem = f"{now:%Y%m%d-%H%M%S}-{tasks}-{model_hash[:8]}"
            version, n = stem, 2
            while (self.root / version).exists():
                version, n = f"{stem}-{n}", n + 1
            # The registry's own keys win over the caller's: a "version" passed in (say, copied from
            # another manifest) must not make the manifest disagree with the directory it is renamed to.
            own = {
                "format_version": FORMAT_VERSION,
                "version": version,
                "created": now.isoformat(timespec="seconds"),
                "git_sha": git_sha(),
                "versions": library_versions(),
            }
            extra = {k: v for k, v in manifest.items() if k not in own and k != "files"}
            full = {**own, **extra, "files": files}
            _write_atomic(tmp / MANIFEST, json.dumps(full, ensure_ascii=False, indent=2, sort_keys=False))
            os.replace(tmp, self.root / version)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return version

    def _history(self) -> list[dict[str, Any]]:
        try:
            lines = (self.root / HISTORY).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a torn last line after a crash: ignore it
        return out

    def _record(self, action: str, version: str, actor: str | None, previous: str | None) -> None:
        # ``previous``: what the pointer named before this switch (not what some worker had loaded).
        entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "action": action, "version": version,
                 "actor": actor, "previous": previous}
        with open(self.root / HISTORY, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def activate(self, version: str, actor: str | None = None) -> VersionInfo:
        """Make ``version`` the active one, after loading it here: a file whose checksum matches may still be
        cut short, and the service would then be switched to a model none of its workers can load (QA)."""
        info = self.check(version)
        self.load_pipelines(version)
        self.root.mkdir(parents=True, exist_ok=True)
        previous = self.active_version()
        _write_atomic(self.root / ACTIVE, version + "\n")
        self._record("activate", version, actor, previous)
        return info

    def switches(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest activations and rollbacks, newest first: ``at``, ``action`` (activate, rollback),
        ``version``, ``actor`` and ``previous`` (what the pointer named before; None in entries written before
        it was recorded). Every way of switching (CLI, ``train --activate``, web page, API) writes here."""
        return list(reversed(self._history()))[:limit]

    def _stack(self) -> list[str]:
        """Activations still in effect: activate pushes, rollback pops (so rollbacks walk back in time)."""
        stack: list[str] = []
        for entry in self._history():
            if entry.get("action") == "activate":
                stack.append(str(entry.get("version")))
            elif entry.get("action") == "rollback" and stack:
                stack.pop()
        return stack

    def rollback_target(self) -> str:
        """The version :meth:`rollback` would activate, checked loadable; raises when there is none, or when
        it is deleted or damaged (never skipped for an older one: the researcher decides what to do)."""
        stack = self._stack()
        current = self.active_version()
        while stack and stack[-1] == current:
            stack.pop()
        previous = next((v for v in reversed(stack) if v != current), None)
        if previous is None:
            raise NothingToRollBack()
        if not (self.root / previous).is_dir():
            raise PreviousVersionMissing(previous)
        try:
            self.check(previous)
        except ModelError as exc:
            raise PreviousVersionUnusable(previous, getattr(exc, "reason", exc.message)) from exc
        return previous

    def _loadable(self, version: str) -> None:
        """Raises :class:`PreviousVersionUnusable` when ``version``'s model file does not load."""
        try:
            self.load_pipelines(version)
        except ModelError as exc:
            raise PreviousVersionUnusable(version, getattr(exc, "reason", exc.message)) from exc

    def rollback(self, actor: str | None = None) -> str:
        """Re-activate the version that was active before the current one; returns it. Nothing is switched
        when that version was deleted or is damaged (:class:`PreviousVersionMissing`, ...Unusable)."""
        previous = self.rollback_target()
        self._loadable(previous)
        current = self.active_version()
        _write_atomic(self.root / ACTIVE, previous + "\n")
        self._record("rollback", previous, actor, current)
        return previous


TASK_NAMES = {"topic": "lĩnh vực", "doc_type": "loại văn bản"}
_MISSING_TASK_EFFECT = {
    "doc_type": "phân loại loại văn bản sẽ chỉ dựa vào số ký hiệu (và dòng tên loại ở đầu văn bản)",
    "topic": "lĩnh vực sẽ không được đề xuất, mọi văn bản sẽ được đánh dấu cần xem xét",
}


def missing_task_warnings(tasks: Iterable[str]) -> list[str]:
    """One Vietnamese warning per task a version lacks (a version trained with ``--task topic``, say)."""
    have = set(tasks)
    return [
        f"Cảnh báo: phiên bản này không có mô hình {TASK_NAMES[task]}; {_MISSING_TASK_EFFECT[task]}."
        for task in ("doc_type", "topic") if task not in have
    ]


# The fixed opening of :func:`taxonomy_warning`: the models page knows the warning by it.
TAXONOMY_WARNING = "Cảnh báo: danh mục lĩnh vực của phiên bản này khác với lĩnh vực của các văn bản trong kho"


def taxonomy_warning(model_labels: Iterable[str], stored: dict[str, int]) -> str | None:
    """A Vietnamese warning when most documents of the store that have a field hold one the version does not
    know (a researcher's model of another taxonomy activated over a store of the 14 fields, or the other way
    round): its proposals will then be of another list than the documents'. None when they mostly agree."""
    labels = set(model_labels)
    total = sum(stored.values())
    if not labels or not total:
        return None
    unknown = {label: n for label, n in stored.items() if label not in labels}
    held = sum(unknown.values())
    if held * 2 <= total:
        return None
    examples = ", ".join(f"“{label}”" for label in list(unknown)[:3])
    return (
        f"{TAXONOMY_WARNING}: {held} trong {total} văn bản đã có lĩnh vực mà mô hình không biết (như {examples}). "
        "Mô hình sẽ đề xuất theo danh mục của nó cho văn bản chưa có lĩnh vực; lĩnh vực đã có không bị đổi."
    )



def activation_warnings(tasks: Iterable[str], topic_labels: Iterable[str], stored: dict[str, int] | None) -> list[str]:
    """Every Vietnamese warning an activation gives, whichever way it is made (``models activate``,
    ``train --activate``, the web page and API): the tasks the version lacks, then a field list other than the
    store's (``stored``: the store's field counts; None or empty when there is no store)."""
    warnings = missing_task_warnings(tasks)
    if stored and (mismatch := taxonomy_warning(topic_labels, stored)):
        warnings.append(mismatch)
    return warnings


def lost_tasks(new_tasks: Iterable[str], active: VersionInfo | None) -> list[str]:
    """The tasks the active version has and ``new_tasks`` lacks, in :data:`TASK_NAMES` order: activating the
    new version would silently stop those proposals (a ``--task topic`` run, or a corpus of one type)."""
    if active is None:
        return []
    have = set(new_tasks)
    return [task for task in TASK_NAMES if task in active.tasks and task not in have]
