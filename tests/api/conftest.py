"""API fixtures: bearer tokens for accounts of any role."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.accounts.services import create_token
from tests.builders import make_user


@pytest.fixture
def token_for(session: Session):  # type: ignore[no-untyped-def]
    """Create an account of ``role`` (in ``country``) and return (user, Authorization headers)."""

    def _make(role: str = "family", country: str | None = "BO", **kwargs: Any):  # type: ignore[no-untyped-def]
        user = make_user(session, role, country, **kwargs)
        token = create_token(session, user, "test")
        session.commit()
        return user, {"Authorization": f"Bearer {token}"}

    return _make
