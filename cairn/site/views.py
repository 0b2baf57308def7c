"""The home page at `/`: members see their start page (and the coordinator what needs them
now); everyone else the network's public front door."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.core.network import defaults, network, saved_profile, update_network
from cairn.core.roles import Role, coordinator_required, role_of
from cairn.events.selectors import visible_events, with_my_place
from cairn.members.models import Organisation, Person
from cairn.public.selectors import contact, public_consultations, public_events
from cairn.reports.models import Report
from cairn.site.dashboard import needs_now
from cairn.site.forms import NetworkForm


def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return front_door(request)
    context = start_context(request, role)
    if role == Role.COORDINATOR:
        context["needs"] = needs_now()
    return render(request, "site/home.html", context)


def front_door(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "site/front_door.html",
        {
            "upcoming": public_events().filter(ends_at__gte=now).order_by("starts_at", "pk")[:6],
            "consultations": public_consultations().order_by("closes_on", "-created_at")[:5],
            "reports": Report.objects.filter(published_doc__isnull=False).order_by("-published_at")[
                :5
            ],
            "contact": contact(),
        },
    )


def start_context(request: HttpRequest, role: Role) -> dict:
    events = with_my_place(visible_events(request.user), request.user)
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


@coordinator_required
def network_settings(request: HttpRequest) -> HttpResponse:
    """The network's name and how to reach it; coordinators only, every change audited."""
    form = NetworkForm(request.POST or None, initial=saved_profile(), defaults=defaults())
    if request.method == "POST" and form.is_valid():
        update_network(request.user, **form.cleaned_data)
        messages.success(request, _("Network settings saved."))
        return redirect("network_settings")
    return render(request, "site/network_settings.html", {"form": form, "network": network()})
