from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.conversations.forms import (
    FollowForm,
    HeldDecisionForm,
    ReplyForm,
    StaffEntryForm,
    ThreadForm,
    WhichForm,
)
from cairn.conversations.models import Follow, HeldReply, HeldStatus, PostChannel, Thread
from cairn.conversations.services import email_replies, threads
from cairn.conversations.services.email_replies import reply_address
from cairn.core.roles import Role, coordinator_required, has_role, member_required
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.lib.safety import id_param
from cairn.members.models import Person


def _person(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user=request.user).first()


@member_required
def thread_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Thread.objects.select_related("event", "theme")
        .annotate(n_posts=Count("posts"))
        .order_by("-last_post_at", "-id")
    )
    q = request.GET.get("q", "").strip()
    event = request.GET.get("event", "")
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(topic__icontains=q) | Q(posts__body__icontains=q)
        ).distinct()
    if event:
        # An id no database column could hold matches nothing (SQLite would raise).
        event_id = id_param(event)
        qs = qs.filter(event_id=event_id) if event_id else qs.none()
    held_count = (
        HeldReply.objects.filter(status=HeldStatus.HELD).count()
        if has_role(request.user, Role.COORDINATOR)
        else 0
    )
    return render(
        request,
        "conversations/list.html",
        {"page_obj": paginate(request, qs), "q": q, "held_count": held_count},
    )


@member_required
def thread_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("event", "").isdigit():
        initial["event"] = int(request.GET["event"])
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = threads.start_thread(
                actor=request.user, author=_person(request), **form.cleaned_data
            )
        except threads.ConversationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Conversation started. You will get a digest of new replies.")
            )
            return redirect(thread)
    return render(request, "conversations/new.html", {"form": form})


@member_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("event", "theme"), pk=pk)
    person = _person(request)
    staff = has_role(request.user, Role.FACILITATOR)
    posted = WhichForm(request.POST).posted()
    form = ReplyForm(request.POST if posted == "reply" else None, thread=thread)
    staff_form = StaffEntryForm(request.POST if posted == "staff" else None)
    if request.method == "POST":
        try:
            if posted == "staff" and staff and staff_form.is_valid():
                threads.enter_post(thread, actor=request.user, **staff_form.cleaned_data)
                messages.success(request, _("Reply entered."))
                return redirect(thread)
            if posted == "reply" and form.is_valid():
                threads.add_post(
                    thread,
                    body=form.cleaned_data["body"],
                    author=person,
                    channel=PostChannel.WEB,
                    parent=form.cleaned_data["parent"],
                    author_name=request.user.get_full_name() or request.user.get_username(),
                )
                messages.success(request, _("Reply posted."))
                return redirect(thread)
        except threads.ConversationError as exc:
            (staff_form if posted == "staff" else form).add_error(None, str(exc))
    return render(
        request,
        "conversations/detail.html",
        {
            "thread": thread,
            "posts": thread.posts.select_related("author", "entered_by"),
            "form": form,
            "staff_form": staff_form if staff else None,
            "following": person is not None
            and Follow.objects.filter(thread=thread, person=person).exists(),
            "has_person": person is not None,
            "reply_address": reply_address(thread, person) if person else "",
        },
    )


@member_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    person = _person(request)
    if person is None:
        messages.error(
            request, _("Your account is not linked to a member record, so it cannot follow.")
        )
    elif not (form := FollowForm(request.POST)).is_valid():
        messages.error(request, first_error(form))
    else:
        follow = form.cleaned_data["follow"]
        threads.set_following(thread, person, follow=follow)
        messages.success(
            request,
            _("You follow this conversation.")
            if follow
            else _("You no longer follow this conversation."),
        )
    return redirect(thread)


@coordinator_required
def held_list(request: HttpRequest) -> HttpResponse:
    """Emailed replies that may be forged, waiting for a coordinator."""
    held = HeldReply.objects.filter(status=HeldStatus.HELD).select_related("thread", "person")
    return render(request, "conversations/held.html", {"page_obj": paginate(request, held)})


@coordinator_required
@require_POST
def held_decide(request: HttpRequest, pk: int) -> HttpResponse:
    held = get_object_or_404(HeldReply, pk=pk)
    form = HeldDecisionForm(request.POST)
    try:
        if not form.is_valid():
            messages.error(request, first_error(form))
        elif form.cleaned_data["decision"] == "approve":
            email_replies.approve_held(held, request.user)
            messages.success(request, _("The reply is posted."))
        else:
            email_replies.reject_held(held, request.user)
            messages.success(request, _("The reply was rejected and not posted."))
    except email_replies.EmailReplyError as exc:
        messages.error(request, str(exc))
    return redirect("conversations:held")
