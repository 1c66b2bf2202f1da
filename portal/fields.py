"""Parse and check input values field by field, collecting every error before failing.

Pages, the API and the CLI hand raw values (strings from forms, JSON values)
to the same parsers, so a value is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from babel import Locale

from portal.errors import ValidationFailed
from portal.i18n import lazy_gettext as _l

# Control characters (NUL breaks PostgreSQL text) other than tab and newline.
EARLIEST_YEAR = 1900  # an earlier date is refused: "This date is too far in the past."
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A whole number as typed in a form: at most six digits, so int() never meets a huge string.
# What int() reads: \s and \d would also let through what it refuses (the separators \x1c-\x1f,
# which str.isspace counts as space; found by the API's fuzz test on PostgreSQL).
_WHOLE = re.compile(r"[ \t\r\n]*-?[0-9]{1,6}[ \t\r\n]*")
# Babel's territories also hold groupings and private-use codes that are not countries.
_NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
COUNTRY_CODES = frozenset(
    code
    for code in Locale("en").territories
    if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_COUNTRIES
)


def free_text(value: str | None) -> str:
    """A note or reason as typed, without NUL (PostgreSQL text refuses it) and trimmed."""
    return (value or "").replace("\x00", "").strip()


class FieldReader:
    """Reads fields from ``data``; errors accumulate in ``errors`` and ``check()`` raises them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[Any]] = {}

    def error(self, name: str, message: Any) -> None:
        """Record an error on ``name``."""
        self.errors.setdefault(name, []).append(message)

    def check(self) -> None:
        """Raise ValidationFailed with every recorded error, if any."""
        if self.errors:
            raise ValidationFailed(fields=self.errors)

    def present(self, name: str) -> bool:
        """True when the field was sent at all (for partial updates)."""
        return name in self.data

    def text(self, name: str, max_len: int, *, required: bool = False, multiline: bool = False) -> str:
        """A trimmed string without control characters, at most ``max_len`` long."""
        value = self.data.get(name)
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(name, _l("Enter text."))
            return ""
        value = _CONTROL.sub("", value).strip()
        if not multiline:
            value = " ".join(value.split())
        if required and not value:
            self.error(name, _l("This field is required."))
        elif len(value) > max_len:
            self.error(name, _l("Use at most %(n)d characters.", n=max_len))
            return ""
        return value

    def integer(self, name: str, low: int, high: int) -> int | None:
        """An optional whole number between ``low`` and ``high``."""
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            value = None
        elif (isinstance(value, str) and _WHOLE.fullmatch(value)) or (isinstance(value, float) and value.is_integer()):
            value = int(value)
        if not isinstance(value, int) or not low <= value <= high:
            self.error(name, _l("Enter a whole number from %(low)d to %(high)d.", low=low, high=high))
            return None
        return value

    def day(self, name: str, *, required: bool = False, not_after: date | None = None) -> date | None:
        """A full date ``YYYY-MM-DD``, not in the future when ``not_after`` is given."""
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.error(name, _l("This field is required."))
            return None
        parsed = parse_partial_date(value) if isinstance(value, str) else None
        if parsed is None or parsed[1] != "day":
            self.error(name, _l("Enter a date as YYYY-MM-DD."))
            return None
        return self._not_after(name, parsed[0], not_after)

    def partial_day(self, name: str, *, not_after: date | None = None) -> tuple[date | None, str]:
        """A date that may be only ``YYYY`` or ``YYYY-MM``; returns (date, precision)."""
        value = self.data.get(name)
        if value is None or value == "":
            return None, "day"
        parsed = parse_partial_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.error(name, _l("Enter a date as YYYY-MM-DD, YYYY-MM or YYYY."))
            return None, "day"
        return self._not_after(name, parsed[0], not_after), parsed[1]

    def _not_after(self, name: str, value: date, limit: date | None) -> date | None:
        if limit is not None and value > limit:
            self.error(name, _l("This date is in the future."))
            return None
        if value.year < EARLIEST_YEAR:
            self.error(name, _l("This date is too far in the past."))
            return None
        return value

    def code(self, name: str, allowed: Iterable[str], *, required: bool = False) -> str:
        """One code of ``allowed`` (empty when optional and absent)."""
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.error(name, _l("This field is required."))
            return ""
        if not isinstance(value, str) or value not in set(allowed):
            self.error(name, _l("Choose one of the listed options."))
            return ""
        return value

    def codes(self, name: str, allowed: Iterable[str]) -> list[str]:
        """A list of distinct codes of ``allowed``, in the given order."""
        value = self.data.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [value]
        allowed_set = set(allowed)
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed_set for v in value):
            self.error(name, _l("Choose among the listed options."))
            return []
        return list(dict.fromkeys(value))

    def country(self, name: str, *, required: bool = False, allowed: Iterable[str] | None = None) -> str:
        """An ISO 3166-1 alpha-2 code, upper-cased; limited to ``allowed`` when given."""
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.error(name, _l("This field is required."))
            return ""
        code = value.strip().upper() if isinstance(value, str) else ""
        valid = set(allowed) if allowed is not None else COUNTRY_CODES
        if code not in valid:
            self.error(name, _l("Choose a country from the list."))
            return ""
        return code

    def text_list(self, name: str, max_items: int, max_len: int) -> list[str]:
        """A list of short strings, from a JSON list or a ``;``-separated string."""
        value = self.data.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = value.split(";")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, _l("Enter names separated by semicolons."))
            return []
        items = [" ".join(_CONTROL.sub("", v).split()) for v in value]
        items = [v for v in items if v]
        if len(items) > max_items or any(len(v) > max_len for v in items):
            self.error(name, _l("Enter at most %(n)d names of %(len)d characters each.", n=max_items, len=max_len))
            return []
        return list(dict.fromkeys(items))

    def tristate(self, name: str) -> bool | None:
        """Yes, no or unknown: a JSON boolean or null, or the form's ``yes``/``no``/``unknown``."""
        value = self.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"", "yes", "no", "unknown"}:
            return {"yes": True, "no": False}.get(value.strip().lower())
        self.error(name, _l("Answer yes, no or unknown."))
        return None

    def flag(self, name: str) -> bool:
        """A checkbox or JSON boolean."""
        value = self.data.get(name)
        return value is True or (isinstance(value, str) and value.lower() in {"1", "true", "on", "yes", "y"})


def parse_partial_date(value: str) -> tuple[date, str] | None:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` into (date, precision), or None."""
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", value)
    if not match:
        return None
    year, month, day_ = match.groups()
    try:
        parsed = date(int(year), int(month or 1), int(day_ or 1))
    except ValueError:
        return None
    return parsed, "day" if day_ else "month" if month else "year"
