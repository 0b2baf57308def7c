from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import visible_contributions
from cairn.core.roles import Role, member_required, role_of
from cairn.events.models import AgendaItem, BreakoutGroup, Registration, RegistrationStatus
from cairn.events.selectors import visible_events
from cairn.lib.paging import paginate


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    qs = visible_events(request.user)
    when = request.GET.get("when", "")
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now)
    return render(request, "events/list.html", {"page_obj": paginate(request, qs), "when": when})


@member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        visible_events(request.user).prefetch_related(
            Prefetch("agenda_items", AgendaItem.objects.select_related("speaker__organisation")),
            "breakout_themes",
        ),
        pk=pk,
    )
    role = role_of(request.user)
    person = getattr(request.user, "person", None)
    contributions = visible_contributions(request.user).filter(event=event)
    notes_by_theme = {}
    for theme in event.breakout_themes.all():
        notes_by_theme[theme] = [c for c in contributions if c.theme_id == theme.pk]
    channel_counts = (
        Contribution.objects.filter(event=event)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    channel_labels = dict(ContributionChannel.choices)
    context = {
        "event": event,
        "role": role,
        "my_registration": Registration.objects.filter(event=event, person=person).first()
        if person
        else None,
        "notes_by_theme": notes_by_theme,
        "can_read_notes": role is not None and role >= Role.FACILITATOR,
        "other_contributions": [c for c in contributions if c.theme_id is None],
        "channel_counts": [
            (channel_labels.get(r["channel"], r["channel"]), r["n"]) for r in channel_counts
        ],
        "waitlisted_count": event.registrations.filter(
            status=RegistrationStatus.WAITLISTED
        ).count(),
        "groups": BreakoutGroup.objects.filter(event=event)
        .select_related("theme", "facilitator", "note_taker")
        .annotate(size=Count("members")),
    }
    if role == Role.COORDINATOR:
        context["registrations"] = event.registrations.select_related(
            "person__organisation"
        ).filter(~Q(status=RegistrationStatus.CANCELLED))
    return render(request, "events/detail.html", context)


@member_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(visible_events(request.user), pk=pk)
    if role_of(request.user) != Role.COORDINATOR:
        return render(request, "403.html", status=403)
    qs = event.registrations.select_related("person__organisation", "entered_by")
    return render(
        request,
        "events/registrations.html",
        {"event": event, "page_obj": paginate(request, qs, 50)},
    )
