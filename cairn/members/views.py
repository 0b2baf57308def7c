from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cairn.core.roles import coordinator_required, is_coordinator, member_required
from cairn.lib.paging import paginate
from cairn.members.models import Organisation, Person, Sector


@member_required
def organisations(request: HttpRequest) -> HttpResponse:
    qs = Organisation.objects.annotate(people_count=Count("people"))
    q = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    region = request.GET.get("region", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(topics__icontains=q) | Q(description__icontains=q))
    if sector in Sector.values:
        qs = qs.filter(sector=sector)
    if region:
        qs = qs.filter(region=region)
    regions = (
        Organisation.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    sector_counts = dict(
        Organisation.objects.values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )
    return render(
        request,
        "members/organisations.html",
        {
            "page_obj": paginate(request, qs.order_by("name")),
            "q": q,
            "sector": sector,
            "region": region,
            "sectors": [
                (value, label, sector_counts.get(value, 0)) for value, label in Sector.choices
            ],
            "regions": regions,
        },
    )


@member_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    people = org.people.filter(anonymised_at__isnull=True)
    if not is_coordinator(request.user):
        # Members decide what of themselves other members see.
        people = people.filter(visible_in_directory=True)
    return render(request, "members/organisation.html", {"org": org, "people": people})


@coordinator_required
def people(request: HttpRequest) -> HttpResponse:
    qs = Person.objects.select_related("organisation").filter(anonymised_at__isnull=True)
    q = request.GET.get("q", "").strip()
    channel = request.GET.get("channel", "")
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if channel:
        qs = qs.filter(preferred_channel=channel)
    return render(
        request,
        "members/people.html",
        {"page_obj": paginate(request, qs), "q": q, "channel": channel},
    )


@member_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    own = getattr(request.user, "person", None) == p
    coordinator = is_coordinator(request.user)
    if not (coordinator or own or p.visible_in_directory):
        return render(request, "404.html", status=404)
    return render(
        request,
        "members/person.html",
        {"p": p, "show_private": coordinator or own},
    )
