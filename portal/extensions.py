"""Extension objects, created unbound and bound in ``create_app``."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

# Flask-Babel, with the portal's Spanish fallback (portal.i18n translates and formats, typed).
from portal.i18n import PortalBabel

babel = PortalBabel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
