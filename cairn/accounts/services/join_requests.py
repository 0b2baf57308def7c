"""Requests to join from the public page, approved or declined by a coordinator."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.accounts.models import InviteChannel, JoinRequest, JoinStatus
from cairn.accounts.services.errors import AccountError
from cairn.accounts.services.invitations import create_invite, invite_problem
from cairn.core import audit
from cairn.members.models import Channel, ConsentMethod, Organisation, Person
from cairn.members.services import set_consent


@transaction.atomic
def request_to_join(data: dict[str, Any]) -> JoinRequest:
    """A visitor's request to join; it waits, holding their details, until a coordinator acts."""
    if not (data.get("email") or data.get("phone") or data.get("address")):
        raise AccountError(_("Give an email address, a phone number or a postal address."))
    join = JoinRequest.objects.create(
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        organisation_name=data.get("organisation_name", ""),
        sector=data["sector"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        address=data.get("address", ""),
        message=data.get("message", ""),
        consents=list(data.get("consents", [])),
    )
    audit.record(
        None,
        "account.join_requested",
        join,
        _("Asked to join: %(name)s") % {"name": join.full_name},
    )
    return join


def matching_person(join: JoinRequest) -> Person | None:
    """Someone already on file with the same email address, who would be joined up instead."""
    if not join.email:
        return None
    return Person.objects.filter(email__iexact=join.email, anonymised_at__isnull=True).first()


@transaction.atomic
def approve_join_request(join: JoinRequest, actor: Any) -> Person:
    """Put the visitor on file (or join them to their existing record) and invite them to log in."""
    join = JoinRequest.objects.select_for_update().get(pk=join.pk)
    if join.status != JoinStatus.PENDING:
        raise AccountError(_("This request was already dealt with."))
    person = matching_person(join)
    if person is None:
        organisation = None
        if join.organisation_name.strip():
            organisation = Organisation.objects.filter(
                name__iexact=join.organisation_name.strip()
            ).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=join.organisation_name.strip()[:200], sector=join.sector
                )
                audit.record(actor, "organisation.created", organisation, organisation.name)
        channel = Channel.EMAIL if join.email else Channel.PHONE if join.phone else Channel.POST
        person = Person.objects.create(
            first_name=join.first_name,
            last_name=join.last_name,
            organisation=organisation,
            sector=join.sector,
            email=join.email,
            phone=join.phone,
            address=join.address,
            preferred_channel=channel,
        )
        audit.record(actor, "person.created", person, _("Added from a request to join"))
    for purpose in join.consents:
        set_consent(
            person,
            purpose,
            granted=True,
            method=ConsentMethod.WEB,
            user=actor,
            note=_("Given when asking to join"),
            when=join.created_at,
        )
    join.status = JoinStatus.APPROVED
    join.person = person
    join.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    join.decided_at = timezone.now()
    join.save(update_fields=["status", "person", "decided_by", "decided_at"])
    audit.record(actor, "account.join_approved", person, _("Request to join approved"))
    if person.user_id is None:
        channel = {
            Channel.EMAIL: InviteChannel.EMAIL,
            Channel.POST: InviteChannel.POST,
            Channel.PHONE: InviteChannel.PHONE,
        }[person.preferred_channel if person.preferred_channel != Channel.WEB else Channel.EMAIL]
        if not invite_problem(person, channel):
            create_invite(person, channel, actor)
    return person


@transaction.atomic
def decline_join_request(join: JoinRequest, actor: Any) -> JoinRequest:
    """Say no; the visitor's contact details are not kept."""
    join = JoinRequest.objects.select_for_update().get(pk=join.pk)
    if join.status != JoinStatus.PENDING:
        raise AccountError(_("This request was already dealt with."))
    join.status = JoinStatus.DECLINED
    join.email = join.phone = join.address = join.message = ""
    join.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    join.decided_at = timezone.now()
    join.save()
    audit.record(actor, "account.join_declined", join, _("Request to join declined"))
    return join
