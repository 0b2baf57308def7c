"""A person's consent per purpose, each answer recorded with how it was given."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import Consent, ConsentMethod, ConsentPurpose, Person
from cairn.members.services.errors import PersonError


@transaction.atomic
def set_consent(
    person: Person,
    purpose: str,
    *,
    granted: bool,
    method: str,
    user: Any,
    note: str = "",
    when: Any = None,
) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise PersonError(_("Unknown purpose “%(purpose)s”.") % {"purpose": purpose})
    consent, _created = Consent.objects.update_or_create(
        person=person,
        purpose=purpose,
        defaults={
            "granted": granted,
            "method": method,
            "recorded_at": when or timezone.now(),
            "recorded_by": user if getattr(user, "is_authenticated", False) else None,
            "note": note[:300],
        },
    )
    audit.record(
        user,
        "consent.granted" if granted else "consent.withdrawn",
        person,
        _("%(purpose)s: %(answer)s (%(method)s)")
        % {
            "purpose": ConsentPurpose(purpose).label,
            "answer": _("yes") if granted else _("no"),
            "method": ConsentMethod(method).label if method in ConsentMethod.values else method,
        },
    )
    return consent
