from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.selectors import visible_contributions
from cairn.core.roles import facilitator_required, member_required
from cairn.lib.paging import paginate
from cairn.lib.safety import id_param


@facilitator_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    qs = visible_contributions(request.user)
    q = request.GET.get("q", "").strip()
    channel = request.GET.get("channel", "")
    event = request.GET.get("event", "")
    shown_event = None
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(author_name__icontains=q))
    if channel in ContributionChannel.values:
        qs = qs.filter(channel=channel)
    if event:
        # An id no database column could hold matches nothing (SQLite would raise).
        event_id = id_param(event)
        qs = qs.filter(event_id=event_id) if event_id else qs.none()
        # Named on the page and kept by the filter form: a list cut to one event said
        # nothing of it, and filtering by words or channel dropped it. Through the
        # relation, not an import: events sits above contributions.
        event_model = Contribution._meta.get_field("event").related_model
        shown_event = event_model.objects.filter(pk=event_id).first() if event_id else None
    return render(
        request,
        "contributions/list.html",
        {
            "page_obj": paginate(request, qs),
            "q": q,
            "channel": channel,
            "channels": ContributionChannel.choices,
            "event": shown_event,
        },
    )


@member_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(visible_contributions(request.user), pk=pk)
    return render(request, "contributions/detail.html", {"c": contribution})
