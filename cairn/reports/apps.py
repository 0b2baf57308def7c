from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cairn.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        # Local: models cannot load before the app is ready.
        from cairn.lib.storage import remove_with_row
        from cairn.reports.models import RenderedFile

        post_delete.connect(remove_with_row, sender=RenderedFile, dispatch_uid="reports-files")
