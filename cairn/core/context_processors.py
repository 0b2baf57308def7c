from django.conf import settings
from django.http import HttpRequest

from cairn.core.network import network
from cairn.core.roles import Role, role_of
from cairn.lib.mailers import catching


def cairn(request: HttpRequest) -> dict:
    role = role_of(request.user)
    return {
        "network_name": network().name,
        "user_role": role,
        "is_coordinator": role == Role.COORDINATOR,
        "is_facilitator": role is not None and role >= Role.FACILITATOR,
        # The demo's caught email, readable by coordinators on "Sent mail".
        "sent_mail_page": role == Role.COORDINATOR and catching(),
        "signup_open": settings.CAIRN_SIGNUP,
    }
