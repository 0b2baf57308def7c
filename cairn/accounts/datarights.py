"""What accounts hold about a person: invitations to log in and a request to join."""

from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import Invite, JoinRequest
from cairn.core.datarights import STAFF, PersonData, Rows, register

# Never the code: only its hash is stored, and it is no business of an export.
invites = Rows(Invite, "person", ["channel", "created_at", "expires_at", "used_at", "revoked_at"])

register(
    PersonData(
        key="login_invitations",
        title=_("Invitations to log in"),
        rows=invites,
        erase=invites.delete,
        kept={"accounts.Invite.created_by": STAFF},
        order=20,
    )
)

join_requests = Rows(
    JoinRequest,
    "person",
    [
        "first_name",
        "last_name",
        ("organisation", "organisation_name"),
        "sector",
        "email",
        "phone",
        "address",
        "message",
        "consents",
        "status",
        "created_at",
    ],
)

register(
    PersonData(
        key="join_requests",
        title=_("Your request to join"),
        rows=join_requests,
        # The request repeats the person's details word for word, so it goes whole.
        erase=join_requests.delete,
        kept={"accounts.JoinRequest.decided_by": STAFF},
        order=21,
    )
)
