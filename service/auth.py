"""Access: API keys with roles, web sessions signed with the same keys, CSRF tokens for forms.

* API clients send ``Authorization: Bearer <key>``. Keys are compared in constant time (every configured
  key is compared, as SHA-256 digests, so neither the position nor the length of a match leaks).
* Web pages log in with a key once; the session cookie holds the key's name and a digest prefix, signed
  with HMAC-SHA256, so revoking or changing a key ends its sessions at once, in every worker.
* Forms and the pages' own ``fetch`` calls carry a CSRF token (signed double-submit cookie): a form field
  ``csrf_token`` or a header ``X-CSRF-Token`` must equal the ``vanban_csrf`` cookie, whose signature the
  server checks. Bearer requests need no token (a browser never adds that header by itself).
* With no key configured, or in local mode, reading needs no key; writing always needs one.

Example
-------
>>> from service.settings import Settings
>>> ring = KeyRing(Settings(api_keys="an:admin:0123456789abcdef").keys())
>>> ring.match("0123456789abcdef").name, ring.match("wrong-key-0000000") is None
('an', True)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from fastapi import Request

from service.problems import Problem
from service.settings import ApiKey, Role, Settings

SESSION_COOKIE = "vanban_session"
CSRF_COOKIE = "vanban_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
_DIGEST_PREFIX = 16  # bytes of the key digest kept in a session: enough to notice a changed key


@dataclass(frozen=True)
class Principal:
    """Who is making a request. ``name`` is what the audit log records."""

    name: str
    role: Role
    via: Literal["key", "session", "anonymous"]

    @property
    def is_anonymous(self) -> bool:
        return self.via == "anonymous"

    def can(self, role: Role) -> bool:
        return self.role >= role


class KeyRing:
    """The configured keys, looked up in constant time."""

    def __init__(self, keys: Iterable[ApiKey]) -> None:
        self._keys = tuple(keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def match(self, presented: str) -> ApiKey | None:
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found: ApiKey | None = None
        for key in self._keys:  # no early exit: the time taken does not depend on which key matched
            if hmac.compare_digest(digest, key.digest):
                found = key
        return found

    def by_name(self, name: str) -> ApiKey | None:
        return next((k for k in self._keys if k.name == name), None)


# -- signed values --------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, purpose: str, payload: str) -> str:
    return _b64(hmac.new(secret, f"{purpose}\0{payload}".encode(), hashlib.sha256).digest())


class SessionCodec:
    """Encode and check session cookies: ``base64(json).signature``."""

    def __init__(self, secret: bytes, max_age_s: float) -> None:
        self._secret = secret
        self.max_age_s = max_age_s

    def encode(self, key: ApiKey) -> str:
        payload = _b64(
            json.dumps(
                {"n": key.name, "d": _b64(key.digest[:_DIGEST_PREFIX]), "e": int(time.time() + self.max_age_s)},
                separators=(",", ":"),
            ).encode()
        )
        return f"{payload}.{_sign(self._secret, 'session', payload)}"

    def decode(self, cookie: str, ring: KeyRing) -> ApiKey | None:
        payload, _, signature = cookie.partition(".")
        if not payload or not hmac.compare_digest(signature, _sign(self._secret, "session", payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
            name, digest, expires = str(data["n"]), _unb64(str(data["d"])), float(data["e"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < time.time():
            return None
        key = ring.by_name(name)
        if key is None or not hmac.compare_digest(digest, key.digest[:_DIGEST_PREFIX]):
            return None  # the key was revoked or changed since the login
        return key


def new_csrf_token(secret: bytes) -> str:
    nonce = _b64(secrets.token_bytes(18))
    return f"{nonce}.{_sign(secret, 'csrf', nonce)}"


def csrf_token_valid(secret: bytes, token: str | None) -> bool:
    if not token:
        return False
    nonce, _, signature = token.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(secret, "csrf", nonce))


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise a 403 problem unless ``submitted`` equals the request's valid CSRF cookie."""
    secret: bytes = request.app.state.settings.secret()
    cookie = request.cookies.get(CSRF_COOKIE)
    if not (csrf_token_valid(secret, cookie) and submitted and hmac.compare_digest(cookie or "", submitted)):
        raise Problem("csrf", "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang rồi thử lại.")


