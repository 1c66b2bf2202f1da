"""The PortalError family and the one place that turns errors into pages or JSON.

Services raise these; views never build error responses by hand. Under
``/api/`` the answer is the JSON of spec/api-core.md, elsewhere a page in the
user's language.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestHeaderFieldsTooLarge, RequestURITooLarge

from portal.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)


class PortalError(Exception):
    """A failure the user can understand; ``code`` is stable, ``message`` translated."""

    status = 400
    code = "bad_request"
    default_message: Any = _l("The request could not be understood.")

    def __init__(self, message: Any = None, fields: dict[str, Any] | None = None) -> None:
        super().__init__(self.code)  # the message is lazy: translated when rendered
        self.message = message or self.default_message
        self.fields = fields or {}


class BadRequest(PortalError):
    """Malformed input that no form field explains."""


class Unauthorized(PortalError):
    status = 401
    code = "unauthorized"
    default_message = _l("Please log in or send a valid API token.")


class Forbidden(PortalError):
    status = 403
    code = "forbidden"
    default_message = _l("Your account may not do this.")


class NotFound(PortalError):
    """Also what a record the caller may not see answers: its existence is not revealed."""

    status = 404
    code = "not_found"
    default_message = _l("This page or record does not exist, or you may not see it.")


class Conflict(PortalError):
    status = 409
    code = "conflict"
    default_message = _l("Someone else changed this record while you were editing it.")


class PayloadTooLarge(PortalError):
    status = 413
    code = "payload_too_large"
    default_message = _l("What you sent is too large.")


class UnsupportedMedia(PortalError):
    status = 415
    code = "unsupported_media_type"
    default_message = _l("This kind of file or content is not accepted.")


class ValidationFailed(PortalError):
    status = 422
    code = "validation_failed"
    default_message = _l("Some fields need correcting.")


class RateLimited(PortalError):
    status = 429
    code = "rate_limited"
    default_message = _l("Too many attempts. Please wait a moment and try again.")


class Unavailable(PortalError):
    status = 503
    code = "unavailable"
    default_message = _l("The service is briefly unavailable. Please try again shortly.")


_HTTP_TO_PORTAL: dict[int, type[PortalError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    415: UnsupportedMedia,
    422: ValidationFailed,
    429: RateLimited,
    503: Unavailable,
}


# What the portal answers itself, below what the WSGI server refuses on its own.
MAX_URL_BYTES = 4096
MAX_HEADER_BYTES = 6144
# HTTP errors with no PortalError of their own: a message people can read, by status.
_OTHER_HTTP = {
    405: ("method_not_allowed", _l("This address does not accept that kind of request.")),
    414: ("uri_too_long", _l("This address is too long. Shorten the search or the link and try again.")),
    431: ("headers_too_large", _l("The request carries too much data in its headers (cookies, for example).")),
}


def portal_error_for(error: HTTPException) -> PortalError:
    """The PortalError that answers an HTTP error raised by Flask, Werkzeug or an extension."""
    status = error.code or 500
    if status in _OTHER_HTTP:
        code, message = _OTHER_HTTP[status]
    elif status in _HTTP_TO_PORTAL:
        return _HTTP_TO_PORTAL[status]()
    else:
        code, message = "http_error", _l("The request could not be handled.")
    found = PortalError(message)
    found.status, found.code = status, code
    return found


def wants_json() -> bool:
    """True for API requests, which always get JSON errors."""
    return request.path.startswith("/api/")


def error_response(error: PortalError) -> tuple[Response | str, int]:
    """Render ``error`` as spec JSON for the API or as a page for people."""
    if wants_json():
        body = {
            "error": {
                "code": error.code,
                "message": str(error.message),
                "fields": {k: [str(m) for m in v] if isinstance(v, list) else str(v) for k, v in error.fields.items()},
            }
        }
        return jsonify(body), error.status
    return render_template("error.html", error=error), error.status


def register(app: Flask) -> None:
    """Install the handlers: every error ends as a PortalError response, never a raw 500 page."""

    @app.errorhandler(PortalError)
    def _portal(error: PortalError) -> ResponseReturnValue:
        return error_response(error)

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> ResponseReturnValue:
        return error_response(
            BadRequest(
                _l("This form has expired or was sent from another site. Please go back, reload and send it again.")
            )
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        response = make_response(error_response(portal_error_for(error)))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.before_request
    def _sizes() -> None:
        # Below the WSGI server's own limits (gunicorn: 8,190 bytes), so that the portal, not the
        # server, answers: in the user's language, and in JSON under /api/.
        if len(request.full_path) > MAX_URL_BYTES:
            raise RequestURITooLarge()
        if any(len(name) + len(value) > MAX_HEADER_BYTES for name, value in request.headers.items()):
            raise RequestHeaderFieldsTooLarge()

    @app.errorhandler(OperationalError)
    def _database_down(error: OperationalError) -> ResponseReturnValue:
        # The database is unreachable (stopped, full, locked too long): say plainly that nothing was
        # saved, so that nobody believes a report went through. Logged by kind only.
        log.error("database unavailable at %s %s: %s", request.method, request.path, type(error.orig).__name__)
        return error_response(
            Unavailable(
                _l(
                    "The portal cannot reach its database right now: what you sent was NOT saved. "
                    "Go back (your browser keeps what you wrote) and send it again in a few minutes."
                )
            )
        )

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        # Log the type and place only: exception messages may carry personal data.
        log.error("unexpected %s at %s %s", type(error).__name__, request.method, request.path, exc_info=app.debug)
        err = PortalError(_l("Something went wrong on our side and nothing was saved. Please try again."))
        err.status, err.code = 500, "internal_error"
        return error_response(err)
