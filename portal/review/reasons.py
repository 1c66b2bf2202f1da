"""The engine's reason codes as people read them, in the user's language.

Reason codes (portal/matching: names.py, evidence.py, scoring.py) are stored and are the
`portal link` CSV contract: they never change for display; this module only puts them in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from babel import Locale
from babel.lists import format_list

from portal.i18n import get_locale
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.template_helpers import country_name

# Reason codes (portal/matching: names.py, evidence.py, scoring.py) are stored and are the `portal link`
# CSV contract: they never change for display. A code is a head and an optional "(detail)"; the head alone
# says what agreed, and the detail, when there is one, is put in words by DETAILS below.
REASON_HEADS: dict[str, Any] = {
    "given=exact": _l("given name: identical"),
    "surname=exact": _l("surname: identical"),
    "given=nickname": _l("given name: nickname"),
    "surname=nickname": _l("surname: nickname"),
    "given=initial": _l("given name: initial"),
    "surname=initial": _l("surname: initial"),
    "given=missing": _l("given names missing in one record"),
    "surname=missing": _l("surnames missing in one record"),
    "given≈phonetic": _l("given name: sounds alike"),
    "surname≈phonetic": _l("surname: sounds alike"),
    "given≈typo": _l("given name: spelling variant"),
    "surname≈typo": _l("surname: spelling variant"),
    "given_partial": _l("given names: only some agree"),
    "given≈joined": _l("given names written together or apart"),
    "surname≈joined": _l("surnames written together or apart"),
    "given↔surname": _l("given names and surnames in each other's boxes"),
    "given≠": _l("given names differ"),
    "married=exact": _l("married surname: identical"),
    "surname=married": _l("married surname"),
    "surnames_swapped": _l("surnames in the other order"),
    "surname_one_missing": _l("one surname missing"),
    "surname_order_differs": _l("surnames in another order"),
    "surname≠": _l("surnames differ"),
    "sex✓": _l("same sex"),
    "sex✗": _l("different sex"),
    "sex?": _l("sex unknown in one record"),
    "age✓": _l("age fits"),
    "age≈": _l("age close"),
    "age✗": _l("age does not fit"),
    "age?": _l("age unknown in one record"),
    "dob=exact": _l("same birth date"),
    "dob=month": _l("same birth month"),
    "dob=year": _l("same birth year"),
    "dob≈": _l("birth date close"),
    "dob✗": _l("birth date differs"),
    "doc=exact": _l("same identity document"),
    "doc≈": _l("identity document: one character differs"),
    "doc✗": _l("different identity document"),
    "doc?": _l("identity document missing in one record"),
    "before_disappearance": _l("seen before the disappearance"),
    "time?": _l("a date is missing in one record"),
    "height≈": _l("height fits"),
    "height~": _l("height close"),
    "height✗": _l("height differs"),
    "height?": _l("height unknown in one record"),
    "mark✓": _l("same mark"),
    "mark≈": _l("similar mark"),
    "mark✗": _l("different marks"),
    "mark?": _l("no recognisable mark in one record"),
    "place✓": _l("same place"),
    "place≠": _l("different places in the same country"),
    "country=": _l("same country"),
    "corridor": _l("cross-border route"),
    "country≠": _l("different countries"),
    "place?": _l("place unknown in one record"),
    "photo=same": _l("same photo"),
    "photo≈": _l("similar photo"),
}
# The concepts of portal.matching.marks, as a mark is described on the claim form.
MARK_LABELS: dict[str, Any] = {
    "tattoo": _l("tattoo"),
    "scar": _l("scar"),
    "mole": _l("mole"),
    "birthmark": _l("birthmark"),
    "burn": _l("burn scar"),
    "piercing": _l("piercing or earring"),
    "missing_tooth": _l("tooth"),
    "glasses": _l("glasses"),
    "butterfly": _l("butterfly"),
    "star": _l("star"),
    "heart": _l("heart"),
    "rose": _l("rose"),
    "cross": _l("cross"),
    "name": _l("name or letters"),
    "dragon": _l("dragon"),
    "scorpion": _l("scorpion"),
    "feather": _l("feather"),
    "moon": _l("moon"),
    "snake": _l("snake"),
    "skull": _l("skull"),
    "anchor": _l("anchor"),
    "eagle": _l("eagle"),
    "flower": _l("flower"),
    "sun": _l("sun"),
    "infinity": _l("infinity sign"),
    "shoulder": _l("shoulder"),
    "arm": _l("arm"),
    "hand": _l("hand or finger"),
    "neck": _l("neck"),
    "face": _l("face"),
    "leg": _l("leg or knee"),
    "back": _l("back of the body"),
    "wrist": _l("wrist"),
    "ankle": _l("ankle"),
    "chest": _l("chest"),
    "left": _l("left side"),
    "right": _l("right side"),
}
CODE = re.compile(r"^(?P<head>[^(]*?)\s*(?:\((?P<detail>.*)\))?$")
DAYS_AFTER = re.compile(r"^after\+(?P<days>\d+)d$")
DAYS_APART = re.compile(r"^dates (?P<days>\d+)d apart$")
DAYS = re.compile(r"^(?P<days>\d+)d$")
TWO_YEARS = re.compile(r"^(?P<a>\d{4}) vs (?P<b>\d{4})$")
HEIGHT = re.compile(r"^(?P<direction>taller|shorter) (?P<cm>\d+)cm$")
AGE_SIDE = re.compile(r"^(?:seen (?P<low>\d+)(?:-(?P<high>\d+))?|born (?P<year>\d{4}))$")
TWO_COUNTRIES = re.compile(r"^(?P<a>[A-Z]{2})→(?P<b>[A-Z]{2})$")
ONE_COUNTRY = re.compile(r"^[A-Z]{2}$")
MARK_CLASH = re.compile(r"^(?P<shown>[^:]*):(?P<a>[^≠]+)≠(?P<b>.+)$")


def _words(items: list[str]) -> str:
    """Items as a list in the reader's language ("tatuaje, mariposa y hombro")."""
    return format_list([item for item in items if item], locale=get_locale() or Locale("es"))


