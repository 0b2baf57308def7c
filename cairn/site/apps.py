from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The roof: the home page every visitor and member lands on, the demo network and the
    `demo` and `serve` commands. It reads every app below it and nothing imports it."""

    name = "cairn.site"
    label = "site"
    verbose_name = _("Site")
