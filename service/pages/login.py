"""Signing in to the pages with an API key, and out again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from service.auth import SESSION_COOKIE, check_csrf, new_csrf_token
from service.deps import ServicesDep
from service.pages.common import CSRF_COOKIE, redirect, render

router = APIRouter(include_in_schema=False)

_MAX_KEY_CHARS = 500
_MAX_NEXT_CHARS = 2000


def safe_next(target: str | None) -> str:
    """Only paths of this site: an open redirect would let a link send a clerk elsewhere after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if len(target) > _MAX_NEXT_CHARS:  # no page has such an address; the search page will do
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - the conventional name
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    # Lengths are checked below: an overlong key is a wrong key, shown on the login page like any other.
    key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    client = request.client.host if request.client else "?"
    access = services.access
    access.throttle.check(client)
    api_key = access.login(key) if len(key) <= _MAX_KEY_CHARS else None
    if api_key is None:
        access.throttle.failed(client)
        message = "Khóa không đúng." if access.ring else "Máy chủ chưa cấu hình khóa nào (VANBAN_API_KEYS)."
        return render(request, "login.html", {"next": safe_next(next), "error": message}, status=401)
    access.throttle.succeeded(client)
    response = redirect(safe_next(next))
    settings = services.settings
    response.set_cookie(SESSION_COOKIE, access.sessions.encode(api_key), max_age=int(settings.session_hours * 3600),
                        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")  # fmt: skip
    # A fresh CSRF token per login: a token planted before the login is worthless after it.
    response.set_cookie(CSRF_COOKIE, new_csrf_token(settings.secret()), httponly=True, samesite="strict",
                        secure=settings.cookie_secure, path="/")  # fmt: skip
    return response


@router.get("/logout")
def logout_link() -> Response:
    """The logout form's address opened as a page: signing out stays a posted form (a link could be planted
    on another site), so this leads to the search page, whose header has the button."""
    return redirect("/")


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    response = redirect("/login", ok="loggedout")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
