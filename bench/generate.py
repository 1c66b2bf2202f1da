#!/usr/bin/env python3
"""Deterministic synthetic benchmark for the matching engine.

    python bench/generate.py --claims 100000 --seed 1 --out /tmp/bench

writes, in the person-record CSV format (docs: /work/shared/spec/person-records.md):

- ``claims.csv``          missing-person claims, including duplicate claims of the same
                          person filed (often in a neighbouring country) with realistic
                          corruptions: accents, case, phonetic spellings, typos, nicknames,
                          swapped/missing surnames, birth-date errors, paraphrased marks...
- ``sightings.csv``       partial, noisy observations of claimed people seen later, plus
                          ~30 % sightings of people who are not in the claims;
- ``truth_pairs.csv``     ``left_id,right_id``: true duplicate claim pairs (left_id < right_id);
- ``truth_sightings.csv`` ``sighting_id,claim_id``: each true sighting with every claim
                          of the person seen.

Hard negatives are built in: very common full names (María Mamani Quispe) shared by
different people, and siblings (same surnames and place, other given names and birth years).
Standard library only; the same ``--seed`` gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time
import unicodedata
from itertools import accumulate, combinations

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import names_data as ND

COLUMNS = [
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "country",
    "place",
    "event_date",
    "height_cm",
    "description",
]

EVENT_START = dt.date(2024, 1, 1)
EVENT_DAYS = (dt.date(2026, 6, 30) - EVENT_START).days
SIGHTING_MAX_DELAY_DAYS = 548  # ~18 months

DUP_RATE = 0.15  # share of people with a second claim
THIRD_RATE = 0.20  # share of those with a third claim
SIBLING_RATE = 0.06  # people who get a (different, separately claimed) sibling
COMMON_NAME_RATE = 0.04
SIGHTINGS_PER_CLAIM = 0.05
UNCLAIMED_SIGHTING_RATE = 0.30

CORRUPTION_KINDS = [
    "accent",
    "case",
    "phonetic",
    "typo",
    "nickname",
    "given_truncated",
    "surnames_swapped",
    "second_surname_missing",
    "married_name",
    "birth_year_only",
    "birth_day_month_swapped",
    "birth_year_off",
    "birth_missing_age_range",
    "document_missing",
    "document_digit",
    "mark_paraphrased",
    "height_off",
    "height_missing",
    "description_missing",
    "place_rewritten",
]


# --------------------------------------------------------------------------- sampling
def zipf_cum(items_weights: list[tuple[list[str], int]], s: float = 1.0) -> tuple[list[str], list[float]]:
    """Flatten pool mixtures into one list with cumulative Zipf weights."""
    items: list[str] = []
    weights: list[float] = []
    for pool, pool_weight in items_weights:
        raw = [1.0 / (rank + 1) ** s for rank in range(len(pool))]
        total = sum(raw)
        items.extend(pool)
        weights.extend(pool_weight * w / total for w in raw)
    return items, list(accumulate(weights))


class Tables:
    def __init__(self) -> None:
        self.surnames = {c: zipf_cum(ND.SURNAME_POOLS[c], 0.75) for c in ND.COUNTRIES}
        self.given = {}
        for sex in ("F", "M"):
            pools = ND.GIVEN_POOLS[sex]
            for c in ND.COUNTRIES:
                self.given[(sex, c)] = zipf_cum(pools.get(c, pools["default"]), 1.0)
        self.countries = list(ND.COUNTRY_WEIGHTS)
        self.country_cum = list(accumulate(ND.COUNTRY_WEIGHTS.values()))
        self.mark_kinds = list(ND.MARK_KIND_WEIGHTS)
        self.mark_cum = list(accumulate(ND.MARK_KIND_WEIGHTS.values()))
        self.spanish_cum = zipf_cum([(ND.SPANISH_SURNAMES, 1)], 0.9)


def pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    items, cum = table
    return rng.choices(items, cum_weights=cum)[0]


# --------------------------------------------------------------------------- text helpers
def strip_accents(text: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    )


ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}


def add_accent(rng: random.Random, word: str) -> str:
    positions = [i for i, ch in enumerate(word) if ch in ACCENTED]
    if not positions:
        return word
    i = rng.choice(positions)
    return word[:i] + ACCENTED[word[i]] + word[i + 1 :]


def toggle_accent(rng: random.Random, text: str, canonical: str) -> str:
    if text != strip_accents(text):
        return strip_accents(text)
    if canonical != strip_accents(canonical) and strip_accents(canonical) == text:
        return canonical
    return add_accent(rng, text)


GENERIC_RULES = [
    ("z", "s"),
    ("s", "z"),
    ("v", "b"),
    ("b", "v"),
    ("ll", "y"),
    ("ce", "se"),
    ("ci", "si"),
    ("qu", "k"),
    ("ge", "je"),
    ("gi", "ji"),
    ("x", "j"),
    ("w", "v"),
    ("hu", "w"),
    ("gu", "w"),
    ("cc", "c"),
    ("ch", "sh"),
]


def phonetic_variant(rng: random.Random, name: str) -> str:
    if not name:
        return name
    words = name.split(" ")
    idx = 0 if len(words) == 1 else rng.randrange(len(words))
    word = words[idx]
    if word in ND.SPELLING_VARIANTS:
        new = rng.choice(ND.SPELLING_VARIANTS[word])
    else:
        low = word.lower()
        applicable = [(a, b) for a, b in GENERIC_RULES if a in low]
        if low.startswith("h") and len(low) > 3:
            applicable.append(("h", ""))
        if not applicable:
            return typo(rng, name)
        a, b = rng.choice(applicable)
        positions = [i for i in range(len(low)) if low.startswith(a, i)]
        i = rng.choice(positions)
        low = low[:i] + b + low[i + len(a) :]
        new = low[:1].upper() + low[1:]
    words[idx] = new
    out = " ".join(words)
    return out if out != name else typo(rng, name)


LETTERS = "abcdefghijlmnopqrstuvyz"


def typo(rng: random.Random, name: str) -> str:
    """One edit: insert, delete, substitute or transpose (not on the first letter, mostly)."""
    if len(name) < 3:
        return name + rng.choice(LETTERS)
    for _ in range(5):
        start = 0 if rng.random() < 0.1 else 1
        i = rng.randrange(start, len(name) - 1)
        op = rng.randrange(4)
        if name[i] == " " or name[i + 1] == " ":
            continue
        if op == 0:
            out = name[:i] + rng.choice(LETTERS) + name[i:]
        elif op == 1:
            out = name[:i] + name[i + 1 :]
        elif op == 2:
            out = name[:i] + rng.choice(LETTERS) + name[i + 1 :]
        else:
            out = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if i == 0:
            out = out[:1].upper() + out[1:].lower() if out[:1].isalpha() else out
        if out != name:
            return out
    return name + rng.choice(LETTERS)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --------------------------------------------------------------------------- marks & clothes
def mark_phrase(mark: tuple, lang: str, style: int) -> str:
    kind, part, side, obj = mark
    k_es, k_g, k_en, k_pt, _k_pg, _ = ND.MARK_KINDS[kind]
    p_es, p_g, p_en, p_pt, p_pg, sided = ND.BODY_PARTS[part]
    side = side if sided else ""
    if lang == "es":
        side_es = {"L": "izquierdo", "R": "derecho", "": ""}[side]
        if side_es and p_g == "f":
            side_es = side_es[:-1] + "a"
        loc = f"en {'el' if p_g == 'm' else 'la'} {p_es}" + (f" {side_es}" if side_es else "")
        if kind == "tattoo":
            o_es, o_g = ND.TATTOO_OBJECTS[obj][:2]
            if style == 0:
                return f"tatuaje de {o_es} {loc}"
            if style == 1:
                return f"tenía {'un' if o_g == 'm' else 'una'} {o_es} tatuad{'o' if o_g == 'm' else 'a'} {loc}"
            return f"tiene un tatuaje ({o_es}) {loc}"
        if style == 0:
            return f"{k_es} {loc}"
        if style == 1:
            return f"tiene {'un' if k_g == 'm' else 'una'} {k_es} {loc}"
        return f"{k_es} visible {loc}"
    if lang == "en":
        side_en = {"L": "left ", "R": "right ", "": ""}[side]
        if kind == "tattoo":
            o_en = ND.TATTOO_OBJECTS[obj][2]
            if style == 0:
                return f"{o_en} tattoo on {side_en}{p_en}"
            return f"has a tattoo of a {o_en} on the {side_en}{p_en}"
        if style == 0:
            return f"{k_en} on {side_en}{p_en}"
        return f"{'an' if k_en[0] in 'aeiou' else 'a'} {k_en} on the {side_en}{p_en}"
    # Portuguese
    side_pt = {"L": "esquerdo", "R": "direito", "": ""}[side]
    if side_pt and p_pg == "f":
        side_pt = side_pt[:-1] + "a"
    prep = "nas" if p_pt == "costas" else ("no" if p_pg == "m" else "na")
    loc = f"{prep} {p_pt}" + (f" {side_pt}" if side_pt else "")
    if kind == "tattoo":
        return f"tatuagem de {ND.TATTOO_OBJECTS[obj][3]} {loc}"
    return f"{k_pt} {loc}"


def clothes_phrase(clothes: tuple, lang: str) -> str:
    top, tcol, bottom, bcol, shoes = clothes
    t_es, t_g, t_en = ND.CLOTHES_TOP[top]
    b_es, b_g, b_en = ND.CLOTHES_BOTTOM[bottom]
    s_es, _s_g, s_en = ND.CLOTHES_SHOES[shoes]
    tc = ND.COLOURS[tcol]
    bc = ND.COLOURS[bcol]
    one_piece = t_es in ("vestido", "pollera", "uniforme escolar")
    if lang == "en":
        if one_piece:
            return f"wearing a {tc[2]} {t_en} and {s_en}"
        return f"wearing {tc[2]} {t_en}, {bc[2]} {b_en} and {s_en}"
    if lang == "pt":
        return f"vestia {t_es} {tc[0 if t_g == 'm' else 1]} e {s_es}"
    if one_piece:
        return f"vestía {t_es} {tc[0 if t_g == 'm' else 1]} y {s_es}"
    return f"vestía {t_es} {tc[0 if t_g == 'm' else 1]}, {b_es} {bc[0 if b_g == 'm' else 1]} y {s_es}"


FEMALE_ONLY = {"blusa", "pollera", "vestido", "falda", "leggings"}
TOPS = {sex: [i for i, c in enumerate(ND.CLOTHES_TOP) if sex == "F" or c[0] not in FEMALE_ONLY] for sex in "FM"}
BOTTOMS = {sex: [i for i, c in enumerate(ND.CLOTHES_BOTTOM) if sex == "F" or c[0] not in FEMALE_ONLY] for sex in "FM"}


def random_clothes(rng: random.Random, sex: str) -> tuple:
    return (
        rng.choice(TOPS[sex]),
        rng.randrange(len(ND.COLOURS)),
        rng.choice(BOTTOMS[sex]),
        rng.randrange(len(ND.COLOURS)),
        rng.randrange(len(ND.CLOTHES_SHOES)),
    )


# --------------------------------------------------------------------------- people
class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.t = Tables()
        self.stats: dict[str, int] = dict.fromkeys(CORRUPTION_KINDS, 0)
        self.next_pid = 0

    # ---- person
    def new_person(self, country: str | None = None) -> dict:
        rng = self.rng
        if country is None:
            country = rng.choices(self.t.countries, cum_weights=self.t.country_cum)[0]
        sex = "F" if rng.random() < 0.62 else "M"
        given = pick(rng, self.t.given[(sex, country)])
        if " " not in given and rng.random() < 0.18:  # compound: José + Luis
            second = pick(rng, self.t.given[(sex, country)])
            if second != given and " " not in second:
                given = f"{given} {second}"
        fs = pick(rng, self.t.surnames[country])
        ss = pick(rng, self.t.surnames[country])
        if country in ND.VERY_COMMON_FULL_NAMES and rng.random() < COMMON_NAME_RATE:
            sex, given, fs, ss = rng.choice(ND.VERY_COMMON_FULL_NAMES[country])
        event = EVENT_START + dt.timedelta(days=rng.randrange(EVENT_DAYS + 1))
        r = rng.random()
        if r < 0.45:
            age = rng.randint(12, 17)
        elif r < 0.52:
            age = rng.randint(5, 11)
        elif r < 0.85:
            age = rng.randint(18, 35)
        else:
            age = rng.randint(36, 70)
        birth = self.birth_for_age(age, event)
        return self.finish_person(sex, given, fs, ss, birth, event, country)

    def birth_for_age(self, age: int, event: dt.date) -> dt.date:
        latest = add_years(event, -age)
        return latest - dt.timedelta(days=self.rng.randrange(365))

    def finish_person(self, sex, given, fs, ss, birth, event, country, place=None) -> dict:
        rng = self.rng
        age = age_on(birth, event)
        married = None
        if sex == "F" and age >= 22 and rng.random() < 0.35:
            married = "de " + pick(rng, self.t.spanish_cum)
        if place is None:
            city, districts = rng.choice(ND.PLACES[country])
            place = (city, rng.choice(districts))
        if age < 12:
            height = 110 + (age - 5) * 6 + rng.randint(-8, 8)
        elif age < 18:
            height = (140 if sex == "F" else 145) + (age - 12) * (2 if sex == "F" else 4) + rng.randint(-9, 9)
        else:
            height = (153 if sex == "F" else 165) + rng.randint(-10, 12)
        marks = []
        for _ in range(rng.choices((0, 1, 2), (35, 45, 20))[0]):
            kind = rng.choices(self.t.mark_kinds, cum_weights=self.t.mark_cum)[0]
            part = rng.choice(ND.MARK_KINDS[kind][5])
            side = rng.choice("LR") if ND.BODY_PARTS[part][5] else ""
            obj = rng.choice(list(ND.TATTOO_OBJECTS)) if kind == "tattoo" else ""
            if all(m[1] != part for m in marks):
                marks.append((kind, part, side, obj))
        clothes = random_clothes(rng, sex)
        self.next_pid += 1
        return {
            "pid": self.next_pid,
            "sex": sex,
            "given": given,
            "fs": fs,
            "ss": ss,
            "married": married,
            "birth": birth,
            "event": event,
            "country": country,
            "nat": country,
            "place": place,
            "doc": str(rng.randint(1_000_000, 99_999_999)),
            "height": height,
            "marks": marks,
            "clothes": clothes,
            "circ": rng.randrange(len(ND.CIRCUMSTANCES)),
        }

    def sibling_of(self, p: dict) -> dict:
        rng = self.rng
        sex = "F" if rng.random() < 0.6 else "M"
        for _ in range(10):
            given = pick(rng, self.t.given[(sex, p["country"])])
            if given.split()[0] != p["given"].split()[0]:
                break
        gap = rng.choice([-1, 1]) * rng.randint(1, 8)
        birth = add_years(p["birth"], gap) + dt.timedelta(days=rng.randint(-150, 150))
        event = p["event"] if rng.random() < 0.4 else EVENT_START + dt.timedelta(days=rng.randrange(EVENT_DAYS + 1))
        if age_on(birth, event) < 3:
            birth = add_years(event, -rng.randint(5, 16))
        return self.finish_person(sex, given, p["fs"], p["ss"], birth, event, p["country"], p["place"])

    # ---- claims
    def original_claim(self, p: dict) -> dict:
        rng = self.rng
        rec = dict.fromkeys(COLUMNS, "")
        rec["given_names"] = p["given"]
        rec["first_surname"] = p["fs"]
        rec["second_surname"] = p["married"] if p["married"] and rng.random() < 0.5 else p["ss"]
        if rng.random() < 0.12:
            nick = ND.NICKNAMES.get(p["given"]) or ND.NICKNAMES.get(p["given"].split()[0])
            if nick:
                rec["aliases"] = ";".join(nick)
        rec["sex"] = p["sex"]
        r = rng.random()
        if r < 0.90:
            rec["birth_date"] = p["birth"].isoformat()
        elif r < 0.94:
            rec["birth_date"] = p["birth"].isoformat()[:7]
        else:
            self.age_range(rec, p, p["event"], spread=1)
        if rng.random() < 0.75:
            rec["document_id"] = p["doc"]
        rec["nationality"] = p["nat"]
        rec["country"] = p["country"]
        rec["place"] = f"{p['place'][0]}, {p['place'][1]}"
        rec["event_date"] = p["event"].isoformat()
        if rng.random() < 0.8:
            rec["height_cm"] = str(p["height"])
        lang = "en" if p["country"] == "BZ" else "es"
        rec["description"] = (
            self.description(p, lang, 0, with_clothes=True, with_circ=rng.random() < 0.4) if rng.random() < 0.92 else ""
        )
        if rng.random() < 0.15:  # some registries write without accents
            for k in ("given_names", "first_surname", "second_surname"):
                rec[k] = strip_accents(rec[k])
        return rec

    def age_range(self, rec: dict, p: dict, on: dt.date, spread: int) -> None:
        age = age_on(p["birth"], on)
        rec["age_min"] = str(max(0, age - self.rng.randint(0, spread)))
        rec["age_max"] = str(age + self.rng.randint(0, spread))
        rec["birth_date"] = ""

    def description(self, p: dict, lang: str, style: int, with_clothes: bool, with_circ: bool) -> str:
        parts = [mark_phrase(m, lang, style) for m in p["marks"]]
        if with_clothes:
            parts.append(clothes_phrase(p["clothes"], lang))
        if with_circ:
            parts.append(
                ND.CIRCUMSTANCES_EN[p["circ"] % len(ND.CIRCUMSTANCES_EN)]
                if lang == "en"
                else ND.CIRCUMSTANCES[p["circ"]]
            )
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    def duplicate_claim(self, p: dict, orig: dict) -> tuple[dict, list[str]]:
        rng = self.rng
        rec = dict(orig)
        kinds: list[str] = []
        # where it was filed: usually a neighbouring country
        if rng.random() < 0.7:
            country = rng.choice(ND.NEIGHBOURS[p["country"]])
            rec["country"] = country
            city, districts = rng.choice(ND.PLACES[country])
            rec["place"] = f"{city}, {rng.choice(districts)}" if rng.random() < 0.7 else city
        elif rng.random() < 0.4:
            rec["place"] = p["place"][0] if rng.random() < 0.5 else rec["place"].lower()
            kinds.append("place_rewritten")
        ev = p["event"] + dt.timedelta(days=rng.randint(-3, 10))
        rec["event_date"] = max(ev, p["birth"] + dt.timedelta(days=1)).isoformat()
        if rng.random() < 0.15:
            rec["nationality"] = ""
        rec["aliases"] = "" if rng.random() < 0.6 else rec["aliases"]

        def want(prob: float) -> bool:
            return rng.random() < prob

        # --- names
        if want(0.15):
            nick = ND.NICKNAMES.get(p["given"]) or ND.NICKNAMES.get(p["given"].split()[0])
            if nick:
                rec["given_names"] = rng.choice(nick)
                kinds.append("nickname")
        if "nickname" not in kinds and " " in rec["given_names"] and want(0.3):
            rec["given_names"] = rec["given_names"].split(" ")[0]
            kinds.append("given_truncated")
        if want(0.3):
            field = rng.choice(["first_surname", "first_surname", "second_surname", "given_names"])
            if rec[field] and not rec[field].startswith("de "):
                rec[field] = phonetic_variant(rng, rec[field])
                kinds.append("phonetic")
        if want(0.25):
            field = rng.choice(["first_surname", "second_surname", "given_names"])
            if rec[field]:
                rec[field] = typo(rng, rec[field])
                kinds.append("typo")
        if p["married"] and want(0.5):
            rec["second_surname"] = p["ss"] if rec["second_surname"] == p["married"] else p["married"]
            kinds.append("married_name")
        if want(0.08):
            rec["first_surname"], rec["second_surname"] = rec["second_surname"], rec["first_surname"]
            kinds.append("surnames_swapped")
        elif want(0.12):
            rec["second_surname"] = ""
            kinds.append("second_surname_missing")
        if want(0.35):
            canon = {"given_names": p["given"], "first_surname": p["fs"], "second_surname": p["ss"]}
            field = rng.choice(list(canon))
            if rec[field]:
                new = toggle_accent(rng, rec[field], canon[field])
                if new != rec[field]:
                    rec[field] = new
                    kinds.append("accent")
        if want(0.2):
            f = str.upper if rng.random() < 0.7 else str.lower
            for k in ("given_names", "first_surname", "second_surname"):
                rec[k] = f(rec[k])
            kinds.append("case")
        # --- birth date
        b = p["birth"]
        r = rng.random()
        rec["age_min"] = rec["age_max"] = ""
        rec["birth_date"] = b.isoformat()
        if r < 0.10:
            rec["birth_date"] = str(b.year)
            kinds.append("birth_year_only")
        elif r < 0.16 and b.day <= 12 and b.day != b.month:
            rec["birth_date"] = dt.date(b.year, b.day, b.month).isoformat()
            kinds.append("birth_day_month_swapped")
        elif r < 0.22:
            nb = add_years(b, rng.choice([-1, 1]))
            if nb.isoformat() >= rec["event_date"]:
                nb = add_years(b, -1)
            rec["birth_date"] = nb.isoformat()
            kinds.append("birth_year_off")
        elif r < 0.32:
            self.age_range(rec, p, dt.date.fromisoformat(rec["event_date"]), spread=2)
            kinds.append("birth_missing_age_range")
        # --- document
        if want(0.35):
            rec["document_id"] = ""
            kinds.append("document_missing")
        else:
            rec["document_id"] = p["doc"] if want(0.8) else ""
            if rec["document_id"] and want(0.1):
                d = rec["document_id"]
                i = rng.randrange(len(d))
                digit = rng.choice([c for c in "0123456789" if c != d[i] and (i or c != "0")])
                rec["document_id"] = d[:i] + digit + d[i + 1 :]
                kinds.append("document_digit")
        # --- height
        r = rng.random()
        if r < 0.2:
            rec["height_cm"] = ""
            kinds.append("height_missing")
        elif r < 0.7:
            rec["height_cm"] = str(p["height"] + rng.choice([-3, -2, -1, 1, 2, 3]))
            kinds.append("height_off")
        else:
            rec["height_cm"] = str(p["height"]) if rng.random() < 0.8 else ""
        # --- description
        r = rng.random()
        if r < 0.1:
            rec["description"] = ""
            kinds.append("description_missing")
        elif p["marks"] and r < 0.7:
            lang = rng.choice(["es", "es", "en", "pt"])
            style = rng.choice([1, 2]) if lang == "es" else rng.choice([0, 1])
            rec["description"] = self.description(
                p, lang, style, with_clothes=rng.random() < 0.5, with_circ=rng.random() < 0.3
            )
            kinds.append("mark_paraphrased")
        for k in kinds:
            self.stats[k] += 1
        return rec, kinds

    # ---- sightings
    def sighting(self, p: dict, base: dt.date) -> dict:
        rng = self.rng
        rec = dict.fromkeys(COLUMNS, "")
        when = base + dt.timedelta(days=rng.randint(0, SIGHTING_MAX_DELAY_DAYS))
        first = p["given"].split(" ")[0]
        r = rng.random()
        nick = ND.NICKNAMES.get(p["given"]) or ND.NICKNAMES.get(first)
        if r < 0.35:
            rec["given_names"] = p["given"] if " " in p["given"] and rng.random() < 0.3 else first
        elif r < 0.55 and nick:
            rec["given_names" if rng.random() < 0.5 else "aliases"] = rng.choice(nick)
        elif r < 0.65:
            rec["given_names"] = phonetic_variant(rng, first) if rng.random() < 0.5 else typo(rng, first)
        if rng.random() < 0.1:
            rec["first_surname"] = p["fs"] if rng.random() < 0.6 else phonetic_variant(rng, p["fs"])
        if rng.random() < 0.15:
            rec["given_names"] = strip_accents(rec["given_names"]).upper()
        rec["sex"] = p["sex"] if rng.random() < 0.93 else ""
        age = age_on(p["birth"], when)
        centre = age + rng.randint(-2, 2)
        rec["age_min"] = str(max(0, centre - rng.randint(2, 3)))
        rec["age_max"] = str(centre + rng.randint(2, 3))
        if rng.random() < 0.6:
            rec["height_cm"] = str(p["height"] + rng.randint(-8, 8))
        if rng.random() < 0.2:
            rec["nationality"] = p["nat"] if rng.random() < 0.8 else rng.choice(ND.COUNTRIES)
        country = rng.choice(ND.NEIGHBOURS[p["country"]]) if rng.random() < 0.55 else p["country"]
        rec["country"] = country
        city, districts = rng.choice(ND.PLACES[country])
        rec["place"] = f"{city}, {rng.choice(districts)}" if rng.random() < 0.6 else city
        rec["event_date"] = when.isoformat()
        parts = []
        if p["marks"] and rng.random() < 0.4:
            lang = "en" if country == "BZ" else rng.choice(["es", "es", "en", "pt"])
            parts.append(mark_phrase(rng.choice(p["marks"]), lang, rng.choice([0, 1, 2] if lang == "es" else [0, 1])))
        if rng.random() < 0.4:
            clothes = random_clothes(rng, p["sex"])
            parts.append(clothes_phrase(clothes, "en" if country == "BZ" else "es"))
        if rng.random() < 0.25:
            parts.append(
                rng.choice(
                    [
                        "acompañada de un adulto",
                        "parecía asustada",
                        "trabajaba en un local nocturno",
                        "vendía dulces en la calle",
                        "seen with an older man",
                        "pedía ayuda",
                    ]
                )
            )
        rec["description"] = "; ".join(parts)
        return rec

    # ---- whole benchmark
    def run(self, n_claims: int) -> tuple[list[dict], list[dict], list[tuple[str, str]], list[tuple[str, str]]]:
        rng = self.rng
        claims: list[tuple[int, dict]] = []  # (pid, record)
        persons: dict[int, dict] = {}
        claim_dates: dict[int, dt.date] = {}
        pending: list[dict] = []
        while len(claims) < n_claims:
            p = pending.pop() if pending else self.new_person()
            persons[p["pid"]] = p
            if rng.random() < SIBLING_RATE:
                pending.append(self.sibling_of(p))
            orig = self.original_claim(p)
            recs = [orig]
            n_extra = 0
            if rng.random() < DUP_RATE:
                n_extra = 2 if rng.random() < THIRD_RATE else 1
            for _ in range(n_extra):
                recs.append(self.duplicate_claim(p, orig)[0])
            for rec in recs[: n_claims - len(claims)]:
                claims.append((p["pid"], rec))
                d = dt.date.fromisoformat(rec["event_date"])
                claim_dates[p["pid"]] = max(d, claim_dates.get(p["pid"], d))
        rng.shuffle(claims)
        width = max(6, len(str(n_claims)))
        by_pid: dict[int, list[str]] = {}
        out_claims = []
        for i, (pid, rec) in enumerate(claims, 1):
            rec["id"] = f"C{i:0{width}d}"
            by_pid.setdefault(pid, []).append(rec["id"])
            out_claims.append(rec)
        truth_pairs = sorted((a, b) for ids in by_pid.values() for a, b in combinations(sorted(ids), 2))

        # sightings
        n_sight = round(n_claims * SIGHTINGS_PER_CLAIM)
        claimed = sorted(by_pid)
        sightings, truth_s = [], []
        for j in range(1, n_sight + 1):
            sid = f"S{j:0{width}d}"
            if rng.random() >= UNCLAIMED_SIGHTING_RATE:
                pid = rng.choice(claimed)
                rec = self.sighting(persons[pid], claim_dates[pid])
                truth_s.extend((sid, cid) for cid in sorted(by_pid[pid]))
            else:
                if rng.random() < 0.4:  # look-alike of a claimed person: same first name, sex, age, country
                    q = persons[rng.choice(claimed)]
                    c = q["country"]
                    p = self.finish_person(
                        q["sex"],
                        q["given"],
                        pick(rng, self.t.surnames[c]),
                        pick(rng, self.t.surnames[c]),
                        add_years(q["birth"], rng.randint(-3, 3)),
                        q["event"],
                        c,
                    )
                else:
                    p = self.new_person()
                rec = self.sighting(p, p["event"])
            rec["id"] = sid
            sightings.append(rec)
        return out_claims, sightings, truth_pairs, truth_s


def write_csv(path: str, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def generate(n_claims: int, seed: int, out_dir: str) -> dict:
    """Write the four benchmark files into out_dir; return counts and corruption statistics."""
    os.makedirs(out_dir, exist_ok=True)
    g = Generator(seed)
    claims, sightings, pairs, truth_s = g.run(n_claims)
    write_csv(os.path.join(out_dir, "claims.csv"), COLUMNS, ([r[c] for c in COLUMNS] for r in claims))
    write_csv(os.path.join(out_dir, "sightings.csv"), COLUMNS, ([r[c] for c in COLUMNS] for r in sightings))
    write_csv(os.path.join(out_dir, "truth_pairs.csv"), ["left_id", "right_id"], pairs)
    write_csv(os.path.join(out_dir, "truth_sightings.csv"), ["sighting_id", "claim_id"], truth_s)
    return {
        "claims": len(claims),
        "sightings": len(sightings),
        "truth_pairs": len(pairs),
        "truth_sightings": len(truth_s),
        "true_sightings": len({s for s, _ in truth_s}),
        "corruptions": dict(g.stats),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
