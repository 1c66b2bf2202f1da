"""Every reason code the matching engine writes reads as a phrase, in Spanish and in English, with no code
symbol, no country code and no English left in the Spanish; the engine's codes themselves never change.

The codes are produced by running the engine's comparators on invented records; a scan of the engine's
source checks that every code it can write is among them, so a new code fails here until it has words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from portal.matching import evidence as ev
from portal.matching import marks
from portal.matching.names import name_similarity, parse_name
from portal.matching.records import CLAIM, SIGHTING, PersonRecord, prepare
from portal.matching.scoring import EMPTY_FREQUENCIES, compare
from portal.review.reasons import MARK_LABELS, reason_text, reasons_text

ENGINE = Path(__file__).resolve().parents[2] / "portal" / "matching"
SOURCES = ("names.py", "evidence.py", "scoring.py")
# A string of the engine's source that is a reason code ("{}" where an f-string fills something in).
CODE_SHAPE = re.compile(r"^[a-z{}]+(?:[=≈✓✗≠~?↔+(]|_[a-z]+$| \{\}d apart$)")
SYMBOLS = ("≈", "✓", "✗", "≠", "→", "↔", "±", "=", "?", "(", ")", "~", "->", "+", "_")
COUNTRY_CODE = re.compile(r"\b[A-Z]{2}\b")
# English words of the codes, and of the English phrases, that must not be left in a Spanish phrase.
ENGLISH = re.compile(
    r"\b(?:given|surname|exact|nickname|initial|phonetic|typo|joined|missing|married|swapped|same|year|"
    r"month|day|days|vs|seen|born|taller|shorter|cm apart|grown|edit|before|after|apart|tattoo|scar|mole|"
    r"shoulder|arm|face|leg|motif|side|place|country|corridor|photo|height|mark|sex|age|dob|doc|and|the)\b"
)
D = date(2026, 3, 1)


def _name_codes() -> Iterator[str]:
    """names.py: every kind of agreement between two invented names."""
    pairs = [
        (("Rosa", "Quispe", ""), ("Rosa", "Quispe", "")),  # exact
        (("Guadalupe", "Quispe", ""), ("Lupe", "Quispe", "")),  # nickname
        (("María José", "Vaca", ""), ("Majo", "Vaca", "")),  # whole nickname
        (("R", "Q", ""), ("Rosa", "Quispe", "")),  # initials
        (("Yesica", "Quispe", ""), ("Jessica", "Kispe", "")),  # sounds alike
        (("Marcelina", "Condorena", ""), ("Marcelino", "Condorana", "")),  # spelling variants
        (("Mari Cruz", "Thred Gold", ""), ("Maricruz", "Thredgold", "")),  # written together or apart
        (("Rosa Elvira", "Quispe", ""), ("Rosa", "Quispe", "")),  # only some given names
        (("Quispe Mamani", "Rosa", ""), ("Rosa", "Quispe", "Mamani")),  # boxes exchanged
        (("Rosa", "Quispe", "Mamani"), ("Rosa", "Mamani", "Quispe")),  # surnames swapped
        (("Rosa", "Quispe", "Mamani"), ("Rosa", "Quispe", "")),  # one surname missing
        (("Rosa", "Quispe", "Mamani"), ("Rosa", "Mamani", "")),  # the other order
        (("Rosa", "Quispe", "vda. de Pérez"), ("Rosa", "Quispe", "vda. de Pérez")),  # married surname
        (("Rosa", "Quispe", "de Pérez"), ("Rosa", "Pérez", "")),  # the husband's surname alone
        (("Rosa", "Quispe", ""), ("Pedro", "Zeballos", "")),  # nothing agrees
        (("", "Quispe", ""), ("Rosa", "", "")),  # a side missing
    ]
    for a, b in pairs:
        yield from name_similarity(parse_name(*a), parse_name(*b)).reasons


def _evidence_codes() -> Iterator[str]:
    """evidence.py: each comparator at each of its levels."""
    results = [
        ev.compare_sex("F", "mujer"),
        ev.compare_sex("F", "M"),
        ev.compare_sex("F", "?"),
        ev.compare_age(date(2010, 5, 14), birth_date_b=date(2010, 5, 14)),
        ev.compare_age(date(2010, 3, 4), birth_date_b=date(2010, 4, 3)),
        ev.compare_age(date(2010, 5, 14), birth_date_b=date(2011, 5, 14)),
        ev.compare_age(date(2010, 5, 14), birth_date_b=date(2010, 9, 1)),
        ev.compare_age(date(2010, 5, 1), "month", birth_date_b=date(2010, 5, 1), birth_precision_b="month"),
        ev.compare_age(date(2010, 1, 1), "year", birth_date_b=date(2010, 1, 1), birth_precision_b="year"),
        ev.compare_age(date(2010, 1, 1), "year", birth_date_b=date(2011, 1, 1), birth_precision_b="year"),
        ev.compare_age(date(2010, 1, 1), "year", birth_date_b=date(2014, 1, 1), birth_precision_b="year"),
        ev.compare_age(date(2010, 5, 14), age_min_b=15, age_max_b=16, event_date_b=D),
        ev.compare_age(date(2010, 5, 14), age_min_b=18, age_max_b=19, event_date_b=D),
        ev.compare_age(date(2010, 5, 14), age_min_b=30, age_max_b=35, event_date_b=D),
        ev.compare_age(None, age_min_a=20, age_max_a=20, event_date_a=D, age_min_b=30, event_date_b=D),
        ev.compare_age(None, age_min_a=14, age_max_a=18, event_date_a=D, birth_date_b=date(1990, 1, 1)),
        ev.compare_age(None),
        ev.compare_document("12.345.678-k", "12345678K"),
        ev.compare_document("12345678", "12345679"),
        ev.compare_document("12345678", "98765432"),
        ev.compare_document("", "1"),
        ev.compare_height(150, 152),
        ev.compare_height(140, 160, years_between=3, minor=True),
        ev.compare_height(150, 158),
        ev.compare_height(158, 150),
        ev.compare_height(150, 180),
        ev.compare_height(180, 150, b_is_estimate=True),
        ev.compare_height(None, 150),
        ev.compare_time_order(D, date(2026, 2, 26)),
        ev.compare_time_order(D, date(2026, 2, 28)),
        ev.compare_time_order(D, D),
        ev.compare_time_order(D, date(2026, 3, 2)),
        ev.compare_time_order(D, date(2026, 6, 1)),
        ev.compare_time_order(None, D),
        ev.compare_marks("tatuaje de mariposa en el hombro", "butterfly tattoo on shoulder"),
        ev.compare_marks("tatuaje de estrella", "tatuaje de escorpión"),
        ev.compare_marks("tatuaje en el brazo izquierdo", "tatuaje en el brazo derecho"),
        ev.compare_marks("cicatriz en la mano", "cicatriz en la pierna y la rodilla"),
        ev.compare_marks("un lunar", "lunar grande"),
        ev.compare_marks("nada", "lunar"),
        ev.compare_place("BO", "El Alto, Distrito 8", "BO", "Alto Lima, El Alto"),
        ev.compare_place("BO", "Sucre", "BO", "Cochabamba"),
        ev.compare_place("BO", "", "BO", "Cochabamba"),
        ev.compare_place("BO", "El Alto", "PE", "Puno"),
        ev.compare_place("BO", "El Alto", "CR", "San José"),
        ev.compare_place("", "", "", ""),
    ]
    for result in results:
        yield result.reason


def _scoring_codes() -> Iterator[str]:
    """scoring.py: dates of two claims far apart, the same and a similar photo."""
    a = PersonRecord("a", CLAIM, "Rosa", "Quispe", event_date=D, photo_hashes=(0b1011,))
    for b in (
        PersonRecord("b", CLAIM, "Rosa", "Quispe", event_date=date(2026, 5, 1), photo_hashes=(0b1011,)),
        PersonRecord("c", CLAIM, "Rosa", "Quispe", event_date=date(2027, 5, 1), photo_hashes=(0b1000,)),
        PersonRecord("d", SIGHTING, "Rosa", "Quispe", event_date=date(2026, 2, 1)),
    ):
        yield from compare(prepare(a), prepare(b), EMPTY_FREQUENCIES, 100).reasons


def engine_codes() -> list[str]:
    """Every reason code the invented records above make the engine write."""
    return sorted(set(_name_codes()) | set(_evidence_codes()) | set(_scoring_codes()))


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def source_codes() -> set[str]:
    """The reason codes written in the engine's source, docstrings left out ("{}=exact", "after+{}d")."""
    found = set()
    for name in SOURCES:
        tree = ast.parse((ENGINE / name).read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            text = _literal(node)
            if text and id(node) not in docstrings and CODE_SHAPE.match(text):
                found.add(text)
    return found


def test_the_source_scan_finds_the_engines_codes():
    found = source_codes()
    assert {"dob≈(year±1)", "{}=exact", "corridor({}→{})", "given_partial", "dates {}d apart"} <= found


def test_the_invented_records_make_every_code_the_engine_can_write():
    made = engine_codes()
    for code in sorted(source_codes()):
        prefixes = [code.split("{}")[0]]
        if code.startswith("{}"):  # the field of a name comparison: given or surname
            prefixes = [field + code[2:].split("{}")[0] for field in ("given", "surname")]
        for prefix in prefixes:
            if prefix.startswith("surname=nickname"):
                continue  # surnames are never compared as nicknames (names.compare_tokens)
            assert any(m.startswith(prefix) for m in made), f"no invented record makes the engine write {prefix!r}"


def _problems(text: str, spanish: bool) -> list[str]:
    found = [s for s in SYMBOLS if s in text]
    found += COUNTRY_CODE.findall(text)
    if spanish:
        found += ENGLISH.findall(text)
    return found


@pytest.mark.parametrize("right_type", ["sighting", "claim"])
def test_every_code_reads_as_a_spanish_phrase(app, right_type):
    with app.test_request_context("/"):
        for code in engine_codes():
            text = reasons_text([code], right_type)[0]
            assert text and text != code, code
            assert not _problems(text, spanish=True), (code, text)


def test_every_code_reads_as_an_english_phrase(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        for code in engine_codes():
            text = reason_text(code, sighting=True)
            assert text and text != code and not _problems(text, spanish=False), (code, text)


@pytest.mark.parametrize(
    ("code", "sighting", "spanish"),
    [
        ("dob≈(year±1)", False, "fecha de nacimiento: mismo día y mes, con un año de diferencia"),
        ("dob≈(2010 vs 2011)", False, "años de nacimiento cercanos: 2010 y 2011"),
        ("corridor(BO→PE)", True, "ruta transfronteriza entre Bolivia y Perú"),
        ("country≠(BO→CL)", True, "países distintos: Bolivia y Chile"),
        ("age✗(seen 30-35, born 2010)", True, "la edad no coincide: con unos 30–35 años; nacimiento en 2010"),
        ("height~(taller 12cm)", True, "estatura cercana: la persona vista mide 12 cm más"),
        ("height✗(shorter 25cm)", False, "estatura distinta: 25 cm de diferencia"),
        ("height≈(grown)", True, "la estatura coincide, contando el crecimiento"),
        ("mark≈(tattoo;side≠)", True, "seña particular parecida, del otro lado del cuerpo: tatuaje"),
        ("mark✓(tattoo,butterfly,shoulder)", True, "misma seña particular: tatuaje, mariposa y hombro"),
        ("mark✗(scar:hand≠knee/leg)", True, "señas particulares distintas: cicatriz; un registro dice mano o dedo y "),
        ("dob≈(day/month swapped)", False, "fecha de nacimiento: día y mes invertidos"),
        ("doc≈(1 edit)", False, "documento de identidad: difiere en un carácter"),
        ("before_disappearance(3d)", True, "avistamiento 3 días antes de la desaparición"),
        ("before_disappearance(1d)", True, "avistamiento un día antes de la desaparición"),
        ("after+0d", True, "avistamiento el mismo día de la desaparición"),
        ("place✓(alto,distrito)", False, "mismo lugar: Alto y Distrito"),
        ("place≠(BO)", False, "lugares distintos en Bolivia"),
        ("country=BO", False, "mismo país: Bolivia"),
        ("given=nickname(lupe)", True, "nombre: Lupe es un apodo"),
        ("surname≈phonetic(quispe/kispe)", True, "apellidos que suenan igual: Quispe y Kispe"),
        ("surname=married(perez)", False, "apellido de casada: Perez"),
    ],
)
def test_the_phrases_officers_read(app, code, sighting, spanish):
    with app.test_request_context("/"):
        assert reason_text(code, sighting=sighting).startswith(spanish)


@pytest.mark.parametrize("code", ["", "(", "eyes✓(blue)", "dob≈(tomorrow)", "height~(taller)", "mark✗(x)", "after+d"])
def test_an_unknown_code_or_detail_never_fails(app, code):
    with app.test_request_context("/"):
        text = reason_text(code)
    assert isinstance(text, str)
    if code.startswith(("dob≈", "height~", "mark✗")):
        assert "(" not in text  # a known head with an odd detail: the head's phrase alone


def test_every_mark_concept_has_a_label():
    assert set(marks._LEXICON) <= set(MARK_LABELS)


# The pages, as a Bolivian officer reads them in Spanish (the default language).
CODE_TRACES = ("offer.type", "corridor:", "->", "→", "±", "year", "≈", "✓", "✗", "≠", "vs ")
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:offer|recruiters)\.[a-z_]+\b")
REASONS = re.compile(r'<ul class="reasons">(.*?)</ul>', re.S)


def visible(html: str) -> str:
    """The text a reader sees: no tags (so no attributes), no scripts, entities left as they are."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _assert_readable(html: str, *phrases: str) -> None:
    text = visible(html)
    assert not [t for t in CODE_TRACES if t in text], [t for t in CODE_TRACES if t in text]
    assert not RAW_KEY.findall(text)
    reasons = visible(" ".join(REASONS.findall(html)))
    assert reasons.strip() and not _problems(reasons, spanish=True), reasons
    for phrase in phrases:
        assert phrase in text, phrase


@pytest.fixture
def readable_pair(session):  # type: ignore[no-untyped-def]
    """A Bolivian claim with a height and a mark, and a sighting in Peru taller and with the same tattoo."""
    from tests.builders import candidate_of, guadalupe, lupe_sighting

    claim = guadalupe(session, height_cm="150", distinguishing_marks="tatuaje de mariposa en el hombro izquierdo")
    sighting = lupe_sighting(session, height_cm="168", marks="un tatuaje de mariposa en el hombro")
    session.commit()
    return claim, candidate_of(session, sighting)


def test_the_queue_and_the_compare_page_of_a_sighting_read_in_spanish(client, login_as, readable_pair):
    _claim, candidate = readable_pair
    assert any("→" in code or "(" in code for code in candidate.reasons)  # there are details to put in words
    login_as("police", "BO")
    phrases = (
        "ruta transfronteriza entre Bolivia y Perú",
        "misma seña particular: tatuaje, mariposa y hombro",
        "estatura cercana: la persona vista mide 18 cm más",
        "nombre: Lupe es un apodo",
    )
    _assert_readable(client.get("/review/queue").get_data(as_text=True), *phrases)
    _assert_readable(client.get(f"/review/candidates/{candidate.id}").get_data(as_text=True), *phrases)


def test_two_claims_of_one_person_read_in_spanish(client, login_as, session):
    from tests.builders import candidates, guadalupe

    guadalupe(session, birth_date="2010-05-14", height_cm="150", distinguishing_marks="cicatriz en la mano")
    guadalupe(
        session,
        birth_date="2011-05-14",
        height_cm="158",
        distinguishing_marks="cicatriz en la pierna",
        country="PE",
        place="Puno",
    )
    session.commit()
    (candidate,) = candidates(session)
    login_as("police", "PE")
    phrases = (
        "fecha de nacimiento: mismo día y mes, con un año de diferencia",
        "estatura cercana: 8 cm de diferencia",
        "señas particulares distintas: cicatriz; un registro dice ",
    )
    _assert_readable(client.get("/review/queue").get_data(as_text=True), *phrases)
    _assert_readable(client.get(f"/review/candidates/{candidate.id}").get_data(as_text=True), *phrases)
