"""Backup and restore: one archive of the database and the photos (docs/decisions.md, "Backups").

``rows`` turns each table into canonical JSON lines, the same whatever database they were read
from; ``archive`` writes and verifies the tar file; ``dump`` and ``load`` are the two operations;
``cli`` the `portal backup` and `portal restore` commands.
"""
