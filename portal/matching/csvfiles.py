"""Person-record CSV files (spec/person-records.md): reading with per-value warnings, writing candidates.

A value that does not parse becomes "unknown" for that record and yields a ``Warning`` naming the
file, row, column and value; the row is kept. A file without an ``id`` column, with duplicate ids,
or that is not UTF-8 CSV raises ``RecordFileError`` with a message meant for the person running it.

What a spreadsheet writes as "CSV" is read too, with a note: cells separated by semicolons or tabs
(Excel set to Spanish, Portuguese or French), a byte-order mark (UTF-16 with one: Excel's "Unicode
text"), column names in capitals, and dates
written with slashes (14/03/2009 in Bolivia, 03/14/2009 in Puerto Rico) when their column shows the
order: a day over 12 somewhere, never contradicted (``slashed_order``). A column that never shows it
keeps those dates unknown, as the spec says of any value that does not parse.

What other tools write is read for what it means, each with a note (bench/README.md, "Files that look
different"): another tool's names of the spec's columns (``COLUMN_NAMES``) and an address in several
columns (``PLACE_PARTS``), cells that say "not known" (``MISSING``: R's NA, pandas' NaN), numbers
written as floats, dates with a time or year first, ages as a form writes them ("15-17", "15 años"),
countries by name (also at the end of the place when none is given), heights in metres, and sex
written H and M (where M is a woman).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from .evidence import normalise_sex
from .normalize import fold
from .records import CLAIM, DAY, MONTH, YEAR, PersonRecord

COLUMNS = (
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
)
OUTPUT_COLUMNS = ("left_id", "right_id", "score", "decision", "reasons")
# Other names a registry's export or another tool gives the spec's columns (English, Spanish and
# Portuguese), read as the spec's when the file does not have the spec's own.
COLUMN_NAMES = {
    "given_names": ("given_name", "first_name", "firstname", "forename", "nombres", "nombre", "nome"),
    "first_surname": ("surname", "last_name", "lastname", "family_name", "apellido", "apellido_paterno"),
    "second_surname": ("apellido_materno", "segundo_apellido", "second_last_name"),
    "aliases": ("alias", "nicknames", "nickname", "apodo", "apodos"),
    "sex": ("gender", "sexo"),
    "birth_date": ("dob", "date_of_birth", "birthdate", "fecha_nacimiento", "data_nascimento"),
    "document_id": ("document", "document_number", "documento", "soc_sec_id"),
    "country": ("pais", "país"),
    "place": ("lugar", "location"),
    "height_cm": ("height", "estatura", "talla"),
}
_SPEC_NAME = {other: spec for spec, others in COLUMN_NAMES.items() for other in others}
# An address in several columns (FEBRL's, a registry's): read together, in the file's order, as the
# place when the file has no place column.
PLACE_PARTS = frozenset(
    {"street_number", "address", "address_1", "address_2", "street", "suburb", "city", "town", "postcode"}
    | {"zip", "state", "region", "direccion", "dirección", "barrio", "ciudad", "municipio", "provincia"}
    | {"departamento", "estado", "bairro", "cidade"}
)


def spec_header(raw: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Column names as the spec writes them, whatever the case a spreadsheet gave them ("ID"), and
    another tool's names of the spec's columns (``COLUMN_NAMES``) where the file lacks the spec's
    own; with the (written, read as) pairs renamed."""
    header = [h.strip().lower() for h in raw]
    renamed = []
    for k, column in enumerate(header):
        spec = _SPEC_NAME.get(column)
        if spec and spec not in header:
            header[k] = spec
            renamed.append((column, spec))
    return header, renamed


MAX_FIELD = 1_000_000  # characters in one cell; a bigger cell means a broken file

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SLASHED_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # 14/03/2009, 3.4.2009, 03-14-2009
DATE_COLUMNS = ("birth_date", "event_date")
DAY_FIRST, MONTH_FIRST = "day/month/year", "month/day/year"


def slashed_order(values: Iterable[str]) -> str | None:
    """The order a column writes its dates with slashes in, when its own values show it: a first
    number over 12 is a day (DAY_FIRST), a second one over 12 too (MONTH_FIRST). None when no value
    shows it ("03/04/2009" alone could be either) or when values show both."""
    orders = set()
    for value in values:
        if match := _SLASHED_DATE.match(value.strip()):
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                orders.add(DAY_FIRST)
            elif second > 12 >= first:
                orders.add(MONTH_FIRST)
    return orders.pop() if len(orders) == 1 else None


