"""Where this request's photos live: the portal's folder, or its practice space's (training.binding)."""

from __future__ import annotations

from flask import current_app, g


def photo_dir() -> str:
    """The folder of this request's photos (PORTAL_PHOTO_DIR, or the bound practice space's own)."""
    return str(g.get("practice_photo_dir") or current_app.config["PHOTO_DIR"])
