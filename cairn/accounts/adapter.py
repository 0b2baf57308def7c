"""How allauth fits Cairn: no self-service sign-up through allauth, emails in the
network's name, and one username for Axes whichever way someone logs in."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.http import HttpRequest

from cairn.core.network import network


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Logins come from a coordinator's invitation or an approved request to join.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Password spraying: many usernames, each tried once, from one address. Axes
        # counts per username and address, allauth's "login_failed" per login typed;
        # this counts the address alone ("login_address" in ACCOUNT_RATE_LIMITS).
        self._address_usage = ratelimit.consume(
            request, app="allauth.account", action="login_address"
        )
        if not self._address_usage:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        usage = getattr(self, "_address_usage", None)
        if user and usage:
            usage.rollback()  # only failures count against the address
        return user

    def format_email_subject(self, subject: str) -> str:
        # The name coordinators set now, not the one the settings read at start-up.
        return f"[{network().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"network_name": network().name, **context}
        super().send_mail(template_prefix, email, context)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name Axes counts failures against: the username or email typed in."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("login") or data.get("username")
    return value.strip().lower() if isinstance(value, str) else value
