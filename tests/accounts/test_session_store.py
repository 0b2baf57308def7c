"""Cairn's session store reads a session row with one written-out query and otherwise is
Django's database store: the same rows, encoding, expiry, saving and logging out."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.accounts.sessions import SessionStore


def test_it_is_the_store_the_site_uses():
    assert settings.SESSION_ENGINE == "cairn.accounts.sessions"


def test_it_reads_what_djangos_own_store_wrote_and_the_other_way_round(db):
    theirs = django_db.SessionStore()
    theirs["who"] = "alice"
    theirs.create()
    with CaptureQueriesContext(connection) as seen:
        assert SessionStore(theirs.session_key)["who"] == "alice"
    assert len(seen.captured_queries) == 1
    assert "SELECT s." in seen.captured_queries[0]["sql"]  # written out, not the ORM's
    ours = SessionStore()
    ours["who"] = "bob"
    ours.create()
    assert django_db.SessionStore(ours.session_key)["who"] == "bob"


def test_an_expired_or_unknown_session_reads_as_a_new_empty_one(db):
    store = SessionStore()
    store["who"] = "alice"
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    assert SessionStore("short").load() == {}  # a malformed key is never looked up


def test_a_row_that_does_not_decode_reads_as_empty(db):
    store = SessionStore()
    store["who"] = "alice"
    store.create()
    row = Session.objects.get(pk=store.session_key)
    Session.objects.filter(pk=row.pk).update(session_data=row.session_data[:-3] + "xyz")
    assert SessionStore(store.session_key).load() == {}


def test_logging_in_and_out_works_as_before(client, charlie):
    client.force_login(charlie)
    assert client.get("/events/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(pk=key).exists()
    client.logout()
    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/events/").status_code == 302
