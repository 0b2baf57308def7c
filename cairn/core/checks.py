"""`cairn check --deploy`: what Django's own deploy checks do not know about Cairn.

Django warns about a short key, but the public demo key is long; it does not
look at ALLOWED_HOSTS='*', at who may set forwarding headers, or at the
address links in emails point to.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from cairn.lib.secret_key import key_problem


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list:
    problem = key_problem(settings.SECRET_KEY)
    if not problem:
        return []
    return [
        Error(
            problem,
            hint="Set SECRET_KEY in the environment to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
            id="cairn.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: Any = None, **kwargs: Any) -> list:
    if any(host.strip() == "*" for host in settings.ALLOWED_HOSTS):
        return [
            Error(
                "ALLOWED_HOSTS is '*': any Host header is accepted, so password reset "
                "and invitation emails can be made to link to another site.",
                hint="List the site's own host names, e.g. ALLOWED_HOSTS=cairn.example.org.",
                id="cairn.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_proxy(app_configs: Any = None, **kwargs: Any) -> list:
    from django.core.exceptions import ImproperlyConfigured

    from cairn.core.proxy import parse_networks

    errors = []
    try:
        networks = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="cairn.E003")]
    if any(n.prefixlen == 0 for n in networks):
        errors.append(
            Error(
                "TRUSTED_PROXIES trusts every address: anyone could claim any client "
                "address (and lock others out) or pretend to use HTTPS.",
                hint="List only the reverse proxy's own addresses.",
                id="cairn.E003",
            )
        )
    if settings.SECURE_PROXY_SSL_HEADER and not networks:
        errors.append(
            Error(
                "SECURE_PROXY_SSL_HEADER is set but TRUSTED_PROXIES is empty, so the "
                "header is dropped and HTTPS redirects would never end.",
                hint="Set TRUSTED_PROXIES to the reverse proxy's address.",
                id="cairn.E004",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list:
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails and letters "
                "would send people to an unencrypted address.",
                hint="Set SITE_URL=https://your.host.",
                id="cairn.W005",
            )
        ]
    return []
