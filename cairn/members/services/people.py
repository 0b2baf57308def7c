"""A person's details: create, update, find likely duplicates, archive, and a person's
own "My details".
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import ConsentMethod, ConsentPurpose, Organisation, Person
from cairn.members.services.consent import set_consent
from cairn.members.services.errors import PersonError
from cairn.members.signals import person_email_changed

PERSON_DETAIL_FIELDS = [
    "first_name",
    "last_name",
    "organisation",
    "job_title",
    "sector",
    "region",
    "email",
    "phone",
    "address",
    "postcode",
    "preferred_channel",
    "access_needs",
    "access_notes",
    "language",
    "visible_in_directory",
    "listed_publicly",
    "show_email",
    "show_phone",
]


VISIBILITY_FIELDS = ["visible_in_directory", "listed_publicly", "show_email", "show_phone"]


def _changed(before: dict[str, Any], person: Person, fields: list[str]) -> list[str]:
    return [f for f in fields if before.get(f) != getattr(person, f)]


@transaction.atomic
def update_person(person: Person, changes: dict[str, Any], user: Any) -> list[str]:
    """Apply changed details; the audit entry lists field names, never the values."""
    if person.anonymised_at is not None:
        raise PersonError(_("This person's details were erased."))
    fields = [f for f in changes if f in PERSON_DETAIL_FIELDS]
    before = {f: getattr(person, f) for f in fields}
    for field in fields:
        setattr(person, field, changes[field])
    changed = _changed(before, person, fields)
    if changed:
        person.save()
        audit.record(
            user,
            "person.updated",
            person,
            _("Changed %(fields)s") % {"fields": ", ".join(changed)},
            fields=changed,
        )
        if "email" in changed:
            person_email_changed.send(
                sender=Person, person=person, old=before["email"], new=person.email, actor=user
            )
    return changed


def likely_duplicates(
    *,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    exclude: int | None = None,
) -> QuerySet[Person]:
    """People already on file who are probably the same person: same email, or same name
    and organisation (case-insensitive), the rule the member import uses too."""
    match = Q(pk__in=[])
    if email.strip():
        match |= Q(email__iexact=email.strip())
    if first_name.strip() and organisation is not None:
        match |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            organisation=organisation,
        )
    qs = Person.objects.filter(match, anonymised_at__isnull=True).select_related("organisation")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


@transaction.atomic
def create_person(
    details: dict[str, Any],
    user: Any,
    *,
    consents: list[str] | tuple[str, ...] = (),
    consent_method: str = "",
    consent_date: Any = None,
    source: str = "",
) -> Person:
    """Add a person with the consents they gave (each with its date and method)."""
    fields = {f: details[f] for f in PERSON_DETAIL_FIELDS if f in details}
    if not (fields.get("first_name") or "").strip():
        raise PersonError(_("A first name is needed."))
    person = Person.objects.create(**fields)
    audit.record(
        user,
        "person.created",
        person,
        (_("Added %(name)s (%(source)s)") if source else _("Added %(name)s"))
        % {"name": person.full_name, "source": source},
    )
    for purpose in consents:
        set_consent(
            person,
            purpose,
            granted=True,
            method=consent_method or "web",
            user=user,
            when=consent_date,
        )
    return person


@transaction.atomic
def put_own_login_on_file(user: Any, details: dict[str, Any]) -> Person:
    """Give a login with no person on file (the first coordinator, made by `cairn
    createsuperuser`) its own person: its "My details" page, and its row under Logins and
    roles, then work as everyone else's. A login already on file keeps its person."""
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    fields = {f: (details.get(f) or "").strip() for f in ("first_name", "last_name", "email")}
    if not fields["first_name"]:
        raise PersonError(_("A first name is needed."))
    if fields["email"] and likely_duplicates(email=fields["email"]).exists():
        # Joining the login to someone else's record would hand it their details.
        raise PersonError(
            _(
                "Someone on file already has this email address. Leave it empty here, or "
                "ask another coordinator to invite that person instead."
            )
        )
    person = Person.objects.create(user=user, **fields)
    audit.record(
        user,
        "person.created",
        person,
        _("Added %(name)s (their own login)") % {"name": person.full_name},
    )
    return person


@transaction.atomic
def archive_person(person: Person, user: Any, *, archived: bool = True) -> Person:
    """Archive (or bring back) a person: they leave lists, pickers and audiences."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (person.archived_at is not None) == archived:
        return person
    person.archived_at = timezone.now() if archived else None
    person.save(update_fields=["archived_at", "updated_at"])
    audit.record(
        user,
        "person.archived" if archived else "person.restored",
        person,
        (_("Archived %(name)s") if archived else _("Restored %(name)s"))
        % {"name": person.full_name},
    )
    return person


@transaction.atomic
def update_own_details(
    person: Person, changes: dict[str, Any], consents: Iterable[str], user: Any
) -> list[str]:
    """A person's own "My details": their details, and their ticks per purpose, each
    purpose whose answer changed recorded as given on the web. All or nothing; the names
    of what changed are returned."""
    changed = update_person(person, changes, user)
    wanted = set(consents)
    current = {c.purpose: c.granted for c in person.consents.all()}
    for purpose in ConsentPurpose.values:
        if current.get(purpose, False) != (purpose in wanted):
            set_consent(
                person, purpose, granted=purpose in wanted, method=ConsentMethod.WEB, user=user
            )
            changed.append(purpose)
    return changed
