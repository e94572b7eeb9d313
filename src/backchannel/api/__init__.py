"""The JSON API at /api/v1/ (OpenAPI at /api/v1/docs and /api/v1/openapi.json)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from backchannel.errors import RETRY_AFTER_SECONDS, ActionError, RateLimited

from . import openapi
from .accounts import router as accounts_router
from .archive import router as archive_router
from .blog import router as blog_router
from .care import router as care_router
from .events import router as events_router
from .feed import router as feed_router
from .messaging import router as messaging_router
from .moderation import router as moderation_router
from .notifications import router as notifications_router
from .orgs import router as orgs_router
from .qa import router as qa_router
from .schemas import RENDERER

log = logging.getLogger(__name__)


class ObjectBodyParser(Parser):
    """Every body this API takes is a JSON object. django-ninja would read a list (`[null]`)
    as an object with no fields and accept it with every default; refuse it (400) instead."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


class BackchannelAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        # Every answer documented, and the streams too (api/openapi.py).
        return openapi.complete(super().get_openapi_schema(*args, **kwargs))


api = BackchannelAPI(
    title="Backchannel API",
    version="1",
    description=(
        "The live conversation around a conference. Authenticate with "
        "`Authorization: Bearer <token>` (`backchannel token create <handle>`) or the "
        "browser session with its CSRF token. Live updates: `GET /api/v1/sessions/{id}/stream` "
        "(Server-Sent Events; resume with `Last-Event-ID` or `?since=`)."
    ),
    urls_namespace="api",
    parser=ObjectBodyParser(),
    renderer=RENDERER,
)
api.add_router("/", events_router)
api.add_router("/", feed_router)
api.add_router("/", accounts_router)
api.add_router("/", care_router)
api.add_router("/", moderation_router)
api.add_router("/", orgs_router)
api.add_router("/", qa_router)
api.add_router("/", messaging_router)
api.add_router("/", notifications_router)
api.add_router("/", archive_router)
api.add_router("/", blog_router)


def _error(request: HttpRequest, status: int, detail: str, code: str, field: str | None = None):
    body = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    response = api.create_response(request, {**body, **exc.extra()}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "payload"))
    message = first.get("msg", "Invalid input.")
    detail = f"{where}: {message}" if where else message
    response = api.create_response(
        request, {"detail": detail, "code": "invalid", "errors": exc.errors}, status=422
    )
    return response


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Sign in or send a valid bearer token.", "unauthorized")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "csrf" if exc.status_code == 403 and "CSRF" in str(exc) else "error"
    return _error(request, exc.status_code, str(exc), code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.", "not_found")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "The request body is too large.", "too_large")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.warning("database unavailable: %s", exc)
    response = _error(
        request, 503, "The service is briefly unavailable. Try again shortly.", "unavailable"
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(UnicodeDecodeError)
def on_bad_encoding(request: HttpRequest, exc: UnicodeDecodeError) -> HttpResponse:
    return _error(request, 400, "The request body is not valid UTF-8.", "bad_encoding")