# What tools and people write for "not known" (R's write.csv: NA; pandas: NaN or None when asked;
# Excel: #N/A; Spanish forms: S/D, sin dato): an empty cell, not a name "NA" or a document "NA".
MISSING = frozenset(
    {"na", "n/a", "#n/a", "nan", "null", "none", "-", "--", "?", "s/d", "n/d", "sin dato", "sin datos"}
    | {"desconocido", "desconocida", "unknown", "inconnu", "ignorado", "ignorada"}
)
_MISSING_FIRST = frozenset(word[0] for word in MISSING) | frozenset(word[0].upper() for word in MISSING)
MISSING_NOTE = "(missing)"
PLACE_COUNTRY_NOTE = "(country in place)"
_FLOAT_ARTIFACT = re.compile(r"^(\d+)\.0$")  # a document number a spreadsheet or pandas wrote as a float
# Sex written H and M (Spanish "hombre"/"mujer", Portuguese "homem"/"mulher"): there M is a woman.
HOMBRE_MUJER = {"h": "M", "m": "F"}
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20100503, as FEBRL and many databases write it
_YEAR_FIRST_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")  # 2009/03/14, 2009.3.14
# A date with a time after it, as databases and pandas export them: "2025-02-11 00:00:00", "...T08:30Z".
_DATE_TIME = re.compile(r"^(\S+?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$")


def _document(value: str) -> str:
    """A document number, without the ".0" a spreadsheet or pandas adds to one written as a float."""
    return _FLOAT_ARTIFACT.sub(r"\1", value) if value.endswith(".0") else value


def _iso(value: str, order: str | None) -> str:
    """``value`` as YYYY-MM-DD when it is a date with slashes in the column's known ``order``, or a
    year-first date with slashes, dots or no separator (never ambiguous); a time after it is left out."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # as the spec writes it: nothing to do
        return value
    if ":" in value and (timed := _DATE_TIME.match(value)):
        value = timed.group(1)
    if (compact := _COMPACT_DATE.match(value)) and 1800 <= int(compact.group(1)) <= 2200:
        return "-".join(compact.groups())  # 20100503: invalid days are caught as any other date's
    if year_first := _YEAR_FIRST_DATE.match(value):
        year, month, day = year_first.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    match = _SLASHED_DATE.match(value) if order else None
    if not match:
        return value
    first, second, year = match.groups()
    day, month = (first, second) if order == DAY_FIRST else (second, first)
    return f"{year}-{int(month):02d}-{int(day):02d}"


class RecordFileError(Exception):
    """The file cannot be used at all (the message says why)."""


@dataclass(frozen=True)
class Warning:
    """A value that did not parse and is taken as unknown: where it is and what is wrong with it."""

    file: str
    row: int  # line number in the file (the header is line 1)
    column: str  # empty for a note about the whole file
    value: str
    problem: str

    def __str__(self) -> str:
        if not self.column:  # about the whole file
            return f"{self.file}: {self.problem}"
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return f"{self.file}:{self.row}: column {self.column}: {self.problem} ({shown!r}); taken as unknown"


def _parse_birth(value: str) -> tuple[date, str] | None:
    match = _PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return date(int(year), int(month), int(day)), DAY
        if month:
            return date(int(year), int(month), 1), MONTH
        return date(int(year), 1, 1), YEAR
    except ValueError:
        return None


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


_HEIGHT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(cm|m)?$", re.IGNORECASE)


def _parse_height(value: str) -> int | None:
    """A height in whole centimetres from "155", "155 cm", "155.5", "1.55", "1,55 m" (metres when it
    says m, or says no unit and is under 3); None outside 30-260 cm or unreadable."""
    match = _HEIGHT.match(value.strip())
    if not match:
        return None
    number, unit = float(match.group(1).replace(",", ".")), (match.group(2) or "").lower()
    metres = unit == "m" or (not unit and number < 3)
    centimetres = round(number * 100) if metres else round(number)
    return centimetres if 30 <= centimetres <= 260 else None


# An age as a witness's form or another tool writes it: "15 años", "~15", "aprox. 15", "15-17", "15 a 17".
_AGE_WORDS = re.compile(r"(?i)\b(años|anos|años de edad|years old|years|yrs|ans|aprox|approx|ca|unos|about)\b\.?|[~±≈]")
_AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|a|to|à)\s*(\d{1,3})$", re.IGNORECASE)


def _parse_age(value: str) -> tuple[int, int] | None:
    """An age cell as (youngest, oldest) years: the same for one number; None when unreadable."""
    if (whole := _parse_int(value, 0, 120)) is not None:
        return whole, whole
    words_out = " ".join(_AGE_WORDS.sub(" ", value).split())
    if (whole := _parse_int(words_out, 0, 120)) is not None:
        return whole, whole
    if match := _AGE_RANGE.match(words_out):
        youngest, oldest = sorted((int(match.group(1)), int(match.group(2))))
        return (youngest, oldest) if oldest <= 120 else None
    return None


def _parse_int(value: str, low: int, high: int) -> int | None:
    """A whole number, also as a spreadsheet or pandas writes one ("15.0"; "15.5" is 15 years)."""
    try:
        number = int(value)
    except ValueError:
        try:
            fraction = float(value.replace(",", "."))
        except ValueError:
            return None
        if fraction != fraction or fraction in (float("inf"), float("-inf")):  # NaN, infinities
            return None
        number = int(fraction)
    return number if low <= number <= high else None


# Countries written by name ("Bolivia", "Perú", "Haïti", "Brasil"): the names Babel (CLDR) gives the
# ISO codes in the languages a registry of the network is kept in, folded.
COUNTRY_NAME_LANGUAGES = ("es", "en", "pt", "fr")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale  # only for a file that names its countries: `portal link` starts fast

    names: dict[str, str] = {}
    for language in COUNTRY_NAME_LANGUAGES:
        for code, country in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(country), code)
    return names


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a cell names: the code itself, or a country's name (Spanish, English,
    Portuguese or French, accents and case aside); None for anything else."""
    if _COUNTRY.match(value):
        return value.upper()
    return _country_names().get(fold(value))


