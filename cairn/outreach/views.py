from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from cairn.core.roles import member_required
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.outreach.services import OutreachError
from cairn.outreach.services import unsubscribe as do_unsubscribe


@csrf_exempt  # mail clients POST one-click unsubscribes (RFC 8058) without a CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # A GET only shows the button so that link scanners cannot unsubscribe people.
    if request.method != "POST":
        return render(request, "outreach/unsubscribe.html", {"token": token})
    try:
        consent = do_unsubscribe(token)
    except OutreachError as error:
        return render(request, "outreach/unsubscribe.html", {"error": str(error)}, status=400)
    return render(request, "outreach/unsubscribe.html", {"done": consent})


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    deliveries = (
        Delivery.objects.filter(person=person, status=DeliveryStatus.DELIVERED, channel="web")
        if person
        else Delivery.objects.none()
    )
    deliveries.filter(seen_at__isnull=True).update(seen_at=timezone.now())
    return render(request, "outreach/inbox.html", {"deliveries": deliveries[:50]})
