from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentMailConfig(AppConfig):
    name = "cairn.sentmail"
    label = "sentmail"
    verbose_name = _("Sent mail (demo)")
