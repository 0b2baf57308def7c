"""The new words of emailed replies from real clients (tests/fixtures/email, sources in
its README), in English, German and Russian, above or below the quote."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.conversations.models import Post
from cairn.conversations.services.email_replies import (
    EmailReplyError,
    ingest_email,
    reply_address,
)
from cairn.conversations.services.reply_text import html_to_text, new_text, reply_from_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "email"


def _message(name: str):
    return BytesParser(policy=policy.default).parsebytes((FIXTURES / name).read_bytes())


@pytest.mark.parametrize(
    "name",
    [
        "gmail.eml",  # "On ... wrote:" then "> Hi"
        "aol.eml",  # "-----Original Message-----"
        "yahoo.eml",  # "----- Original Message -----"
        "outlook.eml",  # "From: ... Sent: ... To:" with the earlier mail unquoted
        "apple_mail.eml",
        "hotmail.eml",
        "thunderbird.eml",  # bottom-posted: the quote first, "Hello" below it
    ],
)
def test_real_replies_from_each_client_give_only_the_new_words(name):
    assert new_text(_message(name)) == "Hello"


@pytest.mark.parametrize(
    "name",
    [
        "gmail.html",
        "hotmail.html",
        "thunderbird.html",
        "ms_outlook_2003.html",
        "ms_outlook_2010.html",
        "windows_mail.html",
        "mail_ru.html",  # "... от Alexander L <abc@example.com>:" above a blockquote
        "yandex_ru.html",
    ],
)
def test_real_html_replies_lose_their_quote_blocks(name):
    text = reply_from_text(html_to_text((FIXTURES / name).read_text(errors="replace")))
    assert text.split() == ["Hi.", "I", "am", "fine.", "Thanks,", "Alex"]


def test_a_gmx_html_only_reply_posts_only_its_two_paragraphs(thread, rosie):
    message = _message("gmx_html_only.eml")
    text = new_text(message)
    assert text.startswith("One additional remark:")
    assert text.endswith("display is usually distorted...")
    assert "Gesendet" not in text and "wayland" not in text and len(text) < 300
    # And end to end through the ingest, from a member to the thread's address.
    del message["From"], message["To"]
    message["From"] = "rosie@library.example"
    message["To"] = reply_address(thread, rosie)
    post = ingest_email(bytes(message))
    assert post.body == text and Post.objects.filter(thread=thread).count() >= 1


@pytest.mark.parametrize(
    "text, expected",
    [
        # Gmail/Thunderbird in German, top-posted
        (
            "Danke, ich komme gern.\n\nViele Grüße\nAnna\n\n"
            "Am Mo., 3. Nov. 2025 um 10:12 Uhr schrieb Cairn <replies@example.org>:\n"
            "> Hallo Anna,\n> bitte antworten.\n",
            "Danke, ich komme gern.\n\nViele Grüße\nAnna",
        ),
        # Outlook in German
        (
            "Ja, passt.\n\nVon: Cairn <replies@example.org>\nGesendet: Montag, 3. November 2025\n"
            "An: Anna\nBetreff: Treffen\n\nHallo Anna",
            "Ja, passt.",
        ),
        # Russian "wrote" header and Outlook in Russian
        (
            "Да, приду.\n\n3 нояб. 2025 г., в 10:12, Cairn <r@example.org> написал(а):\n> Привет",
            "Да, приду.",
        ),
        (
            "Спасибо.\n\nОт: Cairn <r@example.org>\nОтправлено: 3 ноября 2025 г.\nКому: Анна\n\nТекст",
            "Спасибо.",
        ),
        # Thunderbird bottom-posting in German, with a header wrapped over two lines
        (
            "Am 03.11.2025 um 10:12 schrieb Cairn\n<replies@example.org>:\n> Wie war es?\n>\n\n"
            "Sehr gut, danke.\n",
            "Sehr gut, danke.",
        ),
        # German "sent from" signature and a reply below an interleaved quote
        ("Gern.\n\nVon meinem iPhone gesendet", "Gern."),
        ("> Question one?\nAnswer one.\n> Question two?\nAnswer two.", "Answer one.\nAnswer two."),
    ],
)
def test_german_and_russian_headers_and_bottom_posting(text, expected):
    assert reply_from_text(text) == expected


def test_a_reply_that_is_only_a_quote_is_refused(thread, rosie):
    message = _message("gmail.eml")
    del message["From"], message["To"]
    message["From"] = "rosie@library.example"
    message["To"] = reply_address(thread, rosie)
    only_quote = bytes(message).replace(b"Hello\n", b"\n").replace(b"Hello<br>", b"<br>")
    with pytest.raises(EmailReplyError, match="no new text"):
        ingest_email(only_quote)
    assert not Post.objects.filter(thread=thread, channel="email").exists()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_crashes_the_reply_parser(text):
    assert isinstance(reply_from_text(text), str)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.html"))), st.data())
def test_cut_short_html_never_crashes(name, data):
    html = (FIXTURES / name).read_text(errors="replace")
    cut = data.draw(st.integers(min_value=0, max_value=len(html)))
    assert isinstance(reply_from_text(html_to_text(html[:cut])), str)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=500))
def test_random_bytes_are_refused_with_a_reason_and_post_nothing(db, data):
    try:
        ingest_email(data)
    except EmailReplyError as exc:
        assert str(exc)
    assert not Post.objects.filter(channel="email").exists()
