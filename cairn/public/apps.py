from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What anyone sees without logging in under /visit/: public events, registration
    without an account, Start here, the directory. It reads events, offers and the
    directory; only the home page (`cairn.site`) imports it."""

    name = "cairn.public"
    label = "public"
    verbose_name = _("Public pages")
