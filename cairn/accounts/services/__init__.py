"""Logins and roles for people on the register, by feature: `invitations` (codes sent by
email, text or letter), `logins` (accepting an invitation, a new password, the login's email
following the person's), `roles`, `deactivation`, `join_requests` (asking to join, approved
or declined by a coordinator).

Every write is in one transaction with its audit entry on the person, so the person's
history shows who gave or took away a login or a role, and when. Everything public is
importable from here."""

from cairn.accounts.services.deactivation import set_active
from cairn.accounts.services.errors import AccountError
from cairn.accounts.services.invitations import (
    CODE_ALPHABET,
    CODE_LENGTH,
    IssuedInvite,
    create_invite,
    entry_url,
    find_invite,
    format_code,
    invite_problem,
    normalise_code,
    withdraw_invites,
)
from cairn.accounts.services.join_requests import (
    approve_join_request,
    decline_join_request,
    matching_person,
    request_to_join,
)
from cairn.accounts.services.logins import (
    accept_invite,
    clear_expired_sign_in_codes,
    delete_own_account,
    follow_person_email,
    lift_lockouts,
    password_reset_by_link,
    suggest_username,
    username_taken,
)
from cairn.accounts.services.roles import (
    active_coordinators,
    refuse_erasing_last_coordinator,
    role_in_groups,
    set_role,
)

__all__ = [
    "AccountError",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "IssuedInvite",
    "accept_invite",
    "active_coordinators",
    "approve_join_request",
    "clear_expired_sign_in_codes",
    "create_invite",
    "decline_join_request",
    "delete_own_account",
    "entry_url",
    "find_invite",
    "follow_person_email",
    "format_code",
    "invite_problem",
    "lift_lockouts",
    "matching_person",
    "normalise_code",
    "password_reset_by_link",
    "refuse_erasing_last_coordinator",
    "request_to_join",
    "role_in_groups",
    "set_active",
    "set_role",
    "suggest_username",
    "username_taken",
    "withdraw_invites",
]
