"""What accounts holds about a person: invitations to log in and their request to join."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Invite, JoinRequest
from cairn.core.datarights import STAFF, PersonData, register
from cairn.members.models import Person


def _invites(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "channel": i.channel,
            "created_at": i.created_at.isoformat(),
            "expires_at": i.expires_at.isoformat(),
            "used_at": i.used_at.isoformat() if i.used_at else None,
        }
        for i in Invite.objects.filter(person=person)
    ]


def _erase_invites(person: Person) -> int:
    # Erasure closes the login, so no invitation to open one may outlive it.
    deleted, _ = Invite.objects.filter(person=person).delete()
    return deleted


register(
    PersonData(
        key="login_invites",
        title=_("Invitations to log in"),
        export=_invites,
        erase=_erase_invites,
        relations=("accounts.Invite.person",),
        kept={"accounts.Invite.created_by": STAFF},
        order=16,
    )
)


def _join_requests(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "first_name": r.first_name,
            "last_name": r.last_name,
            "organisation": r.organisation_name,
            "email": r.email,
            "phone": r.phone,
            "address": r.address,
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in JoinRequest.objects.filter(person=person)
    ]


def _erase_join_requests(person: Person) -> int:
    """The request stays (it was decided) without who asked or how to reach them."""
    return JoinRequest.objects.filter(person=person).update(
        first_name="",
        last_name="",
        organisation_name="",
        email="",
        phone="",
        address="",
        message="",
        person=None,
    )


register(
    PersonData(
        key="join_requests",
        title=_("Your request to join"),
        export=_join_requests,
        erase=_erase_join_requests,
        relations=("accounts.JoinRequest.person",),
        kept={"accounts.JoinRequest.decided_by": STAFF},
        order=17,
    )
)