def _names(detail: str) -> dict[str, str] | None:
    """The two folded names of "quispe/kispe" as people read them ("Quispe", "Kispe")."""
    a, slash, b = detail.partition("/")
    return {"a": a.title(), "b": b.title()} if slash and a and b else None


def _marks(shown: str) -> str:
    """Mark concepts ("tattoo,butterfly") in the reader's words."""
    return _words([str(MARK_LABELS.get(c, c.replace("_", " "))) for c in shown.replace("/", ",").split(",") if c])


def _seen_after(days: int) -> str:
    if days == 0:
        return _("seen on the day of the disappearance")
    return (
        _("seen one day after the disappearance")
        if days == 1
        else _("seen %(days)s days after the disappearance", days=days)
    )


def _seen_before(days: int) -> str:
    if days == 1:
        return _("seen one day before the disappearance")
    return _("seen %(days)s days before the disappearance", days=days)


def _dates_apart(days: int) -> str:
    return _("dates one day apart") if days == 1 else _("dates %(days)s days apart", days=days)


def _dob(detail: str) -> str | None:
    if detail == "day/month swapped":
        return _("birth date: day and month swapped")
    if detail == "year±1":
        return _("birth date: same day and month, one year apart")
    found = TWO_YEARS.match(detail)
    if detail == "same year" or (found and found["a"] == found["b"]):
        return _("birth date: same year, another day")
    return _("birth years close: %(a)s and %(b)s", a=found["a"], b=found["b"]) if found else None


def _dob_apart(detail: str) -> str | None:
    found = TWO_YEARS.match(detail)
    return _("birth years differ: %(a)s and %(b)s", a=found["a"], b=found["b"]) if found else None


def _age_side(text: str) -> str | None:
    found = AGE_SIDE.match(text.strip())
    if found is None:
        return None
    if found["year"]:
        return _("born %(year)s", year=found["year"])
    age = found["low"] if not found["high"] else f"{found['low']}–{found['high']}"
    return _("seen aged about %(age)s", age=age)


def _age(detail: str, close: bool) -> str | None:
    sides = [_age_side(part) for part in detail.split(",")]
    if len(sides) != 2 or None in sides:
        return None
    if close:
        return _("age close: %(first)s, %(second)s", first=sides[0], second=sides[1])
    return _("age does not fit: %(first)s, %(second)s", first=sides[0], second=sides[1])


def _height(detail: str, close: bool, sighting: bool) -> str | None:
    found = HEIGHT.match(detail)
    if found is None:
        return None
    cm, taller = found["cm"], found["direction"] == "taller"
    if not sighting:  # two claims: the engine's order of the pair is not the page's left and right
        return _("height close: %(cm)s cm apart", cm=cm) if close else _("height differs: %(cm)s cm apart", cm=cm)
    if close:
        return (
            _("height close: the person seen is %(cm)s cm taller", cm=cm)
            if taller
            else _("height close: the person seen is %(cm)s cm shorter", cm=cm)
        )
    return (
        _("height differs: the person seen is %(cm)s cm taller", cm=cm)
        if taller
        else _("height differs: the person seen is %(cm)s cm shorter", cm=cm)
    )


def _similar_mark(detail: str) -> str:
    shown, _semicolon, clash = detail.partition(";")
    if clash == "motif≠":
        return _("similar mark with another design: %(mark)s", mark=_marks(shown))
    if clash == "side≠":
        return _("similar mark on the other side of the body: %(mark)s", mark=_marks(shown))
    return _("similar mark: %(mark)s", mark=_marks(shown))


