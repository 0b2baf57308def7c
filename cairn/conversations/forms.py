from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.conversations.models import Post, PostChannel, Thread
from cairn.events.models import BreakoutTheme, Event, EventStatus
from cairn.lib.forms import flag
from cairn.lib.safety import SingleLineFields
from cairn.members.models import Person


class ThreadForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    # Draft events are not announced yet: members neither see nor talk about them.
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.exclude(status=EventStatus.DRAFT), required=False
    )
    theme = forms.ModelChoiceField(
        label=_("Breakout theme"),
        queryset=BreakoutTheme.objects.select_related("event").exclude(
            event__status=EventStatus.DRAFT
        ),
        required=False,
    )
    topic = forms.CharField(
        label=_("Or a theme of its own"),
        max_length=100,
        required=False,
        help_text=_("When the conversation is not about one event"),
    )
    body = forms.CharField(label=_("First message"), widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
    # The post answered, when a reply answers one; only a post of this conversation.
    parent = forms.ModelChoiceField(
        queryset=Post.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("The message you replied to is not in this conversation.")
        },
    )

    def __init__(self, *args: Any, thread: Thread, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Post.objects.filter(thread=thread)


class WhichForm(forms.Form):
    """Which of the page's forms was posted: a member's reply or a facilitator's entry."""

    form = forms.ChoiceField(choices=[("reply", "reply"), ("staff", "staff")], required=False)

    def posted(self) -> str:
        return self.cleaned_data.get("form", "") if self.is_valid() else ""


class FollowForm(forms.Form):
    # "Follow" posts 1, "Stop following" posts 0.
    follow = flag(default=False)


class HeldDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject")],
        error_messages={
            "required": _("Choose whether to post or reject the reply."),
            "invalid_choice": _("Choose whether to post or reject the reply."),
        },
    )


class StaffEntryForm(forms.Form):
    author = forms.ModelChoiceField(
        label=_("Who said it"),
        queryset=Person.objects.filter(anonymised_at__isnull=True),
        required=False,
        empty_label=_("Not a member / anonymous"),
    )
    author_name = forms.CharField(label=_("Name given (if not a member)"), required=False)
    channel = forms.ChoiceField(
        label=_("How it reached us"),
        choices=[
            (PostChannel.LETTER.value, PostChannel.LETTER.label),
            (PostChannel.PHONE.value, PostChannel.PHONE.label),
        ],
    )
    body = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 4}))
