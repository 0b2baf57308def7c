"""What members holds about a person beyond their details: consent, the audit trail of
their record, and their login's traces elsewhere.

The person's own record (details, login) is exported and cleared by
`members.services.person_data` and `erase_person` themselves; these entries answer for
the rest.
"""

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from cairn.core.datarights import STAFF, PersonData, Rows, register
from cairn.core.models import AuditEntry
from cairn.core.retention import scrub_reports
from cairn.members.models import ChannelConsent, Consent, ImportJob, Person

ERASED_MARK = "[erased person]"


consents = Rows(Consent, "person", ["purpose", "granted", "method", "recorded_at", "note"])

register(
    PersonData(
        key="consents",
        title=_("Consent"),
        rows=consents,
        erase=consents.delete,
        kept={
            "members.Consent.recorded_by": STAFF,
            "members.ImportJob.created_by": STAFF,
            "members.Person.user": "closed and unlinked by members.services.erase_person",
        },
        order=10,
    )
)


channel_consents = Rows(
    ChannelConsent, "person", ["channel", "granted", "method", "recorded_at", "note"]
)

register(
    PersonData(
        key="channel_consents",
        title=_("Ways of contact refused"),
        rows=channel_consents,
        erase=channel_consents.delete,
        kept={"members.ChannelConsent.recorded_by": STAFF},
        order=11,
    )
)


def _audit(person: Person) -> list[dict[str, Any]]:
    return [
        {"when": e.created_at.isoformat(), "action": e.action, "summary": e.summary}
        for e in AuditEntry.objects.filter(
            object_type=person._meta.label_lower, object_id=str(person.pk)
        )
    ]


def _erase_name_from_logs(person: Person) -> int:
    """The audit and admin logs stay (who did what), but no longer name the person."""
    changed = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).update(object_repr=ERASED_MARK, change_message="")
    full_name = person.full_name
    if full_name:
        for entry in AuditEntry.objects.filter(summary__contains=full_name):
            entry.summary = entry.summary.replace(full_name, ERASED_MARK)
            entry.save(update_fields=["summary"])
            changed += 1
    return changed


register(
    PersonData(
        key="audit",
        title=_("Changes to your record"),
        export=_audit,
        erase=_erase_name_from_logs,
        kept={"core.AuditEntry.actor": STAFF, "admin.LogEntry.user": STAFF},
        order=1000,
    )
)


def _email_addresses(person: Person) -> list[dict[str, Any]]:
    model = apps.get_model("account", "EmailAddress")
    if not person.user_id:
        return []
    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in model.objects.filter(user_id=person.user_id)
    ]


def _erase_email_addresses(person: Person) -> int:
    model = apps.get_model("account", "EmailAddress")
    if not person.user_id:
        return 0
    deleted, _ = model.objects.filter(user_id=person.user_id).delete()
    return deleted


# django-allauth keeps a login's email addresses in its own table; erasure closes the
# login, so its addresses go too.
if apps.is_installed("allauth.account"):
    register(
        PersonData(
            key="login_emails",
            title=_("Email addresses of your login"),
            export=_email_addresses,
            erase=_erase_email_addresses,
            relations=("account.EmailAddress.user",),
            order=15,
        )
    )


def _erase_from_imports(person: Person) -> int:
    # A member import's report quotes the rows it refused; either may name the person. An
    # upload still waiting for its confirmation keeps the whole file, which may list them:
    # it goes now (uploaded again, it is previewed again), not after the retention days.
    from cairn.members.import_jobs import discard_abandoned_imports

    discarded = discard_abandoned_imports(timedelta(0), why="let go with an erasure")
    return discarded + scrub_reports(ImportJob.objects.all(), [person.full_name, person.email])


register(
    PersonData(
        key="member_import_reports",
        title=_("Imported member lists"),
        erase=_erase_from_imports,
        order=16,
    )
)
