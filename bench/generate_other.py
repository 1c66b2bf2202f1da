#!/usr/bin/env python3
"""A second, independent benchmark generator: claims and sightings made from other assumptions.

    python bench/generate_other.py --claims 100000 --seed 1 --out /tmp/other100k

Its purpose is to keep the matching engine honest, not to be tuned against. It shares nothing
with ``generate.py`` (no name list, no corruption model): its populations, name frequencies,
nicknames, spelling rules and error rates are its own (``other_names.py``), and they are written
down here so that a reader can judge them. It writes, in the person-record CSV format
(``/work/shared/spec/person-records.md``), the same four files as ``generate.py``, which
``evaluate.py`` and ``run.py`` score the same way:

- ``claims.csv``          missing-person claims; some people have two or three;
- ``sightings.csv``       what witnesses reported, some of people nobody claimed;
- ``truth_pairs.csv``     ``left_id,right_id``: claims of the same person (left_id < right_id);
- ``truth_sightings.csv`` ``sighting_id,claim_id``: each true sighting with every claim of the
                          person seen;

and a fifth, ``truth_records.csv`` (``id,role,person,relative,population,filer,tags``), with what
was done to each record (its corruption tags, ``;``-separated; ``relative``: the person a sibling
or a look-alike was made from), for diagnosing misses (``diagnose.py``).
Deterministic: the same ``--seed`` gives byte-identical files. Standard library only. All people
are invented.

How the data is made (the assumptions)
--------------------------------------
**People.** Eight naming communities, by share of the missing: Andean Quechua/Aymara (26 %: PE,
BO), Guatemalan Maya (15 %; K'iche', Q'eqchi', Kaqchikel and Mam surnames mixed 55/45 with
Spanish ones), Central American Spanish (12 %: NI, CR, HN, SV), Brazilian (11 %), Paraguayan
(11 %), Haitian (10 %; claims filed in HT, CL, DO, BR), Puerto Rican (10 %) and Ecuadorian Kichwa
(5 %). Names are drawn from each community's lists with Zipf weights ``rank ** -s``: surnames with
s = 1.05 (Andean, so Quispe and Mamani crowd), 1.1 (Brazilian: Silva), 0.95 (Central American),
0.9 (Paraguayan, Puerto Rican), 0.85 (Maya, Kichwa), 0.8 (Haitian); given names with s = 0.8 to
0.95. 8 % of Andean surnames are compounds of two Quechua roots (Choque + huanca), a long tail no
list holds. 15-55 % of people have two given names (Haitian ones often hyphenated: Jean-Robert).
Ages when last seen: 10 % 2-11, 40 % 12-17, 25 % 18-25, 15 % 26-40, 10 % 41-70; 58 % female.
25 % have an apodo (la Flaca, Ti Boss, Neguinho) unrelated to their name. 5 % have a sibling
claimed too (same surnames and place, another given name, born 1-8 years apart).

**Surname order.** Spanish-speaking communities write paternal then maternal surname. Brazilians
are maternal then paternal (the main surname last, often with its particle: "Ferreira da
Silva"), and 20 % have one surname. Haitians have one family name. Married women (35 % of those
20 or older) may be written with the husband's name: "Tzoc de Pop" (Spanish), a surname appended
(Brazilian: "Ferreira Silva Santos"), or the husband's replacing hers (Haitian).

**Claims.** Every claim is drawn afresh from the person by a filer, not copied from another
claim: the first by the family (70 %) or the police of the home country (30 %); 13 % of people
get more claims (a quarter of those two more), filed by police abroad (45 %), a relative abroad
(30 %) or an NGO (25 %), in a country on the person's migration route. A police officer abroad
writes names as heard and ages as estimated; a police officer at home copies a document (capitals,
no accents); an NGO knows nicknames and approximate ages. The rates, per filer (share of the
claims where the corruption could apply):

| claim corruption | family | police_home | police_abroad | ngo |
|---|---|---|---|---|
| given_first_only | 0.10 | 0.03 | 0.20 | 0.25 |
| given_second_only | 0.05 | 0.01 | 0.06 | 0.08 |
| nickname_as_given | 0.04 | 0.00 | 0.08 | 0.25 |
| one_surname | 0.08 | 0.03 | 0.25 | 0.30 |
| surname_order | 0.03 | 0.01 | 0.06 | 0.05 |
| surnames_one_field | 0.03 | 0.02 | 0.05 | 0.05 |
| given_surname_swapped | 0.02 | 0.05 | 0.12 | 0.08 |
| second_given_as_surname | 0.02 | 0.01 | 0.15 | 0.10 |
| married_form | 0.40 | 0.60 | 0.40 | 0.30 |
| respelled | 0.05 | 0.02 | 0.35 | 0.25 |
| typo | 0.10 | 0.03 | 0.05 | 0.10 |
| birth_dm_swapped | 0.03 | 0.01 | 0.04 | 0.03 |
| birth_year_off | 0.03 | 0.01 | 0.04 | 0.03 |
| birth_year_only | 0.04 | 0.01 | 0.12 | 0.15 |
| age_only | 0.06 | 0.00 | 0.35 | 0.55 |
| doc_missing | 0.45 | 0.10 | 0.70 | 0.90 |
| doc_passport | 0.10 | 0.00 | 0.50 | 0.30 |
| doc_typo | 0.04 | 0.02 | 0.05 | 0.05 |
| sex_missing | 0.01 | 0.01 | 0.03 | 0.05 |
| height_missing | 0.30 | 0.40 | 0.60 | 0.75 |
| event_later | 0.10 | 0.05 | 0.25 | 0.30 |

Brazilians' surname order and count depend on who writes them: in Brazil the rows above apply to
the document order (maternal paternal); a filer outside Brazil puts the paternal surname first
half of the time (surname_order 0.50) and keeps only it 30 % of the time (one_surname 0.30).
Claims filed in PR or the US swap day and month of the birth date 15 % of the time (US order).
``given_surname_swapped`` and ``second_given_as_surname`` apply to Haitian names (a French
"NOM Prénom" order; "Jean Robert Pierre" read as given Jean, surnames Robert Pierre).
``married_form`` applies to married women only, ``given_*`` to people with two given names,
``nickname_as_given`` to those whose name has nicknames; ``age_only`` by a family is the exact
age, by anyone else an estimate with the witness errors below. Accents: families keep them 75 %
of the time; officers at home write capitals without accents 60 %, officers abroad drop them 60 %.

**Sightings.** 0.05 per claim; 25 % are of people nobody claimed (40 % of those look-alikes: same
community, sex, given name and age as a claimed person). A sighting comes 0 to 24 months after
the person's latest claim (exponential, mean 5 months, never after 2026-11-30), in a country of
the person's migration route (Haitians: CL, BR, DO, MX; Maya: MX, GT, US; Andean: PE, BO, CL,
AR...). What the witness knew of the name (one of):

| sighting name known | rate |
|---|---|
| full | 0.25 |
| first_only | 0.33 |
| nickname_only | 0.15 |
| first_and_nickname | 0.05 |
| surname_only | 0.10 |
| none | 0.12 |

"first" is the name the person goes by: the second given name for 20 % of those with two.
"nickname" is a hypocoristic of the name if it has one, else (or half the time) the apodo; a
person with neither is known by the first name ("first_only").
Then, independently:

| sighting corruption | rate |
|---|---|
| respelled | 0.35 |
| typo | 0.12 |
| sex_missing | 0.06 |
| sex_wrong | 0.02 |
| age_missing | 0.08 |
| age_rounded | 0.40 |
| height_given | 0.45 |
| date_dm_swapped | 0.03 |
| country_missing | 0.04 |
| place_missing | 0.15 |
| mark_described | 0.35 |

``respelled`` writes one or two words as heard, by the rules of the community's names
(``other_names.RULES_BY_POPULATION``; given names of Quechua, Kichwa and Maya speakers, which are
Spanish, by the Spanish rules only): Quechua spellings (Quispe/Kispe/Qispi, Huamán/Waman,
Condori/Cundori), Kichwa (Guasgua/Wasgua), Maya (Xol/Shol, Tzoc/Tsok), Portuguese heard by a
Spanish speaker (João/Joan, Gonçalves/Gonsalves), Guaraní-influenced (Giménez/Jiménez/Ximénez),
Puerto Rican English-Spanish (Yadiel/Jadiel, Xiomara/Siomara) and Haitian names as a
Spanish-speaker writes them or in Kreyòl spelling (Joseph/Yosef/Jozèf, Jean/Yan, Pierre/Pyè);
Spanish seseo, yeísmo, b/v and a dropped h everywhere. ``typo`` is a phone-keyboard slip:
a neighbouring key, a doubled or dropped letter, two letters swapped, a space added or lost.
``age_rounded`` rounds the estimate to a multiple of 5 when it is 10 or more. ``date_dm_swapped``
(only when the day is 12 or less) can put the sighting before the disappearance.

**Witness age estimates.** The estimate is the true age plus a bias and a normal error, by age:
under 10: +0.5 (sd 1.5); 10-13: +1 (sd 2); 14-17: +2.5 for girls, +1.5 for boys (sd 2.5: made up
or made to look older); 18-29: 0 (sd 3); 30-44: -1.5 (sd 4); 45 and over: -3 (sd 5). It is
written as one number (30 %: "unos 16"), a range around it (45 %: +-2 mostly, +-3 or +-5), or a
bracket (25 %: "menor de edad" = 12-17 under 18, "veintitantos" = 20-29 and so on).
The tag ``age_outside`` marks a sighting whose written range misses the true age, ``age_far`` one
that misses it by more than 3 years.

**Tags.** ``truth_records.csv`` lists, for every claim and sighting, the corruption tags above
that were applied, plus ``age_outside``, ``age_far``, ``date_before_claim``, ``goes_by_second``, the
age style (``age_point``, ``age_range``, ``age_bracket``) and the sighting's name category
(``name:full`` ...). A duplicate pair's corruptions are the union of its two claims' tags.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import other_names as ON

from portal.matching import csvfiles

# The person-record columns of spec/person-records.md, as the engine reads them.
COLUMNS = list(csvfiles.COLUMNS)

FIRST_EVENT = dt.date(2023, 1, 1)
LAST_EVENT = dt.date(2026, 5, 31)
GENERATION_DATE = dt.date(2026, 11, 30)
SIGHTING_MEAN_DELAY_DAYS = 150
SIGHTING_MAX_DELAY_DAYS = 730

FILERS = ("family", "police_home", "police_abroad", "ngo")
FIRST_FILER = {"family": 0.7, "police_home": 0.3}
EXTRA_FILER = {"police_abroad": 0.45, "family": 0.30, "ngo": 0.25}
MULTI_CLAIM_SHARE = 0.13  # people with more than one claim
THIRD_CLAIM_SHARE = 0.25  # of those, people with three
SIBLING_SHARE = 0.05
APODO_SHARE = 0.25
MARRIED_SHARE = 0.35  # of women aged 20 or more
SIGHTINGS_PER_CLAIM = 0.05
UNCLAIMED_SHARE = 0.25
LOOKALIKE_SHARE = 0.40  # of the unclaimed sightings
AGE_GROUPS = ((0.10, 2, 11), (0.40, 12, 17), (0.25, 18, 25), (0.15, 26, 40), (0.10, 41, 70))
FEMALE_SHARE = 0.58

# Rates of the claim corruptions by filer (the table in the module docstring; a test keeps both equal).
_CLAIM_RATE_ROWS = {
    "given_first_only": (0.10, 0.03, 0.20, 0.25),
    "given_second_only": (0.05, 0.01, 0.06, 0.08),
    "nickname_as_given": (0.04, 0.00, 0.08, 0.25),
    "one_surname": (0.08, 0.03, 0.25, 0.30),
    "surname_order": (0.03, 0.01, 0.06, 0.05),
    "surnames_one_field": (0.03, 0.02, 0.05, 0.05),
    "given_surname_swapped": (0.02, 0.05, 0.12, 0.08),
    "second_given_as_surname": (0.02, 0.01, 0.15, 0.10),
    "married_form": (0.40, 0.60, 0.40, 0.30),
    "respelled": (0.05, 0.02, 0.35, 0.25),
    "typo": (0.10, 0.03, 0.05, 0.10),
    "birth_dm_swapped": (0.03, 0.01, 0.04, 0.03),
    "birth_year_off": (0.03, 0.01, 0.04, 0.03),
    "birth_year_only": (0.04, 0.01, 0.12, 0.15),
    "age_only": (0.06, 0.00, 0.35, 0.55),
    "doc_missing": (0.45, 0.10, 0.70, 0.90),
    "doc_passport": (0.10, 0.00, 0.50, 0.30),
    "doc_typo": (0.04, 0.02, 0.05, 0.05),
    "sex_missing": (0.01, 0.01, 0.03, 0.05),
    "height_missing": (0.30, 0.40, 0.60, 0.75),
    "event_later": (0.10, 0.05, 0.25, 0.30),
}
CLAIM_RATES: dict[str, dict[str, float]] = {
    filer: {kind: rates[i] for kind, rates in _CLAIM_RATE_ROWS.items()} for i, filer in enumerate(FILERS)
}
BRAZIL_ABROAD_RATES = {"surname_order": 0.50, "one_surname": 0.30}
US_ORDER_DM_SWAP = 0.15  # claims filed in PR or the US
ACCENTS_KEPT = {"family": 0.75, "police_home": 0.0, "police_abroad": 0.4, "ngo": 0.5}
UPPER_CASE = {"family": 0.05, "police_home": 0.6, "police_abroad": 0.3, "ngo": 0.1}
ALIASES_LISTED = {"family": 0.4, "police_home": 0.1, "police_abroad": 0.1, "ngo": 0.5}
DESCRIPTION_GIVEN = {"family": 0.8, "police_home": 0.5, "police_abroad": 0.5, "ngo": 0.4}

SIGHTING_NAME = {
    "full": 0.25,
    "first_only": 0.33,
    "nickname_only": 0.15,
    "first_and_nickname": 0.05,
    "surname_only": 0.10,
    "none": 0.12,
}
SIGHTING_RATES = {
    "respelled": 0.35,
    "typo": 0.12,
    "sex_missing": 0.06,
    "sex_wrong": 0.02,
    "age_missing": 0.08,
    "age_rounded": 0.40,
    "height_given": 0.45,
    "date_dm_swapped": 0.03,
    "country_missing": 0.04,
    "place_missing": 0.15,
    "mark_described": 0.35,
}
GOES_BY_SECOND = 0.20
AGE_STYLE = {"point": 0.30, "range": 0.45, "bracket": 0.25}
# (upper bound of the age group, bias for girls, bias for boys, standard deviation), in years
AGE_ERROR = ((9, 0.5, 0.5, 1.5), (13, 1.0, 1.0, 2.0), (17, 2.5, 1.5, 2.5), (29, 0.0, 0.0, 3.0), (44, -1.5, -1.5, 4.0))
AGE_ERROR_OLDER = (-3.0, -3.0, 5.0)


# ------------------------------------------------------------------ sampling
@dataclass
class Zipf:
    """A list drawn with weights ``rank ** -s``."""

    items: Sequence[str]
    s: float
    cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cum = list(accumulate((rank + 1) ** -self.s for rank in range(len(self.items))))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum)[0]


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    """One key of ``table`` drawn by its weight."""
    return rng.choices(list(table), weights=list(table.values()))[0]


# ------------------------------------------------------------------ text
def strip_accents(text: str) -> str:
    """Text without combining accents (ñ becomes n, ç becomes c)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def capitalise(word: str) -> str:
    """Each part of a word (split on spaces, hyphens and apostrophes kept) with a capital."""
    return re.sub(r"(^|[\s-])(\w)", lambda m: m.group(1) + m.group(2).upper(), word)


