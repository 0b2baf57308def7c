"""Which mail backend Cairn uses, from the familiar EMAIL_* environment names.

Django 6.1's MAILERS passes OPTIONS straight to the backend, and only the SMTP
backend takes host and port; the file backend needs file_path and the console,
locmem and dummy backends take nothing. So the options follow the backend.
"""

from cairn.lib.env import env_bool, env_int, env_str

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"
# The demo's own catcher: every email lands in the database and shows on "Sent mail".
CATCHER = "cairn.sentmail.backend.EmailBackend"
SHORT_NAMES = {
    "smtp": SMTP,
    "file": FILE,
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "catcher": CATCHER,
}


def default_mailer(*, demo: bool, file_path: str) -> dict:
    """The MAILERS["default"] entry.

    EMAIL_BACKEND wins when set (a dotted path or smtp/file/console/locmem/dummy/catcher).
    Otherwise EMAIL_HOST means a real SMTP server; the demo without one catches its mail;
    anything else tries SMTP on localhost, failing visibly (and retried) if none is there.
    """
    backend = env_str("EMAIL_BACKEND", "").strip()
    backend = SHORT_NAMES.get(backend.lower(), backend)
    if not backend:
        backend = CATCHER if demo and not env_str("EMAIL_HOST", "") else SMTP
    options: dict = {}
    if backend == SMTP:
        options = {
            "host": env_str("EMAIL_HOST", "127.0.0.1"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", "") or None,
            "password": env_str("EMAIL_HOST_PASSWORD", "") or None,
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        }
    elif backend == FILE:
        options = {"file_path": env_str("EMAIL_FILE_PATH", file_path)}
    return {"BACKEND": backend, "OPTIONS": options}


def catching() -> bool:
    """True when email is caught in the database instead of sent (the demo's "Sent mail")."""
    from django.conf import settings

    return settings.MAILERS.get("default", {}).get("BACKEND") == CATCHER
