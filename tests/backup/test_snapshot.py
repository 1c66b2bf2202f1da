"""A backup is one moment of the database, even while the portal writes during it."""

from __future__ import annotations

import json
import tarfile

import pytest
from sqlalchemy import event, func, select

from portal.audit.models import AuditEvent
from portal.backup.dump import write_backup
from portal.photos.storage import PhotoStore
from tests.backup.dataset import DIALECTS, fill


@pytest.mark.parametrize("source_app", DIALECTS, indirect=True)
def test_a_row_written_while_the_backup_runs_is_not_in_it(source_app, tmp_path):
    fill(source_app)
    engine = source_app.extensions["portal.engine"]
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditEvent))
    written = []

    def write_meanwhile(conn, cursor, statement, parameters, context, executemany):
        # As the backup reads its first table, another connection commits an event, which is read later.
        if not written and "FROM country" in statement:
            written.append(True)
            with engine.begin() as other:
                other.execute(AuditEvent.__table__.insert().values(action="claim.view", actor_role="public"))

    event.listen(engine, "before_cursor_execute", write_meanwhile)
    try:
        path = tmp_path / "during.tar"
        write_backup(engine, PhotoStore(source_app.config["PHOTO_DIR"]), path)
    finally:
        event.remove(engine, "before_cursor_execute", write_meanwhile)

    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    archived = next(t["rows"] for t in manifest["tables"] if t["name"] == "audit_event")
    with engine.connect() as connection:
        after = connection.scalar(select(func.count()).select_from(AuditEvent))
    assert written and after == before + 1
    assert archived == before
