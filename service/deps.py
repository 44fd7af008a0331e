"""Typed dependencies for routers: ``Annotated[..., Depends(...)]`` aliases.

Routers declare what they need (``ServicesDep``, ``Reader``, ``Uploader``, ``Admin``) and never reach into
``app.state`` themselves; tests replace any of these through ``app.dependency_overrides``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.auth import Principal
from service.services import Services
from service.settings import Role, Settings

# The dependencies below are ``async def`` on purpose: they only read app state and check a key (no I/O, no
# waiting), and FastAPI runs a plain ``def`` dependency in the thread pool — a hand-off to another thread
# and back for each of them on every request, which cost more than the work itself (bench/http_load.py).


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require(role: Role):  # noqa: ANN201 - FastAPI reads the signature of the returned function
    """A dependency admitting principals with at least ``role`` (401 without a key, 403 below it)."""

    async def dependency(request: Request, services: ServicesDep) -> Principal:
        principal = services.access.authorize(request, role)
        request.state.principal = principal
        return principal

    dependency.__name__ = f"require_{role}"
    return dependency


async def optional_principal(request: Request, services: ServicesDep) -> Principal | None:
    """Who is asking, if anyone (pages show a login link or the user's name)."""
    principal = services.access.identify(request)
    request.state.principal = principal
    return principal


Reader = Annotated[Principal, Depends(require(Role.READER))]
Uploader = Annotated[Principal, Depends(require(Role.UPLOADER))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
