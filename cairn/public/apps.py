from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The front door: what anyone sees without logging in. It sits on top of the other
    apps (it reads events, reports, offers and the directory) and nothing imports it."""

    name = "cairn.public"
    label = "public"
    verbose_name = _("Public pages")
