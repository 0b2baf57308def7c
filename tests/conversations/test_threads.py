import pytest

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.conversations.models import Follow, Post
from cairn.conversations.services import threads


def test_a_thread_must_be_attached_to_an_event_or_a_theme(alice):
    with pytest.raises(threads.ConversationError, match="event or name its theme"):
        threads.start_thread(actor=alice, author=None, title="Loose", body="Hello")
    standalone = threads.start_thread(
        actor=alice, author=None, title="Funding", topic="Sustainability", body="Hi"
    )
    assert standalone.about == "Sustainability"


def test_every_post_is_a_contribution_with_its_channel_event_and_theme(event, theme, alice, jean):
    thread = threads.start_thread(
        actor=alice, author=alice.person, title="Offline", theme=theme, body="Who is left out?"
    )
    assert thread.event == event
    post = threads.enter_post(
        thread, actor=alice, author=jean, body="Write to us.", channel="letter"
    )
    contribution = Contribution.objects.get(pk=post.contribution_id)
    assert contribution.channel == ContributionChannel.LETTER
    assert (contribution.event, contribution.theme, contribution.entered_by) == (
        event,
        theme,
        alice,
    )
    assert Contribution.objects.filter(
        channel=ContributionChannel.WEB_FORM, text="Who is left out?"
    ).exists()


def test_authors_follow_what_they_post_in_and_can_stop(thread, alice, charlie):
    threads.add_post(thread, body="Me too", author=charlie.person, channel="web")
    assert Follow.objects.filter(thread=thread).count() == 2
    threads.set_following(thread, charlie.person, follow=False)
    assert not Follow.objects.filter(person=charlie.person).exists()


def test_staff_entry_is_only_for_letters_and_calls_and_empty_posts_are_refused(thread, alice):
    with pytest.raises(threads.ConversationError, match="letter or phone"):
        threads.enter_post(thread, actor=alice, author=None, body="x", channel="web")
    with pytest.raises(threads.ConversationError, match="Write something"):
        threads.add_post(thread, body="  ", author=None, channel="web")
    assert Post.objects.count() == 1


def test_members_reply_on_the_web_and_facilitators_enter_letters(
    thread, charlie, bob, jean, client
):
    client.force_login(charlie)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Enter a reply that came by letter" not in page
    client.post(thread.get_absolute_url(), {"form": "reply", "body": "Keep the phone tree."})
    client.post(
        thread.get_absolute_url(),
        {"form": "staff", "author": jean.pk, "channel": "letter", "body": "Sneaky"},
    )
    assert list(thread.posts.values_list("body", "channel")) == [
        ("Over to you.", "web"),
        ("Keep the phone tree.", "web"),
    ]
    client.force_login(bob)
    client.post(
        thread.get_absolute_url(),
        {"form": "staff", "author": jean.pk, "channel": "letter", "body": "By post."},
    )
    post = thread.posts.last()
    assert (post.author, post.channel, post.entered_by) == (jean, "letter", bob)
    assert "entered by" in client.get(thread.get_absolute_url()).content.decode()


def test_the_list_finds_conversations_by_their_words(thread, charlie, client):
    client.force_login(charlie)
    assert thread.title in client.get("/conversations/?q=over+to").content.decode()
    assert "No conversations yet." in client.get("/conversations/?q=zebra").content.decode()
