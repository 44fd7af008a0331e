"""Service settings, read from the environment (prefix ``VANBAN_``) by pydantic-settings.

Nothing is read at import time: :func:`get_settings` builds the settings on first call and caches them, so
tests either build a :class:`Settings` themselves and hand it to :func:`service.app.create_app`, or clear
the cache with ``get_settings.cache_clear()``.

API keys are configured as ``VANBAN_API_KEYS="name:role:key,name2:role2:key2"``. Roles are ordered
``reader < uploader < admin``. The key's *name* is what the audit log records for every write made with it.

Example
-------
>>> s = Settings(api_keys="an:admin:0123456789abcdef,binh:reader:fedcba9876543210")
>>> [(k.name, k.role.value) for k in s.keys()]
[('an', 'admin'), ('binh', 'reader')]
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_KEY_CHARS = 16
_NAME = re.compile(r"^[\w.@-]{1,64}$")


class Role(IntEnum):
    """Access levels; a higher role may do everything a lower one may."""

    READER = 1
    UPLOADER = 2
    ADMIN = 3

    @property
    def value_name(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {text!r} (expected reader, uploader or admin)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class ApiKey:
    """One configured key. ``digest`` (SHA-256 of the key) is what comparisons and sessions use."""

    name: str
    role: Role
    key: str

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.key.encode("utf-8")).digest()


def parse_api_keys(spec: str) -> tuple[ApiKey, ...]:
    """Parse ``"name:role:key,…"``; raises ``ValueError`` naming the bad entry (never echoing a key)."""
    keys: list[ApiKey] = []
    seen_names: set[str] = set()
    seen_keys: set[str] = set()
    for position, raw in enumerate(spec.split(","), start=1):
        entry = raw.strip()
        if not entry:
            continue
        parts = entry.split(":", 2)
        if len(parts) != 3:
            raise ValueError(f"API key entry #{position} must be name:role:key")
        name, role, key = (p.strip() for p in parts)
        if not _NAME.fullmatch(name):
            raise ValueError(f"API key entry #{position}: name {name!r} must be 1-64 letters, digits, . _ @ -")
        if len(key) < MIN_KEY_CHARS:
            raise ValueError(f"API key {name!r}: the key must have at least {MIN_KEY_CHARS} characters")
        if name in seen_names:
            raise ValueError(f"API key name {name!r} is configured twice")
        if key in seen_keys:
            raise ValueError(f"API key {name!r} reuses the key of another entry")
        seen_names.add(name)
        seen_keys.add(key)
        keys.append(ApiKey(name, Role.parse(role), key))
    return tuple(keys)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Everything the service can be told from outside. Env: ``VANBAN_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="VANBAN_", extra="ignore", frozen=True)

    data_dir: Path = Field(Path("./var"), description="store, index and models live here")
    api_keys: str = Field("", description='"name:role:key,…" with role reader, uploader or admin')
    local_mode: bool = Field(
        False,
        description="loopback-only local mode: reading needs no key, writing needs a configured key",
    )
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0, description="largest accepted upload (413 above)")
    extraction_timeout_s: float = Field(30.0, gt=0, description="wall-clock limit of one text extraction")
    extraction_workers: int = Field(2, ge=1, le=32, description="extractions that may run at once")
    review_threshold: float | None = Field(
        None, ge=0.0, le=1.0,
        description="an office's own review bar over the model's: model tags below it go to the review queue "
        "too; unset, the model's own per-task thresholds (chosen when it was trained) decide alone, as "
        "`vanban classify` does",
    )
    request_threads: int = Field(
        4,
        ge=1,
        le=256,
        description="requests one worker handles at once (threads); more only queue on the interpreter "
        "lock and hold their memory meanwhile",
    )
    model_poll_s: float = Field(1.0, ge=0.0, description="how often a worker checks the active model")
    preload_model: bool = Field(
        True,
        description="load the active model when a worker starts; false: on its first upload or "
        "classification (or when the upload page opens), so a worker that only searches never holds it "
        "(~170 MB) but that first request waits for scikit-learn and the model (~4-5 s)",
    )
    session_secret: str = Field("", description="signs session cookies; derived from the keys when empty")
    session_hours: float = Field(10.0, gt=0, description="a web login lasts this long")
    cookie_secure: bool = Field(False, description="mark cookies Secure (set when served over HTTPS)")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    workers: int = Field(1, ge=1, le=64)

    @field_validator("review_threshold", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # VANBAN_REVIEW_THRESHOLD= (set but empty, as deployment templates leave it) means "the model's own"
        if isinstance(value, str):
            if not value.strip():
                return None
            return value.strip().replace(",", ".")  # "0,8" as a Vietnamese office writes it
        return value

    @field_validator("api_keys")
    @classmethod
    def _check_keys(cls, value: str) -> str:
        parse_api_keys(value)  # fail at start, not at the first request
        return value

    def keys(self) -> tuple[ApiKey, ...]:
        return parse_api_keys(self.api_keys)

    def secret(self) -> bytes:
        """The session-signing secret. Derived from the configured keys when not given, so that every
        worker process signs alike and rotating the keys logs every session out."""
        if self.session_secret:
            return hashlib.sha256(b"vanban-session\0" + self.session_secret.encode("utf-8")).digest()
        return hashlib.sha256(b"vanban-session-derived\0" + self.api_keys.encode("utf-8")).digest()

    @property
    def upload_limit_label(self) -> str:
        return megabytes(self.max_upload_bytes)


def megabytes(size: int) -> str:
    """Sizes as clerks read them: binary megabytes, Vietnamese decimal comma (``20 MB``, ``0,5 MB``)."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text.replace('.', ',')} MB"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings from the environment (cached; ``get_settings.cache_clear()`` resets)."""
    return Settings()
