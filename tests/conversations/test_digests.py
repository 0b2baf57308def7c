from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cairn.conversations.models import Follow
from cairn.conversations.services import threads
from cairn.conversations.services.digests import send_digests
from cairn.outreach.models import Delivery


def test_each_follower_gets_new_posts_by_others_by_their_own_channel(thread, alice, rosie, jean):
    threads.set_following(thread, rosie, follow=True)
    threads.set_following(thread, jean, follow=True)
    threads.add_post(thread, body="Rosie's own words", author=rosie, channel="web")
    threads.enter_post(thread, actor=alice, author=jean, body="Jean's letter", channel="letter")
    later = timezone.now() + timedelta(seconds=1)
    assert send_digests(now=later) >= 2

    to_rosie = Delivery.objects.get(person=rosie)
    assert to_rosie.channel == "email" and "Jean's letter" in to_rosie.body
    assert "Rosie's own words" not in to_rosie.body
    assert "Or reply by email to: " in to_rosie.body
    assert any("Jean's letter" in m.body for m in mail.outbox)

    to_jean = Delivery.objects.get(person=jean)
    assert to_jean.channel == "post" and to_jean.status == "queued"
    assert "Rosie's own words" in to_jean.body and "Jean's letter" not in to_jean.body


def test_nothing_new_means_no_digest_and_digests_are_not_repeated(thread, rosie):
    threads.set_following(thread, rosie, follow=True)
    assert send_digests() == 0
    threads.add_post(thread, body="New", author=None, channel="web", author_name="Guest")
    later = timezone.now() + timedelta(seconds=1)
    assert send_digests(now=later) == 2  # rosie, and alice who started it
    assert send_digests(now=later + timedelta(seconds=1)) == 0
    assert Follow.objects.get(person=rosie).digest_sent_until == later


def test_the_cli_sends_digests(thread, capsys):
    call_command("send-digests")
    assert "Sent 0 digests." in capsys.readouterr().out


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_digest_run_killed_after_the_mail_server_took_an_email_never_sends_it_twice(
    thread, rosie, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    threads.set_following(thread, rosie, follow=True)
    threads.add_post(thread, body="New", author=None, channel="web", author_name="Guest")
    real_send = EmailBackend.send_messages

    def accepted_then_killed(self, messages):
        real_send(self, messages)
        raise WorkerKilled

    monkeypatch.setattr(EmailBackend, "send_messages", accepted_then_killed)
    later = timezone.now() + timedelta(seconds=1)
    with pytest.raises(WorkerKilled):
        send_digests(now=later)
    assert len(mail.outbox) == 1
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    # The queue runs the task again, and the schedule fires once more later on.
    send_digests(now=later + timedelta(seconds=1))
    send_digests(now=later + timedelta(seconds=2))
    recipients = [address for m in mail.outbox for address in m.to]
    assert len(recipients) == len(set(recipients)), recipients
    # The one cut short is left "being sent" for a coordinator to check, not sent again.
    assert Delivery.objects.filter(status="sending").count() == 1
