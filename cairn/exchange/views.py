from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cairn.core.roles import is_coordinator, member_required
from cairn.exchange import services
from cairn.exchange.forms import ContactForm, ListingForm
from cairn.exchange.models import Listing, ListingCategory, ListingKind
from cairn.lib.paging import paginate
from cairn.members.models import Organisation, Person


def _person(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user=request.user).select_related("organisation").first()


def _regions() -> list[str]:
    return sorted(set(Organisation.objects.exclude(region="").values_list("region", flat=True)))


@member_required
def listing_list(request: HttpRequest) -> HttpResponse:
    params = {
        k: request.GET.get(k, "").strip() for k in ("q", "kind", "category", "region", "topic")
    }
    qs = services.search(services.open_listings(), **params)
    return render(
        request,
        "exchange/list.html",
        {
            "page_obj": paginate(request, qs),
            **params,
            "kinds": ListingKind.choices,
            "categories": ListingCategory.choices,
            "regions": _regions(),
        },
    )


@member_required
def listing_create(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    initial = {"kind": request.GET.get("kind", ListingKind.NEED)}
    if person and person.organisation_id:
        initial |= {"organisation": person.organisation_id, "region": person.organisation.region}
    form = ListingForm(request.POST or None, initial=initial)
    if not is_coordinator(request.user):
        # Members post for their own organisation only.
        own = Organisation.objects.filter(pk=getattr(person, "organisation_id", None))
        form.fields["organisation"].queryset = own
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.post_listing(
                actor=request.user, contact_person=person, **form.cleaned_data
            )
        except services.ExchangeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Posted. Here are the suggested matches."))
            return redirect(listing)
    return render(
        request,
        "exchange/edit.html",
        {"form": form, "has_org": form.fields["organisation"].queryset.exists()},
    )


@member_required
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(
        Listing.objects.select_related("organisation", "contact_person"), pk=pk
    )
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        about_id = form.cleaned_data.get("about")
        about = Listing.objects.filter(pk=about_id).first() if about_id else None
        try:
            services.start_contact(
                listing, actor=request.user, message=form.cleaned_data["message"], about=about
            )
        except services.ExchangeError as exc:
            form.add_error("message", str(exc))
        else:
            messages.success(
                request,
                _("Your message was passed on to %(org)s by their preferred channel.")
                % {"org": listing.organisation},
            )
            return redirect(listing)
    return render(
        request,
        "exchange/detail.html",
        {
            "listing": listing,
            "suggestions": [
                (other, services.explain(match))
                for other, match in (services.suggestions_for(listing) if listing.is_open else [])
            ],
            "form": form,
            "can_manage": services.can_manage(request.user, listing),
        },
    )


@member_required
def listing_close(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=pk)
    if not services.can_manage(request.user, listing):
        raise PermissionDenied
    if request.method == "POST":
        services.close_listing(listing, actor=request.user)
        messages.success(request, _("Closed. It no longer appears in matches."))
        return redirect(listing)
    return render(request, "exchange/confirm_close.html", {"listing": listing})


def guide(request: HttpRequest) -> HttpResponse:
    """Start here moved to the public front door: no login needed to see who needs what."""
    query = request.GET.urlencode()
    return redirect(reverse("public:start_here") + (f"?{query}" if query else ""))
