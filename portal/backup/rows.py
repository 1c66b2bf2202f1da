"""Rows as canonical JSON lines, the same whatever database they were read from.

A table is read in primary-key order and each row written as one JSON object with sorted keys.
Values are encoded by their column's type (timestamps in UTC ISO 8601, dates ISO, binary in
base64, decimals as strings, JSON as JSON), so a SQLite table and the same table in PostgreSQL
give the same bytes: the SHA-256 of those lines is the table's checksum in the manifest, and
restoring is checked by reading the restored table back into the same lines.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, Table, bindparam, select, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

# A JSON column holding the JSON value null (not SQL NULL) is listed under this key of its row:
# both read back as None, and a restore must write each as it was.
JSON_NULLS = "#json_null"
# Rows read and inserted per round trip.
BATCH = 1000


class UnsupportedColumn(TypeError):
    """A column of a type the archive format does not know how to write exactly."""


def kind_of(type_: TypeEngine[Any], dialect: Dialect) -> str:
    """How values of a column type are encoded: datetime, date, time, bytes, decimal, json, array or plain."""
    impl = type_.dialect_impl(dialect)
    while isinstance(impl, TypeDecorator):
        impl = impl.load_dialect_impl(dialect)
    for kind, classes in _KINDS:
        if isinstance(impl, classes):
            return kind
    return "plain"


_KINDS: tuple[tuple[str, type[Any] | tuple[type[Any], ...]], ...] = (
    ("json", sqltypes.JSON),
    ("array", sqltypes.ARRAY),
    ("datetime", sqltypes.DateTime),
    ("date", sqltypes.Date),
    ("time", sqltypes.Time),
    ("bytes", sqltypes._Binary),
    ("plain", sqltypes.Float),  # a Float is a Numeric too, but Python floats are JSON numbers
    ("decimal", sqltypes.Numeric),
)


def encode(value: Any, kind: str, where: str) -> Any:
    """A column value as a JSON value; ``where`` (table.column) names it in an error."""
    if value is None or kind in ("json", "array"):
        return value
    if kind == "datetime":
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "decimal":
        return str(value)
    if isinstance(value, bool | int | float | str):
        return value
    raise UnsupportedColumn(f"{where}: values of type {type(value).__name__} cannot be archived exactly")


def decode(value: Any, kind: str) -> Any:
    """The column value that ``encode`` turned into ``value``."""
    if value is None or kind in ("json", "array", "plain"):
        return value
    decoders: dict[str, Any] = {
        "datetime": datetime.fromisoformat,
        "date": date.fromisoformat,
        "time": time.fromisoformat,
        "bytes": base64.b64decode,
        "decimal": Decimal,
    }
    return decoders[kind](value)


def canonical(row: dict[str, Any]) -> bytes:
    """One row as its canonical line (no newline)."""
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class TableCodec:
    """How one table's rows are read, encoded, decoded and inserted on one database."""

    table: Table
    dialect: Dialect

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Each column's kind of value."""
        return {c.name: kind_of(c.type, self.dialect) for c in self.table.columns}

    def _order(self) -> list[ColumnElement[Any]]:
        # Byte order of UTF-8 is code-point order on both databases, whatever PostgreSQL's locale.
        postgres = self.dialect.name == "postgresql"
        keys: list[ColumnElement[Any]] = []
        for column in self.table.primary_key.columns:
            textual = isinstance(column.type, sqltypes.String) and postgres
            keys.append(column.collate("C") if textual else column)
        return keys

    def lines(self, connection: Connection) -> Iterator[bytes]:
        """The table's rows, in primary-key order, as canonical lines."""
        kinds = self.kinds
        json_columns = [name for name, kind in kinds.items() if kind == "json"]
        flags = [self.table.c[name].is_(None).label(f"sql_null_{i}") for i, name in enumerate(json_columns)]
        query = select(*self.table.columns, *flags).order_by(*self._order())
        result = connection.execution_options(yield_per=BATCH).execute(query)
        for record in result:
            mapping = record._mapping
            row = {
                name: encode(mapping[self.table.c[name]], kind, f"{self.table.name}.{name}")
                for name, kind in kinds.items()
            }
            nulls = [n for i, n in enumerate(json_columns) if mapping[n] is None and not mapping[f"sql_null_{i}"]]
            if nulls:
                row[JSON_NULLS] = nulls
            yield canonical(row)

    def checksum(self, connection: Connection) -> tuple[int, str]:
        """(rows, SHA-256 of the canonical lines) of the table as ``connection`` sees it."""
        digest, count = hashlib.sha256(), 0
        for line in self.lines(connection):
            digest.update(line + b"\n")
            count += 1
        return count, digest.hexdigest()

    def insert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Insert decoded ``rows`` (from ``decode_line``) as they are, ids included."""
        if not rows:
            return
        values = {c.name: bindparam(f"v_{c.name}", type_=self._bind_type(c.name)) for c in self.table.columns}
        connection.execute(self.table.insert().values(values), [{f"v_{k}": v for k, v in r.items()} for r in rows])

    def _bind_type(self, name: str) -> TypeEngine[Any]:
        # JSON columns: None must be SQL NULL, and JSON.NULL the JSON value null.
        return JSON(none_as_null=True) if self.kinds[name] == "json" else self.table.c[name].type

    def decode_line(self, line: bytes) -> dict[str, Any]:
        """The column values of one canonical line, ready for ``insert``."""
        encoded = json.loads(line)
        json_nulls = set(encoded.pop(JSON_NULLS, ()))
        row = {name: decode(encoded[name], kind) for name, kind in self.kinds.items()}
        for name in json_nulls:
            row[name] = JSON.NULL
        return row

    def self_references(self) -> list[tuple[str, str]]:
        """(column, referenced column) of each foreign key from the table to itself."""
        return [(fk.parent.name, fk.column.name) for fk in self.table.foreign_keys if fk.column.table is self.table]

    def reset_sequence(self, connection: Connection) -> None:
        """PostgreSQL: the id sequence continues after the largest restored id (SQLite needs nothing)."""
        if self.dialect.name != "postgresql" or len(self.table.primary_key.columns) != 1:
            return
        column = next(iter(self.table.primary_key.columns))
        quoted = self.dialect.identifier_preparer.format_table(self.table)
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": column.name})
        if sequence is None:
            return
        largest = connection.scalar(select(column).order_by(column.desc()).limit(1))
        if largest is not None:
            connection.execute(text("SELECT setval(CAST(:s AS regclass), :n)"), {"s": sequence, "n": largest})
