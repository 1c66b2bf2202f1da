"""The trafficking card as an officer reads it in Spanish: every fact behind an indicator in words (the offer,
the route, the recruiter, the police notes, the linked places), never a fact key or an engine code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from portal.cases.codes import IDENTIFIER_KIND_LABELS
from portal.casework import candidate_confirmed, note_added, sighting_verified
from portal.flags.presenters import FIELD_LABELS
from portal.flags.services import reassess
from portal.risk import facts as risk_facts
from tests.builders import candidate_of, guadalupe, lupe_sighting, make_claim, make_user

OFFER = {
    "type": "job",
    "sector": "mining",
    "destination_country": "CL",
    "destination_place": "Calama",
    "travel_paid_by": "recruiter",
    "documents_handed_over": "yes",
    "debt_mentioned": "yes",
    "employer_verified": "no",
    "contact_method": "online",
}
# What the engine and the facts hold, which must never reach the page as such.
CODE_TRACES = ("offer.", "recruiters.", "corridor:", "->", "→", "±", "year", "≈", "✓", "✗", "≠", "rules:")
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b")
RAW_VALUES = {"true", "false", "job", "mining", "recruiter", "online", "employer", "mine", "no", "yes", "CL", "BO"}
CARD = re.compile(r'<section class="restricted risk-flag.*?</section>', re.S)
EVIDENCE = re.compile(r'<ul class="evidence">(.*?)</ul>', re.S)


def visible(html: str) -> str:
    """The text a reader sees: no tags (so no attributes)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _mine_seen(session, claim, officer, **overrides):  # type: ignore[no-untyped-def]
    """A sighting of the claim's person at a mine in Calama, Chile, confirmed and verified by ``officer``."""
    sighting = lupe_sighting(session, country="CL", place="Calama", venue="mine", **overrides)
    session.flush()
    candidate_confirmed(session, officer, candidate_of(session, sighting))
    sighting_verified(session, officer, sighting)
    return sighting


@pytest.fixture
def card_html(client, login_as, session):  # type: ignore[no-untyped-def]
    """The card of an invented girl who left for a mining job in Chile, seen at a mine there, with a
    police note; two other invented claims share her recruiter's phone and her offer, one seen there too."""
    officer = make_user(session, "police", "BO")
    recruiter = [{"kind": "phone", "value": "+591 71234567"}]
    for n, (given, surname) in enumerate([("Ana", "Zeta"), ("Bea", "Ygriega")]):
        other = make_claim(
            session,
            status="active",
            given_names=given,
            first_surname=surname,
            second_surname="",
            birth_date=f"200{n}-01-01",
            offer=OFFER,
            recruiters=recruiter,
            event_date="2026-03-10",
        )
        session.flush()
        if n == 0:
            _mine_seen(session, other, officer, name_heard=given, age_min="24", age_max="26", sex="F")
    claim = guadalupe(
        session,
        circumstances=["job_offer_abroad", "online_contact"],
        offer=OFFER,
        recruiters=recruiter,
        prior_disappearances="3",
        missing_from_state_care="yes",
        occupation="domestic_worker",
        reporter_relation="empleadora",
    )
    session.flush()
    _mine_seen(
        session,
        claim,
        officer,
        companion="guard_or_escort",
        conditions=["injuries", "long_hours"],
        free_to_leave="no",
    )
    note_added(session, officer, claim, text="Llamada a la familia.", visibility="police", flags=["owes_debt"])
    reassess(session, claim, "claim")
    session.commit()
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    found = CARD.search(page)
    assert found, "no trafficking card"
    return found.group(0)


def test_the_card_shows_no_fact_key_and_no_code(card_html):
    text = visible(card_html)
    assert not [t for t in CODE_TRACES if t in text], [t for t in CODE_TRACES if t in text]
    assert not RAW_KEY.findall(text), RAW_KEY.findall(text)


def test_every_fact_value_is_in_words(card_html):
    values = [visible(v).strip() for e in EVIDENCE.findall(card_html) for v in re.findall(r"<strong>(.*?)</strong>", e)]
    assert len(values) > 20
    assert not [v for v in values if v in RAW_VALUES or re.fullmatch(r"[a-z_]+", v)], values


