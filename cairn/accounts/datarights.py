"""What accounts hold about a person: invitations to log in and a request to join."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Invite, JoinRequest
from cairn.core.datarights import STAFF, PersonData, register
from cairn.members.models import Person


def _invites(person: Person) -> list[dict[str, Any]]:
    # Never the code: only its hash is stored, and it is no business of an export.
    return [
        {
            "channel": i.channel,
            "created_at": i.created_at.isoformat(),
            "expires_at": i.expires_at.isoformat(),
            "used_at": i.used_at.isoformat() if i.used_at else None,
            "revoked_at": i.revoked_at.isoformat() if i.revoked_at else None,
        }
        for i in Invite.objects.filter(person=person)
    ]


def _erase_invites(person: Person) -> int:
    deleted, _counts = Invite.objects.filter(person=person).delete()
    return deleted


register(
    PersonData(
        key="login_invitations",
        title=_("Invitations to log in"),
        export=_invites,
        erase=_erase_invites,
        relations=("accounts.Invite.person",),
        kept={"accounts.Invite.created_by": STAFF},
        order=20,
    )
)


def _join_requests(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "first_name": r.first_name,
            "last_name": r.last_name,
            "organisation": r.organisation_name,
            "sector": r.sector,
            "email": r.email,
            "phone": r.phone,
            "address": r.address,
            "message": r.message,
            "consents": r.consents,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in JoinRequest.objects.filter(person=person)
    ]


def _erase_join_requests(person: Person) -> int:
    # The request repeats the person's details word for word, so it goes whole.
    deleted, _counts = JoinRequest.objects.filter(person=person).delete()
    return deleted


register(
    PersonData(
        key="join_requests",
        title=_("Your request to join"),
        export=_join_requests,
        erase=_erase_join_requests,
        relations=("accounts.JoinRequest.person",),
        kept={"accounts.JoinRequest.decided_by": STAFF},
        order=21,
    )
)
