from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "cairn.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from cairn.lib.storage import remove_with_row

        # Local: models cannot load before the app is ready.
        from cairn.outreach.models import LetterFile

        post_delete.connect(remove_with_row, sender=LetterFile, dispatch_uid="outreach-files")