NEIGHBOURS = ON.key_neighbours()


def phone_typo(rng: random.Random, text: str) -> str:
    """One slip on a phone keyboard: a neighbouring key, a doubled or dropped letter, two letters
    swapped, or a space added or lost."""
    if len(text) < 3:
        return text + text[-1:]
    for _ in range(8):
        i = rng.randrange(1, len(text) - 1)
        ch = text[i]
        op = rng.random()
        if op < 0.45 and ch.lower() in NEIGHBOURS:
            new = rng.choice(NEIGHBOURS[ch.lower()])
            out = text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
        elif op < 0.60 and ch.isalpha():
            out = text[:i] + ch + text[i:]
        elif op < 0.80 and ch.isalpha():
            out = text[:i] + text[i + 1 :]
        elif op < 0.90 and ch.isalpha() and text[i + 1].isalpha():
            out = text[:i] + text[i + 1] + ch + text[i + 2 :]
        elif " " in text:
            out = text.replace(" ", "", 1)
        elif len(text) >= 6:
            out = text[:i] + " " + text[i:]
        else:
            continue
        if out != text:
            return out
    return text + text[-1]


def respell_word(rng: random.Random, word: str, population: str, given: bool = False) -> str:
    """A word written as a witness heard it, or the word itself. A surname follows the rules of its
    community's language; a given name those of the language it comes from (the Spanish names of
    Quechua, Kichwa and Maya speakers are respelled as Spanish)."""
    if population == "haitian" and word in ON.HAITIAN_HEARD:
        return rng.choice(ON.HAITIAN_HEARD[word])
    low = word.lower()
    if population not in ("brazilian", "haitian"):  # a witness writes no accents, but keeps the ñ
        low = strip_accents(low.replace("ñ", "\0")).replace("\0", "ñ")
    rules = (ON.GIVEN_RULES_BY_POPULATION if given else ON.RULES_BY_POPULATION)[population]
    for _ in range(rng.choice((1, 1, 2))):
        applicable = [(pattern, reps) for pattern, reps in rules if re.search(pattern, low)]
        if not applicable:
            break
        pattern, reps = rng.choice(applicable)
        matches = list(re.finditer(pattern, low))
        m = rng.choice(matches)
        replacement = m.expand(rng.choice(reps))
        low = low[: m.start()] + replacement + low[m.end() :]
    out = capitalise(low)
    return out if strip_accents(out).lower() != strip_accents(word).lower() else word


