from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cairn.contributions.models import ContributionChannel
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
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(author_name__icontains=q))
    if channel in ContributionChannel.values:
        qs = qs.filter(channel=channel)
    if event:
        # An id no database column could hold matches nothing (SQLite would raise).
        event_id = id_param(event)
        qs = qs.filter(event_id=event_id) if event_id else qs.none()
    return render(
        request,
        "contributions/list.html",
        {
            "page_obj": paginate(request, qs),
            "q": q,
            "channel": channel,
            "channels": ContributionChannel.choices,
        },
    )


@member_required
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(visible_contributions(request.user), pk=pk)
    return render(request, "contributions/detail.html", {"c": contribution})
