"""The application factory: reads like the portal's table of contents."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, get_config
from portal import db, errors, extensions, i18n, login_sessions, security
from portal.access import routes
from portal.accounts import passwords
from portal.training import binding


def create_app(config: type[Config] | str | None = None, **overrides: Any) -> Flask:
    """Build the portal application."""
    settings = config if isinstance(config, type) else get_config(config)
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(settings)
    app.config.update(overrides)
    settings.check(app.config)  # fails closed: no start with unsafe settings
    logging.basicConfig(level=logging.WARNING)
    passwords.use_fast_hashes(bool(app.config.get("PASSWORD_HASH_FAST")))

    _trust_proxies(app, int(app.config.get("TRUSTED_PROXIES") or 0))
    db.init_app(app)
    extensions.babel.init_app(app, locale_selector=i18n.select_locale)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    security.init_app(app)
    login_sessions.init_app(app)  # before the practice binding: a stale session ends first
    binding.init_app(app)  # after the login glue: a practice space is bound before any view runs
    security.quiet_request_logs()
    errors.register(app)
    routes.init_app(app)  # after the practice binding and the size checks: who may reach each route
    _register_blueprints(app)
    _register_template_helpers(app)
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Read the client's address, scheme and host from the ``hops`` proxies in front (PORTAL_TRUSTED_PROXIES),
    so that rate limits and the audit trail see the client, not the proxy. Trusting more hops than
    there are proxies would let any client choose its address: the setting names the exact count."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _register_blueprints(app: Flask) -> None:
    from portal.access.views import bp as access
    from portal.accounts.views import bp as accounts
    from portal.api.training import bp as training_api
    from portal.api.views import bp as api
    from portal.cases.views import bp as cases
    from portal.flags.views import bp as flags
    from portal.main import bp as main
    from portal.notify.views import bp as notify
    from portal.photos.views import bp as photos
    from portal.review.views import bp as review
    from portal.sightings.views import bp as sightings
    from portal.training.views import bp as training

    for blueprint in (
        main,
        accounts,
        cases,
        access,
        sightings,
        photos,
        review,
        flags,
        notify,
        training,
        api,
        training_api,
    ):
        app.register_blueprint(blueprint)
    # The API authenticates with bearer tokens, not cookies: CSRF does not apply.
    extensions.csrf.exempt(api)
    extensions.csrf.exempt(training_api)


def _register_template_helpers(app: Flask) -> None:
    from portal import template_helpers

    app.jinja_env.globals.update(template_helpers.GLOBALS)
    app.jinja_env.filters.update(template_helpers.FILTERS)

    @app.before_request
    def _client_ip() -> None:
        g.client_ip = (request.remote_addr or "")[:45]