PHRASES = (
    "Qué le ofrecieron: <strong>Un trabajo</strong>",
    "Tipo de trabajo ofrecido: <strong>Minería</strong>",
    "Adónde: <strong>Chile</strong>",
    "Empleador verificado: <strong>No</strong>",
    "Cómo se hizo la oferta: <strong>Por internet o redes sociales</strong>",
    "Quién pagó el viaje: <strong>Pagó quien hizo la oferta</strong>",
    "Se mencionó una deuda: <strong>Sí</strong>",
    "Entregó sus documentos antes de irse: <strong>Sí</strong>",
    "Ocupación: <strong>Trabajadora o trabajador del hogar</strong>",
    "Relación con la persona: <strong>El empleador o la empleadora</strong>",
    "Veces que la persona desapareció antes: <strong>3</strong>",
    "Desapareció de un hogar de niños o del cuidado del Estado: <strong>Sí</strong>",
    "Número de teléfono del reclutador: <strong>59171234567</strong>",
    "La misma oferta que en otras denuncias: <strong>Minería en Chile</strong>",
    "La misma oferta que en otras denuncias: <strong>Calama, Chile</strong>",
    "Reglas de indicios: Ruta de trata documentada: <strong>de Bolivia a Chile</strong>",
    "Parecía libre de irse: <strong>No</strong>",
    "Cómo se veía la persona: <strong>Con lesiones (moretones, heridas)</strong>",
    "Nota policial: <strong>La persona dice que tiene una deuda</strong>",
    "Tipo de lugar: <strong>Mina o campamento minero en Calama</strong>",
)


def test_the_spanish_phrases_officers_read(card_html):
    assert not [phrase for phrase in PHRASES if phrase not in card_html]


def _fields_written() -> set[str]:
    """The fact names the trafficking engine writes on evidence lines ("{}" where an f-string fills in)."""
    risk = Path(__file__).resolve().parents[2] / "portal" / "risk"
    found = set()
    for path in [risk / "evidence.py", *sorted((risk / "triggers").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
            if name in ("claim_line", "sighting_line", "EvidenceLine") and len(node.args) > 1:
                field = node.args[1]
                if isinstance(field, ast.Constant):
                    found.add(field.value)
                elif isinstance(field, ast.JoinedStr):
                    found.add("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in field.values))
    return found


def test_every_fact_the_engine_names_has_a_label():
    written = _fields_written()
    assert {"offer.type", "corridor", "flags", "recruiters.{}", "conditions"} <= written  # the scan works
    assert not sorted(f for f in written if f not in FIELD_LABELS and f != "recruiters.{}")
    assert not sorted(kind for kind in risk_facts.IDENTIFIER_KINDS if kind not in IDENTIFIER_KIND_LABELS)


SOURCE_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")  # "ILO2009", "TIP-BOL": a code, not a citation
# Codes the list's header gives no title for: shown as written until the list names them.
UNTITLED = {"CRS-PER", "DIALOGO-2018", "FGE-ECU-2026", "EFE-2025"}


def test_the_cards_sources_are_citations_not_codes(card_html):
    sources = re.findall(r"Fuentes: (.*?)</p>", card_html)
    assert sources and "OIT/CE, Indicadores operativos de la trata de seres humanos (2009)" in " ".join(sources)
    items = [item for line in sources for item in line.split("; ")]
    assert not [item for item in items if SOURCE_CODE.fullmatch(item) and item not in UNTITLED], items


def test_every_source_code_of_the_list_has_a_citation():
    from portal.flags.presenters import source_title
    from portal.risk.rules import load_rules

    codes = {code for indicator in load_rules().indicators for code in indicator.sources}
    unknown = {code for code in codes if source_title(code) == code}
    assert unknown <= UNTITLED, unknown


def test_a_missing_fact_of_many_sightings_is_listed_once_with_their_number(client, login_as, session):
    """Tips from the public that leave the same things unknown: each missing fact is one line saying how
    many sightings it concerns, not one line per sighting."""
    claim = guadalupe(session)
    for place in ("Cusco", "Juliaca", "Puno"):
        lupe_sighting(session, place=place, description="")
    session.commit()
    login_as("police", "BO")
    client.get("/lang/en")
    card = CARD.search(client.get(f"/cases/{claim.id}").get_data(as_text=True))
    assert card is not None
    text = visible(card.group(0))
    assert text.count("Who was with the person when seen is unknown.") == 1
    assert "Who was with the person when seen is unknown. (3 sightings)" in text