def respell(rng: random.Random, name: str, population: str, given: bool = False) -> str:
    """One word of a (possibly compound) name respelled as heard; the name itself if none changes."""
    parts = re.split(r"([\s-])", name)
    words = [
        i for i, p in enumerate(parts) if p.strip() and p not in "-" and p.lower() not in ("de", "da", "do", "dos")
    ]
    rng.shuffle(words)
    for i in words:
        new = respell_word(rng, parts[i], population, given)
        if new != parts[i]:
            parts[i] = new
            return "".join(parts)
    return name


# ------------------------------------------------------------------ dates and ages
def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def day_month_swapped(d: dt.date) -> dt.date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if d.day > 12 or d.day == d.month:
        return None
    return dt.date(d.year, d.day, d.month)


# ------------------------------------------------------------------ descriptions
MARK_KINDS = {  # kind: (es, pt, en, ht)
    "scar": ("una cicatriz", "uma cicatriz", "a scar", "yon sikatris"),
    "mole": ("un lunar grande", "uma pinta grande", "a large mole", "yon gwo grenn"),
    "burn": ("una quemadura", "uma queimadura", "a burn scar", "yon mak boule"),
    "tattoo": ("un tatuaje de", "uma tatuagem de", "a tattoo of", "yon tatou"),
}
MOTIFS = {
    "rose": ("una rosa", "uma rosa", "a rose", "yon woz"),
    "star": ("una estrella", "uma estrela", "a star", "yon zetwal"),
    "heart": ("un corazón", "um coração", "a heart", "yon kè"),
    "butterfly": ("una mariposa", "uma borboleta", "a butterfly", "yon papiyon"),
    "cross": ("una cruz", "uma cruz", "a cross", "yon kwa"),
    "moon": ("una luna", "uma lua", "a moon", "yon lalin"),
    "snake": ("una serpiente", "uma cobra", "a snake", "yon koulèv"),
    "letters": ("letras chinas", "letras chinesas", "Chinese letters", "lèt chinwa"),
}
BODY_PARTS = {  # part: (es, pt, en, ht), whether it has a side
    "arm": (("el brazo", "o braço", "arm", "bra"), True),
    "hand": (("la mano", "a mão", "hand", "men"), True),
    "neck": (("el cuello", "o pescoço", "neck", "kou"), False),
    "back": (("la espalda", "as costas", "back", "do"), False),
    "leg": (("la pierna", "a perna", "leg", "janm"), True),
    "face": (("la cara", "o rosto", "face", "figi"), False),
    "shoulder": (("el hombro", "o ombro", "shoulder", "zepòl"), True),
    "ankle": (("el tobillo", "o tornozelo", "ankle", "cheviy"), True),
}
SIDES = {"L": ("izquierdo", "esquerdo", "left", "goch"), "R": ("derecho", "direito", "right", "dwat")}
LANG_INDEX = {"es": 0, "pt": 1, "en": 2, "ht": 3}
CLOTHES = {
    "es": ("polera negra y jeans", "buzo azul", "vestido rojo", "uniforme escolar", "chompa verde y falda"),
    "pt": ("camiseta preta e jeans", "moletom azul", "vestido vermelho", "uniforme escolar"),
    "en": ("black T-shirt and jeans", "blue hoodie", "red dress", "school uniform"),
    "ht": ("mayo nwa ak djins", "wòb wouj", "inifòm lekòl"),
}
CONTEXT = {
    "es": (
        "estaba con un hombre mayor",
        "vendía caramelos en el bus",
        "pedía plata en la terminal",
        "parecía asustada",
    ),
    "pt": ("estava com um homem mais velho", "pedia dinheiro na rodoviária", "parecia assustada"),
    "en": ("seen with an older man at the bus station", "asking for money", "looked scared"),
    "ht": ("li te avèk yon gran nèg", "li t ap mande lajan", "li te sanble pè"),
}


