from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "cairn.members"
    label = "members"
    verbose_name = _("Members and organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        # Local: models cannot load before the app is ready.
        from cairn.lib.storage import remove_with_row
        from cairn.members.models import ImportJob

        post_delete.connect(remove_with_row, sender=ImportJob, dispatch_uid="members-imports")
