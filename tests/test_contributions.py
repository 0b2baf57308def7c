import pytest

from cairn.contributions.models import ContributionChannel
from cairn.contributions.services import ContributionError, record_contribution
from cairn.core.models import AuditEntry
from cairn.events.models import BreakoutTheme, Event
from cairn.members.models import Person


@pytest.fixture
def event(db):
    from django.utils import timezone

    now = timezone.now()
    return Event.objects.create(title="Learning event", starts_at=now, ends_at=now)


@pytest.mark.django_db
def test_a_letter_entered_by_staff_records_who_entered_it(event, alice, org):
    jean = Person.objects.create(first_name="Jean", organisation=org, preferred_channel="post")
    c = record_contribution(
        text="  Please remember people who are not online.  ",
        channel=ContributionChannel.LETTER,
        event=event,
        author=jean,
        entered_by=alice,
    )
    assert c.text == "Please remember people who are not online."
    assert c.entered_on_behalf and c.entered_by == alice
    assert c.author_sector == "community"
    assert AuditEntry.objects.filter(action="contribution.entered", object_id=str(c.pk)).exists()


@pytest.mark.django_db
def test_anonymous_contributions_are_allowed(event):
    c = record_contribution(text="Old technology still works", channel="phone", event=event)
    assert c.is_anonymous
    assert c.display_author == "Anonymous"


@pytest.mark.django_db
def test_a_note_in_a_group_takes_its_theme_and_event(event):
    from cairn.events.models import BreakoutGroup

    theme = BreakoutTheme.objects.create(event=event, name="Technology")
    group = BreakoutGroup.objects.create(event=event, theme=theme, name="Room 1")
    c = record_contribution(text="Zoom works", channel="breakout_note", breakout_group=group)
    assert c.theme == theme and c.event == event


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_refused(event, text):
    with pytest.raises(ContributionError, match="needs some text"):
        record_contribution(text=text, channel="email", event=event)


@pytest.mark.django_db
def test_an_unknown_channel_is_refused(event):
    with pytest.raises(ContributionError, match="Unknown channel"):
        record_contribution(text="hi", channel="carrier pigeon", event=event)


@pytest.mark.django_db
def test_a_two_megabyte_comment_is_kept_whole(event):
    text = "word " * 400_000
    c = record_contribution(text=text, channel="web_form", event=event)
    c.refresh_from_db()
    assert len(c.text) == len(text.strip())


@pytest.mark.django_db
def test_a_theme_from_another_event_is_refused(event):
    from django.utils import timezone

    other = Event.objects.create(title="Other", starts_at=timezone.now(), ends_at=timezone.now())
    theme = BreakoutTheme.objects.create(event=other, name="Tech")
    with pytest.raises(ContributionError, match="different event"):
        record_contribution(text="x", channel="email", event=event, theme=theme)


@pytest.mark.django_db
def test_naming_needs_consent_to_quote(event):
    c = record_contribution(text="x", channel="email", event=event, consent_to_name=True)
    assert c.consent_to_name is False


def test_counts_by_channel_read_as_messages_and_transcript_passages_with_grouped_thousands():
    """An imported transcript's cues are counted one by one: "12023 meeting transcripts"
    read as if twelve thousand transcripts had come in, and chat messages as "meeting chats"."""
    from cairn.contributions.wording import channel_phrase

    assert channel_phrase({"transcript": 12023, "chat": 3, "letter": 2, "phone": 1}) == (
        "12,023 passages of the meeting transcript, 3 chat messages, 2 letters and 1 phone call"
    )
    assert channel_phrase({"chat": 1, "transcript": 1}) == (
        "1 chat message and 1 passage of the meeting transcript"
    )


def test_the_report_introduction_groups_thousands(demo):
    from cairn.contributions.models import Contribution, ContributionChannel
    from cairn.reports import compose

    Contribution.objects.bulk_create(
        Contribution(event=demo, text=f"Cue {i}", channel=ContributionChannel.TRANSCRIPT)
        for i in range(1000)
    )
    intro = compose.intro(compose.EventFacts(demo, None)).body
    assert "We received 1,034 contributions: 1,000 passages of the meeting transcript" in intro