def _different_marks(detail: str) -> str | None:
    found = MARK_CLASH.match(detail)
    if found is None:
        return None
    return _(
        "different marks: %(mark)s; one record says %(first)s, the other %(second)s",
        mark=_marks(found["shown"]),
        first=_marks(found["a"]),
        second=_marks(found["b"]),
    )


def _countries(detail: str, different: bool) -> str | None:
    found = TWO_COUNTRIES.match(detail)
    if found is None:
        return None
    a, b = country_name(found["a"]), country_name(found["b"])
    if different:
        return _("different countries: %(a)s and %(b)s", a=a, b=b)
    return _("cross-border route between %(a)s and %(b)s", a=a, b=b)


def _in_country(detail: str, phrase: Any) -> str | None:
    return str(phrase) % {"country": country_name(detail)} if ONE_COUNTRY.match(detail) else None


# Codes whose detail is the two names compared ("quispe/kispe"), or one name ("lupe").
NAME_PAIRS: dict[str, Any] = {
    "given≈phonetic": _l("given names that sound alike: %(a)s and %(b)s"),
    "surname≈phonetic": _l("surnames that sound alike: %(a)s and %(b)s"),
    "given≈typo": _l("given names spelled alike: %(a)s and %(b)s"),
    "surname≈typo": _l("surnames spelled alike: %(a)s and %(b)s"),
    "given≈joined": _l("given names written together or apart: %(a)s and %(b)s"),
    "surname≈joined": _l("surnames written together or apart: %(a)s and %(b)s"),
}
ONE_NAME: dict[str, Any] = {
    "given=nickname": _l("given name: %(name)s is a nickname"),
    "surname=married": _l("married surname: %(name)s"),
}
# Other heads -> the phrase of their detail, given whether the pair is a claim and a sighting.
DETAILS: dict[str, Callable[[str, bool], str | None]] = {
    "dob≈": lambda detail, sighting: _dob(detail),
    "dob✗": lambda detail, sighting: _dob_apart(detail),
    "age≈": lambda detail, sighting: _age(detail, close=True),
    "age✗": lambda detail, sighting: _age(detail, close=False),
    "before_disappearance": lambda detail, sighting: _seen_before(int(detail[:-1])) if DAYS.match(detail) else None,
    "height≈": lambda detail, sighting: _("height fits, allowing for growth") if detail == "grown" else None,
    "height~": lambda detail, sighting: _height(detail, True, sighting),
    "height✗": lambda detail, sighting: _height(detail, False, sighting),
    "mark✓": lambda detail, sighting: _("same mark: %(mark)s", mark=_marks(detail)),
    "mark≈": lambda detail, sighting: _similar_mark(detail),
    "mark✗": lambda detail, sighting: _different_marks(detail),
    "place✓": lambda detail, sighting: _("same place: %(place)s", place=_words([w.title() for w in detail.split(",")])),
    "place≠": lambda detail, sighting: _in_country(detail, _l("different places in %(country)s")),
    "corridor": lambda detail, sighting: _countries(detail, different=False),
    "country≠": lambda detail, sighting: _countries(detail, different=True),
}


def _detail(head: str, detail: str, sighting: bool) -> str | None:
    """The phrase of a code's detail, or None when it is not one the engine writes."""
    if head in NAME_PAIRS:
        names = _names(detail)
        return str(NAME_PAIRS[head]) % names if names else None
    if head in ONE_NAME:
        return str(ONE_NAME[head]) % {"name": detail.title()}
    render = DETAILS.get(head)
    return render(detail, sighting) if render else None


def reason_text(code: str, *, sighting: bool = False) -> str:
    """One reason code as a phrase in the user's language, its detail put in words too.

    ``sighting``: the pair is a claim and a sighting, which the engine compares in that order (so
    "taller" is the person seen). A code the engine does not write is shown as it is.
    """
    if found := DAYS_AFTER.match(code):
        return _seen_after(int(found["days"]))
    if found := DAYS_APART.match(code):
        return _dates_apart(int(found["days"]))
    if code.startswith("country=") and "(" not in code:  # "country=BO": the country is in the head
        return _in_country(code.removeprefix("country="), _l("same country: %(country)s")) or str(
            REASON_HEADS["country="]
        )
    parts = CODE.match(code)
    head, detail = (parts["head"], parts["detail"]) if parts else (code, None)
    phrase = REASON_HEADS.get(head)
    if phrase is None:
        return code
    # A detail the engine does not write leaves the head's phrase alone: never a raw detail.
    return (_detail(head, detail, sighting) if detail else None) or str(phrase)


def reasons_text(codes: list[str] | None, right_type: str = "") -> list[str]:
    """Every reason of a candidate, readable (``right_type`` "sighting" for a claim and a sighting)."""
    return [reason_text(code, sighting=right_type == "sighting") for code in codes or []]
