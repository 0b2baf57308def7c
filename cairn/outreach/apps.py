from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "cairn.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        # Local: models (and the services, which import them) load once the app is ready.
        from cairn.outreach.models import LetterFile
        from cairn.outreach.services.letters import remove_stored_file

        post_delete.connect(remove_stored_file, sender=LetterFile, dispatch_uid="outreach-files")