def _row_record(
    row: dict[str, str],
    kind: str,
    warn: Callable[[str, str, str], None],
    date_orders: dict[str, str | None] | None = None,
    named: Callable[[str], None] = lambda column: None,
    sex_codes: dict[str, str] | None = None,
) -> PersonRecord:
    # Each cell stripped once; a cell that says "not known" (MISSING) is empty.
    cells = {column: (value or "").strip() for column, value in row.items()}
    for column, value in cells.items():
        if value and value[0] in _MISSING_FIRST and value.lower() in MISSING and column != "id":
            cells[column] = ""
            named(MISSING_NOTE)
    get = cells.get

    def day(column: str) -> str:
        """A date cell, read in the order of the column's dates with slashes when it is known."""
        return _iso(get(column, ""), (date_orders or {}).get(column))

    sex = get("sex", "")
    sex_code = (sex_codes or {}).get(fold(sex)) or normalise_sex(sex)
    if sex and not sex_code:
        warn("sex", sex, "not F or M")
    birth_date, birth_precision = None, DAY
    if birth := get("birth_date", ""):
        parsed = _parse_birth(day("birth_date"))
        if parsed and parsed[0] <= date.today():
            birth_date, birth_precision = parsed
        else:
            warn("birth_date", birth, "not a past date as YYYY-MM-DD, YYYY-MM or YYYY")
    ages: dict[str, tuple[int, int] | None] = {}
    for column in ("age_min", "age_max"):
        if value := get(column, ""):
            ages[column] = _parse_age(value)
            if ages[column] is None:
                warn(column, value, "not an age in years from 0 to 120 (15, 15-17, 15 años)")
    low, high = ages.get("age_min"), ages.get("age_max")
    age_min = low[0] if low else None
    # A range written in one cell ("15-17" under age_min) gives both ends when the other is empty.
    age_max = high[1] if high else (low[1] if low and low[1] != low[0] and "age_max" not in ages else None)
    if age_min is not None and age_max is not None and age_min > age_max:
        age_min, age_max = age_max, age_min
    countries = {"country": "", "nationality": ""}
    for column in countries:
        if value := get(column, ""):
            if code := country_code(value):
                countries[column] = code
                if not _COUNTRY.match(value):
                    named(column)
            else:
                warn(column, value, "not a two-letter ISO country code nor a country's name")
    place = get("place", "")
    if not countries["country"] and place:
        # No country column, or an empty one, and a place that ends with its country ("Arica, Chile"),
        # or is one ("Chile").
        town, _, last = place.rpartition(",")
        # By name only: a place's last two letters ("Calle 5, SN": sin número) are no country code.
        if not _COUNTRY.match(last.strip()) and (code := country_code(last.strip())):
            countries["country"], place = code, town.strip()
            named(PLACE_COUNTRY_NOTE)
    event_date = None
    if event := get("event_date", ""):
        event_date = _parse_day(day("event_date"))
        if event_date is None:
            warn("event_date", event, "not a date as YYYY-MM-DD")
    height_cm = None
    if height := get("height_cm", ""):
        height_cm = _parse_height(height)
        if height_cm is None:
            warn("height_cm", height, "not a height in centimetres (30-260) or metres (0.30-2.60)")
    return PersonRecord(
        id=get("id", ""),
        kind=kind,
        given_names=get("given_names", ""),
        first_surname=get("first_surname", ""),
        second_surname=get("second_surname", ""),
        aliases=tuple(a.strip() for a in get("aliases", "").split(";") if a.strip()),
        sex=sex_code,
        birth_date=birth_date,
        birth_precision=birth_precision,
        age_min=age_min,
        age_max=age_max,
        document_id=_document(get("document_id", "")),
        nationality=countries["nationality"],
        country=countries["country"],
        place=place,
        event_date=event_date,
        height_cm=height_cm,
        description=get("description", ""),
    )


