"""Errors of the models package: English class names, Vietnamese messages a clerk or researcher can act on.

The service maps them to HTTP statuses (``NoActiveModel`` → 409, ``ModelNotFound`` → 404,
``IncompatibleModel`` → 409, ``TrainingDataError`` → 422); the CLI prints the message and exits non-zero.
"""

from __future__ import annotations


class ModelError(Exception):
    """Base class: ``message`` is in Vietnamese and meant to be shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelNotFound(ModelError):
    """No model version with this id in the registry."""

    def __init__(self, version: str) -> None:
        super().__init__(f"Không có phiên bản mô hình “{version}” trong kho mô hình.")
        self.version = version


class NoActiveModel(ModelError):
    """The registry has no active version (nothing trained or activated yet)."""

    def __init__(self, root: str) -> None:
        super().__init__(
            f"Chưa có mô hình nào đang được dùng trong {root}: hãy chạy `vanban train` "
            "(hoặc `make train`) rồi `vanban models activate PHIÊN_BẢN`."
        )
        self.root = root


class IncompatibleModel(ModelError):
    """The model directory was written by other library versions, or its files are damaged.

    Raised *before* anything is unpickled: a pickle from another scikit-learn version may load with only a
    warning and then give silently wrong answers.
    """

    def __init__(self, version: str, reason: str) -> None:
        super().__init__(f"Không dùng được mô hình “{version}”: {reason}")
        self.version = version
        self.reason = reason


class TrainingDataError(ModelError):
    """The training corpus cannot train the requested task (missing file, bad JSON, too few labels)."""


class NothingToRollBack(ModelError):
    """``rollback`` was asked for but no earlier version was ever active."""

    def __init__(self) -> None:
        super().__init__("Không có phiên bản nào trước đó để quay lại.")


class PreviousVersionMissing(ModelNotFound):
    """``rollback``'s previous version was deleted: refused rather than going further back unasked (a
    :class:`ModelNotFound`, so the service answers 404 naming it)."""

    def __init__(self, version: str) -> None:
        ModelError.__init__(
            self,
            f"Không quay lại được: phiên bản trước đó “{version}” không còn trong kho mô hình (thư mục đã bị xóa). "
            "Không có gì bị thay đổi. Hãy chọn rõ phiên bản cần dùng: xem `vanban models list`, rồi "
            "`vanban models activate PHIÊN_BẢN`."
        )
        self.version = version


class PreviousVersionUnusable(IncompatibleModel):
    """``rollback``'s previous version is damaged or incompatible: refused, naming it."""

    def __init__(self, version: str, reason: str) -> None:
        ModelError.__init__(
            self,
            f"Không quay lại được: phiên bản trước đó “{version}” không dùng được: {reason.rstrip('.')}. Không có gì "
            "bị thay đổi. Hãy chọn rõ phiên bản cần dùng: xem `vanban models list`, rồi `vanban models activate PHIÊN_BẢN`."
        )
        self.version = version
        self.reason = reason
