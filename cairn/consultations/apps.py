from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "cairn.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        # Local: models cannot load before the app is ready.
        from cairn.consultations.models import ResponseImport
        from cairn.lib.storage import remove_with_row

        post_delete.connect(
            remove_with_row, sender=ResponseImport, dispatch_uid="consultations-imports"
        )
