"""A person's own link to their registration, sent in the notices they get: a visitor has
no login, so without it "tell us if you can no longer come" meant a phone call."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cairn.events.models import Registration

OWN_LINK_SALT = "cairn.events.own-registration"


def own_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk}, salt=OWN_LINK_SALT)


def own_link(registration: Registration) -> str:
    path = reverse("public:my_registration", args=[own_token(registration)])
    return f"{settings.SITE_URL}{path}"


def registration_for_link(token: str) -> Registration | None:
    """The registration an own_link was made for; None for a link tampered with."""
    try:
        pk = int(signing.loads(token, salt=OWN_LINK_SALT)["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Registration.objects.select_related("event", "person").filter(pk=pk).first()
