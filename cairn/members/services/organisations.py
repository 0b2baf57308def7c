"""Organisations on file: create, update, archive."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import Organisation
from cairn.members.services.errors import PersonError

ORGANISATION_FIELDS = [
    "name",
    "sector",
    "region",
    "topics",
    "description",
    "website",
    "how_to_work_with_us",
    "contact_email",
    "contact_phone",
    "listed_publicly",
]


@transaction.atomic
def update_organisation(org: Organisation, changes: dict[str, Any], user: Any) -> list[str]:
    fields = ORGANISATION_FIELDS
    before = {f: getattr(org, f) for f in fields}
    for field in fields:
        if field in changes:
            setattr(org, field, changes[field])
    changed = [f for f in fields if before[f] != getattr(org, f)]
    if changed:
        org.save()
        audit.record(
            user,
            "organisation.updated",
            org,
            _("Changed %(fields)s") % {"fields": ", ".join(changed)},
        )
    return changed


@transaction.atomic
def create_organisation(details: dict[str, Any], user: Any) -> Organisation:
    name = (details.get("name") or "").strip()
    if not name:
        raise PersonError(_("An organisation needs a name."))
    if Organisation.objects.filter(name__iexact=name).exists():
        raise PersonError(
            _("An organisation called “%(name)s” is already on file.") % {"name": name}
        )
    org = Organisation.objects.create(
        **{f: details[f] for f in ORGANISATION_FIELDS if f in details} | {"name": name}
    )
    audit.record(user, "organisation.created", org, _("Added %(name)s") % {"name": org.name})
    return org


@transaction.atomic
def archive_organisation(org: Organisation, user: Any, *, archived: bool = True) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if (org.archived_at is not None) == archived:
        return org
    org.archived_at = timezone.now() if archived else None
    org.save(update_fields=["archived_at"])
    audit.record(
        user,
        "organisation.archived" if archived else "organisation.restored",
        org,
        (_("Archived %(name)s") if archived else _("Restored %(name)s")) % {"name": org.name},
    )
    return org