def _delimiter(header_line: str) -> str:
    """The cell separator of a file from its header line: commas as the spec says, or the semicolons
    (or tabs) a spreadsheet set to Spanish, Portuguese or French writes as "CSV" when the header has
    no comma at all."""
    if "," in header_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


def _open_text(path: str | Path) -> TextIO:
    """The file as text: UTF-8 (a byte-order mark skipped), or UTF-16 when it starts with UTF-16's
    byte-order mark, as a spreadsheet's "Unicode text" does (tab-separated)."""
    raw = open(path, "rb")  # noqa: SIM115 -- handed on to the text wrapper, which closes it
    start = raw.peek(2)[:2]
    utf16 = start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    return io.TextIOWrapper(raw, encoding="utf-16" if utf16 else "utf-8-sig", newline="")


def _seekable(handle: TextIO) -> TextIO:
    """``handle``, or its whole text in memory when it cannot be rewound (a pipe: ``<(zcat f.gz)``);
    the file is read twice (the separator, the dates' order, then the records)."""
    if handle.seekable():
        return handle
    with handle:
        return io.StringIO(handle.read(), newline="")


def _first_pass(handle: TextIO, delimiter: str) -> tuple[dict[str, list[str]], set[str]]:
    """The cells of the date columns written with slashes (or dots, or dashes around a year last), and
    the sex column's values (folded), read in a first pass over the file, which is then rewound."""
    cells = csv.reader(handle, delimiter=delimiter)
    header, _ = spec_header(next(cells, []))
    wanted = {column: header.index(column) for column in DATE_COLUMNS if column in header}
    found: dict[str, list[str]] = {column: [] for column in wanted}
    sexes: set[str] = set()
    at = header.index("sex") if "sex" in header else -1
    if wanted or at >= 0:
        for row in cells:
            for column, k in wanted.items():
                if k < len(row) and _SLASHED_DATE.match(value := row[k].strip()):
                    found[column].append(value)
            if 0 <= at < len(row):
                sexes.add(row[at])
    handle.seek(0)
    return found, {fold(sex) for sex in sexes}


def _date_orders(
    name: str, slashed: dict[str, list[str]], on_warning: Callable[[Warning], None]
) -> dict[str, str | None]:
    """The order of each date column's dates with slashes (a spreadsheet's regional format), with a
    note on the whole file: read in the order the column shows, or left unknown when it shows none."""
    orders: dict[str, str | None] = {}
    for column, values in slashed.items():
        if not values:
            continue
        orders[column] = order = slashed_order(values)
        if order:
            note = f"{column}: dates with slashes read as {order}, the order the column shows"
        else:
            note = (
                f"{column}: dates with slashes whose order (day/month or month/day) the column does not "
                "show are taken as unknown; write them as YYYY-MM-DD"
            )
        on_warning(Warning(name, 1, "", column, note))
    return orders


