"""Extension objects, created unbound and bound in ``create_app``."""

from __future__ import annotations

# Flask-Babel 4 has no py.typed marker; the portal translates through portal.i18n, typed.
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
