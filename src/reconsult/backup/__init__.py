"""Back up a whole reconsult database to one file, and restore it, on SQLite or PostgreSQL.

The file is a zip (ZIP64, so no size limit) holding:

* ``manifest.json``: the format and its version, the reconsult version, the
  Alembic revision of the database it came from, when it was made, and per
  table its columns, row count and the SHA-256 of its member;
* ``tables/<table>.jsonl``: one member per table, in
  ``Base.metadata.sorted_tables`` order (parents before children), one JSON
  array per row in the manifest's column order: bytes as base64, dates and
  date-times as ISO 8601 (date-times in UTC), JSON columns as JSON.
  Members are deflated, except those of tables holding bytes (photos are
  compressed already), which are stored as they are.

The file is readable only by its owner (mode 0600): it holds health data.

The same file restores into either database, so a person can move from the
SQLite file on their laptop to a clinic's PostgreSQL server and back.

Both directions stream: rows are read ``yield_per`` (a server-side cursor
on PostgreSQL) and written into the zip member as they come, and a restore
reads one line at a time and inserts in small batches, so neither a
directory of hundreds of thousands of providers nor hundreds of
megabyte-sized photos is ever held in memory whole.

A restore runs in ONE transaction: it checks the file's format and revision
first, then (with ``replace``) empties every table, inserts every row, and
compares each table's row count and SHA-256 with the manifest before it
commits. A truncated, damaged or edited file raises :class:`BackupError` and
leaves the database exactly as it was.

What is left out, on purpose (the manifest lists these under ``left_out``):

* ``user_sessions``: a restored backup must not sign anyone in with a cookie
  from before; everyone signs in again.
* ``password_resets``: one-time links are short-lived credentials; an old
  one must not come back to life. People ask for a new link.
* ``invitations``: one-time sign-up links, credentials like reset links.
* ``rate_limit_hits`` and ``sign_in_failures``: counts over windows of minutes
  to an hour, long over by the time a backup is restored; they start again
  from zero.
* ``trusted_devices``: browsers that signed in before; like sessions, they
  must not come back from an old file. Each browser is trusted again at its
  next sign-in.
* ``providers_staging`` and ``provider_taxonomies_staging``: scratch space of
  an import in progress, emptied by the next import.

Everything else is kept, the audit log included: it is the record of who
saw and changed each case, and a restore must not erase it.
"""

from __future__ import annotations

from reconsult.backup.format import (
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    BackupError,
    BackupProgress,
    BackupSummary,
)
from reconsult.backup.restore import read_manifest, restore_backup
from reconsult.backup.write import check_target, write_backup

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "BackupError",
    "BackupProgress",
    "BackupSummary",
    "check_target",
    "read_manifest",
    "restore_backup",
    "write_backup",
]