def read_records(
    path: str | Path, kind: str = CLAIM, on_warning: Callable[[Warning], None] = lambda w: None
) -> list[PersonRecord]:
    """All records of a person-record CSV file; bad values become unknown and are reported."""
    name = str(path)
    csv.field_size_limit(MAX_FIELD)
    try:
        with _seekable(_open_text(path)) as handle:
            delimiter = _delimiter(handle.readline())
            handle.seek(0)
            if delimiter != ",":
                shown = "semicolons" if delimiter == ";" else "tabs"
                on_warning(Warning(name, 1, "", delimiter, f"cells separated by {shown}, not commas: read as such"))
            slashed, sexes = _first_pass(handle, delimiter)
            sex_codes = HOMBRE_MUJER if "h" in sexes and "f" not in sexes else None
            if sex_codes:
                on_warning(Warning(name, 1, "", "sex", "sex: written H and M (hombre, mujer): M read as a woman"))
            reader = csv.DictReader(handle, delimiter=delimiter)
            header = reader.fieldnames
            if not header:
                raise RecordFileError(f"{name}: the file is empty; a header row with an 'id' column is required")
            header, renamed = spec_header(header)
            reader.fieldnames = header
            for written, spec in renamed:
                on_warning(Warning(name, 1, "", spec, f"column {written} read as {spec}"))
            if "id" not in header:
                raise RecordFileError(
                    f"{name}: no 'id' column in the header (found: {', '.join(header[:8]) or 'nothing'})"
                )
            place_parts = [column for column in header if column in PLACE_PARTS] if "place" not in header else []
            if place_parts:
                note = f"columns {', '.join(place_parts)} read together as place"
                on_warning(Warning(name, 1, "", "place", note))
            for column in header:
                if column not in COLUMNS and column not in place_parts:
                    on_warning(Warning(name, 1, column, column, "unknown column, ignored"))
            date_orders = _date_orders(name, slashed, on_warning)
            records: list[PersonRecord] = []
            seen: dict[str, int] = {}
            named: set[str] = set()
            for row in reader:
                line = reader.line_num

                def warn(column: str, value: str, problem: str, line: int = line) -> None:
                    on_warning(Warning(name, line, column, value, problem))

                if None in row:
                    warn("(extra)", ",".join(row.pop(None) or []), "more cells than header columns")
                if place_parts:
                    parts = ((row.get(column) or "").strip() for column in place_parts)
                    row["place"] = ", ".join(part for part in parts if part and part.lower() not in MISSING)
                record = _row_record(row, kind, warn, date_orders, named.add, sex_codes)
                if not record.id:
                    warn("id", "", "empty id: the row is skipped")
                    continue
                if record.id in seen:
                    raise RecordFileError(
                        f"{name}:{line}: duplicate id {record.id!r} (first on line {seen[record.id]}); "
                        "ids must be unique"
                    )
                seen[record.id] = line
                records.append(record)
            for column in sorted(named):
                if column == MISSING_NOTE:
                    note = "cells written NA, NaN, null, S/D or the like read as empty (not known)"
                elif column == PLACE_COUNTRY_NOTE:
                    note = "places ending with a country ('Arica, Chile') and no country given: read as the country"
                else:
                    note = f"{column}: countries written by name read as their ISO codes"
                on_warning(Warning(name, 1, "", column, note))
    except UnicodeDecodeError as error:
        raise RecordFileError(
            f"{name}: not UTF-8 text (byte {error.start} cannot be decoded); "
            "save it from the spreadsheet as 'CSV UTF-8'"
        ) from None
    except csv.Error as error:
        raise RecordFileError(f"{name}: not a readable CSV file ({error})") from None
    except FileNotFoundError:
        raise RecordFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise RecordFileError(f"{name}: is a directory, not a CSV file") from None
    return records


# A witness seldom knows a birth date or a document, and often not an age either: a file in which
# nearly every record lacks both a birth date and a document is one of sightings, aged or not.
UNDOCUMENTED_SIGHTINGS = 0.9


def looks_like_sightings(records: Iterable[PersonRecord]) -> bool:
    """True when the records have the shape of sightings: most give an age range and neither a birth date
    nor a document, or nearly all (UNDOCUMENTED_SIGHTINGS) give neither a birth date nor a document."""
    records = list(records)
    if not records:
        return False
    undocumented = [r for r in records if r.birth_date is None and not r.document_id]
    aged = sum(1 for r in undocumented if r.age_min is not None or r.age_max is not None)
    return aged * 2 >= len(records) or len(undocumented) >= UNDOCUMENTED_SIGHTINGS * len(records)


def as_kind(records: list[PersonRecord], kind: str) -> list[PersonRecord]:
    """The records, marked as claims or as sightings."""
    return [replace(r, kind=kind) if r.kind != kind else r for r in records]


def write_candidates(path: str | Path, rows: Iterable[tuple[str, str, float, str, str]]) -> int:
    """Write candidate rows (left_id, right_id, score, decision, reasons); returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for left_id, right_id, score, decision, reasons in rows:
            writer.writerow((left_id, right_id, f"{score:.4f}", decision, reasons))
            count += 1
    return count