def csrf_token_for(request: Request) -> str:
    """The CSRF token of this browser: its valid cookie, or a new token (stored in ``request.state`` so
    that the page renderer sets the cookie)."""
    existing = getattr(request.state, "csrf_token", None)
    if existing:
        return str(existing)
    secret: bytes = request.app.state.settings.secret()
    cookie = request.cookies.get(CSRF_COOKIE)
    token = cookie if cookie and csrf_token_valid(secret, cookie) else new_csrf_token(secret)
    request.state.csrf_token = token
    request.state.csrf_new = token != cookie
    return token


# -- who is asking ---------------------------------------------------------------------------------------


class Access:
    """Authentication and authorisation for one app (built from its settings in the lifespan)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ring = KeyRing(settings.keys())
        self.sessions = SessionCodec(settings.secret(), settings.session_hours * 3600)
        self.throttle = LoginThrottle()

    @property
    def anonymous_reads(self) -> bool:
        """Reading without a key: in local mode, or when no key is configured at all."""
        return self.settings.local_mode or not self.ring

    def identify(self, request: Request) -> Principal | None:
        """The principal of a bearer key or a session cookie; None when the request carries neither.

        A bearer header that is present but wrong is an error (401), not an anonymous request: a client
        with a mistyped key must hear about it rather than silently see less.
        """
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, value = header.strip().partition(" ")
            key = self.ring.match(value.strip()) if scheme.lower() == "bearer" and value.strip() else None
            if key is None:
                raise Problem(
                    "unauthorized",
                    "Khóa API không hợp lệ. Gửi tiêu đề Authorization: Bearer <khóa> với một khóa đã cấu hình.",
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            return Principal(key.name, key.role, "key")
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            key = self.sessions.decode(cookie, self.ring)
            if key is not None:
                return Principal(key.name, key.role, "session")
        return None

    def authorize(self, request: Request, role: Role, *, csrf: str | None = None) -> Principal:
        """The principal allowed to act with ``role``, or a 401/403 problem. ``csrf``: the token a form
        submitted (pages); scripts send it in the ``X-CSRF-Token`` header instead."""
        principal = self.identify(request)
        if principal is None:
            if role == Role.READER and self.anonymous_reads:
                return Principal("anonymous", Role.READER, "anonymous")
            if not self.ring:
                detail = (
                    "Chưa cấu hình khóa API nên không thể ghi dữ liệu. Khởi động bằng `vanban serve` "
                    "(chế độ cục bộ in ra khóa quản trị) hoặc đặt VANBAN_API_KEYS."
                )
            else:
                detail = f"Cần khóa API có quyền {_ROLE_NAMES[role]} (tiêu đề Authorization: Bearer …) hoặc đăng nhập."
            raise Problem("unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})
        if not principal.can(role):
            raise Problem(
                "forbidden",
                f"Khóa “{principal.name}” có quyền {_ROLE_NAMES[principal.role]}; thao tác này cần quyền "
                f"{_ROLE_NAMES[role]}.",
                required_role=str(role),
                role=str(principal.role),
            )
        if principal.via == "session" and request.method not in _SAFE_METHODS:
            # A browser sends the cookie by itself, even for a request another site forged: the page's
            # own scripts prove they are ours with the token only our pages can read.
            check_csrf(request, csrf or request.headers.get(CSRF_HEADER))
        return principal

    def login(self, key_text: str) -> ApiKey | None:
        return self.ring.match(key_text.strip()) if key_text.strip() else None


_ROLE_NAMES = {Role.READER: "đọc (reader)", Role.UPLOADER: "tải lên (uploader)", Role.ADMIN: "quản trị (admin)"}


def role_label(role: Role) -> str:
    return _ROLE_NAMES[role]


class LoginThrottle:
    """At most ``limit`` failed logins per client address in ``window_s``: guessing keys stays slow."""

    def __init__(self, limit: int = 10, window_s: float = 300.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and times[0] < now - self.window_s:
            times.popleft()
        return times

    def check(self, client: str) -> None:
        with self._lock:
            if len(self._recent(client, time.monotonic())) >= self.limit:
                raise Problem(
                    "too-many-requests",
                    "Đăng nhập sai quá nhiều lần. Hãy chờ 5 phút rồi thử lại.",
                    headers={"Retry-After": str(int(self.window_s))},
                )

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # bound memory under a spray of addresses
                self._failures = {c: t for c, t in self._failures.items() if t}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
