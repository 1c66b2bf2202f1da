"""On a phone a table's rows stack and each cell shows its column's name from ``data-label``
(portal.css): every data cell must carry the name of the column it sits in, or a stacked row
would call a date a status. tests/e2e/test_phone_layout.py measures the widths in Chromium.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.builders import girl, make_claim, make_user


class _Tables(HTMLParser):
    """Each table's column names (its thead) and, per body row, its cells as (tag, data-label, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.tables.append({"columns": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag == "th" and self._section == "thead":
            self._cell = []
        elif tag in ("td", "th") and self._section == "tbody":
            self.tables[-1]["rows"][-1].append((tag, found.get("data-label"), int(found.get("colspan") or 1)))

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._cell is not None:
            self.tables[-1]["columns"].append(" ".join("".join(self._cell).split()))
            self._cell = None


def _tables(client: FlaskClient, path: str) -> list[dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


PAGES = [
    pytest.param("police", "/cases", 2, id="cases"),
    pytest.param("admin", "/staff/users", 1, id="staff"),
    pytest.param("coordinator", "/flags/report", 3, id="flags-report"),
    pytest.param("police", "/claims?q=Guadalupe", 1, id="search"),
]


@pytest.mark.parametrize(("role", "path", "tables"), PAGES)
def test_every_data_cell_names_its_column(
    client: FlaskClient, login_as: Any, session: Any, role: str, path: str, tables: int
) -> None:
    make_claim(session)  # a draft to validate
    girl(session)  # an active, flagged claim
    make_user(session, "police", "BO")
    session.commit()
    login_as(role, None if role == "admin" else "BO")
    client.get("/lang/en")
    found = _tables(client, path)
    assert len(found) == tables
    for table in found:
        assert table["rows"], f"{path}: an empty table proves nothing"
        for row in table["rows"]:
            column, labels = 0, []
            for tag, label, span in row:
                if tag == "td":  # a row header (th scope=row) names the row, not a column
                    labels.append((label, table["columns"][column]))
                column += span
            assert column == len(table["columns"]), f"{path}: a row of {column} columns"
            assert [label for label, _ in labels] == [name for _, name in labels], path