def mark_phrase(mark: tuple[str, str, str, str], lang: str) -> str:
    kind, motif, part, side = mark
    i = LANG_INDEX[lang]
    (part_words, _sided) = BODY_PARTS[part]
    where = part_words[i]
    side_word = SIDES[side][i] if side else ""
    if lang == "es":
        loc = f"en {where}" + (f" {side_word}" if side_word else "")
        if where.startswith("la ") and side_word:
            loc = loc[: -len(side_word)] + side_word[:-1] + "a"
    elif lang == "pt":
        prep = {"o": "no", "a": "na", "as": "nas"}[where.split()[0]]
        loc = f"{prep} {where.split(' ', 1)[1]}" + (f" {side_word}" if side_word else "")
        if where.startswith("a ") and side_word:
            loc = loc[: -len(side_word)] + side_word[:-1] + "a"
    elif lang == "en":
        loc = f"on the {side_word + ' ' if side_word else ''}{where}"
    else:
        loc = f"sou {where}" + (f" {side_word}" if side_word else "")
    what = MARK_KINDS[kind][i] + (" " + MOTIFS[motif][i] if kind == "tattoo" else "")
    return f"{what} {loc}"


# ------------------------------------------------------------------ the generator
@dataclass
class Person:
    pid: int
    population: str
    sex: str
    given: list[str]  # one or two given names ("Jean-Robert" is one)
    paternal: str  # the main family name (a Haitian's only one)
    maternal: str  # "" when none
    husband: str  # "" unless married
    birth: dt.date
    event: dt.date
    home: str
    nationality: str
    place: tuple[str, str]
    document: str
    height: int
    apodo: str
    marks: list[tuple[str, str, str, str]]
    relative: int = 0  # the person this one is a sibling or a look-alike of


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[tuple[str, str], Zipf] = {}
        for key, pop in ON.POPULATIONS.items():
            self.tables[(key, "surname")] = Zipf(pop.surnames, pop.surname_s)
            self.tables[(key, "F")] = Zipf(pop.female, pop.given_s)
            self.tables[(key, "M")] = Zipf(pop.male, pop.given_s)
            if pop.second_surnames:
                self.tables[(key, "second")] = Zipf(pop.second_surnames, 0.9)
        self.populations = list(ON.POPULATIONS)
        self.population_weights = [p.weight for p in ON.POPULATIONS.values()]
        # (scope, kind) -> [times the corruption could apply, times it was applied]
        self.stats: dict[tuple[str, str], list[int]] = {}
        self.next_pid = 0

    # ---- bookkeeping
    def chance(self, scope: str, kind: str, p: float) -> bool:
        """Draw an event of probability ``p`` and count it under (scope, kind)."""
        hit = self.rng.random() < p
        counts = self.stats.setdefault((scope, kind), [0, 0])
        counts[0] += 1
        counts[1] += hit
        return hit

    def category(self, scope: str, table: dict[str, float]) -> str:
        """Draw one category of ``table`` and count it under (scope, "cat:" + category)."""
        choice = weighted(self.rng, table)
        for name in table:
            counts = self.stats.setdefault((scope, "cat:" + name), [0, 0])
            counts[0] += 1
            counts[1] += name == choice
        return choice

    # ---- people
    def surname(self, pop_key: str) -> str:
        pop = ON.POPULATIONS[pop_key]
        rng = self.rng
        if pop_key == "andean" and rng.random() < ON.ANDEAN_COMPOUND_SHARE:
            return rng.choice(ON.ANDEAN_ROOTS_FIRST) + rng.choice(ON.ANDEAN_ROOTS_SECOND)
        if pop.second_surnames and rng.random() < pop.second_share:
            return self.tables[(pop_key, "second")].draw(rng)
        return self.tables[(pop_key, "surname")].draw(rng)

    def given_names(self, pop_key: str, sex: str, avoid: str = "") -> list[str]:
        rng = self.rng
        pop = ON.POPULATIONS[pop_key]
        table = self.tables[(pop_key, sex)]
        first = table.draw(rng)
        for _ in range(10):
            if first.split()[0] != avoid:
                break
            first = table.draw(rng)
        if " " in first:  # a compound from the list (Ana Paula, João Pedro)
            return first.split(" ", 1)
        if rng.random() < pop.two_given:
            second = table.draw(rng)
            if second != first and " " not in second:
                return [first, second]
        return [first]

    def new_person(self, pop_key: str | None = None) -> Person:
        rng = self.rng
        pop_key = pop_key or rng.choices(self.populations, weights=self.population_weights)[0]
        pop = ON.POPULATIONS[pop_key]
        sex = "F" if rng.random() < FEMALE_SHARE else "M"
        group = rng.choices(AGE_GROUPS, weights=[g[0] for g in AGE_GROUPS])[0]
        age = rng.randint(group[1], group[2])
        event = FIRST_EVENT + dt.timedelta(days=rng.randrange((LAST_EVENT - FIRST_EVENT).days + 1))
        birth = add_years(event, -age) - dt.timedelta(days=rng.randrange(365))
        home = weighted(rng, pop.home)
        return self.finish(pop_key, sex, self.given_names(pop_key, sex), birth, event, home, None, None)

    def finish(
        self,
        pop_key: str,
        sex: str,
        given: list[str],
        birth: dt.date,
        event: dt.date,
        home: str,
        family: tuple[str, str] | None,
        place: tuple[str, str] | None,
    ) -> Person:
        rng = self.rng
        pop = ON.POPULATIONS[pop_key]
        if family is None:
            paternal = self.surname(pop_key)
            if pop.convention == "single" or rng.random() < pop.one_surname:
                maternal = ""
            else:
                maternal = self.surname(pop_key)
                for _ in range(5):
                    if maternal != paternal:
                        break
                    maternal = self.surname(pop_key)
        else:
            paternal, maternal = family
        age = age_on(birth, event)
        husband = self.surname(pop_key) if sex == "F" and age >= 20 and rng.random() < MARRIED_SHARE else ""
        if place is None:
            city, districts = rng.choice(ON.PLACES[home])
            place = (city, rng.choice(districts))
        self.next_pid += 1
        return Person(
            pid=self.next_pid,
            population=pop_key,
            sex=sex,
            given=given,
            paternal=paternal,
            maternal=maternal,
            husband=husband,
            birth=birth,
            event=event,
            home=home,
            nationality=home if home in pop.nations else pop.nations[0],
            place=place,
            document=self.document(home),
            height=self.height(pop, sex, age),
            apodo=self.apodo(pop, sex) if rng.random() < APODO_SHARE else "",
            marks=self.marks(),
        )

    def apodo(self, pop: ON.Population, sex: str) -> str:
        forms = self.rng.choice(pop.apodos).split("/")
        return forms[-1] if sex == "F" else forms[0]

    def document(self, country: str) -> str:
        pattern = ON.DOCUMENT_PATTERNS.get(country, "99999999")
        rng = self.rng
        out = []
        for i, ch in enumerate(pattern):
            if ch == "9":
                out.append(rng.choice("123456789" if i == 0 else "0123456789"))
            elif ch == "A":
                out.append(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
            else:
                out.append(ch)
        return "".join(out)

    def height(self, pop: ON.Population, sex: str, age: int) -> int:
        adult = pop.heights[0] if sex == "F" else pop.heights[1]
        if age < 18:  # a rough growth curve: 85 cm at 2 years, the adult height at 17 (girls 15)
            full = 15 if sex == "F" else 17
            share = min(1.0, (age - 2) / (full - 2))
            base = 85 + (adult - 85) * share
        else:
            base = adult
        return round(base + self.rng.gauss(0, 6))

    def marks(self) -> list[tuple[str, str, str, str]]:
        rng = self.rng
        out: list[tuple[str, str, str, str]] = []
        for _ in range(rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
            kind = rng.choices(list(MARK_KINDS), weights=(30, 25, 10, 35))[0]
            motif = rng.choice(list(MOTIFS)) if kind == "tattoo" else ""
            part = rng.choice(list(BODY_PARTS))
            side = rng.choice("LR") if BODY_PARTS[part][1] else ""
            if all(m[2] != part for m in out):
                out.append((kind, motif, part, side))
        return out

    def sibling(self, p: Person) -> Person:
        rng = self.rng
        sex = "F" if rng.random() < FEMALE_SHARE else "M"
        gap = rng.choice((-1, 1)) * rng.randint(1, 8)
        birth = add_years(p.birth, gap) + dt.timedelta(days=rng.randint(-120, 120))
        event = p.event if rng.random() < 0.5 else FIRST_EVENT + dt.timedelta(days=rng.randrange(1200))
        event = min(event, LAST_EVENT)
        if age_on(birth, event) < 2:
            birth = add_years(event, -2) - dt.timedelta(days=rng.randrange(365))
        given = self.given_names(p.population, sex, avoid=p.given[0])
        sibling = self.finish(p.population, sex, given, birth, event, p.home, (p.paternal, p.maternal), p.place)
        sibling.relative = p.pid
        return sibling

    # ---- names as a record writes them
    def nicknames_of(self, p: Person) -> list[str]:
        forms = list(ON.NICKNAMES.get(" ".join(p.given), ())) + list(ON.NICKNAMES.get(p.given[0], ()))
        return list(dict.fromkeys(forms))

    def goes_by(self, p: Person) -> str:
        """The given name a witness hears: the second for some people with two."""
        if len(p.given) == 2 and self.rng.random() < GOES_BY_SECOND:
            return p.given[1]
        return p.given[0]

    def written_surnames(
        self, p: Person, scope: str, rates: dict[str, float], abroad_pt: bool
    ) -> tuple[list[str], list[str]]:
        """The surnames (in field order) a filer writes, and the tags of what it changed."""
        rng = self.rng
        tags: list[str] = []
        pop = ON.POPULATIONS[p.population]
        married = bool(p.husband) and self.chance(scope, "married_form", rates["married_form"])
        if married:
            tags.append("married_form")
        if pop.convention == "single":
            return [p.husband if married else p.paternal], tags
        if pop.convention == "portuguese":
            particle = ON.BRAZILIAN_PARTICLES.get(p.paternal)
            pat = f"{particle} {p.paternal}" if particle and rng.random() < 0.5 else p.paternal
            names = [p.maternal, pat] if p.maternal else [pat]
            if married:
                names.append(p.husband)
            # Counted apart from the filer's rates: a Spanish-speaking filer follows other rules.
            rules = BRAZIL_ABROAD_RATES if abroad_pt else rates
            suffix = "_brazilian_abroad" if abroad_pt else ""
            if len(names) >= 2 and self.chance(scope, "one_surname" + suffix, rules["one_surname"]):
                tags.append("one_surname")
                return [names[-1]], tags
            if len(names) >= 2 and self.chance(scope, "surname_order" + suffix, rules["surname_order"]):
                tags.append("surname_order")
                names = [names[-1], *names[:-1]]
            return names, tags
        second = "de " + p.husband if married else p.maternal
        names = [p.paternal, second] if second else [p.paternal]
        if len(names) == 2 and not married and self.chance(scope, "one_surname", rates["one_surname"]):
            tags.append("one_surname")
            return [p.paternal], tags
        if len(names) == 2 and not married and self.chance(scope, "surname_order", rates["surname_order"]):
            tags.append("surname_order")
            names.reverse()
        return names, tags

    def claim(self, p: Person, filer: str, country: str, event: dt.date) -> tuple[dict[str, str], list[str]]:
        """One claim of ``p`` as ``filer`` writes it in ``country``."""
        rng = self.rng
        scope = f"claim:{filer}"
        rates = CLAIM_RATES[filer]
        tags: list[str] = []
        rec = dict.fromkeys(COLUMNS, "")

        # given names
        given = list(p.given)
        nicks = self.nicknames_of(p)
        if nicks and self.chance(scope, "nickname_as_given", rates["nickname_as_given"]):
            given = [rng.choice(nicks)]
            tags.append("nickname_as_given")
        elif len(given) == 2:
            if self.chance(scope, "given_first_only", rates["given_first_only"]):
                given = given[:1]
                tags.append("given_first_only")
            elif self.chance(scope, "given_second_only", rates["given_second_only"]):
                given = given[1:]
                tags.append("given_second_only")
        abroad_pt = p.population == "brazilian" and ON.LANGUAGE.get(country, "es") != "pt"
        surnames, name_tags = self.written_surnames(p, scope, rates, abroad_pt)
        tags += name_tags
        if p.population == "haitian":
            if len(given) == 2 and self.chance(scope, "second_given_as_surname", rates["second_given_as_surname"]):
                surnames = [given[1], *surnames]
                given = given[:1]
                tags.append("second_given_as_surname")
            elif self.chance(scope, "given_surname_swapped", rates["given_surname_swapped"]):
                given, surnames = surnames, given
                tags.append("given_surname_swapped")
        if len(surnames) >= 2 and self.chance(scope, "surnames_one_field", rates["surnames_one_field"]):
            surnames = [" ".join(surnames)]
            tags.append("surnames_one_field")
        fields = {
            "given_names": " ".join(given),
            "first_surname": surnames[0] if surnames else "",
            "second_surname": " ".join(surnames[1:]),
        }
        filled = [k for k, v in fields.items() if v]
        if filled and self.chance(scope, "respelled", rates["respelled"]):
            k = rng.choice(filled)
            new = respell(rng, fields[k], p.population, given=k == "given_names")
            if new != fields[k]:
                fields[k] = new
                tags.append("respelled")
        if filled and self.chance(scope, "typo", rates["typo"]):
            k = rng.choice(filled)
            fields[k] = phone_typo(rng, fields[k])
            tags.append("typo")
        if rng.random() >= ACCENTS_KEPT[filer]:
            fields = {k: strip_accents(v) for k, v in fields.items()}
        if rng.random() < UPPER_CASE[filer]:
            fields = {k: v.upper() for k, v in fields.items()}
        rec.update(fields)
        aliases = [*nicks[:2], p.apodo] if p.apodo else nicks[:2]
        if aliases and rng.random() < ALIASES_LISTED[filer]:
            rec["aliases"] = ";".join(a for a in aliases if a and a != rec["given_names"])

        # sex, birth, document, height
        if not self.chance(scope, "sex_missing", rates["sex_missing"]):
            rec["sex"] = p.sex
        self.birth_fields(p, rec, tags, scope, rates, filer, country, event)
        self.document_field(p, rec, tags, scope, rates, country)
        if not self.chance(scope, "height_missing", rates["height_missing"]):
            h = p.height if filer in ("family", "police_home") else p.height + round(rng.gauss(0, 5))
            if filer == "family" and rng.random() < 0.5:
                h = 5 * round(h / 5)
            rec["height_cm"] = str(h)

        # where and when
        rec["nationality"] = p.nationality if rng.random() < 0.7 else ""
        rec["country"] = country
        if country == p.home and filer in ("family", "police_home"):
            city, district = p.place
        else:
            city, districts = rng.choice(ON.PLACES[country])
            district = rng.choice(districts)
        r = rng.random()
        rec["place"] = f"{city}, {district}" if r < 0.6 else (city if r < 0.9 else "")
        rec["event_date"] = event.isoformat()
        lang = ON.LANGUAGE.get(country, "es")
        if p.marks and rng.random() < DESCRIPTION_GIVEN[filer]:
            parts = [mark_phrase(m, lang) for m in p.marks]
            if rng.random() < 0.5:
                parts.append(rng.choice(CLOTHES[lang]))
            text = "; ".join(parts)
            rec["description"] = text[:1].upper() + text[1:]
        return rec, tags

    def birth_fields(
        self,
        p: Person,
        rec: dict[str, str],
        tags: list[str],
        scope: str,
        rates: dict[str, float],
        filer: str,
        country: str,
        event: dt.date,
    ) -> None:
        rng = self.rng
        if self.chance(scope, "age_only", rates["age_only"]):
            tags.append("age_only")
            age = age_on(p.birth, event)
            if filer == "family":
                rec["age_min"] = rec["age_max"] = str(age)
            else:
                lo, hi, age_tags = self.estimate_age(p, age, scope)
                rec["age_min"], rec["age_max"] = str(lo), str(hi)
                tags += age_tags
            return
        if self.chance(scope, "birth_year_only", rates["birth_year_only"]):
            rec["birth_date"] = str(p.birth.year)
            tags.append("birth_year_only")
            return
        birth = p.birth
        swapped = day_month_swapped(birth)
        us_order = country in ("PR", "US")
        swap_kind, swap_rate = (
            ("birth_dm_swapped_us", US_ORDER_DM_SWAP) if us_order else ("birth_dm_swapped", rates["birth_dm_swapped"])
        )
        if swapped and swapped <= GENERATION_DATE and self.chance(scope, swap_kind, swap_rate):
            birth = swapped
            tags.append("birth_dm_swapped")
        elif self.chance(scope, "birth_year_off", rates["birth_year_off"]):
            birth = add_years(birth, -1 if rng.random() < 0.6 or add_years(birth, 1) >= event else 1)
            tags.append("birth_year_off")
        rec["birth_date"] = birth.isoformat()

    def document_field(
        self, p: Person, rec: dict[str, str], tags: list[str], scope: str, rates: dict[str, float], country: str
    ) -> None:
        rng = self.rng
        if not p.document or self.chance(scope, "doc_missing", rates["doc_missing"]):
            tags.append("doc_missing")
            return
        if country != p.home and self.chance(scope, "doc_passport", rates["doc_passport"]):
            # A passport: another number altogether (issued by the home country, seeded by the person).
            local = random.Random(p.pid * 7919 + 17)
            rec["document_id"] = local.choice("ABCP") + str(local.randrange(1_000_000, 9_999_999))
            tags.append("doc_passport")
            return
        doc = p.document
        if self.chance(scope, "doc_typo", rates["doc_typo"]):
            digits = [i for i, ch in enumerate(doc) if ch.isdigit()]
            i = rng.choice(digits)
            doc = doc[:i] + rng.choice([d for d in "0123456789" if d != doc[i]]) + doc[i + 1 :]
            tags.append("doc_typo")
        if rng.random() < 0.5:
            doc = re.sub(r"[^0-9A-Za-z]", "", doc)
        rec["document_id"] = doc

    # ---- witnesses
    def estimate_age(self, p: Person, age: int, scope: str) -> tuple[int, int, list[str]]:
        """A witness's estimate of someone aged ``age``: (age_min, age_max, tags)."""
        rng = self.rng
        bias_f, bias_m, sd = AGE_ERROR_OLDER
        for upper, bf, bm, s in AGE_ERROR:
            if age <= upper:
                bias_f, bias_m, sd = bf, bm, s
                break
        estimate = max(1, round(age + (bias_f if p.sex == "F" else bias_m) + rng.gauss(0, sd)))
        tags: list[str] = []
        style = self.category(scope + ":age", AGE_STYLE)
        if style != "bracket" and estimate >= 10 and self.chance(scope, "age_rounded", SIGHTING_RATES["age_rounded"]):
            estimate = 5 * round(estimate / 5)
            tags.append("age_rounded")
        if style == "point":
            lo = hi = estimate
        elif style == "range":
            half = rng.choices((2, 3, 5), weights=(60, 25, 15))[0]
            lo, hi = max(0, estimate - half), estimate + half
        elif estimate < 12:
            lo, hi = max(0, estimate - 3), estimate + 3
        elif estimate < 18:
            lo, hi = 12, 17
        elif estimate < 20:
            lo, hi = 18, 25
        else:
            lo = 10 * (estimate // 10)
            hi = lo + 9
        tags.append(f"age_{style}")
        if not lo <= age <= hi:
            tags.append("age_outside")
            if age < lo - 3 or age > hi + 3:
                tags.append("age_far")
        return lo, hi, tags

    def sighting(self, p: Person, after: dt.date, claim_events: list[dt.date]) -> tuple[dict[str, str], list[str]]:
        """What a witness reports of ``p`` some time after ``after``."""
        rng = self.rng
        scope = "sighting"
        rates = SIGHTING_RATES
        tags: list[str] = []
        rec = dict.fromkeys(COLUMNS, "")
        room = max(0, (GENERATION_DATE - after).days)
        delay = min(int(rng.expovariate(1 / SIGHTING_MEAN_DELAY_DAYS)), SIGHTING_MAX_DELAY_DAYS)
        if delay > room:
            delay = rng.randint(0, room)
        when = after + dt.timedelta(days=delay)
        pop = ON.POPULATIONS[p.population]
        country = weighted(rng, pop.routes)

        # the name
        known = self.category(scope + ":name", SIGHTING_NAME)
        tags.append(f"name:{known}")
        nicks = self.nicknames_of(p)
        nick = ""
        if known in ("nickname_only", "first_and_nickname"):
            if p.apodo and (not nicks or rng.random() < 0.5):
                nick = p.apodo
            elif nicks:
                nick = rng.choice(nicks)
            else:  # nobody calls this person anything else: the witness knew the first name
                known = "first_only"
                tags.append("name_fallback:first_only")
        first = self.goes_by(p)
        if first != p.given[0]:
            tags.append("goes_by_second")
        surname = p.husband if p.population == "haitian" and p.husband else p.paternal
        if known in ("full", "first_only", "first_and_nickname"):
            rec["given_names"] = first
        if known == "full":
            rec["first_surname"] = surname
            if p.maternal and p.population != "brazilian" and rng.random() < 0.3:
                rec["second_surname"] = p.maternal
        if known == "surname_only":
            rec["first_surname"] = surname
        if known == "nickname_only":
            rec["given_names" if rng.random() < 0.5 else "aliases"] = nick
        if known == "first_and_nickname":
            rec["aliases"] = nick
        named = [k for k in ("given_names", "first_surname", "second_surname") if rec[k]]
        if named and self.chance(scope, "respelled", rates["respelled"]):
            k = rng.choice(named)
            new = respell(rng, rec[k], p.population, given=k == "given_names")
            if new != rec[k]:
                rec[k] = new
                tags.append("respelled")
        if named and self.chance(scope, "typo", rates["typo"]):
            k = rng.choice(named)
            rec[k] = phone_typo(rng, rec[k])
            tags.append("typo")
        if rng.random() < 0.7:
            for k in ("given_names", "first_surname", "second_surname", "aliases"):
                rec[k] = strip_accents(rec[k])
        if rng.random() < 0.2:
            for k in ("given_names", "first_surname", "second_surname"):
                rec[k] = rec[k].upper()

        # who and how old
        if self.chance(scope, "sex_missing", rates["sex_missing"]):
            tags.append("sex_missing")
        elif self.chance(scope, "sex_wrong", rates["sex_wrong"]):
            rec["sex"] = "M" if p.sex == "F" else "F"
            tags.append("sex_wrong")
        else:
            rec["sex"] = p.sex
        if self.chance(scope, "age_missing", rates["age_missing"]):
            tags.append("age_missing")
        else:
            lo, hi, age_tags = self.estimate_age(p, age_on(p.birth, when), scope)
            rec["age_min"], rec["age_max"] = str(lo), str(hi)
            tags += age_tags
        if self.chance(scope, "height_given", rates["height_given"]):
            grown = self.height(ON.POPULATIONS[p.population], p.sex, age_on(p.birth, when))
            h = max(p.height, grown) + rng.gauss(0, 7)
            rec["height_cm"] = str(5 * round(h / 5) if rng.random() < 0.6 else round(h))

        # when and where
        written = when
        swapped = day_month_swapped(when)
        if swapped and self.chance(scope, "date_dm_swapped", rates["date_dm_swapped"]):
            written = swapped
            tags.append("date_dm_swapped")
        if any(written < e for e in claim_events):
            tags.append("date_before_claim")
        rec["event_date"] = written.isoformat()
        if not self.chance(scope, "country_missing", rates["country_missing"]):
            rec["country"] = country
        else:
            tags.append("country_missing")
        if not self.chance(scope, "place_missing", rates["place_missing"]):
            city, districts = rng.choice(ON.PLACES[country])
            rec["place"] = f"{city}, {rng.choice(districts)}" if rng.random() < 0.5 else city
        else:
            tags.append("place_missing")
        lang = ON.LANGUAGE.get(country, "es")
        parts = []
        if p.marks and self.chance(scope, "mark_described", rates["mark_described"]):
            parts.append(mark_phrase(rng.choice(p.marks), lang))
            tags.append("mark_described")
        if rng.random() < 0.4:
            parts.append(rng.choice(CLOTHES[lang]))
        if rng.random() < 0.3:
            parts.append(rng.choice(CONTEXT[lang]))
        rec["description"] = "; ".join(parts)
        return rec, tags

    # ---- the whole set
    def run(
        self, n_claims: int
    ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[list[str]], list[list[str]], list[list[str]]]:
        rng = self.rng
        claims: list[tuple[Person, dict[str, str], str, list[str]]] = []
        people: list[Person] = []
        pending: list[Person] = []
        while len(claims) < n_claims:
            p = pending.pop() if pending else self.new_person()
            people.append(p)
            if rng.random() < SIBLING_SHARE:
                pending.append(self.sibling(p))
            pop = ON.POPULATIONS[p.population]
            filings = [(weighted(rng, FIRST_FILER), p.home, p.event, False)]
            if rng.random() < MULTI_CLAIM_SHARE:
                for _ in range(2 if rng.random() < THIRD_CLAIM_SHARE else 1):
                    filer = weighted(rng, EXTRA_FILER)
                    abroad = {c: w for c, w in pop.routes.items() if c != p.home} or pop.routes
                    country = weighted(rng, abroad)
                    later = self.chance(f"claim:{filer}", "event_later", CLAIM_RATES[filer]["event_later"])
                    event = p.event + dt.timedelta(days=rng.randint(20, 150) if later else rng.randint(-3, 10))
                    event = min(max(event, p.birth + dt.timedelta(days=30)), LAST_EVENT + dt.timedelta(days=150))
                    filings.append((filer, country, event, later))
            for filer, country, event, later in filings[: n_claims - len(claims)]:
                rec, tags = self.claim(p, filer, country, event)
                if later:
                    tags.append("event_later")
                claims.append((p, rec, filer, tags))
        rng.shuffle(claims)
        width = max(6, len(str(n_claims)))
        by_pid: dict[int, list[str]] = {}
        events: dict[int, list[dt.date]] = {}
        truth_records: list[list[str]] = []
        out_claims = []
        for i, (p, rec, filer, tags) in enumerate(claims, 1):
            rec["id"] = f"K{i:0{width}d}"
            by_pid.setdefault(p.pid, []).append(rec["id"])
            events.setdefault(p.pid, []).append(dt.date.fromisoformat(rec["event_date"]))
            out_claims.append(rec)
            truth_records.append(
                [rec["id"], "claim", str(p.pid), str(p.relative or ""), p.population, filer, ";".join(tags)]
            )
        pairs = sorted([a, b] for ids in by_pid.values() for a, b in combinations(sorted(ids), 2))

        by_pid_person = {p.pid: p for p in people if p.pid in by_pid}
        claimed = sorted(by_pid_person)
        n_sightings = round(n_claims * SIGHTINGS_PER_CLAIM)
        sightings, truth_s = [], []
        for j in range(1, n_sightings + 1):
            sid = f"W{j:0{width}d}"
            if rng.random() >= UNCLAIMED_SHARE:
                p = by_pid_person[rng.choice(claimed)]
                rec, tags = self.sighting(p, max(events[p.pid]), events[p.pid])
                truth_s.extend([sid, cid] for cid in sorted(by_pid[p.pid]))
                role = "sighting"
            else:
                if rng.random() < LOOKALIKE_SHARE:
                    q = by_pid_person[rng.choice(claimed)]
                    birth = add_years(q.birth, rng.randint(-2, 2))
                    p = self.finish(q.population, q.sex, list(q.given), birth, q.event, q.home, None, None)
                    p.relative = q.pid
                    role = "sighting_lookalike"
                else:
                    p = self.new_person()
                    role = "sighting_unclaimed"
                rec, tags = self.sighting(p, p.event, [])
            rec["id"] = sid
            sightings.append(rec)
            truth_records.append(
                [sid, role, str(p.pid), str(p.relative or ""), p.population, "witness", ";".join(tags)]
            )
        return out_claims, sightings, pairs, truth_s, truth_records


def write_csv(path: str, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(n_claims: int, seed: int, out_dir: str) -> dict:
    """Write the five files into ``out_dir``; return counts and the corruption statistics
    (``stats[(scope, kind)] = [eligible, applied]``)."""
    os.makedirs(out_dir, exist_ok=True)
    g = Generator(seed)
    claims, sightings, pairs, truth_s, records = g.run(n_claims)
    write_csv(os.path.join(out_dir, "claims.csv"), COLUMNS, ([r[c] for c in COLUMNS] for r in claims))
    write_csv(os.path.join(out_dir, "sightings.csv"), COLUMNS, ([r[c] for c in COLUMNS] for r in sightings))
    write_csv(os.path.join(out_dir, "truth_pairs.csv"), ["left_id", "right_id"], pairs)
    write_csv(os.path.join(out_dir, "truth_sightings.csv"), ["sighting_id", "claim_id"], truth_s)
    write_csv(
        os.path.join(out_dir, "truth_records.csv"),
        ["id", "role", "person", "relative", "population", "filer", "tags"],
        records,
    )
    return {
        "claims": len(claims),
        "sightings": len(sightings),
        "truth_pairs": len(pairs),
        "truth_sightings": len(truth_s),
        "true_sightings": len({s for s, _ in truth_s}),
        "stats": {k: tuple(v) for k, v in g.stats.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--claims", type=int, required=True, help="number of claim rows to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    ap.add_argument("--out", required=True, help="output directory")
    args = ap.parse_args(argv)
    if args.claims < 1:
        ap.error("--claims must be positive")
    t0 = time.perf_counter()
    s = generate(args.claims, args.seed, args.out)
    print(
        f"{s['claims']} claims, {s['truth_pairs']} duplicate pairs, {s['sightings']} sightings "
        f"({s['true_sightings']} of claimed people) -> {args.out} in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
