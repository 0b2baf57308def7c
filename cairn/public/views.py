"""What anyone sees without logging in: the network, its events, Start here, the directory.

Reads only; the one write (registering for an event) goes through the events service that
every other registration uses, so capacity and the waiting list behave the same."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.events.forms import ranked_preferences
from cairn.events.links import registration_for_link
from cairn.events.models import Event, EventStatus, Registration, RegistrationStatus
from cairn.events.services import registration as reg_services
from cairn.exchange.models import Listing, ListingKind
from cairn.lib.paging import paginate
from cairn.members.models import AccessNeed, ConsentPurpose, Organisation, Person, Sector
from cairn.public.forms import CancelMyPlaceForm, PublicRegistrationForm
from cairn.public.selectors import contact, public_events
from cairn.reports.selectors import published_reports_for_event


def _my_registration(request: HttpRequest, event: Event) -> Registration | None:
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def events(request: HttpRequest) -> HttpResponse:
    """Every public event still to come, soonest first: the front door shows the first few."""
    upcoming = public_events().filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    return render(
        request,
        "public/events.html",
        {"page_obj": paginate(request, upcoming), "contact": contact()},
    )


def event(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(
        public_events().prefetch_related("agenda_items", "breakout_themes"), pk=pk
    )
    themes = list(ev.breakout_themes.all())
    form = PublicRegistrationForm(request.POST or None, themes=themes)
    open_now = ev.status == EventStatus.OPEN and ev.ends_at > timezone.now()
    if request.method == "POST" and open_now and form.is_valid():
        if form.is_bot:
            # Look the same to the bot, store nothing.
            return redirect("public:registered", pk=ev.pk)
        return _register(request, ev, form)
    mine = _my_registration(request, ev)
    full = ev.capacity is not None and ev.registered_count >= ev.capacity
    return render(
        request,
        "public/event.html",
        {
            "event": ev,
            "form": form if open_now else None,
            "open_now": open_now,
            "full": full,
            "places_left": None
            if ev.capacity is None
            else max(ev.capacity - ev.registered_count, 0),
            "mine": mine,
            "show_joining": mine is not None and mine.status == RegistrationStatus.REGISTERED,
            "contact": contact(),
            "access_needs": AccessNeed.choices,
            "reports": published_reports_for_event(ev),
        },
    )


def _register(request: HttpRequest, ev: Event, form: PublicRegistrationForm) -> HttpResponse:
    data = form.cleaned_data
    org_name = data["organisation"].strip()
    org = (
        Organisation.objects.filter(name__iexact=org_name, archived_at__isnull=True).first()
        if org_name
        else None
    )
    details = {
        "first_name": data["first_name"].strip(),
        "last_name": data["last_name"].strip(),
        "email": data["email"],
        "phone": data["phone"].strip(),
        "organisation": org,
        # An organisation not on file is kept as written, for a coordinator to link.
        "job_title": org_name if org_name and org is None else "",
        "sector": data["sector"],
        "access_needs": data["needs"],
        "access_notes": data["access_needs"],
    }
    consents = [ConsentPurpose.EVENT_INVITATIONS]
    if data["consent_quote"]:
        consents.append(ConsentPurpose.QUOTE)
    labels = dict(AccessNeed.choices)
    needs_text = "; ".join(
        [str(labels[n]) for n in data["needs"]]
        + ([data["access_needs"]] if data["access_needs"] else [])
    )
    try:
        registration, _created = reg_services.register_visitor(
            ev.pk,
            details,
            consents=consents,
            access_needs=needs_text,
            preferences=ranked_preferences(form),
        )
    except reg_services.RegistrationError as exc:
        messages.error(request, str(exc))
        return redirect("public:event", pk=ev.pk)
    request.session["public_registration"] = {
        "event": ev.pk,
        "status": registration.status,
        "by": "email"
        if registration.person.preferred_channel == "email"
        else registration.person.preferred_channel,
    }
    return redirect("public:registered", pk=ev.pk)


def registered(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(public_events(), pk=pk)
    done = request.session.get("public_registration") or {}
    if done.get("event") != ev.pk:
        done = {}
    return render(
        request,
        "public/registered.html",
        {"event": ev, "done": done, "contact": contact()},
    )


def my_registration(request: HttpRequest, token: str) -> HttpResponse:
    """The page a notice's "Cancel here" link opens: no login, the signed link is the key."""
    registration = registration_for_link(token)
    if registration is None:
        raise Http404
    still_to_come = registration.event.ends_at > timezone.now()
    form = CancelMyPlaceForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        # An old email's link must not turn who came into who cancelled once it is over.
        if still_to_come:
            reg_services.cancel(registration.pk, actor=None)
            messages.success(request, _("Your place is cancelled. Thank you for telling us."))
        else:
            messages.error(request, _("This event is over: there is nothing to cancel."))
        return redirect("public:my_registration", token=token)
    return render(
        request,
        "public/my_registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "still_to_come": still_to_come,
            "contact": contact(),
        },
    )


def start_here(request: HttpRequest) -> HttpResponse:
    """For someone new to the network: every open need and offer, one card per organisation."""
    region = request.GET.get("region", "").strip()
    topic = request.GET.get("topic", "").strip()
    listings = Listing.objects.filter(is_open=True, organisation__archived_at__isnull=True)
    if region:
        # A listing without a region is for wherever its organisation works.
        listings = listings.filter(
            Q(region__iexact=region)
            | Q(region="", organisation__region__iexact=region)
            | Q(region="", organisation__region="")
        )
    if topic:
        listings = listings.filter(
            Q(title__icontains=topic) | Q(description__icontains=topic) | Q(topics__icontains=topic)
        )
    orgs = (
        Organisation.objects.filter(pk__in=listings.values("organisation"))
        .prefetch_related(
            Prefetch("listings", listings.order_by("kind", "-created_at"), to_attr="open_listings")
        )
        .order_by("name")
    )
    regions = (
        Organisation.objects.exclude(region="")
        .filter(archived_at__isnull=True)
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    return render(
        request,
        "public/start_here.html",
        {
            "page_obj": paginate(request, orgs, 20),
            "region": region,
            "topic": topic,
            "regions": regions,
            "needs": listings.filter(kind=ListingKind.NEED).count(),
            "offers": listings.filter(kind=ListingKind.OFFER).count(),
            "contact": contact(),
        },
    )


def directory(request: HttpRequest) -> HttpResponse:
    """Only organisations and people who chose to be listed publicly."""
    q = request.GET.get("q", "").strip()
    sector = request.GET.get("sector", "")
    orgs = Organisation.objects.filter(listed_publicly=True, archived_at__isnull=True)
    people = Person.objects.filter(
        listed_publicly=True, anonymised_at__isnull=True, archived_at__isnull=True
    ).select_related("organisation")
    if q:
        orgs = orgs.filter(
            Q(name__icontains=q) | Q(topics__icontains=q) | Q(description__icontains=q)
        )
        people = people.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if sector in Sector.values:
        orgs = orgs.filter(sector=sector)
        people = people.filter(Q(sector=sector) | Q(sector="", organisation__sector=sector))
    return render(
        request,
        "public/directory.html",
        {
            "page_obj": paginate(request, orgs.order_by("name"), 30),
            # A page of its own, so turning the people's pages keeps the organisations' page.
            "people": Paginator(people.order_by("last_name", "first_name", "pk"), 50).get_page(
                request.GET.get("people_page")
            ),
            "searching": bool(q or sector in Sector.values),
            "q": q,
            "sector": sector,
            "sectors": Sector.choices,
        },
    )
