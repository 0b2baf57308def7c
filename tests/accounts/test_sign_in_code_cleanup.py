"""An emailed sign-in code is kept by allauth, in plain text, in the session that asked
for it; once it stops working the worker's schedule takes it out, and expired sessions go."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.services import clear_expired_sign_in_codes
from cairn.accounts.services.logins import PENDING_LOGIN_KEY
from cairn.jobs.services import run_due_schedules
from tests.accounts.test_login import dora  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _code_in_a_session(client) -> tuple[str, Session]:
    client.post(reverse("account_request_login_code"), {"email": "dora@example.org"})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    session = Session.objects.get(session_key=client.session.session_key)
    assert code.replace("-", "") in str(session.get_decoded()).replace("-", "")
    return code, session


def test_the_pending_login_is_where_allauth_keeps_it():
    from allauth.account.internal.stagekit import LOGIN_SESSION_KEY

    assert PENDING_LOGIN_KEY == LOGIN_SESSION_KEY


def test_an_expired_code_leaves_its_session_and_a_live_one_stays(client, dora):  # noqa: F811
    code, session = _code_in_a_session(client)
    assert clear_expired_sign_in_codes() == 0  # still usable: kept
    assert PENDING_LOGIN_KEY in Session.objects.get(pk=session.pk).get_decoded()

    assert clear_expired_sign_in_codes(now=time.time() + 16 * 60) == 1
    left = Session.objects.get(pk=session.pk).get_decoded()
    assert PENDING_LOGIN_KEY not in left
    assert code.replace("-", "") not in str(left).replace("-", "")
    # The code is gone from the session, so it no longer signs anyone in.
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert client.get(reverse("members:me")).status_code != 200


def test_the_worker_schedule_clears_codes_and_expired_sessions(client, dora):  # noqa: F811
    _code, session = _code_in_a_session(client)
    ago = time.time() - 16 * 60
    data = session.get_decoded()
    data[PENDING_LOGIN_KEY]["initiated_at"] = ago
    Session.objects.filter(pk=session.pk).update(
        session_data=session.get_session_store_class()().encode(data)
    )
    old = Session.objects.create(
        session_key="x" * 32,
        session_data=session.session_data,
        expire_date=timezone.now() - timedelta(days=1),
    )
    assert "clear-sign-in-codes" in run_due_schedules("worker-a")
    assert PENDING_LOGIN_KEY not in Session.objects.get(pk=session.pk).get_decoded()
    assert not Session.objects.filter(pk=old.pk).exists()


def test_cron_can_run_it_instead(client, dora, capsys):  # noqa: F811
    _code_in_a_session(client)
    call_command("clear-sign-in-codes")
    assert "cleaned 0 sessions" in capsys.readouterr().out
