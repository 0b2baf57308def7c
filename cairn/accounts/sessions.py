"""Sessions kept in the database (Django's `db` store), each read with one written-out query.

Every signed-in request reads its session row first; the ORM's compilation of that one-row
read cost more CPU than the read itself (50 registration POSTs a second at a busy opening,
every board poll without a pass). Rows, encoding, expiry, saving and logging out are
Django's own: only the read differs.
"""

from typing import Any

from django.contrib.sessions.backends import db

from cairn.lib.sql import col, first_row, now, table


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key  # None when absent or malformed, as Django's store reads it
        model = self.model
        found = key and first_row(
            f"SELECT s.{col(model, 'session_data')} FROM {table(model)} s "  # noqa: S608
            f"WHERE s.{col(model, 'session_key')} = %s AND s.{col(model, 'expire_date')} > %s",
            [key, now()],
        )
        if not found:
            self._session_key = None  # as Django's store: a new session, under a new key
            return None
        # What load() reads of it; the expiry is in the query.
        return model(session_key=key, session_data=found[0])
