from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.core.roles import Role, role_of
from cairn.events.selectors import visible_events
from cairn.members.models import Organisation, Person


def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "core/welcome.html")
    return render(request, "core/home.html", home_context(request, role))


def home_context(request: HttpRequest, role: Role) -> dict:
    events = visible_events(request.user)
    now = timezone.now()
    context = {
        "upcoming": events.filter(ends_at__gte=now).order_by("starts_at")[:5],
        "past": events.filter(ends_at__lt=now)[:5],
    }
    if role == Role.COORDINATOR:
        context["totals"] = {
            "organisations": Organisation.objects.count(),
            "people": Person.objects.count(),
            "contributions": Contribution.objects.count(),
            "offline": Contribution.objects.filter(
                channel__in=ContributionChannel.offline()
            ).count(),
        }
    return context
